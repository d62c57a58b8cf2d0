// The content board (one module for three routes: a campaign's board, a workspace's, and a creator's own
// cards). Columns show their first page and page in more on request; cards move by drag-and-drop (saved at
// once, put back with the API's reason when refused) or, without JavaScript, by a "Move to" form; changes by
// others arrive as server-sent events; a card opens in a drawer (the nested cards/:cardId route).
import { useCallback, useEffect, useReducer, useRef, useState } from 'react'
import { data, Link, useFetcher, useOutlet, useRevalidator, useRouteLoaderData, type ShouldRevalidateFunctionArgs } from 'react-router'
import type { Route } from './+types/board'
import { BOARD_PAGE_SIZE, checkCardMove, isBoardColumn, type BoardColumn } from '../../../domain/content-board.ts'
import type { Creator } from '../../../api/schemas/creator.ts'
import { BoardColumns, type DragRules } from '~/components/board/board-columns'
import { BoardFilters } from '~/components/board/board-filters'
import { CardTileBody, MoveToForm } from '~/components/board/card-tile'
import { CsvImport } from '~/components/board/csv-import'
import { LiveIndicator, type LiveStatus } from '~/components/board/live-indicator'
import { ErrorPanel } from '~/components/error-panel'
import { ApiError, type User, notThereAs } from '~/lib/api.server'
import {
  boardApiQuery,
  boardPath,
  boardReducer,
  boardScopeFromParams,
  boardStateFrom,
  cardMatches,
  filterSearch,
  importErrorRows,
  planMove,
  readBoardFilters,
  type BoardData,
  type BoardEvent,
  type Card,
  type ColumnPage,
  type ColumnState,
  type ImportReport,
  type ImportResult,
  type PlannedMove,
} from '~/lib/board'
import { CSRF_FIELD } from '~/lib/csrf'
import { callApiAsUser } from '~/lib/session.server'

/** The API's limit for a CSV import. */
const IMPORT_MAX_BYTES = 1024 * 1024
/** Drag-and-drop moves and "Move to" forms share one fetcher, so their answers are handled in one place. */
const MOVE_FETCHER_KEY = 'board-move'

/** The board takes the whole width: seven columns side by side. */
export const handle = { wide: true }

export const meta: Route.MetaFunction = ({ loaderData }) => {
  const name = loaderData?.kind === 'board' ? loaderData.board.scope.name : 'Board'
  return [{ title: `${name} · Board · Greenlight` }]
}

const notThere = notThereAs('board')

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const args = { request, url }
  const scope = boardScopeFromParams(params)
  const filters = readBoardFilters(url.searchParams)
  const column = url.searchParams.get('column') ?? ''
  const cursor = url.searchParams.get('cursor') ?? ''

  // "Show more": the next page of one column (fetched in the background, or a page of its own without JavaScript).
  if (isBoardColumn(column) && cursor !== '') {
    const query = boardApiQuery(scope, filters)
    query.set('column', column)
    query.set('cursor', cursor)
    query.set('limit', String(BOARD_PAGE_SIZE))
    const page = await callApiAsUser<ColumnPage>(args, `/api/boards/column?${query}`).catch(notThere)
    return { kind: 'column' as const, scope, filters, page: page.data }
  }

  const query = boardApiQuery(scope, filters)
  query.set('limit', String(BOARD_PAGE_SIZE))
  const [board, assignees] = await Promise.all([
    callApiAsUser<BoardData>(args, `/api/boards?${query}`).then((response) => response.data),
    // The assignee filter lists the agency's creators, for those who may see them.
    scope.kind === 'mine'
      ? []
      : callApiAsUser<{ creators: Creator[] }>(args, '/api/creators')
          .then((response) => response.data.creators.map((creator) => ({ id: creator.id, name: creator.displayName })))
          .catch((error: unknown) => {
            if (error instanceof ApiError && error.status === 403) return []
            throw error
          }),
  ]).catch(notThere)
  return { kind: 'board' as const, scope, filters, board, assignees }
}

export type MoveResult =
  | { intent: 'move-card'; ok: true; card: Card }
  | { intent: 'move-card'; ok: false; cardId: string; code: string; message: string }

type ActionResult = MoveResult | ImportResult

