// Authentication in one place: every route needs a valid session unless its config says public.
import fp from 'fastify-plugin'
import { ApiError } from '../../errors'
import { SESSION_COOKIE, findSessionUser } from '../../services/sessions'

export default fp(
  async (app) => {
    app.decorateRequest('user', null)
    app.addHook('onRequest', async (request) => {
      const token = request.cookies[SESSION_COOKIE]
      if (token) request.user = await findSessionUser(app.db, token)
      // Unknown routes fall through to the 404 handler, which has no route config.
      if (request.routeOptions.config.public || !request.routeOptions.url) return
      if (!request.user) throw new ApiError(401, 'UNAUTHENTICATED', 'Log in first: this needs a session.')
    })
  },
  { name: 'auth', dependencies: ['cookie', 'database'] },
)
