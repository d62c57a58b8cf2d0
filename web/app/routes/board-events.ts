// The board's live updates for the browser: the API's server-sent event stream (GET /api/boards/events),
// passed through as it arrives. Nothing is buffered — not here (the body is the API's own stream), not by the
// compression middleware (no-transform) and not by a proxy in front (X-Accel-Buffering) — and when the
// browser goes away, its request's signal ends the stream from the API too.
import type { Route } from './+types/board-events'
import { boardApiQueryFromSearch } from '~/lib/board'
import { passThroughFromApi } from '~/lib/session.server'

export async function loader({ request, url }: Route.LoaderArgs) {
  return passThroughFromApi({ request, url }, `/api/boards/events?${boardApiQueryFromSearch(url.searchParams)}`, {
    accept: 'text/event-stream',
    streamed: true,
    // EventSource gives up on an error status (no reconnect loop against a 401 or 403) and follows no redirect.
    onUnauthenticated: 'answer',
    answerHeaders: () => ({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' }),
    fallback: 'The board’s live updates are not available.',
  })
}
