// Provider concurrency that holds across every worker process: a call holds one of the provider's `cap`
// slots (rows of AiProviderSlot) for as long as it runs. A lease is short and renewed while the call runs, so
// the slot of a killed worker comes back within one lease (SLOT_LEASE_MS), about when Temporal's heartbeat
// timeout hands the interrupted call to another worker. A 429's retry-after is written on slot 0 as `coolDownUntil`, and no worker starts a call to
// that provider before it has passed: one rate-limit answer pauses the whole fleet, not just one call.
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { Prisma } from '../../generated/prisma/client'
import type { Database } from '../../platform/database'

/** How long a slot stays held without a renewal. */
export const SLOT_LEASE_MS = 15_000
/** How often a running call renews its lease. */
export const SLOT_RENEW_MS = 5_000

export interface SlotLease {
  provider: string
  slot: number
  holder: string
}

/** Creates the provider's slots 0..cap-1 and drops free slots above the cap (the cap was lowered). */
export async function ensureProviderSlots(db: Database, provider: string, cap: number): Promise<void> {
  await db.$executeRaw(Prisma.sql`
    INSERT INTO "AiProviderSlot" ("provider", "slot")
    SELECT ${provider}, slot FROM generate_series(0, ${cap - 1}::int) AS slot
    ON CONFLICT DO NOTHING`)
  await db.$executeRaw(Prisma.sql`
    DELETE FROM "AiProviderSlot"
    WHERE "provider" = ${provider} AND "slot" >= ${cap} AND ("holder" IS NULL OR "leasedUntil" < now())`)
}

/** When the provider may be called again after a 429; null when it may be called now. */
export async function providerCoolDown(db: Database, provider: string): Promise<Date | null> {
  const rows = await db.$queryRaw<{ until: Date | null }[]>(Prisma.sql`
    SELECT "coolDownUntil" AS until FROM "AiProviderSlot"
    WHERE "provider" = ${provider} AND "slot" = 0 AND "coolDownUntil" > now()`)
  return rows[0]?.until ?? null
}

/** Pauses every call to the provider until `until` (never shortens a pause already set). */
export async function coolDownProvider(db: Database, provider: string, until: Date): Promise<void> {
  await db.$executeRaw(Prisma.sql`
    UPDATE "AiProviderSlot" SET "coolDownUntil" = GREATEST(COALESCE("coolDownUntil", ${until}), ${until})
    WHERE "provider" = ${provider} AND "slot" = 0`)
}

async function tryLease(db: Database, provider: string, holder: string, leaseMs: number): Promise<SlotLease | null> {
  const rows = await db.$queryRaw<{ slot: number }[]>(Prisma.sql`
    UPDATE "AiProviderSlot" SET "holder" = ${holder}, "leasedUntil" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE "provider" = ${provider} AND "slot" = (
      SELECT "slot" FROM "AiProviderSlot"
      WHERE "provider" = ${provider} AND ("holder" IS NULL OR "leasedUntil" < now())
      ORDER BY "slot" LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING "slot"`)
  return rows[0] ? { provider, slot: rows[0].slot, holder } : null
}

/**
 * Waits for a free slot and for the provider's cool-down to pass, then holds the slot for `leaseMs` (renew it
 * with renewProviderSlot while the call runs).
 * `onWait` is called while waiting (the activity heartbeats there, and learns of a cancellation).
 */
export async function acquireProviderSlot(
  db: Database,
  provider: string,
  options: { leaseMs?: number; signal?: AbortSignal; onWait?: () => void },
): Promise<SlotLease> {
  const holder = randomUUID()
  for (;;) {
    options.signal?.throwIfAborted()
    const coolDown = await providerCoolDown(db, provider)
    if (coolDown) {
      options.onWait?.()
      await sleep(Math.min(Math.max(coolDown.getTime() - Date.now(), 50), 1000), undefined, { signal: options.signal })
      continue
    }
    const lease = await tryLease(db, provider, holder, options.leaseMs ?? SLOT_LEASE_MS)
    if (lease) return lease
    options.onWait?.()
    // Slots free up when calls end (about a second for a model call): a short, jittered poll.
    await sleep(100 + Math.floor(Math.random() * 100), undefined, { signal: options.signal })
  }
}

/** Extends a held lease; false when it was lost (it expired and another call took the slot). */
export async function renewProviderSlot(db: Database, lease: SlotLease, leaseMs = SLOT_LEASE_MS): Promise<boolean> {
  const updated = await db.$executeRaw(Prisma.sql`
    UPDATE "AiProviderSlot" SET "leasedUntil" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE "provider" = ${lease.provider} AND "slot" = ${lease.slot} AND "holder" = ${lease.holder}`)
  return updated === 1
}

export async function releaseProviderSlot(db: Database, lease: SlotLease): Promise<void> {
  await db.$executeRaw(Prisma.sql`
    UPDATE "AiProviderSlot" SET "holder" = NULL, "leasedUntil" = NULL
    WHERE "provider" = ${lease.provider} AND "slot" = ${lease.slot} AND "holder" = ${lease.holder}`)
}
