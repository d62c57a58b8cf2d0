// The web server's one way to Greenlight data: loaders and actions call the HTTP API through here, on
// behalf of the browser whose session cookie they forward. The web app never talks to Prisma or Temporal.
import type { Static } from '@fastify/type-provider-typebox'
import { data } from 'react-router'
import type { User as UserSchema } from '../../../api/schemas/auth.ts'
import type {
  Campaign,
  CampaignDetail as CampaignDetailShape,
  CampaignEvent as CampaignEventSchema,
  ReadinessItem as ReadinessItemSchema,
  Template as TemplateSchema,
  WorkflowState,
} from '../../../api/schemas/campaign.ts'
import type { ErrorBody } from '../../../api/schemas/common.ts'
import { settings } from '../../../platform/config.ts'
import { redactUrl } from '../../../platform/redact.ts'

// The API's own response schemas are the source of these types (type-only imports: nothing of the API is
// bundled), so a change to the contract shows up here as a type error.
export type { Campaign, CreateCampaignBody, Deliverable, Readiness, SaveDeliverablesBody, UpdateCampaignBody, WorkflowState } from '../../../api/schemas/campaign.ts'
/** GET/PATCH /api/campaigns/:id and friends; the schema names campaign and workflow by $ref, typed here. */
export type CampaignDetail = Omit<CampaignDetailShape, 'campaign' | 'workflow'> & { campaign: Campaign; workflow: WorkflowState | null }
/** A launched campaign's workflow stage (Campaign['stage'] is null until launch). */
export type CampaignStage = NonNullable<Campaign['stage']>
export type BriefReference = Campaign['references'][number]
export type ReadinessItem = Static<typeof ReadinessItemSchema>
/** GET /api/campaign-templates */
export type CampaignTemplate = Static<typeof TemplateSchema>
export type User = Static<typeof UserSchema>
export type CampaignEvent = Static<typeof CampaignEventSchema>

/** GET /api/meta */
export type { PlatformMeta } from '../../../api/schemas/meta.ts'

export type ApiErrorDetail = NonNullable<ErrorBody['error']['details']>[number]

/** What an ErrorBoundary receives as `error.data` when a loader could not get its data from the API. */
export interface RouteErrorBody {
  code: string
  message: string
  requestId?: string
}

/** A non-2xx answer of the API, with its stable error code and per-field details. */
export class ApiError extends Error {
  override name = 'ApiError'

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
    readonly requestId?: string,
  ) {
    super(message)
  }
}

export interface ApiCall {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  body?: unknown
  /**
   * The CSRF token the browser's form carried (its `_csrf` field, see components/csrf-field.tsx). The API
   * refuses cookie-authenticated changes without it; the web server never adds it on its own, or a forged
   * cross-site form would get it too.
   */
  csrf?: FormDataEntryValue | null
  /** A multipart body built here (a logo upload), sent as is; fetch sets its content type. */
  formData?: FormData
  /**
   * A body that is not JSON: a CSV import, or an upload passed on as it arrives from the browser (`streamed`:
   * sent half duplex and ended with the browser's own request rather than the usual timeout).
   */
  raw?: { body: BodyInit; contentType: string; streamed?: boolean }
}


export interface ApiResponse<T> {
  data: T
  headers: Headers
}

// Long enough for a slow Temporal query behind the API, short enough that a hung API shows an error page.
const API_TIMEOUT_MS = 10_000

/**
 * Calls the Greenlight API with the browser's cookies. Resolves with the parsed JSON body (undefined for
 * 204), throws an ApiError for error answers and a 503 route error when the API cannot be reached at all.
 */
export async function callApi<T>(request: Request, path: string, { method = 'GET', body, csrf, formData, raw }: ApiCall = {}): Promise<ApiResponse<T>> {
  const headers = new Headers({ accept: 'application/json' })
  // Only with a body: Fastify rejects an empty body declared as JSON.
  if (raw) headers.set('content-type', raw.contentType)
  else if (body !== undefined) headers.set('content-type', 'application/json')
  if (typeof csrf === 'string' && csrf !== '') headers.set('x-csrf-token', csrf)
  const response = await fetchFromApi(request, path, {
    method,
    headers,
    body: raw?.body ?? formData ?? (body === undefined ? undefined : JSON.stringify(body)),
    ...(raw?.streamed ? { duplex: 'half' as const, signal: request.signal } : {}),
  })
  const payload: unknown = await readJson(response)
  if (!response.ok) throw apiErrorFrom(response.status, payload)
  return { data: payload as T, headers: response.headers }
}

