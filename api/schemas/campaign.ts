import { Type, type Static } from '@fastify/type-provider-typebox'
import { SOCIAL_PLATFORMS } from '../../domain/brand-kit'
import {
  BRIEF_LIMITS,
  BRIEF_REFERENCE_KINDS,
  BRIEF_STATUSES,
  CURRENCY_CODES,
  DELIVERABLE_LIMITS,
  INDUSTRY_TEMPLATE_IDS,
  OBJECTIVES,
  READINESS_CODES,
} from '../../domain/campaign-brief'

const literals = <const T extends string>(values: readonly T[]) => Type.Enum(values as T[])

// Mirrors CAMPAIGN_STAGES in domain/campaign.ts (a unit test keeps the two equal).
export const Stage = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('live'),
  Type.Literal('paused'),
  Type.Literal('completed'),
])

export const Platform = literals(SOCIAL_PLATFORMS)
export const BriefStatus = literals(BRIEF_STATUSES)
export const Objective = literals(OBJECTIVES)
export const Currency = literals(CURRENCY_CODES)
export const TemplateId = literals(INDUSTRY_TEMPLATE_IDS)
const LocalDateTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2})?$',
  description: 'Wall-clock time in the brief’s time zone, e.g. 2026-12-01T09:00 (seconds optional)',
})

