// Stand-in for TikTok Login Kit v2: the authorize page (a page that says plainly it is the sandbox) with
// PKCE, the token endpoint (single-use codes bound to the client and redirect_uri; refresh tokens that
// rotate), and user info with TikTok's envelope and error codes, plus the Content Posting API (creator info,
// video and photo posts, chunked uploads, publish status, video metrics) from ./tiktok-publishing. A control
// API under /tiktok/__sandbox lets tests and demos revoke or mint tokens, inject failures per endpoint and set
// the posting caps. All state lives in the instance: every createTikTokStandIn() is a fresh TikTok.
import { createHash, randomBytes } from 'node:crypto'
import type http from 'node:http'
import { oauthSettings } from '../platform/config'
import { escapeHtml, parseJsonObject, readBody, sandboxPage, sandboxSecret, sendHtml, sendJson } from './http'
import type { StandIn } from './server'
import { createTikTokPublishing, type TikTokAuthentication, type TikTokPublishedPost, type TikTokPublishingOptions } from './tiktok-publishing'

export interface TikTokSandboxUser {
  openId: string
  displayName: string
  username: string
}

export interface TikTokStandInOptions {
  clientKey?: string
  clientSecret?: string
  /** Access-token lifetime (TikTok: 24 hours). */
  accessTokenSeconds?: number
  /** Refresh-token lifetime (TikTok: 365 days); rotation keeps the original expiry. */
  refreshTokenSeconds?: number
  /** How long an authorization code can be exchanged. */
  codeSeconds?: number
  users?: TikTokSandboxUser[]
  /** Milliseconds since the epoch; tests may move it. */
  now?: () => number
  publishing?: TikTokPublishingOptions
}

export interface TikTokStandIn extends StandIn {
  /** A token as a completed login would issue it, without the authorize page (for tests and demos). */
  issueAccessToken(openId: string, scopes: string[]): string
  /** Every post that reached PUBLISH_COMPLETE, once each, in order. */
  publishLog(): TikTokPublishedPost[]
}

/** Two sandbox people, so one creator can connect two TikTok accounts. */
export const TIKTOK_SANDBOX_USERS: TikTokSandboxUser[] = [
  { openId: '-000sandbox-creator-0001', displayName: 'Sandbox Creator', username: 'sandbox.creator' },
  { openId: '-000sandbox-creator-0002', displayName: 'Sandbox Kitchen', username: 'sandbox.kitchen' },
]

interface Grant {
  openId: string
  scopes: string[]
}

interface AccessTokenRecord {
  grantId: string
  expiresAt: number
  revoked: boolean
}

interface RefreshTokenRecord {
  grantId: string
  expiresAt: number
  /** Rotated away by a refresh, or revoked through the control API. */
  invalid: 'rotated' | 'revoked' | null
}

interface Fault {
  remaining: number
  status: number
  error: string
  description: string
}

class TokenEndpointError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description)
  }
}

const logId = () => `2026${randomBytes(10).toString('hex').toUpperCase()}`

