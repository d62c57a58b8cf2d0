// A draft of a card shared through a client review link, for the public review page's <img>, <video> and links:
// streamed from the API with the link's token (no session), never buffered. Range and conditional requests are
// passed on, and so are the answer's headers that matter; a link that ended answers its reason as text.
import type { Route } from './+types/client-review-asset'
import { REVIEW_ASSET_VARIANTS } from '../../../domain/review-links.ts'
import { passThroughFromApi } from '~/lib/session.server'

export async function loader({ request, url, params }: Route.LoaderArgs) {
  if (!(REVIEW_ASSET_VARIANTS as readonly string[]).includes(params.variant)) {
    return new Response('Ask for /content or /thumbnail.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
  }
  const path = `/api/public/review-links/${encodeURIComponent(params.token)}/assets/${encodeURIComponent(params.fileId)}/${params.variant}`
  return passThroughFromApi({ request, url }, path, {
    accept: params.variant === 'thumbnail' ? 'image/*' : '*/*',
    requestHeaders: ['range', 'if-none-match', 'if-range'],
    responseHeaders: ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag', 'cache-control', 'x-content-type-options', 'content-disposition'],
    // The address carries the token: a page this file is opened from must not pass it on.
    answerHeaders: () => ({ 'referrer-policy': 'no-referrer' }),
    // A video may take minutes to reach a slow browser: the usual whole-call timeout would cut it off.
    streamed: true,
    fallback: 'No file here.',
  })
}
