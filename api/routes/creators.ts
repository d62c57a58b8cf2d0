// Creators and their connected social accounts: profiles (CRUD), the OAuth connect round trip for Meta and
// TikTok, and disconnecting. Tokens never appear in any answer.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { IdParams, errorResponses } from '../schemas/common'
import {
  AccountParams,
  ConnectParams,
  ConnectStart,
  CreateCreatorBody,
  Creator,
  CreatorDetail,
  LinkableUser,
  OAuthCallbackBody,
  OAuthCallbackResult,
  PlatformParams,
  SocialAccount,
  UpdateCreatorBody,
} from '../schemas/creator'
import { createCreator, getCreator, listCreators, listLinkableUsers, updateCreator } from '../services/creators'
import { completeConnect, deleteCreator, disconnectAccount, startConnect, type SocialAccountDeps } from '../services/social-accounts'

const creatorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (request: FastifyRequest): SocialAccountDeps => ({
    tenantDb: request.tenantDb,
    temporal: app.temporal,
    settings: app.settings,
    tokenCipher: app.tokenCipher,
    log: request.log,
  })

  app.get(
    '/api/creators',
    {
      config: { permission: 'creator.read' },
      schema: {
        summary: 'Creators of your agency with account counts (a creator-role user sees their own profile only)',
        tags: ['creators'],
        response: { 200: Type.Object({ creators: Type.Array(Creator) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ creators: await listCreators(request.tenantDb, request.user!) }),
  )

  app.post(
    '/api/creators',
    {
      config: { permission: 'creator.write' },
      schema: {
        summary: 'Create a creator profile, optionally linked to a user with the creator role',
        tags: ['creators'],
        body: CreateCreatorBody,
        response: { 201: Type.Object({ creator: Creator }), ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send({ creator: await createCreator(request.tenantDb, request.user!, request.body) }),
  )

  app.get(
    '/api/creators/linkable-users',
    {
      config: { permission: 'creator.write' },
      schema: {
        summary: 'Users with the creator role, and the profile each is linked to',
        tags: ['creators'],
        response: { 200: Type.Object({ users: Type.Array(LinkableUser) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ users: await listLinkableUsers(request.tenantDb) }),
  )

  app.get(
    '/api/creators/:id',
    {
      config: { permission: 'creator.read' },
      schema: {
        summary: 'A creator with all its social accounts (status, token expiry, scopes; never tokens)',
        tags: ['creators'],
        params: IdParams,
        response: { 200: CreatorDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getCreator(request.tenantDb, request.user!, request.params.id),
  )

  app.patch(
    '/api/creators/:id',
    {
      config: { permission: 'creator.write' },
      schema: {
        summary: 'Change a creator’s name, notes, tags or linked user',
        description: 'Changing the linked user hands the profile’s accounts to that user, so it also needs creator.manage (403 FORBIDDEN otherwise).',
        tags: ['creators'],
        params: IdParams,
        body: UpdateCreatorBody,
        response: { 200: Type.Object({ creator: Creator }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ creator: await updateCreator(request.tenantDb, request.user!, request.params.id, request.body) }),
  )

  app.delete(
    '/api/creators/:id',
    {
      config: { permission: 'creator.manage' },
      schema: {
        summary: 'Delete a creator and its accounts (their tokens go with them; token refreshes stop)',
        tags: ['creators'],
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteCreator(deps(request), request.user!, request.params.id, request.ip)
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/api/creators/:id/connect/:platform',
    {
      config: { permission: 'account.connect' },
      schema: {
        summary: 'Start connecting accounts: answers the platform’s authorize URL to send the browser to',
        description:
          'meta: Facebook Login for Business (Pages and their Instagram business accounts); tiktok: Login Kit v2 with PKCE. ' +
          'The attempt is valid for 10 minutes and once. A creator-role user may connect only their own profile (403).',
        tags: ['creators'],
        params: ConnectParams,
        response: { 200: ConnectStart, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => startConnect(deps(request), request.user!, request.params.id, request.params.platform),
  )

  app.post(
    '/api/oauth/:platform/callback',
    {
      // The state proves the request: it is secret, single-use and bound to this session's user.
      config: { permission: 'account.connect', csrf: false },
      schema: {
        summary: 'Finish connecting: the code and state the platform sent back to the browser',
        description:
          'OAUTH_STATE_INVALID (400) for an unknown, expired, reused or someone else’s state; OAUTH_CODE_REJECTED (400) when the platform ' +
          'refuses the code; ACCOUNT_CONNECTED_ELSEWHERE (409); PLAN_LIMIT_REACHED (402). A cancelled dialog answers outcome not_connected.',
        tags: ['creators'],
        params: PlatformParams,
        body: OAuthCallbackBody,
        response: { 200: OAuthCallbackResult, ...errorResponses(400, 401, 402, 403, 404, 409, 502) },
      },
    },
    async (request) => completeConnect(deps(request), request.user!, request.params.platform, request.body, request.ip),
  )

  app.post(
    '/api/creators/:id/accounts/:accountId/disconnect',
    {
      config: { permission: 'account.connect' },
      schema: {
        summary: 'Disconnect an account: its tokens are wiped and its token refresh stops',
        tags: ['creators'],
        params: AccountParams,
        response: { 200: Type.Object({ account: SocialAccount }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ account: await disconnectAccount(deps(request), request.user!, request.params.id, request.params.accountId, request.ip) }),
  )
}

export default creatorRoutes
