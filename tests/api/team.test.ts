// The team through app.inject on a real PostgreSQL: invites (link by e-mail, accept, reuse, expiry, revoke,
// replacement, seats), role changes and removals, the audit log they leave, and the development outbox.
import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../api/app'
import { tokenDigest } from '../../api/services/sessions'
import type { Role } from '../../domain/permissions'
import { loginAs, startApiHarness, testApiSettings, testAppOptions, type ApiHarness, type TestMember } from '../support/api'

let h: ApiHarness

beforeAll(async () => {
  h = await startApiHarness()
})
afterAll(async () => {
  await h?.stop()
})

type Who = { headers: Record<string, string> }

const send = (who: Who | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  h.app.inject({
    method,
    url,
    headers: { ...(who?.headers ?? {}), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  })

const newEmail = (label = 'invitee') => `${label}-${randomUUID()}@example.test`

/** Invites `email` as `role` and returns the invite and the token taken from the e-mail's link. */
async function invite(by: TestMember, email: string, role: Role) {
  const res = await send(by, 'POST', '/api/team/invites', { email, role })
  expect(res.statusCode, res.body).toBe(201)
  const mail = await h.db.emailOutbox.findFirstOrThrow({ where: { agencyId: by.agencyId, toAddress: email.toLowerCase() }, orderBy: { createdAt: 'desc' } })
  const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1]
  expect(token, mail.text ?? '').toBeDefined()
  return { invite: res.json().invite as { id: string; email: string; role: string; expiresAt: string }, token: token!, mail, res }
}

const accept = (token: string, body: unknown = { name: 'Ines Invited', password: 'a long enough password' }) =>
  send(null, 'POST', `/api/invites/${token}/accept`, body)

const auditOf = (agencyId: string, action: string) => h.db.auditEvent.findMany({ where: { agencyId, action }, orderBy: { createdAt: 'asc' } })

describe('invites', () => {
  it('invite → e-mailed link → accept: the new member is signed in and can log in with the invited role', async () => {
    const owner = await h.newTenant()
    const email = newEmail()
    const { invite: created, token, mail, res } = await invite(owner, email, 'editor')
    expect(created).toMatchObject({ email, role: 'editor' })
    expect(res.json().emailStatus).toBe('outbox')
    expect(res.body).not.toContain(token)
    expect(mail.text).toContain(`http://web.test/invite/${token}`)
    expect(mail.subject).toContain('invited you')

    // Only the token's digest is stored, and no answer carries the token.
    const row = await h.db.invite.findUniqueOrThrow({ where: { id: created.id } })
    expect(row.tokenHash).toBe(tokenDigest(token))
    expect(JSON.stringify(row)).not.toContain(token)

    const preview = await send(null, 'GET', `/api/invites/${token}`)
    expect(preview.statusCode).toBe(200)
    expect(preview.json()).toMatchObject({ email, role: 'editor', agencyName: expect.any(String) })
    expect(Date.parse(preview.json().expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000)

    const accepted = await accept(token)
    expect(accepted.statusCode, accepted.body).toBe(201)
    expect(accepted.json().user).toMatchObject({ email, role: 'editor', name: 'Ines Invited', agency: { id: owner.agencyId } })
    expect(accepted.json().user.permissions).toContain('campaign.write')
    expect(accepted.json().user.permissions).not.toContain('team.invite')
    const cookie = accepted.cookies.find((c) => c.name === 'gl_session')
    expect(cookie?.httpOnly).toBe(true)
    const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `gl_session=${cookie!.value}` } })
    expect(me.json().user).toMatchObject({ email, role: 'editor' })

    const login = await loginAs(h.app, email, 'a long enough password')
    const meAfterLogin = await send(login, 'GET', '/api/auth/me')
    expect(meAfterLogin.json().user).toMatchObject({ email, role: 'editor', agency: { id: owner.agencyId } })
    // An editor reads the team but may not invite.
    expect((await send(login, 'GET', '/api/team')).statusCode).toBe(200)

    const [accAudit] = await auditOf(owner.agencyId, 'team.invite_accepted')
    expect(accAudit).toMatchObject({ actorLabel: 'Ines Invited', detail: { email, role: 'editor', inviteId: created.id } })
    const [invAudit] = await auditOf(owner.agencyId, 'team.invited')
    expect(invAudit).toMatchObject({ actorUserId: owner.userId, targetId: created.id, detail: { email, role: 'editor' } })
  })

  it('a used invite cannot be used again, and nothing is written', async () => {
    const owner = await h.newTenant()
    const { token } = await invite(owner, newEmail(), 'analyst')
    expect((await accept(token)).statusCode).toBe(201)
    const users = await h.db.user.count({ where: { agencyId: owner.agencyId } })

    const again = await accept(token, { name: 'Someone Else', password: 'another long password' })
    expect(again.statusCode).toBe(410)
    expect(again.json().error.code).toBe('INVITE_USED')
    expect(again.cookies).toHaveLength(0)
    expect((await send(null, 'GET', `/api/invites/${token}`)).json().error.code).toBe('INVITE_USED')
    expect(await h.db.user.count({ where: { agencyId: owner.agencyId } })).toBe(users)
    expect(await auditOf(owner.agencyId, 'team.invite_accepted')).toHaveLength(1)
  })

  it('two concurrent accepts of one invite create one user', async () => {
    const owner = await h.newTenant()
    const email = newEmail()
    const { token } = await invite(owner, email, 'creator')
    const answers = await Promise.all([
      accept(token, { name: 'First Tab', password: 'a long enough password' }),
      accept(token, { name: 'Second Tab', password: 'a long enough password' }),
    ])
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 410])
    expect(await h.db.user.count({ where: { email } })).toBe(1)
    expect(await auditOf(owner.agencyId, 'team.invite_accepted')).toHaveLength(1)
  })

  it('an expired invite answers 410 INVITE_EXPIRED and writes nothing', async () => {
    const owner = await h.newTenant()
    const email = newEmail()
    const { invite: created, token } = await invite(owner, email, 'analyst')
    await h.db.invite.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1_000) } })

    const preview = await send(null, 'GET', `/api/invites/${token}`)
    expect(preview.statusCode).toBe(410)
    expect(preview.json().error.code).toBe('INVITE_EXPIRED')
    const res = await accept(token)
    expect(res.statusCode).toBe(410)
    expect(res.json().error).toMatchObject({ code: 'INVITE_EXPIRED', message: expect.stringContaining('expired') })
    expect(await h.db.user.count({ where: { email } })).toBe(0)
    expect((await h.db.invite.findUniqueOrThrow({ where: { id: created.id } })).acceptedAt).toBeNull()
    expect(await auditOf(owner.agencyId, 'team.invite_accepted')).toHaveLength(0)
    expect(await h.db.session.count({ where: { user: { email } } })).toBe(0)
    // Expired invites no longer take a seat or show as pending.
    expect((await send(owner, 'GET', '/api/team')).json().invites).toEqual([])
  })

  it('an unknown token → 400 INVITE_INVALID; a bad accept body → 400 VALIDATION_FAILED without spending the token', async () => {
    const unknown = await send(null, 'GET', `/api/invites/${'x'.repeat(43)}`)
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.code).toBe('INVITE_INVALID')
    expect((await accept('not-a-real-token')).json().error.code).toBe('INVITE_INVALID')

    const owner = await h.newTenant()
    const { invite: created, token } = await invite(owner, newEmail(), 'editor')
    const short = await accept(token, { name: 'Shorty', password: 'short' })
    expect(short.statusCode).toBe(400)
    expect(short.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/password' }] })
    const extra = await accept(token, { name: 'Extra', password: 'a long enough password', role: 'owner' })
    expect(extra.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/role', message: 'is not a known field' }] })
    expect((await h.db.invite.findUniqueOrThrow({ where: { id: created.id } })).acceptedAt).toBeNull()
  })

  it('a revoked invite stops working and the revocation is audited', async () => {
    const owner = await h.newTenant()
    const { invite: created, token } = await invite(owner, newEmail(), 'analyst')
    const revoked = await send(owner, 'DELETE', `/api/team/invites/${created.id}`)
    expect(revoked.statusCode).toBe(204)
    expect((await accept(token)).json().error.code).toBe('INVITE_REVOKED')
    expect((await send(owner, 'DELETE', `/api/team/invites/${created.id}`)).json().error.code).toBe('INVITE_REVOKED')
    const [event] = await auditOf(owner.agencyId, 'team.invite_revoked')
    expect(event).toMatchObject({ actorUserId: owner.userId, targetId: created.id, detail: { role: 'analyst' } })
  })

  it('inviting the same e-mail again replaces the pending invite', async () => {
    const owner = await h.newTenant()
    const email = newEmail()
    const first = await invite(owner, email, 'analyst')
    const second = await invite(owner, email.toUpperCase(), 'editor')
    expect(second.invite.email).toBe(email)
    expect((await accept(first.token)).json().error.code).toBe('INVITE_REVOKED')
    const team = (await send(owner, 'GET', '/api/team')).json()
    expect(team.invites).toHaveLength(1)
    expect(team.invites[0]).toMatchObject({ id: second.invite.id, email, role: 'editor', invitedBy: expect.any(String) })
    expect((await accept(second.token)).json().user.role).toBe('editor')
  })

  it('an unknown role → 400 VALIDATION_FAILED and no invite', async () => {
    const owner = await h.newTenant()
    const res = await send(owner, 'POST', '/api/team/invites', { email: newEmail(), role: 'superuser' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/role' }] })
    expect(await h.db.invite.count({ where: { agencyId: owner.agencyId } })).toBe(0)
  })

  it('a manager may invite below manager but not an owner or a manager; an editor may not invite at all', async () => {
    const owner = await h.newTenant()
    const manager = await h.newMember(owner.agencyId, 'manager')
    for (const role of ['owner', 'manager'] as const) {
      const res = await send(manager, 'POST', '/api/team/invites', { email: newEmail(), role })
      expect(res.statusCode).toBe(403)
      expect(res.json().error.code).toBe('ROLE_NOT_ASSIGNABLE')
    }
    const ok = await send(manager, 'POST', '/api/team/invites', { email: newEmail(), role: 'client_approver' })
    expect(ok.statusCode).toBe(201)
    // …and may not revoke what an owner alone could have sent.
    const ownersInvite = await invite(owner, newEmail(), 'owner')
    expect((await send(manager, 'DELETE', `/api/team/invites/${ownersInvite.invite.id}`)).json().error.code).toBe('ROLE_NOT_ASSIGNABLE')

    const editor = await h.newMember(owner.agencyId, 'editor')
    const refused = await send(editor, 'POST', '/api/team/invites', { email: newEmail(), role: 'analyst' })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('FORBIDDEN')
    expect(await h.db.invite.count({ where: { agencyId: owner.agencyId } })).toBe(2)
  })

  it('an e-mail that already has an account → 409 EMAIL_TAKEN', async () => {
    const owner = await h.newTenant()
    const elsewhere = await h.newTenant()
    for (const email of [owner.email, elsewhere.email]) {
      const res = await send(owner, 'POST', '/api/team/invites', { email, role: 'analyst' })
      expect(res.statusCode).toBe(409)
      expect(res.json().error.code).toBe('EMAIL_TAKEN')
    }
  })

  it('an invite signed up for in the meantime cannot be accepted, and the token stays unspent', async () => {
    const owner = await h.newTenant()
    const email = newEmail()
    const { invite: created, token } = await invite(owner, email, 'analyst')
    const signup = await send(null, 'POST', '/api/auth/signup', { agencyName: 'Own Shop', name: 'Self Starter', email, password: 'a long enough password' })
    expect(signup.statusCode).toBe(201)
    const res = await accept(token)
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('EMAIL_TAKEN')
    expect((await h.db.invite.findUniqueOrThrow({ where: { id: created.id } })).acceptedAt).toBeNull()
  })

  it('the seats limit counts members and pending invites: 402 PLAN_LIMIT_REACHED names the plan', async () => {
    const owner = await h.newTenant()
    // Starter: 5 seats. The owner and a manager take two, three invites the rest.
    await h.newMember(owner.agencyId, 'manager')
    for (let i = 0; i < 3; i++) await invite(owner, newEmail(`seat${i}`), 'analyst')
    const email = newEmail('one-too-many')
    const res = await send(owner, 'POST', '/api/team/invites', { email, role: 'analyst' })
    expect(res.statusCode).toBe(402)
    expect(res.json().error.code).toBe('PLAN_LIMIT_REACHED')
    expect(res.json().error.message).toContain('Starter plan allows 5 seats')
    expect(await h.db.invite.count({ where: { email } })).toBe(0)
    expect(await h.db.emailOutbox.count({ where: { toAddress: email } })).toBe(0)

    // Re-inviting a pending e-mail replaces its seat instead of taking another.
    const pending = (await send(owner, 'GET', '/api/team')).json().invites[0]
    expect((await send(owner, 'POST', '/api/team/invites', { email: pending.email, role: 'editor' })).statusCode).toBe(201)
    // A revoked invite frees its seat.
    const team = (await send(owner, 'GET', '/api/team')).json()
    expect((await send(owner, 'DELETE', `/api/team/invites/${team.invites[0].id}`)).statusCode).toBe(204)
    expect((await send(owner, 'POST', '/api/team/invites', { email, role: 'analyst' })).statusCode).toBe(201)
  })

  it('another agency\'s invite answers 404', async () => {
    const owner = await h.newTenant()
    const other = await h.newTenant()
    const { invite: created } = await invite(owner, newEmail(), 'analyst')
    const res = await send(other, 'DELETE', `/api/team/invites/${created.id}`)
    expect(res.statusCode).toBe(404)
    expect((await h.db.invite.findUniqueOrThrow({ where: { id: created.id } })).revokedAt).toBeNull()
    expect((await send(other, 'GET', '/api/team')).json().invites).toEqual([])
  })
})

describe('invite tokens stay out of the log', () => {
  it('the request log of an info-level API never contains the token', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const logged = await buildApp(testAppOptions(h.db, h.env.client, testApiSettings(h.taskQueue)), { logger: { level: 'info', stream } })
    try {
      const owner = await h.newTenant()
      const { token } = await invite(owner, newEmail(), 'analyst')
      expect((await logged.inject({ method: 'GET', url: `/api/invites/${token}` })).statusCode).toBe(200)
      const accepted = await logged.inject({
        method: 'POST',
        url: `/api/invites/${token}/accept`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'Quiet Joiner', password: 'a long enough password' }),
      })
      expect(accepted.statusCode).toBe(201)
      expect((await logged.inject({ method: 'GET', url: `/api/invites/${token}` })).statusCode).toBe(410)
      // The log is written (other requests appear in it), just never with the token.
      await logged.inject({ method: 'GET', url: '/api/meta' })
      expect(lines.join('')).toContain('/api/meta')
      expect(lines.join('')).not.toContain(token)
    } finally {
      await logged.close()
    }
  })
})

