// The workspace's logo image for <img> tags: streamed from the API with the browser's session cookie; the
// response headers that matter (type, length, ETag, caching, nosniff) are passed on as the API set them.
import type { Route } from './+types/workspace-logo'
import { passThroughFromApi } from '~/lib/session.server'

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const version = url.searchParams.get('version')
  const query = version && /^[1-9][0-9]{0,8}$/.test(version) ? `?version=${version}` : ''
  // 404 (no logo, another agency's workspace), 403: no image; the reason as text.
  return passThroughFromApi({ request, url }, `/api/workspaces/${encodeURIComponent(params.workspaceId)}/brand-kit/logo${query}`, {
    accept: 'image/*',
    requestHeaders: ['if-none-match'],
    responseHeaders: ['content-type', 'content-length', 'etag', 'cache-control', 'x-content-type-options', 'content-disposition'],
    fallback: 'No logo here.',
  })
}
