// AI generation: the agency's providers and keys, a campaign's AI settings, and batches of captions or
// repurposed text (run by the workflow batch:<id>; its progress is a query, cancelling is a signal).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AiSettings,
  BatchDetail,
  BatchListQuery,
  BatchProgressResponse,
  BatchSummaryRow,
  CampaignAiSettings,
  StartAssetBatchBody,
  StartRepurposeBody,
  UpdateAiSettingsBody,
  UpdateCampaignAiSettingsBody,
} from '../schemas/ai'
import { IdParams, errorResponses } from '../schemas/common'
import {
  batchProgress,
  cancelBatch,
  getAiSettings,
  getBatch,
  getCampaignAiSettings,
  listBatches,
  startAssetBatch,
  startRepurposeBatch,
  updateAiSettings,
  updateCampaignAiSettings,
  type AiDeps,
} from '../services/ai'

const aiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (): AiDeps => ({ db: app.db, temporal: app.temporal, settings: app.settings, tokenCipher: app.tokenCipher })

  app.get(
    '/api/agency/ai-settings',
    {
      config: { permission: 'ai.configure' },
      schema: {
        summary: 'The agency’s AI providers: fallback chain, models, and where each key comes from (never the key)',
        tags: ['ai'],
        response: { 200: AiSettings, ...errorResponses(401, 403) },
      },
    },
    async (request) => getAiSettings(deps(), request.tenantDb, request.user!.agency.id),
  )

  app.put(
    '/api/agency/ai-settings',
    {
      config: { permission: 'ai.configure' },
      schema: {
        summary: 'Change the provider chain, models, or the agency’s own keys (sealed at rest; null removes one)',
        tags: ['ai'],
        body: UpdateAiSettingsBody,
        response: { 200: AiSettings, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => updateAiSettings(deps(), request.tenantDb, request.user!, request.body, request.ip),
  )

  app.get(
    '/api/campaigns/:id/ai-settings',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'A campaign’s provider chain (empty: the agency’s) and auto-approval rule',
        tags: ['ai'],
        params: IdParams,
        response: { 200: CampaignAiSettings, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getCampaignAiSettings(request.tenantDb, request.params.id),
  )

  app.put(
    '/api/campaigns/:id/ai-settings',
    {
      config: { permission: 'campaign.write' },
      schema: {
        summary: 'Set a campaign’s provider chain and auto-approval (threshold and per-rubric floor)',
        tags: ['ai'],
        params: IdParams,
        body: UpdateCampaignAiSettingsBody,
        response: { 200: CampaignAiSettings, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => updateCampaignAiSettings(request.tenantDb, request.params.id, request.body),
  )

  app.post(
    '/api/workspaces/:id/ai-batches',
    {
      config: { permission: 'ai.generate' },
      schema: {
        summary: 'Start a batch: captions, hashtags and ad copy for up to 30 assets on their target platforms',
        description:
          'Each asset × platform gets `variantsPerItem` variations, scored on four rubrics. Refused with 402 PLAN_LIMIT_REACHED ' +
          'when the variations would exceed the month’s AI generations (used plus those promised to running batches).',
        tags: ['ai'],
        params: IdParams,
        body: StartAssetBatchBody,
        response: { 201: Type.Object({ batch: BatchDetail }), ...errorResponses(400, 401, 402, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const batch = await startAssetBatch(deps(), request.tenantDb, request.user!, request.params.id, request.body)
      return reply.status(201).send({ batch })
    },
  )

  app.post(
    '/api/workspaces/:id/repurpose',
    {
      config: { permission: 'ai.generate' },
      schema: {
        summary: 'Start a batch that turns a long text into platform-native pieces (thread, script, newsletter…)',
        tags: ['ai'],
        params: IdParams,
        body: StartRepurposeBody,
        response: { 201: Type.Object({ batch: BatchDetail }), ...errorResponses(400, 401, 402, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      const batch = await startRepurposeBatch(deps(), request.tenantDb, request.user!, request.params.id, request.body)
      return reply.status(201).send({ batch })
    },
  )

  app.get(
    '/api/ai-batches',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'Batches of your agency, newest first (100 at most)',
        tags: ['ai'],
        querystring: BatchListQuery,
        response: { 200: Type.Object({ batches: Type.Array(BatchSummaryRow) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ batches: await listBatches(request.tenantDb, request.query) }),
  )

  app.get(
    '/api/ai-batches/:id',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'A batch with its items and their scored variants, as stored so far',
        tags: ['ai'],
        params: IdParams,
        response: { 200: Type.Object({ batch: BatchDetail }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ batch: await getBatch(deps(), request.tenantDb, request.params.id) }),
  )

  app.get(
    '/api/ai-batches/:id/progress',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'The workflow’s live per-item progress (a query)',
        tags: ['ai'],
        params: IdParams,
        response: { 200: BatchProgressResponse, ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => batchProgress(deps(), request.tenantDb, request.params.id),
  )

  app.post(
    '/api/ai-batches/:id/cancel',
    {
      config: { permission: 'ai.generate' },
      schema: {
        summary: 'Stop the work not yet done; finished variants are kept, scored and land on their cards',
        tags: ['ai'],
        params: IdParams,
        response: { 200: Type.Object({ batch: BatchDetail }), ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => ({ batch: await cancelBatch(deps(), request.tenantDb, request.user!, request.params.id) }),
  )
}

export default aiRoutes
