// Publishing: a card's targets and posts, scheduling (or posting now), the calendar, reschedule / cancel /
// "verify on platform" (Updates to the post's run: a refusal is a 4xx and changes nothing), a post's metrics, and
// the analytics behind the dashboards.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { IdParams, errorResponses } from '../schemas/common'
import { Analytics, AnalyticsQuery, CalendarQuery, CardPublishing, MetricSnapshot, RescheduleBody, ScheduleBody, ScheduledPost, Verification } from '../schemas/publishing'
import {
  cancelPost,
  getAnalytics,
  getCardPublishing,
  getPost,
  listWorkspacePosts,
  reschedulePost,
  schedulePosts,
  verifyPost,
  type PublishingDeps,
} from '../services/publishing'

const publishingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (): PublishingDeps => ({ db: app.db, temporal: app.temporal, settings: app.settings, log: app.log })

  app.get(
    '/api/cards/:id/publishing',
    {
      config: { permission: 'card.read' },
      schema: { summary: 'A card’s target accounts with best-time suggestions, and its scheduled posts', tags: ['publishing'], params: IdParams, response: { 200: CardPublishing, ...errorResponses(401, 403, 404) } },
    },
    async (request) => getCardPublishing(request.tenantDb, request.user!, request.params.id),
  )

  app.post(
    '/api/cards/:id/scheduled-posts',
    {
      config: { permission: 'post.schedule' },
      schema: {
        summary: 'Schedule the approved card to target accounts at a time in a time zone, or post it now (at: null)',
        tags: ['publishing'],
        params: IdParams,
        body: ScheduleBody,
        response: { 201: Type.Object({ posts: Type.Array(ScheduledPost) }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const posts = await schedulePosts(deps(), request.tenantDb, request.user!, request.params.id, request.body, request.ip)
      return reply.code(201).send({ posts })
    },
  )

  app.get(
    '/api/workspaces/:id/scheduled-posts',
    {
      config: { permission: 'post.read' },
      schema: {
        summary: 'The calendar: the workspace’s posts scheduled between two instants (at most 62 days)',
        tags: ['publishing'],
        params: IdParams,
        querystring: CalendarQuery,
        response: { 200: Type.Object({ timeZone: Type.String(), posts: Type.Array(ScheduledPost) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listWorkspacePosts(request.tenantDb, request.user!, request.params.id, request.query),
  )

  app.get(
    '/api/scheduled-posts/:id',
    {
      config: { permission: 'card.read' },
      schema: { summary: 'A scheduled post and its metrics snapshots', tags: ['publishing'], params: IdParams, response: { 200: Type.Object({ post: ScheduledPost, snapshots: Type.Array(MetricSnapshot) }), ...errorResponses(401, 403, 404) } },
    },
    async (request) => getPost(request.tenantDb, request.user!, request.params.id),
  )

  app.post(
    '/api/scheduled-posts/:id/reschedule',
    {
      config: { permission: 'post.schedule' },
      schema: { summary: 'Move a post that still waits for its time', tags: ['publishing'], params: IdParams, body: RescheduleBody, response: { 200: Type.Object({ post: ScheduledPost }), ...errorResponses(400, 401, 403, 404, 409, 503) } },
    },
    async (request) => ({ post: await reschedulePost(deps(), request.tenantDb, request.user!, request.params.id, request.body, request.ip) }),
  )

  app.post(
    '/api/scheduled-posts/:id/cancel',
    {
      config: { permission: 'post.schedule' },
      schema: { summary: 'Cancel a post before anything was sent (or an unconfirmed one)', tags: ['publishing'], params: IdParams, response: { 200: Type.Object({ post: ScheduledPost }), ...errorResponses(401, 403, 404, 409, 503) } },
    },
    async (request) => ({ post: await cancelPost(deps(), request.tenantDb, request.user!, request.params.id, request.ip) }),
  )

  app.post(
    '/api/scheduled-posts/:id/verify',
    {
      config: { permission: 'post.schedule' },
      schema: { summary: 'Verify an unconfirmed post on the platform: found is published, absent publishes now', tags: ['publishing'], params: IdParams, response: { 200: Verification, ...errorResponses(401, 403, 404, 409, 503) } },
    },
    async (request) => verifyPost(deps(), request.tenantDb, request.user!, request.params.id, request.ip),
  )

  app.get(
    '/api/workspaces/:id/analytics',
    {
      config: { permission: 'post.read' },
      schema: { summary: 'Published posts’ metrics per creator, campaign or platform, with the top 3 posts and why', tags: ['publishing'], params: IdParams, querystring: AnalyticsQuery, response: { 200: Analytics, ...errorResponses(400, 401, 403, 404) } },
    },
    async (request) => getAnalytics(request.tenantDb, request.user!, request.params.id, request.query.groupBy ?? 'platform', request.query.days ? Number(request.query.days) : 30),
  )
}

export default publishingRoutes
