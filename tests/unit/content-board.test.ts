// The content board's rules (domain/content-board.ts): who may move a card where, ordering keys, version
// conflicts, @mentions and caption version numbers.
import { describe, expect, it } from 'vitest'
import {
  BOARD_COLUMNS,
  BOARD_COLUMN_LABELS,
  BOARD_TRANSITIONS,
  SYSTEM_ONLY_COLUMNS,
  allowedMoveTargets,
  checkCardMove,
  checkCardVersion,
  comparePositions,
  extractMentions,
  isBoardColumn,
  isBoardPosition,
  mentionHandle,
  nextCaptionVersion,
  positionBetween,
  positionsForAppend,
  type BoardActor,
  type BoardCard,
  type BoardColumn,
  type CardMoveRefusalCode,
} from '../../domain/content-board'
import { ROLES, type Role } from '../../domain/permissions'

// ---------------------------------------------------------------------------------------------------------
// Transitions

const ME = 'creator-me'
const OWN_CARD: BoardCard = { assigneeCreatorId: ME }
const OTHERS_CARD: BoardCard = { assigneeCreatorId: 'creator-other' }
const UNASSIGNED_CARD: BoardCard = { assigneeCreatorId: null }

// Every actor here has a creator profile, so "own card" is meaningful for every role (a member whose role
// changed from creator keeps their profile).
const userActor = (role: string, creatorId: string | null = ME): BoardActor => ({ kind: 'user', userId: `user-${role}`, role, creatorId })
const SYSTEM: BoardActor = { kind: 'system' }

type Outcome = 'ok' | CardMoveRefusalCode
const ROLE: Outcome = 'ROLE_CANNOT_MOVE'
const MINE: Outcome = 'NOT_YOUR_CARD'
const SELF: Outcome = 'SELF_APPROVAL'

// The moves people make between columns, written out by hand: [outcome on their own card, on someone else's].
type HumanMove =
  | 'Backlog>In_Progress'
  | 'In_Progress>Backlog'
  | 'In_Progress>Submitted_By_Creator'
  | 'Submitted_By_Creator>Approved'
  | 'Submitted_By_Creator>Needs_Changes'
  | 'Needs_Changes>In_Progress'
  | 'Needs_Changes>Submitted_By_Creator'
  | 'Approved>Needs_Changes'
type MovingRole = Exclude<Role, 'analyst'>
type Expectation = readonly [own: Outcome, others: Outcome]

const HUMAN_MOVES: Record<HumanMove, Record<MovingRole, Expectation>> = {
  'Backlog>In_Progress': {
    owner: ['ok', 'ok'], manager: ['ok', 'ok'], editor: ['ok', 'ok'], creator: ['ok', MINE], client_approver: [ROLE, ROLE],
  },
  'In_Progress>Backlog': {
    owner: ['ok', 'ok'], manager: ['ok', 'ok'], editor: ['ok', 'ok'], creator: [ROLE, ROLE], client_approver: [ROLE, ROLE],
  },
  'In_Progress>Submitted_By_Creator': {
    owner: [ROLE, ROLE], manager: [ROLE, ROLE], editor: [ROLE, ROLE], creator: ['ok', MINE], client_approver: [ROLE, ROLE],
  },
  'Submitted_By_Creator>Approved': {
    owner: [SELF, 'ok'], manager: [SELF, 'ok'], editor: [ROLE, ROLE], creator: [ROLE, ROLE], client_approver: [SELF, 'ok'],
  },
  'Submitted_By_Creator>Needs_Changes': {
    owner: [SELF, 'ok'], manager: [SELF, 'ok'], editor: [ROLE, ROLE], creator: [ROLE, ROLE], client_approver: [SELF, 'ok'],
  },
  'Needs_Changes>In_Progress': {
    owner: [ROLE, ROLE], manager: [ROLE, ROLE], editor: [ROLE, ROLE], creator: ['ok', MINE], client_approver: [ROLE, ROLE],
  },
  'Needs_Changes>Submitted_By_Creator': {
    owner: [ROLE, ROLE], manager: [ROLE, ROLE], editor: [ROLE, ROLE], creator: ['ok', MINE], client_approver: [ROLE, ROLE],
  },
  'Approved>Needs_Changes': {
    owner: [SELF, 'ok'], manager: [SELF, 'ok'], editor: [ROLE, ROLE], creator: [ROLE, ROLE], client_approver: [SELF, 'ok'],
  },
}

