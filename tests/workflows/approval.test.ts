// The approval workflow on Temporal's time-skipping test server, with its real activities writing to a
// PostgreSQL database of this file's own: decisions as Updates (validated before they reach the history),
// any-of and all-of steps in a multi-level chain, two approvers at once, refusals that leave the state alone,
// an approver's caption edit, and reminders, escalation and expiry on durable timers.
import { randomUUID } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { historyToJSON } from '@temporalio/common/lib/proto-utils'
import { WorkflowUpdateFailedError } from '@temporalio/client'
import type { TestWorkflowEnvironment } from '@temporalio/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createActivities } from '../../activities'
import type { ApprovalPolicy, Decider } from '../../domain/approvals'
import type { Database } from '../../platform/database'
import { approvalStateQuery, decideUpdate, editCaptionUpdate } from '../../workflows/approval/definitions'
import { approvalWorkflow } from '../../workflows/approval/workflow'
import { approvalScope, openApprovalRound, type ApprovalScope } from '../support/approvals'
import { testDatabase } from '../support/database'
import { startTimeSkippingWorker, type TimeSkippingWorker } from '../support/temporal'

const taskQueue = `approval-test-${randomUUID()}`
let db: Database
let dropDatabase: () => Promise<void>
let temporal: TimeSkippingWorker
let env: TestWorkflowEnvironment
let scope: ApprovalScope<'owner' | 'ana' | 'ben' | 'cleo' | 'dan' | 'maya'>
let agencyId: string
let people: typeof scope.people

beforeAll(async () => {
  ;({ db, drop: dropDatabase } = await testDatabase())
  scope = await approvalScope(db, 'Approvals', { owner: 'owner', ana: 'manager', ben: 'editor', cleo: 'client_approver', dan: 'client_approver', maya: 'creator' })
  ;({ agencyId, people } = scope)
  temporal = await startTimeSkippingWorker(taskQueue, () => createActivities({ db }))
  env = temporal.env
}, 120_000)

afterAll(async () => {
  await temporal?.stop()
  await dropDatabase?.()
})

const deadlines = { dueAfterHours: 48, remindBeforeHours: [24, 2], escalateAfterHours: 12, expireAfterHours: 72 }
const twoLevel: ApprovalPolicy = {
  mode: 'multi_level',
  steps: [
    { name: 'Internal review', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager', 'editor'] },
    { name: 'Client', audience: 'client', rule: 'all', approverUserIds: [], approverRoles: [] },
  ],
  deadlines,
}
const policyWithClients = (): ApprovalPolicy => ({ ...twoLevel, steps: [twoLevel.steps[0]!, { ...twoLevel.steps[1]!, approverUserIds: [people.cleo.userId, people.dan.userId] }] })

/** A submitted card with caption version 3, its round row, and its workflow started. */
async function submit(policy: ApprovalPolicy, submitter: Decider = people.maya) {
  const submittedAt = new Date(await env.currentTimeMs())
  const { card, round, input } = await openApprovalRound(db, scope, { policy, submitter, submittedAt, captionVersion: 3 })
  await db.captionVersion.createMany({ data: [1, 2, 3].map((version) => ({ agencyId, cardId: card.id, version, text: `Caption v${version}` })) })
  const handle = await env.client.workflow.start(approvalWorkflow, { workflowId: round.workflowId, taskQueue, args: [input] })
  return { card, round, handle }
}

/**
 * With GREENLIGHT_RECORD_HISTORIES=1, writes a finished run's history for the replay test. A committed history
 * is never overwritten: it stands for the runs in flight when it was recorded (delete it to re-record).
 */
async function recordHistory(handle: { fetchHistory(): Promise<unknown> }, file: string): Promise<void> {
  if (process.env.GREENLIGHT_RECORD_HISTORIES !== '1') return
  const target = path.join(import.meta.dirname, 'histories', file)
  if (!existsSync(target)) writeFileSync(target, historyToJSON((await handle.fetchHistory()) as Parameters<typeof historyToJSON>[0]) + '\n')
}

async function refusalOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return (error.cause as { type?: string }).type
    throw error
  }
  return undefined
}

