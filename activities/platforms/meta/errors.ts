// What a Graph API failure means for a post: classifyGraphError turns an answer (HTTP status, error body,
// headers) into the PlatformFailure of domain/publishing.ts, so the publish workflow knows whether to wait and
// retry, ask for a reconnection, defer until the quota returns, or fail with a reason a person can act on.
// parseGraphUsage reads Graph's usage headers, which callers use to slow down per account before a throttle.
import type { PlatformFailure } from '../../../domain/publishing'

/** Graph error codes worth retrying with backoff: unknown/temporary errors and the rate limits. */
export const GRAPH_RETRYABLE_CODES: ReadonlySet<number> = new Set([1, 2, 4, 17, 32, 341, 613])

/** Business-use-case throttles (80000..80014, subcode 2446079). */
export const isBusinessUseCaseThrottle = (code: number) => code >= 80000 && code <= 80014

/** Graph's usage headers, as percentages of the allowance (100 = throttled). */
export interface GraphUsage {
  /** X-App-Usage: the app's share of its hourly allowance, the highest of calls, CPU time and total time. */
  appPct: number | null
  /** X-Business-Use-Case-Usage, per Page or Instagram account id. */
  accounts: { id: string; type: string; pct: number; regainAccessMs: number }[]
  /** The highest share of any allowance; callers slow down as it nears 100. */
  maxPct: number
  /** The longest estimated_time_to_regain_access, in milliseconds; null when nothing is throttled. */
  regainAccessMs: number | null
}

type HeaderSource = Headers | Record<string, string | undefined> | null | undefined

function header(headers: HeaderSource, name: string): string | null {
  if (!headers) return null
  if (headers instanceof Headers) return headers.get(name)
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name)
  return key ? (headers[key] ?? null) : null
}

function parseJson(text: string | null): unknown {
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

const percent = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0)

