// Campaign brief rules shared by the API (which refuses invalid briefs and launches only ready ones), the web
// editor (same messages before sending) and workflows. Pure and deterministic: no I/O, no Node built-ins; time
// zones come from Intl, which every runtime here (Node, browsers, the workflow sandbox) provides.
import { PLATFORM_LABELS, SOCIAL_PLATFORMS, type FieldIssue, type SocialPlatform } from './brand-kit'
import { CAMPAIGN_MAX_DURATION_DAYS } from './campaign'
import type { AccountStatus } from './social-accounts'

export type { FieldIssue } from './brand-kit'

// ---------------------------------------------------------------------------------------------------------
// Objectives and statuses

export const OBJECTIVES = ['awareness', 'traffic', 'engagement', 'leads', 'sales'] as const
export type Objective = (typeof OBJECTIVES)[number]

export const OBJECTIVE_LABELS: Record<Objective, string> = {
  awareness: 'Awareness',
  traffic: 'Traffic',
  engagement: 'Engagement',
  leads: 'Leads',
  sales: 'Sales',
}

export const BRIEF_STATUSES = ['draft', 'ready', 'active', 'paused', 'completed', 'archived'] as const
export type BriefStatus = (typeof BRIEF_STATUSES)[number]

export const BRIEF_STATUS_LABELS: Record<BriefStatus, string> = {
  draft: 'Draft',
  ready: 'Ready',
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
  archived: 'Archived',
}

/**
 * Where a brief may go from each status. Whether a draft may become ready (its readiness check passes) and
 * whether a ready brief may launch are decided by the caller with readinessCheck; this is only the graph.
 */
export const BRIEF_STATUS_TRANSITIONS: Record<BriefStatus, readonly BriefStatus[]> = {
  draft: ['ready', 'archived'],
  ready: ['draft', 'active', 'archived'],
  active: ['paused', 'completed'],
  paused: ['active', 'completed', 'archived'],
  completed: ['archived'],
  archived: ['draft'],
}

/** The button label for a move, so every screen names it the same way. */
export function briefStatusActionLabel(from: BriefStatus, to: BriefStatus): string {
  if (to === 'ready') return 'Mark ready'
  if (to === 'draft') return from === 'archived' ? 'Restore' : 'Back to draft'
  if (to === 'active') return from === 'paused' ? 'Resume' : 'Launch'
  if (to === 'paused') return 'Pause'
  if (to === 'completed') return 'Complete'
  return 'Archive'
}

/** Launched and not finished: these campaigns hold one of the plan's active-campaign slots. */
export const PLAN_SLOT_STATUSES = ['active', 'paused'] as const satisfies readonly BriefStatus[]

/** Briefs whose content can no longer change (what ran stays on record). */
export const READ_ONLY_STATUSES = ['completed', 'archived'] as const satisfies readonly BriefStatus[]

/** Once launched, the schedule is in the workflow's hands: moving it means completing and relaunching. */
export const SCHEDULE_LOCKED_STATUSES = ['active', 'paused'] as const satisfies readonly BriefStatus[]

export function isBriefStatus(value: string): value is BriefStatus {
  return (BRIEF_STATUSES as readonly string[]).includes(value)
}

export type BriefStatusRefusal =
  | { code: 'BRIEF_STATUS_UNCHANGED'; message: string }
  | { code: 'BRIEF_STATUS_CHANGE_NOT_ALLOWED'; message: string }

/** null when a brief may move from `from` to `to`, otherwise a refusal that says what to do instead. */
export function checkBriefStatusChange(from: BriefStatus, to: BriefStatus): BriefStatusRefusal | null {
  if (from === to) return { code: 'BRIEF_STATUS_UNCHANGED', message: `The brief is already ${BRIEF_STATUS_LABELS[to].toLowerCase()}.` }
  if (BRIEF_STATUS_TRANSITIONS[from].includes(to)) return null
  return { code: 'BRIEF_STATUS_CHANGE_NOT_ALLOWED', message: refusalMessage(from, to) }
}

function refusalMessage(from: BriefStatus, to: BriefStatus): string {
  const was = `This brief is ${BRIEF_STATUS_LABELS[from].toLowerCase()}`
  switch (to) {
    case 'ready':
      return `Only a draft brief can be marked ready. ${was}.`
    case 'draft':
      // Only launched briefs (active, paused, completed) are refused here.
      return `A brief that has launched cannot go back to draft. ${was}.`
    case 'active':
      if (from === 'draft') return 'Mark the brief ready (its readiness check must pass) before launching it.'
      if (from === 'archived') return 'Restore the archived brief as a draft before launching it again.'
      return 'A completed brief does not run again: archive it, restore it as a draft and launch it anew.'
    case 'paused':
      return `Only an active brief can be paused. ${was}.`
    case 'completed':
      return `Only an active or paused brief can be completed. ${was}.`
    case 'archived':
      return 'An active brief cannot be archived: pause or complete it first.'
  }
}

// ---------------------------------------------------------------------------------------------------------
// Deliverables

/** What each platform can publish, in the order the editor offers them. */
export const DELIVERABLE_KINDS = {
  instagram: ['post', 'reel', 'story', 'carousel'],
  tiktok: ['video', 'photo'],
  facebook: ['post', 'video', 'reel'],
} as const satisfies Record<SocialPlatform, readonly string[]>

export type DeliverableKind = (typeof DELIVERABLE_KINDS)[SocialPlatform][number]

export const DELIVERABLE_KIND_LABELS: Record<DeliverableKind, string> = {
  post: 'Post',
  reel: 'Reel',
  story: 'Story',
  carousel: 'Carousel',
  video: 'Video',
  photo: 'Photo',
}

export function isDeliverableKindFor(platform: SocialPlatform, kind: string): kind is DeliverableKind {
  return (DELIVERABLE_KINDS[platform] as readonly string[]).includes(kind)
}

/** "3 TikTok videos" from one creator. A deliverable without a creator is a slot still to be assigned. */
export interface Deliverable {
  creatorId: string | null
  platform: SocialPlatform
  kind: DeliverableKind
  count: number
}

