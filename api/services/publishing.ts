// Scheduled posts: scheduling an approved card to its target accounts (or posting it now), the calendar, and the
// reschedule, cancel and "verify on platform" requests, which are Updates to the post's run (publish:<id>) so the
// run — which knows whether publishing has begun — decides. Rows are written in one transaction with the card's
// move to Scheduled; the runs are started right after, and the sweep (startMissingPublishWorkflows) starts any
// whose start was lost. Also the best-time suggestions and the analytics the dashboards read.
import type { Client } from '@temporalio/client'
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client'
import { ApplicationFailure } from '@temporalio/common'
import { PLATFORM_LABELS, type SocialPlatform } from '../../domain/brand-kit'
import { localSlotOf, nextSlotInstant, slotLabel, suggestPostingSlots, type PastPost } from '../../domain/best-time'
import { can } from '../../domain/permissions'
import { summarizeGroups, topPosts, type GroupBy, type PublishedPostFacts } from '../../domain/post-insights'
import {
  ACCOUNT_HOLDING_POST_STATUSES,
  CANCELLABLE_POST_STATUSES,
  checkScheduleTime,
  LIVE_POST_STATUSES,
  RESCHEDULABLE_POST_STATUSES,
  SCHEDULED_POST_STATUS_LABELS,
  type ScheduledPostStatus,
} from '../../domain/publishing'
import { Prisma, type PostMetricSnapshot, type ScheduledPost } from '../../generated/prisma/client'
import { lockBoard, syncCardWithPosts } from '../../platform/board-changes'
import type { Database } from '../../platform/database'
import { asTransactionClient, type TenantDatabase, type TenantTransaction } from '../../platform/tenant-scope'
import {
  accountReconnectedSignal,
  AgencyIdAttribute,
  cancelUpdate,
  PUBLISH_POST_WORKFLOW_TYPE,
  publishWorkflowId,
  rescheduleUpdate,
  verifyUpdate,
  type PublishPostWorkflowInput,
  type VerificationResult,
} from '../../workflows/publish-post/definitions'
import { ApiError, notFound } from '../errors'
import type { ApiSettings, AuthUser } from '../types'
import { recordAudit } from './audit'
import { cardRow, viewerOf } from './cards'

export interface PublishingDeps {
  db: Database
  temporal: Client
  settings: Pick<ApiSettings, 'temporal'>
  log?: { warn(object: object, message: string): void; error(object: object, message: string): void }
}

type Db = TenantDatabase | TenantTransaction

/** How long the API waits for a run to answer (the web app gives up at 10 s). */
const TEMPORAL_TIMEOUT_MS = 8_000
/** The widest calendar window one request reads. */
export const CALENDAR_MAX_DAYS = 62

// ---------------------------------------------------------------------------------------------------------
// Views

export interface MetricSnapshotView {
  pullIndex: number
  capturedAt: string
  views: number
  reach: number | null
  likes: number
  comments: number
  shares: number
  saves: number | null
  clicks: number | null
  engagementRate: number
}

export interface ScheduledPostView {
  id: string
  cardId: string
  cardTitle: string
  campaignId: string
  campaignName: string
  workspaceId: string
  socialAccountId: string
  platform: string
  handle: string
  sandbox: boolean
  creatorName: string
  scheduledAt: string
  timeZone: string
  status: ScheduledPostStatus
  statusLabel: string
  statusReason: string | null
  deferredUntil: string | null
  platformPostId: string | null
  permalink: string | null
  publishedAt: string | null
  canReschedule: boolean
  canCancel: boolean
  canVerify: boolean
  latest: MetricSnapshotView | null
}

const postInclude = {
  card: { select: { title: true, campaign: { select: { name: true } } } },
  socialAccount: { select: { handle: true, sandbox: true, creator: { select: { displayName: true } } } },
  metrics: { orderBy: { pullIndex: 'desc' as const }, take: 1 },
} satisfies Prisma.ScheduledPostInclude

type PostWithView = Prisma.ScheduledPostGetPayload<{ include: typeof postInclude }>

export function snapshotView(row: PostMetricSnapshot): MetricSnapshotView {
  return {
    pullIndex: row.pullIndex,
    capturedAt: row.capturedAt.toISOString(),
    views: row.views,
    reach: row.reach,
    likes: row.likes,
    comments: row.comments,
    shares: row.shares,
    saves: row.saves,
    clicks: row.clicks,
    engagementRate: row.engagementRate,
  }
}

