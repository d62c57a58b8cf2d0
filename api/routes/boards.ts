// The content board: columns of cards per campaign, per workspace, or a creator's own; card details and
// changes; live updates as server-sent events; CSV import and export.
import { Type, type FastifyPluginAsyncTypebox, type Static } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger } from 'fastify'
import { isAssignedTo, type BoardColumn } from '../../domain/content-board'
import {
  AddCaptionBody,
  AddCommentBody,
  AttachAssetBody,
  Board,
  BoardColumnPage,
  BoardQuery,
  CardDetail,
  CardIdParams,
  ColumnQuery,
  CreateCardBody,
  ImportReport,
  MoveCardBody,
  ScopeQuery,
  UpdateCardBody,
  type BoardEvent,
} from '../schemas/board'
import { IdParams, errorResponses } from '../schemas/common'
import type { BoardEventHub, ReceivedBoardChange } from '../services/board-events'
import { exportBoardCsv, importCardsCsv, CSV_IMPORT_MAX_BYTES } from '../services/card-csv'
import {
  addCaption,
  addComment,
  attachAsset,
  cardInScope,
  createCard,
  detachAsset,
  getBoard,
  getBoardColumn,
  getCardDetail,
  moveCard,
  type ReviewRuns,
  resolveBoardScope,
  toCardSummary,
  updateCard,
  viewerOf,
  type BoardScopeFilter,
  type Viewer,
} from '../services/cards'
import { ApiError } from '../errors'

const cardWebPath = (card: { id: string; campaignId: string }) => `/campaigns/${card.campaignId}/board/cards/${card.id}`

/**
 * Whether a change may concern a board opened with `filter` by `viewer`: a cheap test on the ids the change
 * carries, before the card is read through the board's own scope.
 */
function mayConcern(change: ReceivedBoardChange, viewer: Viewer, filter: BoardScopeFilter): boolean {
  if (filter.campaignId && change.campaignId !== filter.campaignId) return false
  if (filter.workspaceId && change.workspaceId !== filter.workspaceId) return false
  if (viewer.ownCardsOnly || (!filter.campaignId && !filter.workspaceId)) return change.assigneeCreatorIds.some((assignee) => isAssignedTo(viewer.creatorId, assignee))
  return true
}

const PING_MS = 20_000

