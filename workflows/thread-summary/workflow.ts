// A summary of a card's comment thread and approval decisions, asked for from the card's drawer: one activity
// reads the thread and tries the agency's provider chain, ending with the extractive summary. A workflow, not
// a plain call, so the model runs on the worker (where the keys are opened) and each request is visible in
// Temporal Web.
import { proxyActivities } from '@temporalio/workflow'
import type * as threadSummaryActivities from '../../activities/thread-summary'
import type { ThreadSummaryInput, ThreadSummaryResult } from './definitions'

type Activities = ReturnType<typeof threadSummaryActivities.createThreadSummaryActivities>

export async function threadSummaryWorkflow(input: ThreadSummaryInput): Promise<ThreadSummaryResult> {
  // One attempt: its timeout (the model budget plus reading the thread) takes most of the run's own
  // (THREAD_SUMMARY_RUN_TIMEOUT_MS), so a retry could not finish before the run ends. Someone is waiting: a
  // failure is answered at once, and asking again is theirs to do.
  const acts = proxyActivities<Activities>({
    startToCloseTimeout: input.modelBudgetMs + 2_000,
    retry: { maximumAttempts: 1 },
  })
  return acts.summarizeCardThread.executeWithOptions({ summary: 'Read the thread, then summarize it with the provider chain' }, [input])
}
