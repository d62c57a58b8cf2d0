// Publishing when things go wrong, end to end: the real worker (in process, or as a child process that is
// killed), the real Temporal dev server and the Meta and TikTok stand-ins over HTTP. Storms of posts due at the
// same moment meet injected platform failures, a worker crash and an expired token; every post must end
// published, or failed or unconfirmed with its scheduler told, and the stand-ins' own records (their publish
// logs and post lists) must show no post published twice.
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { resumePostsAfterReconnect } from '../../api/services/publishing'
import { PLATFORM_LABELS, type SocialPlatform } from '../../domain/brand-kit'
import type { ScheduledPost } from '../../generated/prisma/client'
import { aiSettings } from '../../platform/config'
import { scopedToAgency } from '../../platform/tenant-scope'
import { META_SANDBOX_PAGES } from '../../sandbox/meta'
import type { StandIn } from '../../sandbox/server'
import { publishWorkflowId, REAUTH_RECHECK_MS } from '../../workflows/publish-post/definitions'
import { startApiHarness, testTokenKeys, type ApiHarness, type TestMember } from '../support/api'
import { json } from '../support/campaigns'
import { approvedCard, publishingScope, reconnectAccount, startPublishingSandbox, type PublishingSandbox, type PublishingScope } from '../support/publishing'
import { harnessWorkerSettings, startWorkerProcess, stopWorkerProcesses, type WorkerProcess } from '../support/worker-process'

// The cards' media go to a folder of this file's own, which the worker processes read them from too.
vi.hoisted(() => {
  const { mkdtempSync } = process.getBuiltinModule('node:fs')
  const { tmpdir } = process.getBuiltinModule('node:os')
  const { join } = process.getBuiltinModule('node:path')
  process.env.GREENLIGHT_DATA_DIR = mkdtempSync(join(tmpdir(), 'greenlight-publish-failures-'))
  process.env.STORAGE_DRIVER = 'local'
})

/** The in-process worker's limit per platform call; a stand-in told to wait longer leaves the call unanswered. */
const PLATFORM_TIMEOUT_MS = 3_000
const UNANSWERED_DELAY_MS = PLATFORM_TIMEOUT_MS + 2_000
const TERMINAL = ['published', 'failed', 'unconfirmed']
/** How much later than the rest of its storm an account's last posts are due, in the token-expiry test. */
const LATE_WAVE_MS = 9_000

/**
 * Stand-ins whose own daily caps and per-minute limits are out of the way, so every failure a test meets is
 * one it injected.
 */
function startRoomySandbox(): Promise<PublishingSandbox> {
  return startPublishingSandbox({
    meta: { publishing: { containerProcessingMs: 300, instagramQuotaTotal: 1_000 } },
    tiktok: {
      publishing: {
        processingDelayMs: 300,
        dailyPostCap: 1_000,
        activeUserCap: 100,
        rateLimits: { creator_info: 10_000, video_init: 10_000, content_init: 10_000, status_fetch: 10_000 },
      },
    },
  })
}

interface StormPost {
  id: string
  platform: SocialPlatform
  socialAccountId: string
  /** The account's id on the platform: Instagram user, Page, TikTok open id. */
  externalId: string
  handle: string
  cardId: string
  campaignId: string
  caption: string
  dueAt: Date
}

interface CardPlan {
  scope: PublishingScope
  platforms: SocialPlatform[]
  media: 'image' | 'video'
}

/** How far ahead of the end of the scheduling requests a storm is due, so that it is due all at once. */
const STORM_LEAD_MS = 3_000

/**
 * Creates the cards, then schedules each to its accounts through the API (one request after the other, as
 * people would), all due at one moment a little ahead; `delayed` holds some platforms' posts back from it.
 */
