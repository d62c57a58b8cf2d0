// Readiness of what the API depends on. The worker check needs two proofs: a fresh heartbeat row in PostgreSQL
// (a worker killed with SIGKILL stops beating at once, while Temporal lists its poller for up to ~70 s) and
// Temporal naming a fresh poller (a worker process that started but never connected shows up as down, not as OK).
import type { Client } from '@temporalio/client'
// @temporalio/proto is CommonJS whose exports Node's ESM loader cannot name statically.
import proto from '@temporalio/proto'
import type { Database } from '../../platform/database'
import { WORKER_HEARTBEAT_FRESH_MS, latestWorkerHeartbeat } from '../../platform/worker-heartbeat'

export interface CheckResult {
  ok: boolean
  detail: string
  latencyMs: number
}

// Workers long-poll for up to ~60 s, so a live poller has touched the queue within the last 70 s.
const POLLER_FRESH_MS = 70_000
const CHECK_TIMEOUT_MS = 3_000

async function timed(check: () => Promise<string>): Promise<CheckResult> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    const detail = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)
      }),
    ])
    return { ok: true, detail, latencyMs: Math.round(performance.now() - started) }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    return { ok: false, detail, latencyMs: Math.round(performance.now() - started) }
  } finally {
    clearTimeout(timer)
  }
}

export function checkDatabase(db: Database) {
  return timed(async () => {
    await db.$queryRaw`SELECT 1`
    return 'PostgreSQL answered'
  })
}

export function checkTemporal(client: Client) {
  return timed(async () => {
    const info = await client.workflowService.getSystemInfo({})
    return `Temporal server ${info.serverVersion || '(version not reported)'} answered`
  })
}

export function checkWorker(db: Database, client: Client, taskQueue: string, now = Date.now()) {
  return timed(async () => {
    const [heartbeat, polling] = await Promise.allSettled([checkHeartbeat(db, taskQueue), checkPollers(client, taskQueue, now)])
    const failures = [heartbeat, polling].flatMap((result) => (result.status === 'rejected' ? [reason(result.reason)] : []))
    if (failures.length > 0) throw new Error(failures.join('; '))
    return [polling, heartbeat].map((result) => (result as PromiseFulfilledResult<string>).value).join('; ')
  })
}

async function checkHeartbeat(db: Database, taskQueue: string): Promise<string> {
  let latest
  try {
    latest = await latestWorkerHeartbeat(db, taskQueue)
  } catch (error) {
    throw new Error(`could not read worker heartbeats: ${reason(error)}`, { cause: error })
  }
  if (!latest || latest.ageMs >= WORKER_HEARTBEAT_FRESH_MS) {
    const lastSeen = latest ? `last seen ${latest.lastSeenAt.toISOString()} from ${latest.identity}, ${seconds(latest.ageMs)} ago` : 'none recorded'
    throw new Error(`no worker heartbeat for task queue "${taskQueue}" in the last ${seconds(WORKER_HEARTBEAT_FRESH_MS)} (${lastSeen})`)
  }
  return `heartbeat from ${latest.identity} ${seconds(latest.ageMs)} ago`
}

async function checkPollers(client: Client, taskQueue: string, now: number): Promise<string> {
  const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = proto.temporal.api.enums.v1.TaskQueueType
  const fresh: string[] = []
  for (const taskQueueType of [TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY]) {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType,
    })
    const live = (pollers ?? []).filter((poller) => {
      const lastAccessSeconds = Number(poller.lastAccessTime?.seconds ?? 0)
      return now - lastAccessSeconds * 1000 < POLLER_FRESH_MS
    })
    if (live.length === 0) {
      const kind = taskQueueType === TASK_QUEUE_TYPE_WORKFLOW ? 'workflow' : 'activity'
      throw new Error(`no worker is polling the ${kind} task queue "${taskQueue}"`)
    }
    fresh.push(...live.map((poller) => poller.identity ?? 'unknown'))
  }
  return `polled by ${[...new Set(fresh)].join(', ')}`
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))} s`
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim()
}
