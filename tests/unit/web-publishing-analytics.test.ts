// The analytics page against a stand-in API: the grouping and period its loader asks for, the page with data
// (tabs, totals, the table of group metrics, the top three posts and why, the charts' frames) and the empty
// state before anything is published. The charts as drawn in the browser: web-publishing-browser.test.ts.
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { createRoutesStub } from 'react-router'
import { describe, expect, it } from 'vitest'
import { useScriptedApi } from '../support/scripted-api'
import type { AnalyticsView } from '../../web/app/lib/analytics.ts'
import type { ScheduledPostView } from '../../web/app/lib/publishing.ts'
import AnalyticsPage, { loader as analyticsLoader } from '../../web/app/routes/publishing-analytics.tsx'

const api = useScriptedApi()

const WORKSPACE = '5b1d0f4e-8c43-4a55-9a38-2f7e1c6b9d10'
const user = { id: 'u1', role: 'analyst', permissions: ['card.read', 'post.read'], csrfToken: 'csrf-1' }

const zero = { posts: 0, views: 0, reach: 0, likes: 0, comments: 0, shares: 0, saves: 0, clicks: 0, engagementRate: 0 }

const topPost = (id: string, title: string, platform: ScheduledPostView['platform'], engagementRate: number, views: number, reasons: string[], permalink: string | null) => ({
  post: {
    id,
    cardId: id,
    cardTitle: title,
    platform,
    handle: platform === 'tiktok' ? 'lunacoffee' : 'luna.coffee',
    sandbox: platform === 'tiktok',
    timeZone: 'Europe/Berlin',
    publishedAt: '2026-11-10T17:00:04.000Z',
    permalink,
    status: 'published',
  } as ScheduledPostView,
  metrics: { pullIndex: 4, capturedAt: '2026-11-13T17:00:00.000Z', views, reach: null, likes: 0, comments: 0, shares: 0, saves: null, clicks: null, engagementRate },
  reasons,
})

const view: AnalyticsView = {
  groupBy: 'platform',
  days: 90,
  totals: { posts: 6, views: 48_200, reach: 39_000, likes: 2_100, comments: 260, shares: 140, saves: 90, clicks: 30, engagementRate: 0.0674 },
  groups: [
    {
      key: 'instagram',
      label: 'Instagram',
      posts: 4,
      views: 30_200,
      reach: 25_000,
      likes: 1_500,
      comments: 200,
      shares: 100,
      saves: 90,
      clicks: 0,
      engagementRate: 0.0756,
      series: [
        { date: '2026-11-10', views: 12_000, engagementRate: 0.08 },
        { date: '2026-11-11', views: 18_200, engagementRate: 0.07 },
      ],
    },
    { key: 'tiktok', label: 'TikTok', posts: 2, views: 18_000, reach: 14_000, likes: 600, comments: 60, shares: 40, saves: 0, clicks: 30, engagementRate: 0.0521, series: [{ date: '2026-11-11', views: 18_000, engagementRate: 0.05 }] },
  ],
  top: [
    topPost('a1', 'Cold brew reel', 'instagram', 0.091, 12_400, ['9.1 % engagement, 1.7× the workspace’s average', 'Posted Tuesday 18:00, this account’s best slot'], 'https://www.instagram.com/p/Cx1/'),
    topPost('a2', 'Latte art', 'tiktok', 0.072, 18_000, ['18,000 views, the most of any post in the period'], null),
    topPost('a3', 'Harvest story', 'instagram', 0.064, 9_100, ['64 saves: people kept it to come back to'], 'https://www.instagram.com/p/Cx3/'),
  ],
}

function args(search: string) {
  const request = new Request(`http://web.test/workspaces/${WORKSPACE}/analytics${search}`, { headers: { cookie: 'gl_session=abc' } })
  return { request, url: new URL(request.url), params: { workspaceId: WORKSPACE }, context: {} } as unknown as Parameters<typeof analyticsLoader>[0]
}

function render(loaderData: Awaited<ReturnType<typeof analyticsLoader>>): string {
  const Stub = createRoutesStub([
    {
      id: 'routes/signed-in',
      path: '/',
      loader: () => ({ user }),
      children: [{ path: 'workspaces/:workspaceId/analytics', Component: () => createElement(AnalyticsPage, { loaderData, actionData: undefined } as never) }],
    },
  ])
  return renderToString(createElement(Stub, { initialEntries: [`/workspaces/${WORKSPACE}/analytics`], hydrationData: { loaderData: { 'routes/signed-in': { user } } } })).replaceAll('<!-- -->', '')
}

