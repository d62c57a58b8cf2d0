import { data, Form, Link, useNavigation } from 'react-router'
import type { Route } from './+types/notifications'
import type { Notification, NotificationList } from '../../../api/schemas/creator.ts'
import { Button } from '~/components/button'
import { CsrfField } from '~/components/csrf-field'
import { ErrorPanel } from '~/components/error-panel'
import { FormError } from '~/components/form-error'
import { LocalTime } from '~/components/local-time'
import { ApiError, rethrowAsRouteError } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'Notifications · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  const response = await callApiAsUser<NotificationList>({ request, url }, '/api/notifications').catch(rethrowAsRouteError)
  return response.data
}

export async function action({ request, url }: Route.ActionArgs) {
  const formData = await request.formData()
  const csrf = formData.get(CSRF_FIELD)
  const intent = formData.get('intent')
  try {
    if (intent === 'read') {
      const id = String(formData.get('notificationId') ?? '')
      await callApiAsUser({ request, url }, `/api/notifications/${encodeURIComponent(id)}/read`, { method: 'POST', csrf })
      return { error: undefined }
    }
    if (intent === 'read-all') {
      await callApiAsUser({ request, url }, '/api/notifications/read-all', { method: 'POST', csrf })
      return { error: undefined }
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return data({ error: error.message }, { status: error.status })
  }
  return data({ error: 'Choose a notification to mark as read.' }, { status: 400 })
}

function NotificationItem({ notification }: { notification: Notification }) {
  const navigation = useNavigation()
  const marking = navigation.state === 'submitting' && navigation.formData?.get('notificationId') === notification.id
  const unread = notification.readAt === null
  // Links are paths inside Greenlight; anything else is not followed.
  const link = notification.link?.startsWith('/') && !notification.link.startsWith('//') ? notification.link : null
  return (
    <li className={`flex flex-wrap items-start justify-between gap-3 px-5 py-4 ${unread ? 'bg-white' : 'bg-slate-50'}`} data-testid="notification" data-unread={unread}>
      <div className="min-w-0 space-y-1">
        <p className="flex items-center gap-2 font-medium text-slate-900">
          {unread && <span aria-label="Unread" className="size-2 rounded-full bg-emerald-500" />}
          {notification.title}
        </p>
        <p className="text-sm text-slate-600">{notification.body}</p>
        <p className="text-xs text-slate-500">
          <LocalTime iso={notification.createdAt} />
          {link && (
            <>
              {' · '}
              <Link to={link} className="font-semibold text-emerald-700 hover:text-emerald-600">
                Open
              </Link>
            </>
          )}
        </p>
      </div>
      {unread && (
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="intent" value="read" />
          <input type="hidden" name="notificationId" value={notification.id} />
          <Button type="submit" variant="secondary" disabled={marking} data-testid="mark-read">
            Mark read
          </Button>
        </Form>
      )}
    </li>
  )
}

export default function Notifications({ loaderData, actionData }: Route.ComponentProps) {
  const { notifications, unread } = loaderData
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Notifications</h1>
          <p className="mt-1 text-sm text-slate-500" data-testid="unread-count">
            {unread === 0 ? 'Nothing unread.' : `${unread} unread.`}
          </p>
        </div>
        {unread > 0 && (
          <Form method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="read-all" />
            <Button type="submit" variant="secondary" data-testid="mark-all-read">
              Mark all read
            </Button>
          </Form>
        )}
      </header>
      <FormError message={actionData?.error} />
      {notifications.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500" data-testid="no-notifications">
          No notifications yet. You hear here when, for example, a connected account needs to be reconnected.
        </p>
      ) : (
        <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg shadow-sm ring-1 ring-slate-200">
          {notifications.map((notification) => (
            <NotificationItem key={notification.id} notification={notification} />
          ))}
        </ul>
      )}
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
