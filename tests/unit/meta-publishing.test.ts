// The real Meta publishing client against the Meta stand-in over HTTP, each test on a fresh stand-in with its
// own clock and a Page token from the real login flow: the Instagram container lifecycle, publishing exactly
// once (a second media_publish, a publish whose answer was lost), the posting quota, Page feed and photo posts
// with the scheduling window, the Page's list of published posts (Graph's shape and cursor paging, and finding
// a post whose answer was lost), insights over time, usage headers, and how every failure is classified.
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { MetaPublishingError, classifyContainerError, classifyGraphError, parseGraphUsage } from '../../activities/platforms/meta/errors'
import { createMetaOAuthClient } from '../../activities/platforms/meta/oauth'
import {
  createInstagramContainer,
  getContainerStatus,
  getInstagramInsights,
  getInstagramMedia,
  getInstagramPublishingLimit,
  getPagePost,
  getPagePostInsights,
  listInstagramMedia,
  listPagePosts,
  metaGraphBaseUrl,
  publishInstagramContainer,
  publishPagePost,
  publishPageVideo,
  type GraphTarget,
} from '../../activities/platforms/meta/publishing'
import { META_SANDBOX_PAGES, createMetaStandIn, type MetaStandIn } from '../../sandbox/meta'
import type { PublishLogEntry } from '../../sandbox/meta-publishing'
import { createSandboxServer } from '../../sandbox/server'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS
const PROCESSING_MS = 5_000
const PAGE = META_SANDBOX_PAGES[0]!
const IG_USER = PAGE.instagram!.id
const IMAGE = 'https://cdn.example.test/cards/spring-launch.jpg'

interface Sandbox {
  base: string
  standIn: MetaStandIn
  clock: { ms: number }
  /** A client target with the Page token of PAGE (Instagram publishes with it too). */
  target: GraphTarget
  /** The user token the Page token derives from. */
  userToken: string
  control(path: string, body: unknown): Promise<unknown>
}

const servers: http.Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

/** A fresh stand-in on a free port, logged in through the real dialog and OAuth client (granting `scopes` when given). */
async function startSandbox(options: { scopes?: string[] } = {}): Promise<Sandbox> {
  const clock = { ms: Date.parse('2025-06-02T09:00:00Z') }
  const standIn = createMetaStandIn({ now: () => clock.ms, publishing: { containerProcessingMs: PROCESSING_MS } })
  const server = createSandboxServer([standIn])
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const settings = { mode: 'sandbox' as const, appId: 'sandbox-meta-app', appSecret: 'sandbox-meta-secret', configId: undefined, graphVersion: 'v24.0', dialogBaseUrl: `${base}/meta`, graphBaseUrl: `${base}/meta` }
  const oauth = createMetaOAuthClient(settings)
  const redirectUri = 'http://web.test/oauth/meta/callback'
  const dialog = await (await fetch(oauth.authorizeUrl({ state: 'state-1', redirectUri }))).text()
  const form = new URLSearchParams()
  for (const [, name, value] of dialog.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(name!, value!.replace(/&amp;/g, '&'))
  form.append('page', PAGE.id)
  if (options.scopes) form.set('scope', options.scopes.join(','))
  form.set('decision', 'approve')
  const action = /<form method="post" action="([^"]+)"/.exec(dialog)![1]!
  const back = await fetch(new URL(action, base), { method: 'POST', body: form, redirect: 'manual' })
  const code = new URL(back.headers.get('location')!).searchParams.get('code')!
  const login = await oauth.completeLogin({ code, redirectUri, now: new Date(clock.ms) })
  const pageToken = login.pages.find((page) => page.id === PAGE.id)!.accessToken
  async function control(path: string, body: unknown) {
    const response = await fetch(`${base}/meta/__sandbox${path}`, { method: 'POST', body: JSON.stringify(body) })
    expect(response.status, await response.clone().text()).toBe(200)
    return response.json()
  }
  return { base, standIn, clock, target: { baseUrl: metaGraphBaseUrl(settings), accessToken: pageToken }, userToken: login.userToken.accessToken, control }
}

/** The failure a call ends with (a test fails if the call succeeds). */
async function failureOf(promise: Promise<unknown>): Promise<MetaPublishingError> {
  const error = await promise.then(
    () => new Error('expected the call to fail'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(MetaPublishingError)
  return error as MetaPublishingError
}

async function finishedContainer(sandbox: Sandbox, caption = 'Spring launch'): Promise<string> {
  const { containerId } = await createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE, caption })
  sandbox.clock.ms += PROCESSING_MS
  return containerId
}

