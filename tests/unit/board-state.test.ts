// The board as the browser holds it (web/app/lib/board.ts): order, drops and their neighbours, live events,
// pages and reloads, and what the API's answers turn into on screen.
import { describe, expect, it } from 'vitest'
import { BOARD_COLUMNS, comparePositions, type BoardColumn } from '../../domain/content-board.ts'
import {
  applyBoardEvent,
  boardApiQuery,
  boardApiQueryFromSearch,
  boardReducer,
  boardStateFrom,
  cardMatches,
  dropIndex,
  dropNeighbours,
  dropTargets,
  importErrorRows,
  mergeReloadedBoard,
  moveActionLabel,
  planMove,
  readBoardFilters,
  splitMentions,
  webAssetUrl,
  type BoardEvent,
  type BoardState,
  type Card,
  type ColumnPage,
} from '../../web/app/lib/board.ts'

let sequence = 0
function card(column: BoardColumn, position: string, overrides: Partial<Card> = {}): Card {
  sequence += 1
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    campaignId: '10000000-0000-4000-8000-000000000001',
    campaignName: 'Spring',
    workspaceId: '20000000-0000-4000-8000-000000000001',
    title: `Card ${sequence}`,
    platform: 'instagram',
    kind: 'reel',
    column,
    position,
    version: 1,
    assignee: null,
    dueDate: null,
    dueAt: null,
    captionPreview: null,
    captionVersion: 0,
    commentCount: 0,
    assetCount: 0,
    thumbnailUrl: null,
    allowedTargets: [],
    updatedAt: '2027-01-01T00:00:00.000Z',
    ...overrides,
  }
}

function page(column: BoardColumn, cards: Card[], extra: Partial<ColumnPage> = {}): ColumnPage {
  return { column, label: column, total: cards.length, cards, nextCursor: null, ...extra }
}

function board(pages: ColumnPage[]): BoardState {
  return boardStateFrom(pages)
}

const ids = (state: BoardState, column: BoardColumn) => state[column].cards.map((c) => c.id)
const upserted = (c: Card): BoardEvent => ({ type: 'card.upserted', cardId: c.id, card: c, by: null, at: '2027-01-01T00:00:00.000Z' })

describe('boardStateFrom', () => {
  it('has every column, in board order by position then id, whatever order the API sent', () => {
    const a = card('Backlog', 'a1')
    const b = card('Backlog', 'a0')
    const tieLow = card('Backlog', 'a2', { id: '00000000-0000-4000-8000-aaaaaaaaaaaa' })
    const tieHigh = card('Backlog', 'a2', { id: '00000000-0000-4000-8000-bbbbbbbbbbbb' })
    const state = board([page('Backlog', [tieHigh, a, tieLow, b])])
    expect(Object.keys(state)).toEqual([...BOARD_COLUMNS])
    expect(ids(state, 'Backlog')).toEqual([b.id, a.id, tieLow.id, tieHigh.id])
    expect(state.Approved).toMatchObject({ total: 0, cards: [], nextCursor: null })
  })

  it('sorts positions by byte, as PostgreSQL does with COLLATE "C" ("Zz" before "a0")', () => {
    const upper = card('Backlog', 'Zz')
    const lower = card('Backlog', 'a0')
    expect(ids(board([page('Backlog', [lower, upper])]), 'Backlog')).toEqual([upper.id, lower.id])
  })
})

describe('dropNeighbours and dropIndex', () => {
  const cards = [{ id: 'x' }, { id: 'y' }, { id: 'z' }]

  it('names the card above and below the drop point', () => {
    expect(dropNeighbours(cards, 0)).toEqual({ afterCardId: null, beforeCardId: 'x' })
    expect(dropNeighbours(cards, 1)).toEqual({ afterCardId: 'x', beforeCardId: 'y' })
    expect(dropNeighbours(cards, 3)).toEqual({ afterCardId: 'z', beforeCardId: null })
    expect(dropNeighbours([], 0)).toEqual({ afterCardId: null, beforeCardId: null })
    expect(dropNeighbours(cards, 99)).toEqual({ afterCardId: 'z', beforeCardId: null })
  })

  it('within a column takes the place of the card it is over; across columns goes above or below it', () => {
    expect(dropIndex({ sameColumn: true, overIndex: 2, targetLength: 3, pointerBelowCentre: true })).toBe(2)
    expect(dropIndex({ sameColumn: false, overIndex: 1, targetLength: 3, pointerBelowCentre: false })).toBe(1)
    expect(dropIndex({ sameColumn: false, overIndex: 1, targetLength: 3, pointerBelowCentre: true })).toBe(2)
    expect(dropIndex({ sameColumn: false, overIndex: null, targetLength: 3, pointerBelowCentre: false })).toBe(3)
  })

  it('only the allowed targets, plus the own column when reordering is allowed, take a drop', () => {
    const c = card('Backlog', 'a0', { allowedTargets: ['In_Progress'] })
    expect([...dropTargets(c, true)].sort()).toEqual(['Backlog', 'In_Progress'])
    expect([...dropTargets(c, false)]).toEqual(['In_Progress'])
  })
})

