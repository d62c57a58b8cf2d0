import { useEffect, useState } from 'react'
import { Form, Link, useFetcher } from 'react-router'
import type { Route } from './+types/settings-audit'
import type { AuditPage } from '../../../api/schemas/agency.ts'
import { AUDIT_ACTION_LABELS, AuditTable } from '~/components/audit-table'
import { Button } from '~/components/button'
import { ErrorPanel } from '~/components/error-panel'
import { rethrowAsRouteError } from '~/lib/api.server'
import { callApiAsUser } from '~/lib/session.server'

const PAGE_SIZE = 50

export const meta: Route.MetaFunction = () => [{ title: 'Audit log · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  const action = url.searchParams.get('action') ?? ''
  const before = url.searchParams.get('before') ?? ''
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) })
  if (action) query.set('action', action)
  if (before) query.set('before', before)
  const response = await callApiAsUser<AuditPage>({ request, url }, `/api/agency/audit?${query}`).catch(rethrowAsRouteError)
  return { ...response.data, action, before }
}

export default function SettingsAudit({ loaderData }: Route.ComponentProps) {
  const olderPages = useFetcher<typeof loader>()
  const [older, setOlder] = useState<AuditPage[]>([])
  // A new first page (another filter) starts the list over.
  useEffect(() => setOlder([]), [loaderData])
  useEffect(() => {
    const page = olderPages.data
    if (page) setOlder((pages) => (pages.includes(page) ? pages : [...pages, page]))
  }, [olderPages.data])

  const events = [...loaderData.events, ...older.flatMap((page) => page.events)]
  const nextBefore = (older.at(-1) ?? loaderData).nextBefore
  const loading = olderPages.state !== 'idle'

  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h2 className="text-lg font-semibold">Audit log</h2>
          <p className="mt-1 text-sm text-slate-500">Security-relevant actions in this agency, newest first. Only owners see this page.</p>
        </div>
        <Form method="get" className="flex items-end gap-2" data-testid="audit-filter">
          <div>
            <label htmlFor="audit-action" className="block text-sm font-medium text-slate-700">
              Action
            </label>
            <select
              id="audit-action"
              name="action"
              defaultValue={loaderData.action}
              key={loaderData.action}
              className="mt-1 block rounded-md border-0 py-2 pr-8 pl-3 text-sm shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-emerald-600"
            >
              <option value="">All actions</option>
              {Object.entries(AUDIT_ACTION_LABELS).map(([action, label]) => (
                <option key={action} value={action}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </Form>
      </header>
      {loaderData.before && (
        <Link to={loaderData.action ? `?action=${encodeURIComponent(loaderData.action)}` : '.'} className="text-sm font-medium text-emerald-700 hover:text-emerald-600">
          ← Newest events
        </Link>
      )}
      <AuditTable events={events} />
      {nextBefore && (
        // Without JavaScript this is a plain link to the next page; with it, the older events are appended.
        <olderPages.Form method="get" className="flex justify-center">
          {loaderData.action && <input type="hidden" name="action" value={loaderData.action} />}
          <input type="hidden" name="before" value={nextBefore} />
          <Button type="submit" variant="secondary" disabled={loading} data-testid="audit-load-older">
            {loading ? 'Loading…' : 'Load older'}
          </Button>
        </olderPages.Form>
      )}
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
