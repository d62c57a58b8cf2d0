// The board's live updates for the browser: the API's server-sent event stream (GET /api/boards/events),
// passed through as it arrives. Nothing is buffered — not here (the body is the API's own stream), not by the
// compression middleware (no-transform) and not by a proxy in front (X-Accel-Buffering) — and when the
// browser goes away, its request's signal ends the stream from the API too.
import type { Route } from './+types/board-events'
import { fetchFromApi } from '~/lib/api.server'
import { boardApiQueryFromSearch } from '~/lib/board'

export async function loader({ request, url }: Route.LoaderArgs) {
  const query = boardApiQueryFromSearch(url.searchParams)
  const response = await fetchFromApi(request, `/api/boards/events?${query}`, {
    headers: new Headers({ accept: 'text/event-stream' }),
    signal: request.signal,
  })
  if (!response.ok || !response.body) {
    // EventSource gives up on an error status (no reconnect loop against a 401 or 403); the reason is logged
    // by the browser's network panel as text.
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null
    return new Response(body?.error?.message ?? `The board's live updates are not available (${response.status}).`, {
      status: response.ok ? 502 : response.status,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })
  }
  return new Response(response.body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  })
}
