// Approvals through the API: the policy of a workspace or campaign, the round a submission opens (an
// ApprovalRound row and its workflow approval:<cardId>:<round>), decisions and an approver's caption edit sent
// as Updates (answered synchronously with the round they produced, refused with the domain's codes), comments
// and withdrawals sent as signals, and the rounds read back from the rows the workflow's activities keep.
import type { Static } from '@fastify/type-provider-typebox'
import type { Client } from '@temporalio/client'
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client'
import { ApplicationFailure } from '@temporalio/common'
import {
  checkDecision,
  deadlineSchedule,
  effectivePolicy,
  policyIssues,
  roundHoldsCard,
  roundRecord,
  roundStatusLabel,
  type ApprovalPolicy,
  type ApprovalRound as RoundState,
  type Decider,
  type DecisionKind,
  type DecisionRecord,
  type DecisionRefusalCode,
  type RoundComment,
  type RoundStatus,
} from '../../domain/approvals'
import { temporalWebWorkflowUrl } from '../../domain/campaign'
import { Prisma, type ApprovalRound } from '../../generated/prisma/client'
import type { Database } from '../../platform/database'
import { asTransactionClient, type TenantDatabase, type TenantTransaction } from '../../platform/tenant-scope'
import { AgencyIdAttribute, CampaignIdAttribute } from '../../workflows/campaign/definitions'
import {
  APPROVAL_WORKFLOW_TYPE,
  approvalWorkflowId,
  commentSignal,
  decideUpdate,
  editCaptionUpdate,
  withdrawSignal,
  type ApprovalWorkflowInput,
} from '../../workflows/approval/definitions'
import { ApiError, notFound } from '../errors'
import type { ApprovalRoundView } from '../schemas/approval'
import type { ApiSettings, AuthUser } from '../types'
import { recordAudit } from './audit'

export interface ApprovalDeps {
  db: Database
  temporal: Client
  settings: ApiSettings
}

type Db = TenantDatabase | TenantTransaction

/** How long the API waits for a run to answer before saying it is unavailable (the web app gives up at 10 s). */
const TEMPORAL_TIMEOUT_MS = 8_000

// ---------------------------------------------------------------------------------------------------------
// Reading rounds

/** A round as the API shows it (the schema is api/schemas/approval.ts). */
export type RoundView = Static<typeof ApprovalRoundView>

export function roundViewOf(row: ApprovalRound, settings: Pick<ApiSettings, 'temporal'>, submitterName: string | null = null): RoundView {
  const policy = row.policy as unknown as ApprovalPolicy
  return {
    id: row.id,
    cardId: row.cardId,
    round: row.round,
    workflowId: row.workflowId,
    temporalUrl: temporalWebWorkflowUrl(settings.temporal.uiUrl, settings.temporal.namespace, row.workflowId),
    status: row.status as RoundStatus,
    statusLabel: roundStatusLabel(row.status as RoundStatus),
    mode: policy.mode,
    stepIndex: row.stepIndex,
    steps: policy.steps.map((step) => ({ name: step.name, audience: step.audience, rule: step.rule })),
    captionVersion: row.captionVersion,
    submittedBy: submitterName,
    submittedAt: row.submittedAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisions: row.decisions as unknown as DecisionRecord[],
    comments: row.comments as unknown as RoundComment[],
    remindersSent: row.remindersSent,
    escalatedAt: row.escalatedAt?.toISOString() ?? null,
  }
}

/** The round state the domain rules read, from its row (the row is what the workflow last recorded). */
export function roundStateOf(row: ApprovalRound): RoundState {
  const decisions = row.decisions as unknown as DecisionRecord[]
  return {
    round: row.round,
    submitterUserId: row.submittedById,
    captionVersion: row.captionVersion,
    stepIndex: row.stepIndex,
    status: row.status as RoundStatus,
    // Approvals given in the current step to the version under review (an all-of step collects them).
    approvedBy: decisions.filter((d) => d.kind === 'approve' && d.stepIndex === row.stepIndex && d.captionVersion === row.captionVersion).map((d) => d.by.userId),
    decisions,
    comments: row.comments as unknown as RoundComment[],
    submittedAt: row.submittedAt.toISOString(),
  }
}

async function submitterNames(db: Db, rows: ApprovalRound[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((row) => row.submittedById).filter((id): id is string => id !== null))]
  if (ids.length === 0) return new Map()
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
  return new Map(users.map((user) => [user.id, user.name]))
}