export function postView(row: PostWithView, user: Pick<AuthUser, 'role'> | null): ScheduledPostView {
  const status = row.status as ScheduledPostStatus
  const mayAct = user === null || can(user.role, 'post.schedule')
  return {
    id: row.id,
    cardId: row.cardId,
    cardTitle: row.card.title,
    campaignId: row.campaignId,
    campaignName: row.card.campaign.name,
    workspaceId: row.workspaceId,
    socialAccountId: row.socialAccountId,
    platform: row.platform,
    handle: row.socialAccount.handle,
    sandbox: row.socialAccount.sandbox,
    creatorName: row.socialAccount.creator.displayName,
    scheduledAt: row.scheduledAt.toISOString(),
    timeZone: row.timeZone,
    status,
    statusLabel: SCHEDULED_POST_STATUS_LABELS[status] ?? row.status,
    statusReason: row.statusReason,
    deferredUntil: row.deferredUntil?.toISOString() ?? null,
    platformPostId: row.platformPostId,
    permalink: row.permalink,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    canReschedule: mayAct && (RESCHEDULABLE_POST_STATUSES as readonly string[]).includes(status),
    canCancel: mayAct && (CANCELLABLE_POST_STATUSES as readonly string[]).includes(status),
    canVerify: mayAct && status === 'unconfirmed',
    latest: row.metrics[0] ? snapshotView(row.metrics[0]) : null,
  }
}

