// Campaign briefs: list, create (blank or from an industry template), edit, deliverables, status changes
// (launching starts the workflow campaign:<id>).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { INDUSTRY_TEMPLATES, INDUSTRY_TEMPLATE_IDS } from '../../domain/campaign-brief'
import {
  CampaignDetail,
  CampaignListQuery,
  ChangeStatusBody,
  CreateCampaignBody,
  SaveDeliverablesBody,
  Template,
  UpdateCampaignBody,
} from '../schemas/campaign'
import { IdParams, errorResponses } from '../schemas/common'
import {
  changeCampaignStatus,
  createCampaign,
  getCampaignDetail,
  listCampaigns,
  saveDeliverables,
  updateCampaign,
  type CampaignDeps,
} from '../services/campaigns'

const campaignRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (): CampaignDeps => ({ db: app.db, temporal: app.temporal, settings: app.settings })

  app.get(
    '/api/campaigns',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'Campaign briefs of your agency, newest first',
        tags: ['campaigns'],
        querystring: CampaignListQuery,
        response: { 200: Type.Object({ campaigns: Type.Array(Type.Ref('Campaign')) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ campaigns: await listCampaigns(app.settings, request.tenantDb, request.query) }),
  )

  app.get(
    '/api/campaign-templates',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'Industry templates that prefill a brief',
        tags: ['campaigns'],
        response: { 200: Type.Object({ templates: Type.Array(Template) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({
      templates: INDUSTRY_TEMPLATE_IDS.map((id) => {
        const template = INDUSTRY_TEMPLATES[id]
        return {
          id,
          label: template.label,
          description: template.description,
          suggestedName: template.suggestedName,
          objective: template.objective,
          platforms: template.platforms,
          contentVolume: template.contentVolume,
          suggestedBudgetMinor: template.suggestedBudgetMinor,
          deliverableMix: template.deliverableMix,
        }
      }),
    }),
  )

  app.post(
    '/api/campaigns',
    {
      config: { permission: 'campaign.write' },
      schema: {
        summary: 'Create a draft brief in a workspace, blank or from an industry template',
        tags: ['campaigns'],
        body: CreateCampaignBody,
        response: { 201: Type.Object({ campaign: Type.Ref('Campaign') }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const campaign = await createCampaign(deps(), request.tenantDb, request.user!, request.body)
      return reply.status(201).send({ campaign })
    },
  )

  app.get(
    '/api/campaigns/:id',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'A brief with its deliverables, readiness check, live workflow state and recent events',
        tags: ['campaigns'],
        params: IdParams,
        response: { 200: CampaignDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getCampaignDetail(deps(), request.tenantDb, request.user!, request.params.id),
  )

  app.patch(
    '/api/campaigns/:id',
    {
      config: { permission: 'campaign.write' },
      schema: {
        summary: 'Edit the brief (a ready brief that stops passing its readiness check goes back to draft)',
        tags: ['campaigns'],
        params: IdParams,
        body: UpdateCampaignBody,
        response: { 200: CampaignDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateCampaign(deps(), request.tenantDb, request.user!, request.params.id, request.body),
  )

  app.put(
    '/api/campaigns/:id/deliverables',
    {
      config: { permission: 'campaign.write' },
      schema: {
        summary: 'Replace the deliverables; each assigned one gets a card per unit on the board',
        tags: ['campaigns'],
        params: IdParams,
        body: SaveDeliverablesBody,
        response: { 200: CampaignDetail, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => saveDeliverables(deps(), request.tenantDb, request.user!, request.params.id, request.body.deliverables),
  )

  app.post(
    '/api/campaigns/:id/status',
    {
      config: { permission: 'campaign.write' },
      schema: {
        summary: 'Move the brief to another status: mark ready, launch (starts campaign:<id>), pause, resume, complete, archive, restore',
        tags: ['campaigns'],
        params: IdParams,
        body: ChangeStatusBody,
        response: { 200: CampaignDetail, ...errorResponses(400, 401, 402, 403, 404, 409, 503) },
      },
    },
    async (request) => changeCampaignStatus(deps(), request.tenantDb, request.user!, request.params.id, request.body.to),
  )
}

export default campaignRoutes
