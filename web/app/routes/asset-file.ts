// An asset's bytes or thumbnail for <img>, <video> and links: streamed from the API with the browser's session
// cookie, never buffered. Range requests (seeking in a video) and conditional requests (ETag) are passed on,
// and so are the answer's headers that matter (type, length, range, caching, nosniff, file name).
import type { Route } from './+types/asset-file'
import { passThroughFromApi } from '~/lib/session.server'

const VARIANTS = new Set(['content', 'thumbnail'])

export async function loader({ request, url, params }: Route.LoaderArgs) {
  if (!VARIANTS.has(params.variant)) return new Response('Ask for /content or /thumbnail.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
  // 404 (no such asset, another agency's, a video's thumbnail), 403, 416: the reason as text.
  return passThroughFromApi({ request, url }, `/api/assets/${encodeURIComponent(params.assetId)}/${params.variant}`, {
    accept: params.variant === 'thumbnail' ? 'image/*' : '*/*',
    requestHeaders: ['range', 'if-none-match', 'if-range'],
    responseHeaders: ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag', 'cache-control', 'x-content-type-options', 'content-disposition'],
    // A video may take minutes to reach a slow browser: the usual whole-call timeout would cut it off.
    streamed: true,
    fallback: 'No file here.',
  })
}
