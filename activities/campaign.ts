// Campaign side effects: the workflow reports its stage changes here and they land in PostgreSQL,
// which is what lists, dashboards and the API read.
import { ApplicationFailure, Context } from '@temporalio/activity'
import type { CampaignStage } from '../domain/campaign'
import type { Database } from '../platform/database'

export interface CampaignActivityDeps {
  db: Database
}

export function createCampaignActivities({ db }: CampaignActivityDeps) {
  return {
    /**
     * Writes the campaign's current stage and appends an event. Safe to retry: the event's
     * idempotency key is the workflow run plus the activity id, so a retry after a lost response
     * does not log the change twice.
     */
    async recordCampaignStage(input: { campaignId: string; stage: CampaignStage; at: string; actor?: string }): Promise<void> {
      const info = Context.current().info
      const idempotencyKey = `${info.workflowExecution?.runId ?? 'standalone'}:${info.activityId}`
      await db.$transaction(async (tx) => {
        const updated = await tx.campaign.updateMany({
          where: { id: input.campaignId },
          data: { stage: input.stage },
        })
        if (updated.count === 0) {
          throw ApplicationFailure.nonRetryable(
            `Campaign ${input.campaignId} has no row in PostgreSQL (deleted, or the worker points at another ` +
              `database than the API): check DATABASE_URL of the worker, then terminate or reset this run.`,
            'CampaignNotFound',
          )
        }
        // The end of the run ends the brief too, unless someone already archived it.
        if (input.stage === 'completed') {
          await tx.campaign.updateMany({ where: { id: input.campaignId, status: { in: ['active', 'paused'] } }, data: { status: 'completed' } })
        }
        await tx.campaignEvent.upsert({
          where: { idempotencyKey },
          create: {
            campaignId: input.campaignId,
            kind: 'stage_changed',
            detail: `Stage is now ${input.stage}${input.actor ? ` (by ${input.actor})` : ''}`,
            idempotencyKey,
            createdAt: new Date(input.at),
          },
          update: {},
        })
      })
    },
  }
}
