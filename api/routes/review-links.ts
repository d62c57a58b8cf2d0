// Client review links. Signed in (card.write): share cards with a named client, list a workspace's links, revoke
// one. Public, the token in the path as the only credential: what the client reviews, the drafts' bytes, and the
// client's decisions and comments. Public requests are rate limited per client address and answered from the
// database of the link's own agency.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible'
import { dataDir, settings } from '../../platform/config'
import { MEDIA_TYPES } from '../../platform/media'
import { reviewLinkSignerSource, type ReviewLinkSigner } from '../../platform/review-link-tokens'
import { tenantClients } from '../../platform/tenant-scope'
import { ApiError } from '../errors'
import { IdParams, errorResponses } from '../schemas/common'
import {
  CreateReviewLinkBody,
  ListReviewLinksQuery,
  PublicCommentBody,
  PublicCommentCreated,
  PublicDecisionBody,
  PublicDecisionResult,
  PublicReview,
  ReviewAssetParams,
  ReviewLinkCreated,
  ReviewLinkDto,
  ReviewLinkList,
  ReviewTokenParams,
} from '../schemas/review-link'
import { inlineDisposition, openStoredObject, parseByteRange } from '../services/assets'
import {
  commentThroughLink,
  createReviewLink,
  decideThroughLink,
  findSharedFile,
  getPublicReview,
  listReviewLinks,
  openReviewLink,
  revokeReviewLink,
} from '../services/review-links'

/** Requests per client address and minute: the page and what is sent from it, and the drafts' bytes apart. */
export interface ReviewLinkRateLimits {
  perMinute: number
  filesPerMinute: number
}

export interface ReviewLinkRoutesOptions {
  /** The token signer; default from REVIEW_LINK_SECRET (development: the data folder's secret). */
  signer?: () => ReviewLinkSigner
  limits?: ReviewLinkRateLimits
}

/** A review page of 100 cards asks for 100 previews at once; decisions are a few a minute. */
export const DEFAULT_REVIEW_LINK_LIMITS: ReviewLinkRateLimits = { perMinute: 120, filesPerMinute: 1200 }

const TENANT_CLIENT_CACHE_SIZE = 100
const Binary = (description: string) => Type.Unsafe<unknown>({ type: 'string', format: 'binary', description })