// Reordering within a column, by hand: [own card, someone else's card].
const SYS: Outcome = 'SYSTEM_ONLY_COLUMN'
const REORDERS: Record<BoardColumn, Record<MovingRole, Expectation>> = {
  Backlog: { owner: ['ok', 'ok'], manager: ['ok', 'ok'], editor: ['ok', 'ok'], creator: ['ok', MINE], client_approver: [ROLE, ROLE] },
  In_Progress: { owner: ['ok', 'ok'], manager: ['ok', 'ok'], editor: ['ok', 'ok'], creator: ['ok', MINE], client_approver: [ROLE, ROLE] },
  Submitted_By_Creator: { owner: [SELF, 'ok'], manager: [SELF, 'ok'], editor: [ROLE, ROLE], creator: ['ok', MINE], client_approver: [SELF, 'ok'] },
  Needs_Changes: { owner: [SELF, 'ok'], manager: [SELF, 'ok'], editor: [ROLE, ROLE], creator: ['ok', MINE], client_approver: [SELF, 'ok'] },
  Approved: { owner: [SELF, 'ok'], manager: [SELF, 'ok'], editor: [ROLE, ROLE], creator: [ROLE, ROLE], client_approver: [SELF, 'ok'] },
  Scheduled: { owner: [SYS, SYS], manager: [SYS, SYS], editor: [SYS, SYS], creator: [SYS, SYS], client_approver: [SYS, SYS] },
  Published: { owner: [SYS, SYS], manager: [SYS, SYS], editor: [SYS, SYS], creator: [SYS, SYS], client_approver: [SYS, SYS] },
}

const SYSTEM_MOVES = ['Approved>Scheduled', 'Scheduled>Published', 'Scheduled>Approved']
const SYSTEM_REORDERS: BoardColumn[] = ['Approved', 'Scheduled', 'Published']

const MOVING_ROLES = ROLES.filter((role): role is MovingRole => role !== 'analyst')
const touchesSystemColumn = (from: BoardColumn, to: BoardColumn) => ['Scheduled', 'Published'].includes(from) || ['Scheduled', 'Published'].includes(to)

function outcome(from: BoardColumn, to: BoardColumn, actor: BoardActor, card: BoardCard): Outcome {
  return checkCardMove({ from, to, actor, card })?.code ?? 'ok'
}

function crossColumnPairs(): [BoardColumn, BoardColumn][] {
  return BOARD_COLUMNS.flatMap((from) => BOARD_COLUMNS.filter((to) => to !== from).map((to): [BoardColumn, BoardColumn] => [from, to]))
}

describe('board columns', () => {
  it('lists the seven columns in board order, each with a label', () => {
    expect(BOARD_COLUMNS).toEqual(['Backlog', 'In_Progress', 'Submitted_By_Creator', 'Needs_Changes', 'Approved', 'Scheduled', 'Published'])
    expect(Object.keys(BOARD_COLUMN_LABELS)).toEqual([...BOARD_COLUMNS])
    expect(BOARD_COLUMN_LABELS.In_Progress).toBe('In progress')
    expect(BOARD_COLUMN_LABELS.Submitted_By_Creator).toBe('Submitted by creator')
    expect(BOARD_COLUMN_LABELS.Needs_Changes).toBe('Needs changes')
  })

  it('recognises column names exactly', () => {
    expect(isBoardColumn('Needs_Changes')).toBe(true)
    expect(isBoardColumn('needs_changes')).toBe(false)
    expect(isBoardColumn('Done')).toBe(false)
  })
})