export async function action({ request, url, params }: Route.ActionArgs) {
  const args = { request, url }
  const scope = boardScopeFromParams(params)
  const refused = (result: ActionResult, status: number) => data<ActionResult>(result, { status })

  // A file far over the import limit is refused before the web server reads it.
  if (request.headers.get('content-type')?.startsWith('multipart/form-data')) {
    const length = Number(request.headers.get('content-length'))
    if (Number.isFinite(length) && length > IMPORT_MAX_BYTES + 64 * 1024) {
      return refused({ intent: 'import-csv', ok: false, message: 'The file is larger than 1 MB: split it into smaller files.', rows: [] }, 413)
    }
  }
  const form = await request.formData()
  const csrf = form.get(CSRF_FIELD)
  const intent = form.get('intent')

  if (intent === 'move-card') {
    const cardId = String(form.get('cardId') ?? '')
    const version = Number(form.get('version'))
    const to = String(form.get('to') ?? '')
    if (!/^[0-9a-f-]{36}$/i.test(cardId) || !Number.isInteger(version) || version < 1 || !isBoardColumn(to)) {
      return refused({ intent, ok: false, cardId, code: 'VALIDATION_FAILED', message: 'That move is incomplete: reload the board and try again.' }, 400)
    }
    const body: { version: number; to: BoardColumn; afterCardId?: string; beforeCardId?: string } = { version, to }
    for (const field of ['afterCardId', 'beforeCardId'] as const) {
      const value = form.get(field)
      if (typeof value === 'string' && value !== '') body[field] = value
    }
    try {
      const response = await callApiAsUser<{ card: Card }>(args, `/api/cards/${encodeURIComponent(cardId)}/move`, { method: 'POST', body, csrf })
      return { intent, ok: true, card: response.data.card } satisfies MoveResult
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error
      // A stale version, a move the rules do not allow, a neighbour that moved meanwhile: said on the board.
      return refused({ intent, ok: false, cardId, code: error.code, message: error.message }, error.status)
    }
  }

  if (intent === 'import-csv') {
    if (scope.kind !== 'campaign' || !scope.id) return refused({ intent, ok: false, message: 'Cards are imported into a campaign: open its board.', rows: [] }, 400)
    const file = form.get('file')
    if (!(file instanceof File) || file.size === 0) return refused({ intent, ok: false, message: 'Choose a CSV file with a header row and at least one card.', rows: [] }, 400)
    if (file.size > IMPORT_MAX_BYTES) return refused({ intent, ok: false, message: 'The file is larger than 1 MB: split it into smaller files.', rows: [] }, 413)
    try {
      const { data: report } = await callApiAsUser<ImportReport>(args, `/api/campaigns/${encodeURIComponent(scope.id)}/cards/import`, {
        method: 'POST',
        raw: { contentType: 'text/csv; charset=utf-8', body: await file.text() },
        csrf,
      })
      return { intent, ok: true, report } satisfies ImportResult
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error
      return refused({ intent, ok: false, message: error.message, rows: importErrorRows(error.details) }, error.status)
    }
  }

  return refused({ intent: 'move-card', ok: false, cardId: '', code: 'UNKNOWN_ACTION', message: 'Unknown action.' }, 400)
}

