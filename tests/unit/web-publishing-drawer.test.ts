// The card drawer's publishing section: what it shows for an approved card (a row per target account with
// sandbox and status badges, a date-time and zone, best-time chips that fill them in, Schedule / Post now; the
// card's posts with status, reason, link, metrics and the moves their flags allow), what it says when the card
// cannot be scheduled, and its action against a stand-in API: the bodies sent, and refusals next to the form.
// The chips' behaviour in the browser is in web-publishing-browser.test.ts.
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { createRoutesStub, Outlet } from 'react-router'
import { describe, expect, it } from 'vitest'
import { cardDetailView, NO_APPROVAL, scheduledPostView } from '../support/publishing-views'
import { useScriptedApi } from '../support/scripted-api'
import type { CardPublishing, PublishingActionResult, ScheduledPostView } from '../../web/app/lib/publishing.ts'
import { loadCardPublishing } from '../../web/app/lib/publishing.server.ts'
import BoardCardRoute, { action as boardCardAction } from '../../web/app/routes/board-card.tsx'

const WORKSPACE = '5b1d0f4e-8c43-4a55-9a38-2f7e1c6b9d10'
const CAMPAIGN = '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a'
const CARD = '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b'
const INSTAGRAM = '3a1f6c2e-9b4d-4e7a-8c5f-2d1e0b9a8c7d'
const TIKTOK = '4b2a7d3f-0c5e-4f8b-9d6a-3e2f1c0b9d8e'
const FACEBOOK = '5c3b8e4a-1d6f-4a9c-8e7b-4f3a2d1c0e9f'
const PUBLISHED = '6d4c9f5b-2e7a-4b0d-9f8c-5a4b3e2d1f0a'
const SCHEDULED = '7e5d0a6c-3f8b-4c1e-8a9d-6b5c4f3e2a1b'
const UNCONFIRMED = '8f6e1b7d-4a9c-4d2f-9b0e-7c6d5a4f3b2c'
const DEFERRED = '9a7f2c8e-5b0d-4e3a-8c1f-8d7e6b5a4c3d'

const user = { id: 'u1', role: 'manager', permissions: ['card.read', 'card.write', 'card.move', 'post.read', 'post.schedule'], csrfToken: 'csrf-1' }

const post = (overrides: Partial<ScheduledPostView>): ScheduledPostView =>
  scheduledPostView({ id: SCHEDULED, cardId: CARD, campaignId: CAMPAIGN, workspaceId: WORKSPACE, socialAccountId: FACEBOOK, platform: 'facebook', handle: 'lunacoffee.page', ...overrides })

const publishing: CardPublishing = {
  card: { id: CARD, title: 'Cold brew reel', column: 'Approved', campaignId: CAMPAIGN, workspaceId: WORKSPACE },
  timeZone: 'Europe/Berlin',
  canSchedule: true,
  whyNot: null,
  targets: [
    {
      socialAccountId: INSTAGRAM,
      platform: 'instagram',
      handle: 'luna.coffee',
      sandbox: true,
      accountStatus: 'active',
      livePostId: null,
      suggestion: {
        basis: 'history',
        basedOnPosts: 12,
        reason: 'From this account’s 12 measured posts: Tuesday 18:00 averaged 6.2 % engagement over 3 posts.',
        slots: [
          { weekday: 2, hour: 18, label: 'Tuesday 18:00', next: '2026-11-24T17:00:00.000Z', meanEngagementRate: 0.0624 },
          { weekday: 4, hour: 11, label: 'Thursday 11:00', next: '2026-11-19T10:00:00.000Z', meanEngagementRate: 0.051 },
        ],
      },
    },
    {
      socialAccountId: TIKTOK,
      platform: 'tiktok',
      handle: 'lunacoffee',
      sandbox: false,
      accountStatus: 'needs_reauth',
      livePostId: null,
      suggestion: { basis: 'default', basedOnPosts: 2, reason: 'Typical good times for tiktok.', slots: [{ weekday: 4, hour: 20, label: 'Thursday 20:00', next: '2026-11-19T19:00:00.000Z', meanEngagementRate: null }] },
    },
    {
      socialAccountId: FACEBOOK,
      platform: 'facebook',
      handle: 'lunacoffee.page',
      sandbox: false,
      accountStatus: 'active',
      livePostId: SCHEDULED,
      suggestion: { basis: 'default', basedOnPosts: 0, reason: 'Typical good times for facebook.', slots: [] },
    },
  ],
  posts: [
    post({
      id: PUBLISHED,
      socialAccountId: INSTAGRAM,
      platform: 'instagram',
      handle: 'luna.coffee',
      sandbox: true,
      status: 'published',
      statusLabel: 'Published',
      scheduledAt: '2026-11-10T17:00:00.000Z',
      publishedAt: '2026-11-10T17:00:04.000Z',
      permalink: 'https://www.instagram.com/p/Cx1/',
      latest: { pullIndex: 3, capturedAt: '2026-11-11T17:00:00.000Z', views: 12_400, reach: 9_800, likes: 480, comments: 52, shares: 31, saves: 44, clicks: null, engagementRate: 0.0619 },
    }),
    post({ id: SCHEDULED, canReschedule: true, canCancel: true }),
    post({
      id: UNCONFIRMED,
      socialAccountId: TIKTOK,
      platform: 'tiktok',
      handle: 'lunacoffee',
      status: 'unconfirmed',
      statusLabel: 'Unconfirmed',
      statusReason: 'TikTok did not answer whether the video went out: check on the platform.',
      canVerify: true,
    }),
    post({
      id: DEFERRED,
      status: 'deferred',
      statusLabel: 'Deferred (platform limit)',
      statusReason: 'Instagram’s 25 posts in 24 hours are used up.',
      deferredUntil: '2026-11-21T09:30:00.000Z',
      canCancel: true,
    }),
  ],
}

