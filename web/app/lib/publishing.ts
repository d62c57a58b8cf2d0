// Publishing in the web app: the API's shapes for scheduled posts and a card's publishing section, a
// wall-clock time chosen in a time zone as the instant it stands for (daylight-saving gaps and repeats said
// in plain words), how posts, slots and metrics read on screen, and the schedule/reschedule forms as API bodies.
import type { Static } from '@fastify/type-provider-typebox'
import type {
  CardPublishing as CardPublishingSchema,
  MetricSnapshot,
  PublishTarget as PublishTargetSchema,
  RescheduleBody as RescheduleBodySchema,
  ScheduleBody as ScheduleBodySchema,
  ScheduledPost,
  Verification,
} from '../../../api/schemas/publishing.ts'
import { PLATFORM_LABELS, type SocialPlatform } from '../../../domain/brand-kit.ts'
import { MIN_HISTORY_POSTS, type SuggestionBasis } from '../../../domain/best-time.ts'
import { isTimeZone, resolveLocalDateTime } from '../../../domain/campaign-brief.ts'
import type { ScheduledPostStatus } from '../../../domain/publishing.ts'
import type { AccountStatus } from '../../../domain/social-accounts.ts'

// ---------------------------------------------------------------------------------------------------------
// The API's shapes (GET /api/cards/:cardId/publishing, the scheduled-post routes). Its own response schemas are
// the source (type-only imports: nothing of the API is bundled), narrowed where the web app relies on more:
// platforms and account statuses are the domain's.

/** One metrics pull of a published post; engagementRate is a fraction (0.062 = 6.2 %). */
export type MetricSnapshotView = Static<typeof MetricSnapshot>

export type ScheduledPostView = Omit<Static<typeof ScheduledPost>, 'platform'> & { platform: SocialPlatform }

type PublishTargetShape = Static<typeof PublishTargetSchema>
export type PublishTarget = Omit<PublishTargetShape, 'platform' | 'accountStatus'> & { platform: SocialPlatform; accountStatus: AccountStatus }
export type SlotSuggestionView = PublishTarget['suggestion']['slots'][number]

/** GET /api/cards/:cardId/publishing */
export type CardPublishing = Omit<Static<typeof CardPublishingSchema>, 'posts' | 'targets'> & { posts: ScheduledPostView[]; targets: PublishTarget[] }

/** POST /api/cards/:cardId/scheduled-posts (at: null posts now) */
export type ScheduleBody = Static<typeof ScheduleBodySchema>

/** POST /api/scheduled-posts/:postId/reschedule */
export type RescheduleBody = Static<typeof RescheduleBodySchema>

/** POST /api/scheduled-posts/:postId/verify */
export type VerifyAnswer = Omit<Static<typeof Verification>, 'post'> & { post: ScheduledPostView }

// ---------------------------------------------------------------------------------------------------------
// Wall-clock times in a time zone

export type WallClockReading = { ok: true; at: Date; note: string | null } | { ok: false; error: string }

const LOCAL_INPUT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/

/**
 * The instant a datetime-local value ("2027-03-28T09:30") stands for in `timeZone`. A time that never happens
 * (clocks jump forward over it) is refused with the jump named; a time that happens twice (clocks go back) is
 * the first of the two, and `note` says so. Offsets come from the time zone database (half-hour and
 * 45-minute zones included), never from arithmetic.
 */
export function instantFromWallClock(local: string, timeZone: string): WallClockReading {
  if (local.trim() === '') return { ok: false, error: 'Choose a date and time.' }
  if (!isTimeZone(timeZone)) return { ok: false, error: `“${timeZone}” is not a time zone: choose one from the list.` }
  const resolution = LOCAL_INPUT.test(local) ? resolveLocalDateTime(local, timeZone) : { kind: 'invalid' as const }
  switch (resolution.kind) {
    case 'exact':
      return { ok: true, at: resolution.instant, note: null }
    case 'ambiguous':
      return {
        ok: true,
        at: resolution.instant,
        note: `${clockTime(local)} happens twice on ${dayLabel(local)} in ${timeZone} (clocks go back): the first one is used.`,
      }
    case 'gap':
      return {
        ok: false,
        error: `${clockTime(local)} does not happen on ${dayLabel(local)} in ${timeZone}: clocks jump from ${clockTime(resolution.gapStartsLocal)} to ${clockTime(resolution.gapEndsLocal)}. Choose a time outside the jump.`,
      }
    case 'invalid':
      return { ok: false, error: `“${local}” is not a date and time.` }
  }
}

