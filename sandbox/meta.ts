// Stand-in for Facebook Login for Business and the Graph API: the login dialog (a page that says plainly it
// is the sandbox), the code and long-lived token exchanges, /me/permissions and /me/accounts with Page tokens
// and linked Instagram business accounts, and the publishing calls (sandbox/meta-publishing.ts) those Page
// tokens authorize. It keeps Graph's error bodies and codes (190 with 458/460/463, 100/36007-36009, transient
// errors) and its usage headers (X-App-Usage, X-Business-Use-Case-Usage) so the real clients are exercised.
// A control API under /meta/__sandbox lets tests and demos revoke or expire tokens, inject failures (per path,
// per account, delayed), fail or expire Instagram containers and set the posting quota.
// All state lives in the instance: every createMetaStandIn() is a fresh Meta.
import { createHmac, randomBytes } from 'node:crypto'
import type http from 'node:http'
import { oauthSettings } from '../platform/config'
import { BodyTooLargeError, escapeHtml, parseJsonObject, readBody, sandboxPage, sandboxSecret, sendHtml, sendJson } from './http'
import { GraphError, createMetaPublishing, type GraphCaller, type MetaPublishingConfig, type MetaPublishingControl } from './meta-publishing'
import type { StandIn } from './server'

export interface MetaSandboxPage {
  id: string
  name: string
  instagram: { id: string; username: string } | null
}

export interface MetaStandInOptions {
  appId?: string
  appSecret?: string
  /** Lifetime of the token a code buys (Graph: about 2 hours). */
  shortLivedTokenSeconds?: number
  /** Lifetime of a long-lived user token (Graph: about 60 days). */
  longLivedTokenSeconds?: number
  /** How long an authorization code can be exchanged (Graph: 10 minutes). */
  codeSeconds?: number
  pages?: MetaSandboxPage[]
  /** Container processing time and the Instagram posting quota. */
  publishing?: Partial<MetaPublishingConfig>
  /** Graph calls an app may make per rolling hour before X-App-Usage reads 100%. */
  appCallsPerHour?: number
  /** Milliseconds since the epoch; tests may move it. */
  now?: () => number
}

/** The sandbox person's Pages: two with an Instagram business account, one without. */
export const META_SANDBOX_PAGES: MetaSandboxPage[] = [
  { id: '104500000000001', name: 'Sandbox Bakery', instagram: { id: '17841400000000001', username: 'sandbox.bakery' } },
  { id: '104500000000002', name: 'Sandbox Studio', instagram: { id: '17841400000000002', username: 'sandbox.studio' } },
  { id: '104500000000003', name: 'Sandbox Newsroom', instagram: null },
]
const SANDBOX_USER = { id: '100090000000001', name: 'Sandbox Person' }

type TokenKind = 'user_short' | 'user_long' | 'page'

interface TokenRecord {
  kind: TokenKind
  grantId: string
  /** The token this one was exchanged from or derived from: revoking it revokes this one too. */
  parent: string | null
  expiresAt: number | null
  pageId?: string
  /** 460 password changed, 458 app removed, 467 invalid. */
  revokedSubcode?: number
  /** Marked expired through the control API (463) regardless of expiresAt. */
  forcedExpired?: boolean
}

interface Grant {
  scopes: string[]
  pageIds: string[]
}

interface Fault {
  remaining: number
  status: number
  code: number
  subcode: number | null
  isTransient: boolean
  message: string
  // Only calls whose Graph path (after the version) matches, e.g. "/*/media_publish"; null: every call.
  path: string | null
  method: string | null
  /** Only calls on this Instagram account or Page (or on its containers, media and posts). */
  account: string | null
  /** Wait this long before answering; with no status or code the call then goes through (a slow answer). */
  delayMs: number
  /** Only a delay, no error. */
  delayOnly: boolean
  /** For throttling codes: estimated_time_to_regain_access in the usage header. */
  regainAccessMinutes: number
}

/** A Meta stand-in, with its publishing state readable and changeable in process. */
export interface MetaStandIn extends StandIn {
  publishing: MetaPublishingControl
  /**
   * A Page token as a completed login granting every scope would give (derived from a long-lived user token),
   * without the dialog: for tests, benchmarks and demos.
   */
  issuePageToken(pageId: string, scopes?: string[]): string
}

