// @vitest-environment happy-dom
// Publishing pages once hydrated: the drawer's best-time chips fill in the date and time in the chosen zone; a
// calendar chip dragged with the keyboard to another day is saved keeping its time of day, and a refusal
// shows the API's reason with the chip back in place; the analytics charts are drawn with axes, units and a
// legend. Layout is what a browser would measure: happy-dom has none, so cells and chips get their boxes here.
import { act, createElement } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { createRoutesStub, Outlet } from 'react-router'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AnalyticsView } from '../../web/app/lib/analytics.ts'
import { periodDays } from '../../web/app/lib/calendar.ts'
import type { CardPublishing, PublishingActionResult, ScheduledPostView } from '../../web/app/lib/publishing.ts'
import BoardCardRoute from '../../web/app/routes/board-card.tsx'
import CalendarPage from '../../web/app/routes/publishing-calendar.tsx'
import AnalyticsPage from '../../web/app/routes/publishing-analytics.tsx'
import { cardDetailView, NO_APPROVAL, scheduledPostView } from '../support/publishing-views'

const WORKSPACE = '5b1d0f4e-8c43-4a55-9a38-2f7e1c6b9d10'
const CAMPAIGN = '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a'
const CARD = '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b'
const INSTAGRAM = '3a1f6c2e-9b4d-4e7a-8c5f-2d1e0b9a8c7d'
const MOVABLE = '6d4c9f5b-2e7a-4b0d-9f8c-5a4b3e2d1f0a'
const PUBLISHED = '7e5d0a6c-3f8b-4c1e-8a9d-6b5c4f3e2a1b'

const user = { id: 'u1', role: 'manager', permissions: ['card.read', 'card.write', 'card.move', 'post.read', 'post.schedule'], csrfToken: 'csrf-1' }

let root: Root | undefined
beforeAll(() => {
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
})
afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  document.body.innerHTML = ''
  vi.restoreAllMocks()
})

async function mount(Stub: ReturnType<typeof createRoutesStub>, path: string): Promise<HTMLElement> {
  const container = document.createElement('div')
  document.body.append(container)
  root = createRoot(container)
  await act(async () => root!.render(createElement(Stub, { initialEntries: [path] })))
  return container
}

const post = (overrides: Partial<ScheduledPostView>): ScheduledPostView =>
  scheduledPostView({ id: MOVABLE, cardId: CARD, campaignId: CAMPAIGN, workspaceId: WORKSPACE, socialAccountId: INSTAGRAM, scheduledAt: '2026-11-17T17:45:00.000Z', canReschedule: true, canCancel: true, ...overrides })

// ---------------------------------------------------------------------------------------------------------

describe('the best-time chips', () => {
  const publishing: CardPublishing = {
    card: { id: CARD, title: 'Cold brew reel', column: 'Approved', campaignId: CAMPAIGN, workspaceId: WORKSPACE },
    timeZone: 'Europe/Berlin',
    canSchedule: true,
    whyNot: null,
    posts: [],
    targets: [
      {
        socialAccountId: INSTAGRAM,
        platform: 'instagram',
        handle: 'luna.coffee',
        sandbox: false,
        accountStatus: 'active',
        livePostId: null,
        suggestion: { basis: 'history', basedOnPosts: 12, reason: 'From this account’s 12 measured posts.', slots: [{ weekday: 2, hour: 18, label: 'Tuesday 18:00', next: '2026-11-24T17:00:00.000Z', meanEngagementRate: 0.0624 }] },
      },
    ],
  }
  const detail = cardDetailView({ id: CARD, campaignId: CAMPAIGN, workspaceId: WORKSPACE, kind: null })
  const approval = NO_APPROVAL

  it('fill in the slot’s next time as clocks in the chosen zone show it, without leaving the drawer', async () => {
    const loaderData = { detail, creators: [], approval, publishing, timeZones: ['UTC', 'Europe/Berlin', 'Asia/Kolkata'], slotPrefill: null }
    const outlet = { closeHref: `/workspaces/${WORKSPACE}/board`, viewer: { creatorId: null, ownCardsOnly: false, canCreate: true } }
    const Stub = createRoutesStub([
      {
        id: 'routes/signed-in',
        path: '/',
        loader: () => ({ user }),
        HydrateFallback: () => null,
        children: [
          {
            path: 'workspaces/:workspaceId/board',
            Component: () => createElement(Outlet, { context: outlet }),
            children: [{ path: 'cards/:cardId', Component: () => createElement(BoardCardRoute, { loaderData, actionData: undefined } as never) }],
          },
        ],
      },
    ])
    const container = await mount(Stub, `/workspaces/${WORKSPACE}/board/cards/${CARD}`)
    const input = container.querySelector<HTMLInputElement>('[data-testid="publish-target"] input[name="local"]')!
    const zone = container.querySelector<HTMLSelectElement>('[data-testid="publish-target"] select[name="timeZone"]')!
    const chip = container.querySelector<HTMLAnchorElement>('[data-testid="best-time-chip"]')!
    expect(input.value).toBe('')

    await act(async () => chip.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true })))
    expect(input.value).toBe('2026-11-24T18:00')
    // The same slot for someone who picks another zone: Tuesday 18:00 in Berlin is 22:30 in Kolkata.
    zone.value = 'Asia/Kolkata'
    await act(async () => chip.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true })))
    expect(input.value).toBe('2026-11-24T22:30')
    expect(container.querySelector('[data-testid="card-drawer"]')).not.toBeNull()
  })
})