export const DELIVERABLE_LIMITS = {
  minCount: 1,
  maxCount: 50,
  /** Cards one brief may create: beyond this a board stops being reviewable and the count is likely a typo. */
  maxCards: 200,
} as const

/** One card to create for a deliverable: "TikTok video 2 of 3". */
export interface DeliverableCard {
  /** The deliverable's position in the brief, so the caller can link card and deliverable. */
  deliverableIndex: number
  creatorId: string | null
  platform: SocialPlatform
  kind: DeliverableKind
  /** 1-based position among the deliverable's cards. */
  sequence: number
  of: number
  title: string
}

export function deliverableTitle(platform: SocialPlatform, kind: DeliverableKind, sequence: number, of: number): string {
  const base = `${PLATFORM_LABELS[platform]} ${DELIVERABLE_KIND_LABELS[kind].toLowerCase()}`
  return of === 1 ? base : `${base} ${sequence} of ${of}`
}

/** "3 TikTok videos": how a deliverable reads in messages. */
export function describeDeliverable(deliverable: Pick<Deliverable, 'platform' | 'kind' | 'count'>): string {
  const noun = DELIVERABLE_KIND_LABELS[deliverable.kind].toLowerCase()
  const plural = deliverable.count === 1 ? noun : noun === 'story' ? 'stories' : `${noun}s`
  return `${deliverable.count} ${PLATFORM_LABELS[deliverable.platform]} ${plural}`
}

/** Field issues of a brief's deliverables against its platforms, at "/deliverables/…". */
export function deliverableIssues(deliverables: readonly Deliverable[], briefPlatforms: readonly SocialPlatform[]): FieldIssue[] {
  const issues: FieldIssue[] = []
  const L = DELIVERABLE_LIMITS
  const firstIndexOf = new Map<string, number>()
  deliverables.forEach((deliverable, i) => {
    const at = `/deliverables/${i}`
    const platformKnown = isSocialPlatform(deliverable.platform)
    if (!platformKnown) {
      issues.push({ path: `${at}/platform`, message: `"${String(deliverable.platform).slice(0, 40)}" is not a platform: use ${platformList(SOCIAL_PLATFORMS)}` })
    } else if (!briefPlatforms.includes(deliverable.platform)) {
      issues.push({ path: `${at}/platform`, message: `${PLATFORM_LABELS[deliverable.platform]} is not one of this brief's platforms: add it to the platforms first` })
    }
    if (platformKnown && !isDeliverableKindFor(deliverable.platform, deliverable.kind)) {
      issues.push({
        path: `${at}/kind`,
        message: `${PLATFORM_LABELS[deliverable.platform]} has no "${String(deliverable.kind).slice(0, 40)}": choose ${DELIVERABLE_KINDS[deliverable.platform].join(', ')}`,
      })
    }
    if (!Number.isInteger(deliverable.count) || deliverable.count < L.minCount || deliverable.count > L.maxCount) {
      issues.push({ path: `${at}/count`, message: `must be a whole number from ${L.minCount} to ${L.maxCount}` })
    }
    if (deliverable.creatorId !== null && deliverable.creatorId.trim() === '') {
      issues.push({ path: `${at}/creatorId`, message: 'must name a creator or be left unassigned' })
    }
    // Two rows for the same creator, platform and kind would number their cards "1 of 2" twice.
    const key = `${deliverable.creatorId ?? ''}\u0000${deliverable.platform}\u0000${deliverable.kind}`
    const first = firstIndexOf.get(key)
    if (first === undefined) firstIndexOf.set(key, i)
    else issues.push({ path: at, message: `repeats deliverable ${first + 1} (same creator, platform and kind): combine their counts` })
  })
  const cards = deliverables.reduce((sum, d) => sum + (Number.isInteger(d.count) && d.count > 0 ? d.count : 0), 0)
  if (cards > L.maxCards) issues.push({ path: '/deliverables', message: `add up to ${cards} cards; a brief takes at most ${L.maxCards}` })
  return issues
}

/**
 * One entry per card to create, in deliverable order ("Instagram reel 1 of 5", "Instagram reel 2 of 5", …),
 * or the issues that stop it. All-or-nothing: a brief never gets half its cards.
 */
export function expandDeliverables(
  deliverables: readonly Deliverable[],
  briefPlatforms: readonly SocialPlatform[],
): { ok: true; cards: DeliverableCard[] } | { ok: false; issues: FieldIssue[] } {
  const issues = deliverableIssues(deliverables, briefPlatforms)
  if (issues.length) return { ok: false, issues }
  const cards = deliverables.flatMap((d, deliverableIndex) =>
    Array.from({ length: d.count }, (_, i) => ({
      deliverableIndex,
      creatorId: d.creatorId,
      platform: d.platform,
      kind: d.kind,
      sequence: i + 1,
      of: d.count,
      title: deliverableTitle(d.platform, d.kind, i + 1, d.count),
    })),
  )
  return { ok: true, cards }
}

/** A card a deliverable already has, as the plan below needs it. */
export interface DeliverableCardState {
  id: string
  column: string
  sequence: number | null
  title: string
  assigneeCreatorId: string | null
}

/** What saving one deliverable does to its cards; `blocked` when it would delete work past Backlog. */
export interface DeliverableCardPlan {
  blocked: boolean
  remove: string[]
  update: { id: string; title?: string; assigneeCreatorId?: string }[]
  create: { sequence: number; title: string }[]
}

/**
 * Brings a deliverable's cards in line with its saved form (`after`; null when it is removed): one card per
 * unit while it has a creator, numbered by sequence and created once. Units beyond the count, cards of a
 * changed platform or kind, and all cards of an unassigned or removed deliverable go, but only while in
 * Backlog: started work is never deleted (the plan is blocked instead). A generated title is renumbered ("2 of
 * 3"); a title someone edited is theirs. Cards still in Backlog follow a change of creator; started ones stay
 * with whoever is working on them.
 */
