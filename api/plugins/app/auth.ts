// Authentication, authorisation and CSRF in one place. Every route is either public or names the permission
// it needs (checked against domain/permissions.ts); a route that says neither fails at start-up. A signed-in
// request gets `request.tenantDb`, the database scoped to its agency. Cookie-authenticated mutations must
// carry the session's CSRF token in x-csrf-token.
import fp from 'fastify-plugin'
import { ROLE_LABELS, can, type Role } from '../../../domain/permissions'
import { tenantClients, type TenantDatabase } from '../../../platform/tenant-scope'
import { ApiError } from '../../errors'
import { CSRF_HEADER, SESSION_COOKIE, csrfTokenMatches, findSessionUser } from '../../services/sessions'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const TENANT_CLIENT_CACHE_SIZE = 500

export default fp(
  async (app) => {
    app.decorateRequest('user', null)
    app.decorateRequest('tenantDb', {
      getter(): TenantDatabase {
        throw new ApiError(401, 'UNAUTHENTICATED', 'Log in first: this needs a session.')
      },
    })

    const tenantClient = tenantClients(app.db, TENANT_CLIENT_CACHE_SIZE)

    app.addHook('onRoute', (route) => {
      const config = route.config as { public?: boolean; permission?: string } | undefined
      if (!config?.public && !config?.permission) {
        throw new Error(`route ${String(route.method)} ${route.url} must be public or name a permission (domain/permissions.ts)`)
      }
    })

    app.addHook('onRequest', async (request, reply) => {
      const config = request.routeOptions.config
      // Unknown routes fall through to the 404 handler, which has no route config.
      if (!request.routeOptions.url) return
      const token = request.cookies[SESSION_COOKIE]
      if (token) {
        request.user = await findSessionUser(app.db, token)
        if (request.user) {
          const client = tenantClient(request.user.agency.id)
          Object.defineProperty(request, 'tenantDb', { value: client, configurable: true })
        }
      }
      const user = request.user
      if (user && !SAFE_METHODS.has(request.method) && config.csrf !== false) {
        if (!csrfTokenMatches(request.headers[CSRF_HEADER] as string | undefined, user.csrfToken)) {
          throw new ApiError(403, 'CSRF_TOKEN_INVALID', 'This change must carry the session\'s CSRF token in x-csrf-token; reload the page and try again.')
        }
      }
      if (config.public) return
      if (!user) {
        if (token) {
          reply.clearCookie(SESSION_COOKIE, { path: '/' })
          throw new ApiError(401, 'SESSION_INVALID', 'Your session has ended or is not valid: log in again.')
        }
        throw new ApiError(401, 'UNAUTHENTICATED', 'Log in first: this needs a session.')
      }
      if (config.permission && !can(user.role, config.permission)) {
        const label = ROLE_LABELS[user.role as Role] ?? user.role
        throw new ApiError(403, 'FORBIDDEN', `Your role (${label}) does not allow this (needs ${config.permission}).`)
      }
    })
  },
  { name: 'auth', dependencies: ['cookie', 'database'] },
)