// ---------------------------------------------------------------------------------------------------------

describe('dragging on the calendar', () => {
  const CELL = 100
  const days = periodDays('month', '2026-11-01')

  /** Lays the month grid out as a browser would: seven 100 px cells a row, each chip inside its cell. */
  function layOut() {
    const box = (left: number, top: number, width: number, height: number) => DOMRect.fromRect({ x: left, y: top, width, height })
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
      const element = this as HTMLElement
      const cell = element.closest<HTMLElement>('[data-testid="calendar-slot"]')
      const index = cell ? days.indexOf(cell.dataset.slot!.slice(4)) : -1
      const left = (index % 7) * CELL
      const top = Math.floor(index / 7) * CELL
      if (element.dataset.testid === 'calendar-slot' && index >= 0) return box(left, top, CELL, CELL)
      if (element.dataset.testid === 'calendar-chip' && index >= 0) return box(left + 5, top + 40, CELL - 10, 20)
      // The drag overlay sits where the chip was (dnd-kit places it with fixed top/left, and measures its content).
      const overlay = [element, element.parentElement].find((node) => node?.style.position === 'fixed')
      if (overlay) return box(parseFloat(overlay.style.left), parseFloat(overlay.style.top), parseFloat(overlay.style.width), parseFloat(overlay.style.height))
      return box(0, 0, 0, 0)
    })
  }

  function calendarStub(action: (form: FormData) => PublishingActionResult | Response) {
    const loaderData = {
      workspaceId: WORKSPACE,
      workspaceName: 'Luna Coffee',
      query: { view: 'month', anchor: '2026-11-01', explicit: true },
      days,
      today: '2026-11-16',
      timeZone: 'Europe/Berlin',
      posts: [
        // 18:45 in Berlin on Tuesday 17 November.
        post({}),
        post({ id: PUBLISHED, cardTitle: 'Harvest story', scheduledAt: '2026-11-05T08:00:00.000Z', status: 'published', statusLabel: 'Published', canReschedule: false, canCancel: false }),
      ],
    }
    return createRoutesStub([
      {
        id: 'routes/signed-in',
        path: '/',
        loader: () => ({ user }),
        HydrateFallback: () => null,
        children: [
          {
            path: 'workspaces/:workspaceId/calendar',
            Component: () => createElement(CalendarPage, { loaderData, actionData: undefined } as never),
            action: async ({ request }) => action(await request.formData()),
          },
        ],
      },
    ])
  }

  const key = (target: EventTarget, code: string) =>
    act(async () => {
      target.dispatchEvent(new KeyboardEvent('keydown', { code, key: code === 'Space' ? ' ' : code, bubbles: true, cancelable: true }))
      // The keyboard sensor starts listening for moves on the next tick.
      await new Promise((resolve) => setTimeout(resolve, 0))
    })

  const chipCell = (container: HTMLElement, postId: string) => container.querySelector(`[data-testid="calendar-chip"][data-post-id="${postId}"]`)?.closest('[data-testid="calendar-slot"]')?.getAttribute('data-slot')

  async function dragRight(container: HTMLElement, postId: string, cells: number) {
    const handle = container.querySelector<HTMLButtonElement>(`[data-testid="calendar-chip"][data-post-id="${postId}"] [data-testid="calendar-chip-handle"]`)!
    handle.focus()
    await key(handle, 'Space')
    // Each arrow press moves 25 px.
    for (let press = 0; press < (cells * CELL) / 25; press++) await key(document, 'ArrowRight')
    await key(document, 'Space')
  }

  it('saves a chip dropped on another day at the same time of day, in the workspace’s zone', async () => {
    layOut()
    const sent: Record<string, string>[] = []
    const Stub = calendarStub((form) => {
      sent.push(Object.fromEntries([...form.entries()].map(([name, value]) => [name, String(value)])))
      return { intent: 'reschedule-post', ok: true, postId: MOVABLE, notice: 'Moved to Thu 19 Nov 2026, 18:45 (Europe/Berlin).' }
    })
    const container = await mount(Stub, `/workspaces/${WORKSPACE}/calendar?view=month&date=2026-11-01`)
    // Only posts that may still move have a handle.
    expect(container.querySelectorAll('[data-testid="calendar-chip-handle"]')).toHaveLength(1)
    expect(chipCell(container, MOVABLE)).toBe('day:2026-11-17')

    await dragRight(container, MOVABLE, 2)
    await expect.poll(() => sent.length).toBe(1)
    expect(sent[0]).toEqual({ intent: 'reschedule-post', postId: MOVABLE, local: '2026-11-19T18:45', timeZone: 'Europe/Berlin', keepZone: '1', _csrf: 'csrf-1' })
    await expect.poll(() => container.querySelector('[data-testid="calendar-notice"]')?.textContent).toContain('Moved to Thu 19 Nov 2026, 18:45 (Europe/Berlin).')
  })

  it('puts a refused chip back and shows the API’s reason', async () => {
    layOut()
    const Stub = calendarStub(
      () =>
        new Response(JSON.stringify({ intent: 'reschedule-post', ok: false, postId: MOVABLE, code: 'SCHEDULE_IN_PAST', error: 'That time has passed: choose a time from now on, or post now.', values: null }), {
          status: 400,
          headers: { 'content-type': 'application/json' },
        }),
    )
    const container = await mount(Stub, `/workspaces/${WORKSPACE}/calendar?view=month&date=2026-11-01`)
    await dragRight(container, MOVABLE, 1)
    await expect.poll(() => container.querySelector('[data-testid="calendar-notice-message"]')?.textContent).toBe('That time has passed: choose a time from now on, or post now.')
    expect(container.querySelector('[data-testid="calendar-notice"]')!.getAttribute('role')).toBe('alert')
    expect(chipCell(container, MOVABLE)).toBe('day:2026-11-17')
  })
})

