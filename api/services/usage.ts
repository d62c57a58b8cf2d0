// Plan limits and usage. Live counts (seats, active campaigns, connected accounts) are read from their rows;
// metered usage (AI generations) from UsageCounter. Checks that add usage lock the agency row first, so two
// requests racing for the last seat cannot both get it.
import { PLAN_SLOT_STATUSES } from '../../domain/campaign-brief'
import { LIMIT_METRICS, checkLimit, planOf, usagePeriod, type LimitMetric } from '../../domain/plans'
import { COUNTED_ACCOUNT_STATUSES } from '../../domain/social-accounts'
import type { Prisma } from '../../generated/prisma/client'
import type { Database } from '../../platform/database'
import { AI_GENERATIONS_METRIC } from '../../platform/usage-meter'
import { ApiError } from '../errors'

type Db = Database | Prisma.TransactionClient


export async function currentUsage(db: Db, agencyId: string, metric: LimitMetric, now = new Date()): Promise<number> {
  switch (metric) {
    case 'seats': {
      const [members, invites] = await Promise.all([
        db.user.count({ where: { agencyId } }),
        db.invite.count({ where: { agencyId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } }),
      ])
      return members + invites
    }
    case 'activeCampaigns':
      return db.campaign.count({ where: { agencyId, status: { in: [...PLAN_SLOT_STATUSES] } } })
    case 'connectedAccounts':
      return db.socialAccount.count({ where: { agencyId, status: { in: COUNTED_ACCOUNT_STATUSES } } })
    case 'aiGenerationsPerMonth': {
      const counter = await db.usageCounter.findUnique({
        where: { agencyId_metric_period: { agencyId, metric: AI_GENERATIONS_METRIC, period: usagePeriod(now) } },
      })
      return counter?.count ?? 0
    }
  }
}

export async function usageReport(db: Db, agencyId: string, now = new Date()) {
  const agency = await db.agency.findUniqueOrThrow({ where: { id: agencyId } })
  const plan = planOf(agency.plan)
  const used = await Promise.all(LIMIT_METRICS.map((metric) => currentUsage(db, agencyId, metric, now)))
  return {
    plan,
    period: usagePeriod(now),
    usage: Object.fromEntries(LIMIT_METRICS.map((metric, i) => [metric, used[i]!])) as Record<LimitMetric, number>,
  }
}

/** Locks the agency row for the rest of the transaction: usage checks that then add usage are serialised. */
export async function lockAgency(tx: Prisma.TransactionClient, agencyId: string): Promise<string> {
  const rows = await tx.$queryRaw<{ plan: string }[]>`SELECT plan FROM "Agency" WHERE id = ${agencyId}::uuid FOR UPDATE`
  if (!rows[0]) throw new ApiError(404, 'NOT_FOUND', 'Agency was not found.')
  return rows[0].plan
}

/**
 * Inside a transaction: refuses with 402 PLAN_LIMIT_REACHED (naming the limit and the plan) when `requested`
 * more of `metric` would exceed the agency's plan.
 */
export async function assertWithinLimit(tx: Prisma.TransactionClient, agencyId: string, metric: LimitMetric, requested = 1): Promise<void> {
  const plan = await lockAgency(tx, agencyId)
  const used = await currentUsage(tx, agencyId, metric)
  const refusal = checkLimit(plan, metric, used, requested)
  if (refusal) {
    throw new ApiError(402, 'PLAN_LIMIT_REACHED', refusal.message, [
      { path: `/limits/${metric}`, message: `${refusal.plan} plan: ${refusal.used} of ${refusal.limit} in use` },
    ])
  }
}
