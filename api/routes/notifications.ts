// The signed-in user's in-app notifications (e.g. "reconnect this account"): list, and mark as read.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Notification as NotificationRow } from '../../generated/prisma/client'
import { notFound } from '../errors'
import { IdParams, errorResponses } from '../schemas/common'
import { Notification, NotificationList } from '../schemas/creator'

const LIST_LIMIT = 100

function toNotificationDto(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  }
}

const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/notifications',
    {
      config: { permission: 'notifications.read' },
      schema: {
        summary: `Your notifications, newest first (up to ${LIST_LIMIT}), and how many are unread`,
        tags: ['notifications'],
        response: { 200: NotificationList, ...errorResponses(401) },
      },
    },
    async (request) => {
      const userId = request.user!.id
      const [rows, unread] = await Promise.all([
        request.tenantDb.notification.findMany({ where: { userId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: LIST_LIMIT }),
        request.tenantDb.notification.count({ where: { userId, readAt: null } }),
      ])
      return { notifications: rows.map(toNotificationDto), unread }
    },
  )

  app.post(
    '/api/notifications/:id/read',
    {
      config: { permission: 'notifications.read' },
      schema: {
        summary: 'Mark one of your notifications as read (again: no change)',
        tags: ['notifications'],
        params: IdParams,
        response: { 200: Type.Object({ notification: Notification }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      // Someone else's notification is simply not found, like another agency's.
      const row = await request.tenantDb.notification.findFirst({ where: { id: request.params.id, userId: request.user!.id } })
      if (!row) throw notFound('Notification')
      const updated = row.readAt ? row : await request.tenantDb.notification.update({ where: { id: row.id }, data: { readAt: new Date() } })
      return { notification: toNotificationDto(updated) }
    },
  )

  app.post(
    '/api/notifications/read-all',
    {
      config: { permission: 'notifications.read' },
      schema: {
        summary: 'Mark all your notifications as read',
        tags: ['notifications'],
        response: { 200: Type.Object({ marked: Type.Integer() }), ...errorResponses(401) },
      },
    },
    async (request) => {
      const { count } = await request.tenantDb.notification.updateMany({ where: { userId: request.user!.id, readAt: null }, data: { readAt: new Date() } })
      return { marked: count }
    },
  )
}

export default notificationRoutes
