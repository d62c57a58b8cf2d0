// The Kanban content board: its columns, who may move a card where, how cards keep their order, how two
// people moving the same card are told apart, @mentions in comments, and caption version numbers.
// Pure and deterministic: the API, the workflows and the web UI all import these same rules.
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing'
import { ROLE_LABELS, isRole } from './permissions'

// ---------------------------------------------------------------------------------------------------------
// Columns

export const BOARD_COLUMNS = [
  'Backlog',
  'In_Progress',
  'Submitted_By_Creator',
  'Needs_Changes',
  'Approved',
  'Scheduled',
  'Published',
] as const
export type BoardColumn = (typeof BOARD_COLUMNS)[number]

export const BOARD_COLUMN_LABELS: Record<BoardColumn, string> = {
  Backlog: 'Backlog',
  In_Progress: 'In progress',
  Submitted_By_Creator: 'Submitted by creator',
  Needs_Changes: 'Needs changes',
  Approved: 'Approved',
  Scheduled: 'Scheduled',
  Published: 'Published',
}

/**
 * Columns only the system moves cards into, out of or within: a card is Scheduled when its post is scheduled
 * and Published when the platform confirms the post, so a person dragging it there would make the board lie.
 */
export const SYSTEM_ONLY_COLUMNS = ['Scheduled', 'Published'] as const satisfies readonly BoardColumn[]

/** Columns where the work is done: a passed due date no longer makes such a card overdue. */
export const DONE_COLUMNS = ['Approved', 'Scheduled', 'Published'] as const satisfies readonly BoardColumn[]

export function isBoardColumn(value: string): value is BoardColumn {
  return (BOARD_COLUMNS as readonly string[]).includes(value)
}

function isSystemOnlyColumn(column: BoardColumn): boolean {
  return (SYSTEM_ONLY_COLUMNS as readonly BoardColumn[]).includes(column)
}

/** Cards per column on a board's first load and per "show more": a 5,000-card board stays quick to read and draw. */
export const BOARD_PAGE_SIZE = 25

// ---------------------------------------------------------------------------------------------------------
// Card fields

/**
 * Lengths of a card's fields, the same for the API, the CSV import and the UI. Captions use Instagram's and
 * TikTok's caption limit: a longer caption could not be published on either.
 */
export const CARD_LIMITS = {
  title: 200,
  description: 5000,
  caption: 2200,
  comment: 4000,
} as const

// ---------------------------------------------------------------------------------------------------------
// Who may move a card where

/**
 * How a mover may make a move:
 * - `any`: for every card;
 * - `own`: only for cards assigned to the creator profile linked to them;
 * - `review`: for every card except their own (nobody reviews their own work);
 * - `-`: not at all.
 */
export type MoveGrant = 'any' | 'own' | 'review' | '-'

/** The columns of the transition matrix, in the order its rows list them. */
export const BOARD_MOVERS = ['owner', 'manager', 'editor', 'creator', 'client_approver', 'analyst', 'system'] as const
export type BoardMover = (typeof BOARD_MOVERS)[number]

export interface BoardTransition {
  from: BoardColumn
  to: BoardColumn
  grants: Readonly<Record<BoardMover, MoveGrant>>
}

// One grant per mover, in BOARD_MOVERS order: a row with a missing or extra cell does not compile.
type GrantsFor<Movers extends readonly unknown[]> = { -readonly [index in keyof Movers]: MoveGrant }
type GrantRow = GrantsFor<typeof BOARD_MOVERS>

function transition(from: BoardColumn, to: BoardColumn, ...row: GrantRow): BoardTransition {
  const grants = Object.fromEntries(BOARD_MOVERS.map((mover, index) => [mover, row[index]])) as Record<BoardMover, MoveGrant>
  return { from, to, grants }
}

/**
 * Every move a card can make between columns, and who may make it. Owners, managers and editors run the
 * board (they start and park work for any card); creators carry their own cards to submission and back after
 * feedback; owners, managers and client approvers review. Analysts only read. Moves not listed here are
 * refused for everyone.
 */