const publishesOf = (entries: PublishLogEntry[], containerId: string) => entries.filter((entry) => entry.containerId === containerId)

describe('Instagram publishing against the stand-in', () => {
  it('takes a container from IN_PROGRESS to FINISHED to PUBLISHED, refusing to publish before it is finished', async () => {
    const sandbox = await startSandbox()
    const { containerId } = await createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE, caption: 'Spring launch #bakery' })
    expect(containerId).toMatch(/^\d{15,}$/)
    expect(await getContainerStatus(sandbox.target, containerId)).toMatchObject({ statusCode: 'IN_PROGRESS', errorSubcode: null })

    const early = await failureOf(publishInstagramContainer(sandbox.target, IG_USER, containerId))
    expect(early.failure).toMatchObject({ kind: 'retryable', code: '9007/2207027' })
    expect(early.failure.message).toMatch(/not finished processing/)
    expect(early.ambiguous).toBe(false)

    sandbox.clock.ms += PROCESSING_MS
    expect((await getContainerStatus(sandbox.target, containerId)).statusCode).toBe('FINISHED')
    const { mediaId } = await publishInstagramContainer(sandbox.target, IG_USER, containerId)
    expect(mediaId).toMatch(/^\d{15,}$/)
    expect((await getContainerStatus(sandbox.target, containerId)).statusCode).toBe('PUBLISHED')

    const published = await getInstagramMedia(sandbox.target, mediaId)
    expect(published.publishedAt.getTime()).toBe(Math.floor(sandbox.clock.ms / 1000) * 1000)
    const permalinkPage = await fetch(published.permalink)
    expect(permalinkPage.status).toBe(200)
    expect(await permalinkPage.text()).toContain('Spring launch #bakery')
    expect((await getInstagramPublishingLimit(sandbox.target, IG_USER)).quotaUsage).toBe(1)
  })

  it('creates no second media when a published container is published again, and the request log shows one publish', async () => {
    const sandbox = await startSandbox()
    const containerId = await finishedContainer(sandbox)
    const { mediaId } = await publishInstagramContainer(sandbox.target, IG_USER, containerId)

    const again = await failureOf(publishInstagramContainer(sandbox.target, IG_USER, containerId))
    expect(again.failure.code).toBe('24/2207008')
    expect((await getContainerStatus(sandbox.target, containerId)).statusCode).toBe('PUBLISHED')

    const log = publishesOf(sandbox.standIn.publishing.publishLog(), containerId)
    expect(log.map((entry) => entry.outcome)).toEqual(['published', 'refused'])
    expect(publishesOf(sandbox.standIn.publishing.createdPublishes(), containerId)).toEqual([expect.objectContaining({ createdId: mediaId })])
    // The same log over HTTP, for demos and out-of-process tests.
    const snapshot = (await (await fetch(`${sandbox.base}/meta/__sandbox`)).json()) as { publishing: { publishLog: PublishLogEntry[]; media: number } }
    expect(publishesOf(snapshot.publishing.publishLog, containerId).filter((entry) => entry.outcome === 'published')).toHaveLength(1)
    expect(snapshot.publishing.media).toBe(1)
  })

  it('marks a publish whose answer never came as ambiguous; the container then says whether it went out', async () => {
    const sandbox = await startSandbox()
    const containerId = await finishedContainer(sandbox)
    await sandbox.control('/faults', { path: '/*/media_publish', delayMs: 400 })
    const lost = await failureOf(publishInstagramContainer({ ...sandbox.target, timeoutMs: 100 }, IG_USER, containerId))
    expect(lost).toMatchObject({ status: 0, ambiguous: true })
    expect(lost.failure).toMatchObject({ kind: 'retryable', code: 'no_response' })

    // The slow publish still went through on the platform: the container's status says so, so no second call.
    await expect.poll(async () => (await getContainerStatus(sandbox.target, containerId)).statusCode, { timeout: 2_000 }).toBe('PUBLISHED')
    expect(publishesOf(sandbox.standIn.publishing.createdPublishes(), containerId)).toHaveLength(1)
  })

  it('defers on the posting quota, with the time until the oldest post leaves the 24-hour window, as the limit endpoint shows', async () => {
    const sandbox = await startSandbox()
    await sandbox.control('/instagram/quota', { igUserId: IG_USER, quotaTotal: 2 })
    const firstAt = sandbox.clock.ms + PROCESSING_MS
    await publishInstagramContainer(sandbox.target, IG_USER, await finishedContainer(sandbox, 'morning post'))
    sandbox.clock.ms += 2 * HOUR_MS
    await publishInstagramContainer(sandbox.target, IG_USER, await finishedContainer(sandbox, 'noon post'))
    sandbox.clock.ms += 3 * HOUR_MS

    const overQuota = await finishedContainer(sandbox, 'one too many')
    const refusal = await failureOf(publishInstagramContainer(sandbox.target, IG_USER, overQuota))
    expect(refusal.failure).toMatchObject({ kind: 'quota', code: '9/2207042' })
    const untilFree = firstAt + DAY_MS - sandbox.clock.ms
    expect(refusal.failure.retryAfterMs).toBeGreaterThanOrEqual(untilFree)
    expect(refusal.failure.retryAfterMs).toBeLessThan(untilFree + MINUTE_MS)
    expect(await getInstagramPublishingLimit(sandbox.target, IG_USER)).toMatchObject({ quotaUsage: 2, quotaTotal: 2, quotaDurationSeconds: 86_400 })

    // Once the window has moved past the first post, there is room again (with a fresh container: the old one expired).
    sandbox.clock.ms += refusal.failure.retryAfterMs!
    expect((await getInstagramPublishingLimit(sandbox.target, IG_USER)).quotaUsage).toBe(1)
    await expect(publishInstagramContainer(sandbox.target, IG_USER, await finishedContainer(sandbox, 'next day'))).resolves.toMatchObject({ mediaId: expect.any(String) })
  })

  it('asks for reconnection when the token expired (190/463) or was invalidated (190/467)', async () => {
    const sandbox = await startSandbox()
    await sandbox.control('/faults', { code: 190, subcode: 467, account: IG_USER })
    const invalid = await failureOf(createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE }))
    expect(invalid.failure).toMatchObject({ kind: 'reauth', code: '190/467', retryAfterMs: null })

    // A Page token from a long-lived user token does not run out with it; the control API expires the Page token itself.
    await sandbox.control('/tokens/expire', { access_token: sandbox.target.accessToken })
    const expired = await failureOf(createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE }))
    expect(expired.failure).toMatchObject({ kind: 'reauth', code: '190/463' })
    expect(expired.failure.message).toMatch(/expired.*reconnect/i)
    expect(expired.message).not.toContain(sandbox.target.accessToken)
  })

  it('refuses captions over 2,200 characters or 30 hashtags, and non-JPEG images, as input to fix', async () => {
    const sandbox = await startSandbox()
    const tooLong = await failureOf(createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE, caption: 'a'.repeat(2_201) }))
    expect(tooLong.failure).toMatchObject({ kind: 'bad_input', code: '36004/2207010' })
    expect(tooLong.failure.message).toMatch(/2,200 characters/)
    const hashtags = Array.from({ length: 31 }, (_, i) => `#tag${i}`).join(' ')
    expect((await failureOf(createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE, caption: hashtags }))).failure.kind).toBe('bad_input')
    // Exactly at the limits is fine.
    await createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE, caption: 'é'.repeat(2_200) })
    await createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE, caption: hashtags.replace(/ #tag30$/, '') })

    const png = await failureOf(createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: 'https://cdn.example.test/a.png' }))
    expect(png.failure).toMatchObject({ kind: 'bad_input', code: '36001/2207005' })
    const reel = await createInstagramContainer(sandbox.target, IG_USER, { kind: 'reel', videoUrl: 'https://cdn.example.test/clip.mp4', caption: 'Reel' })
    expect(reel.containerId).toMatch(/^\d+$/)
  })

  it('reports a container that failed processing or expired, and refuses to publish it', async () => {
    const sandbox = await startSandbox()
    const failed = await finishedContainer(sandbox)
    await sandbox.control('/instagram/containers', { id: failed, status: 'ERROR', code: 352, subcode: 2207026 })
    expect(await getContainerStatus(sandbox.target, failed)).toMatchObject({ statusCode: 'ERROR', errorSubcode: 2207026 })
    expect((await failureOf(publishInstagramContainer(sandbox.target, IG_USER, failed))).failure).toMatchObject({ kind: 'bad_input', code: '352/2207026' })

    const stale = await finishedContainer(sandbox)
    sandbox.clock.ms += DAY_MS
    expect((await getContainerStatus(sandbox.target, stale)).statusCode).toBe('EXPIRED')
    expect((await failureOf(publishInstagramContainer(sandbox.target, IG_USER, stale))).failure).toMatchObject({ kind: 'bad_input', code: '-2/2207020' })
    expect(publishesOf(sandbox.standIn.publishing.createdPublishes(), stale)).toHaveLength(0)
  })

  it('retries injected rate limits (613, with the time Meta gives) and outages (5xx), for as many calls as injected', async () => {
    const sandbox = await startSandbox()
    await sandbox.control('/faults', { code: 613, account: IG_USER, regainAccessMinutes: 7 })
    const limited = await failureOf(createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE }))
    expect(limited.failure).toMatchObject({ kind: 'retryable', code: '613', retryAfterMs: 7 * MINUTE_MS })
    expect(limited.usage.accounts).toEqual([expect.objectContaining({ id: IG_USER, type: 'instagram', pct: 100, regainAccessMs: 7 * MINUTE_MS })])

    await sandbox.control('/faults', { status: 503, count: 2, path: '/*/media' })
    for (let i = 0; i < 2; i++) {
      const outage = await failureOf(createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE }))
      // A 5xx to a create may have created the container: the caller is told to check.
      expect(outage).toMatchObject({ status: 503, ambiguous: true })
      expect(outage.failure.kind).toBe('retryable')
    }
    await sandbox.control('/faults', { code: 368 })
    expect((await failureOf(getInstagramPublishingLimit(sandbox.target, IG_USER))).failure).toMatchObject({ kind: 'bad_input', code: '368' })
    // The faults are used up.
    await expect(createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE })).resolves.toMatchObject({ containerId: expect.any(String) })
  })

  it('serves insights that grow with the post’s age and read the same twice', async () => {
    const sandbox = await startSandbox()
    const { mediaId } = await publishInstagramContainer(sandbox.target, IG_USER, await finishedContainer(sandbox))
    const at = async (hours: number) => {
      sandbox.clock.ms += hours * HOUR_MS
      return (await getInstagramInsights(sandbox.target, mediaId)).metrics
    }
    const first = await at(1)
    expect(await at(0)).toEqual(first)
    const dayLater = await at(24)
    const weekLater = await at(6 * 24)
    expect(first.reach).toBeGreaterThan(0)
    for (const metric of ['reach', 'views', 'likes', 'total_interactions'] as const) {
      expect(dayLater[metric]!).toBeGreaterThan(first[metric]!)
      expect(weekLater[metric]!).toBeGreaterThanOrEqual(dayLater[metric]!)
    }
    expect(weekLater.total_interactions).toBe(weekLater.likes! + weekLater.comments! + weekLater.saved! + weekLater.shares!)
  })

  it('parses the usage headers every answer carries', async () => {
    const sandbox = await startSandbox()
    const { usage } = await getInstagramPublishingLimit(sandbox.target, IG_USER)
    expect(usage.appPct).toEqual(expect.any(Number))
    expect(usage.accounts).toEqual([expect.objectContaining({ id: IG_USER, type: 'instagram', regainAccessMs: 0 })])
    expect(usage.regainAccessMs).toBeNull()

    const parsed = parseGraphUsage(
      new Headers({
        'x-app-usage': '{"call_count":28,"total_time":25,"total_cputime":91}',
        'x-business-use-case-usage': '{"104500000000001":[{"type":"pages","call_count":100,"total_cputime":3,"total_time":4,"estimated_time_to_regain_access":12}]}',
      }),
    )
    expect(parsed).toEqual({ appPct: 91, accounts: [{ id: '104500000000001', type: 'pages', pct: 100, regainAccessMs: 12 * MINUTE_MS }], maxPct: 100, regainAccessMs: 12 * MINUTE_MS })
  })
})