async function postRow(db: Db, postId: string): Promise<PostWithView> {
  const row = await db.scheduledPost.findUnique({ where: { id: postId }, include: postInclude })
  if (!row) throw notFound('Scheduled post')
  return row
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

// ---------------------------------------------------------------------------------------------------------
// A card's publishing

export interface PublishTarget {
  socialAccountId: string
  platform: string
  handle: string
  sandbox: boolean
  accountStatus: string
  /** The account's live or published post of this card, which holds it (null: it can be scheduled). */
  livePostId: string | null
  suggestion: {
    basis: 'history' | 'default'
    basedOnPosts: number
    /** Why these times, in plain words. */
    reason: string
    slots: { weekday: number; hour: number; label: string; next: string; meanEngagementRate: number | null }[]
  }
}

/** The account's published posts with their latest engagement, for the best-time suggestion. */
async function postingHistory(db: Db, socialAccountId: string): Promise<PastPost[]> {
  const rows = await db.scheduledPost.findMany({
    where: { socialAccountId, status: 'published', publishedAt: { not: null } },
    select: { publishedAt: true, timeZone: true, metrics: { orderBy: { pullIndex: 'desc' }, take: 1, select: { engagementRate: true } } },
    orderBy: { publishedAt: 'desc' },
    take: 500,
  })
  return rows.filter((row) => row.metrics[0]).map((row) => ({ slot: localSlotOf(row.publishedAt!, row.timeZone), engagementRate: row.metrics[0]!.engagementRate }))
}

export async function bestTimesFor(db: Db, account: { id: string; platform: string }, timeZone: string, now = new Date()): Promise<PublishTarget['suggestion']> {
  const history = await postingHistory(db, account.id)
  const suggestion = suggestPostingSlots(account.platform as SocialPlatform, history)
  return {
    basis: suggestion.basis,
    basedOnPosts: history.length,
    reason: suggestion.reason,
    slots: suggestion.slots.map((slot) => {
      const inSlot = history.filter((post) => post.slot.weekday === slot.weekday && post.slot.hour === slot.hour)
      return {
        weekday: slot.weekday,
        hour: slot.hour,
        label: slotLabel(slot),
        next: nextSlotInstant(slot, timeZone, now).toISOString(),
        meanEngagementRate: suggestion.basis === 'history' && inSlot.length > 0 ? inSlot.reduce((sum, post) => sum + post.engagementRate, 0) / inSlot.length : null,
      }
    }),
  }
}

export async function getCardPublishing(db: TenantDatabase, user: AuthUser, cardId: string) {
  const card = await cardRow(db, viewerOf(user), cardId)
  const [task, posts] = await Promise.all([
    db.contentTask.findUnique({ where: { id: cardId }, select: { targetAccountIds: true } }),
    db.scheduledPost.findMany({ where: { cardId }, include: postInclude, orderBy: [{ scheduledAt: 'asc' }, { id: 'asc' }] }),
  ])
  const accounts = await db.socialAccount.findMany({ where: { id: { in: task?.targetAccountIds ?? [] } }, orderBy: [{ platform: 'asc' }, { handle: 'asc' }] })
  const timeZone = card.campaignTimeZone
  const mayAct = can(user.role, 'post.schedule')
  const whyNot = !mayAct
    ? 'Owners, managers and editors schedule posts.'
    : card.column !== 'Approved' && card.column !== 'Scheduled' && card.column !== 'Published'
      ? 'Only approved cards are scheduled: this card is not approved yet.'
      : accounts.length === 0
        ? 'The card has no target accounts: choose the accounts it publishes to on the card first.'
        : null
  const targets: PublishTarget[] = []
  for (const account of accounts) {
    // A live or published post holds the account: scheduling it again is refused (ALREADY_SCHEDULED).
    const live = posts.find((post) => post.socialAccountId === account.id && (ACCOUNT_HOLDING_POST_STATUSES as readonly string[]).includes(post.status))
    targets.push({
      socialAccountId: account.id,
      platform: account.platform,
      handle: account.handle,
      sandbox: account.sandbox,
      accountStatus: account.status,
      livePostId: live?.id ?? null,
      suggestion: await bestTimesFor(db, account, timeZone),
    })
  }
  return {
    card: { id: card.id, title: card.title, column: card.column, campaignId: card.campaignId, workspaceId: card.workspaceId },
    timeZone,
    canSchedule: whyNot === null,
    whyNot,
    posts: posts.map((post) => postView(post, user)),
    targets,
  }
}

export async function getPost(db: TenantDatabase, user: AuthUser, postId: string) {
  const row = await postRow(db, postId)
  // Creators read their own cards' posts only (cardRow applies the viewer's scope).
  await cardRow(db, viewerOf(user), row.cardId)
  const snapshots = await db.postMetricSnapshot.findMany({ where: { scheduledPostId: postId }, orderBy: { pullIndex: 'asc' } })
  return { post: postView(row, user), snapshots: snapshots.map(snapshotView) }
}

// ---------------------------------------------------------------------------------------------------------
// Scheduling

export interface ScheduleRequest {
  socialAccountIds: string[]
  /** ISO instant; null posts now. */
  at: string | null
  timeZone: string
}

export async function schedulePosts(deps: PublishingDeps, db: TenantDatabase, user: AuthUser, cardId: string, request: ScheduleRequest, ip: string | null = null): Promise<ScheduledPostView[]> {
  // A card the user cannot see is not found, whatever else is wrong with the request.
  await cardRow(db, viewerOf(user), cardId)
  if (!isTimeZone(request.timeZone)) throw new ApiError(400, 'INVALID_TIME_ZONE', `“${request.timeZone}” is not a time zone: use an IANA name such as Europe/Berlin.`)
  const now = new Date()
  const at = request.at === null ? now : new Date(request.at)
  if (Number.isNaN(at.getTime())) throw new ApiError(400, 'VALIDATION_FAILED', 'The time is not a valid date.')
  if (request.at !== null) {
    const refusal = checkScheduleTime(at, now)
    if (refusal) throw new ApiError(400, refusal.code, refusal.message)
  }
  const accountIds = [...new Set(request.socialAccountIds)]
  if (accountIds.length === 0) throw new ApiError(400, 'VALIDATION_FAILED', 'Choose at least one account to publish to.')

  const rows = await db.$transaction(async (tx) => {
    const card = await cardRow(tx, viewerOf(user), cardId)
    if (card.column !== 'Approved' && card.column !== 'Scheduled') {
      throw new ApiError(409, 'CARD_NOT_APPROVED', `Only approved cards are scheduled: this card is in ${card.column.replaceAll('_', ' ')}.`)
    }
    // The board's lock order: the workspace, then its cards (the card's move below takes the workspace too).
    await lockBoard(tx, user.agency.id, card.workspaceId)
    const [locked] = await tx.$queryRaw<{ targetAccountIds: string[] }[]>`SELECT "targetAccountIds" FROM "ContentTask" WHERE "id" = ${cardId}::uuid FOR UPDATE`
    const targets = new Set(locked?.targetAccountIds ?? [])
    const accounts = await tx.socialAccount.findMany({ where: { id: { in: accountIds } } })
    for (const id of accountIds) {
      const account = accounts.find((each) => each.id === id)
      if (!account || !targets.has(id)) throw new ApiError(400, 'ACCOUNT_NOT_TARGET', 'Posts go only to the card’s target accounts: add the account to the card first.')
      if (account.status !== 'active') {
        throw new ApiError(409, 'ACCOUNT_NEEDS_REAUTH', `${PLATFORM_LABELS[account.platform as SocialPlatform]} ${account.handle} ${account.status === 'disconnected' ? 'is disconnected' : 'needs reconnecting'}: reconnect it on the creator’s page first.`)
      }
    }
    const live = await tx.scheduledPost.findMany({ where: { cardId, socialAccountId: { in: accountIds }, status: { in: [...ACCOUNT_HOLDING_POST_STATUSES] } }, select: { socialAccountId: true, status: true } })
    if (live.length > 0) {
      const account = accounts.find((each) => each.id === live[0]!.socialAccountId)!
      throw new ApiError(409, 'ALREADY_SCHEDULED', `This card is already ${live[0]!.status === 'published' ? 'published' : 'scheduled'} to ${account.handle}: reschedule or cancel that post instead.`)
    }
    const caption = await tx.captionVersion.findFirst({ where: { cardId }, orderBy: { version: 'desc' }, select: { text: true, version: true } })
    const draft = await tx.cardAsset.findFirst({ where: { cardId, role: 'draft' }, orderBy: [{ createdAt: 'asc' }, { fileId: 'asc' }], select: { fileId: true } })
    for (const account of accounts) {
      if (!draft && account.platform !== 'facebook') {
        throw new ApiError(400, 'NO_MEDIA', `${PLATFORM_LABELS[account.platform as SocialPlatform]} posts need an image or a video: attach a draft to the card first.`)
      }
    }
    if (!draft && !caption?.text.trim()) throw new ApiError(400, 'NO_MEDIA', 'The card has neither a caption nor a draft: there is nothing to post.')
    const created: ScheduledPost[] = []
    for (const account of accounts) {
      created.push(
        await tx.scheduledPost.create({
          data: {
            agencyId: user.agency.id,
            workspaceId: card.workspaceId,
            campaignId: card.campaignId,
            cardId,
            socialAccountId: account.id,
            platform: account.platform,
            scheduledAt: at,
            timeZone: request.timeZone,
            caption: caption?.text ?? '',
            captionVersion: caption?.version ?? null,
            mediaFileId: draft?.fileId ?? null,
            createdById: user.id,
          },
        }),
      )
    }
    await syncCardWithPosts(tx, { agencyId: user.agency.id, cardId, actorLabel: user.name, actorUserId: user.id, reason: request.at === null ? 'Posting now' : 'Scheduled' })
    await recordAudit(asTransactionClient(tx), {
      agencyId: user.agency.id,
      action: 'post.scheduled',
      actor: user,
      target: { type: 'card', id: cardId },
      detail: { posts: created.map((post) => ({ id: post.id, platform: post.platform, socialAccountId: post.socialAccountId })), at: at.toISOString(), timeZone: request.timeZone, now: request.at === null },
      ...(ip ? { ip } : {}),
    })
    return created
  })
  for (const row of rows) await startPublishRun(deps, row)
  const views = await db.scheduledPost.findMany({ where: { id: { in: rows.map((row) => row.id) } }, include: postInclude, orderBy: { platform: 'asc' } })
  return views.map((row) => postView(row, user))
}

/**
 * Starts the post's run, or finds the running one. A run that completed is never started again (its post is
 * published, failed or cancelled); one that failed or was terminated may be, and picks up from the row's progress.
 * false when Temporal did not take it: the sweep tries again.
 */
export async function startPublishRun(deps: Pick<PublishingDeps, 'temporal' | 'settings' | 'log'>, row: ScheduledPost): Promise<boolean> {
  const input: PublishPostWorkflowInput = {
    scheduledPostId: row.id,
    agencyId: row.agencyId,
    platform: row.platform as SocialPlatform,
    scheduledAt: row.scheduledAt.toISOString(),
    ...(row.status === 'unconfirmed' || row.status === 'needs_reauth' ? { resumeAs: row.status } : {}),
  }
  try {
    await deps.temporal.withAbortSignal(AbortSignal.timeout(TEMPORAL_TIMEOUT_MS), () =>
      deps.temporal.workflow.start(PUBLISH_POST_WORKFLOW_TYPE, {
        workflowId: publishWorkflowId(row.id),
        taskQueue: deps.settings.temporal.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        staticSummary: `Publish to ${PLATFORM_LABELS[row.platform as SocialPlatform]} at ${row.scheduledAt.toISOString()} (${row.timeZone})`,
        typedSearchAttributes: [{ key: AgencyIdAttribute, value: row.agencyId }],
      }),
    )
    return true
  } catch (error) {
    if (error instanceof Error && error.name === 'WorkflowExecutionAlreadyStartedError') return true
    deps.log?.error({ err: error, scheduledPostId: row.id }, 'publish workflow could not be started; the sweep will retry')
    return false
  }
}

const SWEEP_BATCH = 500
/** Posts due within this window are checked by the sweep (later ones are checked as their time nears). */
const SWEEP_AHEAD_MS = 15 * 60_000

/**
 * Every minute: live posts due soon (or overdue) created more than a minute ago (younger ones may be between
 * their commit and their start) whose run is missing or ended without finishing them get one. A running run is
 * left alone and a completed one is never started again, so this never makes a duplicate.
 */
export async function startMissingPublishWorkflows(deps: Pick<PublishingDeps, 'db' | 'temporal' | 'settings' | 'log'>, now = new Date()): Promise<string[]> {
  const rows = await deps.db.scheduledPost.findMany({
    where: {
      status: { in: [...LIVE_POST_STATUSES] },
      createdAt: { lt: new Date(now.getTime() - 60_000) },
      OR: [{ scheduledAt: { lt: new Date(now.getTime() + SWEEP_AHEAD_MS) } }, { status: { not: 'scheduled' } }],
    },
    orderBy: { scheduledAt: 'asc' },
    take: SWEEP_BATCH,
  })
  const started: string[] = []
  for (const row of rows) {
    const description = await deps.temporal.workflow
      .getHandle(publishWorkflowId(row.id))
      .describe()
      .catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return null
        throw error
      })
    if (description?.status.name === 'RUNNING' || description?.status.name === 'COMPLETED') continue
    if (await startPublishRun(deps, row)) started.push(row.id)
  }
  return started
}

