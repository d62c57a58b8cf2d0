// Sessions through app.inject on a real PostgreSQL: expiry, and the lastSeenAt bookkeeping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SESSION_LAST_SEEN_RESOLUTION_MS } from '../../api/services/sessions'
import { startApiHarness, type ApiHarness } from '../support/api'

let h: ApiHarness

beforeAll(async () => {
  h = await startApiHarness()
})
afterAll(async () => {
  await h?.stop()
})

/** A fresh tenant logged in once: its owner has exactly one session row. */
async function loggedIn() {
  const tenant = await h.newTenant()
  const user = await h.db.user.findUniqueOrThrow({ where: { email: tenant.email } })
  const session = await h.db.session.findFirstOrThrow({ where: { userId: user.id } })
  return { cookie: tenant.cookie, email: tenant.email, sessionId: session.id }
}

const me = (cookie: string) => h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })
const lastSeenAt = async (sessionId: string) =>
  (await h.db.session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt

describe('sessions', () => {
  it('moves lastSeenAt forward once it is older than the resolution, and leaves a recent one alone', async () => {
    const { cookie, sessionId } = await loggedIn()
    const aged = new Date(Date.now() - SESSION_LAST_SEEN_RESOLUTION_MS - 60_000)
    await h.db.session.update({ where: { id: sessionId }, data: { lastSeenAt: aged } })

    const before = Date.now()
    expect((await me(cookie)).statusCode).toBe(200)
    const refreshed = await lastSeenAt(sessionId)
    expect(refreshed.getTime()).toBeGreaterThanOrEqual(before - 1_000)

    // Within the resolution the row is not written again.
    const recent = new Date(Date.now() - 60_000)
    await h.db.session.update({ where: { id: sessionId }, data: { lastSeenAt: recent } })
    expect((await me(cookie)).statusCode).toBe(200)
    expect(await lastSeenAt(sessionId)).toEqual(recent)
  })

  it('still answers when lastSeenAt cannot be written', async () => {
    const { cookie, email, sessionId } = await loggedIn()
    const aged = new Date(Date.now() - SESSION_LAST_SEEN_RESOLUTION_MS - 60_000)
    await h.db.session.update({ where: { id: sessionId }, data: { lastSeenAt: aged } })
    // This file's own database: a trigger that rejects every update of this session.
    await h.db.$executeRawUnsafe(`
      CREATE FUNCTION reject_session_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'session updates are rejected by this test'; END $$`)
    await h.db.$executeRawUnsafe(`
      CREATE TRIGGER reject_session_update BEFORE UPDATE ON "Session"
      FOR EACH ROW WHEN (OLD.id = '${sessionId}') EXECUTE FUNCTION reject_session_update()`)
    try {
      const res = await me(cookie)
      expect(res.statusCode).toBe(200)
      expect(res.json().user.email).toBe(email)
      expect(await lastSeenAt(sessionId)).toEqual(aged)
    } finally {
      await h.db.$executeRawUnsafe(`DROP TRIGGER reject_session_update ON "Session"`)
      await h.db.$executeRawUnsafe(`DROP FUNCTION reject_session_update()`)
    }
  })

  it('answers 401 SESSION_INVALID for an expired session', async () => {
    const { cookie, sessionId } = await loggedIn()
    expect((await me(cookie)).statusCode).toBe(200)
    await h.db.session.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - 1_000) } })

    const res = await me(cookie)
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('SESSION_INVALID')
  })
})