describe('Facebook Page publishing against the stand-in', () => {
  it('posts to the feed and a photo, and reads the post back with its permalink', async () => {
    const sandbox = await startSandbox()
    const feed = await publishPagePost(sandbox.target, PAGE.id, { kind: 'feed', message: 'Fresh bread at 8', link: 'https://bakery.example.test' })
    expect(feed.postId).toMatch(new RegExp(`^${PAGE.id}_\\d+$`))
    const read = await getPagePost(sandbox.target, feed.postId)
    expect(read.createdAt.getTime()).toBe(Math.floor(sandbox.clock.ms / 1000) * 1000)
    expect((await fetch(read.permalinkUrl)).status).toBe(200)

    const photo = await publishPagePost(sandbox.target, PAGE.id, { kind: 'photo', url: IMAGE, caption: 'Our oven' })
    expect(photo.photoId).toMatch(/^\d+$/)
    expect(photo.postId).toMatch(new RegExp(`^${PAGE.id}_\\d+$`))

    const duplicate = await failureOf(publishPagePost(sandbox.target, PAGE.id, { kind: 'feed', message: 'Fresh bread at 8', link: 'https://bakery.example.test' }))
    expect(duplicate.failure).toMatchObject({ kind: 'bad_input', code: '506' })
    expect(sandbox.standIn.publishing.createdPublishes().filter((entry) => entry.platform === 'facebook')).toHaveLength(2)

    const deleted = await fetch(`${sandbox.target.baseUrl}/${feed.postId}`, { method: 'DELETE', headers: { authorization: `Bearer ${sandbox.target.accessToken}` } })
    expect(await deleted.json()).toEqual({ success: true })
    expect((await failureOf(getPagePost(sandbox.target, feed.postId))).failure).toMatchObject({ kind: 'bad_input', code: '100/33' })
  })

  it('schedules a post 10 minutes to 30 days ahead and refuses a time outside that window', async () => {
    const sandbox = await startSandbox()
    const ahead = (ms: number) => new Date(sandbox.clock.ms + ms)
    for (const scheduledAt of [ahead(9 * MINUTE_MS), ahead(31 * DAY_MS), ahead(-HOUR_MS)]) {
      const refused = await failureOf(publishPagePost(sandbox.target, PAGE.id, { kind: 'feed', message: `At ${scheduledAt.toISOString()}`, scheduledAt }))
      expect(refused.failure.kind).toBe('bad_input')
      expect(refused.failure.message).toMatch(/at least 10 minutes and at most 30 days ahead\. Edit the post/)
    }
    const scheduledAt = ahead(2 * DAY_MS)
    const { postId } = await publishPagePost(sandbox.target, PAGE.id, { kind: 'feed', message: 'Weekend opening hours', scheduledAt })
    expect((await getPagePost(sandbox.target, postId)).createdAt.getTime()).toBe(Math.floor(scheduledAt.getTime() / 1000) * 1000)
  })

  it('needs the Page token to post: a user token is a permission problem to fix', async () => {
    const sandbox = await startSandbox()
    const asUser = await failureOf(publishPagePost({ ...sandbox.target, accessToken: sandbox.userToken }, PAGE.id, { kind: 'feed', message: 'hello' }))
    expect(asUser.failure).toMatchObject({ kind: 'bad_input', code: '200' })
    expect(asUser.failure.message).toMatch(/reconnect/)
  })
})

