import { Type, type Static } from '@fastify/type-provider-typebox'
import { CAMPAIGN_NAME_MAX } from '../../domain/campaign'

// Mirrors CAMPAIGN_STAGES in domain/campaign.ts (a unit test keeps the two equal).
export const Stage = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('live'),
  Type.Literal('paused'),
  Type.Literal('completed'),
])

export const Campaign = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    stage: Stage,
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    workflowId: Type.String(),
    temporalWebUrl: Type.String({ description: 'Link to this campaign’s workflow run in Temporal Web' }),
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

export const CreateCampaignBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: CAMPAIGN_NAME_MAX, pattern: '\\S' }),
    startsAt: Type.Optional(Type.String({ format: 'date-time', description: 'Defaults to shortly from now' })),
    endsAt: Type.Optional(Type.String({ format: 'date-time', description: 'Defaults to one week after the start' })),
  },
  { additionalProperties: false },
)

export const CampaignWithState = Type.Object({
  campaign: Type.Ref('Campaign'),
  workflow: Type.Union([Type.Ref('WorkflowState'), Type.Null()]),
})