describe('roles and removal', () => {
  it('an owner changes a role; the change is audited with from and to, and takes effect at once', async () => {
    const owner = await h.newTenant()
    const editor = await h.newMember(owner.agencyId, 'editor')
    expect((await send(editor, 'POST', '/api/team/invites', { email: newEmail(), role: 'analyst' })).statusCode).toBe(403)

    const res = await send(owner, 'PATCH', `/api/team/members/${editor.userId}`, { role: 'manager' })
    expect(res.statusCode).toBe(200)
    expect(res.json().member).toMatchObject({ id: editor.userId, role: 'manager' })
    expect((await send(editor, 'POST', '/api/team/invites', { email: newEmail(), role: 'analyst' })).statusCode).toBe(201)

    const [event] = await auditOf(owner.agencyId, 'team.role_changed')
    expect(event).toMatchObject({ actorUserId: owner.userId, targetId: editor.userId, detail: { from: 'editor', to: 'manager' } })
    // The same role again changes nothing and records nothing.
    expect((await send(owner, 'PATCH', `/api/team/members/${editor.userId}`, { role: 'manager' })).statusCode).toBe(200)
    expect(await auditOf(owner.agencyId, 'team.role_changed')).toHaveLength(1)
  })

  it('refuses what the rules forbid, with their codes, and changes nothing', async () => {
    const owner = await h.newTenant()
    const manager = await h.newMember(owner.agencyId, 'manager')
    const otherManager = await h.newMember(owner.agencyId, 'manager')
    const analyst = await h.newMember(owner.agencyId, 'analyst')
    const cases: Array<[TestMember, string, Role, number, string]> = [
      [owner, owner.userId, 'manager', 403, 'CANNOT_CHANGE_OWN_ROLE'],
      [manager, owner.userId, 'analyst', 403, 'ROLE_NOT_ASSIGNABLE'],
      [manager, otherManager.userId, 'analyst', 403, 'ROLE_NOT_ASSIGNABLE'],
      [manager, analyst.userId, 'owner', 403, 'ROLE_NOT_ASSIGNABLE'],
      [manager, analyst.userId, 'manager', 403, 'ROLE_NOT_ASSIGNABLE'],
      [analyst, manager.userId, 'analyst', 403, 'FORBIDDEN'],
    ]
    for (const [actor, target, role, status, code] of cases) {
      const res = await send(actor, 'PATCH', `/api/team/members/${target}`, { role })
      expect([res.statusCode, res.json().error.code], `${actor.role} → ${role}`).toEqual([status, code])
    }
    const unknown = await send(owner, 'PATCH', `/api/team/members/${analyst.userId}`, { role: 'root' })
    expect(unknown.json().error.code).toBe('VALIDATION_FAILED')
    const roles = await h.db.user.findMany({ where: { agencyId: owner.agencyId }, select: { role: true } })
    expect(roles.map((u) => u.role).sort()).toEqual(['analyst', 'manager', 'manager', 'owner'])
    expect(await auditOf(owner.agencyId, 'team.role_changed')).toHaveLength(0)

    // A manager may move people below manager.
    expect((await send(manager, 'PATCH', `/api/team/members/${analyst.userId}`, { role: 'editor' })).statusCode).toBe(200)
  })

  it('the agency keeps an owner: the only owner cannot step down, and two owners demoting each other at once leave one', async () => {
    const owner = await h.newTenant()
    const only = await send(owner, 'PATCH', `/api/team/members/${owner.userId}`, { role: 'manager' })
    expect(only.json().error.code).toBe('CANNOT_CHANGE_OWN_ROLE')
    expect((await send(owner, 'DELETE', `/api/team/members/${owner.userId}`)).json().error.code).toBe('CANNOT_CHANGE_OWN_ROLE')

    const second = await h.newMember(owner.agencyId, 'owner')
    const answers = await Promise.all([
      send(owner, 'PATCH', `/api/team/members/${second.userId}`, { role: 'manager' }),
      send(second, 'PATCH', `/api/team/members/${owner.userId}`, { role: 'manager' }),
    ])
    const statuses = answers.map((a) => a.statusCode).sort()
    expect(statuses[0]).toBe(200)
    expect([403, 409]).toContain(statuses[1])
    const refused = answers.find((a) => a.statusCode !== 200)!
    expect(['ROLE_NOT_ASSIGNABLE', 'LAST_OWNER']).toContain(refused.json().error.code)
    expect(await h.db.user.count({ where: { agencyId: owner.agencyId, role: 'owner' } })).toBe(1)
  })

  it('removing a member deletes the user and ends their sessions; the removal is audited', async () => {
    const owner = await h.newTenant()
    const editor = await h.newMember(owner.agencyId, 'editor')
    expect((await send(editor, 'GET', '/api/auth/me')).statusCode).toBe(200)

    const res = await send(owner, 'DELETE', `/api/team/members/${editor.userId}`)
    expect(res.statusCode).toBe(204)
    expect(await h.db.user.findUnique({ where: { id: editor.userId } })).toBeNull()
    expect(await h.db.session.count({ where: { userId: editor.userId } })).toBe(0)
    expect((await send(editor, 'GET', '/api/auth/me')).statusCode).toBe(401)
    const [event] = await auditOf(owner.agencyId, 'team.member_removed')
    expect(event).toMatchObject({ actorUserId: owner.userId, targetId: editor.userId, detail: { email: editor.email, role: 'editor' } })
    expect((await send(owner, 'DELETE', `/api/team/members/${editor.userId}`)).statusCode).toBe(404)
  })

  it('removal follows the same rules; another agency\'s member answers 404', async () => {
    const owner = await h.newTenant()
    const manager = await h.newMember(owner.agencyId, 'manager')
    const editor = await h.newMember(owner.agencyId, 'editor')
    expect((await send(manager, 'DELETE', `/api/team/members/${owner.userId}`)).json().error.code).toBe('ROLE_NOT_ASSIGNABLE')
    expect((await send(editor, 'DELETE', `/api/team/members/${manager.userId}`)).json().error.code).toBe('FORBIDDEN')

    const other = await h.newTenant()
    expect((await send(other, 'DELETE', `/api/team/members/${editor.userId}`)).statusCode).toBe(404)
    expect((await send(other, 'PATCH', `/api/team/members/${editor.userId}`, { role: 'analyst' })).statusCode).toBe(404)
    expect(await h.db.user.findUnique({ where: { id: editor.userId } })).toMatchObject({ role: 'editor' })
    expect((await send(manager, 'DELETE', `/api/team/members/${editor.userId}`)).statusCode).toBe(204)
  })

  it('lists members and pending invites of the agency, with the roles the viewer may give', async () => {
    const owner = await h.newTenant()
    const manager = await h.newMember(owner.agencyId, 'manager')
    const email = newEmail()
    await invite(owner, email, 'editor')
    const team = (await send(manager, 'GET', '/api/team')).json()
    expect(team.members.map((m: { id: string }) => m.id)).toEqual([owner.userId, manager.userId])
    expect(team.members[0]).toEqual({ id: owner.userId, name: expect.any(String), email: owner.email, role: 'owner', createdAt: expect.any(String) })
    expect(team.invites).toEqual([expect.objectContaining({ email, role: 'editor', invitedBy: expect.any(String) })])
    expect(team.assignableRoles).toEqual(['analyst', 'editor', 'creator', 'client_approver'])
    // Nothing secret in the listing.
    expect(JSON.stringify(team)).not.toMatch(/token|passwordHash/i)
  })
})

