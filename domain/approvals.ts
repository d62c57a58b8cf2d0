// Approval rules: how a workspace or campaign wants submissions approved (none, optional, required, or a chain
// of steps such as internal review then the client), who may decide in a step, what a decision does to the
// round, and when reminders, escalation and expiry fall due. Pure: the approval workflow applies these rules to
// its state and the API uses the same checks to answer a refused decision with a clear 4xx.
import type { BoardColumn } from './content-board'
import { ROLES, type Role } from './permissions'

/**
 * none: no approval round (reviewers move submitted cards by hand); optional: a round opens and reviewers may
 * decide in it, but the card can also be moved on by hand; required: one step must approve; multi_level: every
 * step, in order. Under required and multi_level the card waits in review for the decision.
 */
export const APPROVAL_MODES = ['none', 'optional', 'required', 'multi_level'] as const
export type ApprovalMode = (typeof APPROVAL_MODES)[number]

/** any: one approver of the step is enough; all: every named approver must approve. */
export const STEP_RULES = ['any', 'all'] as const
export type StepRule = (typeof STEP_RULES)[number]

export const STEP_AUDIENCES = ['internal', 'client'] as const
export type StepAudience = (typeof STEP_AUDIENCES)[number]

export interface ApprovalStep {
  name: string
  audience: StepAudience
  rule: StepRule
  /** Named approvers. */
  approverUserIds: string[]
  /** Anyone with one of these roles may decide too (any-of steps only: "all of a role" changes as people come and go). */
  approverRoles: Role[]
}

export interface ApprovalDeadlines {
  /** The decision is due this long after submission. */
  dueAfterHours: number
  /** Reminders this many hours before the due time (each at most once). */
  remindBeforeHours: number[]
  /** Escalate to a manager this long after the due time; null: never. */
  escalateAfterHours: number | null
  /** The request expires this long after the due time; null: it never expires. */
  expireAfterHours: number | null
}

export interface ApprovalPolicy {
  mode: ApprovalMode
  steps: ApprovalStep[]
  deadlines: ApprovalDeadlines
}

export const APPROVAL_LIMITS = {
  steps: 5,
  approversPerStep: 20,
  stepName: 80,
  comment: 4000,
  reminders: 3,
  /** A month: longer waits are better served by a new submission. */
  dueAfterHoursMax: 24 * 30,
} as const

/** Who may decide an internal step by role (creators submit, analysts read, clients decide client steps). */
export const INTERNAL_APPROVER_ROLES = ['owner', 'manager', 'editor'] as const satisfies readonly Role[]

export const DEFAULT_DEADLINES: ApprovalDeadlines = { dueAfterHours: 48, remindBeforeHours: [24, 2], escalateAfterHours: 24, expireAfterHours: null }

/**
 * Without a workspace or campaign policy: optional approval by the board's reviewers (owners and managers). A
 * round opens on each submission, with its reminders, and reviewers may decide in the review grid or move the
 * card on by hand; a workspace or campaign that wants every submission approved sets `required`.
 */
export const DEFAULT_POLICY: ApprovalPolicy = {
  mode: 'optional',
  steps: [{ name: 'Internal review', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['owner', 'manager'] }],
  deadlines: DEFAULT_DEADLINES,
}

export interface PolicyIssue {
  path: string
  message: string
}

