// "Export CSV" of a board: the API's CSV (GET /api/boards/export.csv) streamed to the browser as a download,
// with the same scope and filters as the board it was clicked on.
import { redirect } from 'react-router'
import type { Route } from './+types/board-export'
import { fetchFromApi } from '~/lib/api.server'
import { boardApiQueryFromSearch } from '~/lib/board'
import { loginPath } from '~/lib/session.server'

export async function loader({ request, url }: Route.LoaderArgs) {
  const query = boardApiQueryFromSearch(url.searchParams)
  const response = await fetchFromApi(request, `/api/boards/export.csv?${query}`, {
    headers: new Headers({ accept: 'text/csv' }),
    signal: request.signal,
  })
  if (response.status === 401) throw redirect(loginPath(url))
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null
    return new Response(body?.error?.message ?? 'The board could not be exported.', {
      status: response.ok ? 502 : response.status,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })
  }
  // Always a download; the API's file name when it gave one.
  const disposition = response.headers.get('content-disposition')
  const headers = new Headers({
    'content-type': response.headers.get('content-type') ?? 'text/csv; charset=utf-8',
    'content-disposition': disposition?.toLowerCase().startsWith('attachment') ? disposition : 'attachment; filename="board.csv"',
    'cache-control': 'no-store',
  })
  return new Response(response.body, { status: 200, headers })
}