// ---------------------------------------------------------------------------------------------------------

describe('the analytics charts', () => {
  it('draw views per day with a line and legend entry per group, and engagement in percent', async () => {
    const group = (key: string, label: string, engagementRate: number, series: [string, number][]) => ({
      key,
      label,
      posts: 2,
      views: series.reduce((total, [, views]) => total + views, 0),
      reach: 0,
      likes: 0,
      comments: 0,
      shares: 0,
      saves: 0,
      clicks: 0,
      engagementRate,
      series: series.map(([date, views]) => ({ date, views, engagementRate })),
    })
    const view: AnalyticsView = {
      groupBy: 'creator',
      days: 30,
      totals: { posts: 4, views: 9_000, reach: 0, likes: 0, comments: 0, shares: 0, saves: 0, clicks: 0, engagementRate: 0.05 },
      groups: [
        group('maya', 'Maya Chen', 0.062, [['2026-11-10', 1_200], ['2026-11-11', 3_400]]),
        group('omar', 'Omar Haddad', 0.041, [['2026-11-10', 2_000], ['2026-11-11', 2_400]]),
      ],
      top: [],
    }
    const loaderData = { workspaceId: WORKSPACE, workspaceName: 'Luna Coffee', query: { groupBy: 'creator', days: 30 }, view }
    const Stub = createRoutesStub([
      {
        id: 'routes/signed-in',
        path: '/',
        loader: () => ({ user }),
        HydrateFallback: () => null,
        children: [{ path: 'workspaces/:workspaceId/analytics', Component: () => createElement(AnalyticsPage, { loaderData, actionData: undefined } as never) }],
      },
    ])
    // Each chart's frame is as wide as half the page and as high as its CSS says.
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
      return this.classList.contains('recharts-responsive-container') ? DOMRect.fromRect({ x: 0, y: 0, width: 560, height: 288 }) : DOMRect.fromRect({ x: 0, y: 0, width: 0, height: 0 })
    })
    const container = await mount(Stub, `/workspaces/${WORKSPACE}/analytics`)
    const views = container.querySelector('[data-testid="views-chart"]')!
    const engagement = container.querySelector('[data-testid="engagement-chart"]')!
    await expect.poll(() => views.querySelectorAll('.recharts-line').length).toBe(2)
    expect(container.querySelector('[data-testid="chart-placeholder"]')).toBeNull()
    expect(views.textContent).toContain('Maya Chen')
    expect(views.textContent).toContain('Omar Haddad')
    expect(views.textContent).toContain('Views')
    expect(views.textContent).toContain('10 Nov')
    await expect.poll(() => engagement.querySelectorAll('.recharts-bar-rectangle').length).toBe(2)
    expect(engagement.textContent).toContain('Engagement rate (%)')
    expect(engagement.textContent).toMatch(/\d %/)
  })
})