export async function roundViews(db: Db, settings: Pick<ApiSettings, 'temporal'>, rows: ApprovalRound[]): Promise<RoundView[]> {
  const names = await submitterNames(db, rows)
  return rows.map((row) => roundViewOf(row, settings, row.submittedById ? (names.get(row.submittedById) ?? 'Former member') : null))
}

export async function latestRound(db: Db, settings: Pick<ApiSettings, 'temporal'>, cardId: string): Promise<RoundView | null> {
  const row = await db.approvalRound.findFirst({ where: { cardId }, orderBy: { round: 'desc' } })
  return row ? ((await roundViews(db, settings, [row]))[0] ?? null) : null
}

export interface CardApproval {
  current: RoundView | null
  rounds: RoundView[]
  policy: ApprovalPolicy
  /** Whether the viewer may decide in the pending round now (any kind: the comment rule aside). */
  canDecide: boolean
  refusal: { code: DecisionRefusalCode; message: string } | null
}

/** A card's rounds, newest first, the policy its next submission gets, and whether `user` may decide now. */
export async function getCardApproval(deps: Pick<ApprovalDeps, 'settings'>, db: TenantDatabase, user: AuthUser, cardId: string): Promise<CardApproval> {
  const card = await db.contentTask.findUnique({
    where: { id: cardId },
    select: { id: true, campaign: { select: { approvalPolicy: true } }, workspace: { select: { approvalPolicy: true } } },
  })
  if (!card) throw notFound('Card')
  const rows = await db.approvalRound.findMany({ where: { cardId }, orderBy: { round: 'desc' }, take: 50 })
  const rounds = await roundViews(db, deps.settings, rows)
  const latest = rows[0]
  const refusal = latest?.status === 'pending' ? decisionRefusal(latest, deciderOf(user), 'approve', latest.captionVersion) : null
  return {
    current: rounds[0] ?? null,
    rounds,
    policy: policyOf(card.workspace.approvalPolicy, card.campaign.approvalPolicy),
    canDecide: latest?.status === 'pending' && refusal === null,
    refusal,
  }
}

export function deciderOf(user: Pick<AuthUser, 'id' | 'name' | 'role'>): Decider {
  return { userId: user.id, name: user.name, role: user.role as Decider['role'] }
}

/** Why `by` may not decide (or edit) in the round as its row stands, or null: checkDecision on the row's state. */
export function decisionRefusal(row: ApprovalRound, by: Decider, kind: DecisionKind | 'edit', captionVersion: number, comment?: string | null) {
  return checkDecision(row.policy as unknown as ApprovalPolicy, roundStateOf(row), { kind, by, captionVersion, comment: comment ?? null })
}

// ---------------------------------------------------------------------------------------------------------
// Policies

function policyOf(workspace: Prisma.JsonValue | null, campaign: Prisma.JsonValue | null): ApprovalPolicy {
  return effectivePolicy(workspace as unknown as ApprovalPolicy | null, campaign as unknown as ApprovalPolicy | null)
}

export interface PolicySettings {
  /** The policy set here; null: inherited. */
  policy: ApprovalPolicy | null
  /** What submissions get: this level's policy, else the one it inherits. */
  effective: ApprovalPolicy
  inheritedFrom: 'workspace' | 'default' | null
}

export async function getWorkspacePolicy(db: TenantDatabase, workspaceId: string): Promise<PolicySettings> {
  const workspace = await db.workspace.findUnique({ where: { id: workspaceId }, select: { approvalPolicy: true } })
  if (!workspace) throw notFound('Workspace')
  const own = workspace.approvalPolicy as unknown as ApprovalPolicy | null
  return { policy: own, effective: policyOf(own as never, null), inheritedFrom: own ? null : 'default' }
}

export async function getCampaignPolicy(db: TenantDatabase, campaignId: string): Promise<PolicySettings> {
  const campaign = await db.campaign.findUnique({ where: { id: campaignId }, select: { approvalPolicy: true, workspace: { select: { approvalPolicy: true } } } })
  if (!campaign) throw notFound('Campaign')
  const own = campaign.approvalPolicy as unknown as ApprovalPolicy | null
  const inherited = campaign.workspace.approvalPolicy as unknown as ApprovalPolicy | null
  return { policy: own, effective: policyOf(inherited as never, own as never), inheritedFrom: own ? null : inherited ? 'workspace' : 'default' }
}

