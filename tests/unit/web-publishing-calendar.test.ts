// The publishing calendar against a stand-in API: the range its loader asks for, where the answer's posts land
// in a month and a week in the answer's time zone (not the server's, not UTC), what the page offers without
// JavaScript, the reschedule action's body and refusals, and the workspace navigation that leads here.
// Dragging in the browser: web-publishing-browser.test.ts.
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { createRoutesStub } from 'react-router'
import { describe, expect, it } from 'vitest'
import { scheduledPostView } from '../support/publishing-views'
import { useScriptedApi } from '../support/scripted-api'
import type { ScheduledPostView } from '../../web/app/lib/publishing.ts'
import CalendarPage, { action as calendarAction, loader as calendarLoader } from '../../web/app/routes/publishing-calendar.tsx'
import SignedInLayout from '../../web/app/routes/signed-in.tsx'

const api = useScriptedApi()

const WORKSPACE = '5b1d0f4e-8c43-4a55-9a38-2f7e1c6b9d10'
const CAMPAIGN = '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a'
const CARD = '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b'
const MIDNIGHT = '6d4c9f5b-2e7a-4b0d-9f8c-5a4b3e2d1f0a'
const FIRST_DAY = '7e5d0a6c-3f8b-4c1e-8a9d-6b5c4f3e2a1b'
const AFTER = '8f6e1b7d-4a9c-4d2f-9b0e-7c6d5a4f3b2c'
const PUBLISHED = '9a7f2c8e-5b0d-4e3a-8c1f-8d7e6b5a4c3d'

const user = { id: 'u1', role: 'editor', permissions: ['card.read', 'card.write', 'post.read', 'post.schedule'], csrfToken: 'csrf-1' }

const post = (id: string, scheduledAt: string, overrides: Partial<ScheduledPostView> = {}): ScheduledPostView =>
  scheduledPostView({
    id,
    cardId: CARD,
    cardTitle: `Post ${id.slice(0, 4)}`,
    campaignId: CAMPAIGN,
    workspaceId: WORKSPACE,
    socialAccountId: '3a1f6c2e-9b4d-4e7a-8c5f-2d1e0b9a8c7d',
    scheduledAt,
    timeZone: 'Pacific/Auckland',
    canReschedule: true,
    canCancel: true,
    ...overrides,
  })

const posts = [
  // 11:30 UTC on the 17th is 00:30 on the 18th in Auckland (UTC+13 in November).
  post(MIDNIGHT, '2026-11-17T11:30:00.000Z', { sandbox: true }),
  // The month grid's first day (Monday 26 October), shown muted.
  post(FIRST_DAY, '2026-10-25T12:00:00.000Z'),
  // 8 December in Auckland: after the grid's last day (Sunday 6 December), though inside the range asked for.
  post(AFTER, '2026-12-07T12:00:00.000Z'),
  post(PUBLISHED, '2026-11-05T20:00:00.000Z', { platform: 'tiktok', status: 'published', statusLabel: 'Published', canReschedule: false, canCancel: false }),
]

function args(path: string, method = 'GET', body?: URLSearchParams) {
  const request = new Request(`http://web.test${path}`, { method, body, headers: { cookie: 'gl_session=abc' } })
  return { request, url: new URL(request.url), params: { workspaceId: WORKSPACE }, context: {} }
}

async function load(search: string, timeZone = 'Pacific/Auckland') {
  api.queue({ status: 200, body: { timeZone, posts } }, { status: 200, body: { workspace: { id: WORKSPACE, name: 'Luna Coffee' } } })
  return calendarLoader(args(`/workspaces/${WORKSPACE}/calendar?${search}`) as unknown as Parameters<typeof calendarLoader>[0])
}