export function planDeliverableCards(
  before: Pick<Deliverable, 'platform' | 'kind' | 'count'> | null,
  after: Deliverable | null,
  cards: readonly DeliverableCardState[],
): DeliverableCardPlan {
  const kindChanged = before !== null && after !== null && (before.platform !== after.platform || before.kind !== after.kind)
  const surplus = cards.filter((card) => after === null || after.creatorId === null || kindChanged || (card.sequence ?? 0) > after.count)
  const plan: DeliverableCardPlan = { blocked: surplus.some((card) => card.column !== 'Backlog'), remove: surplus.map((card) => card.id), update: [], create: [] }
  if (plan.blocked || after === null || after.creatorId === null) return plan
  const kept = cards.filter((card) => !surplus.includes(card))
  for (const card of kept) {
    const sequence = card.sequence ?? 1
    const title = deliverableTitle(after.platform, after.kind, sequence, after.count)
    const generated = before ? deliverableTitle(before.platform, before.kind, sequence, before.count) : title
    const change: DeliverableCardPlan['update'][number] = { id: card.id }
    if (card.title === generated && title !== generated) change.title = title
    if (card.column === 'Backlog' && card.assigneeCreatorId !== after.creatorId) change.assigneeCreatorId = after.creatorId
    if (change.title !== undefined || change.assigneeCreatorId !== undefined) plan.update.push(change)
  }
  const have = new Set(kept.map((card) => card.sequence))
  for (let sequence = 1; sequence <= after.count; sequence++) {
    if (!have.has(sequence)) plan.create.push({ sequence, title: deliverableTitle(after.platform, after.kind, sequence, after.count) })
  }
  return plan
}

// ---------------------------------------------------------------------------------------------------------
// Budget

/** Supported currencies and their ISO 4217 minor-unit exponents (JPY has no minor unit). */
export const CURRENCIES = {
  USD: { exponent: 2, name: 'US dollar' },
  EUR: { exponent: 2, name: 'Euro' },
  GBP: { exponent: 2, name: 'Pound sterling' },
  JPY: { exponent: 0, name: 'Japanese yen' },
  CHF: { exponent: 2, name: 'Swiss franc' },
  SEK: { exponent: 2, name: 'Swedish krona' },
  AUD: { exponent: 2, name: 'Australian dollar' },
  CAD: { exponent: 2, name: 'Canadian dollar' },
  BRL: { exponent: 2, name: 'Brazilian real' },
  INR: { exponent: 2, name: 'Indian rupee' },
} as const satisfies Record<string, { exponent: number; name: string }>

export type CurrencyCode = keyof typeof CURRENCIES
export const CURRENCY_CODES = Object.keys(CURRENCIES) as CurrencyCode[]

/** 10^12 minor units (ten billion dollars): far above any brief, far below where doubles lose integers. */
export const BUDGET_MAX_MINOR = 1_000_000_000_000

export function isCurrencyCode(value: string): value is CurrencyCode {
  return Object.hasOwn(CURRENCIES, value)
}

