// Campaign lifecycle rules shared by the campaign workflow (stage order and wake-up times), the brief rules
// (domain/campaign-brief.ts) and the UI (labels). Pure and deterministic: safe to import from workflows/.

export const CAMPAIGN_STAGES = ['scheduled', 'live', 'paused', 'completed'] as const
export type CampaignStage = (typeof CAMPAIGN_STAGES)[number]

/** Longest campaign we accept; beyond this a brief is almost certainly a typo in the year. */
export const CAMPAIGN_MAX_DURATION_DAYS = 366
/** How far ahead a campaign may be scheduled to start. */
export const CAMPAIGN_MAX_LEAD_DAYS = 730

export interface CampaignSchedule {
  startsAt: Date
  endsAt: Date
}

/**
 * The stage a running campaign is in at `now`: before its start it is scheduled, then live until its
 * end. A pause overrides both, except that nothing reopens a completed campaign.
 */
export function campaignStageAt(schedule: CampaignSchedule, now: Date, paused: boolean): CampaignStage {
  if (now.getTime() >= schedule.endsAt.getTime()) return 'completed'
  if (paused) return 'paused'
  return now.getTime() >= schedule.startsAt.getTime() ? 'live' : 'scheduled'
}

/**
 * The stage to move to from `previous`. Stages are not skipped: a campaign that was due to go live
 * goes live even when its workflow only woke after the end (say, every worker was down), so the launch
 * is recorded before the completion. A campaign paused through its whole window never goes live.
 */
export function nextCampaignStage(
  previous: CampaignStage | null,
  schedule: CampaignSchedule,
  now: Date,
  paused: boolean,
): CampaignStage {
  const target = campaignStageAt(schedule, now, paused)
  const neverLive = previous === null || previous === 'scheduled'
  if (target === 'completed' && neverLive && !paused) return 'live'
  return target
}

/** When the workflow must next wake up on its own (null once the campaign is over). */
export function nextCampaignWakeAt(schedule: CampaignSchedule, now: Date): Date | null {
  if (now.getTime() < schedule.startsAt.getTime()) return schedule.startsAt
  if (now.getTime() < schedule.endsAt.getTime()) return schedule.endsAt
  return null
}

/** Deep link to a workflow run in Temporal Web. */
export function temporalWebWorkflowUrl(uiUrl: string, namespace: string, workflowId: string): string {
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`
}
