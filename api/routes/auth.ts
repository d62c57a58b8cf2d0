import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApiError } from '../errors'
import { LoginBody } from '../schemas/auth'
import { errorResponses } from '../schemas/common'
import { SESSION_COOKIE, createSession, findSessionUser, revokeSession, verifyLogin } from '../services/sessions'

const UserEnvelope = Type.Object({ user: Type.Ref('User') })

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        summary: 'Log in with e-mail and password; sets the gl_session cookie',
        tags: ['auth'],
        body: LoginBody,
        response: { 200: UserEnvelope, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const user = await verifyLogin(app.db, request.body.email, request.body.password)
      if (!user) throw new ApiError(401, 'INVALID_CREDENTIALS', 'The e-mail or password is wrong.')
      const { token, expiresAt } = await createSession(app.db, user.id, app.settings.sessionTtlDays)
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.settings.cookieSecure,
        path: '/',
        expires: expiresAt,
      })
      const sessionUser = await findSessionUser(app.db, token)
      return { user: sessionUser! }
    },
  )

  app.post(
    '/api/auth/logout',
    {
      config: { public: true },
      schema: { summary: 'End this session', tags: ['auth'], response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      if (request.user) await revokeSession(app.db, request.user.sessionId)
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/api/auth/me',
    {
      schema: { summary: 'The logged-in user', tags: ['auth'], response: { 200: UserEnvelope, ...errorResponses(401) } },
    },
    async (request) => ({ user: request.user! }),
  )
}

export default authRoutes