// ---------------------------------------------------------------------------------------------------------
// Reschedule, cancel, verify: Updates to the run

const REFUSALS: Record<string, number> = {
  POST_NOT_RESCHEDULABLE: 409,
  POST_NOT_CANCELLABLE: 409,
  POST_NOT_UNCONFIRMED: 409,
  SCHEDULE_IN_PAST: 400,
  SCHEDULE_TOO_FAR: 400,
  VALIDATION_FAILED: 400,
}

async function sendPostUpdate<T>(deps: Pick<PublishingDeps, 'temporal' | 'settings' | 'log'>, row: ScheduledPost, run: () => Promise<T>): Promise<T> {
  // A run the sweep has not started yet is started first (it finds the row as it is).
  await startPublishRun(deps, row)
  try {
    return await deps.temporal.withAbortSignal(AbortSignal.timeout(TEMPORAL_TIMEOUT_MS), run)
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const code = error.cause.type ?? ''
      if (code in REFUSALS) throw new ApiError(REFUSALS[code]!, code, error.cause.message)
    }
    if (error instanceof WorkflowNotFoundError) throw new ApiError(409, 'POST_RUN_ENDED', 'This post’s publishing has ended: reload to see how.')
    throw new ApiError(503, 'POST_RUN_UNAVAILABLE', 'Publishing did not answer in time: reload in a moment to see whether your change was made.', undefined, { cause: error })
  }
}

