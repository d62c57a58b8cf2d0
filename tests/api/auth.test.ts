// Sign-up, login throttling, CSRF, tampered cookies, log out everywhere and password resets, through
// app.inject on a real PostgreSQL.
import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../api/app'
import authPlugin from '../../api/plugins/app/auth'
import cookiePlugin from '../../api/plugins/external/cookie'
import databasePlugin from '../../api/plugins/app/database'
import { loginAs, startApiHarness, testAppOptions, type ApiHarness } from '../support/api'

let h: ApiHarness
beforeAll(async () => {
  h = await startApiHarness()
})
afterAll(async () => {
  await h?.stop()
})

const signupBody = () => ({ agencyName: 'Bright Lane Studio', name: 'Robin Owner', email: `robin-${randomUUID()}@example.test`, password: 'correct horse battery' })
const signup = (payload: unknown) => h.app.inject({ method: 'POST', url: '/api/auth/signup', payload: payload as object })
const login = (email: string, password: string, remoteAddress = '127.0.0.1') =>
  h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress })

describe('sign-up', () => {
  it('creates an agency on the Starter plan with the user as its owner, signed in, and audits it', async () => {
    const body = signupBody()
    const res = await signup(body)
    expect(res.statusCode).toBe(201)
    const { user } = res.json()
    expect(user).toMatchObject({ email: body.email, name: 'Robin Owner', role: 'owner', agency: { name: 'Bright Lane Studio', plan: 'starter' } })
    expect(user.permissions).toContain('plan.change')
    expect(res.body).not.toContain(body.password)
    const cookie = res.cookies.find((c) => c.name === 'gl_session')!
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
    const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `gl_session=${cookie.value}` } })
    expect(me.json().user.id).toBe(user.id)
    const stored = await h.db.user.findUniqueOrThrow({ where: { id: user.id } })
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/)
    expect(await h.db.auditEvent.count({ where: { agencyId: user.agency.id, action: 'agency.created' } })).toBe(1)
  })

  it('refuses a registered e-mail with 409 EMAIL_TAKEN and writes nothing', async () => {
    const body = signupBody()
    expect((await signup(body)).statusCode).toBe(201)
    const agencies = await h.db.agency.count()
    const again = await signup({ ...body, email: body.email.toUpperCase(), agencyName: 'Another' })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('EMAIL_TAKEN')
    expect(await h.db.agency.count()).toBe(agencies)
  })

  it.each([
    ['an oversized agency name', { agencyName: 'x'.repeat(10_000) }, '/agencyName'],
    ['a short password', { password: 'short' }, '/password'],
    ['a malformed e-mail', { email: 'not-an-email' }, '/email'],
    ['an unknown field', { role: 'owner' }, '/role'],
  ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_, change, path) => {
    const agencies = await h.db.agency.count()
    const res = await signup({ ...signupBody(), ...change })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION_FAILED')
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path)
    expect(await h.db.agency.count()).toBe(agencies)
  })
})

