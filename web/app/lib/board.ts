// The content board as the browser holds it: the loaded part of each column, kept in order while cards are
// dragged, paged in and changed live by others. Pure functions (no React, no fetch), shared by the board
// route's loader and component and tested on their own.
import type { Static } from '@fastify/type-provider-typebox'
import { BOARD_COLUMNS, BOARD_COLUMN_LABELS, comparePositions, mentionTokens, positionBetween, type BoardColumn } from '../../../domain/content-board.ts'
import { SOCIAL_PLATFORMS, type SocialPlatform } from '../../../domain/brand-kit.ts'
import type {
  Board as BoardSchema,
  BoardColumnPage as BoardColumnPageSchema,
  BoardEvent as BoardEventSchema,
  CardDetail as CardDetailSchema,
  CardSummary as CardSummarySchema,
  ImportReport as ImportReportSchema,
} from '../../../api/schemas/board.ts'

// The API's schemas refer to CardSummary by $ref, which TypeBox types as unknown: put the card back in.
export type Card = Static<typeof CardSummarySchema>
export type ColumnPage = Omit<BoardColumnPageSchema, 'cards'> & { cards: Card[] }
export type BoardData = Omit<BoardSchema, 'columns'> & { columns: ColumnPage[] }
export type BoardEvent = Omit<BoardEventSchema, 'card'> & { card: Card | null }
export type CardDetail = Omit<CardDetailSchema, 'card'> & { card: Card }
export type ImportReport = Static<typeof ImportReportSchema>
export type BoardScopeKind = BoardData['scope']['kind']

// ---------------------------------------------------------------------------------------------------------
// Scope and filters: which cards a board shows, as the API's query string

export interface BoardScopeRef {
  kind: BoardScopeKind
  /** The campaign's or workspace's id; null for "my cards". */
  id: string | null
}

export interface BoardFilters {
  platform: SocialPlatform | null
  assigneeCreatorId: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: string): boolean {
  return UUID.test(value)
}

/** The scope a board route stands for, from its params (campaign, workspace, or the caller's own cards). */
export function boardScopeFromParams(params: { campaignId?: string | undefined; workspaceId?: string | undefined }): BoardScopeRef {
  if (params.campaignId !== undefined) return { kind: 'campaign', id: params.campaignId }
  if (params.workspaceId !== undefined) return { kind: 'workspace', id: params.workspaceId }
  return { kind: 'mine', id: null }
}

/** Filters from a page address (`?platform=tiktok&assignee=<creator id>`); anything unknown is ignored. */
export function readBoardFilters(search: URLSearchParams): BoardFilters {
  const platform = search.get('platform') ?? ''
  const assignee = search.get('assignee') ?? ''
  return {
    platform: (SOCIAL_PLATFORMS as readonly string[]).includes(platform) ? (platform as SocialPlatform) : null,
    assigneeCreatorId: isUuid(assignee) ? assignee.toLowerCase() : null,
  }
}

/** The filters as the page's own query string (the inverse of readBoardFilters). */
export function filterSearch(filters: BoardFilters): URLSearchParams {
  const search = new URLSearchParams()
  if (filters.platform) search.set('platform', filters.platform)
  if (filters.assigneeCreatorId) search.set('assignee', filters.assigneeCreatorId)
  return search
}

/** The web address of a board (the card drawer opens under it, at cards/<id>). */
export function boardPath(scope: BoardScopeRef): string {
  if (scope.kind === 'campaign' && scope.id) return `/campaigns/${encodeURIComponent(scope.id)}/board`
  if (scope.kind === 'workspace' && scope.id) return `/workspaces/${encodeURIComponent(scope.id)}/board`
  return '/my-cards'
}

/** The API's scope query (GET /api/boards, /column, /events, /export.csv). */
export function boardApiQuery(scope: BoardScopeRef, filters: BoardFilters): URLSearchParams {
  const query = new URLSearchParams()
  if (scope.kind === 'campaign' && scope.id) query.set('campaignId', scope.id)
  if (scope.kind === 'workspace' && scope.id) query.set('workspaceId', scope.id)
  if (filters.platform) query.set('platform', filters.platform)
  if (filters.assigneeCreatorId) query.set('assigneeCreatorId', filters.assigneeCreatorId)
  return query
}