async function scheduleStorm(
  h: ApiHarness,
  who: TestMember,
  plans: CardPlan[],
  delayed: (plan: CardPlan, index: number) => Partial<Record<SocialPlatform, number>> = () => ({}),
): Promise<{ posts: StormPost[]; dueAt: Date }> {
  const cards = []
  for (const plan of plans) cards.push({ plan, card: await approvedCard(h.db, h.app.storage, plan.scope, { platforms: plan.platforms, media: plan.media }) })
  // About 60 ms a request, on a quiet machine.
  const dueAt = new Date(Date.now() + STORM_LEAD_MS + cards.length * 60)
  const posts: StormPost[] = []
  for (const [index, { plan, card }] of cards.entries()) {
    // One request per distinct time: a card may go to one account now and to another later.
    const groups = new Map<number, SocialPlatform[]>()
    for (const platform of plan.platforms) {
      const time = dueAt.getTime() + (delayed(plan, index)[platform] ?? 0)
      groups.set(time, [...(groups.get(time) ?? []), platform])
    }
    for (const [time, platforms] of groups) {
      const response = await h.app.inject({
        method: 'POST',
        url: `/api/cards/${card.id}/scheduled-posts`,
        ...json(who, { socialAccountIds: platforms.map((platform) => plan.scope.accounts[platform].id), at: new Date(time).toISOString(), timeZone: 'Europe/Berlin' }),
      })
      expect(response.statusCode, response.body).toBe(201)
      for (const view of response.json().posts as { id: string; platform: SocialPlatform; socialAccountId: string }[]) {
        const account = plan.scope.accounts[view.platform]
        posts.push({ id: view.id, platform: view.platform, socialAccountId: view.socialAccountId, externalId: account.externalId, handle: account.handle, cardId: card.id, campaignId: plan.scope.campaignId, caption: card.caption, dueAt: new Date(time) })
      }
    }
  }
  return { posts, dueAt }
}

