// Campaign use cases: the row in PostgreSQL and its workflow in Temporal are created together, and the
// live state comes from a workflow query.
import { randomUUID } from 'node:crypto'
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client'
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
import type { Campaign, WorkflowState } from '../schemas/campaign'
import type { ApiSettings, AuthUser } from '../types'
import type { Database } from '../../platform/database'

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

export async function listCampaigns({ db, settings }: CampaignDeps, user: AuthUser): Promise<Campaign[]> {
  const rows = await db.campaign.findMany({
    where: { agencyId: user.agency.id },
    orderBy: { createdAt: 'desc' },
    take: 200,
  })
  return rows.map((row) => toCampaignDto(row, settings))
}

export async function findCampaign({ db }: CampaignDeps, user: AuthUser, id: string): Promise<CampaignRow> {
  const row = await db.campaign.findFirst({ where: { id, agencyId: user.agency.id } })
  if (!row) throw notFound('Campaign')
  return row
}

/**
 * Creates the campaign row, then starts its workflow. If Temporal cannot take the workflow, the row is
 * removed again, so there is never a campaign that nothing drives.
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
  const workflowId = campaignWorkflowId(id)
  const row = await deps.db.campaign.create({
    data: {
      id,
      agencyId: user.agency.id,
      name: input.name.trim(),
      stage: 'scheduled',
      startsAt: resolved.schedule.startsAt,
      endsAt: resolved.schedule.endsAt,
      workflowId,
    },
  })
  const workflowInput: CampaignWorkflowInput = {
    campaignId: id,
    agencyId: user.agency.id,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
  }
  try {
    await deps.temporal.workflow.start(CAMPAIGN_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: deps.settings.temporal.taskQueue,
      args: [workflowInput],
      staticSummary: `Campaign “${row.name}”`,
      typedSearchAttributes: [
        { key: AgencyIdAttribute, value: user.agency.id },
        { key: CampaignIdAttribute, value: id },
        { key: StageAttribute, value: 'scheduled' },
      ],
    })
  } catch (error) {
    await deps.db.campaign.delete({ where: { id } })
    throw new ApiError(
      503,
      'TEMPORAL_UNAVAILABLE',
      `The campaign was not created: Temporal did not accept its workflow (${error instanceof Error ? error.message : String(error)}). Try again shortly.`,
    )
  }
  return toCampaignDto(row, deps.settings)
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
  user: AuthUser,
  id: string,
  paused: boolean,
): Promise<{ campaign: Campaign; workflow: WorkflowState | null }> {
  const row = await findCampaign(deps, user, id)
  if (row.stage === 'completed') {
    throw new ApiError(409, 'CAMPAIGN_FINISHED', 'This campaign has completed; it can no longer be paused or resumed.')
  }
  const handle = deps.temporal.workflow.getHandle(row.workflowId)
  try {
    await handle.signal(paused ? pauseCampaignSignal : resumeCampaignSignal, { by: user.id })
  } catch (error) {
    throw new ApiError(
      503,
      'TEMPORAL_UNAVAILABLE',
      `The campaign workflow did not take the ${paused ? 'pause' : 'resume'} request: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  // Queries are strongly consistent with signals sent before them, so this state includes the change.
  const workflow = await campaignWorkflowState(deps, row.workflowId)
  const fresh = await findCampaign(deps, user, id)
  return { campaign: toCampaignDto(fresh, deps.settings), workflow }
}

export async function campaignEvents({ db }: CampaignDeps, campaignId: string) {
  const events = await db.campaignEvent.findMany({
    where: { campaignId },
    orderBy: { createdAt: 'desc' },
    take: 50,
  })
  return events.map((event) => ({ kind: event.kind, detail: event.detail, createdAt: event.createdAt.toISOString() }))
}