/** Minor units as an exact decimal string: 123405 USD → "1234.05". */
function minorToDecimal(minor: number, currency: CurrencyCode): string {
  const exponent = CURRENCIES[currency].exponent
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0')
  const sign = minor < 0 ? '-' : ''
  return exponent === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`
}

/**
 * 123405 USD → "$1,234.05"; 5000 JPY → "¥5,000". Formats the exact decimal string rather than minor / 100,
 * so no amount is ever rounded through a binary fraction.
 */
export function formatMoney(minor: number, currency: CurrencyCode, locale = 'en-US'): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`formatMoney needs whole minor units, got ${minor}`)
  const exponent = CURRENCIES[currency].exponent
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent })
  return format.format(minorToDecimal(minor, currency) as `${number}`)
}

/**
 * What a person typed ("1,250.50", "1250.5", "980") as minor units, or null when it is no amount in this
 * currency (more decimals than the currency has, letters, a negative sign). Decimal point, comma thousands.
 */
export function parseMoneyAmount(text: string, currency: CurrencyCode): number | null {
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(text.trim())
  if (!match) return null
  const exponent = CURRENCIES[currency].exponent
  const whole = match[1]!.replaceAll(',', '')
  const fraction = match[2] ?? ''
  if (fraction.length > exponent) return null
  const minor = Number(`${whole}${fraction.padEnd(exponent, '0')}`)
  return Number.isSafeInteger(minor) ? minor : null
}

/** Issues of a budget: whole minor units from 0 to BUDGET_MAX_MINOR in a supported currency. */
export function budgetIssues(budgetMinor: number, currency: string): FieldIssue[] {
  const issues: FieldIssue[] = []
  if (!Number.isInteger(budgetMinor) || budgetMinor < 0) {
    issues.push({ path: '/budgetMinor', message: 'must be a whole, non-negative number of minor units (cents)' })
  } else if (budgetMinor > BUDGET_MAX_MINOR) {
    issues.push({ path: '/budgetMinor', message: `is above the maximum of ${BUDGET_MAX_MINOR} minor units` })
  }
  if (!isCurrencyCode(currency)) issues.push({ path: '/currency', message: `"${currency.slice(0, 10)}" is not a supported currency: use ${CURRENCY_CODES.join(', ')}` })
  return issues
}

// ---------------------------------------------------------------------------------------------------------
// Local date-times in IANA time zones

const DAY_MS = 24 * 60 * 60 * 1000
const wallClockFormats = new Map<string, Intl.DateTimeFormat>()

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallClockFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    wallClockFormats.set(timeZone, format)
  }
  return format
}

/** An IANA zone name Intl knows ("Europe/Berlin", "UTC"); offsets like "+01:00" are not zones. */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return false
  try {
    wallClockFormat(value)
    return true
  } catch {
    return false
  }
}

/** What clocks in `timeZone` show at `instant`, encoded as if it were a UTC instant (ms). */
function wallClockAt(instant: number, timeZone: string): number {
  const parts = wallClockFormat(timeZone).formatToParts(instant)
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value)
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
}

/** How far `timeZone`'s clocks are ahead of UTC at `instant`. */
function offsetAt(instant: number, timeZone: string): number {
  const wholeSecond = Math.floor(instant / 1000) * 1000
  return wallClockAt(wholeSecond, timeZone) - wholeSecond
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/

/** "2027-03-01T09:00" as wall-clock milliseconds, or null when it is no calendar date and time. */
function parseLocalDateTime(local: string): number | null {
  const match = LOCAL_DATE_TIME.exec(local)
  if (!match) return null
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number]
  if (hour > 23 || minute > 59 || second > 59) return null
  const wall = Date.UTC(year, month - 1, day, hour, minute, second)
  const check = new Date(wall)
  // Date.UTC rolls 31 April over to 1 May and maps years below 100 to the 1900s; a real date survives the trip.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null
  return wall
}

/** Wall-clock ms → "2027-03-28T03:00". */
function formatWallClock(wall: number): string {
  return new Date(wall).toISOString().slice(0, 16)
}

export type LocalTimeResolution =
  | { kind: 'exact'; instant: Date }
  /** Clocks went back and showed this time twice; `instant` is the earlier one (the first pass). */
  | { kind: 'ambiguous'; instant: Date; later: Date }
  /** Clocks jumped forward over this time: it never happened. gapStartsLocal/gapEndsLocal bound the jump. */
  | { kind: 'gap'; gapStartsLocal: string; gapEndsLocal: string }
  | { kind: 'invalid' }

/**
 * The instant clocks in `timeZone` show `local` ("2027-03-01T09:00", seconds optional). Around daylight-saving
 * changes a wall-clock time can be missing (spring forward) or repeated (fall back); both are reported so a
 * caller can explain them. For a repeated time the earlier instant is chosen: a brief scheduled for 01:30 on
 * the night clocks go back starts at the first 01:30, as a person reading the clock would expect.
 */
export function resolveLocalDateTime(local: string, timeZone: string): LocalTimeResolution {
  const wall = parseLocalDateTime(local)
  if (wall === null || !isTimeZone(timeZone)) return { kind: 'invalid' }
  // Offsets in force a day either side cover both sides of any transition near this time.
  const before = offsetAt(wall - DAY_MS, timeZone)
  const after = offsetAt(wall + DAY_MS, timeZone)
  const candidates = [...new Set([before, offsetAt(wall, timeZone), after])]
    .map((offset) => wall - offset)
    .filter((instant) => wallClockAt(instant, timeZone) === wall)
    .sort((a, b) => a - b)
  const [first, last] = [candidates[0], candidates[candidates.length - 1]]
  if (first !== undefined && last !== undefined) {
    return first === last ? { kind: 'exact', instant: new Date(first) } : { kind: 'ambiguous', instant: new Date(first), later: new Date(last) }
  }
  // A gap: with the old offset this wall time lands after the jump, with the new one before it. Find the jump.
  let lo = wall - after
  let hi = wall - before
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000
    if (offsetAt(mid, timeZone) === after) hi = mid
    else lo = mid
  }
  return { kind: 'gap', gapStartsLocal: formatWallClock(hi + before), gapEndsLocal: formatWallClock(hi + after) }
}

/**
 * The instant a calendar day ("2027-03-28") begins in `timeZone`: local midnight, or the end of the jump when
 * clocks skip midnight (some zones change at 00:00). null when it is no date or no zone.
 */
export function startOfLocalDay(date: string, timeZone: string): Date | null {
  const resolution = resolveLocalDateTime(`${date}T00:00`, timeZone)
  if (resolution.kind === 'invalid') return null
  if (resolution.kind !== 'gap') return resolution.instant
  const afterJump = resolveLocalDateTime(resolution.gapEndsLocal, timeZone)
  return afterJump.kind === 'exact' || afterJump.kind === 'ambiguous' ? afterJump.instant : null
}

// ---------------------------------------------------------------------------------------------------------
// Calendar days and due dates

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether `value` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value)
  if (!match) return false
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** "2027-03-01" + n days, by the calendar (no time zone involved). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10)
}

/** The calendar day ("2027-03-05") `instant` falls on in `timeZone`. */
export function calendarDayIn(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant)
}

/**
 * A card due on `day` is kept as the instant it becomes overdue: the end of that day (the next midnight) in
 * the campaign's time zone. Null when `day` is no calendar date.
 */
export function dueAtForDay(day: string, timeZone: string): Date | null {
  return isCalendarDate(day) ? startOfLocalDay(addDays(day, 1), timeZone) : null
}

/** The calendar day a card is due, in the campaign's time zone: the day just before it becomes overdue. */
export function dueDayOf(dueAt: Date, timeZone: string): string {
  return calendarDayIn(new Date(dueAt.getTime() - 1), timeZone)
}

export interface BriefScheduleInput {
  startsAtLocal: string
  endsAtLocal: string
  timeZone: string
}

export type BriefScheduleResult =
  | {
      ok: true
      schedule: { startsAt: Date; endsAt: Date }
      /** Not errors: a repeated local time that was resolved to its first occurrence, worth showing as a hint. */
      notes: FieldIssue[]
    }
  | { ok: false; issues: FieldIssue[] }

/** Issues with one local date-time field, or its instant (plus a note when the time was ambiguous). */
function resolveScheduleField(
  field: 'startsAtLocal' | 'endsAtLocal',
  local: string,
  timeZone: string,
): { issue: FieldIssue } | { instant: Date; note: FieldIssue | null } {
  const path = `/${field}`
  const resolution = resolveLocalDateTime(local, timeZone)
  switch (resolution.kind) {
    case 'invalid':
      return { issue: { path, message: `"${local.slice(0, 30)}" is not a date and time like 2027-03-01T09:00` } }
    case 'gap': {
      const sameDay = resolution.gapStartsLocal.slice(0, 10) === resolution.gapEndsLocal.slice(0, 10)
      const from = sameDay ? resolution.gapStartsLocal.slice(11) : resolution.gapStartsLocal.replace('T', ' ')
      const to = sameDay ? resolution.gapEndsLocal.slice(11) : resolution.gapEndsLocal.replace('T', ' ')
      return {
        issue: {
          path,
          message: `${local.replace('T', ' ')} does not exist in ${timeZone}: clocks jump from ${from} to ${to}${sameDay ? ' that day' : ''}, so this time never happens. Pick ${to} or later.`,
        },
      }
    }
    case 'ambiguous':
      return {
        instant: resolution.instant,
        note: {
          path,
          message: `${local.replace('T', ' ')} happens twice in ${timeZone} (clocks go back that night); the first one is used (${resolution.instant.toISOString().slice(11, 16)} UTC).`,
        },
      }
    case 'exact':
      return { instant: resolution.instant, note: null }
  }
}

/**
 * A brief's start and end, given as wall-clock times in an IANA zone, as UTC instants — or field issues:
 * an unknown zone, a time that is no date, a time skipped by daylight saving, an end not after the start,
 * a run longer than CAMPAIGN_MAX_DURATION_DAYS. Whether the end is still in the future is a launch
 * question (readinessCheck), not a validity one: a draft may keep past dates.
 */
export function resolveBriefSchedule(input: BriefScheduleInput): BriefScheduleResult {
  if (!isTimeZone(input.timeZone)) {
    return { ok: false, issues: [{ path: '/timeZone', message: `"${input.timeZone.slice(0, 60)}" is not a time zone: use an IANA name like Europe/Berlin` }] }
  }
  const start = resolveScheduleField('startsAtLocal', input.startsAtLocal, input.timeZone)
  const end = resolveScheduleField('endsAtLocal', input.endsAtLocal, input.timeZone)
  const issues = [start, end].flatMap((field) => ('issue' in field ? [field.issue] : []))
  if ('issue' in start || 'issue' in end) return { ok: false, issues }
  if (end.instant.getTime() <= start.instant.getTime()) {
    return { ok: false, issues: [{ path: '/endsAtLocal', message: 'must be after the start' }] }
  }
  if (end.instant.getTime() - start.instant.getTime() > CAMPAIGN_MAX_DURATION_DAYS * DAY_MS) {
    return { ok: false, issues: [{ path: '/endsAtLocal', message: `is more than ${CAMPAIGN_MAX_DURATION_DAYS} days after the start` }] }
  }
  const notes = [start.note, end.note].filter((note): note is FieldIssue => note !== null)
  return { ok: true, schedule: { startsAt: start.instant, endsAt: end.instant }, notes }
}

// ---------------------------------------------------------------------------------------------------------
// The brief

export const BRIEF_REFERENCE_KINDS = ['link', 'example_post', 'upload', 'idea'] as const
export type BriefReferenceKind = (typeof BRIEF_REFERENCE_KINDS)[number]

/**
 * Something the team should look at: a link (article, competitor page), an example post (its URL), a moodboard
 * upload (a stored file), or an idea described in words (what to find or shoot; templates suggest these).
 */
export type BriefReference =
  | { kind: 'link' | 'example_post'; url: string; note: string }
  | { kind: 'upload'; fileId: string; note: string }
  | { kind: 'idea'; note: string }

/** The editable content of a brief; its status lives beside it and changes through checkBriefStatusChange. */
export interface CampaignBrief {
  name: string
  objective: Objective
  audience: string
  platforms: SocialPlatform[]
  /** Wall-clock times in `timeZone`; null until set (a draft may have none). */
  startsAtLocal: string | null
  endsAtLocal: string | null
  timeZone: string
  /** Whole minor units of `currency` (cents); 0 means no budget yet. */
  budgetMinor: number
  currency: CurrencyCode
  /** How many pieces of content the campaign plans in total. */
  contentVolume: number
  deliverables: Deliverable[]
  keyMessages: string[]
  references: BriefReference[]
}

export const BRIEF_LIMITS = {
  name: 120,
  audience: 1000,
  keyMessages: 20,
  keyMessage: 280,
  references: 30,
  referenceUrl: 2000,
  referenceNote: 500,
  minContentVolume: 1,
  maxContentVolume: 500,
} as const

export function isObjective(value: string): value is Objective {
  return (OBJECTIVES as readonly string[]).includes(value)
}

export function isSocialPlatform(value: string): value is SocialPlatform {
  return (SOCIAL_PLATFORMS as readonly string[]).includes(value)
}

function platformList(platforms: readonly SocialPlatform[]): string {
  return platforms.map((p) => PLATFORM_LABELS[p]).join(', ')
}

function isHttpUrl(value: string): boolean {
  if (/\s/.test(value)) return false
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

function referenceIssues(reference: BriefReference, i: number): FieldIssue[] {
  const at = `/references/${i}`
  const L = BRIEF_LIMITS
  const issues: FieldIssue[] = []
  if (!(BRIEF_REFERENCE_KINDS as readonly string[]).includes(reference.kind)) {
    return [{ path: `${at}/kind`, message: `must be one of ${BRIEF_REFERENCE_KINDS.join(', ')}` }]
  }
  if (reference.kind === 'link' || reference.kind === 'example_post') {
    if (reference.url.length > L.referenceUrl) issues.push({ path: `${at}/url`, message: `is longer than ${L.referenceUrl} characters` })
    else if (!isHttpUrl(reference.url)) issues.push({ path: `${at}/url`, message: `"${reference.url.slice(0, 60)}" is not an http(s) link` })
  }
  if (reference.kind === 'upload' && reference.fileId.trim() === '') issues.push({ path: `${at}/fileId`, message: 'must name an uploaded file' })
  if (reference.note.length > L.referenceNote) issues.push({ path: `${at}/note`, message: `is longer than ${L.referenceNote} characters` })
  else if (reference.kind === 'idea' && reference.note.trim() === '') issues.push({ path: `${at}/note`, message: 'must describe the idea' })
  return issues
}

/** Every problem with a brief, each at its field's JSON pointer ("/keyMessages/3"); an empty list means valid. */
export function briefIssues(brief: CampaignBrief): FieldIssue[] {
  const issues: FieldIssue[] = []
  const L = BRIEF_LIMITS
  const name = brief.name.trim()
  if (name === '' || name.length > L.name) issues.push({ path: '/name', message: `needs 1–${L.name} characters` })
  if (!isObjective(brief.objective)) issues.push({ path: '/objective', message: `must be one of ${OBJECTIVES.join(', ')}` })
  if (brief.audience.length > L.audience) issues.push({ path: '/audience', message: `is longer than ${L.audience} characters` })

  if (brief.platforms.length === 0) issues.push({ path: '/platforms', message: 'needs at least one platform' })
  else if (new Set(brief.platforms).size !== brief.platforms.length) issues.push({ path: '/platforms', message: 'lists a platform twice' })
  brief.platforms.forEach((platform, i) => {
    if (!isSocialPlatform(platform)) issues.push({ path: `/platforms/${i}`, message: `"${String(platform).slice(0, 40)}" is not a platform: use ${platformList(SOCIAL_PLATFORMS)}` })
  })

  if (!isTimeZone(brief.timeZone)) {
    issues.push({ path: '/timeZone', message: `"${brief.timeZone.slice(0, 60)}" is not a time zone: use an IANA name like Europe/Berlin` })
  } else if (brief.startsAtLocal !== null && brief.endsAtLocal !== null) {
    const schedule = resolveBriefSchedule({ startsAtLocal: brief.startsAtLocal, endsAtLocal: brief.endsAtLocal, timeZone: brief.timeZone })
    if (!schedule.ok) issues.push(...schedule.issues)
  } else {
    // A draft may set one end of the schedule before the other; what it sets must still be a real time.
    for (const field of ['startsAtLocal', 'endsAtLocal'] as const) {
      const local = brief[field]
      if (local === null) continue
      const resolved = resolveScheduleField(field, local, brief.timeZone)
      if ('issue' in resolved) issues.push(resolved.issue)
    }
  }

  issues.push(...budgetIssues(brief.budgetMinor, brief.currency))
  if (!Number.isInteger(brief.contentVolume) || brief.contentVolume < L.minContentVolume || brief.contentVolume > L.maxContentVolume) {
    issues.push({ path: '/contentVolume', message: `must be a whole number from ${L.minContentVolume} to ${L.maxContentVolume}` })
  }
  issues.push(...deliverableIssues(brief.deliverables, brief.platforms.filter(isSocialPlatform)))

  if (brief.keyMessages.length > L.keyMessages) issues.push({ path: '/keyMessages', message: `takes at most ${L.keyMessages} key messages` })
  brief.keyMessages.forEach((message, i) => {
    if (message.trim() === '' || message.length > L.keyMessage) issues.push({ path: `/keyMessages/${i}`, message: `must be 1–${L.keyMessage} characters` })
  })

  if (brief.references.length > L.references) issues.push({ path: '/references', message: `takes at most ${L.references} references` })
  brief.references.forEach((reference, i) => issues.push(...referenceIssues(reference, i)))
  return issues
}

// ---------------------------------------------------------------------------------------------------------
// Readiness

export const READINESS_CODES = [
  'BRAND_KIT_MISSING',
  'ACCOUNT_MISSING',
  'ACCOUNT_NEEDS_REAUTH',
  'NO_DELIVERABLES',
  'DELIVERABLE_UNASSIGNED',
  'BUDGET_MISSING',
  'DATES_MISSING',
  'SCHEDULE_INVALID',
  'ENDS_IN_PAST',
] as const
export type ReadinessCode = (typeof READINESS_CODES)[number]

export interface ReadinessItem {
  code: ReadinessCode
  message: string
  /** The brief field to fix, when there is one. */
  path?: string
  /** For account items: the platform without a usable account. */
  platform?: SocialPlatform
}

export interface ReadinessInput {
  brief: Pick<CampaignBrief, 'platforms' | 'deliverables' | 'budgetMinor' | 'startsAtLocal' | 'endsAtLocal' | 'timeZone'>
  /** The workspace's current brand kit, or null when it has none. */
  brandKit: { version: number } | null
  /** The social accounts available to the brief's workspace. */
  accounts: readonly { platform: SocialPlatform; status: AccountStatus; handle: string }[]
  now: Date
}

export interface ReadinessResult {
  ready: boolean
  missing: ReadinessItem[]
  /** The kit version the check saw: the launch records it so drafts follow the kit that was checked. */
  brandKitVersion: number | null
}

function listHandles(handles: string[]): string {
  const named = handles.map((h) => (h.startsWith('@') ? h : `@${h}`))
  return named.length <= 1 ? (named[0] ?? '') : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`
}

