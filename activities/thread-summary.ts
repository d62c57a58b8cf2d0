// The thread summary's side effects: reading a card's comments and its approval rounds' decisions from
// PostgreSQL, then asking the agency's provider chain (the campaign's, else the agency's, else the default) for
// a summary, one provider after another, within the request's model budget. The extractive summary
// (domain/thread-summary.ts) is the last resort and the answer of the offline provider. Reads only: safe to
// run again. The calls do not queue for the batches' provider slots (activities/ai/provider-slots.ts): a summary
// is one call someone is waiting for, and a wait behind a running batch would use up its budget.
import { ApplicationFailure, Context } from '@temporalio/activity'
import { AI_PROVIDER_LABELS, providerChainFor, type AiProvider } from '../domain/ai-content'
import { DECISION_KINDS, type DecisionKind } from '../domain/approvals'
import {
  EXTRACTIVE_SUMMARY_MODEL,
  parseThreadSummaryAnswer,
  summarizeThreadExtractively,
  threadSummaryJsonSchema,
  threadSummaryPrompt,
  THREAD_SUMMARY_SCHEMA_NAME,
  type CardThread,
  type ThreadDecision,
} from '../domain/thread-summary'
import type { Database } from '../platform/database'
import { THREAD_CARD_NOT_FOUND, type ThreadSummaryInput, type ThreadSummaryResult } from '../workflows/thread-summary/definitions'
import type { AiProviderRegistry } from './ai/providers'
import { ProviderError, type AiProviderClient } from './ai/types'

export interface ThreadSummaryActivityDeps {
  db: Database
  /** The agencies' AI clients (activities/ai/providers.ts); without them only the extractive summary answers. */
  providers?: AiProviderRegistry | null
}

/** The newest comments read; older ones of a very long thread are left out. */
const THREAD_COMMENTS_MAX = 500

/** An ApprovalRound's `decisions` JSON as thread entries; anything not shaped like a decision is skipped. */
function decisionsOf(round: number, decisions: unknown): ThreadDecision[] {
  if (!Array.isArray(decisions)) return []
  return decisions.flatMap((item: unknown) => {
    const record = item as { kind?: unknown; by?: { name?: unknown }; captionVersion?: unknown; comment?: unknown; at?: unknown } | null
    if (!record || typeof record.at !== 'string' || !DECISION_KINDS.includes(record.kind as DecisionKind) || typeof record.by?.name !== 'string') return []
    return [
      {
        author: record.by.name,
        at: record.at,
        kind: record.kind as DecisionKind,
        round,
        captionVersion: typeof record.captionVersion === 'number' ? record.captionVersion : 0,
        comment: typeof record.comment === 'string' && record.comment.trim() !== '' ? record.comment : null,
      },
    ]
  })
}

export function createThreadSummaryActivities({ db, providers = null }: ThreadSummaryActivityDeps) {
  async function loadThread(input: ThreadSummaryInput): Promise<{ thread: CardThread; chain: AiProvider[] }> {
    const { cardId, agencyId } = input
    const card = await db.contentTask.findFirst({ where: { id: cardId, agencyId }, select: { title: true, campaign: { select: { aiProviderChain: true } } } })
    if (!card) {
      throw ApplicationFailure.nonRetryable(`Card ${cardId} is gone (deleted after the summary was asked for): there is nothing to summarize.`, THREAD_CARD_NOT_FOUND)
    }
    const [comments, rounds, settings] = await Promise.all([
      db.cardComment.findMany({
        where: { cardId, agencyId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: THREAD_COMMENTS_MAX,
        select: { authorName: true, body: true, createdAt: true },
      }),
      db.approvalRound.findMany({ where: { cardId, agencyId }, orderBy: { round: 'asc' }, select: { round: true, decisions: true } }),
      db.agencyAiSettings.findUnique({ where: { agencyId }, select: { providerChain: true } }),
    ])
    return {
      thread: {
        cardTitle: card.title,
        comments: comments.reverse().map((comment) => ({ author: comment.authorName, at: comment.createdAt.toISOString(), body: comment.body })),
        decisions: rounds.flatMap((row) => decisionsOf(row.round, row.decisions)),
      },
      chain: providerChainFor({ campaign: card.campaign.aiProviderChain, agency: settings?.providerChain }),
    }
  }

  /** The agency's client for a keyed provider; null (and a log line) when it has no key or the key cannot be opened. */
  async function clientFor(agencyId: string, provider: AiProvider): Promise<AiProviderClient | null> {
    const log = Context.current().log
    if (!providers) return null
    try {
      const client = await providers.forAgency(agencyId, provider)
      if (!client) log.info(`Thread summary: no ${AI_PROVIDER_LABELS[provider]} key for this agency; next provider.`)
      return client
    } catch (error) {
      log.warn(`Thread summary: the agency's ${AI_PROVIDER_LABELS[provider]} key cannot be opened (${error instanceof Error ? error.message : String(error)}); next provider.`)
      return null
    }
  }

  return {
    /**
     * The card's thread summarized by the first provider of the chain that answers well within the budget;
     * otherwise (the chain names `offline`, no key, failures, time up, or nothing to summarize) extractively.
     */
    async summarizeCardThread(input: ThreadSummaryInput): Promise<ThreadSummaryResult> {
      const context = Context.current()
      const { thread, chain } = await loadThread(input)
      const commentCount = thread.comments.length
      const extractive = (): ThreadSummaryResult => ({ ...summarizeThreadExtractively(thread), provider: 'offline', offline: true, model: EXTRACTIVE_SUMMARY_MODEL, commentCount })
      // An empty thread has nothing a model could add: no call is paid for.
      if (thread.comments.length === 0 && thread.decisions.length === 0) return extractive()

      const budget = AbortSignal.timeout(input.modelBudgetMs)
      const prompt = threadSummaryPrompt(thread)
      for (const provider of chain) {
        if (provider === 'offline' || budget.aborted) break
        const client = await clientFor(input.agencyId, provider)
        if (!client) continue
        const label = AI_PROVIDER_LABELS[provider]
        try {
          const answer = await client.completeJson(
            {
              ...prompt,
              schemaName: THREAD_SUMMARY_SCHEMA_NAME,
              schema: threadSummaryJsonSchema(provider === 'gemini' ? 'gemini' : 'openai'),
              requestKey: context.info.workflowExecution?.workflowId ?? `thread-summary:${input.cardId}`,
            },
            AbortSignal.any([context.cancellationSignal, budget]),
          )
          const content = answer ? parseThreadSummaryAnswer(answer.value) : null
          if (answer && content) return { ...content, provider, offline: false, model: answer.model, commentCount }
          context.log.warn(`Thread summary: ${label} answered without a summary and bullets; next provider.`)
        } catch (error) {
          if (context.cancellationSignal.aborted) throw error
          if (budget.aborted) {
            context.log.warn(`Thread summary: ${label} did not answer within ${input.modelBudgetMs} ms; answering with the extractive summary.`)
            break
          }
          // ProviderError messages never carry a key (provider-errors.ts redacts them).
          if (!(error instanceof ProviderError)) throw error
          context.log.warn(`Thread summary: ${error.message}; next provider.`)
        }
      }
      return extractive()
    },
  }
}