describe('the analytics loader', () => {
  it('asks for the grouping and period in the address, and by creator over 30 days otherwise', async () => {
    api.queue({ status: 200, body: view }, { status: 200, body: { workspace: { id: WORKSPACE, name: 'Luna Coffee' } } })
    const data = await analyticsLoader(args('?groupBy=platform&days=90'))
    expect(api.seen.map((request) => request.url)).toEqual([`/api/workspaces/${WORKSPACE}/analytics?groupBy=platform&days=90`, `/api/workspaces/${WORKSPACE}`])
    expect(data).toMatchObject({ workspaceName: 'Luna Coffee', query: { groupBy: 'platform', days: 90 }, view })

    api.queue({ status: 200, body: { ...view, groupBy: 'creator', days: 30 } })
    const fallback = await analyticsLoader(args('?groupBy=everything&days=1000'))
    expect(api.seen[2]!.url).toBe(`/api/workspaces/${WORKSPACE}/analytics?groupBy=creator&days=30`)
    // The name is for the heading only: without it the page still loads.
    expect(fallback.workspaceName).toBeNull()
  })

  it('shows a refusal as an error page with the API’s status', async () => {
    api.queue({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'Client approvers do not see analytics.' }, requestId: 'r' } })
    await expect(analyticsLoader(args(''))).rejects.toMatchObject({ init: { status: 403 }, data: { message: 'Client approvers do not see analytics.' } })
  })
})

describe('the analytics page', () => {
  it('shows tabs, totals, the group table, the charts’ frames and the top three posts with their reasons', () => {
    const html = render({ workspaceId: WORKSPACE, workspaceName: 'Luna Coffee', query: { groupBy: 'platform', days: 90 }, view })
    expect(html).toContain('← Luna Coffee')
    expect(html).toContain('Published posts of the last 90 days, measured by their latest metrics.')
    expect(html).toMatch(/aria-current="page"[^>]*data-testid="analytics-tab-platform"/)
    expect(html).not.toMatch(/aria-current="page"[^>]*data-testid="analytics-tab-creator"/)
    expect(html).toContain(`href="/workspaces/${WORKSPACE}/analytics?groupBy=creator&amp;days=90"`)
    expect(html).toContain(`href="/workspaces/${WORKSPACE}/analytics?groupBy=platform&amp;days=7"`)

    const totals = /data-testid="analytics-totals"[\s\S]*?<\/dl>/.exec(html)![0]
    expect(totals).toContain('Posts published</dt><dd class="mt-1 text-2xl font-semibold tracking-tight text-slate-900">6<')
    expect(totals).toContain('48,200')
    expect(totals).toContain('6.7 %')

    const rows = [...html.matchAll(/<tr data-testid="analytics-group-row" data-key="([^"]+)">([\s\S]*?)<\/tr>/g)]
    expect(rows.map((row) => row[1])).toEqual(['instagram', 'tiktok'])
    const cells = (row: string) => [...row.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((match) => match[1])
    expect(cells(rows[0]![2]!)).toEqual(['Instagram', '4', '30,200', '25,000', '1,500', '200', '100', '90', '0', '7.6 %'])
    expect(html).toContain('Metrics per platform')

    // Both charts have their frame, title and units; Recharts draws them once the page is hydrated.
    expect(html).toContain('data-testid="views-chart"')
    expect(html).toContain('Views per day')
    expect(html).toContain('Engagement rate per platform')
    expect(html.match(/data-testid="chart-placeholder"/g)).toHaveLength(2)

    expect([...html.matchAll(/data-testid="analytics-top-post" data-post-id="([^"]+)"/g)].map((match) => match[1])).toEqual(['a1', 'a2', 'a3'])
    expect(html).toContain('Top 3 posts and why')
    const first = html.slice(html.indexOf('data-post-id="a1"'), html.indexOf('data-post-id="a2"'))
    expect(first).toContain('Cold brew reel')
    expect(first).toContain('@luna.coffee')
    expect(first).toContain('data-testid="top-post-rate">9.1 %<')
    expect(first).toContain('data-testid="top-post-views">12,400<')
    expect(first).toContain('<li>9.1 % engagement, 1.7× the workspace’s average</li><li>Posted Tuesday 18:00, this account’s best slot</li>')
    expect(first).toContain('href="https://www.instagram.com/p/Cx1/"')
    expect(first).toContain('View on Instagram ↗')
    const second = html.slice(html.indexOf('data-post-id="a2"'), html.indexOf('data-post-id="a3"'))
    expect(second).toContain('data-testid="account-sandbox-badge"')
    expect(second).not.toContain('top-post-permalink')
    expect(html).not.toContain('data-testid="analytics-empty"')
  })

  it('says what to do when nothing is published yet', () => {
    const empty: AnalyticsView = { groupBy: 'creator', days: 30, totals: zero, groups: [], top: [] }
    const html = render({ workspaceId: WORKSPACE, workspaceName: null, query: { groupBy: 'creator', days: 30 }, view: empty })
    expect(html).toContain('data-testid="analytics-empty"')
    expect(html).toContain('Nothing published in the last 30 days')
    expect(html).toContain('Open an approved card on the board and schedule it for its accounts under “Publishing”, or post it now')
    expect(html).toContain(`href="/workspaces/${WORKSPACE}/board"`)
    expect(html).toContain('← Workspace')
    expect(html).not.toContain('data-testid="analytics-totals"')
    expect(html).not.toContain('data-testid="views-chart"')
    expect(html).not.toContain('posts and why')
  })
})
