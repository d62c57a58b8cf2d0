// Agency settings: plan and usage, the audit log and the e-mail outbox.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { AUDIT_ACTIONS, type AuditAction } from '../services/audit'
import { PlanIdSchema } from './auth'

const metricCounts = (description: string) =>
  Type.Object(
    {
      activeCampaigns: Type.Integer(),
      aiGenerationsPerMonth: Type.Integer(),
      seats: Type.Integer(),
      connectedAccounts: Type.Integer(),
    },
    { description },
  )

export const PlanSchema = Type.Object({
  id: PlanIdSchema,
  name: Type.String(),
  limits: metricCounts('The most of each metric the plan allows'),
})
export type PlanSchema = Static<typeof PlanSchema>

export const PlanUsageResponse = Type.Object({
  plan: PlanSchema,
  catalog: Type.Array(PlanSchema, { description: 'Every plan, smallest first' }),
  usage: metricCounts('What is in use now; seats count members and pending invites'),
  period: Type.String({ description: 'The calendar month (UTC) monthly usage counts in, e.g. 2026-11' }),
})
export type PlanUsageResponse = Static<typeof PlanUsageResponse>

export const ChangePlanBody = Type.Object({ plan: PlanIdSchema }, { additionalProperties: false })

export type { AuditAction }
export const AuditActionSchema = Type.Unsafe<AuditAction>(Type.String({ enum: [...AUDIT_ACTIONS] }))

/** `<createdAt ISO>` or `<createdAt ISO>_<id>`: the id breaks ties between events of the same millisecond. */
export const AUDIT_CURSOR_PATTERN = '^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,3})?Z)(?:_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?$'
export const AUDIT_PAGE_MAX = 200
export const AUDIT_PAGE_DEFAULT = 50

export const AuditQuery = Type.Object(
  {
    // Query strings are not coerced (api/app.ts), so the number is checked as digits and parsed by the service.
    limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: `Events per page, 1 to ${AUDIT_PAGE_MAX} (default ${AUDIT_PAGE_DEFAULT})` })),
    before: Type.Optional(Type.String({ pattern: AUDIT_CURSOR_PATTERN, description: 'Only events older than this cursor (nextBefore of the previous page)' })),
    action: Type.Optional(AuditActionSchema),
  },
  { additionalProperties: false },
)

export const AuditEventSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  actor: Type.String({ description: 'Who acted, as named when it happened ("Greenlight" for the system)' }),
  actorUserId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  action: Type.String(),
  target: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
  detail: Type.Object({}, { additionalProperties: true }),
  ip: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})
export type AuditEventDto = Static<typeof AuditEventSchema>

export const AuditPage = Type.Object({
  events: Type.Array(AuditEventSchema),
  nextBefore: Type.Union([Type.String(), Type.Null()], { description: 'Cursor for the next (older) page; null on the last page' }),
})
export type AuditPage = Static<typeof AuditPage>

export const OutboxEmail = Type.Object({
  id: Type.String({ format: 'uuid' }),
  to: Type.String(),
  subject: Type.String(),
  text: Type.Union([Type.String(), Type.Null()], { description: 'Kept only when no mail server is configured; withheld from all but the recipient for credentials such as reset links' }),
  textWithheld: Type.Boolean({ description: 'true when the text exists but only its recipient may read it (a password reset)' }),
  status: Type.Union([Type.Literal('outbox'), Type.Literal('sent'), Type.Literal('failed')]),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})
export type OutboxEmail = Static<typeof OutboxEmail>

export const OutboxResponse = Type.Object({
  mode: Type.Union([Type.Literal('smtp'), Type.Literal('outbox')], { description: 'outbox: no mail server, nothing was sent' }),
  emails: Type.Array(OutboxEmail),
})
export type OutboxResponse = Static<typeof OutboxResponse>
