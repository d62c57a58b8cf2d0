// TikTok Login Kit v2: the authorize page (with PKCE), the token endpoint (code exchange and refresh, whose
// refresh tokens rotate) and user info. Base URLs come from platform/config oauthSettings(), so the same code
// talks to open.tiktokapis.com or to the sandbox stand-in.
import { createHash, randomBytes } from 'node:crypto'
import type { OAuthSettings } from '../../../platform/config'

export type TikTokOAuthSettings = OAuthSettings['tiktok']

/** Read the profile, post directly, upload drafts, and read video metrics. */
export const TIKTOK_LOGIN_SCOPES = ['user.info.basic', 'video.publish', 'video.upload', 'video.list'] as const

const REQUEST_TIMEOUT_MS = 15_000

// Token-endpoint and API error codes that a later attempt may get past.
const RETRYABLE_ERRORS = new Set(['server_error', 'temporarily_unavailable', 'internal_error', 'rate_limit_exceeded'])
// The grant or token is dead: only a new login fixes it.
const REAUTH_ERRORS = new Set(['invalid_grant', 'access_token_invalid', 'scope_not_authorized', 'access_denied'])

/** A TikTok error: the token endpoint's {"error","error_description","log_id"} or the API envelope's error.code. */
export class TikTokApiError extends Error {
  override name = 'TikTokApiError'

  constructor(
    message: string,
    /** HTTP status; 0 when TikTok could not be reached. */
    readonly status: number,
    readonly code: string,
    readonly logId: string | null = null,
  ) {
    super(message)
  }

  get needsReauth(): boolean {
    return REAUTH_ERRORS.has(this.code)
  }

  get retryable(): boolean {
    if (this.needsReauth) return false
    return this.status === 0 || this.status === 429 || this.status >= 500 || RETRYABLE_ERRORS.has(this.code)
  }

  /** For logs and status reasons: the code and log id, never a token. */
  describe(): string {
    return `${this.message} (${this.code}${this.logId ? `, log_id ${this.logId}` : ''})`
  }
}

export interface TikTokTokens {
  openId: string
  scopes: string[]
  accessToken: string
  accessTokenExpiresAt: Date
  refreshToken: string
  refreshTokenExpiresAt: Date
}

export interface TikTokUser {
  openId: string
  displayName: string
  username: string | null
}

/** A PKCE pair (RFC 7636, S256): the verifier stays with Greenlight, the challenge goes to the authorize page. */
export function createPkcePair(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(48).toString('base64url')
  return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier) }
}

export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url')
}

interface TokenResponse {
  open_id?: string
  scope?: string
  access_token?: string
  expires_in?: number
  refresh_token?: string
  refresh_expires_in?: number
  error?: string
  error_description?: string
  log_id?: string
}

export function createTikTokOAuthClient(settings: TikTokOAuthSettings, fetchImpl: typeof fetch = fetch) {
  const api = settings.apiBaseUrl.replace(/\/+$/, '')

  async function send(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
    let response: Response
    try {
      response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)
      throw new TikTokApiError(`TikTok could not be reached: ${reason}`, 0, 'unreachable')
    }
    const text = await response.text()
    try {
      const body = text === '' ? {} : JSON.parse(text)
      return { status: response.status, body: typeof body === 'object' && body !== null ? body : {} }
    } catch {
      return { status: response.status, body: {} }
    }
  }

  async function tokenRequest(form: Record<string, string>, now: Date): Promise<TikTokTokens> {
    const { status, body } = await send(`${api}/v2/oauth/token/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-cache' },
      body: new URLSearchParams({ client_key: settings.clientKey, client_secret: settings.clientSecret, ...form }),
    })
    const tokens = body as TokenResponse
    if (typeof tokens.error === 'string' || status >= 400) {
      throw new TikTokApiError(tokens.error_description || `TikTok's token endpoint answered HTTP ${status}`, status, tokens.error ?? `http_${status}`, tokens.log_id ?? null)
    }
    if (!tokens.access_token || !tokens.refresh_token || !tokens.open_id || typeof tokens.expires_in !== 'number') {
      throw new TikTokApiError('TikTok answered without the expected tokens', status, 'malformed_response', tokens.log_id ?? null)
    }
    return {
      openId: tokens.open_id,
      scopes: (tokens.scope ?? '').split(',').map((scope) => scope.trim()).filter(Boolean),
      accessToken: tokens.access_token,
      // Lifetimes differ between TikTok's pages: trust what the answer says.
      accessTokenExpiresAt: new Date(now.getTime() + tokens.expires_in * 1000),
      refreshToken: tokens.refresh_token,
      refreshTokenExpiresAt: new Date(now.getTime() + (tokens.refresh_expires_in ?? 0) * 1000),
    }
  }

  return {
    authorizeUrl({ state, redirectUri, codeChallenge }: { state: string; redirectUri: string; codeChallenge: string }): string {
      const params = new URLSearchParams({
        client_key: settings.clientKey,
        scope: TIKTOK_LOGIN_SCOPES.join(','),
        response_type: 'code',
        redirect_uri: redirectUri,
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      })
      return `${settings.authBaseUrl.replace(/\/+$/, '')}/v2/auth/authorize/?${params}`
    },

    exchangeCode({ code, redirectUri, codeVerifier, now }: { code: string; redirectUri: string; codeVerifier: string; now: Date }): Promise<TikTokTokens> {
      return tokenRequest({ code, grant_type: 'authorization_code', redirect_uri: redirectUri, code_verifier: codeVerifier }, now)
    },

    /** A new access token; the answer's refresh token replaces the old one (they rotate). */
    refreshTokens({ refreshToken, now }: { refreshToken: string; now: Date }): Promise<TikTokTokens> {
      return tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, now)
    },

    async userInfo(accessToken: string): Promise<TikTokUser> {
      const { status, body } = await send(`${api}/v2/user/info/?fields=open_id,display_name,username`, {
        method: 'GET',
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      })
      const envelope = body as { data?: { user?: { open_id?: string; display_name?: string; username?: string } }; error?: { code?: string; message?: string; log_id?: string } }
      const code = envelope.error?.code ?? (status >= 400 ? `http_${status}` : 'ok')
      if (code !== 'ok' || status >= 400) {
        throw new TikTokApiError(envelope.error?.message || `TikTok's user info answered HTTP ${status}`, status, code, envelope.error?.log_id ?? null)
      }
      const user = envelope.data?.user
      if (!user?.open_id) throw new TikTokApiError('TikTok answered without a user', status, 'malformed_response', envelope.error?.log_id ?? null)
      return { openId: user.open_id, displayName: user.display_name ?? user.open_id, username: user.username ?? null }
    },
  }
}

export type TikTokOAuthClient = ReturnType<typeof createTikTokOAuthClient>