describe('audit log and outbox', () => {
  it('the audit log is readable by owners only, newest first, page by page', async () => {
    const owner = await h.newTenant()
    const manager = await h.newMember(owner.agencyId, 'manager')
    const denied = await send(manager, 'GET', '/api/agency/audit')
    expect(denied.statusCode).toBe(403)
    expect(denied.json().error.code).toBe('FORBIDDEN')

    // More invites than Starter's seats allow.
    await h.db.agency.update({ where: { id: owner.agencyId }, data: { plan: 'professional' } })
    for (let i = 0; i < 5; i++) await invite(owner, newEmail(`audit${i}`), 'analyst')
    const all = (await send(owner, 'GET', '/api/agency/audit')).json()
    const invited = all.events.filter((e: { action: string }) => e.action === 'team.invited')
    expect(invited).toHaveLength(5)
    expect(invited[0]).toMatchObject({ actor: expect.any(String), actorUserId: owner.userId, target: { type: 'invite' }, detail: { role: 'analyst' } })
    const times = all.events.map((e: { createdAt: string }) => Date.parse(e.createdAt))
    expect(times).toEqual([...times].sort((a, b) => b - a))

    const first = (await send(owner, 'GET', '/api/agency/audit?limit=2&action=team.invited')).json()
    expect(first.events).toHaveLength(2)
    expect(first.nextBefore).toEqual(expect.any(String))
    const second = (await send(owner, 'GET', `/api/agency/audit?limit=2&action=team.invited&before=${encodeURIComponent(first.nextBefore)}`)).json()
    const third = (await send(owner, 'GET', `/api/agency/audit?limit=2&action=team.invited&before=${encodeURIComponent(second.nextBefore)}`)).json()
    expect(third.nextBefore).toBeNull()
    const paged = [...first.events, ...second.events, ...third.events].map((e: { id: string }) => e.id)
    expect(paged).toEqual(invited.map((e: { id: string }) => e.id))

    for (const query of ['limit=0', 'limit=abc', 'before=yesterday', 'action=team.unknown', 'page=2']) {
      const bad = await send(owner, 'GET', `/api/agency/audit?${query}`)
      expect([bad.statusCode, bad.json().error.code], query).toEqual([400, 'VALIDATION_FAILED'])
    }
    // Another agency sees none of it.
    const other = await h.newTenant()
    const theirs = (await send(other, 'GET', '/api/agency/audit')).json().events
    expect(theirs.filter((e: { action: string }) => e.action === 'team.invited')).toEqual([])
  })

  it('the outbox holds the invite e-mail with its link, newest first, for owners only (it holds reset links too)', async () => {
    const owner = await h.newTenant()
    const manager = await h.newMember(owner.agencyId, 'manager')
    const editor = await h.newMember(owner.agencyId, 'editor')
    const { token } = await invite(owner, newEmail('first'), 'analyst')
    const latest = newEmail('latest')
    await invite(owner, latest, 'editor')

    expect((await send(manager, 'GET', '/api/agency/outbox')).statusCode).toBe(403)
    const res = await send(owner, 'GET', '/api/agency/outbox')
    expect(res.statusCode).toBe(200)
    const outbox = res.json()
    expect(outbox.mode).toBe('outbox')
    expect(outbox.emails).toHaveLength(2)
    expect(outbox.emails[0]).toMatchObject({ to: latest, status: 'outbox' })
    expect(outbox.emails[1].text).toContain(`http://web.test/invite/${token}`)
    expect((await send(editor, 'GET', '/api/agency/outbox')).statusCode).toBe(403)
    expect((await send(await h.newTenant(), 'GET', '/api/agency/outbox')).json().emails).toEqual([])
  })

  it('a change without the CSRF token is refused', async () => {
    const owner = await h.newTenant()
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/team/invites',
      headers: { cookie: owner.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ email: newEmail(), role: 'analyst' }),
    })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('CSRF_TOKEN_INVALID')
    expect(await h.db.invite.count({ where: { agencyId: owner.agencyId } })).toBe(0)
  })
})