describe('planMove', () => {
  it('moves a card across columns at once, with totals, neighbours and a provisional position between them', () => {
    const a = card('Backlog', 'a0')
    const b = card('Backlog', 'a1')
    const x = card('In_Progress', 'a0')
    const y = card('In_Progress', 'a1')
    const state = board([page('Backlog', [a, b]), page('In_Progress', [x, y])])
    const move = planMove(state, a.id, 'In_Progress', 1)!
    expect(move.neighbours).toEqual({ afterCardId: x.id, beforeCardId: y.id })
    expect(ids(move.state, 'In_Progress')).toEqual([x.id, a.id, y.id])
    expect(ids(move.state, 'Backlog')).toEqual([b.id])
    expect([move.state.Backlog.total, move.state.In_Progress.total]).toEqual([1, 3])
    const placed = move.state.In_Progress.cards[1]!
    expect(placed.column).toBe('In_Progress')
    expect(comparePositions(x.position, placed.position)).toBe(-1)
    expect(comparePositions(placed.position, y.position)).toBe(-1)
    // The original is kept to put back.
    expect(move.original).toBe(a)
    // The state passed in is left alone.
    expect(ids(state, 'Backlog')).toEqual([a.id, b.id])
  })

  it('reorders within a column (to the bottom) and does nothing for a drop where the card already is', () => {
    const a = card('Backlog', 'a0')
    const b = card('Backlog', 'a1')
    const c = card('Backlog', 'a2')
    const state = board([page('Backlog', [a, b, c])])
    const move = planMove(state, a.id, 'Backlog', 2)!
    expect(ids(move.state, 'Backlog')).toEqual([b.id, c.id, a.id])
    expect(move.neighbours).toEqual({ afterCardId: c.id, beforeCardId: null })
    expect(move.state.Backlog.total).toBe(3)
    expect(planMove(state, b.id, 'Backlog', 1)).toBeNull()
    expect(planMove(state, 'not-loaded', 'Backlog', 0)).toBeNull()
  })

  it('drops into an empty column with no neighbours', () => {
    const a = card('Backlog', 'a0')
    const move = planMove(board([page('Backlog', [a])]), a.id, 'In_Progress', 0)!
    expect(move.neighbours).toEqual({ afterCardId: null, beforeCardId: null })
    expect(ids(move.state, 'In_Progress')).toEqual([a.id])
  })
})

describe('boardReducer: answers to a move', () => {
  const a = card('Backlog', 'a0', { allowedTargets: ['In_Progress'] })
  const start = board([page('Backlog', [a])])
  const move = planMove(start, a.id, 'In_Progress', 0)!

  it('a saved move takes the card the API answered (new version and position)', () => {
    const dropped = boardReducer(start, { type: 'dropped', move })
    const saved = { ...a, column: 'In_Progress' as const, position: 'a5', version: 2 }
    const state = boardReducer(dropped, { type: 'saved', card: saved })
    expect(state.In_Progress.cards).toEqual([saved])
    expect(state.Backlog.cards).toEqual([])
  })

  it('a refused move puts the card back where it was, with the totals', () => {
    const dropped = boardReducer(start, { type: 'dropped', move })
    const state = boardReducer(dropped, { type: 'refused', original: move.original })
    expect(ids(state, 'Backlog')).toEqual([a.id])
    expect(state.In_Progress.cards).toEqual([])
    expect([state.Backlog.total, state.In_Progress.total]).toEqual([1, 0])
  })

  it('does not put back an older copy over a newer one that arrived live meanwhile', () => {
    const dropped = boardReducer(start, { type: 'dropped', move })
    const elsewhere = { ...a, column: 'Backlog' as const, position: 'a0', title: 'Renamed', version: 2 }
    const live = boardReducer(dropped, { type: 'event', event: upserted(elsewhere), shows: () => true })
    const state = boardReducer(live, { type: 'refused', original: move.original })
    expect(state.Backlog.cards).toEqual([elsewhere])
  })
})

