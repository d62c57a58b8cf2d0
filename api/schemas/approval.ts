// Approvals: a workspace's or campaign's policy, a card's rounds, and the decision and caption-edit requests.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { APPROVAL_LIMITS, APPROVAL_MODES, DECISION_KINDS, ROUND_STATUSES, STEP_AUDIENCES, STEP_RULES } from '../../domain/approvals'
import { CAPTION_MAX } from '../../domain/ai-content'
import { ROLES } from '../../domain/permissions'
import { literals } from './common'

const Hours = Type.Integer({ minimum: 0, maximum: APPROVAL_LIMITS.dueAfterHoursMax })

export const ApprovalStepSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: APPROVAL_LIMITS.stepName }),
    audience: literals(STEP_AUDIENCES),
    rule: literals(STEP_RULES),
    approverUserIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: APPROVAL_LIMITS.approversPerStep }),
    approverRoles: Type.Array(literals(ROLES), { maxItems: ROLES.length }),
  },
  { additionalProperties: false },
)

export const ApprovalPolicySchema = Type.Object(
  {
    mode: literals(APPROVAL_MODES),
    steps: Type.Array(ApprovalStepSchema, { maxItems: APPROVAL_LIMITS.steps }),
    deadlines: Type.Object(
      {
        dueAfterHours: Type.Integer({ minimum: 1, maximum: APPROVAL_LIMITS.dueAfterHoursMax }),
        remindBeforeHours: Type.Array(Hours, { maxItems: APPROVAL_LIMITS.reminders }),
        escalateAfterHours: Type.Union([Hours, Type.Null()]),
        expireAfterHours: Type.Union([Hours, Type.Null()]),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
)

export const PolicySettings = Type.Object({
  policy: Type.Union([ApprovalPolicySchema, Type.Null()], { description: 'The policy set at this level; null: inherited' }),
  effective: ApprovalPolicySchema,
  inheritedFrom: Type.Union([Type.Literal('workspace'), Type.Literal('default'), Type.Null()]),
})

export const SetPolicyBody = Type.Object({ policy: Type.Union([ApprovalPolicySchema, Type.Null()]) }, { additionalProperties: false })
export type SetPolicyBody = Static<typeof SetPolicyBody>

const Decider = Type.Object({ userId: Type.String(), name: Type.String(), role: Type.String() })

export const ApprovalRoundView = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    cardId: Type.String({ format: 'uuid' }),
    round: Type.Integer(),
    workflowId: Type.String(),
    temporalUrl: Type.Union([Type.String(), Type.Null()]),
    status: literals(ROUND_STATUSES),
    statusLabel: Type.String(),
    mode: literals(APPROVAL_MODES),
    stepIndex: Type.Integer(),
    steps: Type.Array(Type.Object({ name: Type.String(), audience: literals(STEP_AUDIENCES), rule: literals(STEP_RULES) })),
    captionVersion: Type.Integer(),
    submittedBy: Type.Union([Type.String(), Type.Null()]),
    submittedAt: Type.String({ format: 'date-time' }),
    dueAt: Type.String({ format: 'date-time' }),
    decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    decisions: Type.Array(
      Type.Object({
        kind: literals(DECISION_KINDS),
        by: Decider,
        stepIndex: Type.Integer(),
        captionVersion: Type.Integer(),
        comment: Type.Union([Type.String(), Type.Null()]),
        at: Type.String({ format: 'date-time' }),
      }),
    ),
    comments: Type.Array(Type.Object({ commentId: Type.String(), authorName: Type.String(), at: Type.String() })),
    remindersSent: Type.Integer(),
    escalatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'ApprovalRoundView' },
)

export const CardApproval = Type.Object({
  current: Type.Union([Type.Ref('ApprovalRoundView'), Type.Null()]),
  rounds: Type.Array(Type.Ref('ApprovalRoundView')),
  policy: ApprovalPolicySchema,
  canDecide: Type.Boolean(),
  refusal: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
})

export const DecisionBody = Type.Object(
  {
    kind: literals(DECISION_KINDS),
    /** The caption version the decision is about: deciding on an older one is refused (409 STALE_VERSION). */
    captionVersion: Type.Integer({ minimum: 0 }),
    comment: Type.Optional(Type.Union([Type.String({ maxLength: APPROVAL_LIMITS.comment }), Type.Null()])),
  },
  { additionalProperties: false },
)
export type DecisionBody = Static<typeof DecisionBody>

export const CaptionEditBody = Type.Object(
  {
    captionVersion: Type.Integer({ minimum: 0 }),
    text: Type.String({ minLength: 1, maxLength: CAPTION_MAX, pattern: '\\S' }),
  },
  { additionalProperties: false },
)
export type CaptionEditBody = Static<typeof CaptionEditBody>