export const BriefReference = Type.Union([
  Type.Object({ kind: Type.Union([Type.Literal('link'), Type.Literal('example_post')]), url: Type.String({ maxLength: BRIEF_LIMITS.referenceUrl }), note: Type.String({ maxLength: BRIEF_LIMITS.referenceNote }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('upload'), fileId: Type.String({ format: 'uuid', description: 'A workspace asset (moodboard upload)' }), note: Type.String({ maxLength: BRIEF_LIMITS.referenceNote }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('idea'), note: Type.String({ maxLength: BRIEF_LIMITS.referenceNote }) }, { additionalProperties: false }),
])
void BRIEF_REFERENCE_KINDS

export const Deliverable = Type.Object({
  id: Type.String({ format: 'uuid' }),
  creatorId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  creatorName: Type.Union([Type.String(), Type.Null()]),
  platform: Platform,
  kind: Type.String(),
  count: Type.Integer(),
  /** Cards created for it so far (one per unit once it has a creator). */
  cardCount: Type.Integer(),
})
export type Deliverable = Static<typeof Deliverable>

export const Campaign = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    workspaceId: Type.String({ format: 'uuid' }),
    workspaceName: Type.String(),
    name: Type.String(),
    status: BriefStatus,
    objective: Objective,
    audience: Type.String(),
    platforms: Type.Array(Platform),
    startsAtLocal: Type.Union([Type.String(), Type.Null()]),
    endsAtLocal: Type.Union([Type.String(), Type.Null()]),
    timeZone: Type.String(),
    startsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    endsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    budgetMinor: Type.Integer({ description: 'Budget in minor units of the currency (cents)' }),
    currency: Currency,
    contentVolume: Type.Integer(),
    keyMessages: Type.Array(Type.String()),
    references: Type.Array(BriefReference),
    templateId: Type.Union([TemplateId, Type.Null()]),
    stage: Type.Union([Stage, Type.Null()], { description: 'Workflow stage once launched' }),
    brandKitVersion: Type.Union([Type.Integer(), Type.Null()]),
    launchedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    workflowId: Type.String(),
    temporalWebUrl: Type.Union([Type.String(), Type.Null()], { description: 'Link to the workflow run in Temporal Web, once launched' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Campaign' },
)
export type Campaign = Static<typeof Campaign>

export const WorkflowState = Type.Object(
  {
    status: Type.String({ description: 'Temporal execution status: RUNNING, COMPLETED, FAILED, ...' }),
    stage: Type.Union([Stage, Type.Null()]),
    paused: Type.Boolean(),
    nextWakeAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    history: Type.Array(
      Type.Object({
        stage: Stage,
        at: Type.String({ format: 'date-time' }),
        by: Type.Optional(Type.String({ description: 'Who paused or resumed; absent for scheduled changes' })),
      }),
    ),
  },
  { $id: 'WorkflowState' },
)
export type WorkflowState = Static<typeof WorkflowState>

export const CampaignEvent = Type.Object({
  kind: Type.String(),
  detail: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
})

export const ReadinessItem = Type.Object({
  code: literals(READINESS_CODES),
  message: Type.String(),
  path: Type.Optional(Type.String()),
  platform: Type.Optional(Platform),
})
export const Readiness = Type.Object({
  ready: Type.Boolean(),
  missing: Type.Array(ReadinessItem),
  brandKitVersion: Type.Union([Type.Integer(), Type.Null()]),
})
export type Readiness = Static<typeof Readiness>

/** The editable brief. On create every field is optional (a template or defaults fill them); on PATCH too. */
const briefFields = {
  name: Type.String({ minLength: 1, maxLength: BRIEF_LIMITS.name, pattern: '\\S' }),
  objective: Objective,
  audience: Type.String({ maxLength: BRIEF_LIMITS.audience }),
  platforms: Type.Array(Platform, { maxItems: SOCIAL_PLATFORMS.length }),
  startsAtLocal: Type.Union([LocalDateTime, Type.Null()]),
  endsAtLocal: Type.Union([LocalDateTime, Type.Null()]),
  timeZone: Type.String({ minLength: 1, maxLength: 64 }),
  budgetMinor: Type.Integer({ minimum: 0 }),
  currency: Currency,
  contentVolume: Type.Integer({ minimum: BRIEF_LIMITS.minContentVolume, maximum: BRIEF_LIMITS.maxContentVolume }),
  keyMessages: Type.Array(Type.String({ maxLength: BRIEF_LIMITS.keyMessage }), { maxItems: BRIEF_LIMITS.keyMessages }),
  references: Type.Array(BriefReference, { maxItems: BRIEF_LIMITS.references }),
}

const optionalBriefFields = Type.Partial(Type.Object(briefFields))

export const CreateCampaignBody = Type.Object(
  {
    workspaceId: Type.String({ format: 'uuid' }),
    templateId: Type.Optional(TemplateId),
    ...optionalBriefFields.properties,
  },
  { additionalProperties: false },
)
export type CreateCampaignBody = Static<typeof CreateCampaignBody>

export const UpdateCampaignBody = Type.Partial(Type.Object(briefFields), { additionalProperties: false, minProperties: 1 })
export type UpdateCampaignBody = Static<typeof UpdateCampaignBody>

export const DeliverableInput = Type.Object(
  {
    id: Type.Optional(Type.String({ format: 'uuid', description: 'An existing deliverable to keep; omit for a new one' })),
    creatorId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    platform: Platform,
    kind: Type.String({ minLength: 1, maxLength: 20 }),
    count: Type.Integer({ minimum: DELIVERABLE_LIMITS.minCount, maximum: DELIVERABLE_LIMITS.maxCount }),
  },
  { additionalProperties: false },
)
export const SaveDeliverablesBody = Type.Object(
  { deliverables: Type.Array(DeliverableInput, { maxItems: 50 }) },
  { additionalProperties: false },
)
export type SaveDeliverablesBody = Static<typeof SaveDeliverablesBody>

export const ChangeStatusBody = Type.Object({ to: BriefStatus }, { additionalProperties: false })

export const CampaignDetail = Type.Object({
  campaign: Type.Ref('Campaign'),
  deliverables: Type.Array(Deliverable),
  readiness: Readiness,
  workflow: Type.Union([Type.Ref('WorkflowState'), Type.Null()]),
  events: Type.Array(CampaignEvent),
  /** Status changes the caller may make from here, with their button labels. */
  nextStatuses: Type.Array(Type.Object({ to: BriefStatus, label: Type.String() })),
})
export type CampaignDetail = Static<typeof CampaignDetail>

export const CampaignListQuery = Type.Object(
  {
    workspaceId: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.Optional(BriefStatus),
  },
  { additionalProperties: false },
)

export const Template = Type.Object({
  id: TemplateId,
  label: Type.String(),
  description: Type.String(),
  suggestedName: Type.String(),
  objective: Objective,
  platforms: Type.Array(Platform),
  contentVolume: Type.Integer(),
  suggestedBudgetMinor: Type.Integer(),
  deliverableMix: Type.Array(Type.Object({ platform: Platform, kind: Type.String(), count: Type.Integer() })),
})
