import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CampaignEvent, CampaignWithState, CreateCampaignBody } from '../schemas/campaign'
import { IdParams, errorResponses } from '../schemas/common'
import {
  campaignEvents,
  campaignWorkflowState,
  createCampaign,
  findCampaign,
  listCampaigns,
  setCampaignPaused,
  toCampaignDto,
  type CampaignDeps,
} from '../services/campaigns'

const campaignRoutes: FastifyPluginAsyncTypebox<{ defaultLaunchDelaySeconds: number }> = async (app, options) => {
  const deps = (): CampaignDeps => ({
    db: app.db,
    temporal: app.temporal,
    settings: app.settings,
    defaultLaunchDelaySeconds: options.defaultLaunchDelaySeconds,
  })

  app.get(
    '/api/campaigns',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'Campaigns of your agency, newest first',
        tags: ['campaigns'],
        response: { 200: Type.Object({ campaigns: Type.Array(Type.Ref('Campaign')) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ campaigns: await listCampaigns(deps(), request.tenantDb) }),
  )

  app.post(
    '/api/campaigns',
    {
      config: { permission: 'campaign.write' },
      schema: {
        summary: 'Create a campaign and start its workflow (campaign:<id>)',
        tags: ['campaigns'],
        body: CreateCampaignBody,
        response: { 201: Type.Object({ campaign: Type.Ref('Campaign') }), ...errorResponses(400, 401, 402, 403, 503) },
      },
    },
    async (request, reply) => {
      const campaign = await createCampaign(deps(), request.user!, request.body)
      return reply.status(201).send({ campaign })
    },
  )

  app.get(
    '/api/campaigns/:id',
    {
      config: { permission: 'campaign.read' },
      schema: {
        summary: 'A campaign with its live workflow state and recent events',
        tags: ['campaigns'],
        params: IdParams,
        response: {
          200: Type.Object({
            campaign: Type.Ref('Campaign'),
            workflow: Type.Union([Type.Ref('WorkflowState'), Type.Null()]),
            events: Type.Array(CampaignEvent),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const row = await findCampaign(request.tenantDb, request.params.id)
      const [workflow, events] = await Promise.all([
        campaignWorkflowState(deps(), row.workflowId),
        campaignEvents(request.tenantDb, row.id),
      ])
      return { campaign: toCampaignDto(row, app.settings), workflow, events }
    },
  )

  for (const action of ['pause', 'resume'] as const) {
    app.post(
      `/api/campaigns/:id/${action}`,
      {
      config: { permission: 'campaign.write' },
        schema: {
          summary: action === 'pause' ? 'Pause a campaign (a signal to its workflow)' : 'Resume a paused campaign',
          tags: ['campaigns'],
          params: IdParams,
          response: { 200: CampaignWithState, ...errorResponses(400, 401, 403, 404, 409, 503) },
        },
      },
      async (request) => setCampaignPaused(deps(), request.tenantDb, request.user!, request.params.id, action === 'pause'),
    )
  }
}

export default campaignRoutes
