// Settings → Sandbox through app.inject, with the Meta and TikTok stand-ins started in-process: each preset is
// checked by what the real publishing clients then meet on the stand-in (a throttle, an expired token, a
// container that fails processing, a used-up quota, an answer that comes too late), clearing puts everything
// back, every change is audited, and the controls exist only for owners and managers and only for platforms
// that run against their stand-in.
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MetaPublishingError } from '../../activities/platforms/meta/errors'
import { createMetaOAuthClient } from '../../activities/platforms/meta/oauth'
import {
  GRAPH_REQUEST_TIMEOUT_MS,
  createInstagramContainer,
  getContainerStatus,
  metaGraphBaseUrl,
  publishInstagramContainer,
  publishPagePost,
  type GraphTarget,
} from '../../activities/platforms/meta/publishing'
import { TikTokPublishingError, initPhotoPost, queryCreatorInfo, type TikTokApiContext } from '../../activities/platforms/tiktok/publishing'
import { buildApp } from '../../api/app'
import type { SandboxPublishingView } from '../../api/schemas/sandbox-controls'
import { TIKTOK_STAND_IN_DEFAULTS } from '../../api/services/sandbox-controls'
import type { ApiSettings } from '../../api/types'
import { oauthSettings } from '../../platform/config'
import { META_SANDBOX_PAGES, createMetaStandIn, type MetaStandIn } from '../../sandbox/meta'
import { createSandboxServer } from '../../sandbox/server'
import { TIKTOK_SANDBOX_USERS, createTikTokStandIn, type TikTokStandIn } from '../../sandbox/tiktok'
import { loginAs, startApiHarness, testApiSettings, testAppOptions, type ApiHarness, type TestMember } from '../support/api'

// The Meta stand-in starts with quick processing, so a container is FINISHED (or failed) within a test; clearing
// must put back this instance's own start, not a fixed value.
const PROCESSING_MS = 50
const PAGE = META_SANDBOX_PAGES[0]!
const IG_USER = PAGE.instagram!.id
const IMAGE = 'https://cdn.example.test/cards/spring-launch.jpg'
const PHOTO = 'https://cdn.example.test/cards/look.jpg'

let h: ApiHarness
let sandbox: http.Server
let sandboxUrl: string
let metaStandIn: MetaStandIn
let tiktokStandIn: TikTokStandIn
let owner: TestMember
/** A Page token from the real login flow: the real Meta client publishes with it. */
let meta: GraphTarget
let tiktok: TikTokApiContext

beforeAll(async () => {
  metaStandIn = createMetaStandIn({ publishing: { containerProcessingMs: PROCESSING_MS } })
  tiktokStandIn = createTikTokStandIn()
  sandbox = createSandboxServer([metaStandIn, tiktokStandIn])
  await new Promise<void>((resolve) => sandbox.listen(0, '127.0.0.1', resolve))
  sandboxUrl = `http://127.0.0.1:${(sandbox.address() as AddressInfo).port}`
  // In sandbox mode the API's OAuth settings point at SANDBOX_URL: the stand-ins' roots are <it>/meta and <it>/tiktok.
  process.env.SANDBOX_URL = sandboxUrl
  h = await startApiHarness()
  expect(h.app.settings.oauth.meta.graphBaseUrl).toBe(`${sandboxUrl}/meta`)
  owner = await h.newTenant()
  meta = await metaPageTarget()
  const openId = TIKTOK_SANDBOX_USERS[0]!.openId
  tiktok = { baseUrl: `${sandboxUrl}/tiktok`, accessToken: tiktokStandIn.issueAccessToken(openId, ['user.info.basic', 'video.publish', 'video.upload', 'video.list']) }
})

afterEach(async () => {
  // Every test starts from stand-ins that behave normally.
  const cleared = await api(owner, 'POST', '/api/sandbox/publishing/clear')
  expect(cleared.statusCode, cleared.body).toBe(200)
})

afterAll(async () => {
  await h?.stop()
  sandbox?.closeAllConnections()
  await new Promise((resolve) => sandbox?.close(resolve))
})

