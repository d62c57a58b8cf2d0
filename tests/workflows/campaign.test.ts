// The campaign workflow on Temporal's time-skipping test server, with its real activities writing to a
// PostgreSQL database of this file's own.
import { randomUUID } from 'node:crypto'
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client'
import type { TestWorkflowEnvironment } from '@temporalio/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createActivities } from '../../activities'
import type { Database } from '../../platform/database'
import { campaignWorkflow } from '../../workflows/campaign/workflow'
import {
  campaignStateQuery,
  campaignWorkflowId,
  pauseCampaignSignal,
  resumeCampaignSignal,
} from '../../workflows/campaign/definitions'
import { createAgency, testDatabase, createWorkspace } from '../support/database'
import { startTimeSkippingWorker, type TimeSkippingWorker } from '../support/temporal'

const HOUR = 60 * 60 * 1000
let env: TestWorkflowEnvironment
let db: Database
let dropDatabase: () => Promise<void>
let agencyId: string
const taskQueue = `campaign-test-${randomUUID()}`

let temporal: TimeSkippingWorker

beforeAll(async () => {
  ;({ db, drop: dropDatabase } = await testDatabase())
  agencyId = (await createAgency(db)).id
  temporal = await startTimeSkippingWorker(taskQueue, () => createActivities({ db }))
  env = temporal.env
})

afterAll(async () => {
  await temporal?.stop()
  await dropDatabase?.()
})

async function insertCampaign(startsInMs: number, runsForMs: number) {
  const now = await env.currentTimeMs()
  const id = randomUUID()
  const startsAt = new Date(now + startsInMs)
  const endsAt = new Date(now + startsInMs + runsForMs)
  await db.campaign.create({ data: { id, agencyId, workspaceId: (await createWorkspace(db, agencyId)).id, name: `Test ${id.slice(0, 8)}`, startsAt, endsAt, workflowId: campaignWorkflowId(id) } })
  return { campaignId: id, agencyId, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() }
}

describe('campaignWorkflow', () => {
  it('walks scheduled → live → completed on durable timers and records each stage in PostgreSQL', async () => {
    const input = await insertCampaign(2 * HOUR, 24 * HOUR)
    const result = await env.client.workflow.execute(campaignWorkflow, { workflowId: campaignWorkflowId(input.campaignId), taskQueue, args: [input] })
    expect(result.history.map((change) => change.stage)).toEqual(['scheduled', 'live', 'completed'])
    const [scheduled, live, completed] = result.history.map((change) => Date.parse(change.at))
    expect(live! - scheduled!).toBeGreaterThanOrEqual(2 * HOUR - 1000)
    expect(completed! - live!).toBeGreaterThanOrEqual(24 * HOUR - 1000)

    const row = await db.campaign.findUniqueOrThrow({ where: { id: input.campaignId }, include: { events: true } })
    expect(row.stage).toBe('completed')
    expect(row.events.map((event) => event.detail).sort()).toEqual([
      'Stage is now completed',
      'Stage is now live',
      'Stage is now scheduled',
    ])
  })

  it('does not go live while paused, and goes live at once when resumed after its start time', async () => {
    const input = await insertCampaign(1 * HOUR, 48 * HOUR)
    const handle = await env.client.workflow.start(campaignWorkflow, {
      workflowId: campaignWorkflowId(input.campaignId),
      taskQueue,
      args: [input],
    })
    await handle.signal(pauseCampaignSignal, { by: { userId: 'test', name: 'Test Runner' } })
    await expect.poll(async () => (await handle.query(campaignStateQuery)).stage).toBe('paused')

    await env.sleep(3 * HOUR) // well past the start time
    const paused = await handle.query(campaignStateQuery)
    expect(paused.stage).toBe('paused')
    expect((await db.campaign.findUniqueOrThrow({ where: { id: input.campaignId } })).stage).toBe('paused')

    await handle.signal(resumeCampaignSignal, { by: { userId: 'test', name: 'Test Runner' } })
    await expect.poll(async () => (await handle.query(campaignStateQuery)).stage).toBe('live')
    const resumed = await handle.query(campaignStateQuery)
    expect(resumed.paused).toBe(false)
    expect(resumed.history.map((change) => change.stage)).toEqual(['scheduled', 'paused', 'live'])
    await handle.terminate('test done')
  })

  it('fails with a message that says what happened when the campaign row is missing', async () => {
    const input = { campaignId: randomUUID(), agencyId, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + HOUR).toISOString() }
    const error = await env.client.workflow.execute(campaignWorkflow, { workflowId: campaignWorkflowId(input.campaignId), taskQueue, args: [input] })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WorkflowFailedError)
    const activityFailure = (error as WorkflowFailedError).cause
    expect(activityFailure?.cause).toBeInstanceOf(ApplicationFailure)
    const failure = activityFailure?.cause as ApplicationFailure
    expect(failure.type).toBe('CampaignNotFound')
    expect(failure.nonRetryable).toBe(true)
    expect(failure.message).toMatch(/has no row in PostgreSQL/)
  })
})
