// One scheduled post, from its time to its outcome. Sleeps on a durable timer until the time (an Instagram post
// wakes a few minutes earlier to have its container processed), then publishes through its platform's activities,
// which check the row's recorded progress and the platform's own state before any create or publish call. The
// outcome decides what follows: published (the metrics workflow starts), deferred until the platform's quota is
// back, waiting for the account to be reconnected, unconfirmed until someone verifies on the platform, or failed.
// Reschedule, cancel and verify are Updates whose validators refuse what the post's state does not allow, so a
// refused request leaves no trace in the history.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow'
import type { PublishingActivities } from '../../activities/publishing'
import { CANCELLABLE_POST_STATUSES, checkScheduleTime, RESCHEDULABLE_POST_STATUSES, SANDBOX_METRICS_SCALE, type ScheduledPostStatus } from '../../domain/publishing'
import {
  accountReconnectedSignal,
  cancelUpdate,
  POST_METRICS_WORKFLOW_TYPE,
  postMetricsWorkflowId,
  PREPARE_LEAD_MS,
  publishHandoverLeadMs,
  PUBLISH_STEP_ATTEMPTS,
  publishPostStateQuery,
  publishTaskQueue,
  REAUTH_RECHECK_MS,
  rescheduleUpdate,
  verifyUpdate,
  type PostMetricsWorkflowInput,
  type PublishPostState,
  type PublishPostWorkflowInput,
  type PublishStepResult,
} from './definitions'

// Bookkeeping on the main queue: database writes, notices, the card's column. Retried for as long as it takes.
const books = proxyActivities<PublishingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
})

/** How long media may stay in the platform's processing before the post fails. */
const PROCESSING_LIMIT_MS = 30 * 60 * 1000

