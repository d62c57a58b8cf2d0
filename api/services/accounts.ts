// Sign-up and password resets.
import { randomUUID } from 'node:crypto'
import { Prisma } from '../../generated/prisma/client'
import type { Database } from '../../platform/database'
import type { Mailer } from '../../platform/mailer'
import { ApiError } from '../errors'
import { recordAudit } from './audit'
import { hashPassword, randomToken, tokenDigest } from './sessions'
import { normaliseEmail } from '../../domain/accounts'

export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000

function slugFor(name: string): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'agency'
  return `${base}-${randomUUID().slice(0, 8)}`
}

export async function signUp(db: Database, input: { agencyName: string; name: string; email: string; password: string }, ip: string) {
  const email = normaliseEmail(input.email)
  const passwordHash = await hashPassword(input.password)
  try {
    return await db.$transaction(async (tx) => {
      const agency = await tx.agency.create({ data: { name: input.agencyName.trim(), slug: slugFor(input.agencyName) } })
      const user = await tx.user.create({ data: { agencyId: agency.id, email, name: input.name.trim(), role: 'owner', passwordHash } })
      await recordAudit(tx, { agencyId: agency.id, action: 'agency.created', actor: user, target: { type: 'agency', id: agency.id }, ip })
      return user
    })
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ApiError(409, 'EMAIL_TAKEN', 'An account with this e-mail already exists: log in, or reset its password.')
    }
    throw error
  }
}

/**
 * Sends a single-use reset link when the e-mail has an account. The caller answers the same either way, so
 * the endpoint does not reveal which e-mails are registered.
 */
export async function requestPasswordReset(deps: { db: Database; mailer: Mailer; webUrl: string }, email: string, ip: string): Promise<void> {
  const user = await deps.db.user.findUnique({ where: { email: normaliseEmail(email) } })
  if (!user) return
  const token = randomToken()
  await deps.db.passwordReset.create({
    data: { userId: user.id, tokenHash: tokenDigest(token), expiresAt: new Date(Date.now() + PASSWORD_RESET_TTL_MS) },
  })
  await recordAudit(deps.db, { agencyId: user.agencyId, action: 'auth.password_reset_requested', actor: user, target: { type: 'user', id: user.id }, ip })
  await deps.mailer.send({
    agencyId: user.agencyId,
    to: user.email,
    subject: 'Reset your Greenlight password',
    recipientOnly: true,
    text: [
      `Hello ${user.name},`,
      '',
      'Someone (hopefully you) asked to reset the password of your Greenlight account.',
      `Choose a new password here within the next hour: ${deps.webUrl}/reset-password/${token}`,
      '',
      'The link works once. If you did not ask for this, ignore this e-mail: your password stays as it is.',
    ].join('\n'),
  })
}

/** Sets a new password with a reset token; the token is spent and every session of the user ends. */
export async function confirmPasswordReset(db: Database, token: string, password: string, ip: string): Promise<void> {
  const reset = await db.passwordReset.findUnique({ where: { tokenHash: tokenDigest(token) }, include: { user: true } })
  if (!reset) throw new ApiError(400, 'RESET_TOKEN_INVALID', 'This reset link is not valid. Ask for a new one.')
  if (reset.usedAt) throw new ApiError(400, 'RESET_TOKEN_USED', 'This reset link has already been used. Ask for a new one.')
  if (reset.expiresAt.getTime() <= Date.now()) throw new ApiError(400, 'RESET_TOKEN_EXPIRED', 'This reset link has expired. Ask for a new one.')
  const passwordHash = await hashPassword(password)
  await db.$transaction(async (tx) => {
    // The conditional update makes two concurrent uses of one link spend it once.
    const spent = await tx.passwordReset.updateMany({ where: { id: reset.id, usedAt: null }, data: { usedAt: new Date() } })
    if (spent.count !== 1) throw new ApiError(400, 'RESET_TOKEN_USED', 'This reset link has already been used. Ask for a new one.')
    await tx.user.update({ where: { id: reset.userId }, data: { passwordHash } })
    // Other open reset links of the user die with this one.
    await tx.passwordReset.updateMany({ where: { userId: reset.userId, usedAt: null }, data: { usedAt: new Date() } })
    // Whoever knew the old password is logged out everywhere.
    await tx.session.deleteMany({ where: { userId: reset.userId } })
    await recordAudit(tx, { agencyId: reset.user.agencyId, action: 'auth.password_reset', actor: reset.user, target: { type: 'user', id: reset.userId }, ip })
  })
}