/**
 * Exactly what stands between a brief and its launch, in the order a person would fix it. An account that
 * needs re-authorisation does not count as connected: publishing through it would fail.
 */
export function readinessCheck(input: ReadinessInput): ReadinessResult {
  const { brief, brandKit, accounts, now } = input
  const missing: ReadinessItem[] = []
  if (brandKit === null || !Number.isInteger(brandKit.version) || brandKit.version < 1) {
    missing.push({ code: 'BRAND_KIT_MISSING', message: 'The workspace has no brand kit: create one so every draft follows the brand.' })
  }

  brief.platforms.forEach((platform, i) => {
    const label = PLATFORM_LABELS[platform]
    const onPlatform = accounts.filter((account) => account.platform === platform)
    if (onPlatform.some((account) => account.status === 'active')) return
    const expired = onPlatform.filter((account) => account.status === 'needs_reauth').map((account) => account.handle)
    if (expired.length) {
      const one = expired.length === 1
      missing.push({
        code: 'ACCOUNT_NEEDS_REAUTH',
        platform,
        path: `/platforms/${i}`,
        message: `The ${label} account${one ? '' : 's'} ${listHandles(expired)} need${one ? 's' : ''} to be reconnected: ${one ? 'its' : 'their'} authorisation expired, so ${one ? 'it does' : 'they do'} not count as connected.`,
      })
    } else {
      missing.push({ code: 'ACCOUNT_MISSING', platform, path: `/platforms/${i}`, message: `No ${label} account is connected: connect one to publish there.` })
    }
  })

  if (brief.deliverables.length === 0) {
    missing.push({ code: 'NO_DELIVERABLES', path: '/deliverables', message: 'Add at least one deliverable, for example 3 TikTok videos from a creator.' })
  }
  brief.deliverables.forEach((deliverable, i) => {
    if (deliverable.creatorId === null || deliverable.creatorId.trim() === '') {
      missing.push({ code: 'DELIVERABLE_UNASSIGNED', path: `/deliverables/${i}/creatorId`, message: `${describeDeliverable(deliverable)} ${deliverable.count === 1 ? 'has' : 'have'} no creator: assign one.` })
    }
  })

  if (!(brief.budgetMinor > 0)) missing.push({ code: 'BUDGET_MISSING', path: '/budgetMinor', message: 'Set a budget above zero.' })

  if (brief.startsAtLocal === null) missing.push({ code: 'DATES_MISSING', path: '/startsAtLocal', message: 'Set when the campaign starts.' })
  if (brief.endsAtLocal === null) missing.push({ code: 'DATES_MISSING', path: '/endsAtLocal', message: 'Set when the campaign ends.' })
  if (brief.startsAtLocal !== null && brief.endsAtLocal !== null) {
    const schedule = resolveBriefSchedule({ startsAtLocal: brief.startsAtLocal, endsAtLocal: brief.endsAtLocal, timeZone: brief.timeZone })
    if (!schedule.ok) {
      for (const issue of schedule.issues) missing.push({ code: 'SCHEDULE_INVALID', path: issue.path, message: `The schedule is not usable: ${issue.message}` })
    } else if (schedule.schedule.endsAt.getTime() <= now.getTime()) {
      missing.push({
        code: 'ENDS_IN_PAST',
        path: '/endsAtLocal',
        message: `The campaign ended at ${brief.endsAtLocal.replace('T', ' ')} (${brief.timeZone}): move the end into the future.`,
      })
    }
  }
  return { ready: missing.length === 0, missing, brandKitVersion: brandKit?.version ?? null }
}