const detail = cardDetailView({ id: CARD, campaignId: CAMPAIGN, workspaceId: WORKSPACE })

const approval = NO_APPROVAL

const timeZones = ['UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/New_York']

function loaderData(overrides: Partial<{ publishing: CardPublishing | null; slotPrefill: { accountId: string; at: string } | null }> = {}) {
  return { detail, creators: [], approval, publishing, timeZones, slotPrefill: null, ...overrides }
}

function drawerStub(data: ReturnType<typeof loaderData>, actionData?: PublishingActionResult) {
  const outlet = { closeHref: `/workspaces/${WORKSPACE}/board`, viewer: { creatorId: null, ownCardsOnly: false, canCreate: true } }
  return createRoutesStub([
    {
      id: 'routes/signed-in',
      path: '/',
      loader: () => ({ user }),
      HydrateFallback: () => null,
      children: [
        {
          path: 'workspaces/:workspaceId/board',
          Component: () => createElement(Outlet, { context: outlet }),
          children: [{ path: 'cards/:cardId', Component: () => createElement(BoardCardRoute, { loaderData: data, actionData } as never) }],
        },
      ],
    },
  ])
}

const drawerPath = `/workspaces/${WORKSPACE}/board/cards/${CARD}`

/** Server HTML without React's markers between adjacent text nodes, so sentences can be matched whole. */
function renderDrawer(data = loaderData(), actionData?: PublishingActionResult): string {
  const Stub = drawerStub(data, actionData)
  return renderToString(createElement(Stub, { initialEntries: [drawerPath], hydrationData: { loaderData: { 'routes/signed-in': { user } } } })).replaceAll('<!-- -->', '')
}

/** The HTML of one element with a data-testid and a data attribute, up to its closing </li>. */
function rowOf(html: string, testId: string, attribute: string, value: string): string {
  const start = html.indexOf(`data-testid="${testId}" ${attribute}="${value}"`)
  expect(start, `${testId} ${value}`).toBeGreaterThan(-1)
  const open = html.lastIndexOf('<li', start)
  let depth = 0
  const tags = /<li\b|<\/li>/g
  tags.lastIndex = open
  for (let match = tags.exec(html); match; match = tags.exec(html)) {
    depth += match[0] === '<li' ? 1 : -1
    if (depth === 0) return html.slice(open, match.index + 5)
  }
  throw new Error('unclosed <li>')
}