export function parseGraphUsage(headers: HeaderSource): GraphUsage {
  const app = parseJson(header(headers, 'x-app-usage')) as Record<string, unknown> | null
  const appPct = app && typeof app === 'object' ? Math.max(percent(app.call_count), percent(app.total_cputime), percent(app.total_time)) : null
  const accounts: GraphUsage['accounts'] = []
  const business = parseJson(header(headers, 'x-business-use-case-usage'))
  if (business && typeof business === 'object') {
    for (const [id, entries] of Object.entries(business as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue
      for (const entry of entries as Record<string, unknown>[]) {
        accounts.push({
          id,
          type: typeof entry.type === 'string' ? entry.type : 'unknown',
          pct: Math.max(percent(entry.call_count), percent(entry.total_cputime), percent(entry.total_time)),
          // Graph gives minutes.
          regainAccessMs: percent(entry.estimated_time_to_regain_access) * 60_000,
        })
      }
    }
  }
  const regain = Math.max(0, ...accounts.map((a) => a.regainAccessMs))
  return { appPct, accounts, maxPct: Math.max(appPct ?? 0, ...accounts.map((a) => a.pct)), regainAccessMs: regain > 0 ? regain : null }
}

interface GraphErrorFields {
  message?: string
  type?: string
  code?: number
  error_subcode?: number
  is_transient?: boolean
  error_user_title?: string
  error_user_msg?: string
  fbtrace_id?: string
}

/** The `error` object of a Graph answer, if it has one. */
export function graphErrorFields(body: unknown): GraphErrorFields {
  const error = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined
  return error && typeof error === 'object' ? (error as GraphErrorFields) : {}
}

const DAY_MS = 24 * 60 * 60 * 1000

// Subcodes of Instagram's publishing errors. Retry: download timeout, server error, create failed, container
// not found (Graph's advice: 30 s to 2 min), upload error (with a new container), and not finished yet.
const RETRYABLE_SUBCODES = new Map<number, string>([
  [2207003, 'Instagram timed out downloading the media. Trying again.'],
  [2207001, 'Instagram had a server error. Trying again.'],
  [2207032, 'Instagram could not create the media. Trying again.'],
  [2207008, 'Instagram did not find the media container (yet). Check its status before trying again.'],
  [2207053, 'Instagram had an unknown upload error. The media will be uploaded again.'],
  [2207027, 'Instagram has not finished processing the media. Waiting before publishing.'],
])
// Fix the post: what to change, in words a person can act on.
const BAD_INPUT_SUBCODES = new Map<number, string>([
  [2207052, 'Instagram could not fetch the media from its URL: check the file is still available publicly.'],
  [2207004, 'The image is larger than 8 MB: use a smaller image.'],
  [2207005, 'Instagram does not accept this media format: use a JPEG image (or an MP4/MOV video for reels).'],
  [2207009, 'The image aspect ratio is not supported: use a ratio between 4:5 and 1.91:1.'],
  [2207010, 'The caption is too long or has too many tags: keep it within 2,200 characters, 30 hashtags and 20 @-mentions.'],
  [2207026, 'Instagram does not accept this video format: use MP4 or MOV (H.264 or HEVC, AAC audio).'],
  [2207028, 'A carousel needs between 2 and 10 items.'],
  [2207057, 'The reel thumbnail offset is outside the video: choose a cover time within it.'],
  [2207020, 'The uploaded media expired before it was published (after 24 hours): publish again to upload it anew.'],
  [2207050, 'The Instagram account is restricted: check its status in the Instagram app.'],
  [2207051, 'Instagram restricted this account from publishing as suspected spam: check its status in the Instagram app.'],
])
const BAD_INPUT_CODES = new Map<number, string>([
  [352, 'Instagram does not accept this video format: use MP4 or MOV.'],
  [506, 'The Page already has an identical post: change the text before posting again.'],
  [368, 'Meta blocked this post as against its policies: review the content and the account in Meta Business Suite.'],
  [9004, 'Meta could not fetch the media from its URL: check the file is still available publicly.'],
  [36000, 'The image is larger than 8 MB: use a smaller image.'],
  [36001, 'Instagram does not accept this media format: use a JPEG image.'],
  [36003, 'The image aspect ratio is not supported: use a ratio between 4:5 and 1.91:1.'],
  [36004, 'The caption is too long or has too many tags: keep it within 2,200 characters and 30 hashtags.'],
])
// A container that ended in ERROR is spent. For these subcodes Instagram's advice is to upload the media again,
// in a new container; the others call for a change to the post.
const NEW_CONTAINER_SUBCODES = new Map<number, string>([
  [2207053, 'Instagram had an unknown upload error: the media is uploaded again in a new container.'],
  [2207003, 'Instagram timed out downloading the media: it is uploaded again in a new container.'],
  [2207001, 'Instagram had a server error processing the media: it is uploaded again in a new container.'],
  [2207032, 'Instagram could not create the media: it is uploaded again in a new container.'],
  [2207020, 'The uploaded media expired before it was published: it is uploaded again in a new container.'],
])
const REAUTH_SUBCODES = new Map<number, string>([
  [458, 'The Greenlight app was removed from the account'],
  [459, 'The account needs to log in to Facebook to check a security issue'],
  [460, 'The account password changed'],
  [463, 'The access token expired'],
  [464, 'The Facebook account is not confirmed'],
  [467, 'The access token is no longer valid'],
  [492, 'The session is no longer valid for this Page'],
])

const describeCode = (code: number | undefined, subcode: number | undefined) => (code === undefined ? '' : subcode === undefined ? String(code) : `${code}/${subcode}`)

/**
 * Classifies a Graph API failure. `status` is the HTTP status, 0 when no answer came (timeout, connection
 * refused; `body` may then carry {"error":{"message": reason}}); `headers` are read for usage and the time
 * until access returns.
 */
export function classifyGraphError(status: number, body: unknown, headers: HeaderSource): PlatformFailure {
  const fields = graphErrorFields(body)
  const { code, error_subcode: subcode } = fields
  const usage = parseGraphUsage(headers)
  // Graph's own words for people, without the final full stop our sentences add.
  const graphText = (fields.error_user_msg ?? fields.message ?? '').trim().replace(/\.$/, '') || null
  const failure = (kind: PlatformFailure['kind'], message: string, retryAfterMs: number | null = null): PlatformFailure => ({
    kind,
    code: describeCode(code, subcode) || (status === 0 ? 'no_response' : `http_${status}`),
    message,
    retryAfterMs,
  })

  if (status === 0) return failure('retryable', `Meta did not answer${fields.message ? ` (${fields.message})` : ''}. Trying again after checking what was published.`)
  if (code === 190 || code === 102) {
    const why = (subcode !== undefined && REAUTH_SUBCODES.get(subcode)) || 'The account connection no longer works'
    return failure('reauth', `${why}: reconnect the account in Settings, then the post resumes.`)
  }
  if (subcode === 2207042 || code === 9) {
    // Instagram counts API posts over a rolling 24 hours; without a time from Graph, wait out the whole window.
    return failure('quota', 'The Instagram account reached its daily limit of posts published through the API. The post waits until the limit frees up.', usage.regainAccessMs ?? DAY_MS)
  }
  if (subcode !== undefined && RETRYABLE_SUBCODES.has(subcode)) return failure('retryable', RETRYABLE_SUBCODES.get(subcode)!, usage.regainAccessMs)
  if (subcode !== undefined && BAD_INPUT_SUBCODES.has(subcode)) return failure('bad_input', BAD_INPUT_SUBCODES.get(subcode)!)
  if (code !== undefined && (GRAPH_RETRYABLE_CODES.has(code) || isBusinessUseCaseThrottle(code))) {
    const throttled = code !== 1 && code !== 2
    return failure('retryable', throttled ? 'Meta is limiting how often Greenlight may call it. Trying again later.' : 'Meta had a temporary problem. Trying again.', usage.regainAccessMs)
  }
  if (fields.is_transient === true || status >= 500) return failure('retryable', 'Meta had a temporary problem. Trying again.', usage.regainAccessMs)
  if (code !== undefined && BAD_INPUT_CODES.has(code)) return failure('bad_input', BAD_INPUT_CODES.get(code)!)
  if (code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return failure('bad_input', 'Greenlight is missing a permission for this account: reconnect it and grant every permission asked (publishing included).')
  }
  if (code === 100) return failure('bad_input', `Meta refused the post: ${graphText ?? 'a parameter is invalid'}. Edit the post and try again.`)
  return failure('bad_input', `Meta refused the request${graphText ? `: ${graphText}` : ` (HTTP ${status})`}.`)
}

/**
 * What an Instagram container's ERROR status (`status_code` ERROR, the subcode in `status`) calls for: a new
 * container (retryable: the step makes one), or a change to the post (bad input, in plain words).
 */
export function classifyContainerError(subcode: number | null, status: string | null): PlatformFailure {
  const code = subcode === null ? 'ERROR' : String(subcode)
  const again = subcode === null ? undefined : NEW_CONTAINER_SUBCODES.get(subcode)
  if (again) return { kind: 'retryable', code, message: again, retryAfterMs: null }
  const fix = subcode === null ? undefined : BAD_INPUT_SUBCODES.get(subcode)
  return { kind: 'bad_input', code, message: fix ?? `Instagram could not process the media${status ? ` (${status})` : ''}: check the file's format and size, then schedule it again.`, retryAfterMs: null }
}

/** A failed Graph call, classified. */
export class MetaPublishingError extends Error {
  override name = 'MetaPublishingError'

  constructor(
    readonly failure: PlatformFailure,
    /** HTTP status; 0 when no answer came. */
    readonly status: number,
    readonly fbtraceId: string | null,
    readonly usage: GraphUsage,
    /**
     * The call may have taken effect even though it failed (no answer or a 5xx to a create or publish): check
     * the platform's state before making it again.
     */
    readonly ambiguous: boolean,
  ) {
    super(`${failure.message} (${failure.code}${fbtraceId ? `, fbtrace_id ${fbtraceId}` : ''})`)
  }
}

/** A Graph answer's JSON body; an empty or non-JSON body (a proxy's error page) reads as {}. */
export async function readGraphBody(response: Response): Promise<unknown> {
  const text = await response.text()
  try {
    return text === '' ? {} : (JSON.parse(text) as unknown)
  } catch {
    return {}
  }
}