/** Reads until `done` holds, every 250 ms, for at most `timeoutMs`; the failure message shows the last value. */
async function waitUntil<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, show: (value: T) => string = (value) => JSON.stringify(value)): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}: ${show(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

const rowsOf = (h: ApiHarness, posts: StormPost[]) => h.db.scheduledPost.findMany({ where: { id: { in: posts.map((post) => post.id) } } })

/** Status counts, and the posts not yet in one of `statuses` with their reasons: what a timed-out wait shows. */
function summary(rows: ScheduledPost[], statuses: string[] = TERMINAL): string {
  const counts: Record<string, number> = {}
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1
  const open = rows.filter((row) => !statuses.includes(row.status)).map((row) => `${row.platform} ${row.id} ${row.status} (attempts ${row.attempts}, pending ${row.pendingCall ?? '-'}): ${row.statusReason ?? ''}`)
  return `${JSON.stringify(counts)}\n${open.slice(0, 15).join('\n')}`
}

const settledRows = (h: ApiHarness, posts: StormPost[], statuses: string[], timeoutMs: number) =>
  waitUntil(`${posts.length} posts to be ${statuses.join(' / ')}`, () => rowsOf(h, posts), (rows) => rows.length === posts.length && rows.every((row) => statuses.includes(row.status)), timeoutMs, (rows) => summary(rows, statuses))

const accountKey = (platform: string, externalId: string, caption: string) => `${platform} ${externalId} ${caption}`

/**
 * What the stand-ins hold for these posts' accounts, as the platforms themselves list it: the Instagram
 * account's media and the Page's published posts (read over Graph with a fresh token), and TikTok's publish log.
 * Keyed by account and caption (every card's caption is unique), each with the ids of its publications.
 */
async function publicationsOnStandIns(sandbox: PublishingSandbox, posts: StormPost[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>()
  const add = (key: string, id: string) => found.set(key, [...(found.get(key) ?? []), id])
  const graph = `${sandbox.base}/meta/${sandbox.oauth.meta.graphVersion}`
  const graphRead = async (url: string, pageId: string) => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${sandbox.meta.issuePageToken(pageId)}` } })
    const body = (await response.json()) as { data?: { id: string; caption?: string; message?: string }[]; paging?: { next?: string } }
    if (!response.ok || !body.data) throw new Error(`the Meta stand-in answered ${response.status} to ${url}: ${JSON.stringify(body)}`)
    return body
  }
  for (const externalId of new Set(posts.filter((post) => post.platform === 'instagram').map((post) => post.externalId))) {
    const page = META_SANDBOX_PAGES.find((each) => each.instagram?.id === externalId)!
    // The media list has no further pages: 100 is all it gives, so fewer than 100 means the list is complete.
    const { data } = await graphRead(`${graph}/${externalId}/media?fields=id,caption&limit=100`, page.id)
    expect(data!.length, 'the Instagram account has too many media to read them all').toBeLessThan(100)
    for (const item of data!) add(accountKey('instagram', externalId, item.caption ?? ''), item.id)
  }
  for (const externalId of new Set(posts.filter((post) => post.platform === 'facebook').map((post) => post.externalId))) {
    let url: string | undefined = `${graph}/${externalId}/published_posts?fields=id,message&limit=100`
    while (url) {
      const body = await graphRead(url, externalId)
      for (const item of body.data!) add(accountKey('facebook', externalId, item.message ?? ''), item.id)
      url = body.paging?.next
    }
  }
  for (const entry of sandbox.tiktok.publishLog()) add(accountKey('tiktok', entry.openId, entry.title), entry.postId)
  return found
}

/**
 * The stand-ins' side of every post: never published twice, and a published row's platformPostId is the one
 * publication the platform has (and is in the stand-in's own publish log). `mustBePublished`: every post is.
 * Answers how often each post is on its platform.
 */
async function expectPublishedAtMostOnce(sandbox: PublishingSandbox, posts: StormPost[], rows: ScheduledPost[], mustBePublished = false): Promise<Map<string, number>> {
  const publications = await publicationsOnStandIns(sandbox, posts)
  const times = new Map<string, number>()
  const metaLog = sandbox.meta.publishing.createdPublishes()
  const tiktokLog = sandbox.tiktok.publishLog()
  for (const post of posts) {
    const row = rows.find((each) => each.id === post.id)!
    const onPlatform = publications.get(accountKey(post.platform, post.externalId, post.caption)) ?? []
    const what = `${post.platform} post ${post.id} (${row.status}: ${row.statusReason ?? ''})`
    times.set(post.id, onPlatform.length)
    expect(onPlatform.length, `${what} is on the platform ${onPlatform.length} times`).toBeLessThanOrEqual(1)
    if (mustBePublished) expect(row.status, what).toBe('published')
    if (row.status !== 'published') continue
    expect(onPlatform, what).toEqual([row.platformPostId])
    const logged =
      post.platform === 'tiktok'
        ? tiktokLog.some((entry) => entry.postId === row.platformPostId && entry.openId === post.externalId)
        : metaLog.some((entry) => entry.createdId === row.platformPostId && entry.platform === post.platform && entry.account === post.externalId)
    expect(logged, `${what}: ${row.platformPostId} is not in the stand-in's publish log`).toBe(true)
  }
  return times
}

/** The post's notices of `kind` to `userId`: the card's link, and the platform and handle in the title. */
const noticesOf = (h: ApiHarness, userId: string, post: StormPost, kind: string) =>
  h.db.notification.findMany({
    where: { userId, kind, link: `/campaigns/${post.campaignId}/board/cards/${post.cardId}`, title: { contains: `${PLATFORM_LABELS[post.platform]} ${post.handle}` } },
  })

/**
 * Whether the post's run waits for its account to be reconnected: its latest timer is the reconnect recheck,
 * started after its last activity (a run still settling the refusal would miss a signal sent now).
 */
async function waitsForReconnect(h: ApiHarness, postId: string): Promise<boolean> {
  const events = (await h.env.client.workflow.getHandle(publishWorkflowId(postId)).fetchHistory()).events ?? []
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index]!
    if (event.activityTaskScheduledEventAttributes || event.timerFiredEventAttributes || event.timerCanceledEventAttributes) return false
    const timer = event.timerStartedEventAttributes
    if (timer) return Number(timer.startToFireTimeout?.seconds ?? 0) * 1000 === REAUTH_RECHECK_MS
  }
  return false
}

