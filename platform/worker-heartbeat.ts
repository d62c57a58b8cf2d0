// Worker liveness in PostgreSQL. A running worker process refreshes its WorkerHeartbeat row every few seconds
// and deletes it on graceful shutdown; /healthz reads the freshest row of its task queue. Temporal alone cannot
// tell: a worker killed with SIGKILL stays in describeTaskQueue's poller list for up to ~70 s.
// Both sides use the database's clock (never the worker's or the API's), so clock skew between hosts does not
// matter. Timestamps are stored as UTC, like every DateTime Prisma writes.
import os from 'node:os'
import type { Database } from './database'

export const WORKER_HEARTBEAT_INTERVAL_MS = 10_000
/** A heartbeat older than this means the worker is gone: three missed beats at the default interval. */
export const WORKER_HEARTBEAT_FRESH_MS = 30_000
/** stop() gives up on deleting the row after this long, so a hung database cannot block shutdown. */
const STOP_TIMEOUT_MS = 5_000

export interface WorkerHeartbeatHandle {
  /** Stops the timer and deletes the row. Never throws: a failure is logged and the row simply ages out. */
  stop(): Promise<void>
}

export function startWorkerHeartbeat(options: {
  db: Database
  /** Unique per process across hosts (the primary key), e.g. `<worker identity>@<hostname>`. */
  identity: string
  taskQueue: string
  intervalMs?: number
  log?: (message: string) => void
}): WorkerHeartbeatHandle {
  const { db, identity, taskQueue, intervalMs = WORKER_HEARTBEAT_INTERVAL_MS } = options
  const log = options.log ?? ((message: string) => console.error(message))
  const hostname = os.hostname()
  let first = true
  let failing = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<void> = Promise.resolve()

  const beat = async () => {
    try {
      // A worker killed with SIGKILL never deletes its row; the next worker on the queue to start clears out
      // those a day old, so the table does not grow with every kill. Until it succeeds, each beat tries again.
      if (first) {
        await db.$executeRaw`
          DELETE FROM "WorkerHeartbeat"
          WHERE "taskQueue" = ${taskQueue} AND "lastSeenAt" < (now() AT TIME ZONE 'UTC') - interval '24 hours'`
      }
      // The first beat also resets startedAt, in case a killed process with the same identity left its row.
      await db.$executeRaw`
        INSERT INTO "WorkerHeartbeat" ("identity", "taskQueue", "pid", "hostname", "startedAt", "lastSeenAt")
        VALUES (${identity}, ${taskQueue}, ${process.pid}, ${hostname}, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
        ON CONFLICT ("identity") DO UPDATE SET
          "taskQueue" = EXCLUDED."taskQueue", "pid" = EXCLUDED."pid", "hostname" = EXCLUDED."hostname",
          "lastSeenAt" = EXCLUDED."lastSeenAt",
          "startedAt" = CASE WHEN ${first} THEN EXCLUDED."startedAt" ELSE "WorkerHeartbeat"."startedAt" END`
      first = false
      if (failing) log(`worker heartbeat written again for ${identity}`)
      failing = false
    } catch (error) {
      // Once per failure streak: a database that is down for minutes must not flood the log.
      if (!failing) log(`worker heartbeat failed (retrying every ${intervalMs} ms, /healthz will report the worker down): ${message(error)}`)
      failing = true
    }
  }

  // Chained timeouts rather than setInterval: a slow write never overlaps the next one.
  const schedule = () => {
    inFlight = beat().finally(() => {
      if (stopped) return
      timer = setTimeout(schedule, intervalMs)
      timer.unref()
    })
  }
  schedule()

  return {
    async stop() {
      if (stopped) return
      stopped = true
      clearTimeout(timer)
      let deadline: NodeJS.Timeout | undefined
      try {
        await Promise.race([
          // Wait for a write in flight first, or it could recreate the row after the delete.
          inFlight.then(() => db.workerHeartbeat.deleteMany({ where: { identity } })),
          new Promise<never>((_, reject) => {
            deadline = setTimeout(() => reject(new Error(`no answer within ${STOP_TIMEOUT_MS} ms`)), STOP_TIMEOUT_MS)
          }),
        ])
      } catch (error) {
        log(`could not delete the worker heartbeat of ${identity}: ${message(error)}`)
      } finally {
        clearTimeout(deadline)
      }
    },
  }
}

export interface LatestWorkerHeartbeat {
  identity: string
  lastSeenAt: Date
  /** How long ago, by the database's clock. */
  ageMs: number
}

/** The most recently refreshed heartbeat of the task queue, or null when no worker has a row. */
export async function latestWorkerHeartbeat(db: Database, taskQueue: string): Promise<LatestWorkerHeartbeat | null> {
  const rows = await db.$queryRaw<LatestWorkerHeartbeat[]>`
    SELECT "identity", "lastSeenAt",
           (EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC') - "lastSeenAt") * 1000)::float8 AS "ageMs"
    FROM "WorkerHeartbeat"
    WHERE "taskQueue" = ${taskQueue}
    ORDER BY "lastSeenAt" DESC
    LIMIT 1`
  return rows[0] ?? null
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim()
}