/** Everything wrong with a policy, each at its JSON path; empty when it is usable. */
export function policyIssues(policy: ApprovalPolicy): PolicyIssue[] {
  const issues: PolicyIssue[] = []
  const { mode, steps, deadlines } = policy
  if (mode === 'none' && steps.length > 0) issues.push({ path: '/steps', message: 'must be empty when no approval is needed' })
  if ((mode === 'required' || mode === 'optional') && steps.length !== 1) issues.push({ path: '/steps', message: `must have exactly one step for ${mode} approval` })
  if (mode === 'multi_level' && (steps.length < 2 || steps.length > APPROVAL_LIMITS.steps)) {
    issues.push({ path: '/steps', message: `must have 2 to ${APPROVAL_LIMITS.steps} steps for a multi-level chain` })
  }
  steps.forEach((step, i) => {
    const at = `/steps/${i}`
    if (step.name.trim() === '' || step.name.length > APPROVAL_LIMITS.stepName) issues.push({ path: `${at}/name`, message: `must be 1 to ${APPROVAL_LIMITS.stepName} characters` })
    if (new Set(step.approverUserIds).size !== step.approverUserIds.length) issues.push({ path: `${at}/approverUserIds`, message: 'names someone twice' })
    if (step.approverUserIds.length > APPROVAL_LIMITS.approversPerStep) issues.push({ path: `${at}/approverUserIds`, message: `must name at most ${APPROVAL_LIMITS.approversPerStep} approvers` })
    if (step.approverRoles.some((role) => !(ROLES as readonly string[]).includes(role))) issues.push({ path: `${at}/approverRoles`, message: 'names an unknown role' })
    if (step.rule === 'all' && step.approverRoles.length > 0) issues.push({ path: `${at}/approverRoles`, message: 'an all-of step names its approvers; roles fit any-of steps' })
    if (step.approverUserIds.length === 0 && step.approverRoles.length === 0) issues.push({ path: `${at}`, message: 'needs at least one approver or role' })
    if (step.audience === 'client' && step.approverRoles.some((role) => role !== 'client_approver')) {
      issues.push({ path: `${at}/approverRoles`, message: 'a client step is decided by client approvers' })
    }
    if (step.audience === 'internal' && step.approverRoles.some((role) => !(INTERNAL_APPROVER_ROLES as readonly string[]).includes(role))) {
      issues.push({ path: `${at}/approverRoles`, message: `an internal step is decided by ${INTERNAL_APPROVER_ROLES.join(', ')}` })
    }
  })
  if (!Number.isInteger(deadlines.dueAfterHours) || deadlines.dueAfterHours < 1 || deadlines.dueAfterHours > APPROVAL_LIMITS.dueAfterHoursMax) {
    issues.push({ path: '/deadlines/dueAfterHours', message: `must be a whole number of hours from 1 to ${APPROVAL_LIMITS.dueAfterHoursMax}` })
  }
  if (deadlines.remindBeforeHours.length > APPROVAL_LIMITS.reminders) issues.push({ path: '/deadlines/remindBeforeHours', message: `must list at most ${APPROVAL_LIMITS.reminders} reminders` })
  deadlines.remindBeforeHours.forEach((hours, i) => {
    if (!Number.isInteger(hours) || hours < 1 || hours >= deadlines.dueAfterHours) {
      issues.push({ path: `/deadlines/remindBeforeHours/${i}`, message: 'must be whole hours before the due time, after the submission' })
    }
  })
  for (const key of ['escalateAfterHours', 'expireAfterHours'] as const) {
    const hours = deadlines[key]
    if (hours !== null && (!Number.isInteger(hours) || hours < 0 || hours > APPROVAL_LIMITS.dueAfterHoursMax)) {
      issues.push({ path: `/deadlines/${key}`, message: `must be whole hours from 0 to ${APPROVAL_LIMITS.dueAfterHoursMax}, or none` })
    }
  }
  if (deadlines.escalateAfterHours !== null && deadlines.expireAfterHours !== null && deadlines.expireAfterHours <= deadlines.escalateAfterHours) {
    issues.push({ path: '/deadlines/expireAfterHours', message: 'must come after the escalation' })
  }
  return issues
}

/** The campaign's policy when it has one, else the workspace's, else the default. */
export function effectivePolicy(workspace: ApprovalPolicy | null, campaign: ApprovalPolicy | null): ApprovalPolicy {
  return campaign ?? workspace ?? DEFAULT_POLICY
}

// ---------------------------------------------------------------------------------------------------------
// A round: one submission of one caption version, decided step by step

/** withdrawn: the round closed without a decision (the card was moved on by hand, resubmitted, or its run ended). */
export const ROUND_STATUSES = ['pending', 'approved', 'rejected', 'changes_requested', 'expired', 'withdrawn'] as const
export type RoundStatus = (typeof ROUND_STATUSES)[number]

export const DECISION_KINDS = ['approve', 'reject', 'request_changes'] as const
export type DecisionKind = (typeof DECISION_KINDS)[number]

export interface Decider {
  userId: string
  name: string
  role: Role
}

export interface DecisionRecord {
  kind: DecisionKind
  by: Decider
  stepIndex: number
  captionVersion: number
  comment: string | null
  at: string
}