/**
 * The scope part of a query the browser sent to a proxy route (board-events, board-export.csv), rebuilt from
 * known keys only, so nothing else of the browser's address reaches the API.
 */
export function boardApiQueryFromSearch(search: URLSearchParams): URLSearchParams {
  const campaignId = search.get('campaignId') ?? ''
  const workspaceId = search.get('workspaceId') ?? ''
  const scope: BoardScopeRef = isUuid(campaignId)
    ? { kind: 'campaign', id: campaignId }
    : isUuid(workspaceId)
      ? { kind: 'workspace', id: workspaceId }
      : { kind: 'mine', id: null }
  const platform = search.get('platform') ?? ''
  const assignee = search.get('assigneeCreatorId') ?? ''
  return boardApiQuery(scope, {
    platform: (SOCIAL_PLATFORMS as readonly string[]).includes(platform) ? (platform as SocialPlatform) : null,
    assigneeCreatorId: isUuid(assignee) ? assignee : null,
  })
}

// ---------------------------------------------------------------------------------------------------------
// Column state

export interface ColumnState {
  column: BoardColumn
  label: string
  /** Cards in the whole column, loaded or not. */
  total: number
  /** The loaded cards, in board order (position, then id). */
  cards: Card[]
  /** Where the next page starts; null when every card of the column is loaded. */
  nextCursor: string | null
}

export type BoardState = Record<BoardColumn, ColumnState>

/** Board order: by position (byte order, as PostgreSQL sorts it with COLLATE "C"), ties broken by id. */
export function compareCards(a: Pick<Card, 'position' | 'id'>, b: Pick<Card, 'position' | 'id'>): number {
  return comparePositions(a.position, b.position) || comparePositions(a.id, b.id)
}

export function boardStateFrom(columns: readonly ColumnPage[]): BoardState {
  const state = {} as BoardState
  for (const column of BOARD_COLUMNS) {
    const page = columns.find((candidate) => candidate.column === column)
    state[column] = {
      column,
      label: page?.label ?? BOARD_COLUMN_LABELS[column],
      total: page?.total ?? 0,
      cards: page ? [...page.cards].sort(compareCards) : [],
      nextCursor: page?.nextCursor ?? null,
    }
  }
  return state
}

/** Where a card is loaded: its column and index, or null. */
export function findCard(state: BoardState, cardId: string): { column: BoardColumn; index: number; card: Card } | null {
  for (const column of BOARD_COLUMNS) {
    const index = state[column].cards.findIndex((card) => card.id === cardId)
    if (index >= 0) return { column, index, card: state[column].cards[index]! }
  }
  return null
}

/** The next page of a column, appended after what is loaded (cards already there, moved in live, are not doubled). */
export function appendColumnPage(state: BoardState, page: ColumnPage): BoardState {
  const current = state[page.column]
  const loaded = new Set(BOARD_COLUMNS.flatMap((column) => state[column].cards.map((card) => card.id)))
  const fresh = page.cards.filter((card) => !loaded.has(card.id))
  if (fresh.length === 0 && current.nextCursor === page.nextCursor && current.total === page.total) return state
  return {
    ...state,
    [page.column]: { ...current, total: page.total, cards: [...current.cards, ...fresh].sort(compareCards), nextCursor: page.nextCursor },
  }
}

/**
 * The board after the loader ran again (after a save elsewhere, a reconnect, a refused move): each column's
 * first page is the truth; cards paged in beyond it stay (unless the fresh data shows them elsewhere), so
 * "Show more" is not undone by a refresh.
 */
export function mergeReloadedBoard(previous: BoardState, columns: readonly ColumnPage[]): BoardState {
  const fresh = boardStateFrom(columns)
  const freshIds = new Set(BOARD_COLUMNS.flatMap((column) => fresh[column].cards.map((card) => card.id)))
  const merged = {} as BoardState
  for (const column of BOARD_COLUMNS) {
    const before = previous[column]
    const now = fresh[column]
    const last = now.cards.at(-1)
    // Cards beyond the fresh first page can only be ones "Show more" (or a live event) brought in before.
    const pagedIn =
      now.nextCursor !== null && last !== undefined && before.cards.length > now.cards.length
        ? before.cards.filter((card) => !freshIds.has(card.id) && compareCards(card, last) > 0)
        : []
    merged[column] = pagedIn.length > 0 ? { ...now, cards: [...now.cards, ...pagedIn], nextCursor: before.nextCursor } : now
  }
  return merged
}