describe('classifyGraphError', () => {
  const body = (error: Record<string, unknown>) => ({ error: { message: 'm', type: 'OAuthException', fbtrace_id: 'x', ...error } })
  it.each([
    [400, { code: 1 }, 'retryable'],
    [400, { code: 80004, error_subcode: 2446079 }, 'retryable'],
    [400, { code: 100, is_transient: true }, 'retryable'],
    [400, { code: -1, error_subcode: 2207001 }, 'retryable'],
    [500, {}, 'retryable'],
    [400, { code: 190, error_subcode: 460 }, 'reauth'],
    [400, { code: 9, error_subcode: 2207042 }, 'quota'],
    [400, { code: 9004, error_subcode: 2207052 }, 'bad_input'],
    [400, { code: 100 }, 'bad_input'],
    [403, { code: 10 }, 'bad_input'],
    [400, { code: 368 }, 'bad_input'],
  ] as const)('HTTP %i %j → %s', (status, error, kind) => {
    expect(classifyGraphError(status, body(error), null).kind).toBe(kind)
  })

  it('takes the wait of a throttle from the business use case header, and a quota without one waits the whole window', () => {
    const headers = { 'X-Business-Use-Case-Usage': '{"1":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":3}]}' }
    expect(classifyGraphError(400, body({ code: 32 }), headers).retryAfterMs).toBe(3 * MINUTE_MS)
    expect(classifyGraphError(400, body({ code: 9, error_subcode: 2207042 }), null).retryAfterMs).toBe(DAY_MS)
    expect(classifyGraphError(0, null, null)).toMatchObject({ kind: 'retryable', code: 'no_response' })
  })
})