describe('moving cards between columns, per role', () => {
  for (const role of MOVING_ROLES) {
    for (const [from, to] of crossColumnPairs()) {
      const key = `${from}>${to}`
      const listed = (HUMAN_MOVES as Record<string, Record<MovingRole, Expectation>>)[key]
      // Moves not in the hand-written list: people never make those involving system columns, and nobody makes the rest.
      const [own, others]: Expectation = listed
        ? listed[role]
        : touchesSystemColumn(from, to) ? [SYS, SYS] : ['TRANSITION_NOT_ALLOWED', 'TRANSITION_NOT_ALLOWED']
      it(`${role}: ${key} → own card ${own}, someone else's ${others}`, () => {
        expect(outcome(from, to, userActor(role), OWN_CARD)).toBe(own)
        expect(outcome(from, to, userActor(role), OTHERS_CARD)).toBe(others)
        // An unassigned card is nobody's: it behaves as someone else's card.
        expect(outcome(from, to, userActor(role), UNASSIGNED_CARD)).toBe(others)
      })
    }
  }

  it('analysts move nothing, not even into system columns', () => {
    for (const [from, to] of [...crossColumnPairs(), ...BOARD_COLUMNS.map((c): [BoardColumn, BoardColumn] => [c, c])]) {
      for (const card of [OWN_CARD, OTHERS_CARD]) {
        const refusal = checkCardMove({ from, to, actor: userActor('analyst'), card })
        expect(refusal?.code, `${from}>${to}`).toBe('ROLE_CANNOT_MOVE')
      }
    }
    expect(checkCardMove({ from: 'Backlog', to: 'In_Progress', actor: userActor('analyst'), card: OWN_CARD })?.message).toBe(
      'An analyst cannot move cards on the board.',
    )
  })

  it('a role nobody knows, or a user claiming to be the system, moves nothing', () => {
    for (const role of ['superuser', 'system', '']) {
      const refusal = checkCardMove({ from: 'Approved', to: 'Scheduled', actor: userActor(role), card: OWN_CARD })
      expect(refusal, role).toEqual({ code: 'ROLE_CANNOT_MOVE', message: 'Your role cannot move cards on the board.' })
    }
  })

  it('each human move is allowed to exactly the expected roles (summary)', () => {
    const whoMay = (from: BoardColumn, to: BoardColumn, card: BoardCard) =>
      ROLES.filter((role) => checkCardMove({ from, to, actor: userActor(role, null), card }) === null)
    // Members without a creator profile: only the managing roles start or park work, only reviewers review.
    expect(whoMay('Backlog', 'In_Progress', OTHERS_CARD)).toEqual(['owner', 'manager', 'editor'])
    expect(whoMay('In_Progress', 'Backlog', OTHERS_CARD)).toEqual(['owner', 'manager', 'editor'])
    expect(whoMay('Submitted_By_Creator', 'Approved', OTHERS_CARD)).toEqual(['owner', 'manager', 'client_approver'])
    expect(whoMay('Submitted_By_Creator', 'Needs_Changes', OTHERS_CARD)).toEqual(['owner', 'manager', 'client_approver'])
    expect(whoMay('In_Progress', 'Submitted_By_Creator', OTHERS_CARD)).toEqual([])
  })
})

describe('the own-card rule for creators', () => {
  const creator = userActor('creator')

  it('carries their own card through the whole creative loop', () => {
    const path: BoardColumn[] = ['Backlog', 'In_Progress', 'Submitted_By_Creator']
    for (let i = 1; i < path.length; i++) expect(checkCardMove({ from: path[i - 1]!, to: path[i]!, actor: creator, card: OWN_CARD })).toBeNull()
    // After feedback: back to work, or straight back for review.
    expect(checkCardMove({ from: 'Needs_Changes', to: 'In_Progress', actor: creator, card: OWN_CARD })).toBeNull()
    expect(checkCardMove({ from: 'Needs_Changes', to: 'Submitted_By_Creator', actor: creator, card: OWN_CARD })).toBeNull()
  })

  it('refuses another creator’s card with NOT_YOUR_CARD and says who may move it', () => {
    expect(checkCardMove({ from: 'In_Progress', to: 'Submitted_By_Creator', actor: creator, card: OTHERS_CARD })).toEqual({
      code: 'NOT_YOUR_CARD',
      message: 'Only the creator assigned to this card can move it from In progress to Submitted by creator.',
    })
  })

  it('a creator without a linked profile owns no card, not even an unassigned one', () => {
    const unlinked = userActor('creator', null)
    expect(checkCardMove({ from: 'Backlog', to: 'In_Progress', actor: unlinked, card: UNASSIGNED_CARD })?.code).toBe('NOT_YOUR_CARD')
    const undefinedProfile: BoardActor = { kind: 'user', userId: 'u1', role: 'creator' }
    expect(checkCardMove({ from: 'Backlog', to: 'In_Progress', actor: undefinedProfile, card: UNASSIGNED_CARD })?.code).toBe('NOT_YOUR_CARD')
  })

  it('creating a card does not make it yours, nor bar you from reviewing it', () => {
    const createdByCreator: BoardCard = { assigneeCreatorId: 'creator-other', createdById: 'user-creator' }
    expect(checkCardMove({ from: 'Backlog', to: 'In_Progress', actor: userActor('creator'), card: createdByCreator })?.code).toBe('NOT_YOUR_CARD')
    const createdByOwner: BoardCard = { assigneeCreatorId: 'creator-other', createdById: 'user-owner' }
    expect(checkCardMove({ from: 'Submitted_By_Creator', to: 'Approved', actor: userActor('owner', null), card: createdByOwner })).toBeNull()
  })

  it('cannot approve or send back even their own card', () => {
    for (const to of ['Approved', 'Needs_Changes'] as const) {
      expect(checkCardMove({ from: 'Submitted_By_Creator', to, actor: creator, card: OWN_CARD })?.code).toBe('ROLE_CANNOT_MOVE')
    }
  })
})

