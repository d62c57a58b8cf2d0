// An asset's bytes or thumbnail for <img>, <video> and links: streamed from the API with the browser's session
// cookie, never buffered. Range requests (seeking in a video) and conditional requests (ETag) are passed on,
// and so are the answer's headers that matter (type, length, range, caching, nosniff, file name).
import { redirect } from 'react-router'
import type { Route } from './+types/asset-file'
import { fetchFromApi } from '~/lib/api.server'
import { loginPath } from '~/lib/session.server'

const VARIANTS = new Set(['content', 'thumbnail'])
const PASSED_ON_REQUEST_HEADERS = ['range', 'if-none-match', 'if-range']
const PASSED_ON_RESPONSE_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag', 'cache-control', 'x-content-type-options', 'content-disposition']
/** How long the API may take to start answering; the body then streams for as long as the browser reads it. */
const FIRST_BYTE_TIMEOUT_MS = 10_000

const plainText = (message: string, status: number) => new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })

export async function loader({ request, url, params }: Route.LoaderArgs) {
  if (!VARIANTS.has(params.variant)) return plainText('Ask for /content or /thumbnail.', 404)
  const headers = new Headers({ accept: params.variant === 'thumbnail' ? 'image/*' : '*/*' })
  for (const name of PASSED_ON_REQUEST_HEADERS) {
    const value = request.headers.get(name)
    if (value) headers.set(name, value)
  }

  // A video may take minutes to reach a slow browser: the usual whole-call timeout would cut it off, so only
  // the wait for the API's first answer is timed, and the browser going away ends the stream.
  const firstByte = new AbortController()
  const timer = setTimeout(() => firstByte.abort(new DOMException('The API did not start answering in time.', 'TimeoutError')), FIRST_BYTE_TIMEOUT_MS)
  let response: Response
  try {
    response = await fetchFromApi(request, `/api/assets/${encodeURIComponent(params.assetId)}/${params.variant}`, {
      headers,
      signal: AbortSignal.any([request.signal, firstByte.signal]),
    })
  } finally {
    clearTimeout(timer)
  }
  if (response.status === 401) throw redirect(loginPath(url))

  const passed = new Headers()
  for (const name of PASSED_ON_RESPONSE_HEADERS) {
    const value = response.headers.get(name)
    if (value) passed.set(name, value)
  }
  if (response.ok || response.status === 304) return new Response(response.status === 304 ? null : response.body, { status: response.status, headers: passed })

  // 404 (no such asset, another agency's, a video's thumbnail), 403, 416: the reason as text for whoever opens it.
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null
  const answer = plainText(body?.error?.message ?? 'No file here.', response.status)
  const contentRange = response.headers.get('content-range')
  if (contentRange) answer.headers.set('content-range', contentRange)
  return answer
}
