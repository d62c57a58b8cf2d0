// Facebook Login for Business against the Graph API: the login dialog, the code and long-lived token
// exchanges, and the Pages (with their Instagram business accounts) the person shared. Base URLs come from
// platform/config oauthSettings(), so the same code talks to graph.facebook.com or to the sandbox stand-in.
import { createHmac } from 'node:crypto'
import type { OAuthSettings } from '../../../platform/config'
import { GRAPH_RETRYABLE_CODES, isBusinessUseCaseThrottle, readGraphBody } from './errors'

export type MetaOAuthSettings = OAuthSettings['meta']

/** What Greenlight asks for: list and read Pages, publish to them, and publish to their Instagram accounts. */
export const META_LOGIN_SCOPES = [
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'instagram_basic',
  'instagram_content_publish',
  'business_management',
] as const

/**
 * Long-lived user tokens last about 60 days. Graph normally says so in expires_in; when it leaves it out,
 * assume that lifetime so the refresh is still scheduled (a week early, see domain/social-accounts.ts).
 */
const LONG_LIVED_FALLBACK_SECONDS = 60 * 24 * 60 * 60
const REQUEST_TIMEOUT_MS = 15_000

/** A Graph API error ({"error":{message,type,code,error_subcode,fbtrace_id,is_transient}}), or no answer at all. */
export class MetaGraphError extends Error {
  override name = 'MetaGraphError'

  constructor(
    message: string,
    /** HTTP status; 0 when Graph could not be reached. */
    readonly status: number,
    readonly code: number | null,
    readonly subcode: number | null,
    readonly type: string | null = null,
    readonly fbtraceId: string | null = null,
    readonly isTransient = false,
  ) {
    super(message)
  }

  /**
   * The token is no good any more (190: expired 463, password changed 460, app removed 458, invalid 467...;
   * 102: session invalid). Only a new login fixes it.
   */
  get needsReauth(): boolean {
    return this.code === 190 || this.code === 102
  }

  /** Trying again later may work: Graph said transient, a rate limit, a 5xx, or no answer. */
  get retryable(): boolean {
    if (this.needsReauth) return false
    return this.isTransient || this.status === 0 || this.status >= 500 || (this.code !== null && (GRAPH_RETRYABLE_CODES.has(this.code) || isBusinessUseCaseThrottle(this.code)))
  }

  /** For logs and status reasons: code, subcode and trace id, never a token. */
  describe(): string {
    const codes = [this.code !== null ? `code ${this.code}` : null, this.subcode !== null ? `subcode ${this.subcode}` : null, this.fbtraceId ? `fbtrace_id ${this.fbtraceId}` : null]
      .filter(Boolean)
      .join(', ')
    return codes ? `${this.message} (${codes})` : this.message
  }
}

export interface MetaToken {
  accessToken: string
  /** Seconds until expiry as Graph reported it; null when it did not say. */
  expiresIn: number | null
}

export interface MetaPage {
  id: string
  name: string
  /** The Page access token (from a long-lived user token it does not expire). */
  accessToken: string
  instagram: { id: string; username: string } | null
}

/** The result of a login (or of a refresh): the long-lived user token, what it was granted, and the Pages. */
export interface MetaLogin {
  userToken: { accessToken: string; expiresAt: Date }
  scopes: string[]
  pages: MetaPage[]
}

interface GraphErrorBody {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number; fbtrace_id?: string; is_transient?: boolean }
}

