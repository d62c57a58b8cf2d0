// Invites: a member invites someone by e-mail with a role; the link carries a random token whose SHA-256 is
// the only thing stored. The token works once, until it expires or is revoked. Accepting creates the user in
// the inviting agency with the invited role.
import { Prisma, type Invite } from '../../generated/prisma/client'
import { ROLE_LABELS, assignableRoles, type Role } from '../../domain/permissions'
import type { Database } from '../../platform/database'
import type { MailResult, Mailer } from '../../platform/mailer'
import { asTransactionClient, type TenantDatabase } from '../../platform/tenant-scope'
import { ApiError, notFound } from '../errors'
import type { InvitePreview, PendingInvite } from '../schemas/team'
import type { AuthUser } from '../types'
import { recordAudit } from './audit'
import { hashPassword, randomToken, tokenDigest } from './sessions'
import { toPendingInviteDto } from './team'
import { assertWithinLimit, lockAgency } from './usage'
import { normaliseEmail } from '../../domain/accounts'

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000

export interface InviteDeps {
  db: Database
  tenantDb: TenantDatabase
  mailer: Mailer
  webUrl: string
}


const roleLabel = (role: string) => ROLE_LABELS[role as Role] ?? role

function assertAssignable(actor: AuthUser, role: Role, verb: string): void {
  if (!assignableRoles(actor.role).includes(role)) {
    throw new ApiError(403, 'ROLE_NOT_ASSIGNABLE', `A ${roleLabel(actor.role)} cannot ${verb} ${roleLabel(role)}.`, [
      { path: '/role', message: `Roles you may give: ${assignableRoles(actor.role).map(roleLabel).join(', ') || 'none'}.` },
    ])
  }
}

/**
 * Invites `email` into the actor's agency. A pending invite for the same e-mail is replaced (revoked), and the
 * new one must fit the plan's seats. The e-mail is sent after the invite commits, so a refused invite mails
 * nobody.
 */
