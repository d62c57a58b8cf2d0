// The thread summary workflow's contract, shared by the workflow, its activity and the API that executes it.
// One short run per request: `thread-summary:<cardId>:<requestId>`.
import type { AiProvider } from '../../domain/ai-content'

export const THREAD_SUMMARY_WORKFLOW_TYPE = 'threadSummaryWorkflow'

/**
 * How long the providers may take in all before the extractive summary answers instead. The summary is asked
 * for from a page, and the web server waits 10 s for the API: model time, reading the thread and the run's own
 * overhead fit inside that.
 */
export const THREAD_SUMMARY_MODEL_BUDGET_MS = 6_000
/** The longest a run may take; past it the API answers 503 (no worker took the task). */
export const THREAD_SUMMARY_RUN_TIMEOUT_MS = 9_000

/** The failure type when the card was deleted before its thread was read: retrying cannot help. */
export const THREAD_CARD_NOT_FOUND = 'CardNotFound'

export interface ThreadSummaryInput {
  cardId: string
  agencyId: string
  /** THREAD_SUMMARY_MODEL_BUDGET_MS, unless a caller can wait longer or less. */
  modelBudgetMs: number
}

export interface ThreadSummaryResult {
  summary: string
  /** Who asked for or decided what, oldest first. */
  bullets: string[]
  /** Who wrote it: a model of the agency's provider chain, or `offline` for the extractive summary. */
  provider: AiProvider
  /** True for the extractive summary: the thread's own sentences, no model involved. */
  offline: boolean
  model: string
  /** The card's comments that were read (the newest 500 at most). */
  commentCount: number
}

const PREFIX = 'thread-summary:'

export function threadSummaryWorkflowId(cardId: string, requestId: string): string {
  return `${PREFIX}${cardId}:${requestId}`
}

export function parseThreadSummaryWorkflowId(workflowId: string): { cardId: string; requestId: string } | null {
  const match = /^thread-summary:([0-9a-f-]{36}):([0-9a-f-]{36})$/.exec(workflowId)
  return match ? { cardId: match[1]!, requestId: match[2]! } : null
}
