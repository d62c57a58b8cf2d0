// Schemas of the publishing routes: scheduled posts, their metrics, a card's publishing targets, the calendar and
// the analytics (the shapes api/services/publishing.ts builds).
import { Type } from '@fastify/type-provider-typebox'
import { GROUP_BYS } from '../../domain/post-insights'
import { SCHEDULED_POST_STATUSES } from '../../domain/publishing'
import { literals } from './common'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
const Instant = Type.String({ format: 'date-time' })

export const MetricSnapshot = Type.Object({
  pullIndex: Type.Integer(),
  capturedAt: Instant,
  views: Type.Integer(),
  reach: Nullable(Type.Integer()),
  likes: Type.Integer(),
  comments: Type.Integer(),
  shares: Type.Integer(),
  saves: Nullable(Type.Integer()),
  clicks: Nullable(Type.Integer()),
  engagementRate: Type.Number({ description: 'Interactions over reach (or views), 0..1' }),
})

export const ScheduledPost = Type.Object({
  id: Type.String({ format: 'uuid' }),
  cardId: Type.String({ format: 'uuid' }),
  cardTitle: Type.String(),
  campaignId: Type.String({ format: 'uuid' }),
  campaignName: Type.String(),
  workspaceId: Type.String({ format: 'uuid' }),
  socialAccountId: Type.String({ format: 'uuid' }),
  platform: Type.String(),
  handle: Type.String(),
  sandbox: Type.Boolean({ description: 'Published to the local sandbox stand-in, not the real platform' }),
  creatorName: Type.String(),
  scheduledAt: Instant,
  timeZone: Type.String(),
  status: literals(SCHEDULED_POST_STATUSES),
  statusLabel: Type.String(),
  statusReason: Nullable(Type.String()),
  deferredUntil: Nullable(Instant),
  platformPostId: Nullable(Type.String()),
  permalink: Nullable(Type.String()),
  publishedAt: Nullable(Instant),
  canReschedule: Type.Boolean(),
  canCancel: Type.Boolean(),
  canVerify: Type.Boolean(),
  latest: Nullable(MetricSnapshot),
})

export const PublishTarget = Type.Object({
  socialAccountId: Type.String({ format: 'uuid' }),
  platform: Type.String(),
  handle: Type.String(),
  sandbox: Type.Boolean(),
  accountStatus: Type.String(),
  livePostId: Nullable(Type.String({ format: 'uuid' })),
  suggestion: Type.Object({
    basis: literals(['history', 'default'] as const),
    basedOnPosts: Type.Integer(),
    reason: Type.String(),
    slots: Type.Array(
      Type.Object({
        weekday: Type.Integer({ minimum: 0, maximum: 6, description: 'Sunday = 0' }),
        hour: Type.Integer({ minimum: 0, maximum: 23 }),
        label: Type.String(),
        next: Instant,
        meanEngagementRate: Nullable(Type.Number()),
      }),
    ),
  }),
})

export const CardPublishing = Type.Object({
  card: Type.Object({ id: Type.String(), title: Type.String(), column: Type.String(), campaignId: Type.String(), workspaceId: Type.String() }),
  timeZone: Type.String(),
  canSchedule: Type.Boolean(),
  whyNot: Nullable(Type.String()),
  posts: Type.Array(ScheduledPost),
  targets: Type.Array(PublishTarget),
})

export const ScheduleBody = Type.Object(
  {
    socialAccountIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 20 }),
    at: Nullable(Type.String({ format: 'date-time', description: 'When to publish; null posts now' })),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone the time was chosen in' }),
  },
  { additionalProperties: false },
)

export const RescheduleBody = Type.Object(
  { at: Type.String({ format: 'date-time' }), timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
)

export const Verification = Type.Object({
  post: ScheduledPost,
  verification: Type.Object({ outcome: literals(['published', 'absent', 'unknown'] as const), message: Type.String() }),
})

export const CalendarQuery = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    campaignId: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.Optional(literals(SCHEDULED_POST_STATUSES)),
  },
  { additionalProperties: false },
)

const GroupMetrics = {
  posts: Type.Integer(),
  views: Type.Integer(),
  reach: Type.Integer(),
  likes: Type.Integer(),
  comments: Type.Integer(),
  shares: Type.Integer(),
  saves: Type.Integer(),
  clicks: Type.Integer(),
  engagementRate: Type.Number(),
}

export const AnalyticsQuery = Type.Object(
  {
    groupBy: Type.Optional(literals(GROUP_BYS)),
    // Query strings are not coerced (api/app.ts): the number is checked as digits, 1–366.
    days: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|[12][0-9]{2}|3[0-5][0-9]|36[0-6])$', description: 'Days back, 1–366 (default 30)' })),
  },
  { additionalProperties: false },
)

export const Analytics = Type.Object({
  groupBy: literals(GROUP_BYS),
  days: Type.Integer(),
  totals: Type.Object(GroupMetrics),
  groups: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Type.String(),
      ...GroupMetrics,
      series: Type.Array(Type.Object({ date: Type.String(), views: Type.Integer(), engagementRate: Type.Number() })),
    }),
  ),
  top: Type.Array(Type.Object({ post: ScheduledPost, metrics: MetricSnapshot, reasons: Type.Array(Type.String()) })),
})
