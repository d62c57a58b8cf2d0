// Campaign lifecycle rules shared by the API (validation), the campaign workflow (stage order and
// wake-up times) and the UI (labels). Pure and deterministic: safe to import from workflows/.

export const CAMPAIGN_STAGES = ['scheduled', 'live', 'paused', 'completed'] as const
export type CampaignStage = (typeof CAMPAIGN_STAGES)[number]

export const CAMPAIGN_NAME_MAX = 120
/** Longest campaign we accept; beyond this a brief is almost certainly a typo in the year. */
export const CAMPAIGN_MAX_DURATION_DAYS = 366
/** How far ahead a campaign may be scheduled to start. */
export const CAMPAIGN_MAX_LEAD_DAYS = 730
const DAY_MS = 24 * 60 * 60 * 1000

export interface CampaignSchedule {
  startsAt: Date
  endsAt: Date
}

export type ScheduleProblem = { field: 'startsAt' | 'endsAt'; message: string }

/**
 * Fills in a campaign's start and end from what the user gave: no start means "launch shortly"
 * (after `defaultDelaySeconds`), no end means one week after the start.
 */
export function resolveCampaignSchedule(
  input: { startsAt?: Date | undefined; endsAt?: Date | undefined },
  now: Date,
  defaultDelaySeconds: number,
): { ok: true; schedule: CampaignSchedule } | { ok: false; problems: ScheduleProblem[] } {
  // A string can pass as an ISO date-time and still be no instant (a leap second, say): NaN compares false
  // with everything, so catch it before any comparison.
  const problems: ScheduleProblem[] = []
  for (const field of ['startsAt', 'endsAt'] as const) {
    if (input[field] && Number.isNaN(input[field].getTime())) {
      problems.push({ field, message: 'This is not a date and time we can use.' })
    }
  }
  if (problems.length) return { ok: false, problems }
  const startsAt = input.startsAt ?? new Date(now.getTime() + defaultDelaySeconds * 1000)
  const endsAt = input.endsAt ?? new Date(startsAt.getTime() + 7 * DAY_MS)
  if (startsAt.getTime() - now.getTime() > CAMPAIGN_MAX_LEAD_DAYS * DAY_MS) {
    problems.push({ field: 'startsAt', message: `A campaign can be scheduled at most ${CAMPAIGN_MAX_LEAD_DAYS} days ahead.` })
  }
  if (endsAt.getTime() <= startsAt.getTime()) {
    problems.push({ field: 'endsAt', message: 'The campaign must end after it starts.' })
  } else if (endsAt.getTime() - startsAt.getTime() > CAMPAIGN_MAX_DURATION_DAYS * DAY_MS) {
    problems.push({ field: 'endsAt', message: `A campaign can run at most ${CAMPAIGN_MAX_DURATION_DAYS} days.` })
  }
  if (endsAt.getTime() <= now.getTime()) {
    problems.push({ field: 'endsAt', message: 'The campaign would already be over: pick an end in the future.' })
  }
  return problems.length ? { ok: false, problems } : { ok: true, schedule: { startsAt, endsAt } }
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
