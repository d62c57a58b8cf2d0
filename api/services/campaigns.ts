// Campaign briefs: a draft is a row in PostgreSQL; launching a ready brief starts its workflow
// `campaign:<id>`, whose activities write the stage back. The readiness check, the status graph and the
// deliverable rules live in domain/campaign-brief.ts; this file applies them to rows.
import { randomUUID } from 'node:crypto'
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionStatusName,
} from '@temporalio/client'
import type { SocialPlatform } from '../../domain/brand-kit'
import { temporalWebWorkflowUrl } from '../../domain/campaign'
import {
  BRIEF_STATUS_TRANSITIONS,
  READ_ONLY_STATUSES,
  SCHEDULE_LOCKED_STATUSES,
  applyTemplate,
  briefIssues,
  briefStatusActionLabel,
  checkBriefStatusChange,
  deliverableIssues,
  readinessCheck,
  resolveBriefSchedule,
  type BriefReference,
  type BriefStatus,
  type CampaignBrief,
  type CurrencyCode,
  type Deliverable as DomainDeliverable,
  type FieldIssue,
  type Objective,
  type ReadinessResult,
} from '../../domain/campaign-brief'
import { can } from '../../domain/permissions'
import type { AccountStatus } from '../../domain/social-accounts'
import type { Campaign as CampaignRow, Prisma, Workspace } from '../../generated/prisma/client'
import {
  AgencyIdAttribute,
  CAMPAIGN_WORKFLOW_TYPE,
  CampaignIdAttribute,
  StageAttribute,
  campaignStateQuery,
  campaignWorkflowId,
  completeCampaignSignal,
  pauseCampaignSignal,
  resumeCampaignSignal,
  type CampaignWorkflowInput,
} from '../../workflows/campaign/definitions'
import type { Database } from '../../platform/database'
import { asTransactionClient, type TenantDatabase, type TenantTransaction } from '../../platform/tenant-scope'
import { ApiError, notFound } from '../errors'
import type { Campaign, CampaignDetail, CreateCampaignBody, Deliverable, UpdateCampaignBody, WorkflowState } from '../schemas/campaign'
import type { ApiSettings, AuthUser } from '../types'
import { syncDeliverableCards } from './cards'
import { assertWithinLimit } from './usage'
import { assertNotArchived, findWorkspace } from './workspaces'

export interface CampaignDeps {
  db: Database
  temporal: Client
  settings: ApiSettings
}

type CampaignWithWorkspace = CampaignRow & { workspace: Pick<Workspace, 'name'> }