const clockTime = (local: string) => local.slice(11, 16)
const dayLabel = (local: string) => formatDay(local.slice(0, 10))

export interface WallClock {
  /** "2027-03-28" */
  date: string
  /** "09:30" */
  time: string
  /** "2027-03-28T09:30", as a datetime-local input takes it. */
  local: string
  hour: number
  minute: number
  /** Sunday = 0. */
  weekday: number
}

const partsFormats = new Map<string, Intl.DateTimeFormat>()
const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' })
    partsFormats.set(timeZone, format)
  }
  return format
}

/** What clocks in `timeZone` show at `instant`. */
export function wallClockIn(instant: Date | string, timeZone: string): WallClock {
  const parts = Object.fromEntries(partsFormat(timeZone).formatToParts(new Date(instant)).map((part) => [part.type, part.value]))
  const date = `${parts.year}-${parts.month}-${parts.day}`
  const time = `${parts.hour}:${parts.minute}`
  return { date, time, local: `${date}T${time}`, hour: Number(parts.hour), minute: Number(parts.minute), weekday: WEEKDAY_INDEX[parts.weekday!] ?? 0 }
}

// ---------------------------------------------------------------------------------------------------------
// How things read. Fixed words and explicit zones: the server and the browser render the same text.

const WEEKDAYS_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** "2027-03-28" → "Sun 28 Mar 2027" */
export function formatDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay()
  return `${WEEKDAYS_SHORT[weekday]} ${day} ${MONTHS_SHORT[month - 1]} ${year}`
}

/** "Tue 17 Nov 2026, 18:00 (Europe/Berlin)": an instant as clocks in `timeZone` show it. */
export function formatInZone(instant: string | Date, timeZone: string, { withZone = true } = {}): string {
  const clock = wallClockIn(instant, timeZone)
  return `${formatDay(clock.date)}, ${clock.time}${withZone ? ` (${timeZone})` : ''}`
}

