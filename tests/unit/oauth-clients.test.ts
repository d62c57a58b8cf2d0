// The real Meta and TikTok OAuth clients against the sandbox stand-ins, started in-process on a free port:
// authorize pages, code exchanges, long-lived exchange and refresh rotation, and the platforms' errors
// (revoked, expired, transient) as the clients classify them.
import { randomBytes } from 'node:crypto'
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MetaGraphError, META_LOGIN_SCOPES, createMetaOAuthClient, type MetaOAuthSettings } from '../../activities/platforms/meta/oauth'
import { TikTokApiError, TIKTOK_LOGIN_SCOPES, createPkcePair, createTikTokOAuthClient, type TikTokOAuthSettings } from '../../activities/platforms/tiktok/oauth'
import { grantFromTikTok, grantsFromMetaLogin } from '../../activities/social-accounts'
import { META_SANDBOX_PAGES, createMetaStandIn, type MetaSandboxPage } from '../../sandbox/meta'
import { createSandboxServer } from '../../sandbox/server'
import { TIKTOK_SANDBOX_USERS, createTikTokStandIn } from '../../sandbox/tiktok'

const DAY_MS = 24 * 60 * 60 * 1000
const REDIRECT_META = 'http://web.test/oauth/meta/callback'
const REDIRECT_TIKTOK = 'http://web.test/oauth/tiktok/callback'

/** A sandbox with its own clock, so tests can let tokens expire. */
let clockMs = Date.now()
const manyPages: MetaSandboxPage[] = Array.from({ length: 130 }, (_, i) => ({ id: `2000000000${String(i).padStart(5, '0')}`, name: `Page ${i}`, instagram: null }))

let server: http.Server
let base: string
let pagingServer: http.Server
let pagingBase: string