/**
 * The API's raw answer to a request made for the browser: its cookie and address are passed on, the rest of
 * the headers are the caller's. For answers that are not JSON (images); callApi is built on it. Throws a 503
 * route error when the API cannot be reached at all.
 */
export async function fetchFromApi(
  request: Request,
  path: string,
  init: {
    method?: string
    headers?: Headers
    body?: BodyInit | null | undefined
    /** Required by fetch for a ReadableStream body (an upload passed on as it arrives); set for one anyway. */
    duplex?: 'half'
    /**
     * Ends the call instead of the usual timeout: for calls that last as long as the browser's own request
     * (an upload at the browser's pace, an event stream), pass request.signal.
     */
    signal?: AbortSignal
  } = {},
): Promise<Response> {
  const baseUrl = settings().apiUrl.replace(/\/+$/, '')
  const method = init.method ?? 'GET'
  const headers = new Headers(init.headers)
  for (const name of ['cookie', 'x-forwarded-for']) {
    const value = request.headers.get(name)
    if (value) headers.set(name, value)
  }
  const streamed = init.duplex === 'half' || init.body instanceof ReadableStream
  try {
    // RequestInit's DOM typing has no `duplex` yet; Node's fetch requires it for stream bodies.
    const requestInit = { method, headers, body: init.body, signal: init.signal ?? AbortSignal.timeout(API_TIMEOUT_MS), ...(streamed ? { duplex: 'half' } : {}) }
    return await fetch(`${baseUrl}${path}`, requestInit as RequestInit)
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    // The page only names the address; the log keeps the reason (refused, DNS, timeout).
    console.error(`[web] ${method} ${baseUrl}${redactUrl(path)} failed: ${describeFailure(error)}`)
    const message = timedOut
      ? `The Greenlight API at ${baseUrl} did not answer within ${API_TIMEOUT_MS / 1000} s.`
      : `The Greenlight API is not reachable at ${baseUrl}.`
    throw data<RouteErrorBody>({ code: 'API_UNREACHABLE', message }, { status: 503 })
  }
}

function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function apiErrorFrom(status: number, payload: unknown): ApiError {
  // Anything between the two (a proxy's HTML page, say) may answer instead of the API itself.
  const body = payload as Partial<ErrorBody> | undefined
  const error = body?.error
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
    return new ApiError(status, 'UNEXPECTED_RESPONSE', `The Greenlight API answered ${status} without an error description.`)
  }
  return new ApiError(status, error.code, error.message, error.details ?? [], body?.requestId)
}

/**
 * A loader's error handler for an address that names a row: the API answers 400 to a malformed id, which to
 * someone following a link simply is not there (404); anything else as rethrowAsRouteError.
 */
export function notThereAs(what: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
      throw data<RouteErrorBody>({ code: 'NOT_FOUND', message: `There is no ${what} at this address.` }, { status: 404 })
    }
    return rethrowAsRouteError(error)
  }
}

/**
 * Rethrows an ApiError as a route error response with the API's status and message. Thrown Error objects
 * reach the ErrorBoundary masked as "Unexpected Server Error" in production; route error responses do not.
 */
export function rethrowAsRouteError(error: unknown): never {
  if (error instanceof ApiError) {
    throw data<RouteErrorBody>(
      { code: error.code, message: error.message, requestId: error.requestId },
      { status: error.status },
    )
  }
  throw error
}

/**
 * A 400's details as form messages: each detail next to its field ("/name" → name), the rest and the API's
 * sentence as the form's message, so nothing the API said is lost.
 */
export function formErrorsFrom<Field extends string>(error: ApiError, fields: readonly Field[]): Partial<Record<Field | 'form', string>> {
  const errors: Partial<Record<Field | 'form', string>> = {}
  const unplaced: string[] = []
  for (const { path, message } of error.details) {
    const field = fields.find((name) => path === `/${name}` || path.startsWith(`/${name}/`))
    if (field) errors[field] ??= message
    else unplaced.push(message)
  }
  if (unplaced.length > 0 || error.details.length === 0) errors.form = [error.message, ...unplaced].join(' ')
  return errors
}

/** The API's Set-Cookie headers (session set or cleared), to pass on to the browser unchanged. */
export function setCookieHeaders(from: Headers): Headers {
  const headers = new Headers()
  for (const cookie of from.getSetCookie()) headers.append('set-cookie', cookie)
  return headers
}
