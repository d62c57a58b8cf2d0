// How briefs read on screen. A brief's dates are wall-clock times in its own time zone, not instants in the
// viewer's, so they are formatted as written (read as UTC, shown as UTC): the server and the browser render
// the same text, and "9:00 AM" means 9:00 where the campaign runs.
import { PLATFORM_LABELS, type SocialPlatform } from '../../../domain/brand-kit.ts'
import { formatMoney, isCurrencyCode } from '../../../domain/campaign-brief.ts'

// A fixed locale: the server does not know the viewer's, and the same text on both sides avoids a hydration mismatch.
const LOCALE = 'en-US'
const wallClock = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
const wallDate = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: 'UTC' })
const wallTime = new Intl.DateTimeFormat(LOCALE, { timeStyle: 'short', timeZone: 'UTC' })

function wallClockMs(local: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local)
  if (!match) return null
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number]
  const ms = Date.UTC(year, month - 1, day, hour, minute)
  return Number.isNaN(ms) ? null : ms
}

/** "2026-12-01T09:00" → "Dec 1, 2026, 9:00 AM"; what is no date is shown as it is. */
export function formatLocalDateTime(local: string): string {
  const ms = wallClockMs(local)
  return ms === null ? local : wallClock.format(ms)
}

/**
 * "Dec 1, 2026, 9:00 AM – Dec 8, 2026, 6:00 PM" (the end's date is left out when it is the same day), or
 * what is still missing.
 */
export function formatBriefDates(brief: { startsAtLocal: string | null; endsAtLocal: string | null }): string {
  const { startsAtLocal: start, endsAtLocal: end } = brief
  if (start === null && end === null) return 'No dates yet'
  if (start === null) return `Ends ${formatLocalDateTime(end!)}`
  if (end === null) return `Starts ${formatLocalDateTime(start)}`
  const startMs = wallClockMs(start)
  const endMs = wallClockMs(end)
  const sameDay = startMs !== null && endMs !== null && wallDate.format(startMs) === wallDate.format(endMs)
  return `${formatLocalDateTime(start)} – ${sameDay ? wallTime.format(endMs) : formatLocalDateTime(end)}`
}

/** "$2,500.00", or "No budget" while it is zero. */
export function formatBudget(minor: number, currency: string): string {
  if (minor === 0) return 'No budget'
  return isCurrencyCode(currency) ? formatMoney(minor, currency, LOCALE) : `${minor} ${currency} (minor units)`
}

export function formatPlatforms(platforms: readonly SocialPlatform[]): string {
  return platforms.length === 0 ? '—' : platforms.map((platform) => PLATFORM_LABELS[platform]).join(', ')
}

/**
 * The time zones to offer: UTC, every IANA zone this runtime knows, and the brief's own zone even if it is an
 * alias the list leaves out (US/Pacific), so a saved brief never shows another zone than its own.
 * Server-side: the list is large and must be the same on both sides.
 */
export function timeZoneChoices(current: readonly string[] = []): string[] {
  const known = Intl.supportedValuesOf('timeZone')
  const extra = current.filter((zone) => zone !== '' && zone !== 'UTC' && !known.includes(zone))
  return ['UTC', ...extra, ...known]
}
