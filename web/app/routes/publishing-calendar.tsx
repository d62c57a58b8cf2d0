// A workspace's publishing calendar: its scheduled and published posts by month or by week, in the
// workspace's time zone. A post's chip opens its card on the board; chips the API lets move are dragged to
// another day (keeping the time of day) or day and hour (keeping the minutes) and saved at once, put back with
// the API's reason when refused. Without JavaScript the same posts are listed, each with a reschedule form.
import { useEffect, useMemo, useRef, useState } from 'react'
import { data, Form, Link, useFetcher } from 'react-router'
import type { Route } from './+types/publishing-calendar'
import { Button } from '~/components/button'
import { CsrfField, useCsrfToken } from '~/components/csrf-field'
import { ErrorPanel } from '~/components/error-panel'
import { FormError } from '~/components/form-error'
import { CalendarGrid } from '~/components/publishing/calendar-grid'
import { PlatformMark, PostStatusBadge, SandboxBadge } from '~/components/publishing/publishing-bits'
import { WorkspaceSectionHeader } from '~/components/publishing/workspace-section-header'
import { notThereAs } from '~/lib/api.server'
import {
  apiRange,
  calendarSearch,
  periodDays,
  periodLabel,
  periodStart,
  postsByDay,
  readCalendarQuery,
  rescheduleLocal,
  shiftPeriod,
  type CalendarEntry,
  type CalendarPosts,
  type CalendarQuery,
  type DropSlot,
} from '~/lib/calendar'
import { CSRF_FIELD } from '~/lib/csrf'
import { accountLabel, formatDay, instantFromWallClock, wallClockIn, type PublishingActionResult } from '~/lib/publishing'
import { readWorkspaceName, runPublishingAction } from '~/lib/publishing.server'
import { callApiAsUser, type RequestArgs } from '~/lib/session.server'

/** Drags and the list's reschedule forms share one fetcher, so their answers are handled in one place. */
const RESCHEDULE_FETCHER_KEY = 'calendar-reschedule'

/** Seven wide day columns. */
export const handle = { wide: true }

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData?.workspaceName ? `Calendar · ${loaderData.workspaceName} · Greenlight` : 'Calendar · Greenlight' },
]

const notThere = notThereAs('workspace')

function readPosts(args: RequestArgs, workspaceId: string, query: CalendarQuery): Promise<CalendarPosts> {
  const range = apiRange(periodDays(query.view, query.anchor))
  const search = new URLSearchParams(range)
  return callApiAsUser<CalendarPosts>(args, `/api/workspaces/${encodeURIComponent(workspaceId)}/scheduled-posts?${search}`)
    .then((response) => response.data)
    .catch(notThere)
}

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const args = { request, url }
  const workspaceId = params.workspaceId
  const now = new Date()
  let query = readCalendarQuery(url.searchParams, now.toISOString().slice(0, 10))
  let answer = await readPosts(args, workspaceId, query)
  // Without a day in the address the period is today's, and today is the workspace's: read again in the rare
  // hours when its date is not UTC's and that falls in another period.
  const today = wallClockIn(now, answer.timeZone).date
  if (!query.explicit && periodStart(query.view, today) !== query.anchor) {
    query = { ...query, anchor: periodStart(query.view, today) }
    answer = await readPosts(args, workspaceId, query)
  }
  // Read after the posts, for the heading only.
  const workspaceName = await readWorkspaceName(args, workspaceId)
  return { workspaceId, workspaceName, query, days: periodDays(query.view, query.anchor), today, timeZone: answer.timeZone, posts: answer.posts }
}

export async function action({ request, url }: Route.ActionArgs) {
  const form = await request.formData()
  const intent = form.get('intent')
  if (intent !== 'reschedule-post') {
    return data<PublishingActionResult>({ intent: 'reschedule-post', ok: false, postId: '', code: 'UNKNOWN_ACTION', error: 'Unknown action.', values: null }, { status: 400 })
  }
  return runPublishingAction({ request, url }, intent, form, null)
}

function resultOf(value: unknown): PublishingActionResult | undefined {
  return value && typeof value === 'object' && 'intent' in value ? (value as PublishingActionResult) : undefined
}

