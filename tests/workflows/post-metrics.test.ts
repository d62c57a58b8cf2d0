// The metrics workflow on Temporal's time-skipping test server: thirty days of the decaying schedule pass in
// seconds, each pull reads a Page post's insights from the Meta stand-in with the real client (on the Facebook
// publishing queue, as in production) and writes one snapshot row per pull, once.
import { randomUUID } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { historyToJSON } from '@temporalio/common/lib/proto-utils'
import { Worker } from '@temporalio/worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createActivities } from '../../activities'
import { metaGraphBaseUrl, publishPagePost } from '../../activities/platforms/meta/publishing'
import { metricsPullOffsets } from '../../domain/publishing'
import type { Database } from '../../platform/database'
import { createMailer } from '../../platform/mailer'
import { createLocalDiskStorage } from '../../platform/storage'
import { postMetricsWorkflowId, publishTaskQueue, type PostMetricsWorkflowInput } from '../../workflows/publish-post/definitions'
import { testTokenCipher } from '../support/api'
import { createAgency, testDatabase } from '../support/database'
import { approvedCard, publishingScope, startPublishingSandbox, type PublishingSandbox } from '../support/publishing'
import { startTimeSkippingWorker, type TimeSkippingWorker } from '../support/temporal'

const taskQueue = `post-metrics-test-${randomUUID()}`
let db: Database
let dropDatabase: () => Promise<void>
let sandbox: PublishingSandbox
let temporal: TimeSkippingWorker
let publishWorker: Worker
let publishWorkerRun: Promise<void>

beforeAll(async () => {
  ;({ db, drop: dropDatabase } = await testDatabase())
  sandbox = await startPublishingSandbox()
  const storage = createLocalDiskStorage(path.join(os.tmpdir(), `greenlight-metrics-${randomUUID()}`))
  const activities = () =>
    createActivities({
      db,
      tokenCipher: testTokenCipher,
      mailer: createMailer({ db, from: 'test@greenlight.test' }),
      oauth: sandbox.oauth,
      publishing: { storage, mediaUrl: () => 'http://media.test/launch.jpg' },
    })
  temporal = await startTimeSkippingWorker(taskQueue, activities)
  // The pulls run on the platform's queue, as the production worker arranges it.
  publishWorker = await Worker.create({ connection: temporal.env.nativeConnection, taskQueue: publishTaskQueue(taskQueue, 'facebook'), activities: activities() })
  publishWorkerRun = publishWorker.run()
}, 120_000)

afterAll(async () => {
  publishWorker?.shutdown()
  await publishWorkerRun
  await temporal?.stop()
  await sandbox?.stop()
  await dropDatabase?.()
})

describe('postMetricsWorkflow', () => {
  it('pulls a published post’s metrics on the decaying schedule, one snapshot per pull', async () => {
    const agency = await createAgency(db)
    const scope = await publishingScope(db, sandbox, agency.id)
    const card = await approvedCard(db, null, scope, { platforms: ['facebook'], media: 'none' })
    // A post that really is on the stand-in's Page.
    const target = { baseUrl: metaGraphBaseUrl(sandbox.oauth.meta), accessToken: sandbox.meta.issuePageToken(scope.accounts.facebook.externalId) }
    const { postId } = await publishPagePost(target, scope.accounts.facebook.externalId, { kind: 'feed', message: card.caption })
    const publishedAt = new Date(await temporal.env.currentTimeMs())
    const post = await db.scheduledPost.create({
      data: {
        agencyId: agency.id,
        workspaceId: scope.workspaceId,
        campaignId: scope.campaignId,
        cardId: card.id,
        socialAccountId: scope.accounts.facebook.id,
        platform: 'facebook',
        scheduledAt: publishedAt,
        timeZone: 'UTC',
        caption: card.caption,
        status: 'published',
        platformPostId: postId,
        publishedAt,
      },
    })
    const input: PostMetricsWorkflowInput = { scheduledPostId: post.id, agencyId: agency.id, platform: 'facebook', publishedAt: publishedAt.toISOString() }
    const handle = await temporal.env.client.workflow.start('postMetricsWorkflow', { workflowId: postMetricsWorkflowId(post.id), taskQueue, args: [input] })
    const result = await handle.result()

    const offsets = metricsPullOffsets()
    expect(result).toEqual({ pulls: offsets.length, missed: 0 })
    const snapshots = await db.postMetricSnapshot.findMany({ where: { scheduledPostId: post.id }, orderBy: { pullIndex: 'asc' } })
    expect(snapshots.map((snapshot) => snapshot.pullIndex)).toEqual(offsets.map((_, index) => index))
    for (const snapshot of snapshots) {
      // The stand-in's figures, in snapshot terms: reach from post_total_media_view_unique, views above it.
      expect(snapshot.views).toBeGreaterThanOrEqual(snapshot.reach ?? 0)
      expect(snapshot.engagementRate).toBeGreaterThanOrEqual(0)
      expect(snapshot.saves).toBeNull()
    }
    // The timers follow the schedule: 1 h, 6 h, 24 h, 3 d, 7 d, then weekly to 30 days.
    const history = await handle.fetchHistory()
    const timers = (history.events ?? []).flatMap((event) => (event.timerStartedEventAttributes ? [Number(event.timerStartedEventAttributes.startToFireTimeout?.seconds ?? 0)] : []))
    expect(timers.length).toBe(offsets.length)
    expect(timers[0]).toBeGreaterThan(3_500)
    expect(timers[0]).toBeLessThanOrEqual(3_600)

    if (process.env.GREENLIGHT_RECORD_HISTORIES === '1') {
      const file = path.join(import.meta.dirname, 'histories', 'post-metrics-30-days.json')
      if (!existsSync(file)) writeFileSync(file, historyToJSON(history) + '\n')
    }
  }, 120_000)

  it('stops when the post is gone', async () => {
    const input: PostMetricsWorkflowInput = { scheduledPostId: randomUUID(), agencyId: randomUUID(), platform: 'facebook', publishedAt: new Date(await temporal.env.currentTimeMs()).toISOString() }
    const result = await temporal.env.client.workflow.execute('postMetricsWorkflow', { workflowId: postMetricsWorkflowId(input.scheduledPostId), taskQueue, args: [input] })
    expect(result).toEqual({ pulls: 0, missed: 0 })
  }, 60_000)
})
