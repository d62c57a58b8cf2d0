// Scheduled publishing end to end: the API schedules, the worker's publish workflows publish to the Meta and
// TikTok stand-ins over HTTP, and the stand-ins' own logs prove every post went out once. Also the refusals,
// reschedule and cancel as Updates, the sweep, and the outcomes that need a person (unconfirmed, reconnect).
import { existsSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { historyToJSON } from '@temporalio/common/lib/proto-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMissingPublishWorkflows } from '../../api/services/publishing'
import { postMetricsWorkflowId, publishWorkflowId } from '../../workflows/publish-post/definitions'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { eventually } from '../support/approvals'
import { json } from '../support/campaigns'
import { approvedCard, publishingScope, reconnectAccount, startPublishingSandbox, type PublishingSandbox, type PublishingScope } from '../support/publishing'

let h: ApiHarness
let sandbox: PublishingSandbox
/** The Slack-compatible webhook the worker posts failed and unconfirmed posts to. */
let webhook: { url: string; posts: { text: string }[]; close(): Promise<void> }
let owner: TestMember
let scope: PublishingScope

beforeAll(async () => {
  sandbox = await startPublishingSandbox({ meta: { publishing: { containerProcessingMs: 300 } }, tiktok: { publishing: { processingDelayMs: 300 } } })
  webhook = await startWebhook()
  // Short platform timeouts, so a stand-in told to stall makes a call go unanswered within the test.
  h = await startApiHarness({ oauth: sandbox.oauth, platformRequestTimeoutMs: 1_500, notifyWebhookUrl: webhook.url })
  await h.startWorker()
  owner = await h.newTenant()
  scope = await publishingScope(h.db, sandbox, owner.agencyId)
}, 120_000)
afterAll(async () => {
  await h?.stop()
  await sandbox?.stop()
  await webhook?.close()
})

async function startWebhook() {
  const posts: { text: string }[] = []
  const server = http.createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      posts.push(JSON.parse(body) as { text: string })
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, posts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/**
 * With GREENLIGHT_RECORD_HISTORIES=1, writes a finished publish run's history for the replay test
 * (tests/workflows/replay.test.ts). A committed history is kept: it stands for runs in flight.
 */
async function recordHistory(postId: string, file: string): Promise<void> {
  if (process.env.GREENLIGHT_RECORD_HISTORIES !== '1') return
  const handle = h.env.client.workflow.getHandle(publishWorkflowId(postId))
  await handle.result()
  const target = path.join(import.meta.dirname, '..', 'workflows', 'histories', file)
  if (!existsSync(target)) writeFileSync(target, historyToJSON(await handle.fetchHistory()) + '\n')
}

const schedule = (who: TestMember, cardId: string, body: unknown) => h.app.inject({ method: 'POST', url: `/api/cards/${cardId}/scheduled-posts`, ...json(who, body) })
const postRow = (id: string) => h.db.scheduledPost.findUniqueOrThrow({ where: { id } })
const settled = (id: string, statuses: string[]) => eventually(() => postRow(id), (row) => statuses.includes(row.status), `post ${id} ${statuses.join('/')}`)

describe('publishing a card now', () => {
  it('publishes to Instagram, Facebook and TikTok once each, records the posts, moves the card and starts the metrics', async () => {
    const card = await approvedCard(h.db, h.app.storage, scope, { platforms: ['instagram', 'facebook', 'tiktok'] })
    const response = await schedule(owner, card.id, { socialAccountIds: Object.values(scope.accounts).map((a) => a.id), at: null, timeZone: 'Europe/Berlin' })
    expect(response.statusCode, response.body).toBe(201)
    const posts = response.json().posts as { id: string; platform: string; sandbox: boolean; status: string }[]
    expect(posts).toHaveLength(3)
    expect(posts.every((post) => post.sandbox)).toBe(true)
    expect((await h.db.contentTask.findUniqueOrThrow({ where: { id: card.id } })).column).toBe('Scheduled')

    // The post id is recorded the moment the platform answers, the link a read later.
    const rows = await Promise.all(
      posts.map((post) => eventually(() => postRow(post.id), (row) => ['failed', 'unconfirmed'].includes(row.status) || (row.status === 'published' && row.permalink !== null), `post ${post.id} settled`)),
    )
    for (const row of rows) {
      expect(row.status, `${row.platform}: ${row.statusReason}`).toBe('published')
      expect(row.platformPostId).toBeTruthy()
    }
    // Every link leads to the post's page (on the stand-ins, for sandbox accounts).
    for (const row of rows) {
      expect(row.permalink, `${row.platform} permalink`).toMatch(new RegExp(`^${sandbox.base}/`))
      expect((await fetch(row.permalink!)).status, `${row.platform} permalink ${row.permalink}`).toBe(200)
    }
    // The stand-ins' own records: exactly one publication per post.
    const instagram = rows.find((row) => row.platform === 'instagram')!
    expect(sandbox.meta.publishing.createdPublishes().filter((entry) => entry.createdId === instagram.platformPostId)).toHaveLength(1)
    expect(sandbox.meta.publishing.createdPublishes().filter((entry) => entry.platform === 'facebook' && entry.createdId === rows.find((row) => row.platform === 'facebook')!.platformPostId)).toHaveLength(1)
    expect(sandbox.tiktok.publishLog().filter((entry) => entry.title.startsWith(card.caption.slice(0, 20)))).toHaveLength(1)

    await eventually(() => h.db.contentTask.findUniqueOrThrow({ where: { id: card.id } }), (row) => row.column === 'Published', 'card published')
    // The run starts the metrics workflow once the card has moved.
    const metrics = await eventually(() => h.env.client.workflow.getHandle(postMetricsWorkflowId(instagram.id)).describe().catch(() => null), (description) => description !== null, 'metrics workflow')
    expect(metrics!.status.name).toBe('RUNNING')
    const publish = await eventually(() => h.env.client.workflow.getHandle(publishWorkflowId(instagram.id)).describe(), (description) => description.status.name !== 'RUNNING', 'publish run ended')
    expect(publish.status.name).toBe('COMPLETED')
    await recordHistory(instagram.id, 'publish-instagram-now.json')

    // Reading it back: the card's publishing view and the calendar show the published posts.
    const publishing = await h.app.inject({ method: 'GET', url: `/api/cards/${card.id}/publishing`, headers: owner.headers })
    expect(publishing.json().posts.map((post: { status: string }) => post.status)).toEqual(['published', 'published', 'published'])
    // Each account holds its published post: the drawer offers no second scheduling.
    expect(publishing.json().targets.every((target: { livePostId: string | null }) => target.livePostId !== null)).toBe(true)
    const from = new Date(Date.now() - 86_400_000).toISOString()
    const to = new Date(Date.now() + 86_400_000).toISOString()
    const calendar = await h.app.inject({ method: 'GET', url: `/api/workspaces/${scope.workspaceId}/scheduled-posts?from=${from}&to=${to}`, headers: owner.headers })
    expect(calendar.statusCode, calendar.body).toBe(200)
    expect(calendar.json().timeZone).toBe('Europe/Berlin')
    expect(calendar.json().posts.filter((post: { cardId: string }) => post.cardId === card.id)).toHaveLength(3)

    // The analytics read the snapshots (written here as the metrics workflow's first pull would).
    for (const [index, row] of rows.entries()) {
      await h.db.postMetricSnapshot.create({
        data: { agencyId: owner.agencyId, scheduledPostId: row.id, pullIndex: 0, capturedAt: new Date(), views: 1_000 * (index + 1), reach: 800 * (index + 1), likes: 40 * (index + 1) ** 2, comments: 5, shares: 3, saves: null, clicks: null, engagementRate: (40 * (index + 1) ** 2 + 8) / (800 * (index + 1)) },
      })
    }
    const analytics = await h.app.inject({ method: 'GET', url: `/api/workspaces/${scope.workspaceId}/analytics?groupBy=platform&days=30`, headers: owner.headers })
    expect(analytics.statusCode, analytics.body).toBe(200)
    const view = analytics.json()
    expect(view.groups.map((group: { key: string }) => group.key).sort()).toEqual(['facebook', 'instagram', 'tiktok'])
    expect(view.totals.views).toBe(6_000)
    expect(view.top).toHaveLength(3)
    expect(view.top[0].post.id).toBe(rows[2]!.id)
    expect(view.top[0].reasons.length).toBeGreaterThanOrEqual(2)
    expect((await h.app.inject({ method: 'GET', url: `/api/workspaces/${scope.workspaceId}/analytics?days=0`, headers: owner.headers })).statusCode).toBe(400)
  }, 60_000)
})

describe('refusals', () => {
  it('answers each bad request with its code and writes nothing', async () => {
    const draft = await approvedCard(h.db, h.app.storage, scope, { platforms: ['instagram'], column: 'In_Progress' })
    const card = await approvedCard(h.db, h.app.storage, scope, { platforms: ['instagram'] })
    const textOnly = await approvedCard(h.db, h.app.storage, scope, { platforms: ['tiktok'], media: 'none' })
    const ig = scope.accounts.instagram.id
    const later = new Date(Date.now() + 3_600_000).toISOString()
    const cases: [string, number, string][] = [
      [draft.id, 409, 'CARD_NOT_APPROVED'],
      [card.id, 400, 'SCHEDULE_IN_PAST'],
      [card.id, 400, 'SCHEDULE_TOO_FAR'],
      [card.id, 400, 'INVALID_TIME_ZONE'],
      [card.id, 400, 'ACCOUNT_NOT_TARGET'],
      [textOnly.id, 400, 'NO_MEDIA'],
    ]
    const bodies = [
      { socialAccountIds: [ig], at: later, timeZone: 'UTC' },
      { socialAccountIds: [ig], at: new Date(Date.now() - 3_600_000).toISOString(), timeZone: 'UTC' },
      { socialAccountIds: [ig], at: new Date(Date.now() + 91 * 86_400_000).toISOString(), timeZone: 'UTC' },
      { socialAccountIds: [ig], at: later, timeZone: 'Mars/Olympus' },
      { socialAccountIds: [scope.accounts.tiktok.id], at: later, timeZone: 'UTC' },
      { socialAccountIds: [scope.accounts.tiktok.id], at: later, timeZone: 'UTC' },
    ]
    for (const [index, [cardId, status, code]] of cases.entries()) {
      const response = await schedule(owner, cardId, bodies[index])
      expect(response.statusCode, `${code}: ${response.body}`).toBe(status)
      expect(response.json().error.code).toBe(code)
    }
    expect(await h.db.scheduledPost.count({ where: { cardId: { in: [draft.id, card.id, textOnly.id] } } })).toBe(0)

    // An analyst reads but does not schedule; another agency does not see the card at all.
    const analyst = await h.newMember(owner.agencyId, 'analyst')
    expect((await schedule(analyst, card.id, bodies[0])).statusCode).toBe(403)
    const stranger = await h.newTenant()
    expect((await schedule(stranger, card.id, bodies[0])).statusCode).toBe(404)
    expect((await h.app.inject({ method: 'GET', url: `/api/cards/${card.id}/publishing`, headers: stranger.headers })).statusCode).toBe(404)

    // Scheduling twice to one account is refused while the first post is live.
    expect((await schedule(owner, card.id, bodies[0])).statusCode).toBe(201)
    const twice = await schedule(owner, card.id, bodies[0])
    expect(twice.statusCode).toBe(409)
    expect(twice.json().error.code).toBe('ALREADY_SCHEDULED')
  }, 60_000)
})

describe('reschedule and cancel', () => {
  it('moves a waiting post through its run, cancels it, takes the card back to Approved, and refuses both afterwards', async () => {
    const card = await approvedCard(h.db, h.app.storage, scope, { platforms: ['facebook'] })
    const created = await schedule(owner, card.id, { socialAccountIds: [scope.accounts.facebook.id], at: new Date(Date.now() + 2 * 3_600_000).toISOString(), timeZone: 'UTC' })
    const post = created.json().posts[0] as { id: string }
    const at = new Date(Date.now() + 5 * 3_600_000)
    at.setUTCSeconds(0, 0)
    const moved = await h.app.inject({ method: 'POST', url: `/api/scheduled-posts/${post.id}/reschedule`, ...json(owner, { at: at.toISOString(), timeZone: 'America/New_York' }) })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(moved.json().post).toMatchObject({ scheduledAt: at.toISOString(), timeZone: 'America/New_York', status: 'scheduled' })
    const state = await h.env.client.workflow.getHandle(publishWorkflowId(post.id)).query('publishPostState')
    expect(state).toMatchObject({ status: 'scheduled', scheduledAt: at.toISOString() })

    const cancelled = await h.app.inject({ method: 'POST', url: `/api/scheduled-posts/${post.id}/cancel`, ...json(owner, {}) })
    expect(cancelled.statusCode, cancelled.body).toBe(200)
    expect(cancelled.json().post.status).toBe('cancelled')
    expect((await h.db.contentTask.findUniqueOrThrow({ where: { id: card.id } })).column).toBe('Approved')
    const again = await h.app.inject({ method: 'POST', url: `/api/scheduled-posts/${post.id}/reschedule`, ...json(owner, { at: at.toISOString() }) })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('POST_NOT_RESCHEDULABLE')
    await recordHistory(post.id, 'publish-reschedule-cancel.json')
    expect(sandbox.meta.publishing.publishLog().filter((entry) => entry.account === scope.accounts.facebook.externalId && entry.outcome === 'published').every((entry) => entry.createdId !== null)).toBe(true)
  }, 60_000)
})

describe('the sweep', () => {
  it('starts a post whose run is missing, once', async () => {
    const card = await approvedCard(h.db, h.app.storage, scope, { platforms: ['instagram'] })
    const row = await h.db.scheduledPost.create({
      data: {
        agencyId: scope.agencyId,
        workspaceId: scope.workspaceId,
        campaignId: scope.campaignId,
        cardId: card.id,
        socialAccountId: scope.accounts.instagram.id,
        platform: 'instagram',
        scheduledAt: new Date(Date.now() + 10 * 60_000),
        timeZone: 'UTC',
        caption: card.caption,
        createdAt: new Date(Date.now() - 5 * 60_000),
      },
    })
    const deps = { db: h.db, temporal: h.env.client, settings: h.app.settings }
    expect(await startMissingPublishWorkflows(deps)).toContain(row.id)
    expect(await startMissingPublishWorkflows(deps)).not.toContain(row.id)
    await h.env.client.workflow.getHandle(publishWorkflowId(row.id)).terminate('test over')
  }, 30_000)
})

describe('outcomes that need a person', () => {
  it('makes an unanswered Facebook post unconfirmed and notifies, and "verify on platform" finds it published once', async () => {
    const card = await approvedCard(h.db, h.app.storage, scope, { platforms: ['facebook'] })
    // The stand-in creates the post but answers after the client has given up.
    await sandbox.control('meta', '/faults', { delayMs: 2_500, count: 1, path: '/*/photos', method: 'POST' })
    const created = await schedule(owner, card.id, { socialAccountIds: [scope.accounts.facebook.id], at: null, timeZone: 'UTC' })
    const post = created.json().posts[0] as { id: string }
    const row = await settled(post.id, ['unconfirmed', 'published', 'failed'])
    expect(row.status, row.statusReason ?? '').toBe('unconfirmed')
    await eventually(() => h.db.notification.count({ where: { userId: owner.userId, kind: 'post.unconfirmed' } }), (n) => n > 0, 'unconfirmed notice')

    const verified = await h.app.inject({ method: 'POST', url: `/api/scheduled-posts/${post.id}/verify`, ...json(owner, {}) })
    expect(verified.statusCode, verified.body).toBe(200)
    expect(verified.json().verification.outcome).toBe('published')
    const published = await settled(post.id, ['published'])
    const onPage = sandbox.meta.publishing.createdPublishes().filter((entry) => entry.platform === 'facebook' && entry.createdId === published.platformPostId)
    expect(onPage).toHaveLength(1)
    await recordHistory(post.id, 'publish-unconfirmed-verify.json')
  }, 60_000)

  it('waits for a reconnect when the token is refused, and publishes once after it', async () => {
    const card = await approvedCard(h.db, h.app.storage, scope, { platforms: ['instagram'] })
    await sandbox.control('meta', '/faults', { status: 400, code: 190, subcode: 463, count: 1, account: scope.accounts.instagram.externalId })
    const created = await schedule(owner, card.id, { socialAccountIds: [scope.accounts.instagram.id], at: null, timeZone: 'UTC' })
    const post = created.json().posts[0] as { id: string }
    const row = await settled(post.id, ['needs_reauth', 'published', 'failed'])
    expect(row.status, row.statusReason ?? '').toBe('needs_reauth')
    expect((await h.db.socialAccount.findUniqueOrThrow({ where: { id: scope.accounts.instagram.id } })).status).toBe('needs_reauth')

    await reconnectAccount(h.db, scope.accounts.instagram.id, sandbox.meta.issuePageToken('104500000000001'))
    await h.env.client.workflow.getHandle(publishWorkflowId(post.id)).signal('accountReconnected', { by: 'test' })
    const published = await settled(post.id, ['published'])
    expect(sandbox.meta.publishing.createdPublishes().filter((entry) => entry.createdId === published.platformPostId)).toHaveLength(1)
    await recordHistory(post.id, 'publish-reauth-reconnect.json')
  }, 60_000)
})

describe('limits and refusals from the platform', () => {
  it('defers a post when Instagram\'s daily quota is used up, with the reason and when it goes again', async () => {
    sandbox.meta.publishing.setInstagramQuota(scope.accounts.instagram.externalId, 0)
    try {
      const card = await approvedCard(h.db, h.app.storage, scope, { platforms: ['instagram'] })
      const created = await schedule(owner, card.id, { socialAccountIds: [scope.accounts.instagram.id], at: null, timeZone: 'UTC' })
      const post = created.json().posts[0] as { id: string }
      const row = await settled(post.id, ['deferred', 'published', 'failed'])
      expect(row.status, row.statusReason ?? '').toBe('deferred')
      expect(row.statusReason).toMatch(/posts per day|limit/i)
      expect(row.deferredUntil!.getTime()).toBeGreaterThan(Date.now())
      const view = (await h.app.inject({ method: 'GET', url: `/api/scheduled-posts/${post.id}`, headers: owner.headers })).json().post
      expect(view).toMatchObject({ status: 'deferred', statusLabel: 'Deferred (platform limit)', canReschedule: true, canCancel: true })
      expect(sandbox.meta.publishing.createdPublishes().filter((entry) => entry.containerId !== null && entry.account === scope.accounts.instagram.externalId && Date.parse(entry.at) > row.createdAt.getTime())).toHaveLength(0)
    } finally {
      sandbox.meta.publishing.setInstagramQuota(scope.accounts.instagram.externalId, 50)
    }
  }, 60_000)

  it('uploads the media again in a new container when Instagram’s processing ends in an unknown upload error', async () => {
    const instagram = scope.accounts.instagram
    const card = await approvedCard(h.db, h.app.storage, scope, { platforms: ['instagram'] })
    // The next container's processing ends in ERROR -1/2207053 ("upload again").
    sandbox.meta.publishing.configure({ failNextContainers: 1 })
    const since = Date.now()
    const created = await schedule(owner, card.id, { socialAccountIds: [instagram.id], at: null, timeZone: 'UTC' })
    const post = created.json().posts[0] as { id: string }
    const row = await settled(post.id, ['published', 'failed'])
    expect(row.status, row.statusReason ?? '').toBe('published')
    expect(sandbox.meta.publishing.config.failNextContainers).toBe(0)
    // One media_publish, of the new container (the spent one, in ERROR, was never sent), which made the post.
    const attempts = sandbox.meta.publishing.publishLog().filter((entry) => entry.account === instagram.externalId && Date.parse(entry.at) >= since)
    expect(attempts).toHaveLength(1)
    expect(attempts[0]).toMatchObject({ outcome: 'published', containerId: row.containerId, createdId: row.platformPostId })
  }, 60_000)

  it('fails a post the platform refuses, with its reason, and tells the scheduler in the app, by e-mail and on the webhook once', async () => {
    // Instagram refuses captions with more than 30 hashtags.
    const caption = Array.from({ length: 31 }, (_, i) => `#tag${i}`).join(' ')
    const card = await approvedCard(h.db, h.app.storage, scope, { platforms: ['instagram'], caption })
    const created = await schedule(owner, card.id, { socialAccountIds: [scope.accounts.instagram.id], at: null, timeZone: 'UTC' })
    const post = created.json().posts[0] as { id: string }
    const row = await settled(post.id, ['failed', 'published'])
    expect(row.status).toBe('failed')
    expect(row.statusReason).toMatch(/hashtags/)
    const notices = await eventually(() => h.db.notification.findMany({ where: { userId: owner.userId, kind: 'post.failed', link: { contains: card.id } } }), (rows) => rows.length > 0, 'failure notice')
    expect(notices).toHaveLength(1)
    await eventually(() => h.db.emailOutbox.count({ where: { toAddress: owner.email, subject: { contains: 'Post failed' } } }), (n) => n > 0, 'failure e-mail')
    await eventually(async () => webhook.posts.filter((message) => message.text.includes('Post failed') && message.text.includes(card.id)).length, (n) => n === 1, 'one webhook post')
    // The card had nothing else to publish: it goes back to Approved.
    await eventually(() => h.db.contentTask.findUniqueOrThrow({ where: { id: card.id } }), (row) => row.column === 'Approved', 'card back to Approved')
  }, 60_000)

  it('holds an account back when the platform says it is throttled, for every post of it', async () => {
    const card = await approvedCard(h.db, h.app.storage, scope, { platforms: ['facebook'] })
    // Graph's Page throttle (32) with five minutes to regain access, on this Page's next post call.
    await sandbox.control('meta', '/faults', { status: 400, code: 32, count: 1, account: scope.accounts.facebook.externalId, path: '/*/photos', method: 'POST', regainAccessMinutes: 5 })
    const created = await schedule(owner, card.id, { socialAccountIds: [scope.accounts.facebook.id], at: null, timeZone: 'UTC' })
    const post = created.json().posts[0] as { id: string }
    const account = await eventually(
      () => h.db.socialAccount.findUniqueOrThrow({ where: { id: scope.accounts.facebook.id } }),
      (row) => row.throttledUntil !== null && row.throttledUntil.getTime() > Date.now() + 60_000,
      'account throttled',
    )
    expect(account.lastUsage).toMatchObject({ maxPct: 100 })
    // The post waits out the throttle as deferred (longer than a retry's wait), with the reason.
    const row = await settled(post.id, ['deferred', 'published', 'failed'])
    expect(row.status, row.statusReason ?? '').toBe('deferred')
    expect(row.statusReason).toMatch(/slow down/)
    const attempts = sandbox.meta.publishing.publishLog().filter((entry) => entry.account === scope.accounts.facebook.externalId && Date.parse(entry.at) >= row.createdAt.getTime())
    expect(attempts.filter((entry) => entry.outcome === 'published')).toHaveLength(0)
    await h.db.socialAccount.update({ where: { id: scope.accounts.facebook.id }, data: { throttledUntil: null } })
  }, 60_000)

  it('holds back the posts of an account queued behind a call the platform throttled', async () => {
    // A Page of its own: the one above is still throttled in the worker's memory for a few minutes.
    const own = await publishingScope(h.db, sandbox, owner.agencyId, { page: 1, tiktokUser: 1 })
    const facebook = own.accounts.facebook
    const cards = await Promise.all(Array.from({ length: 7 }, () => approvedCard(h.db, h.app.storage, own, { platforms: ['facebook'] })))
    // The Page's first post call is answered after 1.2 s (within the client's 1.5 s) with Graph's Page throttle
    // (5 minutes to regain access); the next three take 1.3 s and go through. So four calls are in flight (4 per
    // account) and the other three posts are queued behind them when the throttle comes back.
    await sandbox.control('meta', '/faults', { status: 400, code: 32, count: 1, delayMs: 1_200, account: facebook.externalId, path: '/*/photos', method: 'POST', regainAccessMinutes: 5 })
    await sandbox.control('meta', '/faults', { delayMs: 1_300, count: 3, account: facebook.externalId, path: '/*/photos', method: 'POST' })
    const since = Date.now()
    const postIds = await Promise.all(
      cards.map(async (card) => {
        const created = await schedule(owner, card.id, { socialAccountIds: [facebook.id], at: null, timeZone: 'UTC' })
        expect(created.statusCode, created.body).toBe(201)
        return (created.json().posts as { id: string }[])[0]!.id
      }),
    )
    const rows = await Promise.all(postIds.map((id) => settled(id, ['deferred', 'published', 'failed'])))
    const calls = sandbox.meta.publishing.publishLog().filter((entry) => entry.account === facebook.externalId && Date.parse(entry.at) >= since)
    // Only the calls already in flight when the throttle came back went out; the queued ones waited as deferred
    // (they read the account's row before it was throttled: the process's own record of the throttle held them).
    const published = rows.filter((row) => row.status === 'published')
    expect(published).toHaveLength(3)
    expect(rows.filter((row) => row.status === 'deferred')).toHaveLength(4)
    expect(calls.filter((entry) => entry.outcome === 'published')).toHaveLength(published.length)
    for (const row of rows.filter((each) => each.status === 'deferred')) expect(row.statusReason).toMatch(/slow down/)
  }, 90_000)
})
