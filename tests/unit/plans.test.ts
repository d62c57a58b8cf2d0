// Plans and limits (domain/plans.ts): refusals that name the limit and the plan, downgrade checks, and the
// month a metered counter belongs to.
import { describe, expect, it } from 'vitest'
import { LIMIT_METRICS, PLANS, PLAN_CATALOG, checkLimit, isPlanId, overLimits, planOf, usagePeriod, type LimitMetric } from '../../domain/plans'

const usage = (overrides: Partial<Record<LimitMetric, number>> = {}): Record<LimitMetric, number> => ({
  activeCampaigns: 0,
  aiGenerationsPerMonth: 0,
  seats: 1,
  connectedAccounts: 0,
  ...overrides,
})

describe('catalog', () => {
  it('each larger plan allows at least as much of every metric', () => {
    for (let i = 1; i < PLANS.length; i++) {
      for (const metric of LIMIT_METRICS) {
        expect(PLAN_CATALOG[PLANS[i]!].limits[metric], `${PLANS[i]} ${metric}`).toBeGreaterThanOrEqual(PLAN_CATALOG[PLANS[i - 1]!].limits[metric])
      }
    }
  })

  it('an unknown plan id falls back to Starter', () => {
    expect(isPlanId('platinum')).toBe(false)
    expect(planOf('platinum')).toBe(PLAN_CATALOG.starter)
    expect(planOf('enterprise')).toBe(PLAN_CATALOG.enterprise)
  })
})

describe('checkLimit', () => {
  it('allows up to the limit and refuses one more', () => {
    expect(checkLimit('starter', 'seats', 4)).toBeNull()
    expect(checkLimit('starter', 'seats', 5)).toMatchObject({ metric: 'seats', plan: 'starter', limit: 5, used: 5, requested: 1 })
  })

  it('names the limit, the plan, the usage and the next plan up', () => {
    expect(checkLimit('starter', 'seats', 5)?.message).toBe('The Starter plan allows 5 seats; 5 are in use. Upgrade to Professional for 20.')
    expect(checkLimit('professional', 'activeCampaigns', 20)?.message).toBe(
      'The Professional plan allows 20 active campaigns; 20 are in use. Upgrade to Enterprise for 200.',
    )
  })

  it('mentions a request for more than one, and offers no upgrade beyond Enterprise', () => {
    expect(checkLimit('starter', 'aiGenerationsPerMonth', 290, 20)?.message).toBe(
      'The Starter plan allows 300 AI generations per month; 290 are in use and this needs 20 more. Upgrade to Professional for 3000.',
    )
    expect(checkLimit('starter', 'aiGenerationsPerMonth', 280, 20)).toBeNull()
    const top = checkLimit('enterprise', 'connectedAccounts', 600)
    expect(top?.message).toBe('The Enterprise plan allows 600 connected social accounts; 600 are in use.')
  })
})

describe('overLimits', () => {
  it('lists every metric current usage would break on a smaller plan', () => {
    expect(overLimits('starter', usage({ seats: 6, activeCampaigns: 4 }))).toEqual(['activeCampaigns', 'seats'])
    expect(overLimits('starter', usage({ connectedAccounts: 11, aiGenerationsPerMonth: 301 }))).toEqual(['aiGenerationsPerMonth', 'connectedAccounts'])
  })

  it('usage exactly at a limit fits', () => {
    expect(overLimits('starter', usage({ seats: 5, activeCampaigns: 3, connectedAccounts: 10, aiGenerationsPerMonth: 300 }))).toEqual([])
    expect(overLimits('professional', usage({ seats: 6, activeCampaigns: 4 }))).toEqual([])
  })
})

describe('usagePeriod', () => {
  it('is the UTC calendar month', () => {
    expect(usagePeriod(new Date('2026-11-22T10:00:00Z'))).toBe('2026-11')
    expect(usagePeriod(new Date('2026-12-31T23:59:59.999Z'))).toBe('2026-12')
    expect(usagePeriod(new Date('2027-01-01T00:00:00Z'))).toBe('2027-01')
    // An evening in New York can already be next month in UTC, a morning in Tokyo still the month before.
    expect(usagePeriod(new Date('2026-11-30T20:00:00-05:00'))).toBe('2026-12')
    expect(usagePeriod(new Date('2026-12-01T08:00:00+09:00'))).toBe('2026-11')
  })
})
