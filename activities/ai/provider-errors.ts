// How the OpenAI and Gemini SDKs' failures become ProviderErrors, the one error type the activities and the
// workflow understand: 429 -> rate_limited (with how long to wait), 401/403 -> auth, 400/404/422 ->
// bad_request, 408/409/5xx, timeouts and connection errors -> unavailable. An abort the caller asked for
// (activity cancellation) is rethrown untouched so cancellation stays cancellation. Messages never carry an
// API key: the SDKs echo masked keys and request URLs, so anything key-shaped is redacted.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import { ApiError as GeminiApiError } from '@google/genai'
import type { AiProvider } from '../../domain/ai-content'
import { ProviderError } from './types'

export interface ClassifyContext {
  /** The caller's signal: an abort while it is aborted is the caller's, any other abort is a timeout. */
  signal?: AbortSignal
  /** The key in use, removed from messages even where it does not look like a key. */
  apiKey?: string
}

// OpenAI keys (sk-..., also masked as sk-abc****wxyz), Google API keys (AIza...), ?key= query parameters.
const KEY_PATTERNS = [/\bsk-[A-Za-z0-9_*-]{4,}/g, /\bAIza[0-9A-Za-z_-]{10,}/g, /([?&]key=)[^&\s"]+/g]

/** The text without API keys. */
export function redactApiKeys(text: string, apiKey?: string): string {
  let out = text
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]')
  out = out.replace(KEY_PATTERNS[0]!, '[redacted]').replace(KEY_PATTERNS[1]!, '[redacted]')
  return out.replace(KEY_PATTERNS[2]!, '$1[redacted]')
}

interface HeaderSource {
  get(name: string): string | null
}

/**
 * How long a 429 asks to wait: `retry-after-ms` (OpenAI's), else `retry-after` as seconds or an HTTP date.
 * Undefined when the headers do not say.
 */
export function retryAfterFromHeaders(headers: HeaderSource | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined
  const milliseconds = Number.parseFloat(headers.get('retry-after-ms') ?? '')
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.round(milliseconds)
  const value = headers.get('retry-after')?.trim()
  if (!value) return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** "Please try again in 7s" / "in 1.5s" / "in 350ms" / "in 1m30s" in an OpenAI rate-limit message. */
export function retryAfterFromMessage(message: string): number | undefined {
  const match = /try again in ((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)/i.exec(message)
  if (!match) return undefined
  let total = 0
  for (const [, amount, unit] of match[1]!.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(amount) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h']
  }
  return Math.round(total)
}

/** A google.protobuf.Duration in JSON form ("7s", "0.500s", "1.2s"), in milliseconds. */
export function durationToMs(duration: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(duration.trim())
  return match ? Math.round(Number(match[1]) * 1000) : undefined
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')
}

/** The kind a bare HTTP status means, the same for both providers. */
function kindForStatus(status: number): ProviderError['kind'] {
  if (status === 429) return 'rate_limited'
  if (status === 401 || status === 403) return 'auth'
  if (status === 408 || status === 409 || status >= 500) return 'unavailable'
  return 'bad_request'
}

const LABELS: Record<AiProvider, string> = { openai: 'OpenAI', gemini: 'Gemini', offline: 'Offline generator' }

function providerError(provider: AiProvider, kind: ProviderError['kind'], message: string, context: ClassifyContext, details: ProviderError['details'] = {}): ProviderError {
  return new ProviderError(provider, kind, redactApiKeys(`${LABELS[provider]}: ${message}`, context.apiKey), details)
}

/** Errors neither SDK produced: aborts, network failures below the SDK, our own ProviderErrors. */
function classifyCommon(provider: AiProvider, error: unknown, context: ClassifyContext): ProviderError | null {
  if (error instanceof ProviderError) return error
  if (isAbortError(error)) {
    // The caller's abort stays an abort; an abort nobody asked for is the SDK's own timeout firing.
    if (context.signal?.aborted) throw error
    return providerError(provider, 'unavailable', 'the request timed out', context)
  }
  return null
}

/** An error thrown by the `openai` SDK (or around it) as a ProviderError; rethrows the caller's abort. */
export function classifyOpenAiError(error: unknown, context: ClassifyContext = {}): ProviderError {
  if (error instanceof APIUserAbortError) throw error
  if (error instanceof APIConnectionTimeoutError) return providerError('openai', 'unavailable', 'the request timed out', context)
  if (error instanceof APIConnectionError) return providerError('openai', 'unavailable', `could not reach the API (${error.message})`, context)
  const common = classifyCommon('openai', error, context)
  if (common) return common
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status
    const body = (error.error ?? {}) as { message?: unknown; code?: unknown }
    const detail = typeof body.message === 'string' ? body.message : error.message
    const code = typeof body.code === 'string' ? body.code : null
    // insufficient_quota is a 429 that waiting does not fix: the account needs billing, like a refused key.
    if (status === 429 && code === 'insufficient_quota') return providerError('openai', 'auth', `the account has no quota left (${detail})`, context, { status })
    const kind = kindForStatus(status)
    const retryAfterMs = kind === 'rate_limited' ? (retryAfterFromHeaders(error.headers) ?? retryAfterFromMessage(detail)) : undefined
    return providerError('openai', kind, `${status}${code ? ` ${code}` : ''}: ${detail}`, context, retryAfterMs === undefined ? { status } : { status, retryAfterMs })
  }
  return providerError('openai', 'unavailable', error instanceof Error ? error.message : String(error), context)
}

interface GoogleErrorBody {
  code?: number
  message?: string
  status?: string
  details?: { '@type'?: string; retryDelay?: string; reason?: string }[]
}

/** The `error` object of a Google API error body; @google/genai puts the whole body, as JSON, in `message`. */
function googleErrorBody(message: string): GoogleErrorBody | null {
  try {
    const parsed = JSON.parse(message) as { error?: GoogleErrorBody }
    return parsed && typeof parsed.error === 'object' ? parsed.error : null
  } catch {
    return null
  }
}

/** An error thrown by `@google/genai` (or around it) as a ProviderError; rethrows the caller's abort. */
export function classifyGeminiError(error: unknown, context: ClassifyContext = {}): ProviderError {
  const common = classifyCommon('gemini', error, context)
  if (common) return common
  if (error instanceof GeminiApiError) {
    const status = error.status
    const body = googleErrorBody(error.message)
    const detail = body?.message ?? error.message
    const statusName = body?.status ? ` ${body.status}` : ''
    // Google answers a wrong key with 400 INVALID_ARGUMENT; the ErrorInfo reason says it is the key.
    const keyRefused = body?.details?.some((item) => item.reason === 'API_KEY_INVALID' || item.reason === 'API_KEY_EXPIRED') ?? false
    const kind = keyRefused ? 'auth' : kindForStatus(status)
    let retryAfterMs: number | undefined
    if (kind === 'rate_limited') {
      const retryDelay = body?.details?.find((item) => item['@type'] === 'type.googleapis.com/google.rpc.RetryInfo')?.retryDelay
      retryAfterMs = retryDelay ? durationToMs(retryDelay) : undefined
    }
    return providerError('gemini', kind, `${status}${statusName}: ${detail}`, context, retryAfterMs === undefined ? { status } : { status, retryAfterMs })
  }
  // fetch's network failures (TypeError "fetch failed" with the socket error as cause).
  if (error instanceof TypeError && /fetch failed|network|socket|ECONN|ENOTFOUND|EAI_AGAIN/i.test(`${error.message} ${String(error.cause ?? '')}`)) {
    return providerError('gemini', 'unavailable', `could not reach the API (${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''})`, context)
  }
  return providerError('gemini', 'unavailable', error instanceof Error ? error.message : String(error), context)
}