export default function CalendarPage({ loaderData, actionData }: Route.ComponentProps) {
  const { workspaceId, workspaceName, query, days, today, timeZone, posts } = loaderData
  const csrfToken = useCsrfToken()
  const fetcher = useFetcher<PublishingActionResult>({ key: RESCHEDULE_FETCHER_KEY })
  const [notice, setNotice] = useState<PublishingActionResult | null>(() => resultOf(actionData) ?? null)
  const handled = useRef<unknown>(fetcher.data)
  const path = `/workspaces/${workspaceId}/calendar`
  const here = `${path}?${calendarSearch(query.view, query.anchor)}`

  // A plain form post (without JavaScript) answers through actionData.
  useEffect(() => setNotice(resultOf(actionData) ?? null), [actionData])
  // The API's answer to a drag or a list form: the saved time (the page reads the posts again), or the reason.
  useEffect(() => {
    if (fetcher.state !== 'idle' || !fetcher.data || handled.current === fetcher.data) return
    handled.current = fetcher.data
    setNotice(fetcher.data)
  }, [fetcher.state, fetcher.data])

  // While a move is saved the chip shows where it was dropped; a refusal puts it back (the posts are unchanged).
  const moving = fetcher.state !== 'idle' ? fetcher.formData : undefined
  const movingPostId = moving ? String(moving.get('postId') ?? '') : null
  const shown = useMemo(() => {
    if (!moving || !movingPostId) return posts
    const reading = instantFromWallClock(String(moving.get('local') ?? ''), String(moving.get('timeZone') ?? ''))
    return reading.ok ? posts.map((post) => (post.id === movingPostId ? { ...post, scheduledAt: reading.at.toISOString() } : post)) : posts
  }, [posts, moving, movingPostId])
  const byDay = useMemo(() => postsByDay(shown, timeZone, days), [shown, timeZone, days])
  const onScreen = [...byDay.values()].reduce((total, entries) => total + entries.length, 0)

  function handleDrop(entry: CalendarEntry, slot: DropSlot) {
    const local = rescheduleLocal(entry, slot)
    if (local === null) return
    // The time is the workspace's on screen; the post keeps its own audience zone (keepZone).
    void fetcher.submit({ intent: 'reschedule-post', postId: entry.post.id, local, timeZone, keepZone: '1', [CSRF_FIELD]: csrfToken }, { method: 'post', action: here })
  }

  const monthOf = query.view === 'month' ? query.anchor.slice(0, 7) : null
  const weekDate = query.view === 'month' && days.includes(today) && today.slice(0, 7) === monthOf ? today : query.anchor
  return (
    <div className="space-y-5">
      <WorkspaceSectionHeader workspaceId={workspaceId} workspaceName={workspaceName} title="Publishing calendar" testId="calendar-title">
        Times in <span className="font-medium text-slate-800" data-testid="calendar-zone">{timeZone}</span>, the workspace’s time zone.
      </WorkspaceSectionHeader>

      <nav className="flex flex-wrap items-center justify-between gap-3" aria-label="Calendar period">
        <div className="flex items-center gap-2">
          <Link to={`${path}?${calendarSearch(query.view, shiftPeriod(query.view, query.anchor, -1))}`} className={NAV_BUTTON} data-testid="calendar-previous" aria-label={`Previous ${query.view}`}>
            ←
          </Link>
          <Link to={`${path}?view=${query.view}`} className={NAV_BUTTON} data-testid="calendar-today">
            Today
          </Link>
          <Link to={`${path}?${calendarSearch(query.view, shiftPeriod(query.view, query.anchor, 1))}`} className={NAV_BUTTON} data-testid="calendar-next" aria-label={`Next ${query.view}`}>
            →
          </Link>
          <h2 className="ml-2 text-lg font-semibold text-slate-900" data-testid="calendar-period">
            {periodLabel(query.view, query.anchor)}
          </h2>
        </div>
        <div className="inline-flex rounded-md shadow-sm ring-1 ring-slate-300" role="group" aria-label="View">
          {(['month', 'week'] as const).map((view) => (
            <Link
              key={view}
              to={`${path}?${calendarSearch(view, view === 'week' ? weekDate : query.anchor)}`}
              aria-current={query.view === view ? 'page' : undefined}
              className={`px-3 py-1.5 text-sm font-medium first:rounded-l-md last:rounded-r-md ${query.view === view ? 'bg-slate-900 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'}`}
              data-testid={`calendar-view-${view}`}
            >
              {view === 'month' ? 'Month' : 'Week'}
            </Link>
          ))}
        </div>
      </nav>

      <p className="text-xs text-slate-500">
        Drag a post by its handle to another {query.view === 'month' ? 'day; it keeps its time of day' : 'day and hour; it keeps its minutes'}. Only posts that have not gone out yet move.
      </p>

      <CalendarGrid
        view={query.view}
        days={days}
        month={monthOf}
        today={today}
        byDay={byDay}
        cardHref={(entry) => `/workspaces/${workspaceId}/board/cards/${entry.post.cardId}`}
        savingPostId={movingPostId}
        busy={fetcher.state !== 'idle'}
        onDrop={handleDrop}
      />

      <PostList byDay={byDay} total={onScreen} action={here} workspaceId={workspaceId} timeZone={timeZone} result={notice} savingPostId={movingPostId} />

      {notice && (notice.ok || notice.code !== 'UNKNOWN_ACTION') && <CalendarNotice result={notice} onDismiss={() => setNotice(null)} />}
    </div>
  )
}

const NAV_BUTTON = 'rounded-md bg-white px-3 py-1.5 text-sm font-semibold text-slate-700 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50'

