// A card's thread summarized on request: the card is read as the viewer may see it (404 otherwise), then the
// short workflow thread-summary:<cardId>:<requestId> runs its one activity on the worker, where the agency's
// AI keys are opened, and its result is the answer. Nothing is stored.
import { randomUUID } from 'node:crypto'
import { ApplicationFailure, WorkflowFailedError, type Client } from '@temporalio/client'
import { AI_PROVIDER_LABELS } from '../../domain/ai-content'
import type { TenantDatabase } from '../../platform/tenant-scope'
import { AgencyIdAttribute, CampaignIdAttribute } from '../../workflows/campaign/definitions'
import {
  THREAD_CARD_NOT_FOUND,
  THREAD_SUMMARY_MODEL_BUDGET_MS,
  THREAD_SUMMARY_RUN_TIMEOUT_MS,
  THREAD_SUMMARY_WORKFLOW_TYPE,
  threadSummaryWorkflowId,
  type ThreadSummaryInput,
  type ThreadSummaryResult,
} from '../../workflows/thread-summary/definitions'
import { ApiError, notFound } from '../errors'
import type { ThreadSummary } from '../schemas/thread-summary'
import type { ApiSettings } from '../types'
import { cardRow, type Viewer } from './cards'

export interface ThreadSummaryDeps {
  temporal: Client
  settings: ApiSettings
}

/** The failure type somewhere down a workflow failure's causes (activity failure, then application failure). */
function failureType(error: unknown): string | null {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type) return cause.type
  }
  return null
}

export async function summarizeCardThread(deps: ThreadSummaryDeps, db: TenantDatabase, viewer: Viewer, cardId: string): Promise<ThreadSummary> {
  const card = await cardRow(db, viewer, cardId)
  const workflowId = threadSummaryWorkflowId(card.id, randomUUID())
  const input: ThreadSummaryInput = { cardId: card.id, agencyId: viewer.user.agency.id, modelBudgetMs: THREAD_SUMMARY_MODEL_BUDGET_MS }
  let result: ThreadSummaryResult
  try {
    result = await deps.temporal.workflow.execute(THREAD_SUMMARY_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: deps.settings.temporal.taskQueue,
      args: [input],
      // Someone waits for the answer: a run no worker picks up ends here rather than waiting for one.
      workflowExecutionTimeout: THREAD_SUMMARY_RUN_TIMEOUT_MS,
      staticSummary: `Summary of the thread on “${card.title}”`,
      typedSearchAttributes: [
        { key: AgencyIdAttribute, value: input.agencyId },
        { key: CampaignIdAttribute, value: card.campaignId },
      ],
    })
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) {
      throw new ApiError(503, 'TEMPORAL_UNAVAILABLE', 'Temporal did not take the summary request. Try again in a moment.', undefined, { cause: error })
    }
    if (failureType(error) === THREAD_CARD_NOT_FOUND) throw notFound('Card')
    throw new ApiError(
      503,
      'SUMMARY_UNAVAILABLE',
      `The summary did not finish within ${THREAD_SUMMARY_RUN_TIMEOUT_MS / 1000} s: the worker may be stopped or busy. Try again in a moment.`,
      undefined,
      { cause: error },
    )
  }
  return { ...result, providerLabel: AI_PROVIDER_LABELS[result.provider], workflowId }
}