async function listen(srv: http.Server): Promise<string> {
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`
}

beforeAll(async () => {
  server = createSandboxServer([createMetaStandIn({ now: () => clockMs }), createTikTokStandIn({ now: () => clockMs })])
  pagingServer = createSandboxServer([createMetaStandIn({ pages: manyPages })])
  ;[base, pagingBase] = await Promise.all([listen(server), listen(pagingServer)])
})
afterAll(async () => {
  await Promise.all([server, pagingServer].map((srv) => new Promise((resolve) => srv?.close(resolve))))
})

const metaSettings = (overrides: Partial<MetaOAuthSettings> = {}): MetaOAuthSettings => ({
  mode: 'sandbox',
  appId: 'sandbox-meta-app',
  appSecret: 'sandbox-meta-secret',
  configId: undefined,
  graphVersion: 'v24.0',
  dialogBaseUrl: `${base}/meta`,
  graphBaseUrl: `${base}/meta`,
  ...overrides,
})
const tiktokSettings = (overrides: Partial<TikTokOAuthSettings> = {}): TikTokOAuthSettings => ({
  mode: 'sandbox',
  clientKey: 'sandbox-tiktok-client',
  clientSecret: 'sandbox-tiktok-secret',
  authBaseUrl: `${base}/tiktok`,
  apiBaseUrl: `${base}/tiktok`,
  ...overrides,
})

const decode = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|#39);/g, (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[entity]!)

/**
 * Opens the stand-in's authorize page like a browser, checks it says it is the sandbox, and submits its form
 * with Approve or Deny. Answers the redirect the platform sends the browser to.
 */
async function followAuthorizePage(authorizeUrl: string, decision: 'approve' | 'deny', choose?: { page?: string[]; open_id?: string }): Promise<URL> {
  const pageResponse = await fetch(authorizeUrl)
  const html = await pageResponse.text()
  expect(pageResponse.status, html).toBe(200)
  expect(html).toMatch(/Sandbox — not the real (Meta|TikTok)/)
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!
  const form = new URLSearchParams()
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(name!, decode(value!))
  if (choose?.page) for (const id of choose.page) form.append('page', id)
  else for (const [, id] of html.matchAll(/name="page" value="([^"]+)" checked/g)) form.append('page', decode(id!))
  const person = choose?.open_id ?? /name="open_id" value="([^"]+)" checked/.exec(html)?.[1]
  if (person) form.set('open_id', decode(person))
  form.set('decision', decision)
  const response = await fetch(new URL(action, authorizeUrl), { method: 'POST', body: form, redirect: 'manual' })
  expect(response.status).toBe(302)
  return new URL(response.headers.get('location')!)
}

async function control(path: string, body: unknown) {
  const response = await fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) })
  expect(response.status).toBe(200)
  return response.json()
}

async function caught<T>(promise: Promise<T>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (error: unknown) => error,
  )
}

describe('Meta (Facebook Login for Business) against the stand-in', () => {
  const meta = () => createMetaOAuthClient(metaSettings())

  async function login(choose?: { page?: string[] }) {
    const state = randomBytes(16).toString('hex')
    const back = await followAuthorizePage(meta().authorizeUrl({ state, redirectUri: REDIRECT_META }), 'approve', choose)
    expect(back.searchParams.get('state')).toBe(state)
    return back.searchParams.get('code')!
  }

  it('builds the dialog URL with the app, the callback, the state and the scopes (or the configuration id)', () => {
    const url = new URL(meta().authorizeUrl({ state: 'abc', redirectUri: REDIRECT_META }))
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/meta/v24.0/dialog/oauth`)
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'sandbox-meta-app',
      redirect_uri: REDIRECT_META,
      state: 'abc',
      response_type: 'code',
      scope: META_LOGIN_SCOPES.join(','),
    })
    const withConfig = new URL(createMetaOAuthClient(metaSettings({ configId: '12345' })).authorizeUrl({ state: 'abc', redirectUri: REDIRECT_META }))
    expect(withConfig.searchParams.get('config_id')).toBe('12345')
    expect(withConfig.searchParams.has('scope')).toBe(false)
  })

  it('completes a login: code → long-lived user token, granted scopes, Pages with Page tokens and Instagram accounts', async () => {
    const before = Date.now()
    const result = await meta().completeLogin({ code: await login(), redirectUri: REDIRECT_META, now: new Date() })
    expect(result.scopes.sort()).toEqual([...META_LOGIN_SCOPES].sort())
    expect(result.userToken.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 59 * DAY_MS)
    expect(result.pages.map((page) => page.id)).toEqual(META_SANDBOX_PAGES.map((page) => page.id))
    expect(result.pages.every((page) => page.accessToken.startsWith('EAAP'))).toBe(true)

    const grants = grantsFromMetaLogin(result)
    expect(grants.map((grant) => `${grant.platform}:${grant.handle}`)).toEqual([
      'facebook:Sandbox Bakery',
      'instagram:sandbox.bakery',
      'facebook:Sandbox Studio',
      'instagram:sandbox.studio',
      'facebook:Sandbox Newsroom',
    ])
    // Instagram publishes with its Page's token; the user token is what the refresh re-exchanges.
    expect(grants[1]!.accessToken).toBe(grants[0]!.accessToken)
    expect(grants.every((grant) => grant.refreshToken === result.userToken.accessToken)).toBe(true)
  })

  it('shares only the Pages the person selected', async () => {
    const only = META_SANDBOX_PAGES[2]!.id
    const result = await meta().completeLogin({ code: await login({ page: [only] }), redirectUri: REDIRECT_META, now: new Date() })
    expect(result.pages.map((page) => page.id)).toEqual([only])
  })

  it('follows paging.next through every page of /me/accounts', async () => {
    const client = createMetaOAuthClient(metaSettings({ dialogBaseUrl: `${pagingBase}/meta`, graphBaseUrl: `${pagingBase}/meta` }))
    const back = await followAuthorizePage(client.authorizeUrl({ state: 's', redirectUri: REDIRECT_META }), 'approve')
    const result = await client.completeLogin({ code: back.searchParams.get('code')!, redirectUri: REDIRECT_META, now: new Date() })
    expect(result.pages).toHaveLength(manyPages.length)
  })

  it('sends a denial back as error=access_denied with the state', async () => {
    const back = await followAuthorizePage(meta().authorizeUrl({ state: 'den', redirectUri: REDIRECT_META }), 'deny')
    expect(back.searchParams.get('error')).toBe('access_denied')
    expect(back.searchParams.get('state')).toBe('den')
    expect(back.searchParams.has('code')).toBe(false)
  })

  it('spends a code once and binds it to the redirect_uri (Graph 100 / 36009, 36008): not retryable, no re-auth', async () => {
    const code = await login()
    await meta().exchangeCode({ code, redirectUri: REDIRECT_META })
    const reused = await caught(meta().exchangeCode({ code, redirectUri: REDIRECT_META }))
    expect(reused).toBeInstanceOf(MetaGraphError)
    expect(reused).toMatchObject({ code: 100, subcode: 36009, retryable: false, needsReauth: false })
    expect((reused as MetaGraphError).fbtraceId).toEqual(expect.any(String))

    const elsewhere = await caught(meta().exchangeCode({ code: await login(), redirectUri: 'http://evil.test/cb' }))
    expect(elsewhere).toMatchObject({ code: 100, subcode: 36008 })
  })

  it('refuses a wrong app secret', async () => {
    const wrong = createMetaOAuthClient(metaSettings({ appSecret: 'not-the-secret' }))
    const error = await caught(wrong.exchangeCode({ code: await login(), redirectUri: REDIRECT_META }))
    expect(error).toMatchObject({ message: 'Error validating client secret.' })
  })

  it('refreshes by re-exchanging the long-lived token and re-reading the Page tokens', async () => {
    const first = await meta().completeLogin({ code: await login(), redirectUri: REDIRECT_META, now: new Date() })
    const later = new Date(Date.now() + DAY_MS)
    const refreshed = await meta().refreshLogin({ userToken: first.userToken.accessToken, now: later })
    expect(refreshed.userToken.accessToken).not.toBe(first.userToken.accessToken)
    expect(refreshed.userToken.expiresAt.getTime()).toBeGreaterThan(first.userToken.expiresAt.getTime())
    expect(refreshed.pages.map((page) => page.id)).toEqual(first.pages.map((page) => page.id))
  })

  it('classifies a password change (190/460), a removed app (190/458) and an expired token (190/463) as needing re-auth', async () => {
    for (const [path, body, subcode] of [
      ['/meta/__sandbox/tokens/revoke', {}, 460],
      ['/meta/__sandbox/tokens/revoke', { subcode: 458 }, 458],
      ['/meta/__sandbox/tokens/expire', {}, 463],
    ] as const) {
      const { userToken } = await meta().completeLogin({ code: await login(), redirectUri: REDIRECT_META, now: new Date() })
      await control(path, { ...body, access_token: userToken.accessToken })
      const error = await caught(meta().refreshLogin({ userToken: userToken.accessToken, now: new Date() }))
      expect(error).toBeInstanceOf(MetaGraphError)
      expect(error).toMatchObject({ code: 190, subcode, needsReauth: true, retryable: false })
      expect((error as MetaGraphError).describe()).not.toContain(userToken.accessToken)
    }
  })

  it('lets a long-lived token run out on its own (Graph 190/463)', async () => {
    const { userToken } = await meta().completeLogin({ code: await login(), redirectUri: REDIRECT_META, now: new Date() })
    clockMs += 61 * DAY_MS
    try {
      const error = await caught(meta().refreshLogin({ userToken: userToken.accessToken, now: new Date() }))
      expect(error).toMatchObject({ code: 190, subcode: 463, needsReauth: true })
    } finally {
      clockMs -= 61 * DAY_MS
    }
  })

  it('classifies injected outages and rate limits as retryable, for as many calls as injected', async () => {
    const { userToken } = await meta().completeLogin({ code: await login(), redirectUri: REDIRECT_META, now: new Date() })
    await control('/meta/__sandbox/faults', { count: 2, status: 500 })
    for (let i = 0; i < 2; i++) {
      const error = await caught(meta().exchangeForLongLivedToken(userToken.accessToken))
      expect(error).toMatchObject({ status: 500, retryable: true, needsReauth: false, isTransient: true })
    }
    await control('/meta/__sandbox/faults', { count: 1, status: 400, code: 17, isTransient: false })
    expect(await caught(meta().exchangeForLongLivedToken(userToken.accessToken))).toMatchObject({ code: 17, retryable: true })
    await control('/meta/__sandbox/faults', { count: 1, code: 190, subcode: 463 })
    expect(await caught(meta().exchangeForLongLivedToken(userToken.accessToken))).toMatchObject({ code: 190, subcode: 463, needsReauth: true })
    // The faults are used up: the next call works.
    await expect(meta().exchangeForLongLivedToken(userToken.accessToken)).resolves.toMatchObject({ accessToken: expect.any(String) })
  })

  it('reports an unreachable Graph API as retryable, without the URL (it carries secrets)', async () => {
    const client = createMetaOAuthClient(metaSettings({ graphBaseUrl: 'http://127.0.0.1:1' }))
    const error = await caught(client.exchangeCode({ code: 'c', redirectUri: REDIRECT_META }))
    expect(error).toMatchObject({ status: 0, retryable: true })
    expect((error as Error).message).not.toContain('sandbox-meta-secret')
  })
})

