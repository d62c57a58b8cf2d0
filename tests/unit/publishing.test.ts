// Publishing rules: the scheduling window, the decaying metrics schedule, the engagement rate, and where a card belongs given its posts.
import { describe, expect, it } from 'vitest'
import { boardColumnForPosts, checkScheduleTime, engagementRate, metricsPullOffsets, SCHEDULE_LIMITS } from '../../domain/publishing'

const HOUR = 3_600_000
const DAY = 24 * HOUR

describe('checkScheduleTime', () => {
  const now = new Date('2026-11-22T12:00:00Z')
  it('accepts now (with a few minutes of grace for a slow form) up to 90 days ahead', () => {
    expect(checkScheduleTime(now, now)).toBeNull()
    expect(checkScheduleTime(new Date(now.getTime() - SCHEDULE_LIMITS.pastGraceMs), now)).toBeNull()
    expect(checkScheduleTime(new Date(now.getTime() + 90 * DAY), now)).toBeNull()
  })
  it('refuses the past and the far future with stable codes', () => {
    expect(checkScheduleTime(new Date(now.getTime() - SCHEDULE_LIMITS.pastGraceMs - 1), now)?.code).toBe('SCHEDULE_IN_PAST')
    expect(checkScheduleTime(new Date(now.getTime() + 90 * DAY + 1), now)?.code).toBe('SCHEDULE_TOO_FAR')
  })
})

describe('metricsPullOffsets', () => {
  it('pulls at 1 h, 6 h, 24 h, 3 d, 7 d, then weekly up to 30 days', () => {
    expect(metricsPullOffsets()).toEqual([1 * HOUR, 6 * HOUR, 24 * HOUR, 3 * DAY, 7 * DAY, 14 * DAY, 21 * DAY, 28 * DAY, 30 * DAY])
    // The sandbox's faster schedule keeps the shape: a minute, six minutes, ... twelve hours.
    expect(metricsPullOffsets(1 / 60)).toEqual([60_000, 6 * 60_000, 24 * 60_000, 72 * 60_000, 168 * 60_000, 336 * 60_000, 504 * 60_000, 672 * 60_000, 720 * 60_000])
  })
})

describe('engagementRate', () => {
  it('is interactions over reach, or over views when the platform gives no reach', () => {
    expect(engagementRate({ views: 2000, reach: 1000, likes: 40, comments: 5, shares: 3, saves: 2, clicks: null })).toBe(0.05)
    expect(engagementRate({ views: 400, reach: null, likes: 30, comments: 6, shares: 4, saves: null, clicks: null })).toBe(0.1)
    expect(engagementRate({ views: 0, reach: null, likes: 0, comments: 0, shares: 0, saves: null, clicks: null })).toBe(0)
  })
})

describe('boardColumnForPosts', () => {
  it('keeps the card Scheduled while any post still waits, verify included', () => {
    expect(boardColumnForPosts(['published', 'scheduled'])).toBe('Scheduled')
    expect(boardColumnForPosts(['unconfirmed', 'failed'])).toBe('Scheduled')
    expect(boardColumnForPosts(['needs_reauth'])).toBe('Scheduled')
  })
  it('moves it to Published once one went out and none waits', () => {
    expect(boardColumnForPosts(['published', 'failed', 'cancelled'])).toBe('Published')
  })
  it('takes it back to Approved when nothing is live and nothing went out', () => {
    expect(boardColumnForPosts(['cancelled', 'failed'])).toBe('Approved')
    expect(boardColumnForPosts([])).toBe('Approved')
  })
})
