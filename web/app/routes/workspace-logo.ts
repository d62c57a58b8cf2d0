// The workspace's logo image for <img> tags: streamed from the API with the browser's session cookie
// (fetchFromApi: image bytes, not JSON); the response headers that matter (type, length, ETag, caching,
// nosniff) are passed on as the API set them.
import { redirect } from 'react-router'
import type { Route } from './+types/workspace-logo'
import { fetchFromApi } from '~/lib/api.server'
import { loginPath } from '~/lib/session.server'

const PASSED_ON_HEADERS = ['content-type', 'content-length', 'etag', 'cache-control', 'x-content-type-options', 'content-disposition']

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const version = url.searchParams.get('version')
  const query = version && /^[1-9][0-9]{0,8}$/.test(version) ? `?version=${version}` : ''
  const headers = new Headers({ accept: 'image/*' })
  const etag = request.headers.get('if-none-match')
  if (etag) headers.set('if-none-match', etag)
  const response = await fetchFromApi(request, `/api/workspaces/${encodeURIComponent(params.workspaceId)}/brand-kit/logo${query}`, { headers })
  if (response.status === 401) throw redirect(loginPath(url))

  const passed = new Headers()
  for (const name of PASSED_ON_HEADERS) {
    const value = response.headers.get(name)
    if (value) passed.set(name, value)
  }
  if (response.ok || response.status === 304) return new Response(response.status === 304 ? null : response.body, { status: response.status, headers: passed })

  // 404 (no logo, another agency's workspace), 403: no image; the reason as text for whoever opens the address.
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null
  return new Response(body?.error?.message ?? 'No logo here.', { status: response.status, headers: { 'content-type': 'text/plain; charset=utf-8' } })
}