// ---------------------------------------------------------------------------------------------------------
// Industry templates

export const INDUSTRY_TEMPLATE_IDS = ['restaurant', 'real-estate', 'fitness', 'beauty', 'e-commerce', 'saas'] as const
export type IndustryTemplateId = (typeof INDUSTRY_TEMPLATE_IDS)[number]

export interface IndustryTemplate {
  id: IndustryTemplateId
  label: string
  /** One line for the template picker. */
  description: string
  suggestedName: string
  objective: Objective
  platforms: SocialPlatform[]
  audience: string
  keyMessages: string[]
  /** The deliverable mix to assign to creators once the brief has some. */
  deliverableMix: { platform: SocialPlatform; kind: DeliverableKind; count: number }[]
  contentVolume: number
  /** In USD cents. */
  suggestedBudgetMinor: number
  referenceIdeas: string[]
}

export const INDUSTRY_TEMPLATES: Record<IndustryTemplateId, IndustryTemplate> = {
  restaurant: {
    id: 'restaurant',
    label: 'Restaurant',
    description: 'Fill tables: seasonal dishes, the kitchen at work, and a booking link in every post.',
    suggestedName: 'Seasonal menu launch',
    objective: 'traffic',
    platforms: ['instagram', 'tiktok', 'facebook'],
    audience:
      'Locals aged 25–45 living or working within 5 km who eat out at least twice a month, pick weekend dinner spots from Instagram and discover new places on TikTok; plus nearby office workers looking for a quick, good lunch.',
    keyMessages: [
      'A new seasonal menu, cooked from scratch every day',
      'Book a table in two taps: link in bio',
      'Weekday lunch set served in 15 minutes',
      'Meet the kitchen: the people behind every plate',
    ],
    deliverableMix: [
      { platform: 'instagram', kind: 'reel', count: 4 },
      { platform: 'instagram', kind: 'story', count: 6 },
      { platform: 'instagram', kind: 'carousel', count: 2 },
      { platform: 'tiktok', kind: 'video', count: 4 },
      { platform: 'facebook', kind: 'post', count: 2 },
    ],
    contentVolume: 20,
    suggestedBudgetMinor: 250_000,
    referenceIdeas: [
      'Overhead shot of the signature dish being plated, 10–15 seconds, natural window light',
      'Behind the pass during the Friday dinner rush, with the kitchen sound left in',
      'Carousel of the new menu: one dish per slide with its price',
      'A server recommends their favourite dish straight to camera',
    ],
  },
  'real-estate': {
    id: 'real-estate',
    label: 'Real estate',
    description: 'Win viewings and valuation requests with walkthroughs, staging and neighbourhood stories.',
    suggestedName: 'New listings and valuations',
    objective: 'leads',
    platforms: ['instagram', 'facebook'],
    audience:
      'First-time buyers and growing families aged 30–50 searching in the metro area, and local homeowners who are thinking about selling within the next 12 months and want to know what their home is worth.',
    keyMessages: [
      'Book a private viewing this week',
      'Free home valuation within 48 hours',
      'We sell homes in this neighbourhood every month',
      'Clear fees agreed up front, no surprises at closing',
    ],
    deliverableMix: [
      { platform: 'instagram', kind: 'reel', count: 4 },
      { platform: 'instagram', kind: 'carousel', count: 4 },
      { platform: 'instagram', kind: 'story', count: 4 },
      { platform: 'facebook', kind: 'video', count: 2 },
      { platform: 'facebook', kind: 'post', count: 4 },
    ],
    contentVolume: 18,
    suggestedBudgetMinor: 400_000,
    referenceIdeas: [
      'One continuous 60-second walkthrough from the front door to the garden, filmed on a gimbal',
      'Before and after of the staged living room, same angle and light',
      'Neighbourhood guide: three coffee spots, a park and the school run within a 10-minute walk',
      'Buyers holding the keys on handover day, telling how the search went',
    ],
  },
  fitness: {
    id: 'fitness',
    label: 'Fitness',
    description: 'Build a community around a 30-day challenge with coaches and real members on camera.',
    suggestedName: '30-day challenge',
    objective: 'engagement',
    platforms: ['instagram', 'tiktok'],
    audience:
      'Adults aged 22–40 who want to train consistently but find big gyms intimidating: beginners and people coming back after a break, living or working within a short commute of the studio.',
    keyMessages: [
      'Join the free 30-day challenge and train with us',
      'Classes for every level: coaches scale every move',
      'Your first week is free, with no contract',
      'Real members, real progress',
    ],
    deliverableMix: [
      { platform: 'tiktok', kind: 'video', count: 6 },
      { platform: 'instagram', kind: 'reel', count: 6 },
      { platform: 'instagram', kind: 'story', count: 8 },
      { platform: 'instagram', kind: 'carousel', count: 2 },
    ],
    contentVolume: 24,
    suggestedBudgetMinor: 300_000,
    referenceIdeas: [
      'A coach demonstrates one move at three difficulty levels, side by side',
      'A member tells their own progress story, filmed with their consent',
      'A day in the life of the 6 a.m. class, from doors opening to the last stretch',
      'Weekly challenge leaderboard as an Instagram story with a poll sticker',
    ],
  },
  beauty: {
    id: 'beauty',
    label: 'Beauty',
    description: 'Launch a product with honest routines, texture close-ups and visible before/after results.',
    suggestedName: 'Serum launch',
    objective: 'awareness',
    platforms: ['tiktok', 'instagram'],
    audience:
      'Skincare-curious people aged 18–34 who follow creators for honest reviews, buy after seeing real skin on camera rather than retouched ads, and shop mostly from their phones.',
    keyMessages: [
      'Dermatologist-tested and fragrance-free',
      'Visible results in 14 days',
      'Cruelty-free and vegan formula',
      'In stores and online from launch day',
    ],
    deliverableMix: [
      { platform: 'tiktok', kind: 'video', count: 8 },
      { platform: 'tiktok', kind: 'photo', count: 2 },
      { platform: 'instagram', kind: 'reel', count: 6 },
      { platform: 'instagram', kind: 'carousel', count: 2 },
      { platform: 'instagram', kind: 'story', count: 6 },
    ],
    contentVolume: 26,
    suggestedBudgetMinor: 600_000,
    referenceIdeas: [
      'Get ready with me using the product in daylight, no filter',
      'Texture close-up: a swatch on the back of the hand, then rubbed in',
      'Day 1 and day 14 side by side, same light, same angle',
      'Ingredient carousel: what each key ingredient does, one per slide',
    ],
  },
  'e-commerce': {
    id: 'e-commerce',
    label: 'E-commerce',
    description: 'Drive sales of a product drop with unboxings, products in real homes and a clear offer.',
    suggestedName: 'Summer collection drop',
    objective: 'sales',
    platforms: ['instagram', 'facebook', 'tiktok'],
    audience:
      'Online shoppers aged 25–44 who buy home goods and gifts on mobile, respond to unboxings and limited-time offers, and have ordered from a direct-to-consumer brand in the last six months.',
    keyMessages: [
      'Free shipping on orders over $50',
      'Free returns for 30 days',
      'Limited drop: only while stock lasts',
      'Bundle two and save 15% this week',
    ],
    deliverableMix: [
      { platform: 'tiktok', kind: 'video', count: 6 },
      { platform: 'instagram', kind: 'reel', count: 4 },
      { platform: 'instagram', kind: 'carousel', count: 4 },
      { platform: 'instagram', kind: 'story', count: 6 },
      { platform: 'facebook', kind: 'post', count: 4 },
      { platform: 'facebook', kind: 'video', count: 2 },
    ],
    contentVolume: 30,
    suggestedBudgetMinor: 800_000,
    referenceIdeas: [
      'Unboxing in one take, from the parcel at the door to first use',
      'The product in a real home at night: how it looks on the shelf with lamps on',
      'Carousel of customer reviews with their own photos',
      'Countdown story for the last 24 hours of the offer',
    ],
  },
  saas: {
    id: 'saas',
    label: 'SaaS',
    description: 'Turn a concrete task solved on screen into free-trial sign-ups.',
    suggestedName: 'Free trial push',
    objective: 'leads',
    platforms: ['instagram', 'facebook'],
    audience:
      'Operations leads and founders at companies of 10–200 people who lose hours every week to spreadsheets and manual reporting, and who decide after seeing a product solve a task they recognise.',
    keyMessages: [
      'Start a 14-day free trial, no credit card needed',
      'Set up in under 10 minutes',
      'Replace three spreadsheets with one live dashboard',
      'Works with the tools your team already uses',
    ],
    deliverableMix: [
      { platform: 'instagram', kind: 'reel', count: 4 },
      { platform: 'instagram', kind: 'carousel', count: 4 },
      { platform: 'facebook', kind: 'video', count: 3 },
      { platform: 'facebook', kind: 'post', count: 4 },
    ],
    contentVolume: 16,
    suggestedBudgetMinor: 500_000,
    referenceIdeas: [
      'Screen recording of a real task done in under 60 seconds, with captions on',
      'The founder explains the problem in one sentence, straight to camera',
      'Carousel: the weekly report before and after, hours spent on each',
      'A customer quote with their logo and the hours they save each month',
    ],
  },
}