export const BOARD_TRANSITIONS: readonly BoardTransition[] = [
  //          from                    to                      owner     manager   editor  creator  client_approver  analyst  system
  transition('Backlog',              'In_Progress',          'any',    'any',    'any',  'own',   '-',             '-',     '-'),
  transition('In_Progress',          'Backlog',              'any',    'any',    'any',  '-',     '-',             '-',     '-'),
  transition('In_Progress',          'Submitted_By_Creator', '-',      '-',      '-',    'own',   '-',             '-',     '-'),
  transition('Submitted_By_Creator', 'Approved',             'review', 'review', '-',    '-',     'review',        '-',     '-'),
  transition('Submitted_By_Creator', 'Needs_Changes',        'review', 'review', '-',    '-',     'review',        '-',     '-'),
  transition('Needs_Changes',        'In_Progress',          '-',      '-',      '-',    'own',   '-',             '-',     '-'),
  transition('Needs_Changes',        'Submitted_By_Creator', '-',      '-',      '-',    'own',   '-',             '-',     '-'),
  // A reviewer may withdraw an approval while the card is not yet scheduled.
  transition('Approved',             'Needs_Changes',        'review', 'review', '-',    '-',     'review',        '-',     '-'),
  transition('Approved',             'Scheduled',            '-',      '-',      '-',    '-',     '-',             '-',     'any'),
  transition('Scheduled',            'Published',            '-',      '-',      '-',    '-',     '-',             '-',     'any'),
  // A cancelled schedule puts the card back where it can be scheduled again.
  transition('Scheduled',            'Approved',             '-',      '-',      '-',    '-',     '-',             '-',     'any'),
]

/** Who is moving the card: a signed-in user (with the creator profile linked to them, if any) or the system. */
export type BoardActor =
  | { kind: 'user'; userId: string; role: string; creatorId?: string | null }
  | { kind: 'system' }

export interface BoardCard {
  assigneeCreatorId: string | null
  /** Who created the card. Creating a card neither makes it yours to move nor bars you from reviewing it. */
  createdById?: string | null
}

export type CardMoveRefusalCode =
  | 'TRANSITION_NOT_ALLOWED'
  | 'ROLE_CANNOT_MOVE'
  | 'NOT_YOUR_CARD'
  | 'SELF_APPROVAL'
  | 'SYSTEM_ONLY_COLUMN'

export interface CardMoveRefusal {
  code: CardMoveRefusalCode
  message: string
}

export interface CardMove {
  from: BoardColumn
  to: BoardColumn
  actor: BoardActor
  card: BoardCard
}

const label = (column: BoardColumn) => BOARD_COLUMN_LABELS[column]

function roleNoun(role: string): string {
  const name = isRole(role) ? ROLE_LABELS[role].toLowerCase() : role
  return `${/^[aeiou]/i.test(name) ? 'An' : 'A'} ${name}`
}

function moverOf(actor: BoardActor): BoardMover | null {
  if (actor.kind === 'system') return 'system'
  return isRole(actor.role) ? actor.role : null
}

function movesAtAll(mover: BoardMover): boolean {
  return BOARD_TRANSITIONS.some((rule) => rule.grants[mover] !== '-')
}

/**
 * Whether a card is assigned to the creator profile `creatorId`. An unassigned card belongs to nobody, even to
 * a user without a creator profile (null is not a match).
 */
export function isAssignedTo(creatorId: string | null | undefined, assigneeCreatorId: string | null): boolean {
  return creatorId != null && creatorId === assigneeCreatorId
}

function isOwnCard(actor: BoardActor, card: BoardCard): boolean {
  return actor.kind === 'user' && isAssignedTo(actor.creatorId, card.assigneeCreatorId)
}

function grantApplies(grant: MoveGrant, ownCard: boolean): boolean {
  if (grant === 'any') return true
  if (grant === 'own') return ownCard
  if (grant === 'review') return !ownCard
  return false
}

function systemOnlyMessage(from: BoardColumn, to: BoardColumn): string {
  if (from === 'Published' || to === 'Published') {
    return 'Cards reach Published when their post goes live, and stay there; only the system moves them.'
  }
  if (from === 'Scheduled' && to === 'Scheduled') {
    return 'Scheduled cards are kept in the order of their publishing times; only the system moves them.'
  }
  if (from === 'Scheduled') {
    return 'A scheduled card leaves Scheduled only when it is published or its schedule is cancelled: cancel the schedule to take it back.'
  }
  return 'Cards move to Scheduled when their post is scheduled, not by hand: schedule the approved card instead.'
}

function transitionNotAllowed(from: BoardColumn, to: BoardColumn, mover: BoardMover): CardMoveRefusal {
  const byHumans = mover !== 'system'
  const sameKind = (m: BoardMover) => (byHumans ? m !== 'system' : m === 'system')
  const onward = BOARD_TRANSITIONS.filter(
    (rule) => rule.from === from && BOARD_MOVERS.some((m) => sameKind(m) && rule.grants[m] !== '-'),
  ).map((rule) => label(rule.to))
  const who = byHumans ? 'A card' : 'The system'
  const verb = byHumans ? 'cannot move' : 'does not move cards'
  const hint = onward.length
    ? ` From ${label(from)} ${byHumans ? 'a card can move' : 'it moves cards'} to ${onward.join(' or ')}.`
    : ''
  return { code: 'TRANSITION_NOT_ALLOWED', message: `${who} ${verb} from ${label(from)} to ${label(to)}.${hint}` }
}

