// How a sleeping publish run woke up and got its publication going, read from the run's history: when the timer
// of its time fired on the server, when the workflow task that followed was picked up and completed by the
// worker, and when the publish activity that task scheduled was picked up from its platform's queue. Also how
// many workflow tasks timed out waiting (a sticky task the worker did not pick up within its schedule-to-start
// timeout goes back to the shared queue: more work for the server, a replay for the worker).
import type { WorkflowHandle } from '@temporalio/client'
import { tsToMs } from '@temporalio/common/lib/time'

export interface WakeTimeline {
  timerFiredMs: number
  /** The workflow task that ran after the timer: scheduled, started (the last attempt), completed. */
  taskScheduledMs: number
  taskStartedMs: number
  taskCompletedMs: number
  /** The first attempt of the activity `activityType` that this task scheduled. */
  activityScheduledMs: number
  activityStartedMs: number | null
  /** Workflow tasks of the whole run that timed out before a worker picked them up. */
  taskTimeouts: number
}

export async function wakeTimeline(handle: WorkflowHandle, activityType: string): Promise<WakeTimeline | null> {
  const events = (await handle.fetchHistory()).events ?? []
  const at = (index: number) => tsToMs(events[index]!.eventTime)
  const taskTimeouts = events.filter((event) => event.workflowTaskTimedOutEventAttributes).length
  const scheduledIndex = events.findIndex((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === activityType)
  if (scheduledIndex < 0) return null
  const completedId = String(events[scheduledIndex]!.activityTaskScheduledEventAttributes!.workflowTaskCompletedEventId)
  const completedIndex = events.findIndex((event) => String(event.eventId) === completedId)
  let firedIndex = -1
  let taskScheduledIndex = -1
  let taskStartedIndex = -1
  for (let i = completedIndex - 1; i >= 0; i--) {
    const event = events[i]!
    if (taskStartedIndex < 0 && event.workflowTaskStartedEventAttributes) taskStartedIndex = i
    if (event.workflowTaskScheduledEventAttributes) taskScheduledIndex = i
    if (event.timerFiredEventAttributes) {
      firedIndex = i
      break
    }
  }
  if (completedIndex < 0 || firedIndex < 0 || taskScheduledIndex < 0 || taskStartedIndex < 0) return null
  const startedIndex = events.findIndex((event) => String(event.activityTaskStartedEventAttributes?.scheduledEventId ?? '') === String(events[scheduledIndex]!.eventId))
  return {
    timerFiredMs: at(firedIndex),
    taskScheduledMs: at(taskScheduledIndex),
    taskStartedMs: at(taskStartedIndex),
    taskCompletedMs: at(completedIndex),
    activityScheduledMs: at(scheduledIndex),
    activityStartedMs: startedIndex >= 0 ? at(startedIndex) : null,
    taskTimeouts,
  }
}