export function createTikTokStandIn(options: TikTokStandInOptions = {}): TikTokStandIn {
  const defaults = oauthSettings().tiktok
  const clientKey = options.clientKey ?? defaults.clientKey
  const clientSecret = options.clientSecret ?? defaults.clientSecret
  const now = options.now ?? Date.now
  const config = {
    accessTokenSeconds: options.accessTokenSeconds ?? 24 * 60 * 60,
    refreshTokenSeconds: options.refreshTokenSeconds ?? 365 * 24 * 60 * 60,
    codeSeconds: options.codeSeconds ?? 300,
  }
  const users = options.users ?? TIKTOK_SANDBOX_USERS

  const grants = new Map<string, Grant>()
  const codes = new Map<string, { clientKey: string; redirectUri: string; grantId: string; codeChallenge: string | null; expiresAt: number; used: boolean }>()
  const accessTokens = new Map<string, AccessTokenRecord>()
  const refreshTokens = new Map<string, RefreshTokenRecord>()
  let fault: Fault | null = null
  const counters = { codeExchanges: 0, refreshes: 0, userInfoReads: 0, failedTokenCalls: 0 }

  function issueTokens(grantId: string, refreshExpiresAt: number) {
    const accessToken = sandboxSecret('act.')
    const refreshToken = sandboxSecret('rft.')
    accessTokens.set(accessToken, { grantId, expiresAt: now() + config.accessTokenSeconds * 1000, revoked: false })
    refreshTokens.set(refreshToken, { grantId, expiresAt: refreshExpiresAt, invalid: null })
    const grant = grants.get(grantId)!
    return {
      access_token: accessToken,
      expires_in: config.accessTokenSeconds,
      open_id: grant.openId,
      refresh_expires_in: Math.max(0, Math.round((refreshExpiresAt - now()) / 1000)),
      refresh_token: refreshToken,
      scope: grant.scopes.join(','),
      token_type: 'Bearer',
    }
  }

  function tokenEndpoint(form: URLSearchParams) {
    if (fault && fault.remaining > 0) {
      const { status, error, description } = fault
      fault.remaining -= 1
      if (fault.remaining === 0) fault = null
      counters.failedTokenCalls += 1
      throw new TokenEndpointError(status, error, description)
    }
    if (form.get('client_key') !== clientKey || form.get('client_secret') !== clientSecret) {
      throw new TokenEndpointError(401, 'invalid_client', 'Client key or secret is incorrect.')
    }
    const grantType = form.get('grant_type')
    if (grantType === 'authorization_code') {
      const code = form.get('code')
      const entry = code ? codes.get(code) : undefined
      if (!code || !entry) throw new TokenEndpointError(400, 'invalid_grant', 'Authorization code is invalid.')
      if (entry.used || entry.expiresAt <= now()) throw new TokenEndpointError(400, 'invalid_grant', 'Authorization code is expired or has been used.')
      if (entry.clientKey !== form.get('client_key') || entry.redirectUri !== form.get('redirect_uri')) {
        throw new TokenEndpointError(400, 'invalid_grant', 'redirect_uri does not match the one used to get the code.')
      }
      if (entry.codeChallenge !== null) {
        const verifier = form.get('code_verifier')
        if (!verifier || createHash('sha256').update(verifier).digest('base64url') !== entry.codeChallenge) {
          throw new TokenEndpointError(400, 'invalid_grant', 'code_verifier does not match the code_challenge.')
        }
      }
      entry.used = true
      counters.codeExchanges += 1
      return issueTokens(entry.grantId, now() + config.refreshTokenSeconds * 1000)
    }
    if (grantType === 'refresh_token') {
      const value = form.get('refresh_token')
      const record = value ? refreshTokens.get(value) : undefined
      if (!value || !record) throw new TokenEndpointError(400, 'invalid_grant', 'Refresh token is invalid.')
      if (record.invalid === 'revoked') throw new TokenEndpointError(400, 'invalid_grant', 'Refresh token has been revoked.')
      if (record.invalid === 'rotated') throw new TokenEndpointError(400, 'invalid_grant', 'Refresh token is invalid or has already been used.')
      if (record.expiresAt <= now()) throw new TokenEndpointError(400, 'invalid_grant', 'Refresh token is expired.')
      // Rotation: the answer carries a new refresh token and this one stops working.
      record.invalid = 'rotated'
      counters.refreshes += 1
      return issueTokens(record.grantId, record.expiresAt)
    }
    throw new TokenEndpointError(400, 'invalid_request', `grant_type "${grantType ?? ''}" is not supported.`)
  }

  /** The bearer token's creator and scopes, or the 401 TikTok answers a missing, revoked or expired token with. */
  function authenticate(request: http.IncomingMessage): TikTokAuthentication {
    const header = request.headers.authorization ?? ''
    const value = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : ''
    const record = accessTokens.get(value)
    if (!record || record.revoked) return { ok: false, status: 401, code: 'access_token_invalid', message: 'The access token is invalid or not found in the request.' }
    if (record.expiresAt <= now()) return { ok: false, status: 401, code: 'access_token_invalid', message: 'The access token has expired.' }
    const grant = grants.get(record.grantId)!
    return { ok: true, caller: { token: value, openId: grant.openId, scopes: grant.scopes } }
  }

  const publishing = createTikTokPublishing({
    now,
    logId,
    authenticate,
    describeCreator: (openId) => {
      const person = users.find((u) => u.openId === openId)
      return { username: person?.username ?? openId, nickname: person?.displayName ?? openId }
    },
    options: options.publishing ?? {},
  })

  function issueAccessToken(openId: string, scopes: string[]): string {
    const grantId = sandboxSecret('grant-')
    grants.set(grantId, { openId, scopes })
    const accessToken = sandboxSecret('act.')
    accessTokens.set(accessToken, { grantId, expiresAt: now() + config.accessTokenSeconds * 1000, revoked: false })
    return accessToken
  }

  function userInfo(request: http.IncomingMessage, params: URLSearchParams): [number, unknown] {
    const envelopeError = (status: number, code: string, message: string): [number, unknown] => [status, { data: {}, error: { code, message, log_id: logId() } }]
    const auth = authenticate(request)
    if (!auth.ok) return envelopeError(auth.status, auth.code, auth.message)
    const grant = auth.caller
    if (!grant.scopes.includes('user.info.basic')) return envelopeError(401, 'scope_not_authorized', 'The user did not authorize the scope required for completing this request.')
    const person = users.find((u) => u.openId === grant.openId)!
    const fields = (params.get('fields') ?? '').split(',').map((f) => f.trim())
    const all: Record<string, string> = { open_id: person.openId, union_id: `union${person.openId}`, display_name: person.displayName, username: person.username, avatar_url: '' }
    counters.userInfoReads += 1
    return [200, { data: { user: Object.fromEntries(fields.filter((f) => f in all).map((f) => [f, all[f]])) }, error: { code: 'ok', message: '', log_id: logId() } }]
  }

  function control(path: string, body: Record<string, unknown>) {
    if (path === '/refresh-tokens/revoke' || path === '/access-tokens/revoke') {
      const refresh = path === '/refresh-tokens/revoke'
      const field = refresh ? 'refresh_token' : 'access_token'
      const store: Map<string, { revoked?: boolean; invalid?: RefreshTokenRecord['invalid'] }> = refresh ? refreshTokens : accessTokens
      const targets = body.all === true ? [...store.keys()] : typeof body[field] === 'string' ? [body[field] as string] : []
      if (targets.length === 0) return { status: 400, body: { error: `send {"${field}": "..."} or {"all": true}` } }
      let changed = 0
      for (const value of targets) {
        const record = store.get(value)
        if (!record) continue
        if (refresh) (record as RefreshTokenRecord).invalid = 'revoked'
        else (record as AccessTokenRecord).revoked = true
        changed += 1
      }
      return { status: 200, body: { changed } }
    }
    if (path === '/faults' && body.endpoint !== undefined && body.endpoint !== 'token') return publishing.injectFault(body)
    if (path === '/publishing') return publishing.configure(body)
    if (path === '/access-tokens/issue') {
      const openId = typeof body.open_id === 'string' ? body.open_id : users[0]!.openId
      const scopes = Array.isArray(body.scopes) && body.scopes.every((scope) => typeof scope === 'string') ? (body.scopes as string[]) : ['user.info.basic', 'video.publish', 'video.upload', 'video.list']
      return { status: 200, body: { access_token: issueAccessToken(openId, scopes), open_id: openId, scope: scopes.join(',') } }
    }
    if (path === '/faults') {
      const status = typeof body.status === 'number' ? body.status : 500
      const error = typeof body.error === 'string' ? body.error : status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'internal_error' : 'invalid_grant'
      fault = {
        remaining: typeof body.count === 'number' && body.count > 0 ? Math.floor(body.count) : 1,
        status,
        error,
        description: typeof body.description === 'string' ? body.description : `Injected by the sandbox: ${error}.`,
      }
      return { status: 200, body: { fault } }
    }
    if (path === '/config') {
      for (const key of ['accessTokenSeconds', 'refreshTokenSeconds', 'codeSeconds'] as const) {
        const value = body[key]
        if (typeof value === 'number' && value > 0) config[key] = Math.floor(value)
      }
      return { status: 200, body: { config } }
    }
    return { status: 404, body: { error: `no sandbox control ${path}` } }
  }

  /** The authorize page: which app asks, for which scopes, and which sandbox person logs in. */
  function authorizePage(params: URLSearchParams): [number, string] {
    const redirectUri = params.get('redirect_uri')
    const problems: string[] = []
    if (params.get('client_key') !== clientKey) problems.push(`Unknown client_key "${params.get('client_key') ?? ''}" (the sandbox client is "${clientKey}").`)
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) problems.push('redirect_uri must be an absolute http(s) URL.')
    if (params.get('response_type') !== 'code') problems.push('response_type must be "code".')
    if (!params.get('state')) problems.push('state is missing.')
    if (params.get('code_challenge') && params.get('code_challenge_method') !== 'S256') problems.push('code_challenge_method must be S256.')
    if (problems.length) return [400, page('Cannot open the authorize page', `<ul>${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`)]
    const scopes = (params.get('scope') ?? '').split(',').filter(Boolean)
    const hidden = ['client_key', 'redirect_uri', 'state', 'scope', 'code_challenge']
      .filter((name) => params.get(name) !== null)
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name)!)}">`)
      .join('')
    const people = users
      .map(
        (u, i) => `<label class="row"><input type="radio" name="open_id" value="${escapeHtml(u.openId)}"${i === 0 ? ' checked' : ''}>
          <span><strong>${escapeHtml(u.displayName)}</strong> @${escapeHtml(u.username)}</span></label>`,
      )
      .join('')
    const body = `
      <p><strong>${escapeHtml(clientKey)}</strong> (Greenlight) would like to:</p>
      <ul>${scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>
      <form method="post" action="/tiktok/v2/auth/authorize/decision">
        ${hidden}
        <fieldset><legend>Log in as</legend>${people}</fieldset>
        <p>After your choice you go back to <code>${escapeHtml(redirectUri!)}</code>.</p>
        <button type="submit" name="decision" value="approve" data-testid="sandbox-approve">Approve</button>
        <button type="submit" name="decision" value="deny" class="secondary" data-testid="sandbox-deny">Deny</button>
      </form>`
    return [200, page('Authorize Greenlight', body)]
  }

  function decide(form: URLSearchParams, response: http.ServerResponse) {
    const redirectUri = form.get('redirect_uri')
    if (form.get('client_key') !== clientKey || !redirectUri || !/^https?:\/\//.test(redirectUri)) {
      return sendHtml(response, 400, page('Cannot finish the login', '<p>The client_key or redirect_uri is missing or wrong.</p>'))
    }
    const target = new URL(redirectUri)
    const person = users.find((u) => u.openId === form.get('open_id')) ?? users[0]!
    if (form.get('decision') !== 'approve') {
      target.searchParams.set('error', 'access_denied')
      target.searchParams.set('error_description', 'The user denied the authorization request.')
    } else {
      const grantId = sandboxSecret('grant-')
      const scopes = (form.get('scope') ?? '').split(',').filter(Boolean)
      grants.set(grantId, { openId: person.openId, scopes: scopes.length ? scopes : ['user.info.basic'] })
      const code = sandboxSecret('code.')
      codes.set(code, { clientKey, redirectUri, grantId, codeChallenge: form.get('code_challenge'), expiresAt: now() + config.codeSeconds * 1000, used: false })
      target.searchParams.set('code', code)
      target.searchParams.set('scopes', scopes.join(','))
    }
    target.searchParams.set('state', form.get('state') ?? '')
    response.writeHead(302, { location: target.toString() })
    response.end()
  }

  return {
    prefix: '/tiktok',
    imitates: 'TikTok Login Kit v2 (www.tiktok.com/v2/auth/authorize, open.tiktokapis.com/v2/oauth/token, /v2/user/info) and Content Posting API (/v2/post/publish/*, /v2/video/query)',
    issueAccessToken,
    publishLog: () => publishing.publishLog(),
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://sandbox.local')
      const path = url.pathname.slice('/tiktok'.length) || '/'
      if (path === '/__sandbox' && request.method === 'GET') {
        return sendJson(response, 200, { clientKey, config, counters, accessTokens: accessTokens.size, refreshTokens: refreshTokens.size, fault, users, publishing: publishing.snapshot() })
      }
      if (path.startsWith('/__sandbox/@') && request.method === 'GET') {
        const shared = publishing.sharePage(path.slice('/__sandbox'.length))
        if (!shared) return sendHtml(response, 404, page('No such video', '<p>The sandbox has no video at this address.</p>'))
        return sendHtml(response, 200, page(shared.title, `<p>${escapeHtml(shared.text)}</p>`))
      }
      if (path.startsWith('/__sandbox/') && request.method === 'POST') {
        const parsed = await readJson(request)
        if (!parsed) return sendJson(response, 400, { error: 'the control API takes a JSON body' })
        const result = control(path.slice('/__sandbox'.length), parsed)
        return sendJson(response, result.status, result.body)
      }
      if (path === '/v2/auth/authorize/' && request.method === 'GET') return sendHtml(response, ...authorizePage(url.searchParams))
      if (path === '/v2/auth/authorize/decision' && request.method === 'POST') return decide(new URLSearchParams(await readBody(request)), response)
      if (path === '/v2/oauth/token/' && request.method === 'POST') {
        try {
          return sendJson(response, 200, tokenEndpoint(new URLSearchParams(await readBody(request))))
        } catch (error) {
          if (!(error instanceof TokenEndpointError)) throw error
          return sendJson(response, error.status, { error: error.error, error_description: error.message, log_id: logId() })
        }
      }
      if (path === '/v2/user/info/' && request.method === 'GET') return sendJson(response, ...userInfo(request, url.searchParams))
      if (await publishing.handle(request, response, path, url.searchParams)) return
      return sendJson(response, 404, { data: {}, error: { code: 'invalid_params', message: `No sandbox TikTok endpoint ${request.method} ${path}`, log_id: logId() } })
    },
  }
}

function page(title: string, body: string): string {
  return sandboxPage({ service: 'TikTok', notice: 'Sandbox — not the real TikTok. Nothing here reaches TikTok.', accent: '#fe2c55', title, body })
}

async function readJson(request: http.IncomingMessage): Promise<Record<string, unknown> | null> {
  return parseJsonObject(await readBody(request))
}