describe('classifyContainerError', () => {
  it('uploads again in a new container where Instagram advises it, and otherwise names the fix', () => {
    for (const subcode of [2207053, 2207003, 2207001, 2207032, 2207020]) {
      expect(classifyContainerError(subcode, String(subcode))).toMatchObject({ kind: 'retryable', code: String(subcode), message: expect.stringContaining('new container') })
    }
    expect(classifyContainerError(2207009, '2207009')).toMatchObject({ kind: 'bad_input', code: '2207009', message: expect.stringContaining('aspect ratio') })
    expect(classifyContainerError(null, null)).toMatchObject({ kind: 'bad_input', code: 'ERROR', message: expect.stringContaining('could not process the media') })
  })
})

describe('The Page’s published posts against the stand-in', () => {
  type GraphList = { data: Record<string, unknown>[]; paging?: { cursors: { before: string; after: string }; next?: string; previous?: string } }

  /** A GET on the stand-in's Graph as the client sends it (the token in a header); `path` may be a whole paging link. */
  async function graphGet(sandbox: Sandbox, path: string): Promise<{ status: number; body: GraphList }> {
    const url = path.startsWith('http') ? path : `${sandbox.target.baseUrl}${path}`
    const response = await fetch(url, { headers: { authorization: `Bearer ${sandbox.target.accessToken}` } })
    return { status: response.status, body: (await response.json()) as GraphList }
  }

  /** `count` feed posts a minute apart; their ids, newest first. */
  async function postMany(sandbox: Sandbox, count: number): Promise<string[]> {
    const ids: string[] = []
    for (let i = 0; i < count; i++) {
      ids.unshift((await publishPagePost(sandbox.target, PAGE.id, { kind: 'feed', message: `Post ${i}` })).postId)
      sandbox.clock.ms += MINUTE_MS
    }
    return ids
  }

  const idsOf = (list: GraphList) => list.data.map((post) => post.id)

  it('lists the live posts newest first in Graph’s shape: photos too, scheduled posts once due, deleted posts not', async () => {
    const sandbox = await startSandbox()
    const start = sandbox.clock.ms
    const feed = await publishPagePost(sandbox.target, PAGE.id, { kind: 'feed', message: 'Fresh bread at 8' })
    sandbox.clock.ms += MINUTE_MS
    const photo = await publishPagePost(sandbox.target, PAGE.id, { kind: 'photo', url: IMAGE })
    const scheduledAt = new Date(sandbox.clock.ms + HOUR_MS)
    const scheduled = await publishPagePost(sandbox.target, PAGE.id, { kind: 'feed', message: 'Weekend opening hours', scheduledAt })
    const removed = await publishPagePost(sandbox.target, PAGE.id, { kind: 'feed', message: 'With a typo' })
    await fetch(`${sandbox.target.baseUrl}/${removed.postId}`, { method: 'DELETE', headers: { authorization: `Bearer ${sandbox.target.accessToken}` } })

    const permalink = (postId: string) => `${sandbox.base}/meta/__sandbox/facebook/${PAGE.id}/posts/${postId.split('_')[1]}`
    const all = await graphGet(sandbox, `/${PAGE.id}/published_posts?fields=id,message,created_time,permalink_url,is_published`)
    expect(all.status).toBe(200)
    expect(all.body).toEqual({
      data: [
        // A photo without a caption has no message field at all, as on Graph.
        { id: photo.postId, created_time: '2025-06-02T09:01:00+0000', permalink_url: permalink(photo.postId), is_published: true },
        { id: feed.postId, message: 'Fresh bread at 8', created_time: '2025-06-02T09:00:00+0000', permalink_url: permalink(feed.postId), is_published: true },
      ],
      paging: { cursors: { before: expect.any(String), after: expect.any(String) } },
    })
    // Without `fields`: created_time, message and id. /feed is the same list.
    expect((await graphGet(sandbox, `/${PAGE.id}/published_posts`)).body.data[1]).toEqual({ id: feed.postId, message: 'Fresh bread at 8', created_time: '2025-06-02T09:00:00+0000' })
    expect(idsOf((await graphGet(sandbox, `/${PAGE.id}/feed`)).body)).toEqual([photo.postId, feed.postId])
    const unknownField = await graphGet(sandbox, `/${PAGE.id}/published_posts?fields=id,likes`)
    expect(unknownField.status).toBe(400)
    expect(unknownField.body).toMatchObject({ error: { code: 100, message: expect.stringContaining('(likes)') } })

    // Once its time has come, the scheduled post is listed at that time.
    sandbox.clock.ms = scheduledAt.getTime()
    const { posts } = await listPagePosts(sandbox.target, PAGE.id)
    expect(posts.map((post) => post.postId)).toEqual([scheduled.postId, photo.postId, feed.postId])
    expect(posts[0]).toEqual({ postId: scheduled.postId, message: 'Weekend opening hours', createdAt: scheduledAt, permalinkUrl: permalink(scheduled.postId) })
    expect(posts[1]!.message).toBeNull()
    expect((await fetch(posts[2]!.permalinkUrl)).status).toBe(200)
    // `since` keeps the posts live at or after it.
    const recent = await listPagePosts(sandbox.target, PAGE.id, { since: new Date(start + MINUTE_MS) })
    expect(recent.posts.map((post) => post.postId)).toEqual([scheduled.postId, photo.postId])
    expect(recent.usage.accounts).toEqual([expect.objectContaining({ id: PAGE.id, type: 'pages' })])
  })

  it('pages with cursors: next and previous links keep the query, and a post made meanwhile does not shift the pages', async () => {
    const sandbox = await startSandbox()
    const ids = await postMany(sandbox, 5)
    const first = await graphGet(sandbox, `/${PAGE.id}/published_posts?fields=id&limit=2`)
    expect(idsOf(first.body)).toEqual(ids.slice(0, 2))
    expect(first.body.paging?.previous).toBeUndefined()
    const next = new URL(first.body.paging!.next!)
    expect(`${next.origin}${next.pathname}`).toBe(`${sandbox.target.baseUrl}/${PAGE.id}/published_posts`)
    // The token came in a header, so the link does not carry it.
    expect(Object.fromEntries(next.searchParams)).toEqual({ fields: 'id', limit: '2', after: first.body.paging!.cursors.after })

    const second = await graphGet(sandbox, next.toString())
    expect(idsOf(second.body)).toEqual(ids.slice(2, 4))
    await publishPagePost(sandbox.target, PAGE.id, { kind: 'feed', message: 'Made while paging' })
    const third = await graphGet(sandbox, second.body.paging!.next!)
    expect(idsOf(third.body)).toEqual(ids.slice(4))
    expect(third.body.paging?.next).toBeUndefined()
    expect(idsOf((await graphGet(sandbox, third.body.paging!.previous!)).body)).toEqual(ids.slice(2, 4))
    expect((await graphGet(sandbox, `/${PAGE.id}/published_posts?after=${third.body.paging!.cursors.after}`)).body).toEqual({ data: [] })
    const badCursor = await graphGet(sandbox, `/${PAGE.id}/published_posts?after=not-a-cursor`)
    expect(badCursor.status).toBe(400)
  })

  it('gives 25 posts a page unless asked, at most 100; the client follows the cursor for three pages at most', async () => {
    const sandbox = await startSandbox()
    const ids = await postMany(sandbox, 105)
    expect((await graphGet(sandbox, `/${PAGE.id}/published_posts`)).body.data).toHaveLength(25)
    expect((await graphGet(sandbox, `/${PAGE.id}/published_posts?limit=500`)).body.data).toHaveLength(100)

    expect((await listPagePosts(sandbox.target, PAGE.id, { limit: 30 })).posts.map((post) => post.postId)).toEqual(ids.slice(0, 90))
    expect((await listPagePosts(sandbox.target, PAGE.id, { limit: 50 })).posts.map((post) => post.postId)).toEqual(ids)
    expect((await listPagePosts(sandbox.target, PAGE.id)).posts).toHaveLength(75)
  })

  it('finds a post whose answer never came, so it is not posted twice', async () => {
    const sandbox = await startSandbox()
    const before = new Date(sandbox.clock.ms)
    expect((await listPagePosts(sandbox.target, PAGE.id, { since: before })).posts).toEqual([])
    await sandbox.control('/faults', { path: '/*/feed', method: 'POST', delayMs: 400 })
    const lost = await failureOf(publishPagePost({ ...sandbox.target, timeoutMs: 100 }, PAGE.id, { kind: 'feed', message: 'Doors open at 9' }))
    expect(lost).toMatchObject({ status: 0, ambiguous: true })

    // The slow post went through on the platform: the Page's list shows it.
    await expect
      .poll(async () => (await listPagePosts(sandbox.target, PAGE.id, { since: before })).posts.filter((post) => post.message === 'Doors open at 9'), { timeout: 2_000 })
      .toHaveLength(1)
    expect(sandbox.standIn.publishing.createdPublishes().filter((entry) => entry.endpoint === 'feed')).toHaveLength(1)
  })

  it('needs the Page’s own token with pages_read_engagement, and one that still works', async () => {
    const sandbox = await startSandbox()
    const asUser = await failureOf(listPagePosts({ ...sandbox.target, accessToken: sandbox.userToken }, PAGE.id))
    expect(asUser.failure).toMatchObject({ kind: 'bad_input', code: '210' })
    // A Page the login did not share.
    expect((await failureOf(listPagePosts(sandbox.target, META_SANDBOX_PAGES[1]!.id))).failure).toMatchObject({ kind: 'bad_input', code: '100/33' })
    await sandbox.control('/tokens/expire', { access_token: sandbox.target.accessToken })
    expect((await failureOf(listPagePosts(sandbox.target, PAGE.id))).failure).toMatchObject({ kind: 'reauth', code: '190/463' })

    const withoutRead = await startSandbox({ scopes: ['pages_show_list', 'pages_manage_posts'] })
    await publishPagePost(withoutRead.target, PAGE.id, { kind: 'feed', message: 'Posting needs no read permission' })
    expect((await failureOf(listPagePosts(withoutRead.target, PAGE.id))).failure).toMatchObject({ kind: 'bad_input', code: '10' })
  })
})