const boardRoutes: FastifyPluginAsyncTypebox<{ boardEvents: BoardEventHub | null }> = async (app, options) => {
  // Moves into and out of review start or tell approval runs (api/services/approvals.ts).
  const runs = (log: FastifyBaseLogger): ReviewRuns => ({ deps: { temporal: app.temporal, settings: app.settings }, log })
  // Open event streams end when the server closes, so shutdown does not wait on them.
  const openStreams = new Set<import('node:http').ServerResponse>()
  app.addHook('onClose', async () => {
    for (const stream of openStreams) stream.end()
  })

  // CSV imports arrive as text/csv bodies, read whole (they are small: CSV_IMPORT_MAX_BYTES).
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: CSV_IMPORT_MAX_BYTES }, (_request, body, done) => done(null, body))

  app.get(
    '/api/boards',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'A board: every column with its total and first page of cards (creators see their own cards only)',
        tags: ['board'],
        querystring: BoardQuery,
        response: { 200: Board, 304: Type.Null({ description: 'Not modified (If-None-Match)' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request.user!)
      const { limit, ...filter } = request.query
      const answer = await getBoard(request.tenantDb, viewer, filter, limit ? Number(limit) : undefined, request.headers['if-none-match'])
      // Revalidated on every load (live updates come by events); unchanged boards answer 304.
      reply.header('cache-control', 'private, no-cache')
      if (answer.etag) reply.header('etag', answer.etag)
      if ('notModified' in answer) return reply.status(304).send(null)
      const { json } = answer
      // Already serialised from the Board DTO the schema describes; Fastify sends a JSON string as it is (the
      // type provider only knows the object form, hence the cast).
      return reply.type('application/json; charset=utf-8').send(json as unknown as Static<typeof Board>)
    },
  )

  app.get(
    '/api/boards/column',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'The next page of one column (cursor from the previous page)',
        tags: ['board'],
        querystring: ColumnQuery,
        response: { 200: BoardColumnPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const viewer = viewerOf(request.user!)
      const { column, cursor, limit, ...filter } = request.query
      return getBoardColumn(request.tenantDb, viewer, filter, column as BoardColumn, cursor, limit ? Number(limit) : undefined)
    },
  )

  app.get(
    '/api/boards/events',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'Live changes of a board as server-sent events (`event: card` with a BoardEvent; `event: reload` after many changes at once)',
        tags: ['board'],
        produces: ['text/event-stream'],
        querystring: ScopeQuery,
        response: { 200: Type.Unsafe<unknown>({ type: 'string', description: 'text/event-stream' }), ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const hub = options.boardEvents
      if (!hub) throw new ApiError(503, 'EVENTS_UNAVAILABLE', 'Live board updates are not available on this server.')
      const db = request.tenantDb
      const viewer = viewerOf(request.user!)
      const filter: BoardScopeFilter = request.query
      // Resolving the scope checks it exists and is the caller's (404 otherwise) before the stream opens; its
      // conditions then decide, card by card, what this board shows.
      const { where } = await resolveBoardScope(db, viewer, filter)

      const raw = reply.raw
      let queue = Promise.resolve()
      const write = (name: string, data: unknown) => {
        if (!raw.destroyed) raw.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)
      }
      const send = (change: ReceivedBoardChange) => {
        if (!mayConcern(change, viewer, filter)) return
        // In order, one at a time: a card moved twice quickly arrives in its final column last.
        queue = queue.then(async () => {
          if (change.type === 'board.reload' || change.cardId === null) return write('reload', { by: change.by, at: change.at })
          const row = await cardInScope(db, where, change.cardId)
          // Not in the scope (any more): deleted, moved to another filter's view, or reassigned away from a creator.
          const event: BoardEvent = row
            ? { type: 'card.upserted', cardId: change.cardId, card: toCardSummary(row, viewer), by: change.by, at: change.at }
            : { type: 'card.removed', cardId: change.cardId, card: null, by: change.by, at: change.at }
          write('card', event)
        })
      }
      // A dropped LISTEN connection may have missed changes: end the stream; the client reconnects and reloads.
      const unsubscribe = await hub.subscribe(request.user!.agency.id, send, () => raw.end())
      reply.hijack()
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      // The first line tells the client the subscription is live; a comment every 20 s keeps proxies from
      // closing an idle stream.
      raw.write(': connected\n\n')
      const ping = setInterval(() => raw.write(': ping\n\n'), PING_MS)
      const stop = () => {
        clearInterval(ping)
        unsubscribe()
        openStreams.delete(raw)
      }
      openStreams.add(raw)
      raw.on('close', stop)
    },
  )

  app.get(
    '/api/boards/export.csv',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'Every card of a board as CSV (the import’s columns, then column and campaign)',
        tags: ['board'],
        produces: ['text/csv'],
        querystring: ScopeQuery,
        response: { 200: Type.Unsafe<unknown>({ type: 'string', description: 'text/csv' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request.user!)
      const { filename, stream } = await exportBoardCsv(request.tenantDb, viewer, request.query)
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('x-content-type-options', 'nosniff')
        .send(stream)
    },
  )

  app.post(
    '/api/campaigns/:id/cards/import',
    {
      config: { permission: 'card.write' },
      schema: {
        summary: 'Import cards from CSV (Title, Platform, Creator, Due date, Caption): all rows or none, with a per-row report',
        tags: ['board'],
        consumes: ['text/csv'],
        params: IdParams,
        body: Type.String({ description: 'The CSV text' }),
        response: { 201: ImportReport, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request.user!)
      const report = await importCardsCsv(request.tenantDb, viewer, request.params.id, request.body)
      return reply.status(201).send(report)
    },
  )

  app.post(
    '/api/cards',
    {
      config: { permission: 'card.write' },
      schema: {
        summary: 'Add a card to a campaign’s Backlog',
        tags: ['board'],
        body: CreateCardBody,
        response: { 201: Type.Object({ card: Type.Ref('CardSummary') }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request.user!)
      return reply.status(201).send({ card: await createCard(request.tenantDb, viewer, request.body) })
    },
  )

  app.get(
    '/api/cards/:id',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'A card with its caption history, comments, activity and assets',
        tags: ['board'],
        params: IdParams,
        response: { 200: CardDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getCardDetail(request.tenantDb, viewerOf(request.user!), request.params.id),
  )

  app.patch(
    '/api/cards/:id',
    {
      config: { permission: 'card.write' },
      schema: {
        summary: 'Edit a card (send the version you saw: 409 CARD_VERSION_CONFLICT when someone changed it since)',
        tags: ['board'],
        params: IdParams,
        body: UpdateCardBody,
        response: { 200: Type.Object({ card: Type.Ref('CardSummary') }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ card: await updateCard(request.tenantDb, viewerOf(request.user!), request.params.id, request.body) }),
  )

  app.post(
    '/api/cards/:id/move',
    {
      config: { permission: 'card.move' },
      schema: {
        summary: 'Move a card to a column and between two cards; who may move where is domain/content-board.ts',
        tags: ['board'],
        params: IdParams,
        body: MoveCardBody,
        response: { 200: Type.Object({ card: Type.Ref('CardSummary') }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ card: await moveCard(request.tenantDb, viewerOf(request.user!), request.params.id, request.body as Parameters<typeof moveCard>[3], runs(request.log)) }),
  )

  app.post(
    '/api/cards/:id/captions',
    {
      config: { permission: 'card.draft' },
      schema: {
        summary: 'Save a new caption version (baseVersion: the version you edited)',
        tags: ['board'],
        params: IdParams,
        body: AddCaptionBody,
        response: { 200: CardDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => addCaption(request.tenantDb, viewerOf(request.user!), request.params.id, request.body),
  )

  app.post(
    '/api/cards/:id/comments',
    {
      config: { permission: 'card.comment' },
      schema: {
        summary: 'Comment on a card; @handles notify the members named',
        tags: ['board'],
        params: IdParams,
        body: AddCommentBody,
        response: { 200: CardDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => addComment(request.tenantDb, viewerOf(request.user!), request.params.id, request.body.body, cardWebPath, runs(request.log)),
  )

  app.post(
    '/api/cards/:id/assets',
    {
      config: { permission: 'card.draft' },
      schema: {
        summary: 'Attach a workspace asset to a card as a draft, thumbnail or reference',
        tags: ['board'],
        params: IdParams,
        body: AttachAssetBody,
        response: { 200: CardDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => attachAsset(request.tenantDb, viewerOf(request.user!), request.params.id, request.body.fileId, request.body.role),
  )

  app.delete(
    '/api/cards/:id/assets/:fileId',
    {
      config: { permission: 'card.draft' },
      schema: {
        summary: 'Detach an asset from a card (the file stays in the workspace library)',
        tags: ['board'],
        params: CardIdParams,
        response: { 200: CardDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => detachAsset(request.tenantDb, viewerOf(request.user!), request.params.id, request.params.fileId),
  )
}

export default boardRoutes