describe('the publishing section without JavaScript', () => {
  it('offers each target account a schedule form with its zone, best times, sandbox and status', () => {
    const html = renderDrawer()
    expect(html).toContain('data-testid="card-publishing"')
    expect(html).toContain('Audience time zone: Europe/Berlin')

    const instagram = rowOf(html, 'publish-target', 'data-account-id', INSTAGRAM)
    expect(instagram).toContain('@luna.coffee')
    expect(instagram).toContain('data-testid="account-sandbox-badge"')
    expect(instagram).toContain('data-status="active"')
    expect(instagram).toContain('name="intent" value="schedule"')
    expect(instagram).toContain(`name="socialAccountId" value="${INSTAGRAM}"`)
    expect(instagram).toContain('name="_csrf" value="csrf-1"')
    expect(instagram).toMatch(/<input[^>]*type="datetime-local"[^>]*name="local"[^>]*value=""/)
    expect(instagram).toContain('<option value="Europe/Berlin" selected="">Europe/Berlin</option>')
    expect(instagram).toContain('From this account’s own 12 measured posts: the weekday hours with the highest average engagement, in Europe/Berlin.')
    expect(instagram).toContain('>Tue 18:00 — your best slot, 6.2 % avg</a>')
    expect(instagram).toContain('>Thu 11:00 — your best slot, 5.1 % avg</a>')
    // Without JavaScript a chip is a link that brings the drawer back with the slot filled in.
    expect(instagram).toContain(`href="${drawerPath}?slotAccount=${INSTAGRAM}&amp;slotAt=2026-11-24T17%3A00%3A00.000Z"`)
    expect(instagram).toMatch(/<button type="submit"[^>]*value="at"[^>]*name="when">Schedule</)
    expect(instagram).toMatch(/<button type="submit"[^>]*value="now"[^>]*name="when">Post now</)
    expect(instagram).not.toContain('disabled=""')

    const tiktok = rowOf(html, 'publish-target', 'data-account-id', TIKTOK)
    expect(tiktok).not.toContain('data-testid="account-sandbox-badge"')
    expect(tiktok).toContain('data-status="needs_reauth"')
    expect(tiktok).toContain('>Thu 20:00 — platform default</a>')
    expect(tiktok).toContain('Typical good times for TikTok, in Europe/Berlin: this account has 2 measured posts, and its own best times are used from 8.')
    expect(tiktok).toContain('Reconnect @lunacoffee on its creator’s page before posting to it.')
    expect(tiktok.match(/<button[^>]*disabled=""/g)).toHaveLength(2)

    // An account with a post under way gets no second form.
    const facebook = rowOf(html, 'publish-target', 'data-account-id', FACEBOOK)
    expect(facebook).toContain('A post for this account is already under way')
    expect(facebook).not.toContain('<form')

    // One that went out says so.
    const published = renderDrawer(loaderData({ publishing: { ...publishing, targets: publishing.targets.map((target) => (target.socialAccountId === INSTAGRAM ? { ...target, livePostId: PUBLISHED } : target)) } }))
    const done = rowOf(published, 'publish-target', 'data-account-id', INSTAGRAM)
    expect(done).toContain('Published to this account: see the post below.')
    expect(done).not.toContain('under way')
    expect(done).not.toContain('<form')
  })

  it('lists the card’s posts with status, reason, link, metrics and the moves their flags allow', () => {
    const html = renderDrawer()
    const published = rowOf(html, 'card-post', 'data-post-id', PUBLISHED)
    expect(published).toContain('data-status="published"')
    expect(published).toContain('>Published</span>')
    expect(published).toContain('Published Tue 10 Nov 2026, 18:00 (Europe/Berlin)')
    expect(published).toContain('href="https://www.instagram.com/p/Cx1/"')
    expect(published).toContain('View on Instagram ↗')
    expect(published).toContain('6.2 % engagement')
    expect(published).toContain('12,400 views · 9,800 reached · 480 likes · 52 comments · 31 shares · 44 saves')
    expect(published).not.toContain('clicks')
    expect(published).not.toContain('<form')

    const scheduled = rowOf(html, 'card-post', 'data-post-id', SCHEDULED)
    expect(scheduled).toContain('Fri 20 Nov 2026, 09:00 (Europe/Berlin)')
    expect(scheduled).toContain('value="cancel-post"')
    expect(scheduled).not.toContain('value="verify-post"')
    expect(scheduled).toContain('name="intent" value="reschedule-post"')
    // The reschedule form starts from the post's own time in its own zone.
    expect(scheduled).toMatch(/name="local"[^>]*value="2026-11-20T09:00"/)

    const unconfirmed = rowOf(html, 'card-post', 'data-post-id', UNCONFIRMED)
    expect(unconfirmed).toContain('TikTok did not answer whether the video went out: check on the platform.')
    expect(unconfirmed).toContain('>Verify on platform</button>')
    expect(unconfirmed).not.toContain('value="cancel-post"')
    expect(unconfirmed).not.toContain('reschedule-post')

    const deferred = rowOf(html, 'card-post', 'data-post-id', DEFERRED)
    expect(deferred).toContain('Deferred (platform limit)')
    expect(deferred).toContain('Instagram’s 25 posts in 24 hours are used up.')
    expect(deferred).toContain('Tries again after Sat 21 Nov 2026, 10:30 (Europe/Berlin).')
  })

  it('says why a card cannot be scheduled, and still shows its posts', () => {
    const html = renderDrawer(loaderData({ publishing: { ...publishing, canSchedule: false, whyNot: 'Only approved cards can be scheduled: this one is In progress.' } }))
    expect(html).toContain('Only approved cards can be scheduled: this one is In progress.')
    expect(html).not.toContain('data-testid="schedule-form"')
    expect(html).toContain(`data-post-id="${PUBLISHED}"`)
  })

  it('has no section for roles that may not see publishing', () => {
    const html = renderDrawer(loaderData({ publishing: null }))
    expect(html).toContain('data-testid="card-drawer"')
    expect(html).not.toContain('data-testid="card-publishing"')
  })

  it('fills in a slot picked from the address, in the campaign’s zone', () => {
    const html = renderDrawer(loaderData({ slotPrefill: { accountId: INSTAGRAM, at: '2026-11-24T17:00:00.000Z' } }))
    expect(rowOf(html, 'publish-target', 'data-account-id', INSTAGRAM)).toMatch(/name="local"[^>]*value="2026-11-24T18:00"/)
    expect(rowOf(html, 'publish-target', 'data-account-id', TIKTOK)).toMatch(/name="local"[^>]*value=""/)
  })

  it('shows a refusal next to the account’s form, keeping what was typed', () => {
    const refusal: PublishingActionResult = {
      intent: 'schedule',
      ok: false,
      accountIds: [INSTAGRAM],
      code: 'SCHEDULE_IN_PAST',
      error: 'That time has passed: choose a time from now on, or post now.',
      values: { local: '2026-11-01T09:00', timeZone: 'Asia/Kolkata' },
    }
    const html = renderDrawer(loaderData(), refusal)
    const instagram = rowOf(html, 'publish-target', 'data-account-id', INSTAGRAM)
    expect(instagram).toContain('role="alert"')
    expect(instagram).toContain('That time has passed: choose a time from now on, or post now.')
    expect(instagram).toMatch(/name="local"[^>]*value="2026-11-01T09:00"/)
    expect(instagram).toContain('<option value="Asia/Kolkata" selected="">')
    expect(rowOf(html, 'publish-target', 'data-account-id', TIKTOK)).not.toContain('role="alert"')
    // The drawer's own notice is for its other forms.
    expect(html).not.toContain('data-testid="card-notice"')
  })

  it('shows a post’s refusal and a post’s notice under that post', () => {
    const refused = renderDrawer(loaderData(), { intent: 'cancel-post', ok: false, postId: SCHEDULED, code: 'POST_NOT_CANCELLABLE', error: 'It is being published right now.', values: null })
    expect(rowOf(refused, 'card-post', 'data-post-id', SCHEDULED)).toContain('It is being published right now.')
    expect(rowOf(refused, 'card-post', 'data-post-id', DEFERRED)).not.toContain('It is being published right now.')
    const verified = renderDrawer(loaderData(), { intent: 'verify-post', ok: true, postId: UNCONFIRMED, notice: 'Found on TikTok: the post is published.' })
    expect(rowOf(verified, 'card-post', 'data-post-id', UNCONFIRMED)).toContain('Found on TikTok: the post is published.')
  })
})

