// The publishing calendar's arithmetic: which days a month or week view shows (weeks start on Monday), the
// range asked of the API, where each post falls in the workspace's time zone, and the wall-clock time a
// dropped chip asks for. Calendar days are plain dates ("2026-11-17"); only posts are instants.
import { addDays, isCalendarDate } from '../../../domain/campaign-brief.ts'
import { wallClockIn, type ScheduledPostView, type WallClock } from './publishing.ts'

export const CALENDAR_VIEWS = ['month', 'week'] as const
export type CalendarView = (typeof CALENDAR_VIEWS)[number]

/** GET /api/workspaces/:workspaceId/scheduled-posts */
export interface CalendarPosts {
  /** The workspace's time zone: the calendar's days and hours are its. */
  timeZone: string
  posts: ScheduledPostView[]
}

export interface CalendarQuery {
  view: CalendarView
  /** The period's first day: the 1st of the month, or the week's Monday. */
  anchor: string
  /** Whether the address named a day; without one the period is today's, in the workspace's zone. */
  explicit: boolean
}

export const WEEKDAY_HEADINGS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const MONTHS_SHORT = MONTHS.map((month) => month.slice(0, 3))

/** Monday = 0 … Sunday = 6 */
function mondayIndex(date: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7
}

export function periodStart(view: CalendarView, date: string): string {
  return view === 'month' ? `${date.slice(0, 7)}-01` : addDays(date, -mondayIndex(date))
}

/** ?view=week&date=2026-11-18; without a (valid) date, the period of `today`. */
export function readCalendarQuery(params: URLSearchParams, today: string): CalendarQuery {
  const view: CalendarView = params.get('view') === 'week' ? 'week' : 'month'
  const date = params.get('date') ?? ''
  const explicit = isCalendarDate(date)
  return { view, anchor: periodStart(view, explicit ? date : today), explicit }
}

/** The days on screen: whole weeks, Monday to Sunday, around the month; or the week's seven days. */
export function periodDays(view: CalendarView, anchor: string): string[] {
  if (view === 'week') return Array.from({ length: 7 }, (_, i) => addDays(anchor, i))
  const first = addDays(anchor, -mondayIndex(anchor))
  const lastOfMonth = addDays(`${addDays(anchor, 31).slice(0, 7)}-01`, -1)
  const last = addDays(lastOfMonth, 6 - mondayIndex(lastOfMonth))
  const days: string[] = []
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day)
  return days
}

/** The previous (-1) or next (1) month or week. */
export function shiftPeriod(view: CalendarView, anchor: string, step: -1 | 1): string {
  if (view === 'week') return addDays(anchor, 7 * step)
  const [year, month] = anchor.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(year, month - 1 + step, 1)).toISOString().slice(0, 10)
}

const shortDay = (date: string) => `${Number(date.slice(8, 10))} ${MONTHS_SHORT[Number(date.slice(5, 7)) - 1]}`

/** "November 2026", or "16 – 22 Nov 2026", "30 Nov – 6 Dec 2026", "28 Dec 2026 – 3 Jan 2027". */
export function periodLabel(view: CalendarView, anchor: string): string {
  const year = anchor.slice(0, 4)
  if (view === 'month') return `${MONTHS[Number(anchor.slice(5, 7)) - 1]} ${year}`
  const end = addDays(anchor, 6)
  if (end.slice(0, 4) !== year) return `${shortDay(anchor)} ${year} – ${shortDay(end)} ${end.slice(0, 4)}`
  if (end.slice(0, 7) === anchor.slice(0, 7)) return `${Number(anchor.slice(8, 10))} – ${shortDay(end)} ${year}`
  return `${shortDay(anchor)} – ${shortDay(end)} ${year}`
}

/**
 * The instants asked of the API: a day more on each side of the days on screen, since the workspace's zone
 * (up to 14 hours from UTC) is known only from the answer. Posts outside the days on screen are left out.
 */
export function apiRange(days: readonly string[]): { from: string; to: string } {
  return { from: `${addDays(days[0]!, -1)}T00:00:00.000Z`, to: `${addDays(days.at(-1)!, 2)}T00:00:00.000Z` }
}

export function calendarSearch(view: CalendarView, anchor: string): string {
  return new URLSearchParams({ view, date: anchor }).toString()
}

export interface CalendarEntry {
  post: ScheduledPostView
  /** When it goes out, on the workspace's clocks. */
  clock: WallClock
}

/** Each day's posts in time order, placed by the workspace's clocks; days not on screen are left out. */
export function postsByDay(posts: readonly ScheduledPostView[], timeZone: string, days: readonly string[]): Map<string, CalendarEntry[]> {
  const byDay = new Map<string, CalendarEntry[]>(days.map((day) => [day, []]))
  const ordered = [...posts].sort((a, b) => a.scheduledAt.localeCompare(b.scheduledAt) || a.id.localeCompare(b.id))
  for (const post of ordered) {
    const clock = wallClockIn(post.scheduledAt, timeZone)
    byDay.get(clock.date)?.push({ post, clock })
  }
  return byDay
}

/** Where a chip was dropped: a day (month view) or a day and hour (week view). */
export interface DropSlot {
  date: string
  hour: number | null
}

/**
 * The wall-clock time a dropped post asks for, in the calendar's zone: the same time of day on the new day
 * (month view), or the new day and hour keeping its minutes (week view). Null when it is where it was.
 */
export function rescheduleLocal(entry: CalendarEntry, slot: DropSlot): string | null {
  const hour = slot.hour === null ? entry.clock.hour : slot.hour
  if (slot.date === entry.clock.date && hour === entry.clock.hour) return null
  return `${slot.date}T${String(hour).padStart(2, '0')}:${String(entry.clock.minute).padStart(2, '0')}`
}

/** Drop-target ids: "day:2026-11-17" (month) and "slot:2026-11-17T18" (week). */
export function dropSlotId(slot: DropSlot): string {
  return slot.hour === null ? `day:${slot.date}` : `slot:${slot.date}T${String(slot.hour).padStart(2, '0')}`
}

export function parseDropSlotId(id: string): DropSlot | null {
  const day = /^day:(\d{4}-\d{2}-\d{2})$/.exec(id)
  if (day && isCalendarDate(day[1]!)) return { date: day[1]!, hour: null }
  const slot = /^slot:(\d{4}-\d{2}-\d{2})T(\d{2})$/.exec(id)
  if (slot && isCalendarDate(slot[1]!) && Number(slot[2]) < 24) return { date: slot[1]!, hour: Number(slot[2]) }
  return null
}