export function createMetaOAuthClient(settings: MetaOAuthSettings, fetchImpl: typeof fetch = fetch) {
  const graph = `${settings.graphBaseUrl.replace(/\/+$/, '')}/${settings.graphVersion}`

  // appsecret_proof proves the call comes from the app's server (Meta's "Require App Secret" setting).
  const appSecretProof = (accessToken: string) => createHmac('sha256', settings.appSecret).update(accessToken).digest('hex')

  async function graphGet<T>(url: string): Promise<T> {
    let response: Response
    try {
      response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    } catch (error) {
      // The URL carries secrets (client_secret, access_token): only the reason is kept.
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)
      throw new MetaGraphError(`Meta's Graph API could not be reached: ${reason}`, 0, null, null)
    }
    const body = await readGraphBody(response)
    const error = (body as GraphErrorBody).error
    if (!response.ok || error) {
      throw new MetaGraphError(
        error?.message ?? `Graph API answered HTTP ${response.status}`,
        response.status,
        error?.code ?? null,
        error?.error_subcode ?? null,
        error?.type ?? null,
        error?.fbtrace_id ?? null,
        error?.is_transient ?? false,
      )
    }
    return body as T
  }

  function tokenFrom(body: { access_token?: unknown; expires_in?: unknown }): MetaToken {
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new MetaGraphError('Graph API answered without an access_token', 200, null, null)
    }
    return { accessToken: body.access_token, expiresIn: typeof body.expires_in === 'number' ? body.expires_in : null }
  }

  const client = {
    /** The login dialog the browser is sent to. With a Login for Business configuration id it replaces the scope list. */
    authorizeUrl({ state, redirectUri }: { state: string; redirectUri: string }): string {
      const params = new URLSearchParams({ client_id: settings.appId, redirect_uri: redirectUri, state, response_type: 'code' })
      if (settings.configId) params.set('config_id', settings.configId)
      else params.set('scope', META_LOGIN_SCOPES.join(','))
      return `${settings.dialogBaseUrl.replace(/\/+$/, '')}/${settings.graphVersion}/dialog/oauth?${params}`
    },

    /** Code → short-lived user token. redirect_uri must be the one the dialog was opened with. */
    async exchangeCode({ code, redirectUri }: { code: string; redirectUri: string }): Promise<MetaToken> {
      const params = new URLSearchParams({ client_id: settings.appId, redirect_uri: redirectUri, client_secret: settings.appSecret, code })
      return tokenFrom(await graphGet(`${graph}/oauth/access_token?${params}`))
    },

    /** Short- or long-lived user token → a new long-lived one (about 60 days). */
    async exchangeForLongLivedToken(userToken: string): Promise<MetaToken> {
      const params = new URLSearchParams({
        grant_type: 'fb_exchange_token',
        client_id: settings.appId,
        client_secret: settings.appSecret,
        fb_exchange_token: userToken,
      })
      return tokenFrom(await graphGet(`${graph}/oauth/access_token?${params}`))
    },

    /** The permissions the person granted (declined ones are left out). */
    async grantedPermissions(userToken: string): Promise<string[]> {
      const params = new URLSearchParams({ access_token: userToken, appsecret_proof: appSecretProof(userToken) })
      const body = await graphGet<{ data?: { permission: string; status: string }[] }>(`${graph}/me/permissions?${params}`)
      return (body.data ?? []).filter((entry) => entry.status === 'granted').map((entry) => entry.permission)
    },

    /** The Pages shared with the app, with their Page tokens and linked Instagram business accounts (all pages of the cursor). */
    async listPages(userToken: string): Promise<MetaPage[]> {
      const params = new URLSearchParams({
        fields: 'id,name,access_token,instagram_business_account{id,username}',
        limit: '100',
        access_token: userToken,
        appsecret_proof: appSecretProof(userToken),
      })
      type PageRow = { id: string; name: string; access_token?: string; instagram_business_account?: { id: string; username?: string } }
      const pages: MetaPage[] = []
      let next: string | undefined = `${graph}/me/accounts?${params}`
      // Graph's paging.next is an absolute URL to follow verbatim; a bound keeps a looping cursor finite.
      for (let page = 0; next && page < 50; page++) {
        const body: { data?: PageRow[]; paging?: { next?: string } } = await graphGet(next)
        for (const row of body.data ?? []) {
          if (!row.access_token) continue // a Page the person cannot act on
          pages.push({
            id: row.id,
            name: row.name,
            accessToken: row.access_token,
            instagram: row.instagram_business_account
              ? { id: row.instagram_business_account.id, username: row.instagram_business_account.username ?? row.instagram_business_account.id }
              : null,
          })
        }
        next = body.paging?.next
      }
      return pages
    },

    /** A long-lived user token's permissions and Pages, with its expiry counted from `now`. */
    async describeLogin(longLived: MetaToken, now: Date): Promise<MetaLogin> {
      const [scopes, pages] = await Promise.all([client.grantedPermissions(longLived.accessToken), client.listPages(longLived.accessToken)])
      const expiresAt = new Date(now.getTime() + (longLived.expiresIn ?? LONG_LIVED_FALLBACK_SECONDS) * 1000)
      return { userToken: { accessToken: longLived.accessToken, expiresAt }, scopes, pages }
    },

    /** The callback's work: code → short-lived → long-lived token, then permissions and Pages. */
    async completeLogin({ code, redirectUri, now }: { code: string; redirectUri: string; now: Date }): Promise<MetaLogin> {
      const shortLived = await client.exchangeCode({ code, redirectUri })
      return client.describeLogin(await client.exchangeForLongLivedToken(shortLived.accessToken), now)
    },

    /** The refresh: re-exchange the long-lived user token and re-read the Page tokens. */
    async refreshLogin({ userToken, now }: { userToken: string; now: Date }): Promise<MetaLogin> {
      return client.describeLogin(await client.exchangeForLongLivedToken(userToken), now)
    },
  }
  return client
}

export type MetaOAuthClient = ReturnType<typeof createMetaOAuthClient>
