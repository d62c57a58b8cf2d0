import { Type, type Static } from '@fastify/type-provider-typebox'
import { BOARD_COLUMNS, CARD_LIMITS } from '../../domain/content-board'
import { Platform } from './campaign'

export const Column = Type.Enum([...BOARD_COLUMNS])

const Assignee = Type.Union([Type.Object({ creatorId: Type.String({ format: 'uuid' }), name: Type.String() }), Type.Null()])

export const CardSummary = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    campaignId: Type.String({ format: 'uuid' }),
    campaignName: Type.String(),
    workspaceId: Type.String({ format: 'uuid' }),
    title: Type.String(),
    platform: Platform,
    kind: Type.Union([Type.String(), Type.Null()]),
    column: Column,
    position: Type.String(),
    version: Type.Integer({ description: 'Send it back with every change: a different current version answers 409 CARD_VERSION_CONFLICT' }),
    assignee: Assignee,
    /** The day the card is due, in its campaign's time zone. */
    dueDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    /** When it becomes overdue: the end of that day in the campaign's time zone. */
    dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    captionPreview: Type.Union([Type.String(), Type.Null()]),
    captionVersion: Type.Integer({ description: '0 when the card has no caption yet' }),
    commentCount: Type.Integer(),
    assetCount: Type.Integer(),
    thumbnailUrl: Type.Union([Type.String(), Type.Null()], { description: 'API path of the first draft’s thumbnail' }),
    /** Columns the caller may move this card to (domain/content-board.ts), for drop targets. */
    allowedTargets: Type.Array(Column),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'CardSummary' },
)
export type CardSummary = Static<typeof CardSummary>

export const BoardColumnPage = Type.Object({
  column: Column,
  label: Type.String(),
  /** Cards in the column (for a creator: their own). */
  total: Type.Integer(),
  cards: Type.Array(Type.Ref('CardSummary')),
  /** Pass as `cursor` to /api/boards/column for the next page; null at the end. */
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})
export type BoardColumnPage = Static<typeof BoardColumnPage>

/** Which cards a board shows: one campaign's, a whole workspace's, or (for a creator, with no scope given) their own. */
export const BoardScope = Type.Object({
  kind: Type.Union([Type.Literal('campaign'), Type.Literal('workspace'), Type.Literal('mine')]),
  id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  name: Type.String(),
  workspaceId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  workspaceName: Type.Union([Type.String(), Type.Null()]),
})

export const Board = Type.Object({
  scope: BoardScope,
  columns: Type.Array(BoardColumnPage),
  viewer: Type.Object({
    /** The creator profile linked to the caller, whose cards they may carry. */
    creatorId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    /** True for creators: the board shows only the cards assigned to them. */
    ownCardsOnly: Type.Boolean(),
    canCreate: Type.Boolean(),
  }),
})
export type Board = Static<typeof Board>

/** Cards per column page, 1–200 (default 25); query strings are not coerced, so it is read from its digits. */
const PageLimit = Type.String({ pattern: '^(?:[1-9][0-9]?|1[0-9]{2}|200)$', description: 'Cards per column, 1–200 (default 25)' })

const scopeQuery = {
  campaignId: Type.Optional(Type.String({ format: 'uuid' })),
  workspaceId: Type.Optional(Type.String({ format: 'uuid', description: 'Every campaign of the workspace. Give this or campaignId; a creator may give neither for all their own cards' })),
  platform: Type.Optional(Platform),
  assigneeCreatorId: Type.Optional(Type.String({ format: 'uuid' })),
}

export const BoardQuery = Type.Object(
  { ...scopeQuery, limit: Type.Optional(PageLimit) },
  { additionalProperties: false },
)
export type BoardQuery = Static<typeof BoardQuery>

export const ColumnQuery = Type.Object(
  {
    ...scopeQuery,
    column: Column,
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(PageLimit),
  },
  { additionalProperties: false },
)
export type ColumnQuery = Static<typeof ColumnQuery>

export const ScopeQuery = Type.Object(scopeQuery, { additionalProperties: false })
export type ScopeQuery = Static<typeof ScopeQuery>

