// Records the event history of a representative campaign run into tests/workflows/histories/, for the
// replay test. Run it again (`npx tsx scripts/record-workflow-history.ts`) only when a workflow change is
// meant to be incompatible; otherwise the committed history is what proves compatibility.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { historyToJSON } from '@temporalio/common/lib/proto-utils'
import { TestWorkflowEnvironment } from '@temporalio/testing'
import { Worker } from '@temporalio/worker'
import { createActivities } from '../activities'
import { projectRoot } from '../platform/config'
import { ensureSearchAttributes } from '../platform/temporal'
import { createDatabase } from '../platform/database'
import { workflowsPath } from '../platform/workflow-bundle'
import { campaignWorkflowId, pauseCampaignSignal, resumeCampaignSignal } from '../workflows/campaign/definitions'
import { campaignWorkflow } from '../workflows/campaign/workflow'
import { startEmbeddedPostgres } from './db/embedded-postgres'
import { deployMigrations } from './db/migrate'
import { freePort } from './processes'
import { ensureTemporalTestServer } from './temporal-cli'

const HOUR = 60 * 60 * 1000
const output = path.join(projectRoot, 'tests', 'workflows', 'histories', 'campaign-pause-resume.json')

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'greenlight-history-'))
const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), durable: false })
const testServer = await ensureTemporalTestServer()
const env = await TestWorkflowEnvironment.createTimeSkipping({
  server: { executable: { type: 'existing-path', path: testServer.path } },
})
const db = createDatabase(pg.url, { poolSize: 2 })
try {
  await ensureSearchAttributes(env.connection, 'default')
  await deployMigrations(pg.url)
  const agency = await db.agency.create({ data: { name: 'History Agency', slug: `history-${randomUUID()}` } })
  const id = randomUUID()
  const start = await env.currentTimeMs()
  const startsAt = new Date(start + HOUR)
  const endsAt = new Date(start + 5 * HOUR)
  const workspace = await db.workspace.create({ data: { agencyId: agency.id, name: 'History', clientName: 'History' } })
  await db.campaign.create({ data: { id, agencyId: agency.id, workspaceId: workspace.id, name: 'History', status: 'active', startsAt, endsAt, workflowId: campaignWorkflowId(id) } })

  const taskQueue = 'history'
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath, activities: createActivities({ db }) })
  const history = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(campaignWorkflow, {
      workflowId: campaignWorkflowId(id),
      taskQueue,
      args: [{ campaignId: id, agencyId: agency.id, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() }],
    })
    await handle.signal(pauseCampaignSignal, { by: { userId: 'recorder', name: 'History Recorder' } })
    await env.sleep(2 * HOUR)
    await handle.signal(resumeCampaignSignal, { by: { userId: 'recorder', name: 'History Recorder' } })
    await handle.result()
    return handle.fetchHistory()
  })
  writeFileSync(output, historyToJSON(history) + '\n')
  console.log(`wrote ${path.relative(projectRoot, output)} (${history.events?.length ?? 0} events)`)
} finally {
  await db.$disconnect()
  await env.teardown()
  await pg.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