function render(loaderData: Awaited<ReturnType<typeof calendarLoader>>): string {
  const Stub = createRoutesStub([
    {
      id: 'routes/signed-in',
      path: '/',
      loader: () => ({ user }),
      children: [{ path: 'workspaces/:workspaceId/calendar', Component: () => createElement(CalendarPage, { loaderData, actionData: undefined } as never) }],
    },
  ])
  const html = renderToString(createElement(Stub, { initialEntries: [`/workspaces/${WORKSPACE}/calendar`], hydrationData: { loaderData: { 'routes/signed-in': { user } } } }))
  return html.replaceAll('<!-- -->', '')
}

/** The HTML of one drop cell (a day or a day-and-hour slot). */
function cell(html: string, slot: string): string {
  const start = html.indexOf(`data-slot="${slot}"`)
  expect(start, slot).toBeGreaterThan(-1)
  const next = html.indexOf('data-testid="calendar-slot"', start)
  return html.slice(start, next === -1 ? undefined : next)
}

const chipsIn = (html: string) => [...html.matchAll(/data-testid="calendar-chip" data-post-id="([^"]+)"/g)].map((match) => match[1])

describe('the month view', () => {
  it('asks for the grid’s days with a day to spare on each side, and reads the workspace’s name after', async () => {
    const data = await load('view=month&date=2026-11-10')
    expect(api.seen.map((request) => request.url)).toEqual([
      `/api/workspaces/${WORKSPACE}/scheduled-posts?from=2026-10-25T00%3A00%3A00.000Z&to=2026-12-08T00%3A00%3A00.000Z`,
      `/api/workspaces/${WORKSPACE}`,
    ])
    expect(data).toMatchObject({ workspaceName: 'Luna Coffee', timeZone: 'Pacific/Auckland', query: { view: 'month', anchor: '2026-11-01', explicit: true } })
    expect(data.days).toHaveLength(42)
  })

  it('puts each post on its day in the workspace’s time zone', async () => {
    const html = render(await load('view=month&date=2026-11-10'))
    expect(html).toContain('data-testid="calendar-month"')
    expect(html).toContain('>November 2026</h2>')
    expect(html).toContain('Times in <span class="font-medium text-slate-800" data-testid="calendar-zone">Pacific/Auckland</span>')
    expect(chipsIn(cell(html, 'day:2026-11-18'))).toEqual([MIDNIGHT])
    expect(chipsIn(cell(html, 'day:2026-11-17'))).toEqual([])
    expect(cell(html, 'day:2026-11-18')).toContain('data-testid="calendar-chip-time">00:30<')
    expect(cell(html, 'day:2026-11-18')).toContain('data-testid="calendar-chip-sandbox"')
    expect(chipsIn(cell(html, 'day:2026-10-26'))).toEqual([FIRST_DAY])
    expect(chipsIn(cell(html, 'day:2026-11-06'))).toEqual([PUBLISHED])
    expect(chipsIn(html)).not.toContain(AFTER)
    // Each chip opens its card on the workspace's board; only posts that may move are draggable.
    expect(html).toContain(`href="/workspaces/${WORKSPACE}/board/cards/${CARD}"`)
    expect(html).toMatch(new RegExp(`data-post-id="${MIDNIGHT}" data-status="scheduled" data-draggable="true"`))
    expect(html).toMatch(new RegExp(`data-post-id="${PUBLISHED}" data-status="published">`))
    // The way to other months.
    expect(html).toContain(`href="/workspaces/${WORKSPACE}/calendar?view=month&amp;date=2026-10-01"`)
    expect(html).toContain(`href="/workspaces/${WORKSPACE}/calendar?view=month&amp;date=2026-12-01"`)
    // "Today": the month of today in the workspace's zone, which the loader works out.
    expect(html).toContain(`href="/workspaces/${WORKSPACE}/calendar?view=month"`)
  })

  it('lists the posts with a reschedule form each, which works without JavaScript', async () => {
    const html = render(await load('view=month&date=2026-11-10'))
    const forms = [...html.matchAll(/<form[^>]*data-testid="calendar-reschedule-form"[^>]*>([\s\S]*?)<\/form>/g)].map((match) => match[0])
    // The two scheduled posts on screen; the published one cannot move.
    expect(forms).toHaveLength(2)
    const midnight = forms.find((form) => form.includes(MIDNIGHT))!
    expect(midnight).toMatch(/method="post"/)
    expect(midnight).toContain('name="_csrf" value="csrf-1"')
    expect(midnight).toContain('name="intent" value="reschedule-post"')
    expect(midnight).toContain('name="timeZone" value="Pacific/Auckland"')
    expect(midnight).toContain('name="keepZone" value="1"')
    expect(midnight).toMatch(/name="local" value="2026-11-18T00:30"/)
    expect(html).toContain('Posts in this period <span class="font-normal text-slate-500">· 3</span>')
  })
})

