// What PostgreSQL was doing during a benchmark window: transactions committed (how many a unit of work costs)
// and, sampled on a timer from pg_stat_activity, how many of the other sessions were running a query, sitting
// in an open transaction, or waiting for a lock (a hot row serialises whoever writes it).
import type { Database } from '../../platform/database'

interface ActivitySample {
  active: number
  inTransaction: number
  lockWaits: number
}

export interface DbActivity {
  committed: number
  samples: number
  peak: ActivitySample
  mean: ActivitySample
}

async function committedTransactions(db: Database): Promise<number> {
  const [row] = await db.$queryRaw<{ committed: bigint }[]>`SELECT xact_commit AS committed FROM pg_stat_database WHERE datname = current_database()`
  return Number(row?.committed ?? 0)
}

export async function sampleDbActivity(db: Database, intervalMs = 250): Promise<{ stop(): Promise<DbActivity> }> {
  const committedBefore = await committedTransactions(db)
  const samples: ActivitySample[] = []
  let running = true
  const loop = (async () => {
    while (running) {
      const [row] = await db.$queryRaw<{ active: bigint; in_transaction: bigint; lock_waits: bigint }[]>`
        SELECT count(*) FILTER (WHERE state = 'active') AS active,
               count(*) FILTER (WHERE state LIKE 'idle in transaction%') AS in_transaction,
               count(*) FILTER (WHERE wait_event_type = 'Lock') AS lock_waits
        FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`
      if (row) samples.push({ active: Number(row.active), inTransaction: Number(row.in_transaction), lockWaits: Number(row.lock_waits) })
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      // The counter is per database and includes this sampler's own statements: take them out.
      const committed = (await committedTransactions(db)) - committedBefore - samples.length - 1
      const field = (key: keyof ActivitySample) => samples.map((sample) => sample[key])
      const peak = (key: keyof ActivitySample) => Math.max(0, ...field(key))
      const mean = (key: keyof ActivitySample) => Math.round((field(key).reduce((sum, value) => sum + value, 0) / Math.max(1, samples.length)) * 10) / 10
      return {
        committed,
        samples: samples.length,
        peak: { active: peak('active'), inTransaction: peak('inTransaction'), lockWaits: peak('lockWaits') },
        mean: { active: mean('active'), inTransaction: mean('inTransaction'), lockWaits: mean('lockWaits') },
      }
    },
  }
}