describe('approvalWorkflow', () => {
  it('runs a multi-level chain: any internal reviewer, then both clients at once; the card moves to Approved', async () => {
    const { card, round, handle } = await submit(policyWithClients())
    const afterInternal = await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', by: people.ben, captionVersion: 3, comment: null }] })
    expect(afterInternal).toMatchObject({ status: 'pending', stepIndex: 1 })
    // Two clients decide at the same moment: both count, in the order they were accepted.
    const [first, second] = await Promise.all([
      handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', by: people.cleo, captionVersion: 3, comment: null }] }),
      handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', by: people.dan, captionVersion: 3, comment: null }] }),
    ])
    expect([first.status, second.status].sort()).toEqual(['approved', 'pending'])
    const result = await handle.result()
    expect(result.status).toBe('approved')
    expect(result.decisions.map((d) => d.by.name).sort()).toEqual(['Ben', 'Cleo', 'Dan'])
    const row = await db.approvalRound.findUniqueOrThrow({ where: { id: round.id } })
    expect(row).toMatchObject({ status: 'approved', stepIndex: 1 })
    expect((row.decisions as unknown[]).length).toBe(3)
    expect((await db.contentTask.findUniqueOrThrow({ where: { id: card.id } })).column).toBe('Approved')
  })

  it('refuses self-approval, a stale version, outsiders and a second decision, leaving the state as it was', async () => {
    const { card, handle } = await submit(policyWithClients(), people.ben)
    expect(await refusalOf(handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', by: people.ben, captionVersion: 3, comment: null }] }))).toBe('SELF_APPROVAL')
    expect(await refusalOf(handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', by: people.ana, captionVersion: 2, comment: null }] }))).toBe('STALE_VERSION')
    expect(await refusalOf(handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', by: people.maya, captionVersion: 3, comment: null }] }))).toBe('NOT_AN_APPROVER')
    expect(await handle.query(approvalStateQuery)).toMatchObject({ status: 'pending', stepIndex: 0, decisions: [] })

    await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', by: people.ana, captionVersion: 3, comment: null }] })
    await handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', by: people.cleo, captionVersion: 3, comment: null }] })
    expect(await refusalOf(handle.executeUpdate(decideUpdate, { args: [{ kind: 'reject', by: people.cleo, captionVersion: 3, comment: null }] }))).toBe('ALREADY_DECIDED')
    // Refused updates leave no trace in the history: only the two accepted ones are there.
    const history = await handle.fetchHistory()
    expect(history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length).toBe(2)

    // An edit by the client moves the round to a new version: Cleo's approval of version 3 no longer counts.
    const edited = await handle.executeUpdate(editCaptionUpdate, { args: [{ by: people.dan, captionVersion: 3, text: 'Caption v4, tightened by the client' }] })
    expect(edited).toMatchObject({ captionVersion: 4, approvedBy: [] })
    expect((await db.captionVersion.findFirstOrThrow({ where: { cardId: card.id, version: 4 } })).source).toBe('approver')
    expect(await refusalOf(handle.executeUpdate(decideUpdate, { args: [{ kind: 'approve', by: people.cleo, captionVersion: 3, comment: null }] }))).toBe('STALE_VERSION')
    const changes = await handle.executeUpdate(decideUpdate, { args: [{ kind: 'request_changes', by: people.cleo, captionVersion: 4, comment: 'Name the farm.' }] })
    expect(changes.status).toBe('changes_requested')
    await handle.result()
    expect((await db.contentTask.findUniqueOrThrow({ where: { id: card.id } })).column).toBe('Needs_Changes')
    await recordHistory(handle, 'approval-refusals-edit-changes.json')
  })

  it('reminds the approvers before the due time, escalates to managers after it, then expires the request', async () => {
    const { card, round, handle } = await submit(policyWithClients())
    const result = await handle.result()
    expect(result.status).toBe('expired')
    const notifications = await db.notification.findMany({ where: { agencyId, idempotencyKey: { startsWith: `approval:${round.id}:` } } })
    const kinds = (kind: string) => notifications.filter((n) => n.kind === kind).map((n) => n.userId).sort()
    // Internal step: any manager or editor.
    expect(kinds('approval.reminder')).toEqual([people.ana.userId, people.ana.userId, people.ben.userId, people.ben.userId].sort())
    expect(kinds('approval.escalation')).toEqual([people.owner.userId, people.ana.userId].sort())
    expect(kinds('approval.expiry')).toEqual([people.ana.userId, people.ben.userId, people.maya.userId].sort())
    const row = await db.approvalRound.findUniqueOrThrow({ where: { id: round.id } })
    expect(row).toMatchObject({ status: 'expired', remindersSent: 2 })
    expect(row.escalatedAt).not.toBeNull()
    // Expired is not a decision: the card stays where it was.
    expect((await db.contentTask.findUniqueOrThrow({ where: { id: card.id } })).column).toBe('Submitted_By_Creator')
    // The timers ran on workflow time: 48 h due + 72 h until expiry.
    const history = await handle.fetchHistory()
    expect(history.events!.filter((e) => e.timerStartedEventAttributes).length).toBe(4)
    await recordHistory(handle, 'approval-reminders-expiry.json')
  })
})