describe('self-approval', () => {
  it('no reviewer approves, sends back or un-approves a card assigned to their own creator profile', () => {
    for (const role of ['owner', 'manager', 'client_approver'] as const) {
      for (const [from, to] of [['Submitted_By_Creator', 'Approved'], ['Submitted_By_Creator', 'Needs_Changes'], ['Approved', 'Needs_Changes']] as const) {
        expect(checkCardMove({ from, to, actor: userActor(role), card: OWN_CARD }), `${role} ${from}>${to}`).toEqual({
          code: 'SELF_APPROVAL',
          message: 'You cannot review your own work: someone else has to approve it or ask for changes.',
        })
        expect(checkCardMove({ from, to, actor: userActor(role), card: OTHERS_CARD }), `${role} ${from}>${to}`).toBeNull()
      }
    }
  })

  it('owners keep their managing moves on their own card (only reviewing is refused)', () => {
    expect(checkCardMove({ from: 'Backlog', to: 'In_Progress', actor: userActor('owner'), card: OWN_CARD })).toBeNull()
  })
})

describe('system-only columns', () => {
  it('are Scheduled and Published, and the transition table gives people no move into, out of or within them', () => {
    expect(SYSTEM_ONLY_COLUMNS).toEqual(['Scheduled', 'Published'])
    for (const rule of BOARD_TRANSITIONS) {
      const touches = touchesSystemColumn(rule.from, rule.to)
      for (const role of ROLES) {
        if (touches) expect(rule.grants[role], `${role} ${rule.from}>${rule.to}`).toBe('-')
      }
      // The system, conversely, only moves cards around the publishing end of the board.
      if (!touches) expect(rule.grants.system, `system ${rule.from}>${rule.to}`).toBe('-')
    }
  })

  it('the system schedules approved cards, publishes scheduled ones and takes cancelled ones back', () => {
    for (const [from, to] of crossColumnPairs()) {
      const expected = SYSTEM_MOVES.includes(`${from}>${to}`) ? 'ok' : 'TRANSITION_NOT_ALLOWED'
      expect(outcome(from, to, SYSTEM, UNASSIGNED_CARD), `${from}>${to}`).toBe(expected)
    }
  })

  it('the system reorders only the columns it moves cards through', () => {
    for (const column of BOARD_COLUMNS) {
      const expected = SYSTEM_REORDERS.includes(column) ? 'ok' : 'TRANSITION_NOT_ALLOWED'
      expect(outcome(column, column, SYSTEM, OTHERS_CARD), column).toBe(expected)
    }
  })

  it('explains how a card really gets in or out', () => {
    const owner = userActor('owner', null)
    const message = (from: BoardColumn, to: BoardColumn) => checkCardMove({ from, to, actor: owner, card: OTHERS_CARD })?.message
    expect(message('Approved', 'Scheduled')).toMatch(/schedule the approved card/)
    expect(message('Scheduled', 'Approved')).toMatch(/cancel the schedule/)
    expect(message('Scheduled', 'Published')).toMatch(/when their post goes live/)
    expect(message('Backlog', 'Published')).toMatch(/when their post goes live/)
  })
})