/** Counts the calls a stand-in answers, its control API aside: what share of them the faults were. */
function countPlatformCalls(standIn: StandIn): () => number {
  let calls = 0
  const answer = standIn.handle.bind(standIn)
  standIn.handle = (request, response) => {
    if (!(request.url ?? '').includes('/__sandbox')) calls += 1
    return answer(request, response)
  }
  return () => calls
}

async function sandboxState(sandbox: PublishingSandbox, standIn: 'meta' | 'tiktok'): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.base}/${standIn}/__sandbox`)
  return (await response.json()) as Record<string, unknown>
}

describe('publishing with the in-process worker', () => {
  let h: ApiHarness
  let sandbox: PublishingSandbox
  let platformCalls: () => number

  beforeAll(async () => {
    sandbox = await startRoomySandbox()
    const meta = countPlatformCalls(sandbox.meta)
    const tiktok = countPlatformCalls(sandbox.tiktok)
    platformCalls = () => meta() + tiktok()
    h = await startApiHarness({ oauth: sandbox.oauth, platformRequestTimeoutMs: PLATFORM_TIMEOUT_MS })
    await h.startWorker()
  }, 180_000)
  afterAll(async () => {
    await h?.stop()
    await sandbox?.stop()
  })

  it('With 20 % injected faults, every post ends Published, Failed-and-notified or Unconfirmed-and-notified — none stuck', async () => {
    const owner = await h.newTenant()
    const scopes = [await publishingScope(h.db, sandbox, owner.agencyId, { page: 0, tiktokUser: 0 }), await publishingScope(h.db, sandbox, owner.agencyId, { page: 1, tiktokUser: 1 })]
    // Per scope: 6 image cards to Instagram, Facebook and TikTok, 2 videos to Instagram (a reel) and TikTok.
    const plans: CardPlan[] = scopes.flatMap((scope) => [
      ...Array.from({ length: 6 }, (): CardPlan => ({ scope, platforms: ['instagram', 'facebook', 'tiktok'], media: 'image' })),
      ...Array.from({ length: 2 }, (): CardPlan => ({ scope, platforms: ['instagram', 'tiktok'], media: 'video' })),
    ])
    const [first, second] = scopes as [PublishingScope, PublishingScope]

    // The faults, consumed in order by the first calls they match (a Meta fault naming an account only by that
    // account's calls), about a fifth of the calls the storm makes. Each says what
    // it leaves the post it hits: a retryable failure is retried until the post is published; a Facebook post
    // call without an answer may have gone through, so that post is unconfirmed; a refusal fails the post.
    type Outcome = 'published' | 'failed' | 'unconfirmed'
    const metaFaults: { fault: Record<string, unknown>; leaves: Outcome }[] = [
      // Rate limits (the account then pauses for the minute the platform asks).
      { fault: { status: 400, code: 4, account: first.accounts.instagram.externalId, method: 'POST', path: '/*/media', count: 1, regainAccessMinutes: 1 }, leaves: 'published' },
      { fault: { status: 400, code: 32, account: second.accounts.facebook.externalId, method: 'POST', path: '/*/photos', count: 1, regainAccessMinutes: 1 }, leaves: 'published' },
      { fault: { status: 400, code: 17, account: second.accounts.instagram.externalId, method: 'GET', count: 1, regainAccessMinutes: 1 }, leaves: 'published' },
      // Meta failing inside: the container is created again; media_publish is checked on the container first.
      { fault: { status: 500, method: 'POST', path: '/*/media', count: 3 }, leaves: 'published' },
      { fault: { status: 503, method: 'POST', path: '/*/media_publish', count: 2 }, leaves: 'published' },
      // media_publish answered after the worker gave up: the container says it went out.
      { fault: { delayMs: UNANSWERED_DELAY_MS, method: 'POST', path: '/*/media_publish', count: 1 }, leaves: 'published' },
      { fault: { status: 500, method: 'GET', path: '/*', count: 4 }, leaves: 'published' },
      { fault: { delayMs: UNANSWERED_DELAY_MS, method: 'GET', path: '/*', count: 2 }, leaves: 'published' },
      // Facebook post calls that failed inside Meta or got no answer (one was made after all).
      { fault: { status: 500, method: 'POST', path: '/*/photos', count: 2 }, leaves: 'unconfirmed' },
      { fault: { delayMs: UNANSWERED_DELAY_MS, method: 'POST', path: '/*/photos', count: 1 }, leaves: 'unconfirmed' },
      // Bad input: Meta refuses the post.
      { fault: { status: 400, code: 100, method: 'POST', path: '/*/photos', count: 1 }, leaves: 'failed' },
      { fault: { status: 400, code: 36004, subcode: 2207010, method: 'POST', path: '/*/media', count: 1 }, leaves: 'failed' },
    ]
    const tiktokFaults: { fault: Record<string, unknown>; leaves: Outcome }[] = [
      { fault: { endpoint: 'creator_info', status: 500, count: 5 }, leaves: 'published' },
      { fault: { endpoint: 'content_init', error: 'rate_limit_exceeded', count: 1 }, leaves: 'published' },
      { fault: { endpoint: 'upload', status: 500, count: 1 }, leaves: 'published' },
      { fault: { endpoint: 'status_fetch', delayMs: UNANSWERED_DELAY_MS, count: 2 }, leaves: 'published' },
      // A photo post TikTok took whose answer (its publish id) was lost: unconfirmed, though it went out.
      { fault: { endpoint: 'content_init', delayMs: UNANSWERED_DELAY_MS, count: 1 }, leaves: 'unconfirmed' },
      { fault: { endpoint: 'video_init', status: 400, error: 'invalid_param', count: 1 }, leaves: 'failed' },
    ]
    for (const { fault } of metaFaults) await sandbox.control('meta', '/faults', fault)
    for (const { fault } of tiktokFaults) await sandbox.control('tiktok', '/faults', fault)
    const injected = [...metaFaults, ...tiktokFaults].reduce((sum, { fault }) => sum + (fault.count as number), 0) + 1
    const expected = (outcome: Outcome) => [...metaFaults, ...tiktokFaults].filter(({ leaves }) => leaves === outcome).reduce((sum, { fault }) => sum + (fault.count as number), 0) + (outcome === 'failed' ? 1 : 0)

    const callsBefore = platformCalls()
    const { posts } = await scheduleStorm(h, owner, plans)
    expect(posts).toHaveLength(44)
    // And before the time, one container made ahead fails processing (an image Instagram cannot take): its post
    // fails with that reason.
    const instagramIds = posts.filter((post) => post.platform === 'instagram').map((post) => post.id)
    const prepared = await waitUntil('an Instagram container made ahead', () => h.db.scheduledPost.findFirst({ where: { id: { in: instagramIds }, containerId: { not: null } } }), Boolean, 10_000)
    await sandbox.control('meta', '/instagram/containers', { id: prepared!.containerId, status: 'ERROR', code: 36003, subcode: 2207009 })

    // A post may meet two of the throttles above in a row, each a minute long, before it goes out.
    const rows = await settledRows(h, posts, TERMINAL, 240_000)

    // Every fault met a call.
    const meta = await sandboxState(sandbox, 'meta')
    expect(meta.faults, 'Meta faults left over').toEqual([])
    expect((meta.counters as { injectedFaults: number }).injectedFaults).toBe(metaFaults.reduce((sum, { fault }) => sum + (fault.count as number), 0))
    expect(((await sandboxState(sandbox, 'tiktok')).publishing as { faults: object }).faults, 'TikTok faults left over').toEqual({})
    const share = injected / (platformCalls() - callsBefore)
    expect(share, `${injected} faults in ${platformCalls() - callsBefore} calls`).toBeGreaterThan(0.15)
    expect(share, `${injected} faults in ${platformCalls() - callsBefore} calls`).toBeLessThan(0.3)

    const refusedContainer = rows.find((row) => row.id === prepared!.id)!
    expect([refusedContainer.status, refusedContainer.failureCode], refusedContainer.statusReason ?? '').toEqual(['failed', expect.stringContaining('2207009')])
    // Each fault that could not be retried away settled exactly one post.
    const count = (status: string) => rows.filter((row) => row.status === status).length
    expect({ failed: count('failed'), unconfirmed: count('unconfirmed') }, summary(rows, ['published'])).toEqual({ failed: expected('failed'), unconfirmed: expected('unconfirmed') })
    expect(count('published')).toBe(posts.length - expected('failed') - expected('unconfirmed'))

    // The scheduler is told of each post that needs them, with what to do.
    for (const row of rows.filter((each) => each.status !== 'published')) {
      const post = posts.find((each) => each.id === row.id)!
      const notices = await noticesOf(h, owner.userId, post, `post.${row.status}`)
      expect(notices.length, `${row.status} ${row.platform} post ${row.id} was not notified`).toBeGreaterThan(0)
      expect(row.statusReason, `${row.platform} post ${row.id}`).toBeTruthy()
    }
    const onPlatform = await expectPublishedAtMostOnce(sandbox, posts, rows)
    // Unconfirmed is no guess: the post calls answered too late went through, those failing inside Meta did not.
    const unconfirmedThere = rows.filter((row) => row.status === 'unconfirmed' && onPlatform.get(row.id) === 1)
    expect(unconfirmedThere).toHaveLength([...metaFaults, ...tiktokFaults].filter(({ fault, leaves }) => leaves === 'unconfirmed' && fault.delayMs).length)
  }, 330_000)

  it('Token expiry mid-storm: affected posts go NeedsReauth and resume after reconnect', async () => {
    // An agency of its own: an account is connected once per agency.
    const owner = await h.newTenant()
    const affected = await publishingScope(h.db, sandbox, owner.agencyId, { page: 0, tiktokUser: 0 })
    const other = await publishingScope(h.db, sandbox, owner.agencyId, { page: 1, tiktokUser: 1 })
    // The Instagram account holds a token of its own, as after connecting it apart from its Page.
    const page = META_SANDBOX_PAGES[0]!
    const expiring = sandbox.meta.issuePageToken(page.id)
    await reconnectAccount(h.db, affected.accounts.instagram.id, expiring)
    const instagram = affected.accounts.instagram.id

    // Everything is due at once, but for three of the affected account's posts, due a little later: the token
    // expires in between, after its first three are out.
    const plans: CardPlan[] = [
      ...Array.from({ length: 6 }, (): CardPlan => ({ scope: affected, platforms: ['instagram', 'facebook', 'tiktok'], media: 'image' })),
      ...Array.from({ length: 4 }, (): CardPlan => ({ scope: other, platforms: ['instagram', 'facebook', 'tiktok'], media: 'image' })),
    ]
    const { posts, dueAt } = await scheduleStorm(h, owner, plans, (plan, index) => (plan.scope === affected && index >= 3 ? { instagram: LATE_WAVE_MS } : {}))
    const laterAt = new Date(dueAt.getTime() + LATE_WAVE_MS)
    expect(posts).toHaveLength(30)
    const early = posts.filter((post) => post.socialAccountId === instagram && post.dueAt.getTime() === dueAt.getTime())
    const late = posts.filter((post) => post.socialAccountId === instagram && post.dueAt.getTime() === laterAt.getTime())
    const others = posts.filter((post) => post.socialAccountId !== instagram)
    expect([early.length, late.length]).toEqual([3, 3])

    // Mid-storm, once its first posts are out and before the later ones are due, the token expires.
    await settledRows(h, early, ['published'], 30_000)
    await sandbox.control('meta', '/tokens/expire', { access_token: expiring })
    expect(Date.now(), 'the token expired too late to prove anything').toBeLessThan(laterAt.getTime())

    // The later posts wait for a reconnect: the account is marked, its owner told, the scheduler told per post.
    const waiting = await settledRows(h, late, ['needs_reauth'], 40_000)
    for (const row of waiting) expect(row.statusReason).toMatch(/expired/i)
    const account = await h.db.socialAccount.findUniqueOrThrow({ where: { id: instagram } })
    expect(account.status).toBe('needs_reauth')
    const reconnectNotices = await h.db.notification.findMany({ where: { userId: owner.userId, kind: 'account.needs_reauth', link: `/creators/${affected.creatorId}` } })
    expect(reconnectNotices.length, 'the owner is asked to reconnect').toBeGreaterThan(0)
    expect(reconnectNotices.every((notice) => notice.title === `Reconnect Instagram ${affected.accounts.instagram.handle}`)).toBe(true)
    for (const post of late) expect(await noticesOf(h, owner.userId, post, 'post.needs_reauth'), `post ${post.id}`).toHaveLength(1)

    // Every other account's posts went out meanwhile, untouched by the expiry.
    await settledRows(h, others, ['published'], 60_000)
    for (const post of others) expect(await noticesOf(h, owner.userId, post, 'post.needs_reauth'), `post ${post.id}`).toEqual([])
    for (const scope of [affected, other]) {
      for (const each of Object.values(scope.accounts).filter((each) => each.id !== instagram)) {
        expect((await h.db.socialAccount.findUniqueOrThrow({ where: { id: each.id } })).status, each.handle).toBe('active')
      }
    }

    // A person reconnects once the runs wait for it (their recheck timer is started): in real life, minutes later.
    for (const post of late) await waitUntil(`post ${post.id}'s run to wait for a reconnect`, () => waitsForReconnect(h, post.id), Boolean, 30_000)
    const reconnectedAt = new Date()
    await reconnectAccount(h.db, instagram, sandbox.meta.issuePageToken(page.id))
    const signalled = await resumePostsAfterReconnect({ temporal: h.env.client, tenantDb: scopedToAgency(h.db, owner.agencyId) }, instagram, 'Owner')
    expect(signalled).toBe(late.length)

    const resumed = await settledRows(h, late, ['published'], 40_000)
    // Graph gives publication times to the second.
    for (const row of resumed) expect(row.publishedAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(reconnectedAt.getTime() / 1000) * 1000)
    await expectPublishedAtMostOnce(sandbox, posts, await rowsOf(h, posts), true)
  }, 120_000)
})