describe('The stand-in’s demo controls', () => {
  it('fails the next containers once processed, and a reset puts back the settings the stand-in started with', async () => {
    const sandbox = await startSandbox()
    await sandbox.control('/config', { failNextContainers: 1, containerProcessingMs: 60_000 })
    await sandbox.control('/instagram/quota', { igUserId: IG_USER, quotaTotal: 0 })
    const { containerId: failing } = await createInstagramContainer(sandbox.target, IG_USER, { kind: 'image', imageUrl: IMAGE })
    // Still processing until its (slower) time is over; then in ERROR with Instagram's "upload again".
    sandbox.clock.ms += PROCESSING_MS
    expect((await getContainerStatus(sandbox.target, failing)).statusCode).toBe('IN_PROGRESS')
    sandbox.clock.ms += 60_000
    expect(await getContainerStatus(sandbox.target, failing)).toMatchObject({ statusCode: 'ERROR', errorSubcode: 2207053 })
    expect((await failureOf(publishInstagramContainer(sandbox.target, IG_USER, failing))).failure).toMatchObject({ kind: 'retryable', code: '-1/2207053' })
    expect(sandbox.standIn.publishing.config.failNextContainers).toBe(0)

    const reset = (await sandbox.control('/config', { reset: true })) as { config: { publishing: unknown } }
    expect(reset.config.publishing).toEqual({ containerProcessingMs: PROCESSING_MS, instagramQuotaTotal: 50, failNextContainers: 0 })
    const containerId = await finishedContainer(sandbox)
    await expect(publishInstagramContainer(sandbox.target, IG_USER, containerId)).resolves.toMatchObject({ mediaId: expect.any(String) })
  })
})