/** 400 with every problem at its path; named approvers must be members of the agency who may review. */
async function checkPolicy(db: Db, policy: ApprovalPolicy): Promise<void> {
  const issues = policyIssues(policy)
  const named = [...new Set(policy.steps.flatMap((step) => step.approverUserIds))]
  if (named.length) {
    const members = await db.user.findMany({ where: { id: { in: named } }, select: { id: true, role: true } })
    const roles = new Map(members.map((member) => [member.id, member.role]))
    policy.steps.forEach((step, i) =>
      step.approverUserIds.forEach((userId, j) => {
        const role = roles.get(userId)
        if (!role) issues.push({ path: `/steps/${i}/approverUserIds/${j}`, message: 'is not a member of this agency' })
        else if (role === 'creator' || role === 'analyst') issues.push({ path: `/steps/${i}/approverUserIds/${j}`, message: `a ${role} cannot approve` })
        else if (step.audience === 'client' && role !== 'client_approver') issues.push({ path: `/steps/${i}/approverUserIds/${j}`, message: 'a client step is decided by client approvers' })
      }),
    )
  }
  if (issues.length) throw new ApiError(400, 'VALIDATION_FAILED', 'The approval policy has problems: see details.', issues.map((issue) => ({ path: `/policy${issue.path}`, message: issue.message })))
}

export async function setWorkspacePolicy(db: TenantDatabase, user: AuthUser, workspaceId: string, policy: ApprovalPolicy | null, ip: string): Promise<PolicySettings> {
  await db.$transaction(async (tx) => {
    const workspace = await tx.workspace.findUnique({ where: { id: workspaceId }, select: { id: true, name: true } })
    if (!workspace) throw notFound('Workspace')
    if (policy) await checkPolicy(tx, policy)
    await tx.workspace.update({ where: { id: workspaceId }, data: { approvalPolicy: policy ? (policy as unknown as Prisma.InputJsonObject) : Prisma.DbNull } })
    await recordAudit(asTransactionClient(tx), { agencyId: user.agency.id, actor: user, action: 'approval.policy_changed', target: { type: 'workspace', id: workspaceId }, ip, detail: { mode: policy?.mode ?? 'inherit', workspace: workspace.name } })
  })
  return getWorkspacePolicy(db, workspaceId)
}

export async function setCampaignPolicy(db: TenantDatabase, user: AuthUser, campaignId: string, policy: ApprovalPolicy | null, ip: string): Promise<PolicySettings> {
  await db.$transaction(async (tx) => {
    const campaign = await tx.campaign.findUnique({ where: { id: campaignId }, select: { id: true, name: true } })
    if (!campaign) throw notFound('Campaign')
    if (policy) await checkPolicy(tx, policy)
    await tx.campaign.update({ where: { id: campaignId }, data: { approvalPolicy: policy ? (policy as unknown as Prisma.InputJsonObject) : Prisma.DbNull } })
    await recordAudit(asTransactionClient(tx), { agencyId: user.agency.id, actor: user, action: 'approval.policy_changed', target: { type: 'campaign', id: campaignId }, ip, detail: { mode: policy?.mode ?? 'inherit', campaign: campaign.name } })
  })
  return getCampaignPolicy(db, campaignId)
}

// ---------------------------------------------------------------------------------------------------------
// Submissions: the board's moves into and out of review (called inside the move's transaction)

/** What the move's transaction decided about approval, acted on after it commits. */
export interface ReviewMoveEffect {
  opened: { row: ApprovalRound; campaignId: string } | null
  /** Runs of rounds the move closed without a decision: they hear it by a signal. */
  withdrawn: string[]
}

/** Closes a card's pending rounds without a decision (in the caller's transaction); returns their runs. */
async function withdrawPending(tx: TenantTransaction, cardId: string): Promise<string[]> {
  const pending = await tx.approvalRound.findMany({ where: { cardId, status: 'pending' }, select: { id: true, workflowId: true } })
  if (pending.length === 0) return []
  await tx.approvalRound.updateMany({ where: { id: { in: pending.map((row) => row.id) }, status: 'pending' }, data: { status: 'withdrawn', decidedAt: new Date() } })
  return pending.map((row) => row.workflowId)
}

/**
 * A card moving into or out of "Submitted by creator". Into it: a round opens under the campaign's (else the
 * workspace's, else the default) policy, unless that policy is "none". Out of it by hand while a round waits:
 * refused when the policy requires approval (409 APPROVAL_PENDING), else the round is closed without a
 * decision — in this transaction, so the row never says "pending" for a card that has left review.
 */