describe('applyBoardEvent', () => {
  it('moves a card to its new column in position order and adjusts both totals', () => {
    const a = card('Backlog', 'a0')
    const x = card('In_Progress', 'a0')
    const y = card('In_Progress', 'a2')
    const state = board([page('Backlog', [a]), page('In_Progress', [x, y])])
    const next = applyBoardEvent(state, upserted({ ...a, column: 'In_Progress', position: 'a1', version: 2 }))
    expect(ids(next, 'In_Progress')).toEqual([x.id, a.id, y.id])
    expect([next.Backlog.total, next.In_Progress.total]).toEqual([0, 3])
  })

  it('updates a card in place, inserts a new one, and removes one', () => {
    const a = card('Backlog', 'a0')
    const state = board([page('Backlog', [a])])
    const renamed = applyBoardEvent(state, upserted({ ...a, title: 'New title', version: 2 }))
    expect(renamed.Backlog.cards[0]!.title).toBe('New title')
    expect(renamed.Backlog.total).toBe(1)

    const added = card('Backlog', 'a1')
    const withNew = applyBoardEvent(renamed, upserted(added))
    expect(ids(withNew, 'Backlog')).toEqual([a.id, added.id])
    expect(withNew.Backlog.total).toBe(2)

    const removed = applyBoardEvent(withNew, { type: 'card.removed', cardId: a.id, card: null, by: null, at: '2027-01-01T00:00:00.000Z' })
    expect(ids(removed, 'Backlog')).toEqual([added.id])
    expect(removed.Backlog.total).toBe(1)
    // Removing a card that is not loaded changes nothing.
    expect(applyBoardEvent(removed, { type: 'card.removed', cardId: 'gone', card: null, by: null, at: '2027-01-01T00:00:00.000Z' })).toBe(removed)
  })

  it('ignores an event older than the card shown', () => {
    const a = card('Backlog', 'a0', { version: 3 })
    const state = board([page('Backlog', [a])])
    expect(applyBoardEvent(state, upserted({ ...a, column: 'In_Progress', version: 2 }))).toBe(state)
  })

  it('drops a card that no longer passes the board filters', () => {
    const a = card('Backlog', 'a0')
    const state = board([page('Backlog', [a])])
    const next = applyBoardEvent(state, upserted({ ...a, platform: 'tiktok', version: 2 }), (c) => cardMatches(c, { platform: 'instagram', assigneeCreatorId: null }, null))
    expect(next.Backlog.cards).toEqual([])
    expect(next.Backlog.total).toBe(0)
  })

  it('keeps a card beyond the loaded part of a paged column out of view (it comes with "Show more")', () => {
    const a = card('Backlog', 'a0')
    const state = board([page('Backlog', [a], { total: 80, nextCursor: 'cursor-1' })])
    const late = card('Backlog', 'a9')
    const next = applyBoardEvent(state, upserted(late))
    expect(ids(next, 'Backlog')).toEqual([a.id])
    const early = card('Backlog', 'Zz')
    expect(ids(applyBoardEvent(state, upserted(early)), 'Backlog')).toEqual([early.id, a.id])
  })
})

describe('paging and reloading', () => {
  it('appends a page without doubling a card that arrived live, and takes its cursor', () => {
    const a = card('Approved', 'a0')
    const b = card('Approved', 'a1')
    const c = card('Approved', 'a2')
    const state = board([page('Approved', [a], { total: 3, nextCursor: 'p2' })])
    const next = boardReducer(state, { type: 'paged', page: page('Approved', [b, c], { total: 3, nextCursor: null }) })
    expect(ids(next, 'Approved')).toEqual([a.id, b.id, c.id])
    expect(next.Approved.nextCursor).toBeNull()
    // The same page again changes nothing.
    expect(boardReducer(next, { type: 'paged', page: page('Approved', [b, c], { total: 3, nextCursor: null }) })).toBe(next)
  })

  it('a reload keeps the cards paged in beyond the fresh first page, and their cursor', () => {
    const a = card('Approved', 'a0')
    const b = card('Approved', 'a1')
    const paged = boardReducer(board([page('Approved', [a], { total: 3, nextCursor: 'p2' })]), {
      type: 'paged',
      page: page('Approved', [b], { total: 3, nextCursor: 'p3' }),
    })
    const reloaded = mergeReloadedBoard(paged, [page('Approved', [a], { total: 3, nextCursor: 'p2-fresh' })])
    expect(ids(reloaded, 'Approved')).toEqual([a.id, b.id])
    expect(reloaded.Approved.nextCursor).toBe('p3')
    // A card the fresh data shows in another column is not kept twice.
    const movedB = { ...b, column: 'Needs_Changes' as const }
    const reloadedMoved = mergeReloadedBoard(paged, [page('Approved', [a], { total: 2, nextCursor: 'p2-fresh' }), page('Needs_Changes', [movedB])])
    expect(ids(reloadedMoved, 'Approved')).toEqual([a.id])
    expect(ids(reloadedMoved, 'Needs_Changes')).toEqual([b.id])
  })
})