// ---------------------------------------------------------------------------------------------------------

const api = useScriptedApi()

function postTo(fields: [string, string][]) {
  const request = new Request(`http://web.test${drawerPath}`, { method: 'POST', body: new URLSearchParams([['_csrf', 'tok'], ...fields]), headers: { cookie: 'gl_session=abc' } })
  return boardCardAction({ request, url: new URL(request.url), params: { workspaceId: WORKSPACE, cardId: CARD }, context: {} } as unknown as Parameters<typeof boardCardAction>[0])
}

function outcomeOf(result: unknown): { data: unknown; status: number | undefined } {
  const wrapped = result as { data?: unknown; init?: { status?: number } | null }
  return 'init' in (result as object) ? { data: wrapped.data, status: wrapped.init?.status ?? undefined } : { data: result, status: undefined }
}

const errorBody = (code: string, message: string) => ({ error: { code, message }, requestId: 'req-1' })

describe('the publishing action', () => {
  const schedule = (when: string, local: string, timeZone: string) => postTo([['intent', 'schedule'], ['socialAccountId', INSTAGRAM], ['local', local], ['timeZone', timeZone], ['when', when]])

  it('schedules the account at the instant of the wall-clock time in the chosen zone', async () => {
    api.queue({ status: 201, body: { posts: [post({ id: SCHEDULED, socialAccountId: INSTAGRAM, platform: 'instagram', handle: 'luna.coffee', scheduledAt: '2026-11-24T12:30:00.000Z', timeZone: 'Asia/Kolkata' })] } })
    const result = outcomeOf(await schedule('at', '2026-11-24T18:00', 'Asia/Kolkata'))
    expect(api.seen).toHaveLength(1)
    expect(api.seen[0]).toMatchObject({ method: 'POST', url: `/api/cards/${CARD}/scheduled-posts`, headers: { 'x-csrf-token': 'tok', cookie: 'gl_session=abc' } })
    expect(JSON.parse(api.seen[0]!.body)).toEqual({ socialAccountIds: [INSTAGRAM], at: '2026-11-24T12:30:00.000Z', timeZone: 'Asia/Kolkata' })
    expect(result).toEqual({
      status: undefined,
      data: { intent: 'schedule', ok: true, accountIds: [INSTAGRAM], notice: 'Scheduled for Instagram @luna.coffee on Tue 24 Nov 2026, 18:00 (Asia/Kolkata).' },
    })
  })

  it('posts now with at: null, and says that a repeated time took the first pass', async () => {
    api.queue({ status: 201, body: { posts: [post({ socialAccountId: INSTAGRAM, platform: 'instagram', handle: 'luna.coffee' })] } })
    const now = outcomeOf(await schedule('now', '', 'Europe/Berlin'))
    expect(JSON.parse(api.seen[0]!.body)).toEqual({ socialAccountIds: [INSTAGRAM], at: null, timeZone: 'Europe/Berlin' })
    expect(now.data).toMatchObject({ ok: true, notice: 'Posting now to Instagram @luna.coffee: the status below follows it.' })

    api.queue({ status: 201, body: { posts: [post({ scheduledAt: '2027-10-31T00:30:00.000Z' })] } })
    const twice = outcomeOf(await schedule('at', '2027-10-31T02:30', 'Europe/Berlin'))
    expect(JSON.parse(api.seen[1]!.body)).toMatchObject({ at: '2027-10-31T00:30:00.000Z' })
    expect(twice.data).toMatchObject({ ok: true, notice: expect.stringContaining('02:30 happens twice on Sun 31 Oct 2027 in Europe/Berlin (clocks go back): the first one is used.') })
  })

  it('refuses a time the clocks skip without calling the API', async () => {
    const result = outcomeOf(await schedule('at', '2027-03-28T02:30', 'Europe/Berlin'))
    expect(api.seen).toEqual([])
    expect(result).toEqual({
      status: 400,
      data: {
        intent: 'schedule',
        ok: false,
        accountIds: [INSTAGRAM],
        code: 'VALIDATION_FAILED',
        error: '02:30 does not happen on Sun 28 Mar 2027 in Europe/Berlin: clocks jump from 02:00 to 03:00. Choose a time outside the jump.',
        values: { local: '2027-03-28T02:30', timeZone: 'Europe/Berlin' },
      },
    })
  })

  it('gives the API’s refusal back for the form, with what was typed', async () => {
    api.queue({ status: 409, body: errorBody('ACCOUNT_NEEDS_REAUTH', '@luna.coffee must be reconnected before it can post.') })
    const result = outcomeOf(await schedule('at', '2026-12-01T10:00', 'Europe/Berlin'))
    expect(result).toEqual({
      status: 409,
      data: {
        intent: 'schedule',
        ok: false,
        accountIds: [INSTAGRAM],
        code: 'ACCOUNT_NEEDS_REAUTH',
        error: '@luna.coffee must be reconnected before it can post.',
        values: { local: '2026-12-01T10:00', timeZone: 'Europe/Berlin' },
      },
    })
  })

  it('says a workflow service that is down next to the form too', async () => {
    api.queue({ status: 503, body: errorBody('TEMPORAL_UNAVAILABLE', 'The workflow service is not reachable; try again in a minute.') })
    expect(outcomeOf(await schedule('now', '', 'Europe/Berlin'))).toMatchObject({
      status: 503,
      data: { intent: 'schedule', ok: false, code: 'TEMPORAL_UNAVAILABLE', error: 'The workflow service is not reachable; try again in a minute.' },
    })
  })

  it('reschedules, cancels and verifies a post', async () => {
    api.queue({ status: 200, body: { post: post({ scheduledAt: '2026-11-21T14:00:00.000Z', timeZone: 'America/New_York' }) } })
    const moved = outcomeOf(await postTo([['intent', 'reschedule-post'], ['postId', SCHEDULED], ['local', '2026-11-21T09:00'], ['timeZone', 'America/New_York']]))
    expect(api.seen[0]).toMatchObject({ method: 'POST', url: `/api/scheduled-posts/${SCHEDULED}/reschedule` })
    expect(JSON.parse(api.seen[0]!.body)).toEqual({ at: '2026-11-21T14:00:00.000Z', timeZone: 'America/New_York' })
    expect(moved.data).toEqual({ intent: 'reschedule-post', ok: true, postId: SCHEDULED, notice: 'Moved to Sat 21 Nov 2026, 09:00 (America/New_York).' })

    api.queue({ status: 409, body: errorBody('POST_NOT_CANCELLABLE', 'It is being published right now.') })
    const cancel = outcomeOf(await postTo([['intent', 'cancel-post'], ['postId', SCHEDULED]]))
    expect(api.seen[1]).toMatchObject({ method: 'POST', url: `/api/scheduled-posts/${SCHEDULED}/cancel`, body: '' })
    expect(cancel).toEqual({ status: 409, data: { intent: 'cancel-post', ok: false, postId: SCHEDULED, code: 'POST_NOT_CANCELLABLE', error: 'It is being published right now.', values: null } })

    api.queue({ status: 200, body: { post: post({ id: UNCONFIRMED, status: 'published' }), verification: { outcome: 'published', message: 'Found on TikTok: the post is published.' } } })
    const verify = outcomeOf(await postTo([['intent', 'verify-post'], ['postId', UNCONFIRMED]]))
    expect(api.seen[2]).toMatchObject({ method: 'POST', url: `/api/scheduled-posts/${UNCONFIRMED}/verify`, headers: { 'x-csrf-token': 'tok' } })
    expect(verify.data).toEqual({ intent: 'verify-post', ok: true, postId: UNCONFIRMED, notice: 'Found on TikTok: the post is published.' })
  })

  it('refuses a post id that is not one', async () => {
    expect(outcomeOf(await postTo([['intent', 'cancel-post'], ['postId', '../../admin']]))).toMatchObject({ status: 400 })
    expect(api.seen).toEqual([])
  })
})

describe('the drawer’s publishing data', () => {
  const args = () => {
    const request = new Request(`http://web.test${drawerPath}`, { headers: { cookie: 'gl_session=abc' } })
    return { request, url: new URL(request.url) }
  }

  it('reads the card’s publishing, and nothing for a role that may not see it', async () => {
    api.queue({ status: 200, body: publishing })
    expect(await loadCardPublishing(args(), CARD)).toEqual(publishing)
    expect(api.seen[0]).toMatchObject({ method: 'GET', url: `/api/cards/${CARD}/publishing` })

    api.queue({ status: 403, body: errorBody('FORBIDDEN', 'Client approvers do not see publishing.') })
    expect(await loadCardPublishing(args(), CARD)).toBeNull()
  })
})