// Throttling codes: the app (4), a user (17), a Page (32), a method (613), the business use case (80000..80014).
const THROTTLE_CODES = new Set([4, 17, 32, 341, 613])
const isThrottle = (code: number) => THROTTLE_CODES.has(code) || (code >= 80000 && code <= 80014)
const HOUR_MS = 60 * 60 * 1000

/** What a login granting everything Greenlight asks for gives (META_LOGIN_SCOPES, plus insights). */
const FULL_GRANT_SCOPES = ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts', 'instagram_basic', 'instagram_content_publish', 'instagram_manage_insights', 'business_management', 'read_insights']

const fbtraceId = () => randomBytes(8).toString('base64url')

export function createMetaStandIn(options: MetaStandInOptions = {}): MetaStandIn {
  const defaults = oauthSettings().meta
  const appId = options.appId ?? defaults.appId
  const appSecret = options.appSecret ?? defaults.appSecret
  const now = options.now ?? Date.now
  const config = {
    shortLivedTokenSeconds: options.shortLivedTokenSeconds ?? 2 * 60 * 60,
    longLivedTokenSeconds: options.longLivedTokenSeconds ?? 60 * 24 * 60 * 60,
    codeSeconds: options.codeSeconds ?? 600,
  }
  const pages = options.pages ?? META_SANDBOX_PAGES

  const grants = new Map<string, Grant>()
  const codes = new Map<string, { clientId: string; redirectUri: string; grantId: string; expiresAt: number; used: boolean }>()
  const tokens = new Map<string, TokenRecord>()
  // Page token per (user token, page): Graph answers the same Page token for the same user token.
  const pageTokens = new Map<string, string>()
  const faults: Fault[] = []
  const counters = { codeExchanges: 0, longLivedExchanges: 0, accountReads: 0, failedTokenCalls: 0, injectedFaults: 0 }
  const publishing = createMetaPublishing({ pages, now, ...(options.publishing ? { config: options.publishing } : {}) })
  const appCallsPerHour = options.appCallsPerHour ?? 4_800
  // Call times in the last hour, for the app and per account: what the usage headers report.
  const callTimes = new Map<string, number[]>()

  function issue(kind: TokenKind, grantId: string, parent: string | null, lifetimeSeconds: number | null, pageId?: string): string {
    const value = sandboxSecret(kind === 'page' ? 'EAAP' : 'EAAG')
    tokens.set(value, { kind, grantId, parent, expiresAt: lifetimeSeconds === null ? null : now() + lifetimeSeconds * 1000, ...(pageId ? { pageId } : {}) })
    return value
  }

  /** The token's record when it is usable; otherwise Graph's 190 with the subcode that says why. */
  function validToken(value: string | null): TokenRecord {
    if (!value) throw new GraphError(400, 2500, 'An active access token must be used to query information about the current user.')
    const record = tokens.get(value)
    if (!record) throw new GraphError(400, 190, 'Invalid OAuth access token - Cannot parse access token')
    for (let link: TokenRecord | undefined = record; link; link = link.parent ? tokens.get(link.parent) : undefined) {
      if (link.revokedSubcode === 460) {
        throw new GraphError(400, 190, 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.', 460)
      }
      if (link.revokedSubcode === 458) throw new GraphError(400, 190, `Error validating access token: The user has not authorized application ${appId}.`, 458)
      if (link.revokedSubcode !== undefined) throw new GraphError(400, 190, 'Error validating access token: The session is invalid.', link.revokedSubcode)
    }
    if (record.forcedExpired || (record.expiresAt !== null && record.expiresAt <= now())) {
      const at = new Date(record.expiresAt ?? now()).toUTCString()
      throw new GraphError(400, 190, `Error validating access token: Session has expired on ${at}. The current time is ${new Date(now()).toUTCString()}.`, 463)
    }
    return record
  }

  function checkAppSecretProof(params: URLSearchParams, accessToken: string) {
    const proof = params.get('appsecret_proof')
    if (proof === null) return
    const expected = createHmac('sha256', appSecret).update(accessToken).digest('hex')
    if (proof !== expected) throw new GraphError(400, 100, 'Invalid appsecret_proof provided in the API argument', null, 'GraphMethodException')
  }

  function checkClient(params: URLSearchParams, withSecret: boolean) {
    if (params.get('client_id') !== appId) throw new GraphError(400, 101, 'Error validating application. Invalid application ID.')
    if (withSecret && params.get('client_secret') !== appSecret) throw new GraphError(400, 1, 'Error validating client secret.')
  }

  /** The first injected fault that matches this call: waits its delay, then throws its error (if it has one). */
  async function applyFault(method: string, rest: string, account: string | null) {
    const index = faults.findIndex(
      (f) => f.remaining > 0 && (f.method === null || f.method === method) && (f.account === null || f.account === account) && (f.path === null || pathPattern(f.path).test(rest)),
    )
    const fault = faults[index]
    if (!fault) return
    fault.remaining -= 1
    if (fault.remaining === 0) faults.splice(index, 1)
    counters.injectedFaults += 1
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
    if (fault.delayOnly) return
    if (rest === '/oauth/access_token') counters.failedTokenCalls += 1
    const { status, code, subcode, message, isTransient } = fault
    throw new GraphError(status, code, message, subcode, 'OAuthException', isTransient, isThrottle(code) ? fault.regainAccessMinutes : null)
  }

  /** Records a call for the usage headers and answers the share of the hourly allowance used, in percent. */
  function recordCall(key: string): number {
    const since = now() - HOUR_MS
    const times = [...(callTimes.get(key) ?? []).filter((at) => at > since), now()]
    callTimes.set(key, times)
    return Math.min(100, Math.ceil((times.length * 100) / appCallsPerHour))
  }

  /**
   * Graph's usage headers: X-App-Usage on every answer; X-Business-Use-Case-Usage when the call acts on a Page
   * or an Instagram account, with estimated_time_to_regain_access (minutes) when throttled.
   */
  function setUsageHeaders(response: http.ServerResponse, account: { id: string; type: string } | null, error: GraphError | null) {
    const appLimited = error !== null && (error.code === 4 || error.code === 17)
    const appPct = recordCall('app')
    const appUsage = appLimited ? 100 : appPct
    response.setHeader('x-app-usage', JSON.stringify({ call_count: appUsage, total_cputime: Math.floor(appUsage / 4), total_time: Math.floor(appUsage / 3) }))
    if (!account) return
    const regain = error?.regainAccessMinutes ?? 0
    const pct = regain > 0 ? 100 : recordCall(account.id)
    response.setHeader(
      'x-business-use-case-usage',
      JSON.stringify({
        [account.id]: [{ type: account.type, call_count: pct, total_cputime: Math.floor(pct / 4), total_time: Math.floor(pct / 3), estimated_time_to_regain_access: regain }],
      }),
    )
  }

  function accessTokenEndpoint(params: URLSearchParams) {
    if (params.get('grant_type') === 'fb_exchange_token') {
      checkClient(params, true)
      const source = params.get('fb_exchange_token')
      const record = validToken(source)
      if (record.kind === 'page') throw new GraphError(400, 100, 'A user access token is required to exchange for a long-lived token.')
      counters.longLivedExchanges += 1
      return { access_token: issue('user_long', record.grantId, source, config.longLivedTokenSeconds), token_type: 'bearer', expires_in: config.longLivedTokenSeconds }
    }
    checkClient(params, true)
    const code = params.get('code')
    const entry = code ? codes.get(code) : undefined
    if (!code || !entry) throw new GraphError(400, 100, 'Invalid verification code format.', null)
    if (entry.used) throw new GraphError(400, 100, 'This authorization code has been used.', 36009)
    if (entry.expiresAt <= now()) throw new GraphError(400, 100, 'This authorization code has expired.', 36007)
    if (entry.clientId !== params.get('client_id') || entry.redirectUri !== params.get('redirect_uri')) {
      throw new GraphError(400, 100, 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request', 36008)
    }
    entry.used = true
    counters.codeExchanges += 1
    return { access_token: issue('user_short', entry.grantId, null, config.shortLivedTokenSeconds), token_type: 'bearer', expires_in: config.shortLivedTokenSeconds }
  }

  function userToken(params: URLSearchParams): { value: string; record: TokenRecord } {
    const value = params.get('access_token')
    const record = validToken(value)
    if (record.kind === 'page') throw new GraphError(400, 100, 'This method must be called with a user access token.')
    checkAppSecretProof(params, value!)
    return { value: value!, record }
  }

  function accountsEndpoint(params: URLSearchParams, baseUrl: string) {
    const { value, record } = userToken(params)
    counters.accountReads += 1
    const grant = grants.get(record.grantId)!
    const fields = (params.get('fields') ?? 'id,name').toLowerCase()
    const limit = Math.min(Math.max(Number(params.get('limit') ?? 25) || 25, 1), 100)
    const offset = Number(params.get('after') ? Buffer.from(params.get('after')!, 'base64url').toString() : 0)
    const shared = pages.filter((page) => grant.pageIds.includes(page.id))
    const slice = shared.slice(offset, offset + limit)
    const data = slice.map((page) => {
      const key = `${value}|${page.id}`
      let pageToken = pageTokens.get(key)
      if (!pageToken) {
        // Page tokens from a long-lived user token do not expire; from a short-lived one they last as long.
        const lifetime = record.kind === 'user_long' || record.expiresAt === null ? null : Math.max(0, Math.round((record.expiresAt - now()) / 1000))
        pageToken = issue('page', record.grantId, value, lifetime, page.id)
        pageTokens.set(key, pageToken)
      }
      return {
        id: page.id,
        name: page.name,
        ...(fields.includes('access_token') ? { access_token: pageToken } : {}),
        ...(fields.includes('instagram_business_account') && page.instagram
          ? { instagram_business_account: { id: page.instagram.id, ...(fields.includes('username') ? { username: page.instagram.username } : {}) } }
          : {}),
      }
    })
    const body: Record<string, unknown> = { data }
    if (offset + limit < shared.length) {
      const next = new URLSearchParams(params)
      next.set('after', Buffer.from(String(offset + limit)).toString('base64url'))
      body.paging = { cursors: { before: '', after: next.get('after') }, next: `${baseUrl}/me/accounts?${next}` }
    }
    return body
  }

  function permissionsEndpoint(params: URLSearchParams) {
    const { record } = userToken(params)
    const grant = grants.get(record.grantId)!
    return { data: grant.scopes.map((permission) => ({ permission, status: 'granted' })) }
  }

  function issuePageToken(pageId: string, scopes: readonly string[] = FULL_GRANT_SCOPES): string {
    if (!pages.some((page) => page.id === pageId)) throw new Error(`no sandbox Page ${pageId}`)
    const grantId = sandboxSecret('grant')
    grants.set(grantId, { scopes: [...scopes], pageIds: [pageId] })
    const userToken = issue('user_long', grantId, null, config.longLivedTokenSeconds)
    const pageToken = issue('page', grantId, userToken, null, pageId)
    pageTokens.set(`${userToken}|${pageId}`, pageToken)
    return pageToken
  }

  function control(path: string, body: Record<string, unknown>) {
    if (path === '/tokens/revoke' || path === '/tokens/expire') {
      const targets = body.all === true ? [...tokens.keys()] : typeof body.access_token === 'string' ? [body.access_token] : []
      if (targets.length === 0) return { status: 400, body: { error: 'send {"access_token": "..."} or {"all": true}' } }
      let changed = 0
      for (const value of targets) {
        const record = tokens.get(value)
        if (!record) continue
        if (path === '/tokens/revoke') record.revokedSubcode = typeof body.subcode === 'number' ? body.subcode : 460
        else record.forcedExpired = true
        changed += 1
      }
      return { status: 200, body: { changed } }
    }
    if (path === '/page-tokens/issue') {
      // A Page token as a completed login would give it, for the demo's sandbox accounts (tokens live in memory
      // here, so every start of the stand-ins issues them again).
      const pageId = typeof body.page_id === 'string' ? body.page_id : ''
      if (!pages.some((page) => page.id === pageId)) return { status: 404, body: { error: `no sandbox Page ${pageId}` } }
      return { status: 200, body: { access_token: issuePageToken(pageId), page_id: pageId } }
    }
    if (path === '/faults') {
      if (body.clear === true) {
        faults.length = 0
        return { status: 200, body: { faults } }
      }
      const count = typeof body.count === 'number' && body.count > 0 ? Math.floor(body.count) : 1
      const delayMs = typeof body.delayMs === 'number' && body.delayMs > 0 ? Math.floor(body.delayMs) : 0
      const delayOnly = delayMs > 0 && body.status === undefined && body.code === undefined
      const status = typeof body.status === 'number' ? body.status : 400
      const code = typeof body.code === 'number' ? body.code : status >= 500 ? 2 : 1
      const fault: Fault = {
        remaining: count,
        status,
        code,
        subcode: typeof body.subcode === 'number' ? body.subcode : code >= 80000 && code <= 80014 ? 2446079 : null,
        isTransient: typeof body.isTransient === 'boolean' ? body.isTransient : status >= 500 || code === 2,
        message: typeof body.message === 'string' ? body.message : faultMessage(code),
        path: typeof body.path === 'string' ? body.path : null,
        method: typeof body.method === 'string' ? body.method.toUpperCase() : null,
        account: typeof body.account === 'string' ? body.account : null,
        delayMs,
        delayOnly,
        regainAccessMinutes: typeof body.regainAccessMinutes === 'number' && body.regainAccessMinutes > 0 ? Math.ceil(body.regainAccessMinutes) : 5,
      }
      faults.push(fault)
      return { status: 200, body: { fault, faults } }
    }
    if (path === '/instagram/containers') {
      const id = typeof body.id === 'string' ? body.id : ''
      try {
        if (body.status === 'EXPIRED') publishing.control.expireContainer(id)
        else if (body.status === 'ERROR') publishing.control.failContainer(id, typeof body.subcode === 'number' ? body.subcode : undefined, typeof body.code === 'number' ? body.code : undefined)
        else return { status: 400, body: { error: 'send {"id": "<container id>", "status": "ERROR" (with "subcode", "code") or "EXPIRED"}' } }
      } catch (error) {
        return { status: 404, body: { error: (error as Error).message } }
      }
      return { status: 200, body: { id, status: body.status } }
    }
    if (path === '/instagram/quota') {
      if (typeof body.quotaTotal !== 'number' || body.quotaTotal < 0) return { status: 400, body: { error: 'send {"quotaTotal": N} and optionally "igUserId"' } }
      publishing.control.setInstagramQuota(typeof body.igUserId === 'string' ? body.igUserId : null, Math.floor(body.quotaTotal))
      return { status: 200, body: { igUserId: body.igUserId ?? null, quotaTotal: Math.floor(body.quotaTotal) } }
    }
    if (path === '/config') {
      for (const key of ['shortLivedTokenSeconds', 'longLivedTokenSeconds', 'codeSeconds'] as const) {
        const value = body[key]
        if (typeof value === 'number' && value > 0) config[key] = Math.floor(value)
      }
      const publishingConfig = publishing.control.configure(body as Partial<MetaPublishingConfig>)
      return { status: 200, body: { config: { ...config, publishing: publishingConfig } } }
    }
    return { status: 404, body: { error: `no sandbox control ${path}` } }
  }

  /** Who a publishing call's token speaks for (Graph's 190 family when it no longer works). */
  function caller(params: URLSearchParams): GraphCaller {
    const record = validToken(params.get('access_token'))
    checkAppSecretProof(params, params.get('access_token')!)
    const grant = grants.get(record.grantId)!
    return { kind: record.kind === 'page' ? 'page' : 'user', pageIds: record.kind === 'page' ? [record.pageId!] : grant.pageIds, scopes: grant.scopes }
  }

  return {
    prefix: '/meta',
    imitates: 'Facebook Login for Business and the Graph API (graph.facebook.com, www.facebook.com/dialog/oauth)',
    publishing: publishing.control,
    issuePageToken,
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://sandbox.local')
      const path = url.pathname.slice('/meta'.length) || '/'
      const origin = `http://${request.headers.host ?? 'localhost'}`
      const method = request.method ?? 'GET'
      let account: { id: string; type: 'instagram' | 'pages' } | null = null
      let graphCall = false
      try {
        if (path === '/__sandbox' && method === 'GET') {
          return sendJson(response, 200, { appId, config, counters, tokens: tokens.size, faults, pages, publishing: publishing.snapshot() })
        }
        if (path.startsWith('/__sandbox/') && method === 'GET') {
          const permalink = publishing.permalinkPage(path.slice('/__sandbox'.length))
          if (!permalink) return sendHtml(response, 404, page('No such post', '<p>The sandbox has no post at this address.</p>'))
          return sendHtml(response, 200, page(permalink.title, `<p>${escapeHtml(permalink.text)}</p>`))
        }
        if (path.startsWith('/__sandbox/') && method === 'POST') {
          const result = control(path.slice('/__sandbox'.length), await readJson(request))
          return sendJson(response, result.status, result.body)
        }
        const match = /^\/(v\d+\.\d+)(\/.*)$/.exec(path)
        if (!match) throw new GraphError(400, 2500, `Unknown path components: ${path}`)
        const [, version, rest] = match as unknown as [string, string, string]
        const graphBase = `${origin}/meta/${version}`
        if (rest === '/dialog/oauth' && method === 'GET') return sendHtml(response, ...loginDialog(url.searchParams, version))
        if (rest === '/dialog/oauth/decision' && method === 'POST') return decide(await readForm(request), response)
        graphCall = true
        const params = await graphParams(request, url)
        account = publishing.accountOf(rest)
        await applyFault(method, rest, account?.id ?? null)
        const answer = (body: unknown) => {
          setUsageHeaders(response, account, null)
          sendJson(response, 200, body)
        }
        const published = publishing.route(method, rest, params, () => caller(params), { origin, graphBase, query: url.searchParams })
        if (published !== undefined) return answer(published)
        if (method !== 'GET') throw new GraphError(400, 100, `Unsupported ${method.toLowerCase()} request.`, null, 'GraphMethodException')
        if (rest === '/oauth/access_token') return answer(accessTokenEndpoint(params))
        if (rest === '/me/accounts') return answer(accountsEndpoint(params, graphBase))
        if (rest === '/me/permissions') return answer(permissionsEndpoint(params))
        if (rest === '/me') {
          userToken(params)
          return answer(SANDBOX_USER)
        }
        throw new GraphError(400, 2500, `Unknown path components: ${rest}`)
      } catch (error) {
        if (!(error instanceof GraphError)) throw error
        if (graphCall) setUsageHeaders(response, account, error)
        return sendJson(response, error.status, {
          error: {
            message: error.message,
            type: error.type,
            code: error.code,
            ...(error.subcode !== null ? { error_subcode: error.subcode } : {}),
            ...(error.isTransient ? { is_transient: true } : {}),
            ...(error.userMessage ? { error_user_msg: error.userMessage } : {}),
            fbtrace_id: fbtraceId(),
          },
        })
      }
    },
  }

  /** The login dialog: which app asks, for what, and which Pages to share. */
  function loginDialog(params: URLSearchParams, version: string): [number, string] {
    const clientId = params.get('client_id')
    const redirectUri = params.get('redirect_uri')
    const problems: string[] = []
    if (clientId !== appId) problems.push(`Unknown app id "${clientId ?? ''}" (the sandbox app is "${appId}").`)
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) problems.push('redirect_uri must be an absolute http(s) URL.')
    if (params.get('response_type') !== 'code') problems.push('response_type must be "code".')
    if (!params.get('state')) problems.push('state is missing.')
    if (problems.length) return [400, page('Cannot open the login dialog', `<ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`)]
    const scopes = params.get('config_id') ? [`configuration ${params.get('config_id')}`] : (params.get('scope') ?? '').split(',').filter(Boolean)
    const hidden = ['client_id', 'redirect_uri', 'state', 'scope', 'config_id']
      .filter((name) => params.get(name) !== null)
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name)!)}">`)
      .join('')
    const pageRows = pages
      .map(
        (p) => `<label class="row"><input type="checkbox" name="page" value="${escapeHtml(p.id)}" checked>
          <span><strong>${escapeHtml(p.name)}</strong> · Facebook Page ${escapeHtml(p.id)}<br>
          <small>${p.instagram ? `Instagram business account @${escapeHtml(p.instagram.username)} (${escapeHtml(p.instagram.id)})` : 'No Instagram account linked'}</small></span></label>`,
      )
      .join('')
    const body = `
      <p>The app <strong>${escapeHtml(appId)}</strong> (Greenlight) asks <strong>${escapeHtml(SANDBOX_USER.name)}</strong> for:</p>
      <ul>${scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>
      <form method="post" action="/meta/${escapeHtml(version)}/dialog/oauth/decision">
        ${hidden}
        <fieldset><legend>Pages to share (with their Instagram accounts)</legend>${pageRows}</fieldset>
        <p>After your choice you go back to <code>${escapeHtml(redirectUri!)}</code>.</p>
        <button type="submit" name="decision" value="approve" data-testid="sandbox-approve">Approve</button>
        <button type="submit" name="decision" value="deny" class="secondary" data-testid="sandbox-deny">Deny</button>
      </form>`
    return [200, page('Connect Facebook Pages and Instagram accounts', body)]
  }

  function decide(form: URLSearchParams, response: http.ServerResponse) {
    const redirectUri = form.get('redirect_uri')
    if (form.get('client_id') !== appId || !redirectUri || !/^https?:\/\//.test(redirectUri)) {
      return sendHtml(response, 400, page('Cannot finish the login', '<p>The app id or redirect_uri is missing or wrong.</p>'))
    }
    const target = new URL(redirectUri)
    const state = form.get('state') ?? ''
    if (form.get('decision') !== 'approve') {
      target.searchParams.set('error', 'access_denied')
      target.searchParams.set('error_code', '200')
      target.searchParams.set('error_description', 'Permissions error')
      target.searchParams.set('error_reason', 'user_denied')
    } else {
      const grantId = sandboxSecret('grant-')
      const requested = form.get('scope')?.split(',').filter(Boolean) ?? []
      const chosen = form.getAll('page').filter((id) => pages.some((p) => p.id === id))
      grants.set(grantId, { scopes: requested.length ? requested : ['pages_show_list', 'pages_read_engagement', 'instagram_basic'], pageIds: chosen })
      const code = sandboxSecret('AQ')
      codes.set(code, { clientId: appId, redirectUri, grantId, expiresAt: now() + config.codeSeconds * 1000, used: false })
      target.searchParams.set('code', code)
    }
    target.searchParams.set('state', state)
    response.writeHead(302, { location: target.toString() })
    response.end()
  }
}

