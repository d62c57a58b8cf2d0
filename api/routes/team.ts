// The team: members and roles, invites, and the public side of an invite (preview and accept).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, errorResponses } from '../schemas/common'
import {
  AcceptInviteBody,
  ChangeRoleBody,
  CreateInviteBody,
  InviteCreated,
  InvitePreview,
  InviteTokenParams,
  TeamMember,
  TeamResponse,
} from '../schemas/team'
import { acceptInvite, createInvite, previewInvite, revokeInvite } from '../services/invites'
import { changeMemberRole, listTeam, removeMember } from '../services/team'
import { startSession, userDto } from './auth'

const teamRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/team',
    {
      config: { permission: 'team.read' },
      schema: {
        summary: 'Members of your agency and pending invites',
        tags: ['team'],
        response: { 200: TeamResponse, ...errorResponses(401, 403) },
      },
    },
    async (request) => listTeam(request.tenantDb, request.user!),
  )

  app.post(
    '/api/team/invites',
    {
      config: { permission: 'team.invite' },
      schema: {
        summary: 'Invite someone by e-mail with a role (replaces their pending invite; uses a seat of the plan)',
        description: 'The e-mail carries a single-use link that expires in 7 days. The link is never part of a response.',
        tags: ['team'],
        body: CreateInviteBody,
        response: { 201: InviteCreated, ...errorResponses(400, 401, 402, 403, 409) },
      },
    },
    async (request, reply) => {
      const created = await createInvite(
        { db: app.db, tenantDb: request.tenantDb, mailer: app.mailer, webUrl: app.settings.webUrl },
        request.user!,
        request.body,
        request.ip,
      )
      return reply.status(201).send(created)
    },
  )

  app.delete(
    '/api/team/invites/:id',
    {
      config: { permission: 'team.invite' },
      schema: {
        summary: 'Revoke a pending invite: its link stops working',
        tags: ['team'],
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await revokeInvite({ tenantDb: request.tenantDb }, request.user!, request.params.id, request.ip)
      return reply.status(204).send(null)
    },
  )

  app.patch(
    '/api/team/members/:id',
    {
      config: { permission: 'team.manage' },
      schema: {
        summary: 'Change a member\'s role',
        description: 'Nobody changes their own role, the agency keeps at least one owner, and only owners make owners or managers.',
        tags: ['team'],
        params: IdParams,
        body: ChangeRoleBody,
        response: { 200: Type.Object({ member: TeamMember }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ member: await changeMemberRole(request.tenantDb, request.user!, request.params.id, request.body.role, request.ip) }),
  )

  app.delete(
    '/api/team/members/:id',
    {
      config: { permission: 'team.manage' },
      schema: {
        summary: 'Remove a member from the agency (their account and sessions end)',
        tags: ['team'],
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await removeMember(request.tenantDb, request.user!, request.params.id, request.ip)
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/api/invites/:token',
    {
      config: { public: true },
      // The path carries the invite token: the per-request info lines (which print the URL) stay out of the log.
      logLevel: 'warn',
      schema: {
        summary: 'What an invite link is for: agency, e-mail and role',
        description: 'INVITE_INVALID (400) for an unknown token; INVITE_EXPIRED, INVITE_USED or INVITE_REVOKED (410).',
        tags: ['team'],
        params: InviteTokenParams,
        response: { 200: InvitePreview, ...errorResponses(400, 410) },
      },
    },
    async (request) => previewInvite(app.db, request.params.token),
  )

  app.post(
    '/api/invites/:token/accept',
    {
      // The token itself proves the request, as a reset link does; there is no session to take a CSRF token from.
      config: { public: true, csrf: false },
      logLevel: 'warn',
      schema: {
        summary: 'Accept an invite: creates your account in the agency with the invited role and signs you in (sets gl_session)',
        tags: ['team'],
        params: InviteTokenParams,
        body: AcceptInviteBody,
        response: { 201: Type.Object({ user: Type.Ref('User') }), ...errorResponses(400, 409, 410) },
      },
    },
    async (request, reply) => {
      const user = await acceptInvite(app.db, request.params.token, request.body, request.ip)
      const sessionUser = await startSession(app, reply, user.id)
      return reply.status(201).send({ user: userDto(sessionUser) })
    },
  )
}

export default teamRoutes