export function isIndustryTemplateId(value: string): value is IndustryTemplateId {
  return (INDUSTRY_TEMPLATE_IDS as readonly string[]).includes(value)
}

/**
 * A new brief prefilled from a template, with `overrides` (name, time zone, currency, …) on top. The suggested
 * budget is in USD, so another currency starts with no budget rather than a wrong one; deliverables on a
 * platform the overrides removed are dropped. Deliverables start unassigned: creators are picked per brief.
 */
export function applyTemplate(templateId: IndustryTemplateId, overrides: Partial<CampaignBrief> = {}): CampaignBrief {
  const template = INDUSTRY_TEMPLATES[templateId]
  const platforms = overrides.platforms ?? [...template.platforms]
  const currency = overrides.currency ?? 'USD'
  const draft: CampaignBrief = {
    name: template.suggestedName,
    objective: template.objective,
    audience: template.audience,
    platforms,
    startsAtLocal: null,
    endsAtLocal: null,
    timeZone: 'UTC',
    budgetMinor: currency === 'USD' ? template.suggestedBudgetMinor : 0,
    currency,
    contentVolume: template.contentVolume,
    deliverables: template.deliverableMix.filter((d) => platforms.includes(d.platform)).map((d) => ({ creatorId: null, ...d })),
    keyMessages: [...template.keyMessages],
    references: template.referenceIdeas.map((note) => ({ kind: 'idea', note })),
  }
  // A key present but undefined (an empty form field) keeps the template's value.
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined))
  return { ...draft, ...given }
}