export async function reviewMove(
  tx: TenantTransaction,
  user: AuthUser,
  card: { id: string; campaignId: string; workspaceId: string },
  from: string,
  to: string,
): Promise<ReviewMoveEffect | null> {
  if (from === to) return null
  if (from === 'Submitted_By_Creator') {
    const holding = (await tx.approvalRound.findMany({ where: { cardId: card.id, status: 'pending' }, orderBy: { round: 'desc' } })).find((row) =>
      roundHoldsCard(row.policy as unknown as ApprovalPolicy),
    )
    if (holding) {
      throw new ApiError(409, 'APPROVAL_PENDING', `Round ${holding.round} of this card's approval is waiting for a decision: decide it in the review (or ask an approver), and the card moves on by itself.`)
    }
    const withdrawn = await withdrawPending(tx, card.id)
    return withdrawn.length ? { opened: null, withdrawn } : null
  }
  if (to !== 'Submitted_By_Creator') return null
  const scope = await tx.campaign.findUniqueOrThrow({ where: { id: card.campaignId }, select: { approvalPolicy: true, workspace: { select: { approvalPolicy: true } } } })
  const policy = policyOf(scope.workspace.approvalPolicy, scope.approvalPolicy)
  // A round left pending by an earlier submission ends here: only the newest one is decided.
  const withdrawn = await withdrawPending(tx, card.id)
  if (policy.mode === 'none') return withdrawn.length ? { opened: null, withdrawn } : null
  const [latest, caption] = await Promise.all([
    tx.approvalRound.findFirst({ where: { cardId: card.id }, orderBy: { round: 'desc' }, select: { round: true } }),
    tx.captionVersion.findFirst({ where: { cardId: card.id }, orderBy: { version: 'desc' }, select: { version: true } }),
  ])
  const round = (latest?.round ?? 0) + 1
  const submittedAt = new Date()
  const row = await tx.approvalRound.create({
    data: {
      agencyId: user.agency.id,
      cardId: card.id,
      round,
      workflowId: approvalWorkflowId(card.id, round),
      captionVersion: caption?.version ?? 0,
      policy: policy as unknown as Prisma.InputJsonObject,
      submittedById: user.id,
      submittedAt,
      dueAt: deadlineSchedule(policy.deadlines, submittedAt).dueAt,
    },
  })
  return { opened: { row, campaignId: card.campaignId }, withdrawn }
}

/** After the move commits: tell withdrawn rounds' runs, and start the new round's run. */
export async function afterReviewMove(
  deps: Pick<ApprovalDeps, 'temporal' | 'settings'>,
  user: AuthUser,
  effect: ReviewMoveEffect | null,
  log: { warn: (obj: object, msg: string) => void },
): Promise<void> {
  if (!effect) return
  // The move is committed either way: the sweep starts a run that failed to start and tells a withdrawn run
  // that missed its signal.
  for (const workflowId of effect.withdrawn) {
    await signalWithdrawal(deps, workflowId, deciderOf(user)).catch((error: unknown) => log.warn({ err: error, workflowId }, 'could not tell an approval run it was withdrawn; the sweep retries'))
  }
  if (effect.opened) {
    await startRoundRun(deps, effect.opened.row, effect.opened.campaignId).catch((error: unknown) =>
      log.warn({ err: error, workflowId: effect.opened!.row.workflowId }, 'could not start an approval run; the sweep starts it within a minute'),
    )
  }
}

async function signalWithdrawal(deps: Pick<ApprovalDeps, 'temporal'>, workflowId: string, by: Decider): Promise<void> {
  try {
    await deps.temporal.withAbortSignal(AbortSignal.timeout(TEMPORAL_TIMEOUT_MS), () => deps.temporal.workflow.getHandle(workflowId).signal(withdrawSignal, { by }))
  } catch (error) {
    // A run that never started, or has ended, has nothing to hear.
    if (!(error instanceof WorkflowNotFoundError)) throw error
  }
}

