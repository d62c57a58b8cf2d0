// The review grid: cards in approval, with their caption under review and AI variants side by side, and
// decisions on many of them at once. Who may decide in a round is its policy's business (domain/approvals.ts),
// checked per card.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../schemas/common'
import { BatchDecisionBody, BatchDecisionResult, ReviewList, ReviewQuery } from '../schemas/review'
import { viewerOf } from '../services/cards'
import { decideInBatch, listReviews } from '../services/reviews'

const reviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/reviews',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'Cards whose latest approval round matches the filters (default: pending), newest submission first, with the caption under review and the card’s AI variants scored',
        tags: ['approvals'],
        querystring: ReviewQuery,
        response: { 200: ReviewList, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { minScore, maxScore, limit, ...filter } = request.query
      return listReviews({ settings: app.settings }, request.tenantDb, viewerOf(request.user!), {
        ...filter,
        ...(minScore !== undefined ? { minScore: Number(minScore) } : {}),
        ...(maxScore !== undefined ? { maxScore: Number(maxScore) } : {}),
        ...(limit !== undefined ? { limit: Number(limit) } : {}),
      })
    },
  )

  app.post(
    '/api/reviews/decisions',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'The same decision on up to 100 cards, each through its round independently: 200 with one result per card (a refusal is that card’s result)',
        tags: ['approvals'],
        body: BatchDecisionBody,
        response: { 200: BatchDecisionResult, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => decideInBatch({ temporal: app.temporal, settings: app.settings }, request.tenantDb, viewerOf(request.user!), request.body, request.log),
  )
}

export default reviewRoutes