// A saved move is already on screen, with the card the API answered: reloading every column would only
// slow the next drag. A refused move reloads, since the board was out of date (someone else moved the card).
export function shouldRevalidate({ formData, actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (formData?.get('intent') === 'move-card' && actionStatus !== undefined) return actionStatus >= 400
  return defaultShouldRevalidate
}

function useSignedInUser(): User | undefined {
  return (useRouteLoaderData('routes/signed-in') as { user: User } | undefined)?.user
}

export default function BoardRoute({ loaderData, actionData }: Route.ComponentProps) {
  if (loaderData.kind === 'column') return <MoreCardsPage data={loaderData} />
  // Another board or other filters start from their own first pages.
  const key = `${loaderData.scope.kind}:${loaderData.scope.id ?? ''}?${filterSearch(loaderData.filters)}`
  return <BoardScreen key={key} data={loaderData} actionData={actionData as ActionResult | undefined} />
}

type BoardLoaderData = Extract<Route.ComponentProps['loaderData'], { kind: 'board' }>

/** What the card drawer (nested route) gets from the board. */
export interface BoardOutletContext {
  /** The board's address with its filters, where the drawer closes to. */
  closeHref: string
  viewer: BoardData['viewer']
}

interface Notice {
  message: string
  code: string
}

function noticeFrom(result: ActionResult | undefined): Notice | null {
  return result?.intent === 'move-card' && !result.ok ? { message: result.message, code: result.code } : null
}

function BoardScreen({ data: loaded, actionData }: { data: BoardLoaderData; actionData: ActionResult | undefined }) {
  const { board, scope, filters, assignees } = loaded
  const user = useSignedInUser()
  const [state, dispatch] = useReducer(boardReducer, board.columns, boardStateFrom)
  const [notice, setNotice] = useState<Notice | null>(() => noticeFrom(actionData))
  const moveFetcher = useFetcher<MoveResult>({ key: MOVE_FETCHER_KEY })
  const pendingMove = useRef<PlannedMove | null>(null)
  // A move answered before this board mounted (under other filters) is not this board's to apply.
  const handledResult = useRef<unknown>(moveFetcher.data)

  const path = boardPath(scope)
  const search = filterSearch(filters).toString()
  const boardHref = search ? `${path}?${search}` : path
  const apiQuery = boardApiQuery(scope, filters).toString()
  const showCampaign = scope.kind !== 'campaign'
  const ownCreatorId = board.viewer.ownCardsOnly ? board.viewer.creatorId : null

  // The loader ran again (after a save, a reconnect, a refused move): merge, keeping pages loaded since.
  const seenColumns = useRef(board.columns)
  useEffect(() => {
    if (seenColumns.current === board.columns) return
    seenColumns.current = board.columns
    dispatch({ type: 'reloaded', columns: board.columns })
  }, [board.columns])

  // A plain form post (without JavaScript) answers through actionData.
  useEffect(() => setNotice(noticeFrom(actionData)), [actionData])

  // The API's answer to a move: the saved card, or the card put back and the reason shown.
  useEffect(() => {
    const result = moveFetcher.data
    if (moveFetcher.state !== 'idle' || !result || handledResult.current === result) return
    handledResult.current = result
    const move = pendingMove.current
    pendingMove.current = null
    if (result.ok) {
      dispatch({ type: 'saved', card: result.card })
      setNotice(null)
    } else {
      if (move) dispatch({ type: 'refused', original: move.original })
      setNotice({ message: result.message, code: result.code })
    }
  }, [moveFetcher.state, moveFetcher.data])

  const onPage = useCallback((page: ColumnPage) => dispatch({ type: 'paged', page }), [])
  const shows = useCallback((card: Card) => cardMatches(card, filters, ownCreatorId), [filters, ownCreatorId])
  const onEvent = useCallback((event: BoardEvent) => dispatch({ type: 'event', event, shows }), [shows])
  const live = useBoardEvents(`/board-events?${apiQuery}`, onEvent)

  const csrfToken = user?.csrfToken ?? ''
  const mayMove = user?.permissions.includes('card.move') ?? false
  const rulesFor = useCallback(
    (card: Card): DragRules => {
      // Reordering within a column follows the same table as moves (domain/content-board.ts).
      const mayReorder =
        mayMove &&
        user !== undefined &&
        checkCardMove({
          from: card.column,
          to: card.column,
          actor: { kind: 'user', userId: user.id, role: user.role, creatorId: board.viewer.creatorId },
          card: { assigneeCreatorId: card.assignee?.creatorId ?? null },
        }) === null
      return { draggable: mayMove && (card.allowedTargets.length > 0 || mayReorder), mayReorder }
    },
    [mayMove, user, board.viewer.creatorId],
  )

  function handleDrop(cardId: string, to: BoardColumn, index: number) {
    const move = planMove(state, cardId, to, index)
    if (!move) return
    pendingMove.current = move
    dispatch({ type: 'dropped', move })
    const body: Record<string, string> = { intent: 'move-card', cardId, version: String(move.original.version), to, [CSRF_FIELD]: csrfToken }
    if (move.neighbours.afterCardId) body.afterCardId = move.neighbours.afterCardId
    if (move.neighbours.beforeCardId) body.beforeCardId = move.neighbours.beforeCardId
    void moveFetcher.submit(body, { method: 'post', action: boardHref })
  }

  const busy = moveFetcher.state !== 'idle'
  const savingCardId = busy ? (moveFetcher.formData?.get('cardId')?.toString() ?? null) : null
  const cardHref = (card: Card) => `${path}/cards/${card.id}${search ? `?${search}` : ''}`
  const outletContext: BoardOutletContext = { closeHref: boardHref, viewer: board.viewer }
  const drawer = useOutlet(outletContext)
  const importResult = actionData?.intent === 'import-csv' ? actionData : undefined

  return (
    <div className="space-y-5">
      {/* With the card drawer open, the board behind it is out of reach of keyboard and screen reader. */}
      <div className="space-y-5" inert={drawer !== null}>
        <BoardHeader data={loaded} live={live} exportHref={`/board-export.csv?${apiQuery}`} />
        <div className="flex flex-wrap items-end justify-between gap-4">
          <BoardFilters filters={filters} assignees={board.viewer.ownCardsOnly ? [] : assignees} clearHref={path} />
          <p className="text-xs text-slate-500">
            {mayMove ? 'Drag a card by its handle, or use “Move to…”. Only the columns it may go to take it.' : 'Your role can look at the board but not move cards.'}
          </p>
        </div>
        <BoardColumns
          state={state}
          rulesFor={rulesFor}
          busy={busy}
          savingCardId={savingCardId}
          onDrop={handleDrop}
          cardHref={cardHref}
          showCampaign={showCampaign}
          moveFormFor={(card) => <MoveToForm card={card} action={boardHref} fetcherKey={MOVE_FETCHER_KEY} disabled={busy} />}
          footerFor={(column) => <ShowMoreCards column={column} href={`${path}?${withColumnPage(search, column)}`} fetcherKey={`board-more:${apiQuery}:${column.column}`} onPage={onPage} />}
        />
        {scope.kind === 'campaign' && board.viewer.canCreate && <CsvImport action={boardHref} submitted={importResult} />}
      </div>
      {notice && <MoveNotice notice={notice} onDismiss={() => setNotice(null)} />}
      {drawer}
    </div>
  )
}

function withColumnPage(search: string, column: Pick<ColumnState, 'column' | 'nextCursor'>): string {
  const query = new URLSearchParams(search)
  query.set('column', column.column)
  query.set('cursor', column.nextCursor ?? '')
  return query.toString()
}

function BoardHeader({ data: loaded, live, exportHref }: { data: BoardLoaderData; live: LiveStatus; exportHref: string }) {
  const { scope } = loaded.board
  const back =
    scope.kind === 'campaign' && scope.id
      ? { to: `/campaigns/${scope.id}`, label: `← ${scope.name}` }
      : scope.kind === 'workspace' && scope.id
        ? { to: `/workspaces/${scope.id}`, label: `← ${scope.name}` }
        : null
  return (
    <header className="flex flex-wrap items-end justify-between gap-4">
      <div className="space-y-1">
        {back && (
          <Link to={back.to} className="text-sm font-medium text-slate-500 hover:text-slate-700">
            {back.label}
          </Link>
        )}
        <h1 className="text-2xl font-semibold tracking-tight" data-testid="board-title">
          {scope.kind === 'mine' ? 'My cards' : `${scope.name} board`}
        </h1>
        <p className="text-sm text-slate-600">
          {scope.kind === 'campaign' && scope.workspaceName ? `Campaign in ${scope.workspaceName}` : null}
          {scope.kind === 'workspace' ? 'Every campaign of this workspace' : null}
          {scope.kind === 'mine' ? 'The cards assigned to you, across campaigns' : null}
        </p>
      </div>
      <div className="flex items-center gap-4">
        <LiveIndicator status={live} />
        <a href={exportHref} download className="text-sm font-semibold text-emerald-700 hover:text-emerald-600" data-testid="board-export">
          Export CSV
        </a>
      </div>
    </header>
  )
}

function MoveNotice({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  const conflict = notice.code === 'CARD_VERSION_CONFLICT'
  return (
    <div
      role="alert"
      className="fixed right-6 bottom-6 z-50 flex max-w-md items-start gap-3 rounded-lg bg-white px-4 py-3 text-sm shadow-lg ring-1 ring-red-200"
      data-testid="board-notice"
      data-code={notice.code}
    >
      <span aria-hidden className="mt-1 size-2 shrink-0 rounded-full bg-red-500" />
      <div className="flex-1">
        <p className="font-semibold text-red-700">{conflict ? 'Someone else changed this card' : 'The card was not moved'}</p>
        <p className="mt-0.5 text-slate-700" data-testid="board-notice-message">
          {notice.message}
        </p>
        <p className="mt-1 text-xs text-slate-500">The board has been read again: it shows the card as it is now.</p>
      </div>
      <button type="button" onClick={onDismiss} className="rounded px-1 text-slate-400 hover:text-slate-600" aria-label="Dismiss">
        ×
      </button>
    </div>
  )
}

interface ShowMoreCardsProps {
  column: ColumnState
  /** The page of the next cards: a link without JavaScript, fetched in the background with it. */
  href: string
  fetcherKey: string
  onPage: (page: ColumnPage) => void
}

function ShowMoreCards({ column, href, fetcherKey, onPage }: ShowMoreCardsProps) {
  const fetcher = useFetcher<typeof loader>({ key: fetcherKey })
  const page = fetcher.data?.kind === 'column' ? fetcher.data.page : null
  useEffect(() => {
    // Appending is idempotent (cards already loaded are skipped), so a repeated effect does no harm.
    if (page && page.column === column.column) onPage(page)
  }, [page, column.column, onPage])
  if (column.nextCursor === null) return null
  const loading = fetcher.state !== 'idle'
  return (
    <div className="px-3 pb-3">
      <Link
        to={href}
        preventScrollReset
        onClick={(event) => {
          event.preventDefault()
          if (!loading) void fetcher.load(href)
        }}
        aria-disabled={loading || undefined}
        className="block rounded-md bg-white px-3 py-1.5 text-center text-xs font-semibold text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
        data-testid="column-show-more"
      >
        {loading ? 'Loading…' : `Show more (${column.total - column.cards.length} more)`}
      </Link>
    </div>
  )
}

/** Server-sent `card` and `reload` events for the board; reloads the board after a dropped connection comes back. */
function useBoardEvents(url: string, onEvent: (event: BoardEvent) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting')
  const { revalidate } = useRevalidator()
  const latest = useRef({ onEvent, revalidate })
  useEffect(() => {
    latest.current = { onEvent, revalidate }
  })
  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setStatus('off')
      return
    }
    const source = new EventSource(url)
    let missedEvents = false
    setStatus('connecting')
    source.addEventListener('open', () => {
      setStatus('live')
      // Changes made while the stream was down were not sent: read the board again.
      if (missedEvents) void latest.current.revalidate()
      missedEvents = false
    })
    source.addEventListener('card', (message) => {
      try {
        latest.current.onEvent(JSON.parse((message as MessageEvent<string>).data) as BoardEvent)
      } catch {
        // An event that is not JSON is not ours; the next reload corrects anything it meant.
      }
    })
    // Many cards changed at once (an import): read the board again rather than card by card.
    source.addEventListener('reload', () => void latest.current.revalidate())
    source.addEventListener('error', () => {
      missedEvents = true
      // CLOSED: the server refused the stream (signed out, no permission); EventSource does not retry then.
      setStatus(source.readyState === EventSource.CLOSED ? 'off' : 'reconnecting')
    })
    return () => source.close()
  }, [url])
  return status
}