export async function startRoundRun(deps: Pick<ApprovalDeps, 'temporal' | 'settings'>, row: ApprovalRound, campaignId: string): Promise<void> {
  const input: ApprovalWorkflowInput = {
    roundId: row.id,
    agencyId: row.agencyId,
    cardId: row.cardId,
    round: row.round,
    policy: row.policy as unknown as ApprovalPolicy,
    submitterUserId: row.submittedById,
    captionVersion: row.captionVersion,
    submittedAt: row.submittedAt.toISOString(),
  }
  const policy = input.policy
  try {
    await deps.temporal.workflow.start(APPROVAL_WORKFLOW_TYPE, {
      workflowId: row.workflowId,
      taskQueue: deps.settings.temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `Approval round ${row.round}: ${policy.steps.map((step) => `${step.name} (${step.rule === 'all' ? 'all of' : 'any of'})`).join(' → ')}, due ${row.dueAt.toISOString()}`,
      typedSearchAttributes: [
        { key: AgencyIdAttribute, value: row.agencyId },
        { key: CampaignIdAttribute, value: campaignId },
      ],
    })
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error
  }
}

const SWEEP_BATCH = 200
const SYSTEM: Decider = { userId: '00000000-0000-0000-0000-000000000000', name: 'Greenlight', role: 'owner' }

/**
 * Keeps rows and runs in step, at API start-up and every minute (rounds younger than a minute may be between
 * their commit and their start):
 * - a pending round whose run never started (the API stopped between the move and the start): started now;
 * - a pending round whose run has ended (terminated by hand, or failed): its row takes the run's result, or
 *   is closed without a decision, so the card is not held in review by a round nobody can decide;
 * - a round withdrawn in the last day whose run missed the signal: told again.
 */
export async function startMissingApprovalWorkflows(deps: Pick<ApprovalDeps, 'db' | 'temporal' | 'settings'>, now = new Date()): Promise<string[]> {
  const rows = await deps.db.approvalRound.findMany({
    where: { status: 'pending', submittedAt: { lt: new Date(now.getTime() - 60_000) } },
    include: { card: { select: { campaignId: true } } },
    orderBy: { submittedAt: 'asc' },
    take: SWEEP_BATCH,
  })
  const started: string[] = []
  for (const row of rows) {
    const handle = deps.temporal.workflow.getHandle(row.workflowId)
    let status: string
    try {
      status = (await handle.describe()).status.name
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error
      await startRoundRun(deps, row, row.card.campaignId)
      started.push(row.id)
      continue
    }
    if (status === 'RUNNING') continue
    const result = status === 'COMPLETED' ? ((await handle.result()) as RoundState) : null
    await deps.db.approvalRound.updateMany({ where: { id: row.id, status: 'pending' }, data: rowFieldsOf(result ?? { ...roundStateOf(row), status: 'withdrawn' }, now) })
  }
  const withdrawn = await deps.db.approvalRound.findMany({
    where: { status: 'withdrawn', decidedAt: { gt: new Date(now.getTime() - 86_400_000) } },
    select: { workflowId: true },
    orderBy: { decidedAt: 'desc' },
    take: SWEEP_BATCH,
  })
  for (const { workflowId } of withdrawn) {
    const description = await deps.temporal.workflow.getHandle(workflowId).describe().catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return null
      throw error
    })
    if (description?.status.name === 'RUNNING') await signalWithdrawal(deps, workflowId, SYSTEM)
  }
  return started
}

// ---------------------------------------------------------------------------------------------------------
// Decisions, edits and comments

const REFUSAL_STATUS: Record<DecisionRefusalCode, number> = {
  APPROVAL_NOT_PENDING: 409,
  STALE_VERSION: 409,
  ALREADY_DECIDED: 409,
  NOT_AN_APPROVER: 403,
  SELF_APPROVAL: 403,
  COMMENT_REQUIRED: 400,
}

function refusalError(code: DecisionRefusalCode, message: string): ApiError {
  return new ApiError(REFUSAL_STATUS[code], code, message)
}

async function pendingRound(db: Db, cardId: string): Promise<ApprovalRound> {
  const card = await db.contentTask.findUnique({ where: { id: cardId }, select: { id: true } })
  if (!card) throw notFound('Card')
  const row = await db.approvalRound.findFirst({ where: { cardId }, orderBy: { round: 'desc' } })
  if (!row) throw new ApiError(404, 'NO_APPROVAL_ROUND', 'This card has not been submitted for approval.')
  return row
}

/**
 * Sends an Update to the round's run and maps a refusal (from its validator, or from the handler when another
 * decision got in first) to the same 4xx the API's own check gives. A run that has ended answers 409; one that
 * does not answer in time, 503 (the decision may still be applied: the round shows it when it is).
 */
