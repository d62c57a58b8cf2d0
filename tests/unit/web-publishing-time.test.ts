// The web app's publishing rules: a wall-clock time chosen in a time zone as an instant (daylight-saving gaps
// and repeats, half-hour and 45-minute zones), the schedule and reschedule forms as API bodies, how slots and
// metrics read, the calendar's days, ranges and drops in the workspace's zone, and the analytics chart rows.
import { describe, expect, it } from 'vitest'
import {
  apiRange,
  parseDropSlotId,
  periodDays,
  periodLabel,
  postsByDay,
  readCalendarQuery,
  rescheduleLocal,
  shiftPeriod,
  dropSlotId,
} from '../../web/app/lib/calendar.ts'
import { compactCount, engagementBars, readAnalyticsQuery, viewsByDay, type AnalyticsGroup } from '../../web/app/lib/analytics.ts'
import {
  formatInZone,
  formatRate,
  instantFromWallClock,
  readRescheduleForm,
  readScheduleForm,
  readSlotPrefill,
  slotChipLabel,
  suggestionBasisLine,
  wallClockIn,
  type ScheduledPostView,
} from '../../web/app/lib/publishing.ts'

const ACCOUNT = '3a1f6c2e-9b4d-4e7a-8c5f-2d1e0b9a8c7d'

const form = (fields: [string, string][]) => {
  const data = new FormData()
  for (const [key, value] of fields) data.append(key, value)
  return data
}

const at = (local: string, zone: string) => {
  const reading = instantFromWallClock(local, zone)
  return reading.ok ? reading.at.toISOString() : reading.error
}