export const CaptionVersionDto = Type.Object({
  version: Type.Integer(),
  text: Type.String(),
  source: Type.String({ description: 'manual | creator | import | ai' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})

export const CommentDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  authorName: Type.String(),
  authorUserId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  body: Type.String(),
  mentions: Type.Array(Type.Object({ userId: Type.String({ format: 'uuid' }), name: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
})

export const ActivityDto = Type.Object({
  kind: Type.String(),
  actorLabel: Type.String(),
  summary: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
})

export const CardAssetDto = Type.Object({
  fileId: Type.String({ format: 'uuid' }),
  role: Type.String({ description: 'draft | thumbnail | reference' }),
  name: Type.String(),
  kind: Type.String({ description: 'image | video' }),
  mimeType: Type.String(),
  byteSize: Type.Integer(),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  contentUrl: Type.String(),
  thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})

export const CardDetail = Type.Object({
  card: Type.Ref('CardSummary'),
  description: Type.String(),
  targetAccounts: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), platform: Platform, handle: Type.String(), status: Type.String() })),
  captions: Type.Array(CaptionVersionDto, { description: 'Newest first' }),
  comments: Type.Array(CommentDto, { description: 'Oldest first' }),
  activity: Type.Array(ActivityDto, { description: 'Newest first' }),
  assets: Type.Array(CardAssetDto),
  /** People who can be @mentioned in a comment on this card. */
  mentionable: Type.Array(Type.Object({ userId: Type.String({ format: 'uuid' }), name: Type.String(), handle: Type.String() })),
  /** What the caller may do here. */
  can: Type.Object({ edit: Type.Boolean(), caption: Type.Boolean(), comment: Type.Boolean(), attach: Type.Boolean() }),
})
export type CardDetail = Static<typeof CardDetail>

/** A due day (YYYY-MM-DD): the card is due by the end of it in its campaign's time zone. */
const DueDate = Type.String({ format: 'date', description: 'YYYY-MM-DD, ending at midnight in the campaign’s time zone' })

export const CreateCardBody = Type.Object(
  {
    campaignId: Type.String({ format: 'uuid' }),
    title: Type.String({ minLength: 1, maxLength: CARD_LIMITS.title, pattern: '\\S' }),
    platform: Platform,
    kind: Type.Optional(Type.String({ maxLength: 20 })),
    description: Type.Optional(Type.String({ maxLength: CARD_LIMITS.description })),
    assigneeCreatorId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    dueDate: Type.Optional(Type.Union([DueDate, Type.Null()])),
    targetAccountIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 10 })),
    caption: Type.Optional(Type.String({ maxLength: CARD_LIMITS.caption })),
  },
  { additionalProperties: false },
)
export type CreateCardBody = Static<typeof CreateCardBody>

export const UpdateCardBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: CARD_LIMITS.title, pattern: '\\S' })),
    description: Type.Optional(Type.String({ maxLength: CARD_LIMITS.description })),
    assigneeCreatorId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    dueDate: Type.Optional(Type.Union([DueDate, Type.Null()])),
    targetAccountIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 10 })),
  },
  { additionalProperties: false, minProperties: 2 },
)
export type UpdateCardBody = Static<typeof UpdateCardBody>

export const MoveCardBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    to: Column,
    /** The card that will sit directly above the moved one (null or absent: the top of the column). */
    afterCardId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    /** The card that will sit directly below (null or absent: the bottom). Give either or both. */
    beforeCardId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  },
  { additionalProperties: false },
)
export type MoveCardBody = Static<typeof MoveCardBody>

export const AddCaptionBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: CARD_LIMITS.caption, pattern: '\\S' }),
    baseVersion: Type.Integer({ minimum: 0, description: 'The caption version you edited (0 for none): a newer one answers 409 CAPTION_VERSION_CONFLICT' }),
  },
  { additionalProperties: false },
)

export const AddCommentBody = Type.Object({ body: Type.String({ minLength: 1, maxLength: CARD_LIMITS.comment, pattern: '\\S' }) }, { additionalProperties: false })

export const AttachAssetBody = Type.Object(
  { fileId: Type.String({ format: 'uuid' }), role: Type.Union([Type.Literal('draft'), Type.Literal('thumbnail'), Type.Literal('reference')]) },
  { additionalProperties: false },
)

export const CardIdParams = Type.Object({ id: Type.String({ format: 'uuid' }), fileId: Type.String({ format: 'uuid' }) }, { additionalProperties: false })

export const ImportReport = Type.Object({
  rows: Type.Integer(),
  created: Type.Integer(),
  cards: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), title: Type.String() })),
})

/** A live board event (server-sent event `card`): the card as the subscriber may see it, or its removal. An event `reload` says many cards changed at once: read the board again. */
export const BoardEvent = Type.Object({
  type: Type.Union([Type.Literal('card.upserted'), Type.Literal('card.removed')]),
  cardId: Type.String({ format: 'uuid' }),
  card: Type.Union([Type.Ref('CardSummary'), Type.Null()]),
  by: Type.Union([Type.Object({ userId: Type.Union([Type.String(), Type.Null()]), name: Type.String() }), Type.Null()]),
  at: Type.String({ format: 'date-time' }),
})
export type BoardEvent = Static<typeof BoardEvent>
