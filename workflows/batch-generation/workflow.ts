// A batch of AI generation: every item (an asset on a platform, or a repurposing format) gets its variations
// written by the first provider of the chain that can, then judged and scored, then lands on its card. Items
// run side by side; the providers' task queues cap how many calls run at once. A failed variant falls back
// to the next provider; an item none of them could write is marked failed and the batch goes on. A cancel
// signal stops what has not finished and keeps (and scores) what has.
import {
  ActivityCancellationType,
  ActivityFailure,
  type ActivityOptions,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow'
import type * as batchActivities from '../../activities/ai/batch'
import type { AiProvider } from '../../domain/ai-content'
import {
  batchProgressQuery,
  cancelBatchSignal,
  PROVIDER_NOT_CONFIGURED,
  PROVIDER_REFUSED,
  providerTaskQueue,
  type BatchGenerationInput,
  type BatchItemPlan,
  type BatchItemProgress,
  type BatchProgress,
  type BatchSummary,
  type SkippedProvider,
} from './definitions'

type Activities = ReturnType<typeof batchActivities.createAiBatchActivities>
type JudgeOutcome = Awaited<ReturnType<Activities['judgeVariants']>>

// Provider calls: a few quick attempts, then the next provider of the chain. 429s are waited out inside the
// call (retry-after); a refused or missing key is not retried at all. The heartbeat timeout notices a dead
// worker within seconds and delivers a cancellation to a call in flight.
const providerCallOptions: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '10 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 3,
    nonRetryableErrorTypes: [PROVIDER_REFUSED, PROVIDER_NOT_CONFIGURED],
  },
}

function providerActivities(provider: AiProvider) {
  if (provider === 'offline') {
    // Local templates: no queue of their own, nothing to wait for.
    return proxyActivities<Activities>({
      ...providerCallOptions,
      startToCloseTimeout: '1 minute',
      retry: { ...providerCallOptions.retry, maximumAttempts: 5 },
    })
  }
  return proxyActivities<Activities>({ ...providerCallOptions, taskQueue: providerTaskQueue(workflowInfo().taskQueue, provider) })
}

// Database writes: idempotent and quick; retried for a long while rather than losing finished work.
const store = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
})

function failureReason(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error
  return cause instanceof Error ? cause.message : String(cause)
}

