// When each activity of a workflow run was scheduled, picked up by a worker and finished, read from the run's
// history: the server's side of a benchmark's timeline, to set beside what the external services saw.
import type { WorkflowHandle } from '@temporalio/client'
import { defaultPayloadConverter } from '@temporalio/common'
import { tsToMs } from '@temporalio/common/lib/time'

export interface ActivityRun {
  activityType: string
  /** The first argument, decoded. */
  input: unknown
  scheduledMs: number
  /** When the (last) attempt was handed to a worker; null when it never was. */
  startedMs: number | null
  /** When it completed, failed or timed out; null while it runs. */
  closedMs: number | null
  outcome: 'completed' | 'failed' | 'timed_out' | 'cancelled' | 'running'
  attempt: number
}

export async function activityTimeline(handle: WorkflowHandle): Promise<ActivityRun[]> {
  const history = await handle.fetchHistory()
  const byScheduledId = new Map<string, ActivityRun>()
  const closed = (id: unknown, at: number, outcome: ActivityRun['outcome']) => {
    const run = byScheduledId.get(String(id))
    if (run) Object.assign(run, { closedMs: at, outcome })
  }
  for (const event of history.events ?? []) {
    const at = tsToMs(event.eventTime)
    if (event.activityTaskScheduledEventAttributes) {
      const attributes = event.activityTaskScheduledEventAttributes
      const payload = attributes.input?.payloads?.[0]
      byScheduledId.set(String(event.eventId), {
        activityType: attributes.activityType?.name ?? '',
        input: payload ? defaultPayloadConverter.fromPayload(payload) : null,
        scheduledMs: at,
        startedMs: null,
        closedMs: null,
        outcome: 'running',
        attempt: 0,
      })
    } else if (event.activityTaskStartedEventAttributes) {
      const run = byScheduledId.get(String(event.activityTaskStartedEventAttributes.scheduledEventId))
      if (run) Object.assign(run, { startedMs: at, attempt: event.activityTaskStartedEventAttributes.attempt ?? 1 })
    } else if (event.activityTaskCompletedEventAttributes) {
      closed(event.activityTaskCompletedEventAttributes.scheduledEventId, at, 'completed')
    } else if (event.activityTaskFailedEventAttributes) {
      closed(event.activityTaskFailedEventAttributes.scheduledEventId, at, 'failed')
    } else if (event.activityTaskTimedOutEventAttributes) {
      closed(event.activityTaskTimedOutEventAttributes.scheduledEventId, at, 'timed_out')
    } else if (event.activityTaskCanceledEventAttributes) {
      closed(event.activityTaskCanceledEventAttributes.scheduledEventId, at, 'cancelled')
    }
  }
  return [...byScheduledId.values()]
}