export interface ApprovalRound {
  round: number
  /** Who submitted; they may not decide on their own submission. */
  submitterUserId: string | null
  /** The caption version under review; a decision names it, and an edit moves it on. */
  captionVersion: number
  stepIndex: number
  status: RoundStatus
  /** Who has approved in the current step (all-of steps collect them). */
  approvedBy: string[]
  decisions: DecisionRecord[]
  /** Comments on the card while the round waited (the thread itself is the card's; these mark when). */
  comments?: RoundComment[]
  /** Who wrote the version under review when an approver edited it: they do not approve their own text. */
  editedBy?: string | null
  submittedAt: string
}

export interface RoundComment {
  commentId: string
  authorName: string
  at: string
}

export function openRound(input: { round: number; submitterUserId: string | null; captionVersion: number; submittedAt: string }): ApprovalRound {
  return { ...input, stepIndex: 0, status: 'pending', approvedBy: [], decisions: [], comments: [] }
}

/** A comment made while the round waits; repeated deliveries of the same comment count once. */
export function addRoundComment(round: ApprovalRound, comment: RoundComment): ApprovalRound {
  const comments = round.comments ?? []
  if (comments.some((c) => c.commentId === comment.commentId)) return round
  return { ...round, comments: [...comments, comment] }
}

/** The card left review by hand while the round waited (allowed only when approval is optional). */
export function withdrawRound(round: ApprovalRound): ApprovalRound {
  return round.status === 'pending' ? { ...round, status: 'withdrawn' } : round
}

/** Whether a pending round keeps the card in review: hand moves out of it wait for the decision. */
export function roundHoldsCard(policy: ApprovalPolicy): boolean {
  return (HOLDING_MODES as readonly string[]).includes(policy.mode)
}

/** The modes whose pending round keeps the card in review (also read by the board's query). */
export const HOLDING_MODES = ['required', 'multi_level'] as const satisfies readonly ApprovalMode[]

export type DecisionRefusalCode = 'APPROVAL_NOT_PENDING' | 'NOT_AN_APPROVER' | 'SELF_APPROVAL' | 'STALE_VERSION' | 'ALREADY_DECIDED' | 'COMMENT_REQUIRED'

export interface DecisionRefusal {
  code: DecisionRefusalCode
  message: string
}

/** Whether `decider` may decide in the round's current step. */
export function isApproverOf(step: ApprovalStep, decider: Pick<Decider, 'userId' | 'role'>): boolean {
  return step.approverUserIds.includes(decider.userId) || step.approverRoles.includes(decider.role)
}

/**
 * Why a decision (or a caption edit, `kind: 'edit'`) may not be made, or null when it may. Checked by the
 * workflow's update validators (so a refused decision never reaches its history) and by the API first.
 */
export function checkDecision(
  policy: ApprovalPolicy,
  round: ApprovalRound,
  decision: { kind: DecisionKind | 'edit'; by: Pick<Decider, 'userId' | 'role'>; captionVersion: number; comment?: string | null },
): DecisionRefusal | null {
  if (round.status !== 'pending') return { code: 'APPROVAL_NOT_PENDING', message: `This approval is already ${roundStatusLabel(round.status).toLowerCase()}.` }
  const step = policy.steps[round.stepIndex]
  if (!step || !isApproverOf(step, decision.by)) {
    return { code: 'NOT_AN_APPROVER', message: step ? `You are not an approver of the step “${step.name}”.` : 'This approval has no step to decide.' }
  }
  if (round.submitterUserId !== null && decision.by.userId === round.submitterUserId) {
    return { code: 'SELF_APPROVAL', message: 'Nobody decides on their own submission: ask another approver.' }
  }
  if (decision.kind === 'approve' && round.editedBy && decision.by.userId === round.editedBy) {
    return { code: 'SELF_APPROVAL', message: 'You wrote the version under review: another approver decides on it.' }
  }
  if (decision.captionVersion !== round.captionVersion) {
    return {
      code: 'STALE_VERSION',
      message: `You decided on caption version ${decision.captionVersion}, but version ${round.captionVersion} is under review now. Read it, then decide again.`,
    }
  }
  // In any step of the round: one person approving two levels of a chain would make it a chain of one.
  if (decision.kind !== 'edit' && round.decisions.some((d) => d.by.userId === decision.by.userId && d.captionVersion === round.captionVersion)) {
    return { code: 'ALREADY_DECIDED', message: 'You have already decided on this version in this round.' }
  }
  if (decision.kind === 'request_changes' && !decision.comment?.trim()) {
    return { code: 'COMMENT_REQUIRED', message: 'Say what should change: requesting changes needs a comment.' }
  }
  return null
}

