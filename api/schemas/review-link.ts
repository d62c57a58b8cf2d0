// Client review links: making, listing and revoking them (signed in), and what a client sees and sends through
// one (public, the token in the path).
import { Type, type Static, type TSchema } from '@fastify/type-provider-typebox'
import { APPROVAL_LIMITS, DECISION_KINDS, ROUND_STATUSES, STEP_AUDIENCES } from '../../domain/approvals'
import { REVIEW_ASSET_VARIANTS, REVIEW_LINK_LIMITS, REVIEW_LINK_STATUSES, REVIEW_TOKEN_MAX_LENGTH } from '../../domain/review-links'
import { Email } from './auth'
import { Platform } from './campaign'
import { literals } from './common'
const Uuid = Type.String({ format: 'uuid' })
const Timestamp = Type.String({ format: 'date-time' })
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const CreateReviewLinkBody = Type.Object(
  {
    workspaceId: Uuid,
    cardIds: Type.Array(Uuid, { minItems: 1, maxItems: REVIEW_LINK_LIMITS.cards, description: `1 to ${REVIEW_LINK_LIMITS.cards} cards of the workspace` }),
    clientName: Type.String({ minLength: 1, maxLength: REVIEW_LINK_LIMITS.clientName, pattern: '\\S', description: 'Who reviews: their decisions and comments carry this name' }),
    clientEmail: Type.Optional(Nullable(Email)),
    expiresInDays: Type.Integer({ minimum: REVIEW_LINK_LIMITS.expiresInDaysMin, maximum: REVIEW_LINK_LIMITS.expiresInDaysMax }),
  },
  { additionalProperties: false },
)
export type CreateReviewLinkBody = Static<typeof CreateReviewLinkBody>

export const ReviewLinkDto = Type.Object({
  id: Uuid,
  workspaceId: Uuid,
  clientName: Type.String(),
  clientEmail: Nullable(Type.String()),
  cardIds: Type.Array(Uuid),
  status: literals(REVIEW_LINK_STATUSES),
  expiresAt: Timestamp,
  revokedAt: Nullable(Timestamp),
  revokedBy: Nullable(Type.String({ description: 'Name of the member who revoked it' })),
  createdBy: Nullable(Type.String({ description: 'Name of the member who made it; null once they left' })),
  lastUsedAt: Nullable(Timestamp),
  createdAt: Timestamp,
})
export type ReviewLinkDto = Static<typeof ReviewLinkDto>

export const ReviewLinkCreated = Type.Object({
  link: ReviewLinkDto,
  url: Type.String({ description: 'The link to give the client: shown this once, never stored' }),
  emailStatus: Nullable(
    Type.Union([Type.Literal('outbox'), Type.Literal('sent'), Type.Literal('failed')], {
      description: 'When clientEmail was given: outbox (no mail server, the e-mail waits in the outbox), sent, or failed',
    }),
  ),
})
export type ReviewLinkCreated = Static<typeof ReviewLinkCreated>

export const ReviewLinkList = Type.Object({ links: Type.Array(ReviewLinkDto, { description: 'Newest first' }) })
export type ReviewLinkList = Static<typeof ReviewLinkList>

export const ListReviewLinksQuery = Type.Object({ workspaceId: Uuid }, { additionalProperties: false })

// ---------------------------------------------------------------------------------------------------------
// Public, through the token

const Token = Type.String({ minLength: 1, maxLength: REVIEW_TOKEN_MAX_LENGTH })

export const ReviewTokenParams = Type.Object({ token: Token }, { additionalProperties: false })

export const ReviewAssetParams = Type.Object({ token: Token, fileId: Uuid, variant: literals(REVIEW_ASSET_VARIANTS) }, { additionalProperties: false })

export const ReviewAsset = Type.Object({
  fileId: Uuid,
  role: Type.String({ description: 'draft | thumbnail' }),
  kind: Type.String({ description: 'image | video' }),
  mimeType: Type.String(),
  name: Type.String(),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  hasThumbnail: Type.Boolean(),
})

export const ReviewCard = Type.Object({
  id: Uuid,
  title: Type.String(),
  platform: Platform,
  caption: Nullable(Type.Object({ version: Type.Integer(), text: Type.String() }, { description: 'The version under review, else the latest' })),
  assets: Type.Array(ReviewAsset),
  round: Nullable(
    Type.Object({
      round: Type.Integer(),
      status: literals(ROUND_STATUSES),
      statusLabel: Type.String(),
      stepName: Nullable(Type.String()),
      stepAudience: Nullable(literals(STEP_AUDIENCES)),
      captionVersion: Type.Integer(),
      dueAt: Timestamp,
      /** This client's own decisions in the round. */
      yourDecisions: Type.Array(Type.Object({ kind: literals(DECISION_KINDS), comment: Nullable(Type.String()), captionVersion: Type.Integer(), at: Timestamp })),
    }),
  ),
  canDecide: Type.Boolean({ description: 'Whether the client may decide now: the round waits in a step they approve in' }),
  waitingFor: Nullable(Type.String({ description: 'Why the client cannot decide now, in words for them' })),
})
export type ReviewCard = Static<typeof ReviewCard>

export const PublicReview = Type.Object({
  clientName: Type.String(),
  agencyName: Type.String(),
  workspace: Type.Object({ name: Type.String(), clientName: Type.String() }),
  expiresAt: Timestamp,
  cards: Type.Array(ReviewCard, { description: 'The shared cards only, in the order they were shared' }),
})
export type PublicReview = Static<typeof PublicReview>

export const PublicDecisionBody = Type.Object(
  {
    cardId: Uuid,
    kind: literals(DECISION_KINDS),
    /** The caption version decided on: an older one is refused (409 STALE_VERSION). */
    captionVersion: Type.Integer({ minimum: 0 }),
    comment: Type.Optional(Nullable(Type.String({ maxLength: APPROVAL_LIMITS.comment }))),
  },
  { additionalProperties: false },
)
export type PublicDecisionBody = Static<typeof PublicDecisionBody>

/** The answer to a client's decision: the card as the client now sees it, never the team's view of the round. */
export const PublicDecisionResult = Type.Object({ card: ReviewCard })
export type PublicDecisionResult = Static<typeof PublicDecisionResult>

export const PublicCommentBody = Type.Object(
  { cardId: Uuid, text: Type.String({ minLength: 1, maxLength: REVIEW_LINK_LIMITS.comment, pattern: '\\S' }) },
  { additionalProperties: false },
)
export type PublicCommentBody = Static<typeof PublicCommentBody>

export const PublicCommentCreated = Type.Object({
  comment: Type.Object({ id: Uuid, cardId: Uuid, authorName: Type.String(), body: Type.String(), createdAt: Timestamp }),
})
export type PublicCommentCreated = Static<typeof PublicCommentCreated>
