// Rules for cards imported from and exported to CSV (title, platform, creator, due date, caption). The CSV text
// itself is read and written by a library; this module decides what a row means, which rows are refused and
// why (per column, so the import can report every bad row at once), and how a cell is written safely.
//
// Title and platform are required. An empty creator leaves the card unassigned and an empty due date leaves it
// without one: both are normal for Backlog cards.
import { PLATFORM_LABELS, SOCIAL_PLATFORMS, type SocialPlatform } from './brand-kit'
import { CAMPAIGN_MAX_LEAD_DAYS } from './campaign'
import { addDays, dueAtForDay, isCalendarDate, isTimeZone } from './campaign-brief'
import { CARD_LIMITS } from './content-board'

export const CARD_CSV_COLUMNS = ['title', 'platform', 'creator', 'due date', 'caption'] as const
export type CardCsvColumn = (typeof CARD_CSV_COLUMNS)[number]

/** The header row an export writes; the import reads these and the plain column names alike. */
export const CARD_CSV_HEADERS = ['Title', 'Platform', 'Creator', 'Due date', 'Caption'] as const

export const REQUIRED_CARD_CSV_COLUMNS: readonly CardCsvColumn[] = ['title', 'platform']

/** The card limits the import checks (domain/content-board.ts CARD_LIMITS). */
export const CARD_CSV_LIMITS = { title: CARD_LIMITS.title, caption: CARD_LIMITS.caption } as const

export interface CardCsvContext {
  creators: readonly { id: string; displayName: string }[]
  /** The brief's platforms: a card on any other platform is refused. */
  platforms: readonly SocialPlatform[]
  /** "2027-03-01": today in the workspace's time zone. */
  today: string
  /** The workspace's IANA time zone: a due day ends at its midnight. */
  timeZone: string
}

export interface ImportedCard {
  title: string
  platform: SocialPlatform
  creatorId: string | null
  /** The calendar date as written ("2027-03-05"), for display. */
  dueDate: string | null
  /** When the card becomes overdue: the end of the due day in the workspace's time zone. */
  overdueAt: Date | null
  caption: string
}

export interface CardCsvError {
  column: CardCsvColumn
  message: string
}

export type CardRowResult = { ok: true; card: ImportedCard } | { ok: false; errors: CardCsvError[] }

const PLATFORM_ALIASES: Record<string, SocialPlatform> = {
  instagram: 'instagram',
  insta: 'instagram',
  ig: 'instagram',
  facebook: 'facebook',
  fb: 'facebook',
  tiktok: 'tiktok',
  tt: 'tiktok',
}

/** "Instagram", "IG", "Tik Tok", "tiktok" → the platform; null when it names none. */
export function parsePlatformName(value: string): SocialPlatform | null {
  return PLATFORM_ALIASES[value.toLowerCase().replace(/[\s._-]+/g, '')] ?? null
}

/** "Due Date", "due_date", "\uFEFFTitle" (a spreadsheet's byte-order mark) → the column; null when it is none. */
export function cardCsvColumnOf(header: string): CardCsvColumn | null {
  const name = header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_-]+/g, ' ')
  if (name === 'duedate' || name === 'due') return 'due date'
  return (CARD_CSV_COLUMNS as readonly string[]).includes(name) ? (name as CardCsvColumn) : null
}

/**
 * The header row's problems, checked once before any row: required columns that are absent, columns named
 * twice, and names that are no column (likely typos, whose values would otherwise vanish silently).
 */
export function checkCardCsvHeaders(headers: readonly string[]): { missing: CardCsvColumn[]; duplicated: CardCsvColumn[]; unknown: string[] } {
  const seen = new Set<CardCsvColumn>()
  const duplicated = new Set<CardCsvColumn>()
  const unknown: string[] = []
  for (const header of headers) {
    const column = cardCsvColumnOf(header)
    if (column === null) {
      if (header.trim() !== '') unknown.push(header)
      continue
    }
    if (seen.has(column)) duplicated.add(column)
    seen.add(column)
  }
  return { missing: REQUIRED_CARD_CSV_COLUMNS.filter((c) => !seen.has(c)), duplicated: [...duplicated], unknown }
}

/** Characters as people count them (an emoji is one), which is also how the platforms count captions. */
function charCount(value: string): number {
  return [...value].length
}

const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A cell a spreadsheet will not run: text starting with =, +, -, @, tab or carriage return gets a leading
 * apostrophe, which spreadsheets show as text (OWASP's CSV-injection advice).
 */
export function guardCsvCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

/** The inverse of guardCsvCell on import, so an exported board re-imports without growing apostrophes. */
function unguardCsvCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value
}

function normaliseName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase()
}