export async function publishPostWorkflow(input: PublishPostWorkflowInput): Promise<PublishPostState> {
  // Calls to the platform on its own queue, whose workers cap the calls in flight. Retryable platform failures
  // retry with backoff (the activity sets the platform's own wait when it gave one); after the last attempt the
  // post is settled as failed, or unconfirmed if a call got no answer.
  // The publication itself is handed over before the time: the activity waits for the instant heartbeating, so a
  // worker that dies meanwhile is noticed within the heartbeat timeout and the step runs again elsewhere.
  const platform = proxyActivities<PublishingActivities>({
    taskQueue: publishTaskQueue(workflowInfo().taskQueue, input.platform),
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '30 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: PUBLISH_STEP_ATTEMPTS },
  })

  let status: ScheduledPostStatus = input.resumeAs ?? 'scheduled'
  let scheduledAt = Date.parse(input.scheduledAt)
  let deferredUntil: number | null = null
  let reason: string | null = null
  let prepared = false
  // What the publish step already did: the card moved (so no settle is needed), and whether the account is a sandbox one.
  let publishedBy: { settled: boolean; sandbox: boolean } | null = null
  // Bumped by every Update or signal that changes what the main loop waits for.
  let changes = 0
  // Read through a function: handlers change it while the loop awaits, which the compiler's narrowing cannot see.
  const current = (): ScheduledPostStatus => status
  const state = (): PublishPostState => ({ status, scheduledAt: new Date(scheduledAt).toISOString(), deferredUntil: deferredUntil === null ? null : new Date(deferredUntil).toISOString(), reason })
  const refuse = (message: string, code: string) => {
    throw ApplicationFailure.nonRetryable(message, code)
  }

  setHandler(publishPostStateQuery, state)
  setHandler(
    rescheduleUpdate,
    async ({ at }) => {
      scheduledAt = Date.parse(at)
      status = 'scheduled'
      deferredUntil = null
      reason = null
      prepared = false
      changes += 1
      await books.recordPostStatus({ scheduledPostId: input.scheduledPostId, status: 'scheduled', scheduledAt: at })
      return state()
    },
    {
      validator: ({ at }) => {
        if (!(RESCHEDULABLE_POST_STATUSES as readonly string[]).includes(status)) refuse(`The post is ${status}: it can no longer be rescheduled.`, 'POST_NOT_RESCHEDULABLE')
        const when = new Date(at)
        if (Number.isNaN(when.getTime())) refuse('The new time is not a valid date.', 'VALIDATION_FAILED')
        const refusal = checkScheduleTime(when, new Date())
        if (refusal) refuse(refusal.message, refusal.code)
      },
    },
  )
  setHandler(
    cancelUpdate,
    async ({ by }) => {
      status = 'cancelled'
      reason = `Cancelled by ${by}.`
      changes += 1
      await books.settlePost({ scheduledPostId: input.scheduledPostId, result: { kind: 'cancelled', by } })
      return state()
    },
    {
      validator: ({ by }) => {
        if (!by) refuse('A cancel names who asks for it.', 'VALIDATION_FAILED')
        if (!(CANCELLABLE_POST_STATUSES as readonly string[]).includes(status)) refuse(`The post is ${status}: it can no longer be cancelled.`, 'POST_NOT_CANCELLABLE')
      },
    },
  )
  setHandler(
    verifyUpdate,
    async () => {
      const verification = await platform.verifyPost({ scheduledPostId: input.scheduledPostId })
      if (status !== 'unconfirmed') return verification
      if (verification.outcome === 'published') {
        status = 'published'
        reason = null
        changes += 1
      } else if (verification.outcome === 'absent') {
        // Certainly not on the platform: publish now.
        await books.recordPostStatus({ scheduledPostId: input.scheduledPostId, status: 'scheduled', reason: null })
        status = 'scheduled'
        scheduledAt = Math.min(scheduledAt, Date.now())
        reason = null
        changes += 1
      }
      return verification
    },
    {
      validator: ({ by }) => {
        if (!by) refuse('A verification names who asks for it.', 'VALIDATION_FAILED')
        if (status !== 'unconfirmed') refuse(`The post is ${status}: only an unconfirmed post is verified on the platform.`, 'POST_NOT_UNCONFIRMED')
      },
    },
  )
  // Kept until the wait for a reconnect reads it: a signal that lands while the outcome is still being settled
  // is not lost to the next wait.
  let reconnected = false
  setHandler(accountReconnectedSignal, () => {
    reconnected = true
    changes += 1
  })

  /** Applies a step's outcome to the state and settles it (row, notices, card) when it is one. */
  const settle = async (result: PublishStepResult): Promise<void> => {
    switch (result.kind) {
      case 'published':
        status = 'published'
        reason = null
        publishedBy = { settled: result.settled === true, sandbox: result.sandbox === true }
        return
      case 'deferred':
        status = 'deferred'
        deferredUntil = Date.parse(result.until)
        reason = result.reason
        break
      case 'needs_reauth':
      case 'unconfirmed':
        status = result.kind
        reason = result.reason
        break
      case 'failed':
        status = 'failed'
        reason = result.reason
        break
      case 'skipped':
        status = 'cancelled'
        reason = result.reason
        return
      case 'processing':
        return
    }
    await books.settlePost({ scheduledPostId: input.scheduledPostId, result })
  }

  /** Publishes, polling while the platform processes the media; a platform that kept failing fails the post. */
  const publish = async (due: number): Promise<PublishStepResult> => {
    const started = Date.now()
    for (let poll = 0; ; poll += 1) {
      let result: PublishStepResult
      try {
        result = await platform.publishPost({ scheduledPostId: input.scheduledPostId, ...(poll === 0 && due > Date.now() ? { notBefore: new Date(due).toISOString() } : {}) })
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error
        const cause = error.cause instanceof Error ? error.cause.message : error.message
        return { kind: 'failed', reason: `The platform kept failing after ${PUBLISH_STEP_ATTEMPTS} tries: ${cause}`, code: 'RETRIES_EXHAUSTED' }
      }
      if (result.kind !== 'processing') return result
      if (Date.now() - started > PROCESSING_LIMIT_MS) {
        return { kind: 'failed', reason: 'The platform did not finish processing the media within 30 minutes: try a smaller file.', code: 'PROCESSING_TIMEOUT' }
      }
      await sleep(result.retryInMs)
    }
  }

  while (current() !== 'published' && current() !== 'failed' && current() !== 'cancelled') {
    const seen = changes
    if (current() === 'scheduled' || current() === 'deferred') {
      const due = current() === 'deferred' && deferredUntil !== null ? deferredUntil : scheduledAt
      const handoverAt = due - publishHandoverLeadMs(input.scheduledPostId)
      const prepareAt = current() === 'scheduled' && !prepared && input.platform === 'instagram' ? scheduledAt - PREPARE_LEAD_MS : null
      const wakeAt = prepareAt !== null ? Math.min(prepareAt, handoverAt) : handoverAt
      if (await condition(() => changes !== seen, Math.max(0, wakeAt - Date.now()))) continue
      if (prepareAt !== null && prepareAt < handoverAt) {
        prepared = true
        const result = await platform.preparePost({ scheduledPostId: input.scheduledPostId }).catch((error: unknown) => {
          // Preparing is an optimisation: a failure here is met again, and handled, at the time.
          if (error instanceof ActivityFailure) return null
          throw error
        })
        if (result && result.kind !== 'ready' && result.kind !== 'processing') await settle(result)
        continue
      }
      status = 'publishing'
      await settle(await publish(due))
    } else if (current() === 'needs_reauth') {
      // A reconnect signals; the row is read again now and then in case the signal was lost.
      if (!reconnected) await condition(() => changes !== seen, REAUTH_RECHECK_MS)
      reconnected = false
      if (current() === 'needs_reauth' && (await books.accountActiveForPost({ scheduledPostId: input.scheduledPostId }))) {
        status = 'scheduled'
        reason = null
        await books.recordPostStatus({ scheduledPostId: input.scheduledPostId, status: 'scheduled' })
      }
    } else if (current() === 'unconfirmed') {
      // Waits for "verify on platform" (or a cancel).
      await condition(() => changes !== seen)
    } else {
      break
    }
  }

  if (current() === 'published') {
    // Set by `settle` while the loop ran (the compiler's narrowing cannot see that).
    const by = publishedBy as { settled: boolean; sandbox: boolean } | null
    const settled = by?.settled ? by : await books.settlePost({ scheduledPostId: input.scheduledPostId, result: { kind: 'published', platformPostId: '', permalink: null } })
    const metrics: PostMetricsWorkflowInput = {
      scheduledPostId: input.scheduledPostId,
      agencyId: input.agencyId,
      platform: input.platform,
      publishedAt: new Date().toISOString(),
      // Sandbox posts show their metrics arriving within minutes.
      ...(settled?.sandbox ? { scheduleScale: SANDBOX_METRICS_SCALE } : {}),
    }
    await startChild(POST_METRICS_WORKFLOW_TYPE, {
      workflowId: postMetricsWorkflowId(input.scheduledPostId),
      args: [metrics],
      // The metrics keep coming for 30 days after this run has finished.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: 'Metrics of the published post',
    }).catch((error: unknown) => {
      // Already started (this run was reset, or the post verified twice): the running one keeps going.
      if (error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError') return null
      throw error
    })
  }
  // A cancel or verify that ended the loop finishes its own bookkeeping before the run completes.
  await condition(allHandlersFinished)
  return state()
}