function CalendarNotice({ result, onDismiss }: { result: PublishingActionResult; onDismiss: () => void }) {
  return (
    <div
      role={result.ok ? 'status' : 'alert'}
      className={`fixed right-6 bottom-6 z-50 flex max-w-md items-start gap-3 rounded-lg bg-white px-4 py-3 text-sm shadow-lg ring-1 ${result.ok ? 'ring-emerald-200' : 'ring-red-200'}`}
      data-testid="calendar-notice"
      data-ok={result.ok}
    >
      <span aria-hidden className={`mt-1 size-2 shrink-0 rounded-full ${result.ok ? 'bg-emerald-500' : 'bg-red-500'}`} />
      <div className="flex-1">
        <p className={`font-semibold ${result.ok ? 'text-emerald-800' : 'text-red-700'}`}>{result.ok ? 'Rescheduled' : 'The post was not moved'}</p>
        <p className="mt-0.5 text-slate-700" data-testid="calendar-notice-message">
          {result.ok ? result.notice : result.error}
        </p>
      </div>
      <button type="button" onClick={onDismiss} className="rounded px-1 text-slate-400 hover:text-slate-600" aria-label="Dismiss">
        ×
      </button>
    </div>
  )
}

interface PostListProps {
  byDay: ReadonlyMap<string, CalendarEntry[]>
  total: number
  action: string
  workspaceId: string
  timeZone: string
  result: PublishingActionResult | null
  /** The post a drag or a list form is saving (with JavaScript; without it the page itself is loading). */
  savingPostId: string | null
}

/** Every post on screen as a list, each with a reschedule form: the calendar without JavaScript or a pointer. */
function PostList({ byDay, total, action, workspaceId, timeZone, result, savingPostId }: PostListProps) {
  const days = [...byDay.entries()].filter(([, entries]) => entries.length > 0)
  return (
    <section aria-labelledby="calendar-list-heading" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="calendar-list">
      <h2 id="calendar-list-heading" className="text-sm font-semibold text-slate-900">
        Posts in this period <span className="font-normal text-slate-500">· {total}</span>
      </h2>
      {days.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500" data-testid="calendar-empty">
          Nothing is scheduled in this period. Approved cards are scheduled from their drawer on the{' '}
          <Link to={`/workspaces/${workspaceId}/board`} className="font-medium text-emerald-700 hover:text-emerald-600">
            board
          </Link>
          .
        </p>
      ) : (
        <ol className="mt-3 space-y-4">
          {days.map(([date, entries]) => (
            <li key={date}>
              <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{formatDay(date)}</h3>
              <ul className="mt-1 divide-y divide-slate-100">
                {entries.map((entry) => {
                  const mine = result && result.intent === 'reschedule-post' && result.postId === entry.post.id ? result : null
                  const saving = savingPostId === entry.post.id
                  return (
                    <li key={entry.post.id} className="py-2" data-testid="calendar-list-post" data-post-id={entry.post.id}>
                      <div className="flex flex-wrap items-center gap-2 text-sm">
                        <span className="font-mono text-xs text-slate-600">{entry.clock.time}</span>
                        <PlatformMark platform={entry.post.platform} />
                        <Link to={`/workspaces/${workspaceId}/board/cards/${entry.post.cardId}`} className="font-medium text-slate-900 hover:text-emerald-700">
                          {entry.post.cardTitle}
                        </Link>
                        <span className="text-xs text-slate-500">
                          {accountLabel(entry.post)} · {entry.post.campaignName}
                        </span>
                        {entry.post.sandbox && <SandboxBadge />}
                        <PostStatusBadge post={entry.post} />
                      </div>
                      {entry.post.canReschedule && (
                        <details className="mt-1" open={(mine && !mine.ok) || undefined}>
                          <summary className="cursor-pointer text-xs font-medium text-slate-600">Reschedule</summary>
                          <Form method="post" action={action} navigate={false} fetcherKey={RESCHEDULE_FETCHER_KEY} preventScrollReset className="mt-2 flex flex-wrap items-end gap-2" data-testid="calendar-reschedule-form">
                            <CsrfField />
                            <input type="hidden" name="intent" value="reschedule-post" />
                            <input type="hidden" name="postId" value={entry.post.id} />
                            <input type="hidden" name="timeZone" value={timeZone} />
                            <input type="hidden" name="keepZone" value="1" />
                            <label className="text-xs font-medium text-slate-700">
                              New time ({timeZone})
                              <input
                                type="datetime-local"
                                name="local"
                                defaultValue={mine && !mine.ok && mine.values ? mine.values.local : entry.clock.local}
                                className="mt-1 block rounded-md border-0 px-2 py-1 text-sm ring-1 ring-slate-300 ring-inset"
                              />
                            </label>
                            <Button type="submit" variant="secondary" disabled={saving}>
                              Move
                            </Button>
                          </Form>
                        </details>
                      )}
                      {mine && !mine.ok && (
                        <div className="mt-1">
                          <FormError message={mine.error} />
                        </div>
                      )}
                    </li>
                  )
                })}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