/** Accents and case folded: "José" and "jose" are one when looking for suggestions. */
function foldName(name: string): string {
  return normaliseName(name).normalize('NFD').replace(/\p{M}/gu, '')
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** Creators whose names look like what was written: same letters without accents, a first name, a typo. */
function similarCreators(written: string, creators: CardCsvContext['creators']): CardCsvContext['creators'] {
  const target = foldName(written)
  return creators.filter((creator) => {
    const name = foldName(creator.displayName)
    if (name === target) return true
    if (name.split(' ').some((word) => word === target) || name.startsWith(`${target} `)) return true
    return target.length >= 4 && editDistance(name, target) <= 2
  })
}

function nameList(names: string[], joiner: 'or' | 'and'): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${joiner} ${names[names.length - 1]}`
}

const LISTED_CREATORS = 10

type CreatorMatch = { creatorId: string | null } | { error: string }

/** A creator by display name (case-insensitive) or by id; an empty cell leaves the card unassigned. */
function matchCreator(written: string, creators: CardCsvContext['creators']): CreatorMatch {
  if (written === '') return { creatorId: null }
  const byId = creators.find((creator) => creator.id === written)
  if (byId) return { creatorId: byId.id }
  const exact = creators.filter((creator) => normaliseName(creator.displayName) === normaliseName(written))
  if (exact.length === 1) return { creatorId: exact[0]!.id }
  if (exact.length > 1) {
    return { error: `${exact.length} creators are called "${written}": write the creator's id instead (${nameList(exact.map((c) => c.id), 'or')})` }
  }
  const similar = similarCreators(written, creators)
  if (similar.length) return { error: `No creator is called "${written}"; did you mean ${nameList(similar.map((c) => c.displayName), 'or')}?` }
  if (creators.length === 0) return { error: `No creator is called "${written}": this workspace has no creators yet` }
  const names = creators.slice(0, LISTED_CREATORS).map((c) => c.displayName)
  const more = creators.length > LISTED_CREATORS ? ` and ${creators.length - LISTED_CREATORS} more` : ''
  return { error: `No creator is called "${written}". Creators: ${names.join(', ')}${more}` }
}

/** One CSV row as a card, or every problem with it, each naming its column. */
export function validateCardRow(row: Readonly<Record<string, string>>, ctx: CardCsvContext): CardRowResult {
  // The context comes from the workspace, not the file: a bad one is a bug to surface, not a row to refuse.
  if (!isCalendarDate(ctx.today)) throw new RangeError(`validateCardRow: today must be YYYY-MM-DD, got "${ctx.today}"`)
  if (!isTimeZone(ctx.timeZone)) throw new RangeError(`validateCardRow: "${ctx.timeZone}" is not a time zone`)
  const cells = new Map<CardCsvColumn, string>()
  for (const [header, value] of Object.entries(row)) {
    const column = cardCsvColumnOf(header)
    // A duplicated column keeps its first non-empty value rather than being overwritten by an empty one.
    if (column !== null && !cells.get(column)) cells.set(column, unguardCsvCell(value ?? ''))
  }
  const cell = (column: CardCsvColumn) => cells.get(column) ?? ''
  const errors: CardCsvError[] = []
  const L = CARD_CSV_LIMITS

  const title = cell('title').trim()
  if (title === '') errors.push({ column: 'title', message: 'is empty: every card needs a title' })
  else if (charCount(title) > L.title) errors.push({ column: 'title', message: `is ${charCount(title)} characters long; the limit is ${L.title}` })

  const writtenPlatform = cell('platform').trim()
  const platform = parsePlatformName(writtenPlatform)
  const briefPlatforms = nameList(ctx.platforms.map((p) => PLATFORM_LABELS[p]), 'or')
  if (writtenPlatform === '') {
    errors.push({ column: 'platform', message: `is empty: write ${briefPlatforms}` })
  } else if (platform === null) {
    errors.push({ column: 'platform', message: `"${writtenPlatform.slice(0, 40)}" is not a platform we publish to: write ${nameList(SOCIAL_PLATFORMS.map((p) => PLATFORM_LABELS[p]), 'or')}` })
  } else if (!ctx.platforms.includes(platform)) {
    errors.push({ column: 'platform', message: `${PLATFORM_LABELS[platform]} is not one of this brief's platforms (${briefPlatforms})` })
  }

  const creator = matchCreator(cell('creator').trim().replace(/\s+/g, ' '), ctx.creators)
  if ('error' in creator) errors.push({ column: 'creator', message: creator.error })

  const dueDate = cell('due date').trim()
  let overdueAt: Date | null = null
  if (dueDate !== '') {
    const latest = addDays(ctx.today, CAMPAIGN_MAX_LEAD_DAYS)
    if (!isCalendarDate(dueDate)) errors.push({ column: 'due date', message: `"${dueDate.slice(0, 20)}" is not a date: write it as YYYY-MM-DD, like ${ctx.today}` })
    else if (dueDate < ctx.today) errors.push({ column: 'due date', message: `${dueDate} is in the past (today is ${ctx.today})` })
    else if (dueDate > latest) errors.push({ column: 'due date', message: `${dueDate} is more than ${CAMPAIGN_MAX_LEAD_DAYS} days ahead: check the year` })
    else overdueAt = dueAtForDay(dueDate, ctx.timeZone)
  }

  const caption = cell('caption').trim()
  if (charCount(caption) > L.caption) errors.push({ column: 'caption', message: `is ${charCount(caption)} characters long; Instagram and TikTok allow ${L.caption}` })

  if (errors.length || 'error' in creator || platform === null) return { ok: false, errors }
  return {
    ok: true,
    card: { title, platform, creatorId: creator.creatorId, dueDate: dueDate === '' ? null : dueDate, overdueAt, caption },
  }
}

/** A card as the export writes it: names rather than ids, a platform label rather than its key. */
export interface CardCsvExport {
  title: string
  platform: SocialPlatform
  creatorName: string | null
  dueDate: string | null
  caption: string
}

/** The cells of one exported row, in CARD_CSV_HEADERS order, each guarded against formula injection. */
export function cardCsvRow(card: CardCsvExport): string[] {
  return [card.title, PLATFORM_LABELS[card.platform], card.creatorName ?? '', card.dueDate ?? '', card.caption].map(guardCsvCell)
}