async function sendUpdate<T>(deps: Pick<ApprovalDeps, 'temporal'>, workflowId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await deps.temporal.withAbortSignal(AbortSignal.timeout(TEMPORAL_TIMEOUT_MS), run)
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const code = error.cause.type as DecisionRefusalCode | 'VALIDATION_FAILED'
      if (code === 'VALIDATION_FAILED') throw new ApiError(400, code, error.cause.message)
      if (code in REFUSAL_STATUS) throw refusalError(code, error.cause.message)
    }
    if (error instanceof WorkflowNotFoundError) {
      const ended = await deps.temporal.workflow
        .getHandle(workflowId)
        .describe()
        .then((description) => description.status.name !== 'RUNNING')
        .catch(() => false)
      if (ended) throw refusalError('APPROVAL_NOT_PENDING', 'This approval has ended: reload the card to see how.')
      throw new ApiError(503, 'APPROVAL_RUN_STARTING', 'This approval is still starting: try again in a minute.', undefined, { cause: error })
    }
    throw new ApiError(503, 'APPROVAL_RUN_UNAVAILABLE', 'The approval did not answer in time: reload the card in a moment to see whether your decision was recorded.', undefined, { cause: error })
  }
}

/**
 * A decision through the round's Update. The row is checked first (a clear refusal without a round trip);
 * the workflow's validator checks again against its own state, which is the truth, and refuses without
 * writing history. The answer is read from the row the handler wrote before it returned.
 */
export async function decideOnCard(
  deps: Pick<ApprovalDeps, 'temporal' | 'settings'>,
  db: TenantDatabase,
  decider: Decider,
  cardId: string,
  request: { kind: DecisionKind; captionVersion: number; comment: string | null },
): Promise<RoundView> {
  const row = await pendingRound(db, cardId)
  const refusal = decisionRefusal(row, decider, request.kind, request.captionVersion, request.comment)
  if (refusal) throw refusalError(refusal.code, refusal.message)
  const comment = request.comment?.trim() ? request.comment.trim() : null
  const state = await sendUpdate(deps, row.workflowId, () =>
    deps.temporal.workflow.getHandle(row.workflowId).executeUpdate(decideUpdate, { args: [{ kind: request.kind, by: decider, captionVersion: request.captionVersion, comment }] }),
  )
  return roundViewOf({ ...row, ...rowFieldsOf(state) }, deps.settings)
}

/** An approver's edit of the caption under review: a new caption version, which the round reviews from now on. */
export async function editCaptionUnderReview(
  deps: Pick<ApprovalDeps, 'temporal' | 'settings'>,
  db: TenantDatabase,
  decider: Decider,
  cardId: string,
  request: { captionVersion: number; text: string },
): Promise<RoundView> {
  const row = await pendingRound(db, cardId)
  const refusal = decisionRefusal(row, decider, 'edit', request.captionVersion)
  if (refusal) throw refusalError(refusal.code, refusal.message)
  const state = await sendUpdate(deps, row.workflowId, () =>
    deps.temporal.workflow.getHandle(row.workflowId).executeUpdate(editCaptionUpdate, { args: [{ by: decider, captionVersion: request.captionVersion, text: request.text }] }),
  )
  return roundViewOf({ ...row, ...rowFieldsOf(state) }, deps.settings)
}

/** The row fields a round state carries (what the workflow's activity wrote before the Update answered). */
function rowFieldsOf(state: RoundState, now = new Date()) {
  const record = roundRecord(state, now)
  return { ...record, decisions: record.decisions as unknown as Prisma.JsonArray, comments: record.comments as unknown as Prisma.JsonArray }
}

/** Marks a stored comment in the card's pending round. Best effort: the CardComment row is the thread. */
export async function signalRoundComment(deps: Pick<ApprovalDeps, 'temporal'>, db: Db, cardId: string, comment: RoundComment): Promise<boolean> {
  const row = await db.approvalRound.findFirst({ where: { cardId, status: 'pending' }, orderBy: { round: 'desc' }, select: { workflowId: true } })
  if (!row) return false
  try {
    await deps.temporal.workflow.getHandle(row.workflowId).signal(commentSignal, comment)
    return true
  } catch {
    return false
  }
}

/** 409 while a round is pending: the caption and drafts under review stay as the approvers see them. */
export async function assertNotUnderReview(tx: Db, cardId: string): Promise<void> {
  const pending = await tx.approvalRound.findFirst({ where: { cardId, status: 'pending' }, select: { round: true } })
  if (pending) {
    throw new ApiError(409, 'APPROVAL_PENDING', `This card is under review (round ${pending.round}): approvers edit its caption in the review; new drafts wait for their decision.`)
  }
}
