// "Export CSV" of a board: the API's CSV (GET /api/boards/export.csv) streamed to the browser as a download,
// with the same scope and filters as the board it was clicked on.
import type { Route } from './+types/board-export'
import { boardApiQueryFromSearch } from '~/lib/board'
import { passThroughFromApi } from '~/lib/session.server'

export async function loader({ request, url }: Route.LoaderArgs) {
  return passThroughFromApi({ request, url }, `/api/boards/export.csv?${boardApiQueryFromSearch(url.searchParams)}`, {
    accept: 'text/csv',
    streamed: true,
    // Always a download; the API's file name when it gave one.
    answerHeaders: (api) => {
      const disposition = api.headers.get('content-disposition')
      return {
        'content-type': api.headers.get('content-type') ?? 'text/csv; charset=utf-8',
        'content-disposition': disposition?.toLowerCase().startsWith('attachment') ? disposition : 'attachment; filename="board.csv"',
        'cache-control': 'no-store',
      }
    },
    fallback: 'The board could not be exported.',
  })
}