describe('reordering within a column', () => {
  for (const column of BOARD_COLUMNS) {
    for (const role of MOVING_ROLES) {
      const [own, others] = REORDERS[column][role]
      it(`${role} in ${column}: own card ${own}, someone else's ${others}`, () => {
        expect(outcome(column, column, userActor(role), OWN_CARD)).toBe(own)
        expect(outcome(column, column, userActor(role), OTHERS_CARD)).toBe(others)
      })
    }
  }

  it('refusals name the column', () => {
    expect(checkCardMove({ from: 'Approved', to: 'Approved', actor: userActor('editor', null), card: OTHERS_CARD })?.message).toBe(
      'An editor cannot reorder cards in Approved.',
    )
    expect(checkCardMove({ from: 'Backlog', to: 'Backlog', actor: userActor('creator'), card: OTHERS_CARD })?.message).toBe(
      'Only the creator assigned to this card can reorder it.',
    )
  })
})

describe('refusal messages and drop targets', () => {
  it('a move nobody makes says where the card can go instead', () => {
    expect(checkCardMove({ from: 'Backlog', to: 'Approved', actor: userActor('owner', null), card: OTHERS_CARD })).toEqual({
      code: 'TRANSITION_NOT_ALLOWED',
      message: 'A card cannot move from Backlog to Approved. From Backlog a card can move to In progress.',
    })
    expect(checkCardMove({ from: 'Backlog', to: 'Approved', actor: SYSTEM, card: OTHERS_CARD })?.message).toBe(
      'The system does not move cards from Backlog to Approved.',
    )
  })

  it('a role refused a real move is named', () => {
    expect(checkCardMove({ from: 'Backlog', to: 'In_Progress', actor: userActor('client_approver', null), card: OTHERS_CARD })?.message).toBe(
      'A client approver cannot move cards from Backlog to In progress.',
    )
  })

  it('allowedMoveTargets lists exactly the columns checkCardMove allows, in board order', () => {
    expect(allowedMoveTargets({ from: 'Needs_Changes', actor: userActor('creator'), card: OWN_CARD })).toEqual(['In_Progress', 'Submitted_By_Creator'])
    expect(allowedMoveTargets({ from: 'Needs_Changes', actor: userActor('creator'), card: OTHERS_CARD })).toEqual([])
    expect(allowedMoveTargets({ from: 'Submitted_By_Creator', actor: userActor('client_approver', null), card: OTHERS_CARD })).toEqual(['Needs_Changes', 'Approved'])
    expect(allowedMoveTargets({ from: 'Scheduled', actor: SYSTEM, card: OTHERS_CARD })).toEqual(['Approved', 'Published'])
    expect(allowedMoveTargets({ from: 'Published', actor: SYSTEM, card: OTHERS_CARD })).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------------------
// Ordering

/** PostgreSQL COLLATE "C" order: by byte, which for ASCII is by char code. Written independently of the module. */
function byCharCodes(a: string, b: string): number {
  const shared = Math.min(a.length, b.length)
  for (let i = 0; i < shared; i++) {
    const difference = a.charCodeAt(i) - b.charCodeAt(i)
    if (difference !== 0) return difference
  }
  return a.length - b.length
}

function expectStrictlyOrdered(keys: string[]): void {
  for (const key of keys) expect(key, 'plain ASCII base-62').toMatch(/^[0-9A-Za-z]+$/)
  for (let i = 1; i < keys.length; i++) {
    const [previous, next] = [keys[i - 1]!, keys[i]!]
    expect(previous < next, `${previous} < ${next} (JavaScript)`).toBe(true)
    expect(byCharCodes(previous, next), `${previous} < ${next} (byte order)`).toBeLessThan(0)
  }
  expect([...keys].sort()).toEqual(keys)
  expect([...keys].sort(byCharCodes)).toEqual(keys)
  expect(new Set(keys).size).toBe(keys.length)
}

describe('card positions', () => {
  it('1,000 inserts right below the same card stay in insertion order', () => {
    const keys = positionsForAppend(null, 2)
    for (let i = 0; i < 1000; i++) keys.splice(1, 0, positionBetween(keys[0]!, keys[1]!))
    expect(keys).toHaveLength(1002)
    expectStrictlyOrdered(keys)
    // Repeated halving of one gap lengthens keys by about one character per six inserts: bounded, not explosive.
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThan(200)
  })

  it('1,000 inserts right above the same card stay in insertion order', () => {
    const keys = positionsForAppend(null, 2)
    for (let i = 0; i < 1000; i++) keys.splice(keys.length - 1, 0, positionBetween(keys[keys.length - 2]!, keys[keys.length - 1]!))
    expectStrictlyOrdered(keys)
  })

  it('1,000 inserts at the top, and 1,000 at the bottom, of a column', () => {
    const top = [positionBetween(null, null)]
    for (let i = 0; i < 1000; i++) top.unshift(positionBetween(null, top[0]!))
    expectStrictlyOrdered(top)
    const bottom = [positionBetween(null, null)]
    for (let i = 0; i < 1000; i++) bottom.push(positionBetween(bottom[bottom.length - 1]!, null))
    expectStrictlyOrdered(bottom)
  })

  it('1,000 drops at scattered places keep the column in order', () => {
    const keys: string[] = []
    let seed = 20240601
    for (let i = 0; i < 1000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648
      const at = seed % (keys.length + 1)
      keys.splice(at, 0, positionBetween(keys[at - 1] ?? null, keys[at] ?? null))
    }
    expectStrictlyOrdered(keys)
  })

  it('needs byte order: a language collation would put a card dropped at the top below the old top', () => {
    const first = positionBetween(null, null)
    const aboveFirst = positionBetween(null, first)
    expect(byCharCodes(aboveFirst, first)).toBeLessThan(0)
    expect(comparePositions(aboveFirst, first)).toBe(-1)
    // This is why the position column (or its ORDER BY) must use COLLATE "C" in PostgreSQL.
    expect(new Intl.Collator('en').compare(aboveFirst, first)).toBeGreaterThan(0)
  })

  it('comparePositions agrees with byte order', () => {
    const sample = ['a0', 'Zz', 'a0V', 'a1', 'b00', 'a0V0', 'A', 'Zzz', 'a0G', 'a0Vz']
    const expected = [...sample].sort(byCharCodes)
    expect([...sample].sort(comparePositions)).toEqual(expected)
    expect(comparePositions('a0', 'a0')).toBe(0)
    expect(comparePositions('a1', 'a0')).toBe(1)
  })

  it('positionsForAppend gives increasing keys after the last card, short even for a 5,000-card import', () => {
    const imported = positionsForAppend(null, 5000)
    expect(imported).toHaveLength(5000)
    expectStrictlyOrdered(imported)
    expect(Math.max(...imported.map((key) => key.length))).toBeLessThanOrEqual(4)

    const last = positionBetween('a0', 'a1')
    const appended = positionsForAppend(last, 3)
    expectStrictlyOrdered([last, ...appended])
    expect(positionsForAppend(last, 0)).toEqual([])
  })

  it('rejects neighbours that are out of order or not positions, and bad counts', () => {
    expect(() => positionBetween('a1', 'a0')).toThrow(RangeError)
    expect(() => positionBetween('a0', 'a0')).toThrow(/must sort before/)
    for (const bad of ['', 'a00', '!x', 'a-1', 'aé', ' a0']) {
      expect(isBoardPosition(bad), JSON.stringify(bad)).toBe(false)
      expect(() => positionBetween(bad, null), JSON.stringify(bad)).toThrow(/not a board position/)
      expect(() => positionsForAppend(bad, 1), JSON.stringify(bad)).toThrow(RangeError)
    }
    for (const good of ['a0', 'Zz', 'a0V', 'b00', 'a1']) expect(isBoardPosition(good), good).toBe(true)
    for (const count of [-1, 1.5, Number.NaN]) expect(() => positionsForAppend(null, count), String(count)).toThrow(RangeError)
  })
})

// ---------------------------------------------------------------------------------------------------------
// Versions, mentions, captions

describe('card version conflicts', () => {
  it('passes when the card is still at the version the person saw', () => {
    expect(checkCardVersion(7, 7)).toBeNull()
  })

  it('refuses a stale version and tells the person to reload', () => {
    for (const [expected, actual] of [[6, 7], [8, 7]] as const) {
      const conflict = checkCardVersion(expected, actual)
      expect(conflict?.code).toBe('CARD_VERSION_CONFLICT')
      expect(conflict?.message).toMatch(/someone else changed this card/i)
      expect(conflict?.message).toMatch(/reload/i)
    }
  })
})

describe('@mentions', () => {
  const members = [
    { id: 'u-anna', handle: 'anna' },
    { id: 'u-bob', handle: 'Bob' },
    { id: 'u-anna-smith', handle: 'anna.smith' },
    { id: 'u-anna-b', handle: 'anna_b' },
    { id: 'u-example', handle: 'example.com' },
  ]
  const mentions = (text: string) => extractMentions(text, members)

  it('finds members by handle, case-insensitively, in order of first mention, once each', () => {
    expect(mentions('@bob please check, then @ANNA. Thanks @Bob and @anna!')).toEqual(['u-bob', 'u-anna'])
    expect(mentions('@Anna.Smith has the files')).toEqual(['u-anna-smith'])
  })

  it('matches whole handles only', () => {
    expect(mentions('@annabel and @annas')).toEqual([])
    expect(mentions('@anna.smith')).toEqual(['u-anna-smith'])
    expect(mentions('@anna_b')).toEqual(['u-anna-b'])
    expect(mentions('@annaé')).toEqual([])
    expect(mentions("@anna's draft")).toEqual(['u-anna'])
    expect(mentions('(@anna), @bob; @anna_b.')).toEqual(['u-anna', 'u-bob', 'u-anna-b'])
    expect(mentions('line one\n@bob on line two')).toEqual(['u-bob'])
  })

  it('ignores e-mail addresses and unknown handles', () => {
    expect(mentions('write to anna@example.com or bob.smith@anna')).toEqual([])
    expect(mentions('ping @carol and @ alone and @@anna')).toEqual([])
    expect(mentions('')).toEqual([])
  })
})

describe('mentionHandle', () => {
  it.each([
    ['Anna Smith', 'anna.smith'],
    ['José Núñez', 'jose.nunez'],
    ['Jörg Straße', 'jorg.strasse'],
    ["Siobhán O'Brien", 'siobhan.obrien'],
    ['Mary-Jane  Watson', 'mary.jane.watson'],
    ['  Dr. Who  ', 'dr.who'],
    ['agent_007', 'agent_007'],
    ['李雷', 'member'],
    ['...', 'member'],
  ])('%s → %s', (name, handle) => {
    expect(mentionHandle(name)).toBe(handle)
  })

  it('stays short, never ends in a dot, and can always be mentioned back', () => {
    const names = ['Maximilian Alexander Konstantin von Habsburg-Lothringen', 'Zoë Ω. Ångström', 'A  B  C', 'Łukasz Żółw']
    for (const name of names) {
      const handle = mentionHandle(name)
      expect(handle, name).toMatch(/^[a-z0-9._]+$/)
      expect(handle.length, name).toBeLessThanOrEqual(32)
      expect(handle, name).not.toMatch(/^\.|\.$|\.\./)
      expect(extractMentions(`thanks @${handle}.`, [{ id: name, handle }]), name).toEqual([name])
    }
    expect(mentionHandle('Maximilian Alexander Konstantin von Habsburg-Lothringen')).toBe('maximilian.alexander.konstantin')
  })
})

describe('caption versions', () => {
  it('numbers the first version 1 and each next one past the highest, never reusing a number', () => {
    expect(nextCaptionVersion([])).toBe(1)
    expect(nextCaptionVersion([1, 2, 3])).toBe(4)
    expect(nextCaptionVersion([3, 1, 2])).toBe(4)
    expect(nextCaptionVersion([1, 3])).toBe(4)
  })

  it('refuses version numbers that cannot exist', () => {
    for (const bad of [[0], [1, -2], [1.5], [Number.NaN]]) expect(() => nextCaptionVersion(bad), String(bad)).toThrow(RangeError)
  })
})
