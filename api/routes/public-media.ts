// Public media: a stored file's bytes at a signed, expiring address (platform/media-links.ts), for Instagram,
// Facebook and TikTok to fetch a post's media from. No session: the token in the path is the only credential.
// HEAD and single byte ranges are answered, as platforms probe a video's size and pull it in parts.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { dataDir, settings } from '../../platform/config'
import { MEDIA_TYPES } from '../../platform/media'
import { mediaLinkSignerSource, type MediaLinkSigner } from '../../platform/media-links'
import { StoredObjectMissingError } from '../../platform/storage'
import { ApiError } from '../errors'
import { errorResponses } from '../schemas/common'
import { parseByteRange } from '../services/assets'

export interface PublicMediaRoutesOptions {
  /** The link signer; default from REVIEW_LINK_SECRET (development: the data folder's secret). */
  signer?: () => MediaLinkSigner
}

// Unconstrained on purpose: whatever is not a link of ours is a 404 MEDIA_LINK_NOT_FOUND, never a 400.
const PublicMediaParams = Type.Object(
  {
    token: Type.String({ description: 'The signed token of the link' }),
    filename: Type.String({ description: 'The name the link was made with; only its extension means anything, to fetchers' }),
  },
  { additionalProperties: false },
)

const Binary = (description: string) => Type.Unsafe<unknown>({ type: 'string', format: 'binary', description })

const notFound = () => new ApiError(404, 'MEDIA_LINK_NOT_FOUND', 'There is no media at this address: the link is not valid, or its file was deleted.')

export const publicMediaRoutes: FastifyPluginAsyncTypebox<PublicMediaRoutesOptions> = async (app, options) => {
  const signer = options.signer ?? mediaLinkSignerSource({ secret: settings().reviewLinkSecret, dataDir })

  app.route({
    method: ['GET', 'HEAD'],
    url: '/api/public/media/:token/:filename',
    config: { public: true },
    schema: {
      summary: 'A post’s media file at a signed link that expires, for the platforms to fetch (HEAD, and a single byte range with 206)',
      description: '404 MEDIA_LINK_NOT_FOUND (not a valid link, or the file is gone), 410 MEDIA_LINK_EXPIRED, 416 RANGE_NOT_SATISFIABLE.',
      tags: ['publishing'],
      produces: Object.keys(MEDIA_TYPES),
      params: PublicMediaParams,
      response: {
        200: Binary('The file'),
        206: Binary('The requested byte range'),
        304: Type.Null({ description: 'Not modified (If-None-Match)' }),
        ...errorResponses(404, 410, 416),
      },
    },
    async handler(request, reply) {
      const check = signer().verify(request.params.token)
      if (check.kind === 'invalid') throw notFound()
      if (check.kind === 'expired') {
        throw new ApiError(410, 'MEDIA_LINK_EXPIRED', 'This media link has expired: publishing the post again makes a new one.')
      }
      // Unscoped on purpose: there is no session, and the signature is what vouches for the file id.
      const file = await app.db.storedFile.findUnique({ where: { id: check.fileId } })
      if (!file) throw notFound()

      const etag = `"${file.sha256}"`
      // Revalidated on every use and kept by no shared cache, so the link's expiry holds; never indexed.
      reply
        .header('etag', etag)
        .header('cache-control', 'private, no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('x-robots-tag', 'noindex')
        .header('accept-ranges', 'bytes')
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null)
      const range = parseByteRange(request.headers.range, file.byteSize)
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${file.byteSize}`)
        throw new ApiError(416, 'RANGE_NOT_SATISFIABLE', `The range is outside the file (${file.byteSize} bytes).`)
      }
      if (range) reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${file.byteSize}`)
      reply.header('content-type', file.mimeType).header('content-length', range ? range.end - range.start + 1 : file.byteSize)
      // HEAD: the headers only, without opening the stored object (a video may be hundreds of MB).
      if (request.method === 'HEAD') return reply.send()
      try {
        return reply.send(await app.storage.get(file.storageKey, range ?? undefined))
      } catch (error) {
        if (error instanceof StoredObjectMissingError) throw notFound()
        throw error
      }
    },
  })
}

export default publicMediaRoutes