async function metaPageTarget(): Promise<GraphTarget> {
  const settings = h.app.settings.oauth.meta
  const oauth = createMetaOAuthClient(settings)
  const redirectUri = 'http://web.test/oauth/meta/callback'
  const dialog = await (await fetch(oauth.authorizeUrl({ state: 'state-1', redirectUri }))).text()
  const form = new URLSearchParams()
  for (const [, name, value] of dialog.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(name!, value!.replace(/&amp;/g, '&'))
  form.append('page', PAGE.id)
  form.set('decision', 'approve')
  const action = /<form method="post" action="([^"]+)"/.exec(dialog)![1]!
  const back = await fetch(new URL(action, sandboxUrl), { method: 'POST', body: form, redirect: 'manual' })
  const code = new URL(back.headers.get('location')!).searchParams.get('code')!
  const login = await oauth.completeLogin({ code, redirectUri, now: new Date() })
  return { baseUrl: metaGraphBaseUrl(settings), accessToken: login.pages.find((page) => page.id === PAGE.id)!.accessToken }
}

function api(who: TestMember, method: 'GET' | 'POST', url: string, payload?: unknown, app: FastifyInstance = h.app) {
  return app.inject({
    method,
    url,
    headers: { ...who.headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  })
}

async function inject(preset: string, platform: string, count?: number) {
  const response = await api(owner, 'POST', '/api/sandbox/publishing/faults', { preset, platform, ...(count === undefined ? {} : { count }) })
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as { applied: { preset: string; platform: string; count: number | null; summary: string }; sandbox: SandboxPublishingView }
}

async function conditions(service: 'meta' | 'tiktok') {
  const response = await api(owner, 'GET', '/api/sandbox/publishing')
  expect(response.statusCode, response.body).toBe(200)
  return (response.json() as SandboxPublishingView).services.find((view) => view.service === service)!.conditions
}

/** The failure a call ends with (a test fails if the call succeeds). */
async function failureOf<E>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => new Error('expected the call to fail'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(type)
  return error as E
}

async function auditEvents(action: string) {
  return h.db.auditEvent.findMany({ where: { agencyId: owner.agencyId, action }, orderBy: { createdAt: 'asc' } })
}

let postNumber = 0
const feedPost = () => ({ kind: 'feed' as const, message: `Sandbox post ${++postNumber}` })
const photoPost = (title: string) => ({ mode: 'DIRECT_POST' as const, title, privacyLevel: 'SELF_ONLY' as const, photoUrls: [PHOTO] })

describe('reading the sandbox', () => {
  it('shows both stand-ins behaving normally, with the presets each platform has', async () => {
    const response = await api(owner, 'GET', '/api/sandbox/publishing')
    expect(response.statusCode, response.body).toBe(200)
    const view = response.json() as SandboxPublishingView
    expect(view.services).toEqual([
      { service: 'meta', label: 'Meta (Instagram and Facebook)', platforms: ['instagram', 'facebook'], mode: 'sandbox', standInUrl: `${sandboxUrl}/meta`, reachable: true, problem: null, conditions: [] },
      { service: 'tiktok', label: 'TikTok', platforms: ['tiktok'], mode: 'sandbox', standInUrl: `${sandboxUrl}/tiktok`, reachable: true, problem: null, conditions: [] },
    ])
    const presets = Object.fromEntries(view.presets.map((preset) => [preset.preset, preset]))
    expect(Object.keys(presets)).toEqual(['rate_limit', 'server_error', 'timeout', 'token_expired', 'container_error', 'slow_processing', 'quota_exhausted'])
    expect(presets.rate_limit).toMatchObject({ platforms: ['instagram', 'facebook', 'tiktok'], counted: true })
    expect(presets.container_error).toMatchObject({ platforms: ['instagram', 'tiktok'], counted: true })
    expect(presets.quota_exhausted).toMatchObject({ platforms: ['instagram', 'tiktok'], counted: false })
  })

  it('puts back the TikTok settings a fresh stand-in starts with', async () => {
    const fresh = createSandboxServer([createTikTokStandIn()])
    await new Promise<void>((resolve) => fresh.listen(0, '127.0.0.1', resolve))
    try {
      const snapshot = (await (await fetch(`http://127.0.0.1:${(fresh.address() as AddressInfo).port}/tiktok/__sandbox`)).json()) as { publishing: { config: Record<string, unknown> } }
      expect(snapshot.publishing.config).toMatchObject(TIKTOK_STAND_IN_DEFAULTS)
    } finally {
      await new Promise((resolve) => fresh.close(resolve))
    }
  })
})

describe('injecting faults', () => {
  it('throttles the next Facebook posts with Graph error 4, as many as asked, and audits it', async () => {
    const { applied, sandbox: view } = await inject('rate_limit', 'facebook', 2)
    expect(applied).toEqual({ preset: 'rate_limit', platform: 'facebook', count: 2, summary: 'Rate limit on Facebook, for the next 2.' })
    expect(view.services[0]!.conditions).toEqual([
      { platform: 'facebook', subject: 'Facebook: feed posts', effect: 'Graph error 4 (app rate limit), HTTP 400', remaining: 2 },
      { platform: 'facebook', subject: 'Facebook: photo posts', effect: 'Graph error 4 (app rate limit), HTTP 400', remaining: 2 },
    ])

    for (let i = 0; i < 2; i++) {
      const throttled = await failureOf(publishPagePost(meta, PAGE.id, feedPost()), MetaPublishingError)
      expect(throttled.failure).toMatchObject({ kind: 'retryable', code: '4', retryAfterMs: 60_000 })
    }
    await expect(publishPagePost(meta, PAGE.id, feedPost())).resolves.toMatchObject({ postId: expect.stringMatching(/^\d+_\d+$/) })
    // The feed faults are used up; the photo ones wait for a photo post.
    expect(await conditions('meta')).toEqual([expect.objectContaining({ subject: 'Facebook: photo posts', remaining: 2 })])

    const [event] = await auditEvents('sandbox.fault_injected')
    expect(event).toMatchObject({ actorUserId: owner.userId, targetType: 'sandbox', targetId: 'meta', detail: { preset: 'rate_limit', platform: 'facebook', count: 2 } })
  })

  it('expires the token on the next Instagram post, and fails the next container’s processing', async () => {
    await inject('token_expired', 'instagram')
    const expired = await failureOf(createInstagramContainer(meta, IG_USER, { kind: 'image', imageUrl: IMAGE }), MetaPublishingError)
    expect(expired.failure).toMatchObject({ kind: 'reauth', code: '190/463' })

    await inject('container_error', 'instagram')
    expect(await conditions('meta')).toEqual([{ platform: 'instagram', subject: 'Instagram: new media containers', effect: 'Processing ends in ERROR (-1/2207053: upload again)', remaining: 1 }])
    const { containerId: failing } = await createInstagramContainer(meta, IG_USER, { kind: 'image', imageUrl: IMAGE })
    await expect.poll(async () => (await getContainerStatus(meta, failing)).statusCode, { timeout: 2_000 }).toBe('ERROR')
    expect((await getContainerStatus(meta, failing)).errorSubcode).toBe(2207053)
    expect((await failureOf(publishInstagramContainer(meta, IG_USER, failing), MetaPublishingError)).failure).toMatchObject({ kind: 'retryable', code: '-1/2207053' })
    // Only the next one: the container after it finishes.
    const { containerId: fine } = await createInstagramContainer(meta, IG_USER, { kind: 'image', imageUrl: IMAGE })
    await expect.poll(async () => (await getContainerStatus(meta, fine)).statusCode, { timeout: 2_000 }).toBe('FINISHED')
    expect(await conditions('meta')).toEqual([])
  })

  it('keeps a post from answering within the client’s wait, while it goes through', async () => {
    const { sandbox: view } = await inject('timeout', 'facebook')
    expect(view.services[0]!.conditions[0]).toEqual({ platform: 'facebook', subject: 'Facebook: feed posts', effect: 'Answers after 20 s, then goes through', remaining: 1 })
    expect(GRAPH_REQUEST_TIMEOUT_MS).toBeLessThan(20_000)
    const lost = await failureOf(publishPagePost({ ...meta, timeoutMs: 300 }, PAGE.id, feedPost()), MetaPublishingError)
    expect(lost).toMatchObject({ status: 0, ambiguous: true })
  })

  it('makes Instagram processing slow and its quota used up until cleared, then clearing puts back how the stand-in started', async () => {
    await inject('slow_processing', 'instagram')
    const quota = await inject('quota_exhausted', 'instagram', 5)
    expect(quota.applied).toMatchObject({ count: null, summary: 'Quota used up on Instagram, until cleared.' })
    expect(await conditions('meta')).toEqual([
      { platform: 'instagram', subject: 'Instagram: processing time', effect: '60 s for an image, 180 s for a reel (normally 0.1 s)', remaining: null },
      { platform: 'instagram', subject: 'Instagram: posting quota', effect: 'Used up: every publish is refused (9/2207042)', remaining: null },
    ])
    const { containerId: slow } = await createInstagramContainer(meta, IG_USER, { kind: 'image', imageUrl: IMAGE })
    await new Promise((resolve) => setTimeout(resolve, 4 * PROCESSING_MS))
    expect((await getContainerStatus(meta, slow)).statusCode).toBe('IN_PROGRESS')

    const cleared = await api(owner, 'POST', '/api/sandbox/publishing/clear')
    expect(cleared.statusCode, cleared.body).toBe(200)
    expect((cleared.json() as SandboxPublishingView).services.map((view) => view.conditions)).toEqual([[], []])
    expect(metaStandIn.publishing.config).toMatchObject({ containerProcessingMs: PROCESSING_MS, instagramQuotaTotal: 50, failNextContainers: 0 })
    const { containerId } = await createInstagramContainer(meta, IG_USER, { kind: 'image', imageUrl: IMAGE })
    await expect.poll(async () => (await getContainerStatus(meta, containerId)).statusCode, { timeout: 2_000 }).toBe('FINISHED')
    await expect(publishInstagramContainer(meta, IG_USER, containerId)).resolves.toMatchObject({ mediaId: expect.any(String) })
    expect(await auditEvents('sandbox.faults_cleared')).toContainEqual(expect.objectContaining({ actorUserId: owner.userId, detail: { services: ['meta', 'tiktok'] } }))
  })

  it('rate-limits TikTok posts and uses up the creator’s daily cap; clearing a fault not yet used up leaves nothing behind', async () => {
    await inject('rate_limit', 'tiktok')
    const limited = await failureOf(initPhotoPost(tiktok, photoPost('Throttled')), TikTokPublishingError)
    expect(limited.failure).toMatchObject({ kind: 'retryable', code: 'rate_limit_exceeded' })
    await expect(initPhotoPost(tiktok, photoPost('Through'))).resolves.toMatchObject({ publishId: expect.any(String) })

    await inject('quota_exhausted', 'tiktok')
    await inject('container_error', 'tiktok', 3)
    await inject('server_error', 'tiktok', 4)
    expect(await conditions('tiktok')).toEqual([
      { platform: 'tiktok', subject: 'TikTok: starting a video post', effect: 'Error internal_error, HTTP 500', remaining: 4 },
      { platform: 'tiktok', subject: 'TikTok: starting a photo post', effect: 'Error internal_error, HTTP 500', remaining: 4 },
      { platform: 'tiktok', subject: 'TikTok: new posts', effect: 'Processing ends FAILED (internal)', remaining: 3 },
      { platform: 'tiktok', subject: 'TikTok: daily post cap', effect: 'Used up: every post is refused (spam_risk_too_many_posts)', remaining: null },
    ])
    expect((await failureOf(queryCreatorInfo(tiktok), TikTokPublishingError)).failure).toMatchObject({ kind: 'quota', code: 'spam_risk_too_many_posts' })

    const cleared = await api(owner, 'POST', '/api/sandbox/publishing/clear')
    expect(cleared.statusCode, cleared.body).toBe(200)
    expect(await conditions('tiktok')).toEqual([])
    await expect(queryCreatorInfo(tiktok)).resolves.toMatchObject({ privacyLevelOptions: ['SELF_ONLY'] })
    await expect(initPhotoPost(tiktok, photoPost('After clearing'))).resolves.toMatchObject({ publishId: expect.any(String) })
  })
})

describe('refusals', () => {
  it('refuses a preset a platform has no such thing for, and counts outside 1..20', async () => {
    const facebookProcessing = await api(owner, 'POST', '/api/sandbox/publishing/faults', { preset: 'container_error', platform: 'facebook' })
    expect(facebookProcessing.statusCode).toBe(400)
    expect(facebookProcessing.json().error).toMatchObject({ code: 'PRESET_NOT_AVAILABLE', message: expect.stringContaining('Instagram and TikTok') })
    for (const body of [{ preset: 'rate_limit', platform: 'tiktok', count: 0 }, { preset: 'rate_limit', platform: 'tiktok', count: 21 }, { preset: 'meltdown', platform: 'tiktok' }, { preset: 'rate_limit', platform: 'x' }]) {
      const refused = await api(owner, 'POST', '/api/sandbox/publishing/faults', body)
      expect(refused.statusCode, JSON.stringify(body)).toBe(400)
      expect(refused.json().error.code).toBe('VALIDATION_FAILED')
    }
    expect(await conditions('meta')).toEqual([])
    expect(await conditions('tiktok')).toEqual([])
  })

  it('is for owners and managers only', async () => {
    const manager = await h.newMember(owner.agencyId, 'manager')
    expect((await api(manager, 'GET', '/api/sandbox/publishing')).statusCode).toBe(200)
    expect((await api(manager, 'POST', '/api/sandbox/publishing/faults', { preset: 'server_error', platform: 'instagram' })).statusCode).toBe(200)
    for (const role of ['editor', 'analyst', 'creator', 'client_approver'] as const) {
      const member = await h.newMember(owner.agencyId, role)
      expect((await api(member, 'GET', '/api/sandbox/publishing')).statusCode, role).toBe(403)
      expect((await api(member, 'POST', '/api/sandbox/publishing/clear')).statusCode, role).toBe(403)
    }
  })

  describe('with other settings', () => {
    const apps: FastifyInstance[] = []
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()))
    })

    /** The same API on the same database, with other integration settings; `who` logged in to it. */
    async function appWith(overrides: Partial<ApiSettings>, who: TestMember) {
      const app = await buildApp(testAppOptions(h.db, h.env.client, testApiSettings(h.taskQueue, overrides)))
      apps.push(app)
      await app.ready()
      return { app, member: { ...who, ...(await loginAs(app, who.email, who.password)) } }
    }

    it('answers 404 SANDBOX_NOT_ACTIVE for a platform with real credentials', async () => {
      const metaLive = await appWith({ integrations: { ai: 'offline', meta: 'live', tiktok: 'sandbox' } }, owner)
      const refused = await api(metaLive.member, 'POST', '/api/sandbox/publishing/faults', { preset: 'rate_limit', platform: 'instagram' }, metaLive.app)
      expect(refused.statusCode).toBe(404)
      expect(refused.json().error.code).toBe('SANDBOX_NOT_ACTIVE')
      const view = (await api(metaLive.member, 'GET', '/api/sandbox/publishing', undefined, metaLive.app)).json() as SandboxPublishingView
      expect(view.services[0]).toMatchObject({ service: 'meta', mode: 'live', standInUrl: null, conditions: [] })
      expect(view.presets.every((preset) => preset.platforms.join() === 'tiktok')).toBe(true)

      const allLive = await appWith({ integrations: { ai: 'offline', meta: 'live', tiktok: 'live' } }, owner)
      for (const [method, url] of [['GET', '/api/sandbox/publishing'], ['POST', '/api/sandbox/publishing/clear']] as const) {
        const answer = await api(allLive.member, method, url, undefined, allLive.app)
        expect(answer.statusCode).toBe(404)
        expect(answer.json().error.code).toBe('SANDBOX_NOT_ACTIVE')
      }
    })

    it('says when a stand-in does not answer: in the summary, and as 502 to a change', async () => {
      const settings = oauthSettings()
      const unreachable = await appWith({ oauth: { ...settings, meta: { ...settings.meta, graphBaseUrl: 'http://127.0.0.1:9/meta' } } }, owner)
      const view = (await api(unreachable.member, 'GET', '/api/sandbox/publishing', undefined, unreachable.app)).json() as SandboxPublishingView
      expect(view.services[0]).toMatchObject({ service: 'meta', reachable: false, problem: expect.stringContaining('http://127.0.0.1:9/meta did not answer') })
      expect(view.services[1]).toMatchObject({ service: 'tiktok', reachable: true })
      const refused = await api(unreachable.member, 'POST', '/api/sandbox/publishing/faults', { preset: 'server_error', platform: 'facebook' }, unreachable.app)
      expect(refused.statusCode).toBe(502)
      expect(refused.json().error.code).toBe('SANDBOX_UNREACHABLE')
    })
  })
})