/**
 * The round after a decision that checkDecision allowed: a rejection or a change request ends it; an
 * approval ends an any-of step (or an all-of step once every named approver has approved) and moves to the
 * next step, or approves the round after the last.
 */
export function applyDecision(policy: ApprovalPolicy, round: ApprovalRound, decision: Omit<DecisionRecord, 'stepIndex'>): ApprovalRound {
  const record: DecisionRecord = { ...decision, stepIndex: round.stepIndex }
  const next: ApprovalRound = { ...round, decisions: [...round.decisions, record] }
  if (decision.kind === 'reject') return { ...next, status: 'rejected' }
  if (decision.kind === 'request_changes') return { ...next, status: 'changes_requested' }
  const step = policy.steps[round.stepIndex]!
  const approvedBy = [...new Set([...round.approvedBy, decision.by.userId])]
  const stepDone = step.rule === 'any' || step.approverUserIds.every((userId) => approvedBy.includes(userId))
  if (!stepDone) return { ...next, approvedBy }
  if (round.stepIndex + 1 < policy.steps.length) return { ...next, stepIndex: round.stepIndex + 1, approvedBy: [] }
  return { ...next, approvedBy, status: 'approved' }
}

/**
 * An approver edited the caption: the new version is what the round reviews from now on, and approvals given
 * in this step to the old text no longer count (they approved something else).
 */
export function applyCaptionEdit(round: ApprovalRound, newCaptionVersion: number, editorUserId: string | null = null): ApprovalRound {
  return { ...round, captionVersion: newCaptionVersion, approvedBy: [], editedBy: editorUserId }
}

/** What a round's row keeps of its state; `decidedAt` is the deciding decision's time, or now for an end without one. */
export function roundRecord(round: ApprovalRound, now: Date) {
  const decided = round.status === 'approved' || round.status === 'rejected' || round.status === 'changes_requested'
  return {
    status: round.status,
    stepIndex: round.stepIndex,
    captionVersion: round.captionVersion,
    decisions: round.decisions,
    comments: round.comments ?? [],
    decidedAt: round.status === 'pending' ? null : decided ? new Date(round.decisions.at(-1)?.at ?? now.getTime()) : now,
  }
}

export function expireRound(round: ApprovalRound): ApprovalRound {
  return round.status === 'pending' ? { ...round, status: 'expired' } : round
}

/** Where the card goes when a round ends: the same move a reviewer makes by hand on the board. */
export function outcomeColumn(status: RoundStatus): BoardColumn | null {
  switch (status) {
    case 'approved':
      return 'Approved'
    case 'rejected':
    case 'changes_requested':
      return 'Needs_Changes'
    case 'pending':
    case 'expired':
    case 'withdrawn':
      return null
  }
}

export function roundStatusLabel(status: RoundStatus): string {
  return { pending: 'Pending', approved: 'Approved', rejected: 'Rejected', changes_requested: 'Changes requested', expired: 'Expired', withdrawn: 'Closed without a decision' }[status]
}

// ---------------------------------------------------------------------------------------------------------
// Deadlines

const HOUR_MS = 60 * 60 * 1000

export interface DeadlineEvent {
  kind: 'reminder' | 'escalation' | 'expiry'
  at: Date
  /** Reminders: hours before the due time. */
  hoursBefore?: number
}

/** The due time and every deadline event of a round submitted at `submittedAt`, in time order. */
export function deadlineSchedule(deadlines: ApprovalDeadlines, submittedAt: Date): { dueAt: Date; events: DeadlineEvent[] } {
  const dueAt = new Date(submittedAt.getTime() + deadlines.dueAfterHours * HOUR_MS)
  const events: DeadlineEvent[] = [...new Set(deadlines.remindBeforeHours)]
    .filter((hours) => hours > 0 && hours < deadlines.dueAfterHours)
    .map((hours) => ({ kind: 'reminder' as const, at: new Date(dueAt.getTime() - hours * HOUR_MS), hoursBefore: hours }))
  if (deadlines.escalateAfterHours !== null) events.push({ kind: 'escalation', at: new Date(dueAt.getTime() + deadlines.escalateAfterHours * HOUR_MS) })
  if (deadlines.expireAfterHours !== null) events.push({ kind: 'expiry', at: new Date(dueAt.getTime() + deadlines.expireAfterHours * HOUR_MS) })
  return { dueAt, events: events.sort((a, b) => a.at.getTime() - b.at.getTime()) }
}