const reviewLinkRoutes: FastifyPluginAsyncTypebox<ReviewLinkRoutesOptions> = async (app, options) => {
  const signer = options.signer ?? reviewLinkSignerSource({ secret: settings().reviewLinkSecret, dataDir })
  const limits = options.limits ?? DEFAULT_REVIEW_LINK_LIMITS

  // ------------------------------------------------------------------------------------------------------
  // Signed in

  app.post(
    '/api/review-links',
    {
      config: { permission: 'card.write' },
      schema: {
        summary: 'Share cards of a workspace with a client for review: a signed link that expires (1–30 days) and can be revoked',
        description:
          'The answer carries the link (the web page /review/<token>) this once; only its hash is kept. With clientEmail it is also e-mailed. ' +
          '400 CARD_NOT_IN_WORKSPACE names cards that are not the workspace’s; 404 for an unknown workspace; 409 WORKSPACE_ARCHIVED.',
        tags: ['review links'],
        body: CreateReviewLinkBody,
        response: { 201: ReviewLinkCreated, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const created = await createReviewLink(
        { tenantDb: request.tenantDb, mailer: app.mailer, signer: signer(), webUrl: app.settings.webUrl },
        request.user!,
        request.body,
        request.ip,
      )
      return reply.status(201).send(created)
    },
  )

  app.get(
    '/api/review-links',
    {
      config: { permission: 'card.write' },
      schema: {
        summary: 'A workspace’s review links, newest first, with their status (active, expired, revoked); never their tokens',
        tags: ['review links'],
        querystring: ListReviewLinksQuery,
        response: { 200: ReviewLinkList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ links: await listReviewLinks(request.tenantDb, request.query.workspaceId) }),
  )

  app.post(
    '/api/review-links/:id/revoke',
    {
      config: { permission: 'card.write' },
      schema: {
        summary: 'Revoke a review link: it stops working at once (410 REVIEW_LINK_REVOKED); 409 REVIEW_LINK_REVOKED when it already was',
        tags: ['review links'],
        params: IdParams,
        response: { 200: Type.Object({ link: ReviewLinkDto }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ link: await revokeReviewLink(request.tenantDb, request.user!, request.params.id, request.ip) }),
  )

  // ------------------------------------------------------------------------------------------------------
  // Public

  // Counted in PostgreSQL, so every API process shares the counts (as login throttling does).
  const common = { storeClient: app.db, tableName: 'loginRateLimit', duration: 60 }
  const pageLimiter = new RateLimiterPrisma({ ...common, keyPrefix: 'review-link', points: limits.perMinute })
  const fileLimiter = new RateLimiterPrisma({ ...common, keyPrefix: 'review-link-file', points: limits.filesPerMinute })

  const throttle = (limiter: RateLimiterPrisma) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await limiter.consume(request.ip)
    } catch (reason) {
      if (!(reason instanceof RateLimiterRes)) throw reason
      const seconds = Math.max(1, Math.ceil(reason.msBeforeNext / 1000))
      reply.header('retry-after', String(seconds))
      throw new ApiError(429, 'RATE_LIMITED', `Too many requests from your address: try again in ${seconds} second${seconds === 1 ? '' : 's'}.`)
    }
  }
  const pageThrottle = throttle(pageLimiter)
  const fileThrottle = throttle(fileLimiter)

  // The link's agency decides the database, scoped as signed-in requests are.
  const tenantDb = tenantClients(app.db, TENANT_CLIENT_CACHE_SIZE)
  const open = (token: string) => openReviewLink({ db: app.db, signer: signer(), tenantDb }, token)
  const approvalDeps = { temporal: app.temporal, settings: app.settings }
  const linkErrors = 'Link refusals: 404 REVIEW_LINK_NOT_FOUND (not a valid link), 410 REVIEW_LINK_EXPIRED, 410 REVIEW_LINK_REVOKED; 429 RATE_LIMITED.'

  app.get(
    '/api/public/review-links/:token',
    {
      config: { public: true },
      onRequest: pageThrottle,
      schema: {
        summary: 'What a client reviews through a link: the shared cards only, each with its caption under review, drafts and round',
        description: linkErrors,
        tags: ['review links'],
        params: ReviewTokenParams,
        response: { 200: PublicReview, ...errorResponses(400, 404, 410, 429) },
      },
    },
    async (request, reply) => {
      // The page changes with every decision and ends with the link: never kept by a cache.
      reply.header('cache-control', 'no-store')
      return getPublicReview(await open(request.params.token))
    },
  )

  app.get(
    '/api/public/review-links/:token/assets/:fileId/:variant',
    {
      config: { public: true },
      onRequest: fileThrottle,
      schema: {
        summary: 'A draft of a shared card (content, with Range) or its JPEG thumbnail; any other file is 404',
        description: linkErrors,
        tags: ['review links'],
        produces: Object.keys(MEDIA_TYPES),
        params: ReviewAssetParams,
        response: {
          200: Binary('The file or its thumbnail'),
          206: Binary('The requested byte range'),
          304: Type.Null({ description: 'Not modified (If-None-Match)' }),
          ...errorResponses(400, 404, 410, 416, 429),
        },
      },
    },
    async (request, reply) => {
      const opened = await open(request.params.token)
      const file = await findSharedFile(opened, request.params.fileId)
      const thumbnail = request.params.variant === 'thumbnail'
      if (thumbnail && !file.thumbnailKey) throw new ApiError(404, 'NOT_FOUND', 'This file has no thumbnail (only images have one).')
      const etag = thumbnail ? `"${file.sha256}-thumbnail"` : `"${file.sha256}"`
      // Revalidated on every use (cheap with the ETag), so a revoked or expired link stops showing files at once.
      reply.header('etag', etag).header('cache-control', 'private, no-cache').header('x-content-type-options', 'nosniff')
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null)
      if (thumbnail) {
        const stream = await openStoredObject(app.storage, file.thumbnailKey!)
        return reply.header('content-type', 'image/jpeg').send(stream)
      }
      const range = parseByteRange(request.headers.range, file.byteSize)
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${file.byteSize}`)
        throw new ApiError(416, 'RANGE_NOT_SATISFIABLE', `The range is outside the file (${file.byteSize} bytes).`)
      }
      const stream = await openStoredObject(app.storage, file.storageKey, range ?? undefined)
      if (range) reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${file.byteSize}`)
      return reply
        .header('accept-ranges', 'bytes')
        .header('content-type', file.mimeType)
        .header('content-length', range ? range.end - range.start + 1 : file.byteSize)
        .header('content-disposition', inlineDisposition(file.originalName))
        .send(stream)
    },
  )

  app.post(
    '/api/public/review-links/:token/decisions',
    {
      // The token in the path is the proof; there is no session whose CSRF token could be sent.
      config: { public: true, csrf: false },
      onRequest: pageThrottle,
      schema: {
        summary: 'The client’s decision on a shared card (approve, reject, request changes with a comment), as the client approver the link names',
        description:
          'The answer is the card as the client now sees it (as in the review), never the team’s view of the round. ' +
          `${linkErrors} A card the link does not share: 404 NOT_FOUND. The round’s refusals pass through and change nothing: ` +
          '403 NOT_AN_APPROVER (the round waits in a step the client does not decide), 409 APPROVAL_NOT_PENDING, STALE_VERSION, ALREADY_DECIDED, ' +
          '400 COMMENT_REQUIRED, 404 NO_APPROVAL_ROUND.',
        tags: ['review links'],
        params: ReviewTokenParams,
        body: PublicDecisionBody,
        response: { 200: PublicDecisionResult, ...errorResponses(400, 403, 404, 409, 410, 429, 503) },
      },
    },
    async (request) => decideThroughLink(approvalDeps, await open(request.params.token), request.body, request.ip),
  )

  app.post(
    '/api/public/review-links/:token/comments',
    {
      config: { public: true, csrf: false },
      onRequest: pageThrottle,
      schema: {
        summary: 'The client’s comment on a shared card, in the card’s thread under the client’s name',
        description: `${linkErrors} A card the link does not share: 404 NOT_FOUND.`,
        tags: ['review links'],
        params: ReviewTokenParams,
        body: PublicCommentBody,
        response: { 201: PublicCommentCreated, ...errorResponses(400, 404, 410, 429) },
      },
    },
    async (request, reply) => reply.status(201).send(await commentThroughLink(approvalDeps, await open(request.params.token), request.body)),
  )
}

export default reviewLinkRoutes
