// Readiness of what the API depends on. The worker check asks Temporal who is really polling the task
// queue: a worker process that started but never connected shows up as down, not as OK.
import type { Client } from '@temporalio/client'
// @temporalio/proto is CommonJS whose exports Node's ESM loader cannot name statically.
import proto from '@temporalio/proto'
import type { Database } from '../../platform/database'

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

export function checkWorker(client: Client, taskQueue: string, now = Date.now()) {
  return timed(async () => {
    const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = proto.temporal.api.enums.v1.TaskQueueType
    const fresh: string[] = []
    for (const taskQueueType of [TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY]) {
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType,
      })
      const live = (pollers ?? []).filter((poller) => {
        const seconds = Number(poller.lastAccessTime?.seconds ?? 0)
        return now - seconds * 1000 < POLLER_FRESH_MS
      })
      if (live.length === 0) {
        const kind = taskQueueType === TASK_QUEUE_TYPE_WORKFLOW ? 'workflow' : 'activity'
        throw new Error(`no worker is polling the ${kind} task queue "${taskQueue}"`)
      }
      fresh.push(...live.map((poller) => poller.identity ?? 'unknown'))
    }
    return `polled by ${[...new Set(fresh)].join(', ')}`
  })
}
