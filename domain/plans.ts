// Plans and their limits. Charging is out of scope; the limits are enforced by the API (and by the AI batch
// workflow for generations) through checkLimit below.

export const PLANS = ['starter', 'professional', 'enterprise'] as const
export type PlanId = (typeof PLANS)[number]

export const LIMIT_METRICS = ['activeCampaigns', 'aiGenerationsPerMonth', 'seats', 'connectedAccounts'] as const
export type LimitMetric = (typeof LIMIT_METRICS)[number]

export interface Plan {
  id: PlanId
  name: string
  limits: Record<LimitMetric, number>
}

export const PLAN_CATALOG: Record<PlanId, Plan> = {
  starter: {
    id: 'starter',
    name: 'Starter',
    limits: { activeCampaigns: 3, aiGenerationsPerMonth: 300, seats: 5, connectedAccounts: 10 },
  },
  professional: {
    id: 'professional',
    name: 'Professional',
    limits: { activeCampaigns: 20, aiGenerationsPerMonth: 3000, seats: 20, connectedAccounts: 60 },
  },
  enterprise: {
    id: 'enterprise',
    name: 'Enterprise',
    limits: { activeCampaigns: 200, aiGenerationsPerMonth: 30000, seats: 200, connectedAccounts: 600 },
  },
}

export const LIMIT_LABELS: Record<LimitMetric, { one: string; many: string }> = {
  activeCampaigns: { one: 'active campaign', many: 'active campaigns' },
  aiGenerationsPerMonth: { one: 'AI generation this month', many: 'AI generations per month' },
  seats: { one: 'seat', many: 'seats' },
  connectedAccounts: { one: 'connected social account', many: 'connected social accounts' },
}

export function isPlanId(value: string): value is PlanId {
  return (PLANS as readonly string[]).includes(value)
}

export function planOf(id: string): Plan {
  return isPlanId(id) ? PLAN_CATALOG[id] : PLAN_CATALOG.starter
}

/** The calendar month a monthly counter belongs to, in UTC: "2026-11". */
export function usagePeriod(at: Date): string {
  return at.toISOString().slice(0, 7)
}

export interface LimitExceeded {
  metric: LimitMetric
  plan: PlanId
  limit: number
  used: number
  requested: number
  message: string
}

/** null when `requested` more fit under the plan's limit, otherwise a refusal that names the limit and the plan. */
export function checkLimit(planId: string, metric: LimitMetric, used: number, requested = 1): LimitExceeded | null {
  const plan = planOf(planId)
  const limit = plan.limits[metric]
  if (used + requested <= limit) return null
  const label = LIMIT_LABELS[metric]
  const next = PLANS[PLANS.indexOf(plan.id) + 1]
  const upgrade = next ? ` Upgrade to ${PLAN_CATALOG[next].name} for ${PLAN_CATALOG[next].limits[metric]}.` : ''
  return {
    metric,
    plan: plan.id,
    limit,
    used,
    requested,
    message: `The ${plan.name} plan allows ${limit} ${label.many}; ${used} are in use${requested > 1 ? ` and this needs ${requested} more` : ''}.${upgrade}`,
  }
}

/** Which current usages would not fit a plan: a downgrade below what is in use is refused with these. */
export function overLimits(planId: PlanId, usage: Record<LimitMetric, number>): LimitMetric[] {
  return LIMIT_METRICS.filter((metric) => usage[metric] > PLAN_CATALOG[planId].limits[metric])
}