/**
 * Whether `actor` may move `card` from one column to another (`from` = `to` is reordering within a column).
 * Returns null when allowed, or a refusal with a stable code and a message for the person.
 *
 * Reordering within a column is allowed to whoever may move that card into or out of the column: so owners,
 * managers and editors reorder Backlog and In progress, reviewers reorder the review columns, and creators
 * reorder only their own cards.
 */
export function checkCardMove(move: CardMove): CardMoveRefusal | null {
  const { from, to, actor, card } = move
  const mover = moverOf(actor)
  if (mover === null || !movesAtAll(mover)) {
    const who = actor.kind === 'user' && isRole(actor.role) ? roleNoun(actor.role) : 'Your role'
    return { code: 'ROLE_CANNOT_MOVE', message: `${who} cannot move cards on the board.` }
  }
  if (mover !== 'system' && (isSystemOnlyColumn(from) || isSystemOnlyColumn(to))) {
    return { code: 'SYSTEM_ONLY_COLUMN', message: systemOnlyMessage(from, to) }
  }
  const reorder = from === to
  const rules = reorder
    ? BOARD_TRANSITIONS.filter((rule) => rule.from === from || rule.to === from)
    : BOARD_TRANSITIONS.filter((rule) => rule.from === from && rule.to === to)
  const grants = rules.map((rule) => rule.grants[mover]).filter((grant) => grant !== '-')
  const what = reorder ? `reorder cards in ${label(from)}` : `move cards from ${label(from)} to ${label(to)}`

  if (grants.length === 0) {
    if (mover === 'system') {
      return reorder
        ? { code: 'TRANSITION_NOT_ALLOWED', message: `The system does not reorder cards in ${label(from)}.` }
        : transitionNotAllowed(from, to, mover)
    }
    const anyoneMay = rules.some((rule) => BOARD_MOVERS.some((m) => m !== 'system' && rule.grants[m] !== '-'))
    if (!anyoneMay) return transitionNotAllowed(from, to, mover)
    return { code: 'ROLE_CANNOT_MOVE', message: `${roleNoun(mover)} cannot ${what}.` }
  }

  const ownCard = isOwnCard(actor, card)
  if (grants.some((grant) => grantApplies(grant, ownCard))) return null
  // What is left is either an own-card grant on someone else's card or a review grant on one's own card.
  if (grants.includes('own')) {
    return {
      code: 'NOT_YOUR_CARD',
      message: reorder
        ? 'Only the creator assigned to this card can reorder it.'
        : `Only the creator assigned to this card can move it from ${label(from)} to ${label(to)}.`,
    }
  }
  return {
    code: 'SELF_APPROVAL',
    message: reorder
      ? 'You cannot reorder your own card in the review columns: the people reviewing it set that order.'
      : 'You cannot review your own work: someone else has to approve it or ask for changes.',
  }
}

/** The columns `actor` may move `card` to from `from` (reordering within `from` not included): drop targets for the UI. */
export function allowedMoveTargets(input: { from: BoardColumn; actor: BoardActor; card: BoardCard }): BoardColumn[] {
  return BOARD_COLUMNS.filter((to) => to !== input.from && checkCardMove({ ...input, to }) === null)
}

// ---------------------------------------------------------------------------------------------------------
// Ordering within a column

// Positions are fractional-index keys ("a0", "a0V", "Zz"): a card moved between two others gets a key that
// sorts between theirs, so a move writes only the moved card's row. Keys use 0-9, A-Z and a-z and must be
// compared by byte (JavaScript's default string order; in PostgreSQL a column or ORDER BY with COLLATE "C"):
// a language collation would put "a0" before "Zz". Two cards dropped into the same gap at the same moment
// get the same key; readers break that tie by card id so the order stays stable.

const POSITION_SHAPE = /^[A-Za-z][0-9A-Za-z]*$/

/** Whether `value` is a key positionBetween and positionsForAppend accept (and could have produced). */
export function isBoardPosition(value: string): boolean {
  if (!POSITION_SHAPE.test(value)) return false
  try {
    generateKeyBetween(value, null)
    return true
  } catch {
    return false
  }
}

/** Byte-order comparison of two positions, as PostgreSQL sorts them under COLLATE "C". */
export function comparePositions(a: string, b: string): number {
  if (a === b) return 0
  return a < b ? -1 : 1
}