/** Whether a card sorts within the loaded part of a column (or the column is fully loaded). */
function withinLoaded(column: ColumnState, card: Card): boolean {
  if (column.nextCursor === null) return true
  const last = column.cards.at(-1)
  return last !== undefined && compareCards(card, last) <= 0
}

function withoutCard(column: ColumnState, cardId: string): ColumnState {
  return { ...column, cards: column.cards.filter((card) => card.id !== cardId) }
}

/**
 * Puts `card` where it belongs (its column, by position then id), replacing the copy loaded elsewhere.
 * Totals follow for what is known: a card leaving a loaded column, or arriving anywhere. A card beyond the
 * loaded part of a paged column is not shown (it comes with "Show more").
 */
export function upsertCard(state: BoardState, card: Card): BoardState {
  const existing = findCard(state, card.id)
  const next: BoardState = { ...state }
  if (existing) {
    next[existing.column] = withoutCard(next[existing.column], card.id)
    if (existing.column !== card.column) next[existing.column].total = Math.max(0, next[existing.column].total - 1)
  }
  const target = next[card.column]
  const arrives = !existing || existing.column !== card.column
  const shown = withinLoaded(target, card)
  // An unknown card beyond the loaded part may have been there all along: leave that total alone.
  const total = arrives && (existing || shown) ? target.total + 1 : target.total
  next[card.column] = { ...target, total, cards: shown ? [...target.cards, card].sort(compareCards) : target.cards }
  return next
}

export function removeCard(state: BoardState, cardId: string): BoardState {
  const existing = findCard(state, cardId)
  if (!existing) return state
  const column = withoutCard(state[existing.column], cardId)
  return { ...state, [existing.column]: { ...column, total: Math.max(0, column.total - 1) } }
}

/**
 * A live event from the API applied to the board. Events older than what is shown (a lower version than the
 * loaded card, e.g. the echo of a move that was overtaken) are ignored; a card that no longer passes the
 * board's filters leaves it.
 */
export function applyBoardEvent(state: BoardState, event: BoardEvent, shows: (card: Card) => boolean = () => true): BoardState {
  if (event.type === 'card.removed' || event.card === null) return removeCard(state, event.cardId)
  const incoming = event.card
  const existing = findCard(state, incoming.id)
  if (existing && existing.card.version > incoming.version) return state
  if (!shows(incoming)) return removeCard(state, incoming.id)
  return upsertCard(state, incoming)
}

/** Whether a card passes the board's filters (the API filters too; this catches a card edited out of them). */
export function cardMatches(card: Card, filters: BoardFilters, ownCreatorId: string | null): boolean {
  if (filters.platform && card.platform !== filters.platform) return false
  if (filters.assigneeCreatorId && card.assignee?.creatorId !== filters.assigneeCreatorId) return false
  if (ownCreatorId !== null && card.assignee?.creatorId !== ownCreatorId) return false
  return true
}

// ---------------------------------------------------------------------------------------------------------
// Dropping a card

export interface DropNeighbours {
  /** The card directly above the drop point; null at the top of the column. */
  afterCardId: string | null
  /** The card directly below; null at the bottom of what is loaded. */
  beforeCardId: string | null
}

/** The neighbours of a drop at `index` of a column's cards (the moved card itself not among them). */
export function dropNeighbours(columnCards: readonly Pick<Card, 'id'>[], index: number): DropNeighbours {
  const at = Math.max(0, Math.min(index, columnCards.length))
  return { afterCardId: columnCards[at - 1]?.id ?? null, beforeCardId: columnCards[at]?.id ?? null }
}

/**
 * Where in the target column (its cards without the moved one) a dragged card lands. Within its own column the
 * card takes the place of the card it is over (the list shifts around it as it is dragged); in another column
 * it goes above or below the card it is over, by which half the pointer is in; over the column itself (its
 * empty space), at the end.
 */
