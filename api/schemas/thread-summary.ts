// The summary of a card's comment thread and approval decisions, written by a model of the agency's provider
// chain or, offline, extracted from the thread's own sentences.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { THREAD_SUMMARY_LIMITS } from '../../domain/thread-summary'
import { AiProviderId } from './ai'

export const ThreadSummary = Type.Object(
  {
    summary: Type.String({ maxLength: THREAD_SUMMARY_LIMITS.summaryChars, description: 'Where the discussion stands, in a few sentences.' }),
    bullets: Type.Array(Type.String({ maxLength: THREAD_SUMMARY_LIMITS.bulletChars }), {
      maxItems: THREAD_SUMMARY_LIMITS.bullets,
      description: 'Who asked for or decided what, oldest first.',
    }),
    provider: AiProviderId,
    providerLabel: Type.String({ description: 'The provider as the UI names it.' }),
    offline: Type.Boolean({ description: 'True for the extractive summary: the thread’s own sentences, no AI model involved.' }),
    model: Type.String(),
    commentCount: Type.Integer({ minimum: 0, description: 'Comments read (the newest 500 at most), besides the approval decisions.' }),
    workflowId: Type.String({ description: 'The run that wrote it: thread-summary:<cardId>:<requestId>.' }),
  },
  { additionalProperties: false },
)
export type ThreadSummary = Static<typeof ThreadSummary>