export async function reschedulePost(deps: PublishingDeps, db: TenantDatabase, user: AuthUser, postId: string, request: { at: string; timeZone?: string }, ip: string | null = null): Promise<ScheduledPostView> {
  const row = await postRow(db, postId)
  await cardRow(db, viewerOf(user), row.cardId)
  if (request.timeZone !== undefined && !isTimeZone(request.timeZone)) throw new ApiError(400, 'INVALID_TIME_ZONE', `“${request.timeZone}” is not a time zone: use an IANA name such as Europe/Berlin.`)
  const at = new Date(request.at)
  if (Number.isNaN(at.getTime())) throw new ApiError(400, 'VALIDATION_FAILED', 'The new time is not a valid date.')
  const refusal = checkScheduleTime(at, new Date())
  if (refusal) throw new ApiError(400, refusal.code, refusal.message)
  if (!(RESCHEDULABLE_POST_STATUSES as readonly string[]).includes(row.status)) {
    throw new ApiError(409, 'POST_NOT_RESCHEDULABLE', `The post is ${SCHEDULED_POST_STATUS_LABELS[row.status as ScheduledPostStatus].toLowerCase()}: it can no longer be rescheduled.`)
  }
  await sendPostUpdate(deps, row, () => deps.temporal.workflow.getHandle(publishWorkflowId(postId)).executeUpdate(rescheduleUpdate, { args: [{ at: at.toISOString(), by: user.name }] }))
  if (request.timeZone) await db.scheduledPost.update({ where: { id: postId }, data: { timeZone: request.timeZone } })
  await recordAudit(db as unknown as Database, { agencyId: user.agency.id, action: 'post.rescheduled', actor: user, target: { type: 'scheduled_post', id: postId }, detail: { from: row.scheduledAt.toISOString(), to: at.toISOString() }, ...(ip ? { ip } : {}) })
  return postView(await postRow(db, postId), user)
}