function assertPosition(value: string | null, name: string): void {
  if (value !== null && !isBoardPosition(value)) throw new RangeError(`${name} is not a board position: ${JSON.stringify(value)}`)
}

/**
 * A position between the card above (`before`, null at the top of the column) and the card below (`after`,
 * null at the bottom). The neighbours must be distinct keys in order; a tie is resolved by passing the next
 * distinct key as the neighbour.
 */
export function positionBetween(before: string | null, after: string | null): string {
  assertPosition(before, 'before')
  assertPosition(after, 'after')
  if (before !== null && after !== null && comparePositions(before, after) >= 0) {
    throw new RangeError(`before (${before}) must sort before after (${after})`)
  }
  return generateKeyBetween(before, after)
}

/** `count` increasing positions after `last` (null for an empty column): for cards added in bulk, such as an import. */
export function positionsForAppend(last: string | null, count: number): string[] {
  assertPosition(last, 'last')
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`)
  return generateNKeysBetween(last, null, count)
}

// ---------------------------------------------------------------------------------------------------------
// Optimistic concurrency

export interface CardVersionConflict {
  code: 'CARD_VERSION_CONFLICT'
  message: string
}

/**
 * Every change to a card carries the version the person saw; a different current version means someone else
 * changed the card in between, and applying this change would silently overwrite theirs.
 */
export function checkCardVersion(expected: number, actual: number): CardVersionConflict | null {
  if (expected === actual) return null
  return {
    code: 'CARD_VERSION_CONFLICT',
    message: 'Someone else changed this card after you opened it. Reload the board to see their change, then try again.',
  }
}

// ---------------------------------------------------------------------------------------------------------
// @mentions

/** Longest handle mentionHandle produces. */
export const MENTION_HANDLE_MAX = 32

// An @ right after a letter, digit or address character is part of an e-mail address (a@b.com), not a mention.
// The handle runs as far as handle characters go and must not run on into another letter (@annaé is not @anna).
const MENTION = /(?<![\p{L}\p{N}._%+\-@])@([A-Za-z0-9._]+)(?![\p{L}\p{N}._])/gu

/**
 * The ids of the members mentioned in `text` as @handle, in order of first mention, each once. Handles match
 * case-insensitively and whole: @anna does not mention anna.smith. A full stop right after a handle ends the
 * sentence, not the handle.
 */
export function extractMentions(text: string, members: readonly { id: string; handle: string }[]): string[] {
  const membersByHandle = new Map<string, string[]>()
  for (const member of members) {
    const handle = member.handle.toLowerCase()
    membersByHandle.set(handle, [...(membersByHandle.get(handle) ?? []), member.id])
  }
  const mentioned = new Set<string>()
  for (const token of mentionTokens(text)) {
    for (const id of membersByHandle.get(token.handle.toLowerCase()) ?? []) mentioned.add(id)
  }
  return [...mentioned]
}

/** Every @handle in `text` as written, with where its "@" stands and where the handle ends (for highlighting). */
export function mentionTokens(text: string): { handle: string; start: number; end: number }[] {
  return [...text.matchAll(MENTION)].map((match) => {
    const handle = (match[1] ?? '').replace(/\.+$/, '')
    return { handle, start: match.index, end: match.index + 1 + handle.length }
  })
}

// Latin letters that Unicode does not decompose into a base letter plus accents.
const LATIN_SPELLINGS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
}

/**
 * A handle derived from a display name: lower-case ASCII letters, digits, dots and underscores, words joined by
 * dots ("José Núñez" → "jose.nunez"). A name with no usable letters gives "member"; callers make handles unique.
 */
export function mentionHandle(name: string): string {
  const handle = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => LATIN_SPELLINGS[letter] ?? '')
    .replace(/[\s\-.]+/g, '.')
    .replace(/[^a-z0-9._]/g, '')
    .replace(/\.{2,}/g, '.')
    .slice(0, MENTION_HANDLE_MAX)
    .replace(/^\.+|\.+$/g, '')
  return /[a-z0-9]/.test(handle) ? handle : 'member'
}

// ---------------------------------------------------------------------------------------------------------
// Caption versions

/**
 * The number of the next caption version: one past the highest so far (1 for the first). Numbers are never
 * reused, so a gap left by a deleted version stays a gap and history stays unambiguous.
 */
export function nextCaptionVersion(existing: readonly number[]): number {
  let highest = 0
  for (const version of existing) {
    if (!Number.isInteger(version) || version < 1) throw new RangeError(`caption versions are whole numbers from 1, got ${version}`)
    highest = Math.max(highest, version)
  }
  return highest + 1
}
