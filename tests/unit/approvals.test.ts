// Approval rules: policies, who may decide, what decisions do to a round (any-of, all-of, multi-level), caption
// edits, where the card goes, and the deadline schedule.
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_POLICY,
  applyCaptionEdit,
  applyDecision,
  checkDecision,
  deadlineSchedule,
  effectivePolicy,
  expireRound,
  openRound,
  outcomeColumn,
  policyIssues,
  type ApprovalPolicy,
  type ApprovalRound,
  type Decider,
  type DecisionKind,
} from '../../domain/approvals'

const ana: Decider = { userId: 'u-ana', name: 'Ana', role: 'manager' }
const ben: Decider = { userId: 'u-ben', name: 'Ben', role: 'editor' }
const cleo: Decider = { userId: 'u-cleo', name: 'Cleo', role: 'client_approver' }
const dan: Decider = { userId: 'u-dan', name: 'Dan', role: 'client_approver' }
const maya: Decider = { userId: 'u-maya', name: 'Maya', role: 'creator' }

const deadlines = { dueAfterHours: 48, remindBeforeHours: [24, 2], escalateAfterHours: 12, expireAfterHours: 72 }

const twoLevel: ApprovalPolicy = {
  mode: 'multi_level',
  steps: [
    { name: 'Internal review', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager', 'editor'] },
    { name: 'Client', audience: 'client', rule: 'all', approverUserIds: [cleo.userId, dan.userId], approverRoles: [] },
  ],
  deadlines,
}

const submitted = (submitter: Decider | null = maya, captionVersion = 3): ApprovalRound =>
  openRound({ round: 1, submitterUserId: submitter?.userId ?? null, captionVersion, submittedAt: '2026-11-22T09:00:00.000Z' })

function decide(policy: ApprovalPolicy, round: ApprovalRound, by: Decider, kind: DecisionKind, comment: string | null = null) {
  const refusal = checkDecision(policy, round, { kind, by, captionVersion: round.captionVersion, comment })
  if (refusal) throw new Error(`${refusal.code}: ${refusal.message}`)
  return applyDecision(policy, round, { kind, by, captionVersion: round.captionVersion, comment, at: '2026-11-22T10:00:00.000Z' })
}

describe('approval policies', () => {
  it('accepts the default and a two-level chain, and places every problem at its path', () => {
    expect(policyIssues(DEFAULT_POLICY)).toEqual([])
    expect(policyIssues(twoLevel)).toEqual([])
    const broken: ApprovalPolicy = {
      mode: 'multi_level',
      steps: [{ name: ' ', audience: 'client', rule: 'all', approverUserIds: ['a', 'a'], approverRoles: ['manager'] }],
      deadlines: { dueAfterHours: 0, remindBeforeHours: [5], escalateAfterHours: 10, expireAfterHours: 5 },
    }
    expect(policyIssues(broken).map((issue) => issue.path)).toEqual([
      '/steps',
      '/steps/0/name',
      '/steps/0/approverUserIds',
      '/steps/0/approverRoles',
      '/steps/0/approverRoles',
      '/deadlines/dueAfterHours',
      '/deadlines/remindBeforeHours/0',
      '/deadlines/expireAfterHours',
    ])
    expect(policyIssues({ ...DEFAULT_POLICY, mode: 'none' }).map((issue) => issue.path)).toEqual(['/steps'])
  })

  it('an internal step is decided by the team, a client step by client approvers', () => {
    const mixed: ApprovalPolicy = {
      mode: 'required',
      steps: [{ name: 'Review', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager', 'client_approver', 'analyst'] }],
      deadlines,
    }
    expect(policyIssues(mixed).map((issue) => issue.path)).toEqual(['/steps/0/approverRoles'])
  })

  it('takes the campaign’s policy over the workspace’s, and the default without either', () => {
    expect(effectivePolicy(null, null)).toBe(DEFAULT_POLICY)
    expect(effectivePolicy(twoLevel, null)).toBe(twoLevel)
    expect(effectivePolicy(DEFAULT_POLICY, twoLevel)).toBe(twoLevel)
  })
})

describe('deciding a round', () => {
  it('any-of: one approver of the step is enough, and the last step approves the round', () => {
    const afterInternal = decide(twoLevel, submitted(), ben, 'approve')
    expect(afterInternal).toMatchObject({ status: 'pending', stepIndex: 1, approvedBy: [] })
    // Internal reviewers are not approvers of the client step.
    expect(checkDecision(twoLevel, afterInternal, { kind: 'approve', by: ana, captionVersion: 3 })?.code).toBe('NOT_AN_APPROVER')
  })

  it('all-of: every named approver must approve; then the round is approved and the card goes to Approved', () => {
    let round = decide(twoLevel, submitted(), ana, 'approve')
    round = decide(twoLevel, round, cleo, 'approve')
    expect(round).toMatchObject({ status: 'pending', stepIndex: 1, approvedBy: [cleo.userId] })
    round = decide(twoLevel, round, dan, 'approve')
    expect(round.status).toBe('approved')
    expect(round.decisions.map((d) => [d.by.name, d.stepIndex])).toEqual([['Ana', 0], ['Cleo', 1], ['Dan', 1]])
    expect(outcomeColumn(round.status)).toBe('Approved')
  })

  it('a change request (with a comment) or a rejection ends the round and sends the card back', () => {
    expect(checkDecision(twoLevel, submitted(), { kind: 'request_changes', by: ana, captionVersion: 3, comment: '  ' })?.code).toBe('COMMENT_REQUIRED')
    const changes = decide(twoLevel, submitted(), ana, 'request_changes', 'Lead with the origin.')
    expect(changes.status).toBe('changes_requested')
    expect(outcomeColumn(changes.status)).toBe('Needs_Changes')
    const rejected = decide(twoLevel, decide(twoLevel, submitted(), ana, 'approve'), cleo, 'reject')
    expect(rejected.status).toBe('rejected')
    expect(outcomeColumn(rejected.status)).toBe('Needs_Changes')
    expect(checkDecision(twoLevel, rejected, { kind: 'approve', by: dan, captionVersion: 3 })?.code).toBe('APPROVAL_NOT_PENDING')
  })

  it('refuses self-approval, a stale version, a second decision by the same approver, and outsiders', () => {
    const ownSubmission = submitted(ben)
    expect(checkDecision(twoLevel, ownSubmission, { kind: 'approve', by: ben, captionVersion: 3 })?.code).toBe('SELF_APPROVAL')
    expect(checkDecision(twoLevel, submitted(), { kind: 'approve', by: ana, captionVersion: 2 })?.code).toBe('STALE_VERSION')
    expect(checkDecision(twoLevel, submitted(), { kind: 'approve', by: maya, captionVersion: 3 })?.code).toBe('NOT_AN_APPROVER')
    const cleoApproved = decide(twoLevel, decide(twoLevel, submitted(), ana, 'approve'), cleo, 'approve')
    expect(checkDecision(twoLevel, cleoApproved, { kind: 'approve', by: cleo, captionVersion: 3 })?.code).toBe('ALREADY_DECIDED')
    expect(checkDecision(twoLevel, cleoApproved, { kind: 'reject', by: cleo, captionVersion: 3 })?.code).toBe('ALREADY_DECIDED')
  })

  it('a caption edit moves the round to the new version and voids this step’s approvals of the old text', () => {
    const cleoApproved = decide(twoLevel, decide(twoLevel, submitted(), ana, 'approve'), cleo, 'approve')
    expect(checkDecision(twoLevel, cleoApproved, { kind: 'edit', by: dan, captionVersion: 3 })).toBeNull()
    const edited = applyCaptionEdit(cleoApproved, 4)
    expect(edited).toMatchObject({ captionVersion: 4, approvedBy: [], status: 'pending' })
    // Cleo approved version 3; she decides again on version 4, and a decision naming 3 is stale.
    expect(checkDecision(twoLevel, edited, { kind: 'approve', by: dan, captionVersion: 3 })?.code).toBe('STALE_VERSION')
    const approved = decide(twoLevel, decide(twoLevel, edited, cleo, 'approve'), dan, 'approve')
    expect(approved.status).toBe('approved')
  })

  it('one person decides once per version in a round, whatever the step; an approver does not approve their own edit', () => {
    const shared: ApprovalPolicy = {
      mode: 'multi_level',
      steps: [
        { name: 'Editor', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager'] },
        { name: 'Account lead', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager'] },
      ],
      deadlines,
    }
    const afterStep1 = decide(shared, submitted(), ana, 'approve')
    expect(afterStep1.stepIndex).toBe(1)
    expect(checkDecision(shared, afterStep1, { kind: 'approve', by: ana, captionVersion: 3 })?.code).toBe('ALREADY_DECIDED')
    const other: Decider = { userId: 'u-olu', name: 'Olu', role: 'manager' }
    // Olu edits in step 2: the new version is Olu's text, so Ana decides it, not Olu.
    const edited = applyCaptionEdit(afterStep1, 4, other.userId)
    expect(checkDecision(shared, edited, { kind: 'approve', by: other, captionVersion: 4 })?.code).toBe('SELF_APPROVAL')
    expect(decide(shared, edited, ana, 'approve').status).toBe('approved')
  })

  it('expires only a pending round', () => {
    expect(expireRound(submitted()).status).toBe('expired')
    expect(outcomeColumn('expired')).toBeNull()
    const approved = decide(DEFAULT_POLICY, submitted(), ana, 'approve')
    expect(approved.status).toBe('approved')
    expect(expireRound(approved).status).toBe('approved')
  })
})

describe('deadlines', () => {
  it('schedules reminders before the due time, then escalation and expiry after it, in order', () => {
    const { dueAt, events } = deadlineSchedule(deadlines, new Date('2026-11-22T09:00:00.000Z'))
    expect(dueAt.toISOString()).toBe('2026-11-24T09:00:00.000Z')
    expect(events.map((e) => [e.kind, e.at.toISOString()])).toEqual([
      ['reminder', '2026-11-23T09:00:00.000Z'],
      ['reminder', '2026-11-24T07:00:00.000Z'],
      ['escalation', '2026-11-24T21:00:00.000Z'],
      ['expiry', '2026-11-27T09:00:00.000Z'],
    ])
    expect(deadlineSchedule({ ...deadlines, escalateAfterHours: null, expireAfterHours: null, remindBeforeHours: [] }, new Date(0)).events).toEqual([])
  })
})