describe('the week view', () => {
  it('puts each post in its day-and-hour slot, in the answer’s zone', async () => {
    const data = await load('view=week&date=2026-11-18')
    expect(api.seen[0]!.url).toBe(`/api/workspaces/${WORKSPACE}/scheduled-posts?from=2026-11-15T00%3A00%3A00.000Z&to=2026-11-24T00%3A00%3A00.000Z`)
    const html = render(data)
    expect(html).toContain('data-testid="calendar-week"')
    expect(html).toContain('>16 – 22 Nov 2026</h2>')
    expect(html.match(/data-testid="calendar-slot"/g)).toHaveLength(7 * 24)
    expect(chipsIn(cell(html, 'slot:2026-11-18T00'))).toEqual([MIDNIGHT])
    expect(chipsIn(html)).toEqual([MIDNIGHT])
    expect(html).toContain(`href="/workspaces/${WORKSPACE}/calendar?view=week&amp;date=2026-11-09"`)
    expect(html).toContain(`href="/workspaces/${WORKSPACE}/calendar?view=week&amp;date=2026-11-23"`)
  })

  it('places the same instant elsewhere for a workspace in another zone', async () => {
    const html = render(await load('view=week&date=2026-11-18', 'America/Los_Angeles'))
    expect(html).toContain('data-testid="calendar-zone">America/Los_Angeles</span>')
    // 11:30 UTC on the 17th is 03:30 that morning in Los Angeles.
    expect(chipsIn(cell(html, 'slot:2026-11-17T03'))).toEqual([MIDNIGHT])
    expect(chipsIn(cell(html, 'slot:2026-11-18T00'))).toEqual([])
    expect(cell(html, 'slot:2026-11-17T03')).toContain('data-testid="calendar-chip-time">03:30<')
  })

  it('shows a workspace the API does not know as not found', async () => {
    api.queue({ status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'workspaceId must be a uuid' }, requestId: 'r' } })
    await expect(calendarLoader(args('/workspaces/nope/calendar') as unknown as Parameters<typeof calendarLoader>[0])).rejects.toMatchObject({ init: { status: 404 } })
  })
})