/** "Show more" without JavaScript: the next page of one column on a page of its own. */
function MoreCardsPage({ data: loaded }: { data: Extract<Route.ComponentProps['loaderData'], { kind: 'column' }> }) {
  const { page, scope, filters } = loaded
  const path = boardPath(scope)
  const search = filterSearch(filters).toString()
  const boardHref = search ? `${path}?${search}` : path
  const nextHref = page.nextCursor ? `${path}?${withColumnPage(search, page)}` : null
  return (
    <section className="space-y-4" aria-labelledby="more-cards-heading">
      <Link to={boardHref} className="text-sm font-medium text-slate-500 hover:text-slate-700">
        ← Back to the board
      </Link>
      <h1 id="more-cards-heading" className="text-2xl font-semibold tracking-tight">
        {page.label} <span className="text-base font-normal text-slate-500">· {page.total} cards</span>
      </h1>
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-labelledby="more-cards-heading">
        {page.cards.map((card) => (
          <li key={card.id} className="rounded-md bg-white p-3 shadow-sm ring-1 ring-slate-200" data-testid="board-card" data-card-id={card.id}>
            <CardTileBody card={card} href={`${path}/cards/${card.id}${search ? `?${search}` : ''}`} showCampaign={scope.kind !== 'campaign'} />
            <MoveToForm card={card} action={boardHref} fetcherKey={MOVE_FETCHER_KEY} disabled={false} />
          </li>
        ))}
      </ul>
      {nextHref && (
        <Link to={nextHref} className="inline-block text-sm font-semibold text-emerald-700 hover:text-emerald-600">
          Show more
        </Link>
      )}
    </section>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
