// Sign-up, login, logout (here or everywhere), the signed-in user, and password resets.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible'
import { permissionsOf } from '../../domain/permissions'
import { ApiError } from '../errors'
import { LoginBody, PasswordResetConfirmBody, PasswordResetRequestBody, SignupBody } from '../schemas/auth'
import { errorResponses } from '../schemas/common'
import { confirmPasswordReset, requestPasswordReset, signUp } from '../services/accounts'
import { recordAudit } from '../services/audit'
import { createLoginThrottle } from '../services/login-throttle'
import { SESSION_COOKIE, createSession, findSessionUser, revokeAllSessions, revokeSession, verifyLogin } from '../services/sessions'
import type { AuthUser } from '../types'
import { normaliseEmail } from '../../domain/accounts'

const UserEnvelope = Type.Object({ user: Type.Ref('User') })

export function userDto(user: AuthUser) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    agency: user.agency,
    permissions: permissionsOf(user.role),
    csrfToken: user.csrfToken,
  }
}

/** Opens a session for the user: the row, and the HTTP-only SameSite cookie that carries its token. */
export async function startSession(app: FastifyInstance, reply: FastifyReply, userId: string): Promise<AuthUser> {
  const { token, expiresAt } = await createSession(app.db, userId, app.settings.sessionTtlDays)
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: app.settings.cookieSecure,
    path: '/',
    expires: expiresAt,
  })
  return (await findSessionUser(app.db, token))!
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const throttle = createLoginThrottle(app.db, app.settings.loginLimits)
  // At most a few reset e-mails per account per hour, so the form cannot be used to flood someone's inbox.
  const resetMails = new RateLimiterPrisma({ storeClient: app.db, tableName: 'loginRateLimit', keyPrefix: 'reset-mail', points: 5, duration: 3600 })

  app.post(
    '/api/auth/signup',
    {
      config: { public: true, csrf: false },
      schema: {
        summary: 'Create an agency and its first user (the owner); sets the gl_session cookie',
        tags: ['auth'],
        body: SignupBody,
        response: { 201: UserEnvelope, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const user = await signUp(app.db, request.body, request.ip)
      const sessionUser = await startSession(app, reply, user.id)
      return reply.status(201).send({ user: userDto(sessionUser) })
    },
  )

  app.post(
    '/api/auth/login',
    {
      config: { public: true, csrf: false },
      schema: {
        summary: 'Log in with e-mail and password; sets the gl_session cookie. Failed attempts are throttled per account and per address.',
        tags: ['auth'],
        body: LoginBody,
        response: { 200: UserEnvelope, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body
      const attempt = await throttle.attempt(email, request.ip)
      const known = await app.db.user.findUnique({ where: { email: normaliseEmail(email) } })
      if (!attempt.allowed) {
        // One audit entry per locked window, so hammering a locked account cannot flood the log.
        if (known && attempt.firstRefusal) {
          await recordAudit(app.db, { agencyId: known.agencyId, action: 'auth.login_throttled', actor: known, target: { type: 'user', id: known.id }, ip: request.ip })
        }
        reply.header('retry-after', String(attempt.retryAfterSeconds))
        const minutes = Math.ceil(attempt.retryAfterSeconds / 60)
        throw new ApiError(429, 'LOGIN_THROTTLED', `Too many failed logins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or reset the password.`)
      }
      const user = await verifyLogin(app.db, email, password)
      if (!user) {
        if (known) await recordAudit(app.db, { agencyId: known.agencyId, action: 'auth.login_failed', actor: known, target: { type: 'user', id: known.id }, ip: request.ip })
        throw new ApiError(401, 'INVALID_CREDENTIALS', 'The e-mail or password is wrong.')
      }
      await throttle.succeeded(email, request.ip)
      await recordAudit(app.db, { agencyId: user.agencyId, action: 'auth.login', actor: user, target: { type: 'user', id: user.id }, ip: request.ip })
      return { user: userDto(await startSession(app, reply, user.id)) }
    },
  )

  app.post(
    '/api/auth/logout',
    {
      config: { public: true },
      schema: { summary: 'End this session', tags: ['auth'], response: { 204: Type.Null(), ...errorResponses(403) } },
    },
    async (request, reply) => {
      if (request.user) await revokeSession(app.db, request.user.sessionId)
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.status(204).send(null)
    },
  )

  app.post(
    '/api/auth/logout-everywhere',
    {
      config: { permission: 'profile.use' },
      schema: {
        summary: 'End every session of the signed-in user, on every device',
        tags: ['auth'],
        response: { 200: Type.Object({ endedSessions: Type.Integer() }), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const user = request.user!
      const endedSessions = await revokeAllSessions(app.db, user.id)
      await recordAudit(app.db, { agencyId: user.agency.id, action: 'auth.logout_everywhere', actor: user, target: { type: 'user', id: user.id }, detail: { endedSessions }, ip: request.ip })
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return { endedSessions }
    },
  )

  app.get(
    '/api/auth/me',
    {
      config: { permission: 'profile.use' },
      schema: { summary: 'The logged-in user', tags: ['auth'], response: { 200: UserEnvelope, ...errorResponses(401) } },
    },
    async (request) => ({ user: userDto(request.user!) }),
  )

  app.post(
    '/api/auth/password-reset',
    {
      config: { public: true, csrf: false },
      schema: {
        summary: 'E-mail a single-use password-reset link (answers 202 whether or not the e-mail has an account)',
        tags: ['auth'],
        body: PasswordResetRequestBody,
        response: { 202: Type.Object({ status: Type.Literal('sent-if-registered') }), ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const allowed = await resetMails.consume(normaliseEmail(request.body.email)).then(
        () => true,
        (reason: unknown) => {
          if (reason instanceof RateLimiterRes) return false
          throw reason
        },
      )
      if (allowed) await requestPasswordReset({ db: app.db, mailer: app.mailer, webUrl: app.settings.webUrl }, request.body.email, request.ip)
      return reply.status(202).send({ status: 'sent-if-registered' })
    },
  )

  app.post(
    '/api/auth/password-reset/confirm',
    {
      config: { public: true, csrf: false },
      schema: {
        summary: 'Set a new password with a reset link\'s token; ends every session of the account',
        tags: ['auth'],
        body: PasswordResetConfirmBody,
        response: { 204: Type.Null(), ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      await confirmPasswordReset(app.db, request.body.token, request.body.password, request.ip)
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.status(204).send(null)
    },
  )
}

export default authRoutes