describe('the reschedule action', () => {
  const reschedule = (fields: [string, string][]) =>
    calendarAction(args(`/workspaces/${WORKSPACE}/calendar?view=month&date=2026-11-01`, 'POST', new URLSearchParams([['_csrf', 'tok'], ...fields])) as unknown as Parameters<typeof calendarAction>[0])

  function outcomeOf(result: unknown): { data: unknown; status: number | undefined } {
    const wrapped = result as { data?: unknown; init?: { status?: number } | null }
    return 'init' in (result as object) ? { data: wrapped.data, status: wrapped.init?.status ?? undefined } : { data: result, status: undefined }
  }

  const dropped: [string, string][] = [['intent', 'reschedule-post'], ['postId', MIDNIGHT], ['local', '2026-11-20T00:30'], ['timeZone', 'Pacific/Auckland'], ['keepZone', '1']]

  it('moves the post to the dropped day’s instant and keeps its own zone', async () => {
    api.queue({ status: 200, body: { post: post(MIDNIGHT, '2026-11-19T11:30:00.000Z') } })
    const result = outcomeOf(await reschedule(dropped))
    expect(api.seen[0]).toMatchObject({ method: 'POST', url: `/api/scheduled-posts/${MIDNIGHT}/reschedule`, headers: { 'x-csrf-token': 'tok' } })
    expect(JSON.parse(api.seen[0]!.body)).toEqual({ at: '2026-11-19T11:30:00.000Z' })
    expect(result.data).toEqual({ intent: 'reschedule-post', ok: true, postId: MIDNIGHT, notice: 'Moved to Fri 20 Nov 2026, 00:30 (Pacific/Auckland).' })
  })

  it('gives the API’s refusal back with its status and message', async () => {
    api.queue({ status: 409, body: { error: { code: 'POST_NOT_RESCHEDULABLE', message: 'It is being published right now: it can no longer move.' }, requestId: 'r' } })
    expect(outcomeOf(await reschedule(dropped))).toEqual({
      status: 409,
      data: {
        intent: 'reschedule-post',
        ok: false,
        postId: MIDNIGHT,
        code: 'POST_NOT_RESCHEDULABLE',
        error: 'It is being published right now: it can no longer move.',
        values: { local: '2026-11-20T00:30', timeZone: 'Pacific/Auckland' },
      },
    })
  })

  it('does nothing for anything but a reschedule', async () => {
    expect(outcomeOf(await reschedule([['intent', 'cancel-post'], ['postId', MIDNIGHT]]))).toMatchObject({ status: 400, data: { code: 'UNKNOWN_ACTION' } })
    expect(api.seen).toEqual([])
  })
})

describe('the workspace navigation', () => {
  function layout(role: string, permissions: string[], path: string): string {
    const viewer = { ...user, name: 'Dana', email: 'dana@example.com', role, permissions, agency: { name: 'Northwind' } }
    const integrations = { ai: 'offline', meta: 'sandbox', tiktok: 'sandbox' }
    const Stub = createRoutesStub([
      {
        id: 'routes/signed-in',
        path: '/',
        Component: () => createElement(SignedInLayout, { loaderData: { user: viewer, integrations } } as never),
        children: [
          { path: 'workspaces/:workspaceId/calendar', Component: () => createElement('p', null, 'calendar') },
          { path: 'campaigns', Component: () => createElement('p', null, 'campaigns') },
        ],
      },
    ])
    return renderToString(createElement(Stub, { initialEntries: [path], hydrationData: { loaderData: { 'routes/signed-in': { user: viewer, integrations } } } }))
  }

  const links = (html: string) => [...html.matchAll(/data-testid="workspace-nav-([a-z]+)"/g)].map((match) => match[1])

  it('links a workspace’s pages to each other, the current one marked', () => {
    const html = layout('analyst', ['workspace.read', 'card.read', 'asset.read', 'post.read'], `/workspaces/${WORKSPACE}/calendar`)
    expect(links(html)).toEqual(['overview', 'board', 'review', 'calendar', 'analytics', 'assets'])
    expect(html).toMatch(new RegExp(`aria-current="page"[^>]*href="/workspaces/${WORKSPACE}/calendar"|href="/workspaces/${WORKSPACE}/calendar"[^>]*aria-current="page"`))
    expect(html).toContain(`href="/workspaces/${WORKSPACE}/analytics"`)
  })

  it('leaves the calendar and analytics out for roles without post.read, and is not there outside a workspace', () => {
    expect(links(layout('client_approver', ['workspace.read', 'card.read', 'asset.read'], `/workspaces/${WORKSPACE}/calendar`))).toEqual(['overview', 'board', 'review', 'assets'])
    expect(layout('editor', ['workspace.read', 'card.read'], '/campaigns')).not.toContain('data-testid="workspace-nav"')
  })
})