export async function batchGenerationWorkflow(input: BatchGenerationInput): Promise<BatchSummary> {
  const items: BatchItemProgress[] = input.items.map((item) => ({
    index: item.index,
    label: item.label,
    format: item.format,
    status: 'queued',
    variantsDone: 0,
    variantsFailed: 0,
    providers: Array.from({ length: input.variantsPerItem }, () => null),
    error: null,
  }))
  let status: BatchProgress['status'] = 'running'
  let cancelledBy: string | null = null
  let chain: AiProvider[] = input.providerChain
  let skippedProviders: SkippedProvider[] = []
  const work = new CancellationScope()

  setHandler(cancelBatchSignal, ({ by }) => {
    if (status !== 'running' || cancelledBy !== null) return
    cancelledBy = by.name
    work.cancel()
  })
  setHandler(batchProgressQuery, () => ({
    status,
    skippedProviders,
    variantsPlanned: input.items.length * input.variantsPerItem,
    variantsDone: items.reduce((sum, item) => sum + item.variantsDone, 0),
    items,
    cancelledBy,
  }))

  /** The variant from the first provider of the chain that writes it; null when none could. */
  async function generateVariant(plan: BatchItemPlan, variantIndex: number, reasons: string[]): Promise<AiProvider | null> {
    for (const provider of chain) {
      try {
        const stored = await providerActivities(provider).generateVariant.executeWithOptions(
          { summary: `${plan.label}: variant ${variantIndex + 1} by ${provider}` },
          [{ batchId: input.batchId, itemIndex: plan.index, variantIndex, provider }],
        )
        return stored.provider
      } catch (error) {
        if (isCancellation(error)) throw error
        reasons.push(`${provider}: ${failureReason(error)}`)
      }
    }
    return null
  }

  /** The LLM judge of the first provider with a model that answers; null means rule checks only. */
  async function judge(plan: BatchItemPlan, reasons: string[]): Promise<JudgeOutcome> {
    for (const provider of chain) {
      if (provider === 'offline') break
      try {
        return await providerActivities(provider).judgeVariants.executeWithOptions(
          { summary: `${plan.label}: judge by ${provider}` },
          [{ batchId: input.batchId, itemIndex: plan.index, provider }],
        )
      } catch (error) {
        if (isCancellation(error)) throw error
        reasons.push(`judge ${provider}: ${failureReason(error)}`)
      }
    }
    return null
  }

  function summarise(): BatchSummary {
    const itemsDone = items.filter((item) => item.status === 'done').length
    const itemsFailed = items.filter((item) => item.status === 'failed').length
    const byProvider: BatchSummary['byProvider'] = {}
    for (const item of items) {
      for (const provider of item.providers) if (provider) byProvider[provider] = (byProvider[provider] ?? 0) + 1
    }
    return {
      status: status === 'cancelled' ? 'cancelled' : itemsDone === 0 && itemsFailed > 0 ? 'failed' : 'completed',
      variantsPlanned: input.items.length * input.variantsPerItem,
      variantsGenerated: items.reduce((sum, item) => sum + item.variantsDone, 0),
      itemsDone,
      itemsFailed,
      itemsCancelled: items.filter((item) => item.status === 'cancelled').length,
      byProvider,
      failures: items.filter((item) => item.error).map((item) => ({ index: item.index, label: item.label, reason: item.error! })),
      skippedProviders,
      cancelledBy,
    }
  }

  function finishInput(itemIndex: number, verdicts: JudgeOutcome, judgeNote: string | null, error: string | null) {
    return { batchId: input.batchId, itemIndex, judge: verdicts, judgeNote, autoApprove: input.autoApprove, error }
  }

  async function runItem(plan: BatchItemPlan): Promise<void> {
    const progress = items[plan.index]!
    progress.status = 'generating'
    const reasons: string[] = []
    // Settled, not all: after a cancel, every call still running has finished (or given up) before the item is
    // finished, so a variant stored at the last moment is scored with the others rather than stranded.
    const outcomes = await Promise.allSettled(
      Array.from({ length: input.variantsPerItem }, async (_, variantIndex) => {
        const provider = await generateVariant(plan, variantIndex, reasons)
        if (provider) {
          progress.providers[variantIndex] = provider
          progress.variantsDone += 1
        } else {
          progress.variantsFailed += 1
        }
      }),
    )
    const rejected = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
    if (rejected) throw rejected.reason
    if (progress.variantsDone === 0) {
      progress.status = 'failed'
      const why = [...skippedProviders.map((skip) => `${skip.provider}: ${skip.reason}`), ...reasons]
      progress.error = chain.length ? `No provider could write this item. ${why.join(' · ')}` : `No provider of the chain has a key. ${why.join(' · ')}`
      await store.finishItem({ ...finishInput(plan.index, null, null, progress.error), ifEmpty: 'failed' })
      return
    }
    progress.status = 'scoring'
    const judgeNotes: string[] = []
    const verdicts = await judge(plan, judgeNotes)
    // A variant another provider wrote after a fallback is no failure: its provider is on record.
    if (progress.variantsFailed > 0) progress.error = `${progress.variantsFailed} variant(s) failed. ${reasons.join(' · ')}`
    await store.finishItem.executeWithOptions({ summary: `${plan.label}: score and land on the card` }, [
      {
        ...finishInput(plan.index, verdicts, verdicts ? null : judgeNotes.join(' · ') || 'No AI model in the chain to judge: rule checks only.', progress.error),
        ifEmpty: 'failed',
      },
    ])
    progress.status = 'done'
  }

  // Providers without a key are left out up front, each with its reason (shown on the batch page).
  ;({ usable: chain, skipped: skippedProviders } = await store.usableProviders.executeWithOptions(
    { summary: `Which of ${input.providerChain.join(' → ')} have a key` },
    [{ agencyId: input.agencyId, chain: input.providerChain }],
  ))

  try {
    await Promise.all(
      input.items.map((plan) =>
        work.run(() => runItem(plan)).catch((error: unknown) => {
          if (!isCancellation(error)) throw error
        }),
      ),
    )
  } catch (error) {
    // Something no retry fixed (a row gone, a bug): the batch is marked failed, so it stops holding its share of
    // the month's generations, and the run fails with the cause.
    await store.finishBatch({ batchId: input.batchId, summary: { ...summarise(), status: 'failed', failures: [{ index: -1, label: 'Batch', reason: failureReason(error) }] } })
    throw error
  }

  // After a cancel: what finished is kept. Items with stored variants are scored by the rule checks alone
  // (no more provider calls) and land on their cards; the others are marked cancelled.
  if (cancelledBy !== null) {
    for (const progress of items) {
      if (progress.status === 'done' || progress.status === 'failed') continue
      // The database, not this run's counts, says what finished: a call may have stored its variant just as
      // the cancellation reached it.
      const outcome = await store.finishItem({
        ...finishInput(progress.index, null, `Cancelled by ${cancelledBy} before the judge ran`, `Cancelled by ${cancelledBy}`),
        ifEmpty: 'cancelled',
      })
      progress.status = outcome.status
      progress.providers = outcome.providers
      progress.variantsDone = outcome.providers.filter(Boolean).length
      if (progress.variantsDone < input.variantsPerItem) {
        progress.error = `Cancelled by ${cancelledBy} after ${progress.variantsDone} of ${input.variantsPerItem} variants`
      }
    }
  }

  status = cancelledBy === null ? 'completed' : 'cancelled'
  const summary = summarise()
  const allFailed = summary.status === 'failed'
  await store.finishBatch({ batchId: input.batchId, summary })
  if (allFailed) {
    // Every item failed: the run fails too, so it stands out in Temporal Web; the summary is already stored.
    throw ApplicationFailure.nonRetryable(
      `No item of batch ${input.batchId} could be generated: check the providers' keys and status in Settings → AI.`,
      'BatchFailed',
    )
  }
  return summary
}