export async function cancelPost(deps: PublishingDeps, db: TenantDatabase, user: AuthUser, postId: string, ip: string | null = null): Promise<ScheduledPostView> {
  const row = await postRow(db, postId)
  await cardRow(db, viewerOf(user), row.cardId)
  if (!(CANCELLABLE_POST_STATUSES as readonly string[]).includes(row.status)) {
    throw new ApiError(409, 'POST_NOT_CANCELLABLE', `The post is ${SCHEDULED_POST_STATUS_LABELS[row.status as ScheduledPostStatus].toLowerCase()}: it can no longer be cancelled.`)
  }
  await sendPostUpdate(deps, row, () => deps.temporal.workflow.getHandle(publishWorkflowId(postId)).executeUpdate(cancelUpdate, { args: [{ by: user.name }] }))
  await recordAudit(db as unknown as Database, { agencyId: user.agency.id, action: 'post.cancelled', actor: user, target: { type: 'scheduled_post', id: postId }, detail: { scheduledAt: row.scheduledAt.toISOString(), platform: row.platform }, ...(ip ? { ip } : {}) })
  return postView(await postRow(db, postId), user)
}

export async function verifyPost(deps: PublishingDeps, db: TenantDatabase, user: AuthUser, postId: string, ip: string | null = null): Promise<{ post: ScheduledPostView; verification: VerificationResult }> {
  const row = await postRow(db, postId)
  await cardRow(db, viewerOf(user), row.cardId)
  if (row.status !== 'unconfirmed') throw new ApiError(409, 'POST_NOT_UNCONFIRMED', 'Only an unconfirmed post is verified on the platform.')
  const verification = await sendPostUpdate(deps, row, () => deps.temporal.workflow.getHandle(publishWorkflowId(postId)).executeUpdate(verifyUpdate, { args: [{ by: user.name }] }))
  await recordAudit(db as unknown as Database, { agencyId: user.agency.id, action: 'post.verified', actor: user, target: { type: 'scheduled_post', id: postId }, detail: { ...verification }, ...(ip ? { ip } : {}) })
  return { post: postView(await postRow(db, postId), user), verification }
}

/** After a reconnect: tells the runs of the account's posts waiting for it to go again. */
export async function resumePostsAfterReconnect(deps: Pick<PublishingDeps, 'temporal' | 'log'> & { tenantDb: TenantDatabase }, socialAccountId: string, by: string): Promise<number> {
  const rows = await deps.tenantDb.scheduledPost.findMany({ where: { socialAccountId, status: 'needs_reauth' }, select: { id: true } })
  let signalled = 0
  for (const row of rows) {
    try {
      await deps.temporal.withAbortSignal(AbortSignal.timeout(TEMPORAL_TIMEOUT_MS), () => deps.temporal.workflow.getHandle(publishWorkflowId(row.id)).signal(accountReconnectedSignal, { by }))
      signalled += 1
    } catch (error) {
      // The run re-reads the account on its own every few minutes, so a lost signal only delays the post.
      deps.log?.warn({ err: error, scheduledPostId: row.id }, 'could not tell a waiting post that its account was reconnected')
    }
  }
  return signalled
}