describe('TikTok (Login Kit v2) against the stand-in', () => {
  const tiktok = () => createTikTokOAuthClient(tiktokSettings())

  async function login(openId?: string) {
    const pkce = createPkcePair()
    const state = randomBytes(16).toString('hex')
    const back = await followAuthorizePage(tiktok().authorizeUrl({ state, redirectUri: REDIRECT_TIKTOK, codeChallenge: pkce.codeChallenge }), 'approve', openId ? { open_id: openId } : undefined)
    expect(back.searchParams.get('state')).toBe(state)
    return { code: back.searchParams.get('code')!, codeVerifier: pkce.codeVerifier }
  }

  it('builds the authorize URL with the client key, scopes, callback, state and an S256 PKCE challenge', () => {
    const url = new URL(tiktok().authorizeUrl({ state: 'st', redirectUri: REDIRECT_TIKTOK, codeChallenge: 'challenge' }))
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/tiktok/v2/auth/authorize/`)
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_key: 'sandbox-tiktok-client',
      scope: TIKTOK_LOGIN_SCOPES.join(','),
      response_type: 'code',
      redirect_uri: REDIRECT_TIKTOK,
      state: 'st',
      code_challenge: 'challenge',
      code_challenge_method: 'S256',
    })
  })

  it('exchanges a code with its verifier, reads the user, and turns both into an account', async () => {
    const person = TIKTOK_SANDBOX_USERS[1]!
    const { code, codeVerifier } = await login(person.openId)
    const before = Date.now()
    const tokens = await tiktok().exchangeCode({ code, redirectUri: REDIRECT_TIKTOK, codeVerifier, now: new Date() })
    expect(tokens.openId).toBe(person.openId)
    expect(tokens.scopes).toEqual([...TIKTOK_LOGIN_SCOPES])
    expect(tokens.accessTokenExpiresAt.getTime() - before).toBeGreaterThan(DAY_MS - 60_000)
    expect(tokens.refreshTokenExpiresAt.getTime() - before).toBeGreaterThan(364 * DAY_MS)
    const user = await tiktok().userInfo(tokens.accessToken)
    expect(user).toEqual({ openId: person.openId, displayName: person.displayName, username: person.username })
    expect(grantFromTikTok(tokens, user)).toMatchObject({ platform: 'tiktok', externalId: person.openId, handle: person.username })
  })

  it('refuses a wrong PKCE verifier and a reused code (invalid_grant)', async () => {
    const first = await login()
    const wrongVerifier = await caught(tiktok().exchangeCode({ code: first.code, redirectUri: REDIRECT_TIKTOK, codeVerifier: createPkcePair().codeVerifier, now: new Date() }))
    expect(wrongVerifier).toBeInstanceOf(TikTokApiError)
    expect(wrongVerifier).toMatchObject({ code: 'invalid_grant', status: 400, retryable: false })
    expect((wrongVerifier as TikTokApiError).logId).toEqual(expect.any(String))

    const second = await login()
    await tiktok().exchangeCode({ code: second.code, redirectUri: REDIRECT_TIKTOK, codeVerifier: second.codeVerifier, now: new Date() })
    const reused = await caught(tiktok().exchangeCode({ code: second.code, redirectUri: REDIRECT_TIKTOK, codeVerifier: second.codeVerifier, now: new Date() }))
    expect(reused).toMatchObject({ code: 'invalid_grant' })
  })

  it('refuses a wrong client secret (invalid_client)', async () => {
    const { code, codeVerifier } = await login()
    const error = await caught(createTikTokOAuthClient(tiktokSettings({ clientSecret: 'nope' })).exchangeCode({ code, redirectUri: REDIRECT_TIKTOK, codeVerifier, now: new Date() }))
    expect(error).toMatchObject({ code: 'invalid_client', status: 401 })
  })

  it('sends a denial back as error=access_denied with the state', async () => {
    const back = await followAuthorizePage(tiktok().authorizeUrl({ state: 'no', redirectUri: REDIRECT_TIKTOK, codeChallenge: createPkcePair().codeChallenge }), 'deny')
    expect(back.searchParams.get('error')).toBe('access_denied')
    expect(back.searchParams.get('state')).toBe('no')
  })

  it('rotates refresh tokens: the new pair works, the old refresh token does not', async () => {
    const { code, codeVerifier } = await login()
    const first = await tiktok().exchangeCode({ code, redirectUri: REDIRECT_TIKTOK, codeVerifier, now: new Date() })
    const second = await tiktok().refreshTokens({ refreshToken: first.refreshToken, now: new Date() })
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(second.accessToken).not.toBe(first.accessToken)
    await expect(tiktok().userInfo(second.accessToken)).resolves.toMatchObject({ openId: first.openId })
    const stale = await caught(tiktok().refreshTokens({ refreshToken: first.refreshToken, now: new Date() }))
    expect(stale).toMatchObject({ code: 'invalid_grant', needsReauth: true, retryable: false })
    await expect(tiktok().refreshTokens({ refreshToken: second.refreshToken, now: new Date() })).resolves.toMatchObject({ openId: first.openId })
  })

  it('classifies a revoked refresh token as needing re-auth, and an expired access token as invalid', async () => {
    const { code, codeVerifier } = await login()
    const tokens = await tiktok().exchangeCode({ code, redirectUri: REDIRECT_TIKTOK, codeVerifier, now: new Date() })
    await control('/tiktok/__sandbox/refresh-tokens/revoke', { refresh_token: tokens.refreshToken })
    const revoked = await caught(tiktok().refreshTokens({ refreshToken: tokens.refreshToken, now: new Date() }))
    expect(revoked).toMatchObject({ code: 'invalid_grant', needsReauth: true })
    expect((revoked as TikTokApiError).describe()).not.toContain(tokens.refreshToken)

    clockMs += 2 * DAY_MS
    try {
      expect(await caught(tiktok().userInfo(tokens.accessToken))).toMatchObject({ code: 'access_token_invalid', status: 401, needsReauth: true })
    } finally {
      clockMs -= 2 * DAY_MS
    }
  })

  it('classifies injected 500s and 429s as retryable, then works again', async () => {
    const { code, codeVerifier } = await login()
    const tokens = await tiktok().exchangeCode({ code, redirectUri: REDIRECT_TIKTOK, codeVerifier, now: new Date() })
    await control('/tiktok/__sandbox/faults', { count: 1, status: 500 })
    expect(await caught(tiktok().refreshTokens({ refreshToken: tokens.refreshToken, now: new Date() }))).toMatchObject({ status: 500, code: 'internal_error', retryable: true })
    await control('/tiktok/__sandbox/faults', { count: 1, status: 429 })
    expect(await caught(tiktok().refreshTokens({ refreshToken: tokens.refreshToken, now: new Date() }))).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryable: true })
    // A failed call does not rotate: the same refresh token still works.
    await expect(tiktok().refreshTokens({ refreshToken: tokens.refreshToken, now: new Date() })).resolves.toMatchObject({ openId: tokens.openId })
  })

  it('reports an unreachable TikTok as retryable', async () => {
    const error = await caught(createTikTokOAuthClient(tiktokSettings({ apiBaseUrl: 'http://127.0.0.1:1' })).refreshTokens({ refreshToken: 'r', now: new Date() }))
    expect(error).toMatchObject({ status: 0, code: 'unreachable', retryable: true })
  })
})

describe('the stand-ins', () => {
  it('say what they imitate and refuse an authorize page for an unknown app', async () => {
    const index = await (await fetch(`${base}/`)).json()
    expect(index.standIns.map((s: { prefix: string }) => s.prefix)).toEqual(['/meta', '/tiktok'])
    const wrongApp = await fetch(`${base}/meta/v24.0/dialog/oauth?client_id=other&redirect_uri=${encodeURIComponent(REDIRECT_META)}&state=s&response_type=code`)
    expect(wrongApp.status).toBe(400)
    expect(await wrongApp.text()).toContain('Unknown app id')
    const wrongClient = await fetch(`${base}/tiktok/v2/auth/authorize/?client_key=other&redirect_uri=${encodeURIComponent(REDIRECT_TIKTOK)}&state=s&response_type=code`)
    expect(wrongClient.status).toBe(400)
  })
})
