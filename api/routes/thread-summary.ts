// A summary of a card's comments and approval decisions, on request, by the agency's AI provider chain or,
// without one, extracted from the thread itself.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, errorResponses } from '../schemas/common'
import { ThreadSummary } from '../schemas/thread-summary'
import { viewerOf } from '../services/cards'
import { summarizeCardThread } from '../services/thread-summary'

const threadSummaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/cards/:id/thread-summary',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'Summarize the card’s comment thread and approval decisions (nothing is stored)',
        description:
          'Written by the first provider of the chain (the campaign’s, else the agency’s) that answers within a few seconds; otherwise, ' +
          'or when the chain names the offline generator, an extractive summary of the thread’s own sentences (`offline: true`). ' +
          '404 when the card is not visible to the caller; 503 SUMMARY_UNAVAILABLE when no worker finished it in time.',
        tags: ['board'],
        params: IdParams,
        response: { 200: ThreadSummary, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => summarizeCardThread({ temporal: app.temporal, settings: app.settings }, request.tenantDb, viewerOf(request.user!), request.params.id),
  )
}

export default threadSummaryRoutes