/** 0.0624 → "6.2 %" */
export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(1)} %`
}

const counts = new Intl.NumberFormat('en-US')
export function formatCount(value: number | null): string {
  return value === null ? '—' : counts.format(value)
}

/** "Tue 18:00 — your best slot, 6.2 % avg" or "Tue 18:00 — platform default". */
export function slotChipLabel(slot: Pick<SlotSuggestionView, 'weekday' | 'hour' | 'meanEngagementRate'>, basis: SuggestionBasis): string {
  const when = `${WEEKDAYS_SHORT[slot.weekday] ?? '?'} ${String(slot.hour).padStart(2, '0')}:00`
  if (basis === 'history') return `${when} — your best slot${slot.meanEngagementRate === null ? '' : `, ${formatRate(slot.meanEngagementRate)} avg`}`
  return `${when} — platform default`
}

/** Why these times, in plain words. */
export function suggestionBasisLine(target: Pick<PublishTarget, 'platform' | 'suggestion'>, timeZone: string): string {
  const { basis, basedOnPosts } = target.suggestion
  const posts = `${basedOnPosts} measured post${basedOnPosts === 1 ? '' : 's'}`
  if (basis === 'history') return `From this account’s own ${posts}: the weekday hours with the highest average engagement, in ${timeZone}.`
  return `Typical good times for ${PLATFORM_LABELS[target.platform]}, in ${timeZone}: this account has ${posts}, and its own best times are used from ${MIN_HISTORY_POSTS}.`
}

export function permalinkLabel(platform: SocialPlatform): string {
  return `View on ${PLATFORM_LABELS[platform]}`
}

/** "Instagram @luna.coffee" */
export function accountLabel(post: Pick<ScheduledPostView, 'platform' | 'handle'>): string {
  return `${PLATFORM_LABELS[post.platform]} @${post.handle}`
}

export type StatusTone = 'amber' | 'emerald' | 'sky' | 'slate' | 'red'

/** Badge tones: waiting is neutral, under way is blue, a person's attention is amber or red, done is green. */
export const STATUS_TONES: Record<ScheduledPostStatus, StatusTone> = {
  scheduled: 'sky',
  publishing: 'sky',
  deferred: 'amber',
  needs_reauth: 'amber',
  unconfirmed: 'amber',
  published: 'emerald',
  failed: 'red',
  cancelled: 'slate',
}

// ---------------------------------------------------------------------------------------------------------
// Forms

export const PUBLISHING_INTENTS = ['schedule', 'reschedule-post', 'cancel-post', 'verify-post'] as const
export type PublishingIntent = (typeof PUBLISHING_INTENTS)[number]
export type PostIntent = Exclude<PublishingIntent, 'schedule'>

/** What a schedule or reschedule form held, given back with a refusal so nothing typed is lost. */
export interface WhenValues {
  local: string
  timeZone: string
}

/** What a publishing form in the card drawer or the calendar answered. */
export type PublishingActionResult =
  | { intent: 'schedule'; ok: true; accountIds: string[]; notice: string }
  | { intent: 'schedule'; ok: false; accountIds: string[]; code: string; error: string; values: WhenValues }
  | { intent: PostIntent; ok: true; postId: string; notice: string }
  | { intent: PostIntent; ok: false; postId: string; code: string; error: string; values: WhenValues | null }

export function isPublishingIntent(value: unknown): value is PublishingIntent {
  return typeof value === 'string' && (PUBLISHING_INTENTS as readonly string[]).includes(value)
}

export function isPublishingResult(value: unknown): value is PublishingActionResult {
  return typeof value === 'object' && value !== null && isPublishingIntent((value as { intent?: unknown }).intent)
}

/** A suggested slot picked without JavaScript: the drawer's address carries it, the loader hands it back. */
export interface SlotPrefill {
  accountId: string
  at: string
}

export const SLOT_ACCOUNT_PARAM = 'slotAccount'
export const SLOT_AT_PARAM = 'slotAt'

export function readSlotPrefill(params: URLSearchParams): SlotPrefill | null {
  const accountId = params.get(SLOT_ACCOUNT_PARAM) ?? ''
  const at = params.get(SLOT_AT_PARAM) ?? ''
  if (!isUuid(accountId) || !/^\d{4}-\d{2}-\d{2}T/.test(at) || Number.isNaN(Date.parse(at))) return null
  return { accountId, at: new Date(at).toISOString() }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const isUuid = (value: string) => UUID.test(value)

type Reading<T> = { ok: true; body: T; note: string | null } | { ok: false; error: string }

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim()

/** The values of a when-form (datetime-local and zone), as typed. */
export function readWhenValues(form: FormData): WhenValues {
  return { local: text(form, 'local'), timeZone: text(form, 'timeZone') }
}

/**
 * "Schedule" (when = at: the datetime-local in the chosen zone) or "Post now" (when = now) for the accounts
 * named, as the API's body.
 */
export function readScheduleForm(form: FormData): Reading<ScheduleBody> {
  const accountIds = form.getAll('socialAccountId').map(String).filter((id) => id !== '')
  if (accountIds.length === 0 || !accountIds.every(isUuid)) return { ok: false, error: 'Choose the account to post to.' }
  const { local, timeZone } = readWhenValues(form)
  if (!isTimeZone(timeZone)) return { ok: false, error: timeZone === '' ? 'Choose a time zone.' : `“${timeZone}” is not a time zone: choose one from the list.` }
  if (form.get('when') === 'now') return { ok: true, body: { socialAccountIds: accountIds, at: null, timeZone }, note: null }
  const reading = instantFromWallClock(local, timeZone)
  if (!reading.ok) return reading
  return { ok: true, body: { socialAccountIds: accountIds, at: reading.at.toISOString(), timeZone }, note: reading.note }
}

/**
 * A new time for a post: the datetime-local in the zone it was chosen in. With `keepZone` (a drag on the
 * calendar, where times are the workspace's) the post keeps its own audience zone and only the instant moves.
 */
export function readRescheduleForm(form: FormData): Reading<RescheduleBody> {
  const { local, timeZone } = readWhenValues(form)
  const reading = instantFromWallClock(local, timeZone)
  if (!reading.ok) return reading
  const at = reading.at.toISOString()
  return { ok: true, body: form.get('keepZone') === '1' ? { at } : { at, timeZone }, note: reading.note }
}
