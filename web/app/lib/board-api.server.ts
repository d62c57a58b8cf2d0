// Board calls whose request body is not JSON: a CSV import (text/csv) and a draft upload streamed through
// (multipart). callApi sends JSON only; these go through the same fetchFromApi (cookie, address, errors when
// the API is down) and read the API's answer the same way.
import { redirect } from 'react-router'
import { ApiError, fetchFromApi, type ApiErrorDetail } from './api.server.ts'
import { loginPath, type RequestArgs } from './session.server.ts'

interface RawBodyCall {
  contentType: string
  body: BodyInit
  /** The CSRF token the browser's form carried. */
  csrf: FormDataEntryValue | null
  /**
   * The body is a stream still arriving from the browser: sent as it comes (half duplex), and abandoned if
   * the browser goes away, rather than cut off by the usual timeout of a quick API call.
   */
  streamed?: boolean
}

/** POSTs a non-JSON body for a signed-in page; resolves with the JSON answer, throws ApiError (401: to /login). */
export async function postRawToApi<T>({ request, url }: RequestArgs, path: string, call: RawBodyCall): Promise<T> {
  const headers = new Headers({ accept: 'application/json', 'content-type': call.contentType })
  if (typeof call.csrf === 'string' && call.csrf !== '') headers.set('x-csrf-token', call.csrf)
  const response = await fetchFromApi(request, path, {
    method: 'POST',
    headers,
    body: call.body,
    ...(call.streamed ? { duplex: 'half' as const, signal: request.signal } : {}),
  })
  const text = await response.text()
  let payload: unknown
  try {
    payload = text === '' ? undefined : JSON.parse(text)
  } catch {
    payload = undefined
  }
  if (response.ok) return payload as T
  if (response.status === 401) throw redirect(loginPath(url))
  const body = payload as { error?: { code?: unknown; message?: unknown; details?: ApiErrorDetail[] }; requestId?: string } | undefined
  const error = body?.error
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
    throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', `The Greenlight API answered ${response.status} without an error description.`)
  }
  throw new ApiError(response.status, error.code, error.message, error.details ?? [], body?.requestId)
}