describe('a wall-clock time in a time zone as an instant', () => {
  it('uses the zone’s offset on that day, summer and winter', () => {
    expect(at('2026-07-01T18:00', 'Europe/Berlin')).toBe('2026-07-01T16:00:00.000Z')
    expect(at('2026-11-17T18:00', 'Europe/Berlin')).toBe('2026-11-17T17:00:00.000Z')
    expect(at('2026-11-17T18:00', 'UTC')).toBe('2026-11-17T18:00:00.000Z')
    expect(at('2026-11-17T09:00', 'America/Los_Angeles')).toBe('2026-11-17T17:00:00.000Z')
  })

  it('handles half-hour and 45-minute zones, with and without daylight saving', () => {
    expect(at('2026-11-17T18:00', 'Asia/Kolkata')).toBe('2026-11-17T12:30:00.000Z')
    expect(at('2026-11-17T18:00', 'Asia/Kathmandu')).toBe('2026-11-17T12:15:00.000Z')
    // Adelaide is +10:30 in the southern summer, +9:30 in winter.
    expect(at('2026-11-17T18:00', 'Australia/Adelaide')).toBe('2026-11-17T07:30:00.000Z')
    expect(at('2026-07-01T18:00', 'Australia/Adelaide')).toBe('2026-07-01T08:30:00.000Z')
    // Newfoundland is -2:30 in summer, -3:30 in winter.
    expect(at('2026-07-01T12:00', 'America/St_Johns')).toBe('2026-07-01T14:30:00.000Z')
    expect(at('2026-12-01T12:00', 'America/St_Johns')).toBe('2026-12-01T15:30:00.000Z')
  })

  it('refuses a time the clocks jump over, naming the jump', () => {
    expect(instantFromWallClock('2027-03-28T02:30', 'Europe/Berlin')).toEqual({
      ok: false,
      error: '02:30 does not happen on Sun 28 Mar 2027 in Europe/Berlin: clocks jump from 02:00 to 03:00. Choose a time outside the jump.',
    })
    // Lord Howe Island moves its clocks by half an hour.
    expect(instantFromWallClock('2026-10-04T02:15', 'Australia/Lord_Howe')).toMatchObject({ ok: false, error: expect.stringContaining('clocks jump from 02:00 to 02:30') })
    expect(at('2026-10-04T02:30', 'Australia/Lord_Howe')).toBe('2026-10-03T15:30:00.000Z')
    // The minute before the jump and the first minute after it exist.
    expect(at('2027-03-28T01:59', 'Europe/Berlin')).toBe('2027-03-28T00:59:00.000Z')
    expect(at('2027-03-28T03:00', 'Europe/Berlin')).toBe('2027-03-28T01:00:00.000Z')
  })

  it('takes the first of a time that happens twice, and says so', () => {
    expect(instantFromWallClock('2026-10-25T02:30', 'Europe/Berlin')).toEqual({
      ok: true,
      at: new Date('2026-10-25T00:30:00.000Z'),
      note: '02:30 happens twice on Sun 25 Oct 2026 in Europe/Berlin (clocks go back): the first one is used.',
    })
    expect(at('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z')
    expect(at('2027-04-04T01:45', 'Australia/Lord_Howe')).toBe('2027-04-03T14:45:00.000Z')
    // Just outside the repeated hour there is one answer and no note.
    expect(instantFromWallClock('2026-10-25T03:00', 'Europe/Berlin')).toEqual({ ok: true, at: new Date('2026-10-25T02:00:00.000Z'), note: null })
  })

  it('names what is not a date, a time or a zone', () => {
    expect(instantFromWallClock('', 'Europe/Berlin')).toEqual({ ok: false, error: 'Choose a date and time.' })
    expect(instantFromWallClock('2026-02-30T10:00', 'Europe/Berlin')).toEqual({ ok: false, error: '“2026-02-30T10:00” is not a date and time.' })
    expect(instantFromWallClock('2026-11-17 10:00', 'Europe/Berlin')).toMatchObject({ ok: false })
    expect(instantFromWallClock('2026-11-17T10:00', 'Mars/Olympus')).toEqual({ ok: false, error: '“Mars/Olympus” is not a time zone: choose one from the list.' })
  })

  it('reads an instant back as the zone’s clocks show it', () => {
    expect(wallClockIn('2026-11-17T12:15:00.000Z', 'Asia/Kathmandu')).toEqual({ date: '2026-11-17', time: '18:00', local: '2026-11-17T18:00', hour: 18, minute: 0, weekday: 2 })
    expect(wallClockIn('2026-11-17T11:30:00.000Z', 'Pacific/Auckland')).toMatchObject({ local: '2026-11-18T00:30', hour: 0, weekday: 3 })
    // A round trip through the repeated hour lands on the first pass.
    const first = instantFromWallClock('2026-10-25T02:30', 'Europe/Berlin')
    expect(first.ok && wallClockIn(first.at, 'Europe/Berlin').local).toBe('2026-10-25T02:30')
    expect(formatInZone('2026-11-17T17:00:00.000Z', 'Europe/Berlin')).toBe('Tue 17 Nov 2026, 18:00 (Europe/Berlin)')
  })
})

describe('the schedule and reschedule forms', () => {
  it('schedules at the instant of the chosen wall-clock time, in the chosen zone', () => {
    const reading = readScheduleForm(form([['socialAccountId', ACCOUNT], ['when', 'at'], ['local', '2026-11-17T18:00'], ['timeZone', 'Asia/Kolkata']]))
    expect(reading).toEqual({ ok: true, body: { socialAccountIds: [ACCOUNT], at: '2026-11-17T12:30:00.000Z', timeZone: 'Asia/Kolkata' }, note: null })
  })

  it('posts now without a time, and refuses a time that does not exist', () => {
    expect(readScheduleForm(form([['socialAccountId', ACCOUNT], ['when', 'now'], ['local', ''], ['timeZone', 'Europe/Berlin']]))).toEqual({
      ok: true,
      body: { socialAccountIds: [ACCOUNT], at: null, timeZone: 'Europe/Berlin' },
      note: null,
    })
    expect(readScheduleForm(form([['socialAccountId', ACCOUNT], ['when', 'at'], ['local', '2027-03-28T02:30'], ['timeZone', 'Europe/Berlin']]))).toMatchObject({
      ok: false,
      error: expect.stringContaining('does not happen'),
    })
    expect(readScheduleForm(form([['when', 'now'], ['timeZone', 'Europe/Berlin']]))).toEqual({ ok: false, error: 'Choose the account to post to.' })
    expect(readScheduleForm(form([['socialAccountId', ACCOUNT], ['when', 'now'], ['timeZone', '']]))).toEqual({ ok: false, error: 'Choose a time zone.' })
  })

  it('moves a post to a new instant, and keeps its zone only when asked (calendar drags)', () => {
    expect(readRescheduleForm(form([['local', '2026-11-20T09:00'], ['timeZone', 'America/New_York']]))).toEqual({
      ok: true,
      body: { at: '2026-11-20T14:00:00.000Z', timeZone: 'America/New_York' },
      note: null,
    })
    expect(readRescheduleForm(form([['local', '2026-11-20T09:00'], ['timeZone', 'America/New_York'], ['keepZone', '1']]))).toEqual({
      ok: true,
      body: { at: '2026-11-20T14:00:00.000Z' },
      note: null,
    })
  })

  it('reads a suggested slot from the drawer’s address (chips without JavaScript)', () => {
    expect(readSlotPrefill(new URLSearchParams({ slotAccount: ACCOUNT, slotAt: '2026-11-17T17:00:00Z' }))).toEqual({ accountId: ACCOUNT, at: '2026-11-17T17:00:00.000Z' })
    expect(readSlotPrefill(new URLSearchParams({ slotAccount: 'x', slotAt: '2026-11-17T17:00:00Z' }))).toBeNull()
    expect(readSlotPrefill(new URLSearchParams({ slotAccount: ACCOUNT, slotAt: 'soon' }))).toBeNull()
  })
})

describe('how suggestions and metrics read', () => {
  it('labels a slot by its basis, in plain words', () => {
    expect(slotChipLabel({ weekday: 2, hour: 18, meanEngagementRate: 0.0624 }, 'history')).toBe('Tue 18:00 — your best slot, 6.2 % avg')
    expect(slotChipLabel({ weekday: 4, hour: 9, meanEngagementRate: null }, 'default')).toBe('Thu 09:00 — platform default')
    expect(suggestionBasisLine({ platform: 'tiktok', suggestion: { basis: 'default', basedOnPosts: 1, reason: '', slots: [] } }, 'Europe/Berlin')).toBe(
      'Typical good times for TikTok, in Europe/Berlin: this account has 1 measured post, and its own best times are used from 8.',
    )
    expect(suggestionBasisLine({ platform: 'instagram', suggestion: { basis: 'history', basedOnPosts: 14, reason: '', slots: [] } }, 'UTC')).toContain('own 14 measured posts')
    expect(formatRate(0.0625)).toBe('6.3 %')
    expect(formatRate(0)).toBe('0.0 %')
  })
})

// ---------------------------------------------------------------------------------------------------------

const post = (id: string, scheduledAt: string): ScheduledPostView =>
  ({ id, scheduledAt, cardTitle: id, platform: 'instagram', handle: 'luna', status: 'scheduled', canReschedule: true }) as ScheduledPostView

describe('the calendar’s days', () => {
  it('shows whole weeks, Monday to Sunday, around a month', () => {
    const november = periodDays('month', '2026-11-01')
    expect(november[0]).toBe('2026-10-26')
    expect(november.at(-1)).toBe('2026-12-06')
    expect(november).toHaveLength(42)
    // February 2027 starts on a Monday and has exactly four weeks.
    expect(periodDays('month', '2027-02-01')).toHaveLength(28)
    expect(periodDays('week', '2026-11-16')).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'])
  })

  it('reads the view and day from the address, falling back to today’s month', () => {
    expect(readCalendarQuery(new URLSearchParams({ view: 'week', date: '2026-11-19' }), '2026-01-01')).toEqual({ view: 'week', anchor: '2026-11-16', explicit: true })
    expect(readCalendarQuery(new URLSearchParams({ date: '2026-11-19' }), '2026-01-01')).toEqual({ view: 'month', anchor: '2026-11-01', explicit: true })
    expect(readCalendarQuery(new URLSearchParams({ view: 'year', date: '2026-02-30' }), '2026-12-31')).toEqual({ view: 'month', anchor: '2026-12-01', explicit: false })
  })

  it('steps by months and weeks across years, and names the period', () => {
    expect(shiftPeriod('month', '2027-01-01', -1)).toBe('2026-12-01')
    expect(shiftPeriod('month', '2026-12-01', 1)).toBe('2027-01-01')
    expect(shiftPeriod('week', '2026-12-28', 1)).toBe('2027-01-04')
    expect(periodLabel('month', '2026-11-01')).toBe('November 2026')
    expect(periodLabel('week', '2026-11-16')).toBe('16 – 22 Nov 2026')
    expect(periodLabel('week', '2026-11-30')).toBe('30 Nov – 6 Dec 2026')
    expect(periodLabel('week', '2026-12-28')).toBe('28 Dec 2026 – 3 Jan 2027')
  })

  it('asks the API for a day more on each side, within its 62-day limit', () => {
    const days = periodDays('month', '2026-11-01')
    const range = apiRange(days)
    expect(range).toEqual({ from: '2026-10-25T00:00:00.000Z', to: '2026-12-08T00:00:00.000Z' })
    expect((Date.parse(range.to) - Date.parse(range.from)) / 86_400_000).toBeLessThanOrEqual(62)
  })

  it('places posts by the workspace’s clocks and leaves out days not on screen', () => {
    const days = periodDays('week', '2026-11-16')
    const posts = [post('late', '2026-11-17T11:30:00.000Z'), post('early', '2026-11-16T19:00:00.000Z'), post('outside', '2026-11-22T12:00:00.000Z')]
    const auckland = postsByDay(posts, 'Pacific/Auckland', days)
    // 11:30 UTC is 00:30 the next day in Auckland (UTC+13 in November); 12:00 UTC on the 22nd is the 23rd there.
    expect(auckland.get('2026-11-18')!.map((entry) => `${entry.post.id} ${entry.clock.time}`)).toEqual(['late 00:30'])
    expect(auckland.get('2026-11-17')!.map((entry) => entry.post.id)).toEqual(['early'])
    expect([...auckland.values()].flat().some((entry) => entry.post.id === 'outside')).toBe(false)
    const losAngeles = postsByDay(posts, 'America/Los_Angeles', days)
    expect(losAngeles.get('2026-11-17')!.map((entry) => `${entry.post.id} ${entry.clock.time}`)).toEqual(['late 03:30'])
    expect(losAngeles.get('2026-11-16')!.map((entry) => `${entry.post.id} ${entry.clock.time}`)).toEqual(['early 11:00'])
    expect(losAngeles.get('2026-11-22')!.map((entry) => entry.post.id)).toEqual(['outside'])
  })

  it('keeps the time of day on a new day (month) or the minutes in a new hour (week)', () => {
    const [entry] = postsByDay([post('p', '2026-11-17T17:45:00.000Z')], 'Europe/Berlin', ['2026-11-17']).get('2026-11-17')!
    expect(rescheduleLocal(entry!, { date: '2026-11-20', hour: null })).toBe('2026-11-20T18:45')
    expect(rescheduleLocal(entry!, { date: '2026-11-19', hour: 7 })).toBe('2026-11-19T07:45')
    expect(rescheduleLocal(entry!, { date: '2026-11-17', hour: null })).toBeNull()
    expect(rescheduleLocal(entry!, { date: '2026-11-17', hour: 18 })).toBeNull()
  })

  it('names drop targets and reads them back', () => {
    expect(dropSlotId({ date: '2026-11-17', hour: null })).toBe('day:2026-11-17')
    expect(dropSlotId({ date: '2026-11-17', hour: 9 })).toBe('slot:2026-11-17T09')
    expect(parseDropSlotId('slot:2026-11-17T09')).toEqual({ date: '2026-11-17', hour: 9 })
    expect(parseDropSlotId('day:2026-11-17')).toEqual({ date: '2026-11-17', hour: null })
    expect(parseDropSlotId('slot:2026-11-17T24')).toBeNull()
    expect(parseDropSlotId('day:2026-02-30')).toBeNull()
  })
})

describe('the analytics page’s rows', () => {
  const group = (key: string, series: [string, number][], engagementRate: number) =>
    ({ key, label: key.toUpperCase(), engagementRate, series: series.map(([date, views]) => ({ date, views, engagementRate })) }) as AnalyticsGroup

  it('reads the grouping and period, falling back to by creator over 30 days', () => {
    expect(readAnalyticsQuery(new URLSearchParams({ groupBy: 'platform', days: '90' }))).toEqual({ groupBy: 'platform', days: 90 })
    expect(readAnalyticsQuery(new URLSearchParams({ groupBy: 'agency', days: '31' }))).toEqual({ groupBy: 'creator', days: 30 })
  })

  it('puts every group’s views on every day, 0 where it had none', () => {
    const rows = viewsByDay([group('a', [['2026-11-02', 40], ['2026-11-01', 10]], 0.05), group('b', [['2026-11-02', 7]], 0.1)])
    expect(rows).toEqual([
      { date: '2026-11-01', a: 10, b: 0 },
      { date: '2026-11-02', a: 40, b: 7 },
    ])
  })

  it('gives engagement in percent and short axis counts', () => {
    expect(engagementBars([group('a', [], 0.0624), group('b', [], 0.1)])).toEqual([
      { key: 'a', label: 'A', percent: 6.2 },
      { key: 'b', label: 'B', percent: 10 },
    ])
    expect(compactCount(950)).toBe('950')
    expect(compactCount(1200)).toBe('1.2k')
    expect(compactCount(12_000)).toBe('12k')
    expect(compactCount(2_500_000)).toBe('2.5M')
  })
})