export function toCampaignDto(row: CampaignWithWorkspace, settings: ApiSettings): Campaign {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    workspaceName: row.workspace.name,
    name: row.name,
    status: row.status as Campaign['status'],
    objective: row.objective as Campaign['objective'],
    audience: row.audience,
    platforms: row.platforms as Campaign['platforms'],
    startsAtLocal: row.startsAtLocal,
    endsAtLocal: row.endsAtLocal,
    timeZone: row.timeZone,
    startsAt: row.startsAt?.toISOString() ?? null,
    endsAt: row.endsAt?.toISOString() ?? null,
    budgetMinor: Number(row.budgetMinor),
    currency: row.currency as Campaign['currency'],
    contentVolume: row.contentVolume,
    keyMessages: row.keyMessages,
    references: row.references as Campaign['references'],
    templateId: row.templateId as Campaign['templateId'],
    stage: row.stage as Campaign['stage'],
    brandKitVersion: row.brandKitVersion,
    launchedAt: row.launchedAt?.toISOString() ?? null,
    workflowId: row.workflowId,
    temporalWebUrl: row.launchedAt ? temporalWebWorkflowUrl(settings.temporal.uiUrl, settings.temporal.namespace, row.workflowId) : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export async function listCampaigns(
  settings: ApiSettings,
  db: TenantDatabase,
  filter: { workspaceId?: string; status?: string },
): Promise<Campaign[]> {
  const rows = await db.campaign.findMany({
    where: { ...(filter.workspaceId ? { workspaceId: filter.workspaceId } : {}), ...(filter.status ? { status: filter.status } : {}) },
    include: { workspace: { select: { name: true } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: 200,
  })
  return rows.map((row) => toCampaignDto(row, settings))
}

export async function findCampaign(db: TenantDatabase | TenantTransaction, id: string): Promise<CampaignWithWorkspace> {
  const row = await db.campaign.findUnique({ where: { id }, include: { workspace: { select: { name: true } } } })
  if (!row) throw notFound('Campaign')
  return row
}

function briefOf(row: CampaignRow, deliverables: DomainDeliverable[]): CampaignBrief {
  return {
    name: row.name,
    objective: row.objective as Objective,
    audience: row.audience,
    platforms: row.platforms as SocialPlatform[],
    startsAtLocal: row.startsAtLocal,
    endsAtLocal: row.endsAtLocal,
    timeZone: row.timeZone,
    budgetMinor: Number(row.budgetMinor),
    currency: row.currency as CurrencyCode,
    contentVolume: row.contentVolume,
    deliverables,
    keyMessages: row.keyMessages,
    references: row.references as BriefReference[],
  }
}

function validationError(what: string, issues: FieldIssue[]): ApiError {
  const shown = issues.slice(0, 3).map((issue) => `${issue.path.slice(1) || what}: ${issue.message}`)
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : ''
  return new ApiError(400, 'VALIDATION_FAILED', `The ${what} is not valid. ${shown.join('; ')}${more}.`, issues)
}

/** The columns a brief's content is stored in (its schedule resolved to instants when both ends are set). */
function briefColumns(brief: CampaignBrief) {
  const schedule =
    brief.startsAtLocal !== null && brief.endsAtLocal !== null
      ? resolveBriefSchedule({ startsAtLocal: brief.startsAtLocal, endsAtLocal: brief.endsAtLocal, timeZone: brief.timeZone })
      : null
  return {
    name: brief.name.trim(),
    objective: brief.objective,
    audience: brief.audience.trim(),
    platforms: brief.platforms,
    startsAtLocal: brief.startsAtLocal,
    endsAtLocal: brief.endsAtLocal,
    timeZone: brief.timeZone,
    startsAt: schedule?.ok ? schedule.schedule.startsAt : null,
    endsAt: schedule?.ok ? schedule.schedule.endsAt : null,
    budgetMinor: BigInt(brief.budgetMinor),
    currency: brief.currency,
    contentVolume: brief.contentVolume,
    keyMessages: brief.keyMessages.map((message) => message.trim()).filter(Boolean),
    references: brief.references as unknown as Prisma.InputJsonValue,
  }
}

/** Moodboard references must name this workspace's own uploads. */
async function assertReferencedUploads(db: TenantDatabase | TenantTransaction, workspaceId: string, references: readonly BriefReference[]) {
  const fileIds = references.flatMap((reference) => (reference.kind === 'upload' ? [reference.fileId] : []))
  if (fileIds.length === 0) return
  const found = await db.storedFile.findMany({ where: { id: { in: fileIds }, workspaceId }, select: { id: true } })
  const known = new Set(found.map((file) => file.id))
  const issues = references.flatMap((reference, i) =>
    reference.kind === 'upload' && !known.has(reference.fileId)
      ? [{ path: `/references/${i}/fileId`, message: 'is not an asset of this workspace' }]
      : [],
  )
  if (issues.length) throw validationError('brief', issues)
}

export async function createCampaign(deps: CampaignDeps, db: TenantDatabase, user: AuthUser, body: CreateCampaignBody): Promise<Campaign> {
  const workspace = await findWorkspace(db, body.workspaceId)
  assertNotArchived(workspace)
  const { workspaceId: _workspaceId, templateId, ...overrides } = body
  const brief: CampaignBrief = templateId
    ? applyTemplate(templateId, overrides as Partial<CampaignBrief>)
    : {
        name: '',
        objective: 'awareness',
        audience: '',
        platforms: [],
        startsAtLocal: null,
        endsAtLocal: null,
        timeZone: 'UTC',
        budgetMinor: 0,
        currency: 'USD',
        contentVolume: 1,
        deliverables: [],
        keyMessages: [],
        references: [],
        ...(Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as Partial<CampaignBrief>),
      }
  // A blank draft may leave platforms empty until its editor picks them; every other rule holds from the start.
  const issues = briefIssues(brief).filter((issue) => issue.path !== '/platforms')
  if (issues.length) throw validationError('brief', issues)
  await assertReferencedUploads(db, workspace.id, brief.references)
  const id = randomUUID()
  const row = await db.$transaction(async (tx) => {
    const created = await tx.campaign.create({
      data: {
        id,
        agencyId: user.agency.id,
        workspaceId: workspace.id,
        ...briefColumns(brief),
        templateId: templateId ?? null,
        status: 'draft',
        workflowId: campaignWorkflowId(id),
        createdById: user.id,
      },
      include: { workspace: { select: { name: true } } },
    })
    // A template's deliverable mix arrives unassigned: creators are picked per brief.
    if (brief.deliverables.length) {
      await tx.campaignDeliverable.createMany({
        data: brief.deliverables.map((d, sortOrder) => ({ agencyId: user.agency.id, campaignId: id, creatorId: null, platform: d.platform, kind: d.kind, count: d.count, sortOrder })),
      })
    }
    return created
  })
  return toCampaignDto(row, deps.settings)
}

async function deliverableRows(db: TenantDatabase | TenantTransaction, campaignId: string) {
  return db.campaignDeliverable.findMany({
    where: { campaignId },
    include: { creator: { select: { displayName: true } }, _count: { select: { cards: true } } },
    orderBy: [{ sortOrder: 'asc' }, { createdAt: 'asc' }],
  })
}

type DeliverableRow = Awaited<ReturnType<typeof deliverableRows>>[number]

const toDomainDeliverable = (row: Pick<DeliverableRow, 'creatorId' | 'platform' | 'kind' | 'count'>): DomainDeliverable => ({
  creatorId: row.creatorId,
  platform: row.platform as SocialPlatform,
  kind: row.kind as DomainDeliverable['kind'],
  count: row.count,
})

function toDeliverableDto(row: DeliverableRow): Deliverable {
  return {
    id: row.id,
    creatorId: row.creatorId,
    creatorName: row.creator?.displayName ?? null,
    platform: row.platform as Deliverable['platform'],
    kind: row.kind,
    count: row.count,
    cardCount: row._count.cards,
  }
}

/**
 * The readiness check with what it needs from the database: the workspace's current brand kit and the social
 * accounts of the creators the deliverables are assigned to (they are the ones who will publish).
 */
export async function campaignReadiness(
  db: TenantDatabase | TenantTransaction,
  row: CampaignRow,
  deliverables: readonly DomainDeliverable[],
  now = new Date(),
): Promise<ReadinessResult> {
  const creatorIds = [...new Set(deliverables.flatMap((d) => (d.creatorId ? [d.creatorId] : [])))]
  const [kit, accounts] = await Promise.all([
    db.brandKitVersion.findFirst({ where: { workspaceId: row.workspaceId }, orderBy: { version: 'desc' }, select: { version: true } }),
    creatorIds.length
      ? db.socialAccount.findMany({ where: { creatorId: { in: creatorIds } }, select: { platform: true, status: true, handle: true } })
      : Promise.resolve([]),
  ])
  return readinessCheck({
    brief: briefOf(row, [...deliverables]),
    brandKit: kit,
    accounts: accounts.map((account) => ({ platform: account.platform as SocialPlatform, status: account.status as AccountStatus, handle: account.handle })),
    now,
  })
}

const QUERY_TIMEOUT_MS = 3_000

/** The workflow's live state, or null when it has not been launched or Temporal cannot answer right now. */
export async function campaignWorkflowState(deps: CampaignDeps, row: CampaignRow): Promise<WorkflowState | null> {
  if (!row.launchedAt) return null
  const handle = deps.temporal.workflow.getHandle(row.workflowId)
  try {
    const signal = AbortSignal.timeout(QUERY_TIMEOUT_MS)
    const [description, state] = await deps.temporal.withAbortSignal(signal, () =>
      Promise.all([handle.describe(), handle.query(campaignStateQuery)]),
    )
    return { status: description.status.name satisfies WorkflowExecutionStatusName, ...state }
  } catch {
    return null
  }
}

export async function campaignEvents(db: TenantDatabase, campaignId: string) {
  // Through the agency-scoped campaign: events of another agency's campaign are never reached.
  const campaign = await db.campaign.findUnique({
    where: { id: campaignId },
    select: { events: { orderBy: { createdAt: 'desc' }, take: 50 } },
  })
  return (campaign?.events ?? []).map((event) => ({ kind: event.kind, detail: event.detail, createdAt: event.createdAt.toISOString() }))
}

export async function getCampaignDetail(deps: CampaignDeps, db: TenantDatabase, user: AuthUser, id: string): Promise<CampaignDetail> {
  const row = await findCampaign(db, id)
  const deliverables = await deliverableRows(db, id)
  const [readiness, workflow, events] = await Promise.all([
    campaignReadiness(db, row, deliverables.map(toDomainDeliverable)),
    campaignWorkflowState(deps, row),
    campaignEvents(db, id),
  ])
  const status = row.status as BriefStatus
  const nextStatuses = can(user.role, 'campaign.write')
    ? BRIEF_STATUS_TRANSITIONS[status].map((to) => ({ to, label: briefStatusActionLabel(status, to) }))
    : []
  return {
    campaign: toCampaignDto(row, deps.settings),
    deliverables: deliverables.map(toDeliverableDto),
    readiness,
    workflow,
    events,
    nextStatuses,
  }
}

/**
 * Locks the brief's row for the rest of the transaction: every change to a brief, its deliverables or its
 * status takes it first, so two of them cannot interleave their reads and writes.
 */
async function lockCampaign(tx: TenantTransaction, user: AuthUser, id: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM "Campaign" WHERE "id" = ${id}::uuid AND "agencyId" = ${user.agency.id}::uuid FOR UPDATE`
}

/** A ready brief whose readiness check no longer passes goes back to draft, so "ready" never lies. */
async function settleReadyStatus(tx: TenantTransaction, id: string): Promise<void> {
  const row = await findCampaign(tx, id)
  if (row.status !== 'ready') return
  const readiness = await campaignReadiness(tx, row, (await deliverableRows(tx, id)).map(toDomainDeliverable))
  if (!readiness.ready) await tx.campaign.update({ where: { id }, data: { status: 'draft' } })
}

function assertEditable(row: CampaignRow): void {
  if ((READ_ONLY_STATUSES as readonly string[]).includes(row.status)) {
    throw new ApiError(409, 'CAMPAIGN_READ_ONLY', `This campaign is ${row.status}: its brief can no longer change. Restore an archived brief as a draft to work on it again.`)
  }
}

export async function updateCampaign(deps: CampaignDeps, db: TenantDatabase, user: AuthUser, id: string, body: UpdateCampaignBody): Promise<CampaignDetail> {
  await db.$transaction(async (tx) => {
    await lockCampaign(tx, user, id)
    const row = await findCampaign(tx, id)
    assertEditable(row)
    const scheduleFields = ['startsAtLocal', 'endsAtLocal', 'timeZone'] as const
    if ((SCHEDULE_LOCKED_STATUSES as readonly string[]).includes(row.status) && scheduleFields.some((field) => body[field] !== undefined && body[field] !== row[field])) {
      throw new ApiError(409, 'CAMPAIGN_SCHEDULE_LOCKED', 'The campaign is running on this schedule: complete it and launch a new brief to change its dates.')
    }
    const deliverables = (await deliverableRows(tx, id)).map(toDomainDeliverable)
    const given = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as Partial<CampaignBrief>
    const brief: CampaignBrief = { ...briefOf(row, deliverables), ...given }
    const issues = briefIssues(brief)
    if (issues.length) throw validationError('brief', issues)
    await assertReferencedUploads(tx, row.workspaceId, brief.references)
    await tx.campaign.update({ where: { id }, data: briefColumns(brief) })
    await settleReadyStatus(tx, id)
  })
  return getCampaignDetail(deps, db, user, id)
}

/**
 * Replaces the brief's deliverables. Assigned deliverables get one card per unit (created once, by
 * sequence); reducing or removing a deliverable deletes its cards only while they are still in Backlog.
 */
export async function saveDeliverables(
  deps: CampaignDeps,
  db: TenantDatabase,
  user: AuthUser,
  id: string,
  inputs: { id?: string; creatorId: string | null; platform: SocialPlatform; kind: string; count: number }[],
): Promise<CampaignDetail> {
  await db.$transaction(async (tx) => {
    await lockCampaign(tx, user, id)
    const row = await findCampaign(tx, id)
    assertEditable(row)
    const issues = deliverableIssues(
      inputs.map((input) => ({ creatorId: input.creatorId, platform: input.platform, kind: input.kind as DomainDeliverable['kind'], count: input.count })),
      row.platforms as SocialPlatform[],
    )
    const creatorIds = [...new Set(inputs.flatMap((input) => (input.creatorId ? [input.creatorId] : [])))]
    const creators = creatorIds.length ? await tx.creator.findMany({ where: { id: { in: creatorIds } }, select: { id: true } }) : []
    const knownCreators = new Set(creators.map((creator) => creator.id))
    const existing = await deliverableRows(tx, id)
    const existingById = new Map(existing.map((d) => [d.id, d]))
    inputs.forEach((input, i) => {
      if (input.creatorId && !knownCreators.has(input.creatorId)) issues.push({ path: `/deliverables/${i}/creatorId`, message: 'is not a creator of this agency' })
      if (input.id && !existingById.has(input.id)) issues.push({ path: `/deliverables/${i}/id`, message: 'is not a deliverable of this campaign' })
    })
    if (issues.length) throw validationError('deliverable list', issues)
    await syncDeliverableCards(tx, user, row, existing, inputs)
    await settleReadyStatus(tx, id)
  })
  return getCampaignDetail(deps, db, user, id)
}

// ---------------------------------------------------------------------------------------------------------
// Status changes and the workflow

async function startCampaignWorkflow(deps: CampaignDeps, row: CampaignRow & { startsAt: Date; endsAt: Date }): Promise<void> {
  const input: CampaignWorkflowInput = {
    campaignId: row.id,
    agencyId: row.agencyId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
  }
  try {
    await deps.temporal.workflow.start(CAMPAIGN_WORKFLOW_TYPE, {
      workflowId: row.workflowId,
      taskQueue: deps.settings.temporal.taskQueue,
      args: [input],
      // A running run is this launch already (a retry, or the sweep); a finished one is a previous launch of a
      // brief that was archived, restored and launched again.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      staticSummary: `Campaign “${row.name}”`,
      typedSearchAttributes: [
        { key: AgencyIdAttribute, value: row.agencyId },
        { key: CampaignIdAttribute, value: row.id },
        { key: StageAttribute, value: 'scheduled' },
      ],
    })
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error
  }
}

async function runningWorkflowExists(deps: CampaignDeps, workflowId: string): Promise<boolean> {
  try {
    const description = await deps.temporal.workflow.getHandle(workflowId).describe()
    return description.status.name === 'RUNNING'
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false
    throw error
  }
}

const temporalUnavailable = (what: string, cause: unknown) =>
  new ApiError(503, 'TEMPORAL_UNAVAILABLE', `Temporal did not take the ${what} request. Try again in a moment.`, undefined, { cause })

function notReady(readiness: ReadinessResult, action: string): ApiError {
  const first = readiness.missing[0]?.message ?? ''
  const more = readiness.missing.length > 1 ? ` (and ${readiness.missing.length - 1} more)` : ''
  return new ApiError(
    409,
    'CAMPAIGN_NOT_READY',
    `The brief cannot ${action} yet: ${first}${more}`,
    readiness.missing.map((item) => ({ path: item.path ?? '/', message: item.message })),
  )
}

async function signalWorkflow(deps: CampaignDeps, row: CampaignRow, send: 'pause' | 'resume' | 'complete', user: AuthUser): Promise<void> {
  const handle = deps.temporal.workflow.getHandle(row.workflowId)
  const signal = send === 'pause' ? pauseCampaignSignal : send === 'resume' ? resumeCampaignSignal : completeCampaignSignal
  try {
    await handle.signal(signal, { by: { userId: user.id, name: user.name } })
  } catch (error) {
    // A finished run needs no pause or completion; the row catches up through its activity.
    if (error instanceof WorkflowNotFoundError) {
      if (send === 'complete') return
      throw new ApiError(409, 'CAMPAIGN_NOT_RUNNING', 'This campaign’s workflow is no longer running (it completed, failed or was terminated).')
    }
    throw temporalUnavailable(send, error)
  }
}

export async function changeCampaignStatus(
  deps: CampaignDeps,
  db: TenantDatabase,
  user: AuthUser,
  id: string,
  to: BriefStatus,
): Promise<CampaignDetail> {
  const row = await findCampaign(db, id)
  const from = row.status as BriefStatus
  const refusal = checkBriefStatusChange(from, to)
  if (refusal) throw new ApiError(409, refusal.code, refusal.message)
  if (to === 'ready') {
    await db.$transaction(async (tx) => {
      await lockCampaign(tx, user, id)
      const fresh = await findCampaign(tx, id)
      const readiness = await campaignReadiness(tx, fresh, (await deliverableRows(tx, id)).map(toDomainDeliverable))
      if (!readiness.ready) throw notReady(readiness, 'be marked ready')
      await setStatus(tx, id, from, { status: 'ready' })
    })
  } else if (to === 'active' && from === 'ready') {
    await launch(deps, db, user, row)
  } else if (to === 'active' || to === 'paused') {
    // Status first, signal second: if the signal fails the status is put back, so the row never claims a
    // state the workflow was not told about.
    await setStatus(db, id, from, { status: to })
    try {
      await signalWorkflow(deps, row, to === 'paused' ? 'pause' : 'resume', user)
    } catch (error) {
      await setStatus(db, id, to, { status: from })
      throw error
    }
  } else if (to === 'completed' || (to === 'archived' && from === 'paused')) {
    await signalWorkflow(deps, row, 'complete', user)
    await setStatus(db, id, from, { status: to })
  } else {
    await setStatus(db, id, from, { status: to })
  }
  // Through the scoped campaign: the event joins the campaign's log that the detail page shows.
  await db.campaign.update({
    where: { id },
    data: { events: { create: { kind: 'status_changed', detail: `${briefStatusActionLabel(from, to)}: ${from} → ${to} (by ${user.name})`, idempotencyKey: randomUUID() } } },
  })
  return getCampaignDetail(deps, db, user, id)
}

/** Compare-and-set on the status, so two people pressing different buttons at once cannot both win. */
async function setStatus(db: TenantDatabase | TenantTransaction, id: string, from: string, data: Prisma.CampaignUpdateManyMutationInput): Promise<void> {
  const updated = await db.campaign.updateMany({ where: { id, status: from }, data })
  if (updated.count === 0) throw new ApiError(409, 'CAMPAIGN_CHANGED', 'Someone else changed this campaign’s status just now. Reload to see it.')
}

/**
 * Launch: re-check readiness, take a plan slot under the agency lock, mark the brief active, then start the
 * workflow. When Temporal refuses, the brief goes back to ready; when the answer is lost, the workflow's
 * existence decides; a process that dies in between leaves an active brief the sweep starts.
 */
async function launch(deps: CampaignDeps, db: TenantDatabase, user: AuthUser, row: CampaignRow): Promise<void> {
  const launched = await db.$transaction(async (tx) => {
    // The agency lock (plan slot) first, then the brief.
    await assertWithinLimit(asTransactionClient(tx), user.agency.id, 'activeCampaigns')
    await lockCampaign(tx, user, row.id)
    const fresh = await findCampaign(tx, row.id)
    const readiness = await campaignReadiness(tx, fresh, (await deliverableRows(tx, row.id)).map(toDomainDeliverable))
    if (!readiness.ready) throw notReady(readiness, 'launch')
    const now = new Date()
    await setStatus(tx, row.id, 'ready', { status: 'active', stage: 'scheduled', launchedAt: now, brandKitVersion: readiness.brandKitVersion })
    return { ...fresh, status: 'active', stage: 'scheduled', launchedAt: now }
  })
  if (!launched.startsAt || !launched.endsAt) throw new Error('A ready brief has a resolved schedule')
  try {
    await startCampaignWorkflow(deps, { ...launched, startsAt: launched.startsAt, endsAt: launched.endsAt })
  } catch (error) {
    const started = await runningWorkflowExists(deps, launched.workflowId).catch(() => null)
    // null: Temporal cannot say either way; keep the launch, the sweep starts the workflow once it can.
    if (started === false) await setStatus(db, row.id, 'active', { status: 'ready', stage: null, launchedAt: null })
    if (!started) {
      throw new ApiError(503, 'TEMPORAL_UNAVAILABLE', 'Temporal is not taking new campaigns right now. Try again in a moment.', undefined, { cause: error })
    }
  }
}

/** A launched campaign whose workflow has not written its first stage this long after launch is looked at. */
const SWEEP_GRACE_MS = 60_000

/**
 * Starts the workflows of launched campaigns that have none (the API died between marking the brief active
 * and starting the workflow, or Temporal could not be reached). Such a campaign has no stage change since its
 * launch: its workflow's first activity writes one.
 */
export async function startMissingCampaignWorkflows(deps: CampaignDeps, now = new Date()): Promise<string[]> {
  const candidates = await deps.db.campaign.findMany({
    where: { status: 'active', stage: 'scheduled', launchedAt: { lt: new Date(now.getTime() - SWEEP_GRACE_MS) } },
    include: { events: { where: { kind: 'stage_changed' }, orderBy: { createdAt: 'desc' }, take: 1, select: { createdAt: true } } },
    take: 100,
  })
  const started: string[] = []
  for (const row of candidates) {
    const lastEvent = row.events[0]?.createdAt
    if (lastEvent && row.launchedAt && lastEvent >= row.launchedAt) continue
    if (!row.startsAt || !row.endsAt) continue
    if (await runningWorkflowExists(deps, row.workflowId)) continue
    await startCampaignWorkflow(deps, { ...row, startsAt: row.startsAt, endsAt: row.endsAt })
    started.push(row.id)
  }
  return started
}
