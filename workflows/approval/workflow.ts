// One round of approval of a card: waits for decisions (Updates whose validators apply domain/approvals.ts, so
// a refused decision never changes the state), keeps the ApprovalRound row current, and meanwhile sleeps on
// durable timers for the reminders, the escalation and the expiry. When the round ends, the card moves as a
// reviewer would move it by hand.
import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow'
import type * as approvalActivities from '../../activities/approvals'
import {
  applyCaptionEdit,
  applyDecision,
  checkDecision,
  deadlineSchedule,
  expireRound,
  openRound,
  addRoundComment,
  withdrawRound,
  type ApprovalRound,
} from '../../domain/approvals'
import { approvalStateQuery, commentSignal, decideUpdate, editCaptionUpdate, withdrawSignal, type ApprovalWorkflowInput } from './definitions'

type Activities = ReturnType<typeof approvalActivities.createApprovalActivities>

// Database writes and notifications: idempotent, retried for a long while rather than losing a decision.
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
})

export async function approvalWorkflow(input: ApprovalWorkflowInput): Promise<ApprovalRound> {
  let round = openRound({ round: input.round, submitterUserId: input.submitterUserId, captionVersion: input.captionVersion, submittedAt: input.submittedAt })
  // Updates run one at a time in the order they were accepted: two approvers deciding at once both count.
  let busy = Promise.resolve()
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = busy.then(work)
    busy = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  setHandler(approvalStateQuery, () => round)
  setHandler(commentSignal, (comment) => {
    if (round.status !== 'pending') return
    void serially(async () => {
      round = addRoundComment(round, comment)
      await acts.recordApprovalRound({ roundId: input.roundId, state: round })
    })
  })
  setHandler(withdrawSignal, () => {
    if (round.status !== 'pending') return
    void serially(async () => {
      round = withdrawRound(round)
      await acts.recordApprovalRound({ roundId: input.roundId, state: round })
    })
  })
  setHandler(
    decideUpdate,
    (decision) =>
      serially(async () => {
        // Checked again in order: a decision accepted behind another may have become stale.
        const refusal = checkDecision(input.policy, round, decision)
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.code)
        round = applyDecision(input.policy, round, { ...decision, at: new Date().toISOString() })
        await acts.recordApprovalRound({ roundId: input.roundId, state: round })
        return round
      }),
    {
      validator: (decision) => {
        const refusal = checkDecision(input.policy, round, decision)
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.code)
      },
    },
  )
  setHandler(
    editCaptionUpdate,
    (edit) =>
      serially(async () => {
        const refusal = checkDecision(input.policy, round, { kind: 'edit', by: edit.by, captionVersion: edit.captionVersion })
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.code)
        const version = await acts.saveApproverCaption({ cardId: input.cardId, agencyId: input.agencyId, by: edit.by, baseVersion: edit.captionVersion, text: edit.text })
        round = applyCaptionEdit(round, version, edit.by.userId)
        await acts.recordApprovalRound({ roundId: input.roundId, state: round })
        return round
      }),
    {
      validator: (edit) => {
        const refusal = checkDecision(input.policy, round, { kind: 'edit', by: edit.by, captionVersion: edit.captionVersion })
        if (refusal) throw ApplicationFailure.nonRetryable(refusal.message, refusal.code)
        if (edit.text.trim() === '') throw ApplicationFailure.nonRetryable('An edited caption cannot be empty.', 'VALIDATION_FAILED')
      },
    },
  )

  // Deadlines: each event sleeps on a durable timer that a decision ending the round cuts short.
  const { events } = deadlineSchedule(input.policy.deadlines, new Date(input.submittedAt))
  for (const event of events) {
    const decided = await condition(() => round.status !== 'pending', Math.max(0, event.at.getTime() - Date.now()))
    if (decided) break
    if (event.kind === 'expiry') {
      // In line with the decisions and comments: one that got in first ends the round instead.
      const expired = await serially(async () => {
        if (round.status !== 'pending') return false
        round = expireRound(round)
        await acts.recordApprovalRound({ roundId: input.roundId, state: round })
        return true
      })
      if (expired) await acts.notifyApproval({ roundId: input.roundId, kind: 'expiry', stepIndex: round.stepIndex })
      break
    }
    await acts.notifyApproval.executeWithOptions(
      { summary: event.kind === 'reminder' ? `Remind the approvers (${event.hoursBefore} h before the due time)` : 'Escalate to the managers' },
      [{ roundId: input.roundId, kind: event.kind, stepIndex: round.stepIndex, ...(event.hoursBefore ? { hoursBefore: event.hoursBefore } : {}) }],
    )
  }
  await condition(() => round.status !== 'pending')
  // Let an update that is still finishing record itself before the card moves.
  await busy
  if (round.status !== 'expired' && round.status !== 'withdrawn') {
    await acts.moveCardForOutcome.executeWithOptions({ summary: `Move the card for “${round.status}”` }, [
      { roundId: input.roundId, status: round.status, decidedBy: round.decisions.at(-1)?.by ?? null },
    ])
  }
  return round
}