// ---------------------------------------------------------------------------------------------------------
// Calendar and analytics

export async function listWorkspacePosts(
  db: TenantDatabase,
  user: AuthUser,
  workspaceId: string,
  query: { from: string; to: string; campaignId?: string; status?: string },
): Promise<{ timeZone: string; posts: ScheduledPostView[] }> {
  const workspace = await db.workspace.findUnique({ where: { id: workspaceId }, select: { id: true } })
  if (!workspace) throw notFound('Workspace')
  const from = new Date(query.from)
  const to = new Date(query.to)
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) throw new ApiError(400, 'VALIDATION_FAILED', '`from` and `to` must be dates, `from` before `to`.')
  if (to.getTime() - from.getTime() > CALENDAR_MAX_DAYS * 86_400_000) throw new ApiError(400, 'RANGE_TOO_WIDE', `A calendar reads at most ${CALENDAR_MAX_DAYS} days at once.`)
  const rows = await db.scheduledPost.findMany({
    where: {
      workspaceId,
      scheduledAt: { gte: from, lt: to },
      ...(query.campaignId ? { campaignId: query.campaignId } : {}),
      ...(query.status ? { status: query.status } : {}),
    },
    include: postInclude,
    orderBy: [{ scheduledAt: 'asc' }, { id: 'asc' }],
    take: 2_000,
  })
  // The calendar shows times in the zone of the workspace's most recent campaign (the one most posts use).
  const campaign = await db.campaign.findFirst({ where: { workspaceId }, orderBy: { createdAt: 'desc' }, select: { timeZone: true } })
  return { timeZone: campaign?.timeZone ?? 'UTC', posts: rows.map((row) => postView(row, user)) }
}

export async function getAnalytics(db: TenantDatabase, user: AuthUser, workspaceId: string, groupBy: GroupBy, days: number, now = new Date()) {
  const workspace = await db.workspace.findUnique({ where: { id: workspaceId }, select: { id: true } })
  if (!workspace) throw notFound('Workspace')
  const since = new Date(now.getTime() - days * 86_400_000)
  const rows = await db.scheduledPost.findMany({
    where: { workspaceId, status: 'published', publishedAt: { gte: since } },
    include: {
      ...postInclude,
      metrics: { orderBy: { pullIndex: 'asc' } },
      socialAccount: { select: { handle: true, sandbox: true, creatorId: true, creator: { select: { displayName: true } } } },
    },
    orderBy: { publishedAt: 'desc' },
    take: 5_000,
  })
  const files = await db.storedFile.findMany({ where: { id: { in: rows.flatMap((row) => (row.mediaFileId ? [row.mediaFileId] : [])) } }, select: { id: true, kind: true } })
  const kindOf = new Map(files.map((file) => [file.id, file.kind]))
  const facts: PublishedPostFacts[] = rows.map((row) => {
    const latest = row.metrics.at(-1)
    return {
      postId: row.id,
      platform: row.platform as SocialPlatform,
      creatorId: row.socialAccount.creatorId,
      creatorName: row.socialAccount.creator.displayName,
      campaignId: row.campaignId,
      campaignName: row.card.campaign.name,
      publishedAt: row.publishedAt!,
      timeZone: row.timeZone,
      mediaKind: row.mediaFileId ? (kindOf.get(row.mediaFileId) === 'video' ? 'video' : 'image') : 'none',
      captionLength: [...row.caption].length,
      hashtagCount: row.caption.match(/(^|\s)#[\p{L}\p{N}_]+/gu)?.length ?? 0,
      latest: latest
        ? { views: latest.views, reach: latest.reach, likes: latest.likes, comments: latest.comments, shares: latest.shares, saves: latest.saves, clicks: latest.clicks, engagementRate: latest.engagementRate }
        : null,
      snapshots: row.metrics.map((snapshot) => ({ capturedAt: snapshot.capturedAt, views: snapshot.views, engagementRate: snapshot.engagementRate })),
    }
  })
  const summary = summarizeGroups(facts, groupBy, days, now)
  const byId = new Map(rows.map((row) => [row.id, row]))
  const top = topPosts(facts, 3).map((entry) => {
    const row = byId.get(entry.post.postId)!
    const view = postView({ ...row, metrics: row.metrics.slice(-1) }, user)
    return { post: view, metrics: view.latest!, reasons: entry.reasons }
  })
  return { ...summary, top }
}
