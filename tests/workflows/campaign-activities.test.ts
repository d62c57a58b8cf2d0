// Activity tier: the campaign activities alone in a mocked activity context, writing to a PostgreSQL
// database of this file's own. The activity info (run id, activity id) is what a retry reuses.
import { randomUUID } from 'node:crypto'
import type { Info } from '@temporalio/activity'
import { ApplicationFailure } from '@temporalio/common'
import { MockActivityEnvironment, type MockActivityEnvironmentOptions } from '@temporalio/testing'
import { DefaultLogger } from '@temporalio/worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCampaignActivities } from '../../activities/campaign'
import type { Database } from '../../platform/database'
import { campaignWorkflowId } from '../../workflows/campaign/definitions'
import { createAgency, testDatabase, createWorkspace } from '../support/database'

let db: Database
let dropDatabase: () => Promise<void>
let agencyId: string
let activities: ReturnType<typeof createCampaignActivities>

beforeAll(async () => {
  ;({ db, drop: dropDatabase } = await testDatabase())
  agencyId = (await createAgency(db)).id
  activities = createCampaignActivities({ db })
})

afterAll(async () => {
  await dropDatabase?.()
})

async function insertCampaign() {
  const id = randomUUID()
  const startsAt = new Date(Date.now() + 60 * 60 * 1000)
  const endsAt = new Date(startsAt.getTime() + 24 * 60 * 60 * 1000)
  await db.campaign.create({ data: { id, agencyId, workspaceId: (await createWorkspace(db, agencyId)).id, name: `Test ${id.slice(0, 8)}`, startsAt, endsAt, workflowId: campaignWorkflowId(id) } })
  return id
}

/** The info one activity attempt sees: a retry of the same call has the same run id and activity id. */
function attempt(runId: string, activityId: string, attemptNumber = 1): Partial<Info> {
  return { workflowExecution: { workflowId: `campaign-activities-test:${runId}`, runId }, activityId, attempt: attemptNumber }
}

type StageInput = Parameters<ReturnType<typeof createCampaignActivities>['recordCampaignStage']>[0]

function recordStage(info: Partial<Info>, input: StageInput, options?: MockActivityEnvironmentOptions) {
  return new MockActivityEnvironment(info, options).run(activities.recordCampaignStage, input)
}

describe('recordCampaignStage', () => {
  it("updates the row's stage and appends one event", async () => {
    const campaignId = await insertCampaign()
    const at = new Date('2030-01-01T09:00:00.000Z')
    await recordStage(attempt(randomUUID(), '1'), { campaignId, stage: 'live', at: at.toISOString() })

    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).stage).toBe('live')
    const events = await db.campaignEvent.findMany({ where: { campaignId } })
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ kind: 'stage_changed', createdAt: at })
    expect(events[0]!.detail).toContain('live')
  })

  it('writes one event for a retry of the same activity, and another for a different activity id', async () => {
    const campaignId = await insertCampaign()
    const runId = randomUUID()
    const input: StageInput = { campaignId, stage: 'paused', at: new Date().toISOString() }

    // The first attempt committed but its response was lost; the retry carries the same info.
    await recordStage(attempt(runId, '3', 1), input)
    await recordStage(attempt(runId, '3', 2), input)
    expect(await db.campaignEvent.count({ where: { campaignId } })).toBe(1)

    await recordStage(attempt(runId, '4'), input)
    expect(await db.campaignEvent.count({ where: { campaignId } })).toBe(2)
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).stage).toBe('paused')
  })

  it('throws a non-retryable CampaignNotFound saying what to check when the row is missing, and writes nothing', async () => {
    const campaignId = randomUUID()
    const runId = randomUUID()
    // The SDK logs every failed activity as a warning; this failure is the expected outcome.
    const quiet = { logger: new DefaultLogger('ERROR') }
    const failure = await recordStage(attempt(runId, '1'), { campaignId, stage: 'completed', at: new Date().toISOString() }, quiet).catch(
      (error: unknown) => error,
    )

    expect(failure).toBeInstanceOf(ApplicationFailure)
    expect(failure).toMatchObject({ type: 'CampaignNotFound', nonRetryable: true })
    const { message } = failure as ApplicationFailure
    expect(message).toContain(campaignId)
    expect(message).toContain('DATABASE_URL')
    expect(await db.campaign.count({ where: { id: campaignId } })).toBe(0)
    expect(await db.campaignEvent.count({ where: { OR: [{ campaignId }, { idempotencyKey: { startsWith: runId } }] } })).toBe(0)
  })
})
