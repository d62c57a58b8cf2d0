// Approvals: policies per workspace and campaign, a card's rounds, and decisions and caption edits sent to the
// round's workflow as Updates (the answer is the round they produced; a refusal is a 4xx and changes nothing).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { DecisionKind } from '../../domain/approvals'
import { CaptionEditBody, CardApproval, DecisionBody, PolicySettings, SetPolicyBody } from '../schemas/approval'
import { IdParams, errorResponses } from '../schemas/common'
import {
  decideOnCard,
  deciderOf,
  editCaptionUnderReview,
  getCampaignPolicy,
  getCardApproval,
  getWorkspacePolicy,
  setCampaignPolicy,
  setWorkspacePolicy,
  type ApprovalDeps,
} from '../services/approvals'
import { cardRow, viewerOf } from '../services/cards'

const approvalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (): ApprovalDeps => ({ db: app.db, temporal: app.temporal, settings: app.settings })

  app.get(
    '/api/workspaces/:id/approval-policy',
    {
      config: { permission: 'workspace.read' },
      schema: { summary: 'The workspace’s approval policy (null: the default) and what submissions get', tags: ['approvals'], params: IdParams, response: { 200: PolicySettings, ...errorResponses(401, 403, 404) } },
    },
    async (request) => getWorkspacePolicy(request.tenantDb, request.params.id),
  )

  app.put(
    '/api/workspaces/:id/approval-policy',
    {
      config: { permission: 'workspace.write' },
      schema: {
        summary: 'Set the workspace’s approval policy (none, optional, required, or multi-level steps); null returns to the default',
        tags: ['approvals'],
        params: IdParams,
        body: SetPolicyBody,
        response: { 200: PolicySettings, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setWorkspacePolicy(request.tenantDb, request.user!, request.params.id, request.body.policy, request.ip),
  )

  app.get(
    '/api/campaigns/:id/approval-policy',
    {
      config: { permission: 'campaign.read' },
      schema: { summary: 'The campaign’s approval policy (null: the workspace’s) and what submissions get', tags: ['approvals'], params: IdParams, response: { 200: PolicySettings, ...errorResponses(401, 403, 404) } },
    },
    async (request) => getCampaignPolicy(request.tenantDb, request.params.id),
  )

  app.put(
    '/api/campaigns/:id/approval-policy',
    {
      // Who approves is the agency's control over what reaches clients: managers and owners set it.
      config: { permission: 'workspace.write' },
      schema: {
        summary: 'Set the campaign’s approval policy; null inherits the workspace’s. Rounds already open keep theirs.',
        tags: ['approvals'],
        params: IdParams,
        body: SetPolicyBody,
        response: { 200: PolicySettings, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setCampaignPolicy(request.tenantDb, request.user!, request.params.id, request.body.policy, request.ip),
  )

  app.get(
    '/api/cards/:id/approval',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'A card’s approval rounds (newest first, from PostgreSQL), its policy, and whether you may decide now',
        tags: ['approvals'],
        params: IdParams,
        response: { 200: CardApproval, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      await cardRow(request.tenantDb, viewerOf(request.user!), request.params.id)
      return getCardApproval(deps(), request.tenantDb, request.user!, request.params.id)
    },
  )

  app.post(
    '/api/cards/:id/approval/decisions',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'Approve, reject or request changes (with a comment) on the caption version under review',
        description:
          'Sent to the round’s workflow as an Update. Refusals: 403 NOT_AN_APPROVER, 403 SELF_APPROVAL, 409 STALE_VERSION, 409 ALREADY_DECIDED, 409 APPROVAL_NOT_PENDING, 400 COMMENT_REQUIRED; none changes the round.',
        tags: ['approvals'],
        params: IdParams,
        body: DecisionBody,
        response: { 200: Type.Ref('ApprovalRoundView'), ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      await cardRow(request.tenantDb, viewerOf(request.user!), request.params.id)
      const body = request.body
      return decideOnCard(deps(), request.tenantDb, deciderOf(request.user!), request.params.id, { kind: body.kind as DecisionKind, captionVersion: body.captionVersion, comment: body.comment ?? null })
    },
  )

  app.post(
    '/api/cards/:id/approval/caption',
    {
      config: { permission: 'card.read' },
      schema: {
        summary: 'An approver’s edit of the caption under review: a new caption version, which the round reviews from now on',
        tags: ['approvals'],
        params: IdParams,
        body: CaptionEditBody,
        response: { 200: Type.Ref('ApprovalRoundView'), ...errorResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      await cardRow(request.tenantDb, viewerOf(request.user!), request.params.id)
      return editCaptionUnderReview(deps(), request.tenantDb, deciderOf(request.user!), request.params.id, request.body)
    },
  )
}

export default approvalRoutes