describe('Page videos, Page post insights and the Instagram media list', () => {
  it('posts a video from its URL as {page}_{video}, readable and listed like any post; refuses a file that is not a video', async () => {
    const sandbox = await startSandbox()
    const video = await publishPageVideo(sandbox.target, PAGE.id, { fileUrl: 'https://cdn.example.test/launch.mp4', description: 'Launch day, in motion' })
    expect(video.postId).toBe(`${PAGE.id}_${video.videoId}`)
    const read = await getPagePost(sandbox.target, video.postId)
    expect(read.permalinkUrl).toContain('/facebook/')
    const { posts } = await listPagePosts(sandbox.target, PAGE.id, {})
    expect(posts.map((post) => post.postId)).toContain(video.postId)
    expect(sandbox.standIn.publishing.createdPublishes().filter((entry) => entry.endpoint === 'videos' && entry.createdId === video.postId)).toHaveLength(1)

    const refused = await failureOf(publishPageVideo(sandbox.target, PAGE.id, { fileUrl: 'https://cdn.example.test/launch.gif' }))
    expect(refused.failure.kind).toBe('bad_input')
  })

  it('reads a Page post’s insights in snapshot terms, growing with its age', async () => {
    const sandbox = await startSandbox()
    const { postId } = await publishPagePost(sandbox.target, PAGE.id, { kind: 'feed', message: 'Insights, please' })
    const fresh = await getPagePostInsights(sandbox.target, postId)
    sandbox.clock.ms += 48 * 3_600_000
    const later = await getPagePostInsights(sandbox.target, postId)
    expect(later.metrics.reach).toBeGreaterThan(fresh.metrics.reach ?? 0)
    expect(later.metrics.views).toBeGreaterThanOrEqual(later.metrics.reach ?? 0)
    expect(later.metrics.likes).toBeGreaterThan(0)
    expect(later.metrics.saves).toBeNull()
  })

  it('lists the Instagram account’s published media newest first, so a lost answer can be found by caption', async () => {
    const sandbox = await startSandbox()
    const first = await finishedContainer(sandbox, 'First light')
    const { mediaId: older } = await publishInstagramContainer(sandbox.target, IG_USER, first)
    sandbox.clock.ms += 60_000
    const second = await finishedContainer(sandbox, 'Second pour')
    const { mediaId: newer } = await publishInstagramContainer(sandbox.target, IG_USER, second)
    const { media } = await listInstagramMedia(sandbox.target, IG_USER, { limit: 10 })
    expect(media.map((item) => item.mediaId)).toEqual([newer, older])
    expect(media[0]).toMatchObject({ caption: 'Second pour' })
    expect(media[0]!.permalink).toContain('/instagram/p/')
  })
})
