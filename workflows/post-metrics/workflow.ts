// A published post's metrics, pulled on the decaying schedule of domain/publishing.ts (1 h, 6 h, 24 h, 3 d, 7 d,
// then weekly to 30 days) into PostMetricSnapshot rows, one per pull. Durable timers between pulls; the pulls run
// on the platform's queue under the same per-account throttle as publishing.
import { ActivityFailure, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow'
import type { PublishingActivities } from '../../activities/publishing'
import { metricsPullOffsets } from '../../domain/publishing'
import { publishTaskQueue, type PostMetricsWorkflowInput } from '../publish-post/definitions'

export interface PostMetricsResult {
  pulls: number
  /** Pulls the platform did not answer after every retry: the next pull catches up. */
  missed: number
}

export async function postMetricsWorkflow(input: PostMetricsWorkflowInput): Promise<PostMetricsResult> {
  const platform = proxyActivities<PublishingActivities>({
    taskQueue: publishTaskQueue(workflowInfo().taskQueue, input.platform),
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 6 },
  })
  const publishedAt = Date.parse(input.publishedAt)
  let pulls = 0
  let missed = 0
  for (const [pullIndex, offset] of metricsPullOffsets(input.scheduleScale ?? 1).entries()) {
    const wait = publishedAt + offset - Date.now()
    if (wait > 0) await sleep(wait)
    try {
      const stillThere = await platform.pullPostMetrics.executeWithOptions({ summary: `Pull ${pullIndex + 1} of the metrics` }, [{ scheduledPostId: input.scheduledPostId, pullIndex }])
      if (!stillThere) break
      pulls += 1
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error
      missed += 1
    }
  }
  return { pulls, missed }
}