describe('login throttling', () => {
  it('locks an account after 5 failures, even for the right password, from any address; audits the attempts', async () => {
    const member = await h.newTenant()
    for (let i = 0; i < 5; i++) expect((await login(member.email, 'wrong password', `10.1.0.${i}`)).statusCode).toBe(401)
    const locked = await login(member.email, member.password, '10.1.0.99')
    expect(locked.statusCode).toBe(429)
    expect(locked.json().error.code).toBe('LOGIN_THROTTLED')
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0)
    expect(await h.db.auditEvent.count({ where: { agencyId: member.agencyId, action: 'auth.login_failed' } })).toBe(5)
    // Hammering the locked account adds no audit entries: one per locked window.
    expect((await login(member.email, member.password, '10.1.0.98')).statusCode).toBe(429)
    expect(await h.db.auditEvent.count({ where: { agencyId: member.agencyId, action: 'auth.login_throttled' } })).toBe(1)
  })

  it('counts a burst of parallel guesses before any password is checked', async () => {
    const member = await h.newTenant()
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(member.email, `guess ${i}`, `10.4.0.${i}`)))
    const statuses = answers.map((a) => a.statusCode)
    expect(statuses.filter((status) => status === 401)).toHaveLength(5)
    expect(statuses.filter((status) => status === 429)).toHaveLength(15)
  })

  it('a success before the limit clears the account’s count', async () => {
    const member = await h.newTenant()
    for (let i = 0; i < 4; i++) await login(member.email, 'wrong password')
    expect((await login(member.email, member.password)).statusCode).toBe(200)
    for (let i = 0; i < 4; i++) expect((await login(member.email, 'wrong password')).statusCode).toBe(401)
    expect((await login(member.email, member.password)).statusCode).toBe(200)
  })

  it('locks an address that fails across many accounts', async () => {
    const app = await buildApp(testAppOptions(h.db, h.env.client, { ...h.app.settings, loginLimits: { perAccount: 100, perIp: 3, windowSeconds: 900 } }))
    try {
      const address = `10.2.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: `nobody-${i}-${randomUUID()}@example.test`, password: 'x' }, remoteAddress: address })
        expect(res.statusCode).toBe(401)
      }
      const member = await h.newTenant()
      const blocked = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: member.email, password: member.password }, remoteAddress: address })
      expect(blocked.statusCode).toBe(429)
      const elsewhere = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: member.email, password: member.password }, remoteAddress: '10.3.0.1' })
      expect(elsewhere.statusCode).toBe(200)
    } finally {
      await app.close()
    }
  })
})

describe('CSRF', () => {
  it('refuses a cookie-authenticated change without the session’s token, and writes nothing', async () => {
    const member = await h.newTenant()
    const before = await h.db.campaign.count({ where: { agencyId: member.agencyId } })
    for (const headers of [{ cookie: member.cookie }, { cookie: member.cookie, 'x-csrf-token': 'forged' }]) {
      const res = await h.app.inject({ method: 'POST', url: '/api/campaigns', headers, payload: { name: 'Forged' } })
      expect(res.statusCode).toBe(403)
      expect(res.json().error.code).toBe('CSRF_TOKEN_INVALID')
    }
    const other = await h.newTenant()
    const crossed = await h.app.inject({ method: 'POST', url: '/api/campaigns', headers: { cookie: member.cookie, 'x-csrf-token': other.csrfToken }, payload: { name: 'Crossed' } })
    expect(crossed.statusCode).toBe(403)
    expect(await h.db.campaign.count({ where: { agencyId: member.agencyId } })).toBe(before)
    // Logging out is a change too.
    expect((await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: member.cookie } })).statusCode).toBe(403)
    expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: member.headers })).statusCode).toBe(200)
  })
})

describe('sessions', () => {
  it('a tampered session cookie answers 401 SESSION_INVALID and clears the cookie', async () => {
    const member = await h.newTenant()
    const tampered = member.cookie.replace(/gl_session=(.)/, (_, c: string) => `gl_session=${c === 'A' ? 'B' : 'A'}`)
    const res = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: tampered } })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('SESSION_INVALID')
    expect(res.cookies.find((c) => c.name === 'gl_session')?.value).toBe('')
  })

  it('log out everywhere ends every session of the user and only theirs', async () => {
    const member = await h.newTenant()
    const second = await loginAs(h.app, member.email, member.password)
    const colleague = await h.newMember(member.agencyId, 'manager')
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/logout-everywhere', headers: member.headers })
    expect(res.statusCode).toBe(200)
    expect(res.json().endedSessions).toBe(2)
    for (const headers of [member.headers, second.headers]) {
      expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode).toBe(401)
    }
    expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: colleague.headers })).statusCode).toBe(200)
    expect(await h.db.auditEvent.count({ where: { agencyId: member.agencyId, action: 'auth.logout_everywhere' } })).toBe(1)
  })
})

describe('password reset', () => {
  const requestReset = (email: string) => h.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email } })
  const confirm = (token: string, password: string) => h.app.inject({ method: 'POST', url: '/api/auth/password-reset/confirm', payload: { token, password } })
  async function mailedToken(agencyId: string, email: string) {
    const mail = await h.db.emailOutbox.findFirstOrThrow({ where: { agencyId, toAddress: email }, orderBy: { createdAt: 'desc' } })
    expect(mail.subject).toMatch(/reset/i)
    return /\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail.text!)![1]!
  }

  it('mails a single-use link; the new password works, the old one and every session end', async () => {
    const member = await h.newTenant()
    const res = await requestReset(member.email)
    expect(res.statusCode).toBe(202)
    const token = await mailedToken(member.agencyId, member.email)
    // Only the digest is stored.
    expect(JSON.stringify(await h.db.passwordReset.findMany({ where: { user: { email: member.email } } }))).not.toContain(token)

    expect((await confirm(token, 'a brand new password')).statusCode).toBe(204)
    expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: member.headers })).statusCode).toBe(401)
    expect((await login(member.email, member.password)).statusCode).toBe(401)
    expect((await login(member.email, 'a brand new password')).statusCode).toBe(200)

    const reused = await confirm(token, 'another new password')
    expect(reused.statusCode).toBe(400)
    expect(reused.json().error.code).toBe('RESET_TOKEN_USED')
    expect((await login(member.email, 'a brand new password')).statusCode).toBe(200)
    expect(await h.db.auditEvent.count({ where: { agencyId: member.agencyId, action: 'auth.password_reset' } })).toBe(1)
  })

  it('refuses an expired or unknown link and leaves the password as it was', async () => {
    const member = await h.newTenant()
    await requestReset(member.email)
    const token = await mailedToken(member.agencyId, member.email)
    await h.db.passwordReset.updateMany({ where: { user: { email: member.email } }, data: { expiresAt: new Date(Date.now() - 1000) } })
    const expired = await confirm(token, 'a brand new password')
    expect(expired.statusCode).toBe(400)
    expect(expired.json().error.code).toBe('RESET_TOKEN_EXPIRED')
    const unknown = await confirm('x'.repeat(43), 'a brand new password')
    expect(unknown.json().error.code).toBe('RESET_TOKEN_INVALID')
    expect((await login(member.email, member.password)).statusCode).toBe(200)
  })

  it('the development outbox shows a reset link only to its recipient, not to the owners', async () => {
    const owner = await h.newTenant()
    const manager = await h.newMember(owner.agencyId, 'manager')
    await requestReset(manager.email)
    const seenByOwner = (await h.app.inject({ method: 'GET', url: '/api/agency/outbox', headers: owner.headers })).json()
    const reset = seenByOwner.emails.find((e: { to: string }) => e.to === manager.email)
    expect(reset).toMatchObject({ text: null, textWithheld: true })
    expect(JSON.stringify(seenByOwner)).not.toContain('/reset-password/')
    await requestReset(owner.email)
    const own = (await h.app.inject({ method: 'GET', url: '/api/agency/outbox', headers: owner.headers })).json()
    expect(own.emails.find((e: { to: string }) => e.to === owner.email).text).toContain('/reset-password/')
  })

  it('answers 202 for an unknown e-mail without sending anything', async () => {
    const before = await h.db.emailOutbox.count()
    const res = await requestReset(`nobody-${randomUUID()}@example.test`)
    expect(res.statusCode).toBe(202)
    expect(await h.db.emailOutbox.count()).toBe(before)
  })
})

describe('authorisation in one place', () => {
  it('refuses to start with a route that is neither public nor names a permission', async () => {
    const app = Fastify()
    await app.register(cookiePlugin)
    await app.register(databasePlugin, { db: h.db })
    await app.register(authPlugin)
    expect(() => app.get('/api/forgotten', async () => ({ ok: true }))).toThrow(/must be public or name a permission/)
    app.get('/api/named', { config: { permission: 'team.read' } }, async () => ({ ok: true }))
    await app.close()
  })

  it('a role without the permission gets 403 FORBIDDEN naming it', async () => {
    const owner = await h.newTenant()
    const approver = await h.newMember(owner.agencyId, 'client_approver')
    const res = await h.app.inject({ method: 'POST', url: '/api/campaigns', headers: approver.headers, payload: { name: 'Not mine to make' } })
    expect(res.statusCode).toBe(403)
    expect(res.json().error).toMatchObject({ code: 'FORBIDDEN' })
    expect(res.json().error.message).toContain('campaign.write')
  })
})

describe('e-mail addresses', () => {
  it('a login with the address in other case still finds the account', async () => {
    const member = await h.newTenant()
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: member.email.toUpperCase(), password: member.password } })
    expect(res.statusCode).toBe(200)
  })
})
