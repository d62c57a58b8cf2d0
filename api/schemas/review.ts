// The review grid's contract: cards waiting in (or done with) an approval round, each with its caption under
// review and its AI variants side by side, scored; and decisions on many cards at once, answered per card.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { DECISION_KINDS, ROUND_STATUSES, APPROVAL_LIMITS } from '../../domain/approvals'
import { RUBRICS } from '../../domain/rubric'
import { AiProviderId } from './ai'
import { Column } from './board'
import { Platform } from './campaign'

const literals = <const T extends string>(values: readonly T[]) => Type.Enum(values as T[])

/** Cards per page of the grid. */
export const REVIEW_PAGE_SIZE = 24
/** Cards one batch decision may name. */
export const REVIEW_BATCH_MAX = 100

const Score = Type.Integer({ minimum: 0, maximum: 100 })
/** A score in a query string (not coerced): 0–100 in digits. */
const ScoreParam = Type.String({ pattern: '^(?:100|[1-9]?[0-9])$', description: '0–100' })

export const ReviewStatusFilter = literals([...ROUND_STATUSES, 'all'] as const)

export const ReviewQuery = Type.Object(
  {
    workspaceId: Type.Optional(Type.String({ format: 'uuid' })),
    campaignId: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.Optional({ ...ReviewStatusFilter, description: 'The status of each card’s latest round (default pending; all for every status)' }),
    platform: Type.Optional(Platform),
    minScore: Type.Optional({ ...ScoreParam, description: 'Lowest overall score of the caption under review (captions not written by AI have none, so they drop out)' }),
    maxScore: Type.Optional({ ...ScoreParam, description: 'Highest overall score of the caption under review' }),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|100)$', description: `Cards per page, 1–100 (default ${REVIEW_PAGE_SIZE})` })),
  },
  { additionalProperties: false },
)
export type ReviewQuery = Static<typeof ReviewQuery>

const RubricScore = Type.Object({ score: Score, reason: Type.String() })

export const ReviewVariant = Type.Object({
  id: Type.String({ format: 'uuid' }),
  variantIndex: Type.Integer(),
  angle: Type.String(),
  provider: AiProviderId,
  model: Type.String(),
  /** The caption version this variant landed on the card as, and its text there. */
  captionVersion: Type.Integer(),
  text: Type.String(),
  overall: Type.Union([Score, Type.Null()]),
  rubrics: Type.Union([Type.Object(Object.fromEntries(RUBRICS.map((rubric) => [rubric, RubricScore]))), Type.Null()]),
  /** True for the variant whose caption version the round reviews. */
  underReview: Type.Boolean(),
})
export type ReviewVariant = Static<typeof ReviewVariant>

export const ReviewAsset = Type.Object({
  fileId: Type.String({ format: 'uuid' }),
  role: Type.String({ description: 'draft | thumbnail | reference' }),
  name: Type.String(),
  kind: Type.String({ description: 'image | video' }),
  contentUrl: Type.String(),
  thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
})

export const ReviewItem = Type.Object({
  card: Type.Object({
    id: Type.String({ format: 'uuid' }),
    title: Type.String(),
    platform: Platform,
    kind: Type.Union([Type.String(), Type.Null()]),
    column: Column,
    campaign: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
    workspace: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
    assignee: Type.Union([Type.Object({ creatorId: Type.String({ format: 'uuid' }), name: Type.String() }), Type.Null()]),
    dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    /** API path of the card's preview image, as on the board. */
    thumbnailUrl: Type.Union([Type.String(), Type.Null()]),
    assets: Type.Array(ReviewAsset, { description: 'The card’s files, oldest first' }),
  }),
  /** The card's latest round: the one the grid decides in. */
  round: Type.Ref('ApprovalRoundView'),
  /** The caption version the round reviews; null when the card was submitted without a caption. */
  caption: Type.Union([
    Type.Object({
      version: Type.Integer(),
      text: Type.String(),
      source: Type.String({ description: 'manual | creator | import | ai' }),
      /** Overall score when the caption is an AI variant's. */
      overall: Type.Union([Score, Type.Null()]),
    }),
    Type.Null(),
  ]),
  /** The card's captions written by AI, scored, in the order they landed. */
  variants: Type.Array(ReviewVariant),
  /** Whether the caller may decide in the round now (the comment a change request needs aside). */
  canDecide: Type.Boolean(),
  /** Whether the caller may edit the caption under review (a new version the round then reviews). */
  canEdit: Type.Boolean(),
  /** Why the caller may not decide, in words; null when they may. */
  refusal: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
})
export type ReviewItem = Static<typeof ReviewItem>

export const ReviewList = Type.Object({
  items: Type.Array(ReviewItem),
  /** Cards matching the filters (all pages). */
  total: Type.Integer(),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
})
export type ReviewList = Static<typeof ReviewList>

export const BatchDecisionBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          cardId: Type.String({ format: 'uuid' }),
          captionVersion: Type.Integer({ minimum: 0, description: 'The caption version you read: a newer one under review answers STALE_VERSION' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: REVIEW_BATCH_MAX },
    ),
    kind: literals(DECISION_KINDS),
    comment: Type.Optional(Type.Union([Type.String({ maxLength: APPROVAL_LIMITS.comment }), Type.Null()], { description: 'Required (not blank) to request changes' })),
  },
  { additionalProperties: false },
)
export type BatchDecisionBody = Static<typeof BatchDecisionBody>

export const BatchDecisionResult = Type.Object({
  results: Type.Array(
    Type.Union([
      Type.Object({ cardId: Type.String({ format: 'uuid' }), ok: Type.Literal(true), round: Type.Ref('ApprovalRoundView') }),
      Type.Object({ cardId: Type.String({ format: 'uuid' }), ok: Type.Literal(false), error: Type.Object({ code: Type.String(), message: Type.String() }) }),
    ]),
    { description: 'One per item, in the order sent' },
  ),
})
export type BatchDecisionResult = Static<typeof BatchDecisionResult>
