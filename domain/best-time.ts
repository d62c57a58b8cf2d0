// When to post: a suggestion from the account's own past engagement when it has enough history, otherwise a
// documented default per platform. Times are local to the account's audience (the campaign's time zone), as
// weekday and hour slots; the scheduler turns a slot into the next matching instant.

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6 // Sunday = 0, as Date#getDay

export interface PostingSlot {
  weekday: Weekday
  /** 0..23, local to the audience's time zone. */
  hour: number
}

export interface PastPost {
  /** When it went out, as the audience's local weekday and hour. */
  slot: PostingSlot
  /** Its engagement rate at its latest metrics snapshot (domain/publishing.ts engagementRate). */
  engagementRate: number
}

export type SuggestionBasis = 'history' | 'default'

export interface BestTimeSuggestion {
  slots: PostingSlot[]
  basis: SuggestionBasis
  /** For people: why these times. */
  reason: string
}

/** Below this many measured posts an account's own numbers are noise: the default applies. */
export const MIN_HISTORY_POSTS = 8
/** A slot needs this many posts of its own to be ranked on its numbers. */
const MIN_POSTS_PER_SLOT = 2

/**
 * The defaults when an account has no history yet: weekday late mornings and early evenings, the hours
 * platform-wide studies most often report as strong for each platform. They are a starting point, replaced by
 * the account's own numbers after MIN_HISTORY_POSTS measured posts.
 */
export const DEFAULT_SLOTS: Record<'instagram' | 'facebook' | 'tiktok', PostingSlot[]> = {
  instagram: [
    { weekday: 2, hour: 11 },
    { weekday: 3, hour: 11 },
    { weekday: 4, hour: 18 },
  ],
  facebook: [
    { weekday: 2, hour: 9 },
    { weekday: 3, hour: 13 },
    { weekday: 4, hour: 9 },
  ],
  tiktok: [
    { weekday: 2, hour: 19 },
    { weekday: 4, hour: 20 },
    { weekday: 5, hour: 17 },
  ],
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

export function slotLabel(slot: PostingSlot): string {
  return `${WEEKDAY_NAMES[slot.weekday]} ${String(slot.hour).padStart(2, '0')}:00`
}

/**
 * Up to `count` slots: with enough history, the weekday-hour slots whose posts had the highest mean engagement
 * (each slot backed by at least two posts; ties to the slot with more posts, then the earlier slot in the
 * week); otherwise the platform's defaults.
 */
export function suggestPostingSlots(platform: keyof typeof DEFAULT_SLOTS, history: readonly PastPost[], count = 3): BestTimeSuggestion {
  const fallback = (reason: string): BestTimeSuggestion => ({ slots: DEFAULT_SLOTS[platform].slice(0, count), basis: 'default', reason })
  if (history.length < MIN_HISTORY_POSTS) {
    return fallback(`Typical good times for ${platform}: this account has ${history.length} measured post${history.length === 1 ? '' : 's'}, and its own times are used from ${MIN_HISTORY_POSTS}.`)
  }
  const bySlot = new Map<number, { slot: PostingSlot; total: number; posts: number }>()
  for (const post of history) {
    const key = post.slot.weekday * 24 + post.slot.hour
    const entry = bySlot.get(key) ?? { slot: post.slot, total: 0, posts: 0 }
    entry.total += post.engagementRate
    entry.posts += 1
    bySlot.set(key, entry)
  }
  const ranked = [...bySlot.entries()]
    .filter(([, entry]) => entry.posts >= MIN_POSTS_PER_SLOT)
    .map(([key, entry]) => ({ key, slot: entry.slot, mean: entry.total / entry.posts, posts: entry.posts }))
    .sort((a, b) => b.mean - a.mean || b.posts - a.posts || a.key - b.key)
  if (ranked.length === 0) return fallback(`Typical good times for ${platform}: no time of this account's has two posts to compare yet.`)
  const best = ranked.slice(0, count)
  const top = best[0]!
  return {
    slots: best.map((entry) => entry.slot),
    basis: 'history',
    reason: `From this account's ${history.length} measured posts: ${slotLabel(top.slot)} averaged ${(top.mean * 100).toFixed(1)} % engagement over ${top.posts} posts.`,
  }
}

/**
 * The next instant at or after `from` that is `slot`'s hour, on the hour, in `timeZone`. Walks quarter hours
 * through at most eight days, so daylight-saving shifts and half-hour zones are the time zone database's
 * business, not arithmetic's.
 */
export function nextSlotInstant(slot: PostingSlot, timeZone: string, from: Date): Date {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' })
  const weekdays: Record<string, Weekday> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }
  const QUARTER = 15 * 60_000
  const start = Math.ceil(from.getTime() / QUARTER) * QUARTER
  for (let i = 0; i <= 4 * 24 * 8; i++) {
    const candidate = new Date(start + i * QUARTER)
    const parts = Object.fromEntries(format.formatToParts(candidate).map((part) => [part.type, part.value]))
    if (weekdays[parts.weekday!] === slot.weekday && Number(parts.hour) === slot.hour && Number(parts.minute) === 0) return candidate
  }
  throw new Error(`no ${slotLabel(slot)} in ${timeZone} within eight days of ${from.toISOString()}`)
}

/** The audience's local weekday and hour of an instant, in `timeZone`. */
export function localSlotOf(at: Date, timeZone: string): PostingSlot {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' }).formatToParts(at).map((part) => [part.type, part.value]),
  )
  const weekdays: Record<string, Weekday> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }
  return { weekday: weekdays[parts.weekday!]!, hour: Number(parts.hour) }
}
