// Workspace assets: multipart upload (this plugin's scope only), the library list, the bytes and thumbnails
// (with Range for seeking in videos), and deletion.
import multipart from '@fastify/multipart'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Readable } from 'node:stream'
import { uploadLimits, type UploadLimits } from '../../platform/config'
import { ACCEPTED_MEDIA_LABELS, MEDIA_TYPES, THUMBNAIL_MAX_SIDE } from '../../platform/media'
import type { FileStorage } from '../../platform/storage'
import { ApiError } from '../errors'
import { AssetListResponse, ListAssetsQuery, UploadAssetsResponse } from '../schemas/asset'
import { IdParams, errorResponses } from '../schemas/common'
import {
  deleteAsset,
  findReadableAsset,
  formatBytes,
  inlineDisposition,
  ingestUploads,
  listAssets,
  openStoredObject,
  parseByteRange,
  toAssetDto,
  uploadMultipartOptions,
} from '../services/assets'

export interface AssetRoutesOptions {
  storage: FileStorage
  /** Per-file and per-request limits; default from UPLOAD_MAX_FILE_BYTES and UPLOAD_MAX_FILES. */
  limits?: UploadLimits
}

const Binary = (description: string) => Type.Unsafe<unknown>({ type: 'string', format: 'binary', description })

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const assetRoutes: FastifyPluginAsyncTypebox<AssetRoutesOptions> = async (app, options) => {
  const storage = options.storage
  const limits = options.limits ?? uploadLimits()
  await app.register(multipart, uploadMultipartOptions(limits))

  app.post(
    '/api/workspaces/:id/assets',
    {
      config: { permission: 'asset.upload' },
      schema: {
        summary: `Upload images and videos (multipart, file fields "files"): ${ACCEPTED_MEDIA_LABELS} by content, at most ${limits.maxFiles} files of ${formatBytes(limits.maxFileBytes)} each; all or nothing`,
        description:
          'Each file is streamed to storage, its type decided by its bytes, its dimensions (and a video’s duration) read, and an image thumbnailed. ' +
          'A file the workspace already has (same SHA-256) is answered with the existing asset and duplicate: true. If any file is refused, nothing is kept; ' +
          'the error’s details name the file (/files/<index>). 400 EMPTY_FILE, UNREADABLE_MEDIA, NO_FILES, MALFORMED_MULTIPART, FILE_FIELD_UNKNOWN; ' +
          '413 FILE_TOO_LARGE, TOO_MANY_FILES; 415 UNSUPPORTED_FILE_TYPE; 409 WORKSPACE_ARCHIVED.',
        tags: ['assets'],
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: UploadAssetsResponse, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const { assets } = await ingestUploads({ db: request.tenantDb, storage, limits, log: request.log }, request, {
        workspaceId: request.params.id,
        user: request.user!,
        fileFields: ['files'],
      })
      return reply.status(201).send({ assets: assets.map((entry) => ({ asset: toAssetDto(entry.file), duplicate: entry.duplicate })) })
    },
  )

  app.get(
    '/api/workspaces/:id/assets',
    {
      config: { permission: 'asset.read' },
      schema: {
        summary: 'The workspace’s assets, newest first, a page at a time (?kind=image|video, ?cursor=nextCursor, ?limit=1–100)',
        tags: ['assets'],
        params: IdParams,
        querystring: ListAssetsQuery,
        response: { 200: AssetListResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ ...(await listAssets(request.tenantDb, request.params.id, request.query)), limits }),
  )

  // card.read rather than asset.read: creators and client approvers see the drafts on the cards they may
  // read; which assets a creator may open is decided by the service.
  app.get(
    '/api/assets/:id/content',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'The asset’s bytes, with its type; a single byte range (Range: bytes=…) is answered with 206',
        tags: ['assets'],
        produces: Object.keys(MEDIA_TYPES),
        params: IdParams,
        response: {
          200: Binary('The file'),
          206: Binary('The requested byte range'),
          304: Type.Null({ description: 'Not modified (If-None-Match)' }),
          ...errorResponses(400, 401, 403, 404, 416),
        },
      },
    },
    async (request, reply) => {
      const file = await findReadableAsset(request.tenantDb, request.user!, request.params.id)
      const range = parseByteRange(request.headers.range, file.byteSize)
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${file.byteSize}`)
        throw new ApiError(416, 'RANGE_NOT_SATISFIABLE', `The range is outside the file (${file.byteSize} bytes).`)
      }
      const etag = `"${file.sha256}"`
      // An asset's bytes never change under its id, so a browser may keep them.
      reply.header('etag', etag).header('cache-control', 'private, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').header('accept-ranges', 'bytes')
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null)
      const stream = await openStoredObject(storage, file.storageKey, range ?? undefined)
      if (range) reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${file.byteSize}`)
      return reply
        .header('content-type', file.mimeType)
        .header('content-length', range ? range.end - range.start + 1 : file.byteSize)
        .header('content-disposition', inlineDisposition(file.originalName))
        .send(stream)
    },
  )

  app.get(
    '/api/assets/:id/thumbnail',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: `A JPEG preview of an image asset, at most ${THUMBNAIL_MAX_SIDE} px on its long side (videos have none: 404)`,
        tags: ['assets'],
        produces: ['image/jpeg'],
        params: IdParams,
        response: {
          200: Binary('The JPEG thumbnail'),
          304: Type.Null({ description: 'Not modified (If-None-Match)' }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const file = await findReadableAsset(request.tenantDb, request.user!, request.params.id)
      if (!file.thumbnailKey) throw new ApiError(404, 'NOT_FOUND', 'This asset has no thumbnail (only images have one).')
      const etag = `"${file.sha256}-thumbnail"`
      reply.header('etag', etag).header('cache-control', 'private, max-age=31536000, immutable').header('x-content-type-options', 'nosniff')
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null)
      // A thumbnail is a few KiB: read whole, so its length is known without a size column of its own.
      const bytes = await readAll(await openStoredObject(storage, file.thumbnailKey))
      return reply.header('content-type', 'image/jpeg').header('content-length', bytes.length).send(bytes)
    },
  )

  app.delete(
    '/api/assets/:id',
    {
      config: { permission: 'asset.upload' },
      schema: {
        summary: 'Delete an asset that no card and no brand-kit version uses (409 ASSET_IN_USE otherwise); its stored bytes go too',
        tags: ['assets'],
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteAsset({ db: request.tenantDb, storage, log: request.log }, request.user!, request.params.id)
      return reply.status(204).send(null)
    },
  )
}

export default assetRoutes
