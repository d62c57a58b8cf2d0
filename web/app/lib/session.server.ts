// The API owns sessions (the HttpOnly gl_session cookie); the web server only asks it who the browser is.
import { redirect } from 'react-router'
import { ApiError, callApi, fetchFromApi, type ApiCall, type ApiResponse, type User } from './api.server.ts'

/** What a loader or action gets: the raw request, and `url`, the page address it stands for. */
export interface RequestArgs {
  request: Request
  url: URL
}

/** /login, remembering which page to come back to. */
export function loginPath(url: URL): string {
  return `/login?${new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })}`
}

/**
 * Only paths on this site, so a crafted login link cannot send the user elsewhere. The value is resolved the
 * way a browser would (which drops tabs and newlines and reads backslashes as slashes) and must stay on the
 * same origin; what is returned is the resolved path, query and hash, never the raw input.
 */
export function safeRedirectPath(value: FormDataEntryValue | string | null, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback
  const base = 'http://greenlight.invalid'
  try {
    const resolved = new URL(value, base)
    if (resolved.origin !== base) return fallback
    return `${resolved.pathname}${resolved.search}${resolved.hash}`
  } catch {
    return fallback
  }
}

/** callApi for signed-in pages: when the API says 401 (no or expired session) the browser goes to /login. */
export async function callApiAsUser<T>({ request, url }: RequestArgs, path: string, call?: ApiCall): Promise<ApiResponse<T>> {
  try {
    return await callApi<T>(request, path, call)
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw redirect(loginPath(url))
    throw error
  }
}

export async function requireUser(args: RequestArgs): Promise<User> {
  const { data } = await callApiAsUser<{ user: User }>(args, '/api/auth/me')
  return data.user
}

export interface PassThrough {
  accept: string
  /** Request headers passed on to the API (ranges, conditional requests). */
  requestHeaders?: readonly string[]
  /** Response headers passed on to the browser as the API set them. */
  responseHeaders?: readonly string[]
  /** Headers of a successful answer set here, over the API's (an event stream's no-transform, a download). */
  answerHeaders?: (api: Response) => Record<string, string>
  /**
   * For answers that last as long as the browser reads them (a video, an event stream): only the wait for the
   * API's first answer is timed, and the browser going away ends the call.
   */
  streamed?: boolean
  /** A 401 goes to /login, except for an event stream (EventSource does not follow redirects): it gets the 401. */
  onUnauthenticated?: 'login' | 'answer'
  /** Said when the API refuses without a reason. */
  fallback: string
}

/** How long the API may take to start answering a streamed call. */
const FIRST_BYTE_TIMEOUT_MS = 10_000

/**
 * An API answer that is not JSON (an image, a video, a CSV download, an event stream) streamed through to the
 * browser with the browser's session, never buffered. Refusals come back as plain text with the API's reason.
 */
export async function passThroughFromApi({ request, url }: RequestArgs, path: string, options: PassThrough): Promise<Response> {
  const headers = new Headers({ accept: options.accept })
  for (const name of options.requestHeaders ?? []) {
    const value = request.headers.get(name)
    if (value) headers.set(name, value)
  }
  let response: Response
  if (options.streamed) {
    const firstByte = new AbortController()
    const timer = setTimeout(() => firstByte.abort(new DOMException('The API did not start answering in time.', 'TimeoutError')), FIRST_BYTE_TIMEOUT_MS)
    try {
      response = await fetchFromApi(request, path, { headers, signal: AbortSignal.any([request.signal, firstByte.signal]) })
    } finally {
      clearTimeout(timer)
    }
  } else {
    response = await fetchFromApi(request, path, { headers })
  }
  if (response.status === 401 && options.onUnauthenticated !== 'answer') throw redirect(loginPath(url))

  if ((response.ok && response.body) || response.status === 304) {
    const passed = new Headers()
    for (const name of options.responseHeaders ?? []) {
      const value = response.headers.get(name)
      if (value) passed.set(name, value)
    }
    for (const [name, value] of Object.entries(options.answerHeaders?.(response) ?? {})) passed.set(name, value)
    return new Response(response.status === 304 ? null : response.body, { status: response.status, headers: passed })
  }
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null
  const answer = new Response(body?.error?.message ?? options.fallback, {
    status: response.ok ? 502 : response.status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  })
  // A refused range says which ranges exist.
  const contentRange = response.headers.get('content-range')
  if (contentRange) answer.headers.set('content-range', contentRange)
  return answer
}
