// The campaign workflow's contract, shared by the workflow, the worker and the API client.
import { defineQuery, defineSignal } from '@temporalio/workflow'
import type { CampaignStage } from '../../domain/campaign'
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common'

export const CAMPAIGN_WORKFLOW_TYPE = 'campaignWorkflow'

/** Custom search attributes: engineers filter runs by them in Temporal Web. */
export const AgencyIdAttribute = defineSearchAttributeKey('AgencyId', SearchAttributeType.KEYWORD)
export const CampaignIdAttribute = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD)
export const StageAttribute = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD)

export interface StageChange {
  stage: CampaignStage
  at: string
  /** Who caused the change (a pause or resume); absent when the schedule did. */
  by?: string
}

/** Who sends a pause or resume: shown in the stage history and the campaign's events. */
export interface CampaignActor {
  userId: string
  name: string
}

/** Stage changes kept in the workflow's state (and carried over by continue-as-new). */
export const STAGE_HISTORY_LIMIT = 100

export interface CampaignWorkflowInput {
  campaignId: string
  agencyId: string
  startsAt: string
  endsAt: string
  /** State handed over by continue-as-new; absent on the first run. */
  carried?: { paused: boolean; history: StageChange[] }
}

export interface CampaignWorkflowState {
  stage: CampaignStage | null
  paused: boolean
  nextWakeAt: string | null
  history: StageChange[]
}

export const pauseCampaignSignal = defineSignal<[{ by: CampaignActor }]>('pauseCampaign')
export const resumeCampaignSignal = defineSignal<[{ by: CampaignActor }]>('resumeCampaign')
/** Ends the campaign now, before its end date (someone completed it in the brief). */
export const completeCampaignSignal = defineSignal<[{ by: CampaignActor }]>('completeCampaign')
export const campaignStateQuery = defineQuery<CampaignWorkflowState>('campaignState')

const PREFIX = 'campaign:'

export function campaignWorkflowId(campaignId: string): string {
  return `${PREFIX}${campaignId}`
}

export function campaignIdFromWorkflowId(workflowId: string): string | null {
  return workflowId.startsWith(PREFIX) ? workflowId.slice(PREFIX.length) : null
}
