// A campaign's life: scheduled until its start, live until its end, then completed. Pause and resume
// arrive as signals. Every stage change is written to PostgreSQL by an activity, so lists never depend
// on workflow queries; the query serves the live detail.
import {
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import type * as activities from '../../activities/campaign'
import { nextCampaignStage, nextCampaignWakeAt, type CampaignStage } from '../../domain/campaign'
import {
  campaignStateQuery,
  completeCampaignSignal,
  pauseCampaignSignal,
  resumeCampaignSignal,
  STAGE_HISTORY_LIMIT,
  StageAttribute,
  type CampaignWorkflowInput,
  type CampaignWorkflowState,
  type StageChange,
} from './definitions'

type CampaignActivities = ReturnType<typeof activities.createCampaignActivities>

// Database writes are idempotent and quick: retry them for a long while (PostgreSQL restarts, failovers)
// rather than failing a campaign that may run for months.
const { recordCampaignStage } = proxyActivities<CampaignActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
})

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<CampaignWorkflowState> {
  const schedule = { startsAt: new Date(input.startsAt), endsAt: new Date(input.endsAt) }
  let paused = input.carried?.paused ?? false
  const history: StageChange[] = input.carried?.history ?? []
  let stage: CampaignStage | null = history.at(-1)?.stage ?? null
  let nextWakeAt: Date | null = null

  let pauseToggledBy: string | undefined
  setHandler(pauseCampaignSignal, ({ by }) => {
    paused = true
    pauseToggledBy = by.name
  })
  setHandler(resumeCampaignSignal, ({ by }) => {
    paused = false
    pauseToggledBy = by.name
  })
  // Completing early is final: the next turn of the loop records "completed" and the workflow returns.
  let completedBy: string | undefined
  setHandler(completeCampaignSignal, ({ by }) => {
    completedBy = by.name
  })
  setHandler(campaignStateQuery, () => ({
    stage,
    paused,
    nextWakeAt: nextWakeAt?.toISOString() ?? null,
    history,
  }))

  for (;;) {
    // Read the pause flag before any await: a signal that lands while the activity runs must wake the
    // wait below at once instead of being folded into the state it waits on.
    const pausedSeen = paused
    const now = new Date()
    const completeSeen = completedBy !== undefined
    const current = completeSeen ? 'completed' : nextCampaignStage(stage, schedule, now, pausedSeen)
    if (current !== stage) {
      // Into or out of "paused" and an early completion are someone's doing; the other changes are the schedule's.
      const by = completeSeen ? completedBy : current === 'paused' || stage === 'paused' ? pauseToggledBy : undefined
      stage = current
      history.push({ stage, at: now.toISOString(), ...(by ? { by } : {}) })
      history.splice(0, history.length - STAGE_HISTORY_LIMIT)
      upsertSearchAttributes([{ key: StageAttribute, value: stage }])
      await recordCampaignStage.executeWithOptions(
        { summary: `Record stage "${stage}" in PostgreSQL` },
        [{ campaignId: input.campaignId, stage, at: now.toISOString(), ...(by ? { actor: by } : {}) }],
      )
    }
    if (stage === 'completed') return { stage, paused, nextWakeAt: null, history }

    if (workflowInfo().continueAsNewSuggested) {
      // `paused`, not `pausedSeen`: a pause that arrived during the activity must survive the hand-over.
      await continueAsNew<typeof campaignWorkflow>({ ...input, carried: { paused, history } })
    }
    nextWakeAt = nextCampaignWakeAt(schedule, now)
    // Past the end without having completed: a launch that happened late. Complete right away.
    if (nextWakeAt === null) continue
    // Durable timer: wakes at the next stage boundary, or earlier when pause/resume flips. Measured from
    // after the activity, so a slow database write does not push the launch back.
    await condition(() => paused !== pausedSeen || completedBy !== undefined, Math.max(nextWakeAt.getTime() - Date.now(), 1))
  }
}