function page(title: string, body: string): string {
  return sandboxPage({ service: 'Meta', notice: 'Sandbox — not the real Meta. Nothing here reaches Facebook or Instagram.', accent: '#1877f2', title, body })
}

/** A body within the sandbox's limit; a larger one answers as Graph does, with an OAuthException. */
async function readBodyOrFail(request: http.IncomingMessage): Promise<string> {
  try {
    return await readBody(request)
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new GraphError(413, 100, 'Request body too large.')
    throw error
  }
}

async function readForm(request: http.IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBodyOrFail(request))
}

async function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  const value = parseJsonObject(await readBodyOrFail(request))
  if (value === null) throw new GraphError(400, 100, 'The control API takes a JSON object body.')
  return value
}

/**
 * A call's parameters as Graph reads them: the query string, then a form or JSON body on top; the access
 * token may also come as "Authorization: Bearer|OAuth <token>".
 */
async function graphParams(request: http.IncomingMessage, url: URL): Promise<URLSearchParams> {
  const params = new URLSearchParams(url.searchParams)
  if (request.method === 'POST' || request.method === 'DELETE') {
    const text = await readBodyOrFail(request)
    if ((request.headers['content-type'] ?? '').includes('json')) {
      const body = parseJsonObject(text)
      if (body === null) throw new GraphError(400, 100, '(#100) The request body is not a JSON object.')
      for (const [key, value] of Object.entries(body)) params.set(key, typeof value === 'string' ? value : JSON.stringify(value))
    } else {
      for (const [key, value] of new URLSearchParams(text)) params.set(key, value)
    }
  }
  const authorization = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(request.headers.authorization ?? '')
  if (authorization && !params.has('access_token')) params.set('access_token', authorization[1]!)
  return params
}

// A fault's path pattern: "*" stands for one path segment, e.g. "/*/media_publish".
function pathPattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+')
  return new RegExp(`^${escaped}$`)
}

/** The message Graph gives with each code the control API can inject. */
function faultMessage(code: number): string {
  if (code === 190) return 'Error validating access token (injected by the sandbox).'
  if (code === 4) return '(#4) Application request limit reached'
  if (code === 17) return '(#17) User request limit reached'
  if (code === 32) return '(#32) Page request limit reached'
  if (code === 341) return '(#341) Application limit reached: temporarily blocked for posting'
  if (code === 613) return '(#613) Calls to this api have exceeded the rate limit.'
  if (code === 368) return 'The action attempted has been deemed abusive or is otherwise disallowed'
  if (code >= 80000 && code <= 80014) return 'There have been too many calls from this business account. Wait a bit and try again.'
  return 'An unexpected error has occurred. Please retry your request later. (injected by the sandbox)'
}