describe('a worker process killed mid-storm', () => {
  let h: ApiHarness
  let sandbox: PublishingSandbox
  let owner: TestMember
  let workerSettings: Awaited<ReturnType<typeof harnessWorkerSettings>>

  beforeAll(async () => {
    sandbox = await startRoomySandbox()
    // No worker in this process: the worker runs as a child process, configured through its environment.
    h = await startApiHarness({ oauth: sandbox.oauth })
    owner = await h.newTenant()
    workerSettings = {
      ...(await harnessWorkerSettings(h, { serverUrl: inject('pgAdminUrl'), tokenKeys: testTokenKeys, dataDir: process.env.GREENLIGHT_DATA_DIR!, ai: aiSettings() })),
      extraEnvironment: { META_GRAPH_URL: sandbox.oauth.meta.graphBaseUrl, META_GRAPH_VERSION: sandbox.oauth.meta.graphVersion, TIKTOK_API_URL: sandbox.oauth.tiktok.apiBaseUrl, WEB_URL: sandbox.oauth.webUrl },
    }
  }, 180_000)
  afterAll(async () => {
    await stopWorkerProcesses()
    await h?.stop()
    await sandbox?.stop()
  })

  it('Kill the worker process during a storm and start it again: no duplicates on the stand-in, nothing lost', async () => {
    const scopes = [await publishingScope(h.db, sandbox, owner.agencyId, { page: 0, tiktokUser: 0 }), await publishingScope(h.db, sandbox, owner.agencyId, { page: 1, tiktokUser: 1 })]
    // Per scope: 7 image cards to Instagram and Facebook, 6 videos to TikTok (uploaded by the worker itself).
    const plans: CardPlan[] = scopes.flatMap((scope) => [
      ...Array.from({ length: 7 }, (): CardPlan => ({ scope, platforms: ['instagram', 'facebook'], media: 'image' })),
      ...Array.from({ length: 6 }, (): CardPlan => ({ scope, platforms: ['tiktok'], media: 'video' })),
    ])
    // Every platform call takes a while, so that each account has calls in flight (four at a time) whenever the
    // kill lands, and the storm lasts a few rounds of them.
    await sandbox.control('meta', '/faults', { delayMs: 1_500, count: 100_000 })
    for (const endpoint of ['creator_info', 'video_init', 'upload', 'status_fetch']) await sandbox.control('tiktok', '/faults', { endpoint, delayMs: 1_500, count: 100_000 })

    let worker: WorkerProcess = await startWorkerProcess(workerSettings)
    const { posts } = await scheduleStorm(h, owner, plans)
    expect(posts).toHaveLength(40)

    // The kill: a quarter of the posts published, the rest on their way (every Instagram container made ahead).
    const atKill = await waitUntil(
      'a quarter of the posts to be published',
      () => rowsOf(h, posts),
      (rows) => rows.filter((row) => row.status === 'published').length >= posts.length / 4 && rows.every((row) => row.platform !== 'instagram' || row.containerId !== null),
      60_000,
      (rows) => `${summary(rows)}\n${worker.output()}`,
    )
    worker.kill('SIGKILL')
    expect((await worker.exited).signal).toBe('SIGKILL')
    const publishedAtKill = atKill.filter((row) => row.status === 'published').length
    expect(publishedAtKill, 'the kill came too late to prove anything').toBeLessThan(posts.length / 2)
    const killedAt = Date.now()

    worker = await startWorkerProcess(workerSettings)
    const restartedAfterMs = Date.now() - killedAt
    // Whatever the dead worker was doing is picked up by the new one. A Facebook post call it sent without
    // getting the answer leaves the post unconfirmed, as designed: a person verifies it on the platform.
    // The dead worker's calls must be noticed and made again soon, not after a step's whole 5-minute timeout.
    const settled = await settledRows(h, posts, TERMINAL, 90_000).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n(the new worker polled ${restartedAfterMs} ms after the kill)\n${worker.output()}`)
    })
    expect(settled.filter((row) => row.status === 'failed').map((row) => `${row.platform}: ${row.statusReason}`)).toEqual([])
    const unconfirmed = settled.filter((row) => row.status === 'unconfirmed')
    for (const row of unconfirmed) {
      expect(row.platform, `only a Facebook post call is left for a person to verify: ${row.statusReason}`).toBe('facebook')
      const verified = await h.app.inject({ method: 'POST', url: `/api/scheduled-posts/${row.id}/verify`, ...json(owner, {}) })
      expect(verified.statusCode, verified.body).toBe(200)
    }
    const rows = await settledRows(h, posts, ['published'], 60_000)

    // Every post once on its platform, and each row names that publication.
    await expectPublishedAtMostOnce(sandbox, posts, rows, true)
  }, 240_000)
})
