// A summary of a card's comment thread and approval decisions, asked for from the card's drawer: one activity
// reads the thread and tries the agency's provider chain, ending with the extractive summary. A workflow, not
// a plain call, so the model runs on the worker (where the keys are opened) and each request is visible in
// Temporal Web.
import { proxyActivities } from '@temporalio/workflow'
import type * as threadSummaryActivities from '../../activities/thread-summary'
import { THREAD_CARD_NOT_FOUND, type ThreadSummaryInput, type ThreadSummaryResult } from './definitions'

type Activities = ReturnType<typeof threadSummaryActivities.createThreadSummaryActivities>

export async function threadSummaryWorkflow(input: ThreadSummaryInput): Promise<ThreadSummaryResult> {
  // Reads only, so a retry is harmless; one is enough for a request someone is waiting on. The attempt's
  // timeout leaves room for the model budget plus reading the thread.
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: input.modelBudgetMs + 2_000,
    retry: { initialInterval: '250 milliseconds', maximumAttempts: 2, nonRetryableErrorTypes: [THREAD_CARD_NOT_FOUND] },
  })
  return acts.summarizeCardThread.executeWithOptions({ summary: 'Read the thread, then summarize it with the provider chain' }, [input])
}