describe('scope and filters', () => {
  it('reads known filters only and builds the API query from them', () => {
    const filters = readBoardFilters(new URLSearchParams('platform=tiktok&assignee=ABCDEF00-0000-4000-8000-000000000001&x=1'))
    expect(filters).toEqual({ platform: 'tiktok', assigneeCreatorId: 'abcdef00-0000-4000-8000-000000000001' })
    expect(readBoardFilters(new URLSearchParams('platform=myspace&assignee=nobody'))).toEqual({ platform: null, assigneeCreatorId: null })
    const query = boardApiQuery({ kind: 'campaign', id: '10000000-0000-4000-8000-000000000001' }, filters)
    expect(query.toString()).toBe('campaignId=10000000-0000-4000-8000-000000000001&platform=tiktok&assigneeCreatorId=abcdef00-0000-4000-8000-000000000001')
    expect(boardApiQuery({ kind: 'mine', id: null }, { platform: null, assigneeCreatorId: null }).toString()).toBe('')
  })

  it('passes only the scope keys of a proxied request on to the API', () => {
    const query = boardApiQueryFromSearch(new URLSearchParams('workspaceId=20000000-0000-4000-8000-000000000001&platform=facebook&cookie=x&limit=9999'))
    expect(query.toString()).toBe('workspaceId=20000000-0000-4000-8000-000000000001&platform=facebook')
    expect(boardApiQueryFromSearch(new URLSearchParams('campaignId=../../etc')).toString()).toBe('')
  })

  it("keeps a creator's own board to their cards", () => {
    const mine = card('Backlog', 'a0', { assignee: { creatorId: 'c-1', name: 'Maya' } })
    expect(cardMatches(mine, { platform: null, assigneeCreatorId: null }, 'c-1')).toBe(true)
    expect(cardMatches(mine, { platform: null, assigneeCreatorId: null }, 'c-2')).toBe(false)
    expect(cardMatches({ ...mine, assignee: null }, { platform: null, assigneeCreatorId: null }, 'c-1')).toBe(false)
  })
})

describe('what the API said, as shown', () => {
  it('turns a CSV report into table rows in row order', () => {
    expect(
      importErrorRows([
        { path: '/rows/7/platform', message: '"MySpace" is not a platform' },
        { path: '/rows/3/due%20date', message: '2020-01-01 is in the past' },
        { path: '/rows/3/title', message: 'is required' },
        { path: '/headers', message: 'the Title column is missing' },
      ]),
    ).toEqual([
      { row: null, column: null, message: 'the Title column is missing' },
      { row: 3, column: 'due date', message: '2020-01-01 is in the past' },
      { row: 3, column: 'title', message: 'is required' },
      { row: 7, column: 'platform', message: '"MySpace" is not a platform' },
    ])
  })

  it("maps the API's asset paths to the web app's, and nothing else", () => {
    expect(webAssetUrl('/api/assets/30000000-0000-4000-8000-000000000001/thumbnail')).toBe('/assets/30000000-0000-4000-8000-000000000001/thumbnail')
    expect(webAssetUrl('/api/assets/30000000-0000-4000-8000-000000000001/content')).toBe('/assets/30000000-0000-4000-8000-000000000001/content')
    expect(webAssetUrl('https://evil.example/x.png')).toBeNull()
    expect(webAssetUrl(null)).toBeNull()
  })

  it('highlights mentions of known handles only, not e-mail addresses or longer handles', () => {
    const pieces = splitMentions('Thanks @Dana.Demo. Ask @maya.chen, not @maya or mail dana@northwind.test', ['dana.demo', 'maya.chen'])
    expect(pieces.filter((piece) => piece.mention).map((piece) => piece.text)).toEqual(['@Dana.Demo', '@maya.chen'])
    expect(pieces.map((piece) => piece.text).join('')).toBe('Thanks @Dana.Demo. Ask @maya.chen, not @maya or mail dana@northwind.test')
  })

  it('labels drawer moves by where the card goes and comes from', () => {
    expect(moveActionLabel('In_Progress', 'Submitted_By_Creator')).toBe('Submit for review')
    expect(moveActionLabel('Needs_Changes', 'Submitted_By_Creator')).toBe('Resubmit for review')
    expect(moveActionLabel('Submitted_By_Creator', 'Approved')).toBe('Approve')
  })
})
