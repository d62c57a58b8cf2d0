// Passwords and sessions. Passwords are hashed with argon2id; a session cookie carries a random token
// whose SHA-256 is the only thing stored, and deleting the row revokes it. Each session also has a CSRF
// token that cookie-authenticated mutations must echo in the x-csrf-token header.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'
import type { Database } from '../../platform/database'
import type { AuthUser } from '../types'
import { normaliseEmail } from '../../domain/accounts'

export const SESSION_COOKIE = 'gl_session'
export const CSRF_HEADER = 'x-csrf-token'

// A real hash to compare against when the e-mail is unknown, so both paths take the same time and
// response timing does not reveal which e-mails have accounts.
const dummyHash = hash('greenlight-timing-equaliser')

export const hashPassword = (password: string) => hash(password)

export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('hex')

/** A URL-safe random secret (256 bits). */
export const randomToken = () => randomBytes(32).toString('base64url')

/** lastSeenAt is refreshed at most this often, so a burst of requests does not write the row each time. */
export const SESSION_LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000

export async function verifyLogin(db: Database, email: string, password: string) {
  const user = await db.user.findUnique({ where: { email: normaliseEmail(email) } })
  const ok = await verify(user?.passwordHash ?? (await dummyHash), password).catch(() => false)
  return user && ok ? user : null
}

export async function createSession(db: Database, userId: string, ttlDays: number) {
  const token = randomToken()
  const expiresAt = new Date(Date.now() + ttlDays * 24 * 60 * 60 * 1000)
  await db.session.create({ data: { userId, tokenHash: tokenDigest(token), csrfToken: randomToken(), expiresAt } })
  return { token, expiresAt }
}

export async function findSessionUser(db: Database, token: string): Promise<AuthUser | null> {
  const session = await db.session.findUnique({
    where: { tokenHash: tokenDigest(token) },
    include: { user: { include: { agency: true, creator: { select: { id: true } } } } },
  })
  const now = Date.now()
  if (!session || session.expiresAt.getTime() <= now) return null
  if (now - session.lastSeenAt.getTime() > SESSION_LAST_SEEN_RESOLUTION_MS) {
    try {
      await db.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } })
    } catch {
      // Only bookkeeping: a request must not fail because the last-seen time could not be written.
    }
  }
  const { user } = session
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    agency: { id: user.agency.id, name: user.agency.name, plan: user.agency.plan },
    creatorId: user.creator?.id ?? null,
    sessionId: session.id,
    csrfToken: session.csrfToken,
  }
}

/** Constant-time comparison of the header a request sent with its session's CSRF token. */
export function csrfTokenMatches(sent: string | undefined, expected: string): boolean {
  if (!sent) return false
  const a = Buffer.from(sent)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function revokeSession(db: Database, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } })
}

/** "Log out everywhere": every session of the user ends, this one included. Returns how many ended. */
export async function revokeAllSessions(db: Database, userId: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId } })
  return count
}
