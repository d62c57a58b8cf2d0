// Metered usage (AI generations) counted per agency and calendar month (UTC). The worker counts each stored
// variant; the API reads the counter for plan limits (api/services/usage.ts).
import { usagePeriod } from '../domain/plans'
import type { Prisma } from '../generated/prisma/client'
import type { Database } from './database'

export const AI_GENERATIONS_METRIC = 'aiGenerations'

/** Adds `count` AI generations to the agency's counter for the month of `now`. */
export async function addMeteredUsage(db: Database | Prisma.TransactionClient, agencyId: string, count: number, now = new Date()): Promise<void> {
  const period = usagePeriod(now)
  await db.usageCounter.upsert({
    where: { agencyId_metric_period: { agencyId, metric: AI_GENERATIONS_METRIC, period } },
    create: { agencyId, metric: AI_GENERATIONS_METRIC, period, count },
    update: { count: { increment: count } },
  })
}