export function dropIndex(input: { sameColumn: boolean; overIndex: number | null; targetLength: number; pointerBelowCentre: boolean }): number {
  if (input.overIndex === null || input.overIndex < 0) return input.targetLength
  if (input.sameColumn) return Math.min(input.overIndex, input.targetLength)
  return Math.min(input.overIndex + (input.pointerBelowCentre ? 1 : 0), input.targetLength)
}

export interface PlannedMove {
  cardId: string
  from: BoardColumn
  to: BoardColumn
  /** Where in `to`, among its cards without the moved one. */
  index: number
  /** The card as it was, to put back if the API refuses. */
  original: Card
  neighbours: DropNeighbours
  /** The board with the card already in its new place. */
  state: BoardState
}

/**
 * The optimistic board for dropping `cardId` at `index` of column `to` (index among the column's cards without
 * the moved one), and the neighbours to send to the API. null when the card is not loaded or nothing changes.
 * The card gets a provisional position between its new neighbours, so live events keep sorting it right
 * until the API's answer brings the real one.
 */
export function planMove(state: BoardState, cardId: string, to: BoardColumn, index: number): PlannedMove | null {
  const found = findCard(state, cardId)
  if (!found) return null
  const from = found.column
  const targetCards = state[to].cards.filter((card) => card.id !== cardId)
  const at = Math.max(0, Math.min(index, targetCards.length))
  if (from === to && at === found.index) return null
  const neighbours = dropNeighbours(targetCards, at)
  const above = targetCards[at - 1]?.position ?? null
  const below = targetCards[at]?.position ?? null
  const moved: Card = { ...found.card, column: to, position: provisionalPosition(above, below) }
  const cards = [...targetCards.slice(0, at), moved, ...targetCards.slice(at)]
  const next: BoardState = { ...state }
  if (from !== to) {
    next[from] = { ...withoutCard(state[from], cardId), total: Math.max(0, state[from].total - 1) }
    next[to] = { ...state[to], cards, total: state[to].total + 1 }
  } else {
    next[to] = { ...state[to], cards }
  }
  return { cardId, from, to, index: at, original: found.card, neighbours, state: next }
}

function provisionalPosition(above: string | null, below: string | null): string {
  try {
    return positionBetween(above, below)
  } catch {
    // Two neighbours with the same key (a tie the server resolves): sit with the upper one until it answers.
    return above ?? below ?? 'a0'
  }
}

/** Columns a card may be dropped on while dragging: where it may move, plus its own column when reordering is allowed. */
export function dropTargets(card: Pick<Card, 'column' | 'allowedTargets'>, mayReorder: boolean): Set<BoardColumn> {
  const targets = new Set<BoardColumn>(card.allowedTargets)
  if (mayReorder) targets.add(card.column)
  return targets
}

/** `card` in its place unless a newer version of it is already shown (answers and events can cross). */
export function applyCard(state: BoardState, card: Card): BoardState {
  const existing = findCard(state, card.id)
  if (existing && existing.card.version > card.version) return state
  return upsertCard(state, card)
}

export type BoardAction =
  /** The loader ran again. */
  | { type: 'reloaded'; columns: readonly ColumnPage[] }
  /** "Show more" brought a column's next page. */
  | { type: 'paged'; page: ColumnPage }
  /** Someone changed a card (server-sent event). */
  | { type: 'event'; event: BoardEvent; shows: (card: Card) => boolean }
  /** A card was dropped: shown in its new place before the API answers. */
  | { type: 'dropped'; move: PlannedMove }
  /** The API saved a move (or another change) and answered with the card. */
  | { type: 'saved'; card: Card }
  /** The API refused a move: the card goes back. */
  | { type: 'refused'; original: Card }

