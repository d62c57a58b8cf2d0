// Best time to post: the account's own best weekday-hour slots once it has enough measured posts, the
// documented defaults before that, and the next instant of a slot in the audience's time zone.
import { describe, expect, it } from 'vitest'
import { DEFAULT_SLOTS, localSlotOf, MIN_HISTORY_POSTS, nextSlotInstant, suggestPostingSlots, type PastPost } from '../../domain/best-time'

const post = (weekday: PastPost['slot']['weekday'], hour: number, engagementRate: number): PastPost => ({ slot: { weekday, hour }, engagementRate })

describe('suggestPostingSlots', () => {
  it('uses the platform defaults, and says why, until the account has enough measured posts', () => {
    const few = Array.from({ length: MIN_HISTORY_POSTS - 1 }, () => post(1, 8, 0.2))
    const suggestion = suggestPostingSlots('tiktok', few)
    expect(suggestion).toMatchObject({ basis: 'default', slots: DEFAULT_SLOTS.tiktok })
    expect(suggestion.reason).toContain(`${MIN_HISTORY_POSTS - 1} measured posts`)
  })

  it('ranks the account’s slots by mean engagement, ignoring slots with a single post', () => {
    const history = [
      post(1, 8, 0.02), post(1, 8, 0.04), // Monday 08:00, mean 3 %
      post(3, 19, 0.09), post(3, 19, 0.07), post(3, 19, 0.08), // Wednesday 19:00, mean 8 %
      post(5, 12, 0.05), post(5, 12, 0.05), // Friday 12:00, mean 5 %
      post(6, 10, 0.5), // Saturday 10:00: one lucky post, not a pattern
    ]
    const suggestion = suggestPostingSlots('instagram', history, 2)
    expect(suggestion.basis).toBe('history')
    expect(suggestion.slots).toEqual([{ weekday: 3, hour: 19 }, { weekday: 5, hour: 12 }])
    expect(suggestion.reason).toContain('Wednesday 19:00 averaged 8.0 %')
  })

  it('falls back to the defaults when no slot has two posts to compare', () => {
    const scattered = Array.from({ length: MIN_HISTORY_POSTS }, (_, i) => post(((i % 7) as PastPost['slot']['weekday']), 8 + i, 0.1))
    expect(suggestPostingSlots('facebook', scattered).basis).toBe('default')
  })
})

describe('nextSlotInstant', () => {
  it('finds the next Tuesday 11:00 in the audience’s zone, across a daylight-saving change', () => {
    // Sunday 26 Oct 2026 01:00 UTC: Europe/London leaves summer time that night.
    const at = nextSlotInstant({ weekday: 2, hour: 11 }, 'Europe/London', new Date('2026-10-25T00:30:00Z'))
    expect(at.toISOString()).toBe('2026-10-27T11:00:00.000Z')
    const summer = nextSlotInstant({ weekday: 2, hour: 11 }, 'Europe/London', new Date('2026-07-01T00:00:00Z'))
    expect(summer.toISOString()).toBe('2026-07-07T10:00:00.000Z')
  })

  it('lands on the local hour in a half-hour zone, and on `from` itself when it is the slot', () => {
    const kolkata = nextSlotInstant({ weekday: 1, hour: 9 }, 'Asia/Kolkata', new Date('2026-11-22T00:00:00Z'))
    expect(kolkata.toISOString()).toBe('2026-11-23T03:30:00.000Z')
    expect(nextSlotInstant({ weekday: 1, hour: 9 }, 'Asia/Kolkata', kolkata).toISOString()).toBe(kolkata.toISOString())
  })
})

describe('localSlotOf', () => {
  it('reads the weekday and hour in the audience’s zone, across the date line and half-hour zones', () => {
    // Tuesday 2026-11-24 23:30 UTC is Wednesday 05:00 in Kolkata (+05:30) and Tuesday 15:30 in Los Angeles.
    const at = new Date('2026-11-24T23:30:00Z')
    expect(localSlotOf(at, 'Asia/Kolkata')).toEqual({ weekday: 3, hour: 5 })
    expect(localSlotOf(at, 'America/Los_Angeles')).toEqual({ weekday: 2, hour: 15 })
    expect(localSlotOf(at, 'UTC')).toEqual({ weekday: 2, hour: 23 })
  })
})
