// Campaign use cases: the row in PostgreSQL and its workflow in Temporal are created together, and the
// live state comes from a workflow query.
import { randomUUID } from 'node:crypto'
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionStatusName,
} from '@temporalio/client'
import { resolveCampaignSchedule, temporalWebWorkflowUrl } from '../../domain/campaign'
import type { Campaign as CampaignRow } from '../../generated/prisma/client'
import {
  AgencyIdAttribute,
  CAMPAIGN_WORKFLOW_TYPE,
  CampaignIdAttribute,
  StageAttribute,
  campaignStateQuery,
  campaignWorkflowId,
  pauseCampaignSignal,
  resumeCampaignSignal,
  type CampaignWorkflowInput,
} from '../../workflows/campaign/definitions'
import { ApiError, notFound } from '../errors'
import { assertWithinLimit } from './usage'
import type { Campaign, WorkflowState } from '../schemas/campaign'
import type { ApiSettings, AuthUser } from '../types'
import type { Database } from '../../platform/database'
import type { TenantDatabase } from '../../platform/tenant-scope'

export interface CampaignDeps {
  db: Database
  temporal: Client
  settings: ApiSettings
  defaultLaunchDelaySeconds: number
}

export function toCampaignDto(row: CampaignRow, settings: ApiSettings): Campaign {
  return {
    id: row.id,
    name: row.name,
    stage: row.stage as Campaign['stage'],
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    workflowId: row.workflowId,
    temporalWebUrl: temporalWebWorkflowUrl(settings.temporal.uiUrl, settings.temporal.namespace, row.workflowId),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export async function listCampaigns({ settings }: CampaignDeps, db: TenantDatabase): Promise<Campaign[]> {
  const rows = await db.campaign.findMany({
    orderBy: { createdAt: 'desc' },
    take: 200,
  })
  return rows.map((row) => toCampaignDto(row, settings))
}

export async function findCampaign(db: TenantDatabase, id: string): Promise<CampaignRow> {
  const row = await db.campaign.findUnique({ where: { id } })
  if (!row) throw notFound('Campaign')
  return row
}

/**
 * Starts the campaign's workflow `campaign:<id>`. Idempotent: a running or finished run with that id is
 * left alone (WorkflowExecutionAlreadyStartedError counts as started), so the create path and the sweep
 * can both call it.
 */
export async function startCampaignWorkflow(deps: CampaignDeps, row: CampaignRow): Promise<void> {
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
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
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

async function workflowExists(deps: CampaignDeps, workflowId: string): Promise<boolean> {
  try {
    await deps.temporal.workflow.getHandle(workflowId).describe()
    return true
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false
    throw error
  }
}

/**
 * Creates the campaign row, then starts its workflow. When Temporal refuses, the row is removed again;
 * when the answer is lost (a deadline after the server accepted), the workflow's existence decides. A
 * process that dies between the two steps leaves a row that `startMissingCampaignWorkflows` picks up.
 */
export async function createCampaign(
  deps: CampaignDeps,
  user: AuthUser,
  input: { name: string; startsAt?: string; endsAt?: string },
): Promise<Campaign> {
  const resolved = resolveCampaignSchedule(
    {
      startsAt: input.startsAt ? new Date(input.startsAt) : undefined,
      endsAt: input.endsAt ? new Date(input.endsAt) : undefined,
    },
    new Date(),
    deps.defaultLaunchDelaySeconds,
  )
  if (!resolved.ok) {
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      resolved.problems.map((problem) => problem.message).join(' '),
      resolved.problems.map((problem) => ({ path: `/${problem.field}`, message: problem.message })),
    )
  }
  const id = randomUUID()
  // The plan's active-campaign limit is checked under a lock on the agency, so two creations racing for the
  // last slot cannot both get it.
  const row = await deps.db.$transaction(async (tx) => {
    await assertWithinLimit(tx, user.agency.id, 'activeCampaigns')
    return tx.campaign.create({
      data: {
        id,
        agencyId: user.agency.id,
        name: input.name.trim(),
        stage: 'scheduled',
        startsAt: resolved.schedule.startsAt,
        endsAt: resolved.schedule.endsAt,
        workflowId: campaignWorkflowId(id),
      },
    })
  })
  try {
    await startCampaignWorkflow(deps, row)
  } catch (error) {
    const started = await workflowExists(deps, row.workflowId).catch(() => null)
    // null: Temporal cannot say either way; keep the row, the sweep starts the workflow once it can.
    if (started === false) await deps.db.campaign.delete({ where: { id } })
    if (!started) {
      throw new ApiError(503, 'TEMPORAL_UNAVAILABLE', 'Temporal is not taking new campaigns right now. Try again in a moment.', undefined, {
        cause: error,
      })
    }
  }
  return toCampaignDto(row, deps.settings)
}

/** A campaign whose workflow has not written its first stage this long after creation is looked at. */
const SWEEP_GRACE_MS = 60_000

/**
 * Starts the workflows of campaigns that have none (the API died between creating the row and starting
 * the workflow, or Temporal could not be reached). Such a campaign has no events yet: its workflow's
 * first activity writes one. Starting is idempotent, so a merely slow worker costs one no-op call.
 */
export async function startMissingCampaignWorkflows(deps: CampaignDeps, now = new Date()): Promise<string[]> {
  const orphans = await deps.db.campaign.findMany({
    where: { stage: 'scheduled', events: { none: {} }, createdAt: { lt: new Date(now.getTime() - SWEEP_GRACE_MS) } },
    take: 100,
  })
  const started: string[] = []
  for (const row of orphans) {
    if (await workflowExists(deps, row.workflowId)) continue
    await startCampaignWorkflow(deps, row)
    started.push(row.id)
  }
  return started
}

const QUERY_TIMEOUT_MS = 3_000

/** The workflow's live state, or null when Temporal cannot answer right now (the row still shows the stage). */
export async function campaignWorkflowState(deps: CampaignDeps, workflowId: string): Promise<WorkflowState | null> {
  const handle = deps.temporal.workflow.getHandle(workflowId)
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

export async function setCampaignPaused(
  deps: CampaignDeps,
  db: TenantDatabase,
  user: AuthUser,
  id: string,
  paused: boolean,
): Promise<{ campaign: Campaign; workflow: WorkflowState | null }> {
  const row = await findCampaign(db, id)
  if (row.stage === 'completed') {
    throw new ApiError(409, 'CAMPAIGN_FINISHED', 'This campaign has completed; it can no longer be paused or resumed.')
  }
  const handle = deps.temporal.workflow.getHandle(row.workflowId)
  try {
    await handle.signal(paused ? pauseCampaignSignal : resumeCampaignSignal, { by: { userId: user.id, name: user.name } })
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new ApiError(409, 'CAMPAIGN_NOT_RUNNING', 'This campaign’s workflow is no longer running (it completed, failed or was terminated).')
    }
    throw new ApiError(503, 'TEMPORAL_UNAVAILABLE', `Temporal did not take the ${paused ? 'pause' : 'resume'} request. Try again in a moment.`, undefined, {
      cause: error,
    })
  }
  // Queries are strongly consistent with signals sent before them, so this state includes the change.
  const workflow = await campaignWorkflowState(deps, row.workflowId)
  const fresh = await findCampaign(db, id)
  return { campaign: toCampaignDto(fresh, deps.settings), workflow }
}

export async function campaignEvents(db: TenantDatabase, campaignId: string) {
  // Through the agency-scoped campaign: events of another agency's campaign are never reached.
  const campaign = await db.campaign.findUnique({
    where: { id: campaignId },
    select: { events: { orderBy: { createdAt: 'desc' }, take: 50 } },
  })
  return (campaign?.events ?? []).map((event) => ({ kind: event.kind, detail: event.detail, createdAt: event.createdAt.toISOString() }))
}