export async function createInvite(
  deps: InviteDeps,
  actor: AuthUser,
  input: { email: string; role: Role },
  ip: string,
): Promise<{ invite: PendingInvite; emailStatus: MailResult['status'] }> {
  const email = normaliseEmail(input.email)
  assertAssignable(actor, input.role, 'invite a')
  // E-mail addresses are unique across Greenlight: one person, one agency.
  if (await deps.db.user.findUnique({ where: { email } })) {
    throw new ApiError(409, 'EMAIL_TAKEN', `${email} already has a Greenlight account, and an account belongs to one agency.`, [
      { path: '/email', message: 'already has a Greenlight account' },
    ])
  }
  const agencyId = actor.agency.id
  const token = randomToken()
  const now = new Date()
  const { invite, replaced } = await deps.tenantDb.$transaction(async (tx) => {
    // Locked before the pending invites are looked at, so two invites for one e-mail cannot both stay pending.
    await lockAgency(asTransactionClient(tx), agencyId)
    const { count: replaced } = await tx.invite.updateMany({
      where: { agencyId, email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    })
    await assertWithinLimit(asTransactionClient(tx), agencyId, 'seats')
    const invite = await tx.invite.create({
      data: {
        agencyId,
        email,
        role: input.role,
        tokenHash: tokenDigest(token),
        invitedById: actor.id,
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      },
    })
    await recordAudit(asTransactionClient(tx), {
      agencyId,
      action: 'team.invited',
      actor,
      target: { type: 'invite', id: invite.id },
      detail: { email, role: input.role, ...(replaced > 0 ? { replacedInvites: replaced } : {}) },
      ip,
    })
    return { invite, replaced }
  })
  const link = `${deps.webUrl.replace(/\/+$/, '')}/invite/${token}`
  const sent = await deps.mailer.send({
    agencyId,
    to: email,
    subject: `${actor.name} invited you to ${actor.agency.name} on Greenlight`,
    text: [
      'Hello,',
      '',
      `${actor.name} invited you to join ${actor.agency.name} on Greenlight as ${roleLabel(input.role)}.`,
      `Accept the invitation and choose your password here: ${link}`,
      '',
      `The link works once and expires on ${invite.expiresAt.toUTCString()}.`,
      ...(replaced > 0 ? ['It replaces the earlier invitation you received from this agency.'] : []),
      'If you did not expect this, ignore this e-mail.',
    ].join('\n'),
  })
  return { invite: toPendingInviteDto(invite, actor.name), emailStatus: sent.status }
}

/** Revokes a pending invite; its link stops working at once. */
export async function revokeInvite(deps: Pick<InviteDeps, 'tenantDb'>, actor: AuthUser, inviteId: string, ip: string): Promise<void> {
  const invite = await deps.tenantDb.invite.findUnique({ where: { id: inviteId } })
  if (!invite) throw notFound('Invite')
  // Whoever may not hand out a role may not take back its invitations either.
  assertAssignable(actor, invite.role as Role, 'revoke an invitation for a')
  if (invite.acceptedAt) throw new ApiError(409, 'INVITE_USED', `${invite.email} already accepted this invitation: remove the member instead.`)
  await deps.tenantDb.$transaction(async (tx) => {
    const { count } = await tx.invite.updateMany({ where: { id: invite.id, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } })
    if (count !== 1) {
      const current = await tx.invite.findUniqueOrThrow({ where: { id: invite.id } })
      if (current.acceptedAt) throw new ApiError(409, 'INVITE_USED', `${invite.email} already accepted this invitation: remove the member instead.`)
      throw new ApiError(409, 'INVITE_REVOKED', 'This invitation was already revoked.')
    }
    await recordAudit(asTransactionClient(tx), {
      agencyId: invite.agencyId,
      action: 'team.invite_revoked',
      actor,
      target: { type: 'invite', id: invite.id },
      detail: { email: invite.email, role: invite.role },
      ip,
    })
  })
}

type InviteWithAgency = Invite & { agency: { name: string } }

/** Why a token cannot be used now, or null when it can. Revoked and used are told apart from expired. */
function inviteRefusal(invite: InviteWithAgency | null, now: Date): ApiError | null {
  if (!invite) return new ApiError(400, 'INVITE_INVALID', 'This invitation link is not valid. Check that it was copied completely, or ask for a new invitation.')
  if (invite.acceptedAt) return new ApiError(410, 'INVITE_USED', 'This invitation has already been used. Log in, or ask for a new invitation.')
  if (invite.revokedAt) return new ApiError(410, 'INVITE_REVOKED', `This invitation was withdrawn by ${invite.agency.name}. Ask them for a new one.`)
  if (invite.expiresAt.getTime() <= now.getTime()) return new ApiError(410, 'INVITE_EXPIRED', `This invitation expired. Ask ${invite.agency.name} for a new one.`)
  return null
}

async function findInviteByToken(db: Database | Prisma.TransactionClient, token: string): Promise<InviteWithAgency | null> {
  return db.invite.findUnique({ where: { tokenHash: tokenDigest(token) }, include: { agency: { select: { name: true } } } })
}

/** What the invitation page shows before accepting. */
export async function previewInvite(db: Database, token: string): Promise<InvitePreview> {
  const invite = await findInviteByToken(db, token)
  const refusal = inviteRefusal(invite, new Date())
  if (refusal) throw refusal
  return { agencyName: invite!.agency.name, email: invite!.email, role: invite!.role as Role, expiresAt: invite!.expiresAt.toISOString() }
}

/**
 * Creates the invited user and spends the token in one transaction. The token is spent with a conditional
 * update, so of two concurrent accepts one creates the user and the other is refused; a refusal writes nothing.
 */
export async function acceptInvite(db: Database, token: string, input: { name: string; password: string }, ip: string) {
  const found = await findInviteByToken(db, token)
  const refusal = inviteRefusal(found, new Date())
  if (refusal) throw refusal
  const invite = found!
  const passwordHash = await hashPassword(input.password)
  try {
    return await db.$transaction(async (tx) => {
      const now = new Date()
      const spent = await tx.invite.updateMany({
        where: { id: invite.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      })
      if (spent.count !== 1) throw inviteRefusal(await findInviteByToken(tx, token), now) ?? new ApiError(410, 'INVITE_USED', 'This invitation has already been used.')
      const user = await tx.user.create({
        data: { agencyId: invite.agencyId, email: invite.email, name: input.name.trim(), role: invite.role, passwordHash },
      })
      await recordAudit(tx, {
        agencyId: invite.agencyId,
        action: 'team.invite_accepted',
        actor: user,
        target: { type: 'user', id: user.id },
        detail: { inviteId: invite.id, email: invite.email, role: invite.role },
        ip,
      })
      return user
    })
  } catch (error) {
    // Someone signed up with this e-mail after the invitation was sent; the token stays unspent (rolled back).
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ApiError(409, 'EMAIL_TAKEN', `${invite.email} already has a Greenlight account. Log in with it, or ask for an invitation to another address.`)
    }
    throw error
  }
}