export function boardReducer(state: BoardState, action: BoardAction): BoardState {
  switch (action.type) {
    case 'reloaded':
      return mergeReloadedBoard(state, action.columns)
    case 'paged':
      return appendColumnPage(state, action.page)
    case 'event':
      return applyBoardEvent(state, action.event, action.shows)
    case 'dropped':
      // Planned again on the newest state, so an event that arrived in the same moment is not overwritten.
      return planMove(state, action.move.cardId, action.move.to, action.move.index)?.state ?? state
    case 'saved':
      return applyCard(state, action.card)
    case 'refused':
      return applyCard(state, action.original)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading what the API said

export interface ImportErrorRow {
  /** The row number as the API reports it; null for a problem with the file as a whole. */
  row: number | null
  column: string | null
  message: string
}

/** A CSV_INVALID report's details (`/rows/3/platform`) as table rows, in row then column order. */
export function importErrorRows(details: readonly { path: string; message: string }[]): ImportErrorRow[] {
  return details
    .map(({ path, message }) => {
      const match = /^\/rows\/(\d+)(?:\/(.+))?$/.exec(path)
      return match ? { row: Number(match[1]), column: match[2] ? decodeURIComponent(match[2]) : null, message } : { row: null, column: null, message }
    })
    .sort((a, b) => (a.row ?? -1) - (b.row ?? -1) || (a.column ?? '').localeCompare(b.column ?? ''))
}

/** What the board's CSV import answered, as the page shows it. */
export type ImportResult =
  | { intent: 'import-csv'; ok: true; report: ImportReport }
  | { intent: 'import-csv'; ok: false; message: string; rows: ImportErrorRow[] }

export type CardIntent = 'update' | 'caption' | 'comment' | 'move' | 'upload-draft' | 'decide'

/** The values of the card's edit form, as typed. */
export interface CardEditValues {
  title: string
  description: string
  assigneeCreatorId: string
  /** A calendar day ("2027-03-05") or empty. */
  due: string
}

/** What a form in the card drawer answered. What was typed comes back with a refusal, so it is not lost. */
export type CardActionResult =
  | { intent: CardIntent; ok: true; notice: string }
  | { intent: 'update'; ok: false; error: string; values: CardEditValues }
  | { intent: 'caption'; ok: false; error: string; text: string }
  | { intent: 'comment'; ok: false; error: string; text: string }
  | { intent: 'move'; ok: false; error: string }
  | { intent: 'upload-draft'; ok: false; error: string }
  | { intent: 'decide'; ok: false; error: string; comment: string }

/** The web app's address for an asset file the API names by its own path (/api/assets/<id>/thumbnail). */
export function webAssetUrl(apiPath: string | null): string | null {
  if (apiPath === null) return null
  const match = /^\/api\/assets\/([0-9a-fA-F-]{36})\/(content|thumbnail)$/.exec(apiPath)
  return match ? `/assets/${match[1]}/${match[2]}` : null
}

// ---------------------------------------------------------------------------------------------------------
// Comments

export type MentionPiece = { text: string; mention: false } | { text: string; mention: true; handle: string }

/** A comment split into text and @mentions of the given handles (case-insensitive), for highlighting. */
export function splitMentions(text: string, handles: readonly string[]): MentionPiece[] {
  const known = new Set(handles.map((handle) => handle.toLowerCase()))
  const pieces: MentionPiece[] = []
  let last = 0
  for (const { handle, start, end } of mentionTokens(text)) {
    if (!known.has(handle.toLowerCase())) continue
    if (start > last) pieces.push({ text: text.slice(last, start), mention: false })
    pieces.push({ text: text.slice(start, end), mention: true, handle: handle.toLowerCase() })
    last = end
  }
  if (last < text.length) pieces.push({ text: text.slice(last), mention: false })
  return pieces
}

const MOVE_ACTION_LABELS: Record<BoardColumn, string> = {
  Backlog: 'Back to Backlog',
  In_Progress: 'Start work',
  Submitted_By_Creator: 'Submit for review',
  Needs_Changes: 'Request changes',
  Approved: 'Approve',
  Scheduled: 'Schedule',
  Published: 'Mark published',
}

/** How a move button in the card's drawer reads, by where the card is and where it goes. */
export function moveActionLabel(from: BoardColumn, to: BoardColumn): string {
  if (from === 'Needs_Changes' && to === 'Submitted_By_Creator') return 'Resubmit for review'
  if (from === 'Needs_Changes' && to === 'In_Progress') return 'Work on the changes'
  if (from === 'Approved' && to === 'Needs_Changes') return 'Withdraw approval'
  return MOVE_ACTION_LABELS[to]
}
