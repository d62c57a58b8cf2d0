// Stand-in for Facebook Login for Business and the Graph API calls of the connect flow: the login dialog
// (a page that says plainly it is the sandbox), the code and long-lived token exchanges, /me/permissions and
// /me/accounts with Page tokens and linked Instagram business accounts. It keeps Graph's error bodies and
// codes (190 with 458/460/463, 100/36007-36009, transient errors) so the real client is exercised.
// A control API under /meta/__sandbox lets tests and demos revoke or expire tokens and inject failures.
// All state lives in the instance: every createMetaStandIn() is a fresh Meta.
import { createHmac, randomBytes } from 'node:crypto'
import type http from 'node:http'
import { oauthSettings } from '../platform/config'
import { BodyTooLargeError, escapeHtml, parseJsonObject, readBody, sandboxPage, sandboxSecret, sendHtml, sendJson } from './http'
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
}

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly subcode: number | null = null,
    readonly type = 'OAuthException',
    readonly isTransient = false,
  ) {
    super(message)
  }
}

const fbtraceId = () => randomBytes(8).toString('base64url')

export function createMetaStandIn(options: MetaStandInOptions = {}): StandIn {
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
  let fault: Fault | null = null
  const counters = { codeExchanges: 0, longLivedExchanges: 0, accountReads: 0, failedTokenCalls: 0 }

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

  function takeFault() {
    if (!fault || fault.remaining <= 0) return
    fault.remaining -= 1
    counters.failedTokenCalls += 1
    const { status, code, subcode, message, isTransient } = fault
    if (fault.remaining === 0) fault = null
    throw new GraphError(status, code, message, subcode, 'OAuthException', isTransient)
  }

  function accessTokenEndpoint(params: URLSearchParams) {
    takeFault()
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
    if (path === '/faults') {
      const count = typeof body.count === 'number' && body.count > 0 ? Math.floor(body.count) : 1
      const status = typeof body.status === 'number' ? body.status : 400
      const code = typeof body.code === 'number' ? body.code : status >= 500 ? 2 : 1
      fault = {
        remaining: count,
        status,
        code,
        subcode: typeof body.subcode === 'number' ? body.subcode : null,
        isTransient: typeof body.isTransient === 'boolean' ? body.isTransient : status >= 500 || code === 2,
        message: typeof body.message === 'string' ? body.message : code === 190 ? 'Error validating access token (injected by the sandbox).' : 'An unexpected error has occurred. Please retry your request later. (injected by the sandbox)',
      }
      return { status: 200, body: { fault } }
    }
    if (path === '/config') {
      for (const key of ['shortLivedTokenSeconds', 'longLivedTokenSeconds', 'codeSeconds'] as const) {
        const value = body[key]
        if (typeof value === 'number' && value > 0) config[key] = Math.floor(value)
      }
      return { status: 200, body: { config } }
    }
    return { status: 404, body: { error: `no sandbox control ${path}` } }
  }

  return {
    prefix: '/meta',
    imitates: 'Facebook Login for Business and the Graph API (graph.facebook.com, www.facebook.com/dialog/oauth)',
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://sandbox.local')
      const path = url.pathname.slice('/meta'.length) || '/'
      const origin = `http://${request.headers.host ?? 'localhost'}`
      try {
        if (path === '/__sandbox' && request.method === 'GET') {
          return sendJson(response, 200, { appId, config, counters, tokens: tokens.size, fault, pages })
        }
        if (path.startsWith('/__sandbox/') && request.method === 'POST') {
          const result = control(path.slice('/__sandbox'.length), await readJson(request))
          return sendJson(response, result.status, result.body)
        }
        const match = /^\/(v\d+\.\d+)(\/.*)$/.exec(path)
        if (!match) throw new GraphError(400, 2500, `Unknown path components: ${path}`)
        const [, version, rest] = match as unknown as [string, string, string]
        const graphBase = `${origin}/meta/${version}`
        if (rest === '/dialog/oauth' && request.method === 'GET') return sendHtml(response, ...loginDialog(url.searchParams, version))
        if (rest === '/dialog/oauth/decision' && request.method === 'POST') return decide(await readForm(request), response)
        if (request.method !== 'GET') throw new GraphError(400, 100, `Unsupported ${request.method} request.`, null, 'GraphMethodException')
        if (rest === '/oauth/access_token') return sendJson(response, 200, accessTokenEndpoint(url.searchParams))
        if (rest === '/me/accounts') return sendJson(response, 200, accountsEndpoint(url.searchParams, graphBase))
        if (rest === '/me/permissions') return sendJson(response, 200, permissionsEndpoint(url.searchParams))
        if (rest === '/me') {
          userToken(url.searchParams)
          return sendJson(response, 200, SANDBOX_USER)
        }
        throw new GraphError(400, 2500, `Unknown path components: ${rest}`)
      } catch (error) {
        if (!(error instanceof GraphError)) throw error
        return sendJson(response, error.status, {
          error: {
            message: error.message,
            type: error.type,
            code: error.code,
            ...(error.subcode !== null ? { error_subcode: error.subcode } : {}),
            ...(error.isTransient ? { is_transient: true } : {}),
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
