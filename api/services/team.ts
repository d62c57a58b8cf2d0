// The team of an agency: members with their roles, pending invites, role changes and removals. Who may change
// whom is decided by domain/permissions.ts (checkRoleChange); this file applies it under a lock on the agency,
// so two owners demoting each other at once cannot leave the agency without one.
import { ROLE_LABELS, assignableRoles, checkRoleChange, type Role } from '../../domain/permissions'
import type { Invite, User } from '../../generated/prisma/client'
import { asTransactionClient, type TenantDatabase, type TenantTransaction } from '../../platform/tenant-scope'
import { ApiError, notFound } from '../errors'
import type { PendingInvite, TeamMember, TeamResponse } from '../schemas/team'
import type { AuthUser } from '../types'
import { recordAudit } from './audit'
import { lockAgency } from './usage'

export function toMemberDto(user: User): TeamMember {
  return { id: user.id, name: user.name, email: user.email, role: user.role as Role, createdAt: user.createdAt.toISOString() }
}

export function toPendingInviteDto(invite: Invite, invitedBy: string | null): PendingInvite {
  return {
    id: invite.id,
    email: invite.email,
    role: invite.role as Role,
    expiresAt: invite.expiresAt.toISOString(),
    invitedBy,
    createdAt: invite.createdAt.toISOString(),
  }
}

/** Members (oldest first) and the invites still open (newest first), with the roles the viewer may give. */
export async function listTeam(tenantDb: TenantDatabase, viewer: AuthUser): Promise<TeamResponse> {
  const now = new Date()
  const [members, invites] = await Promise.all([
    tenantDb.user.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 500 }),
    tenantDb.invite.findMany({
      where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: 'desc' },
      take: 500,
    }),
  ])
  const names = new Map(members.map((member) => [member.id, member.name]))
  return {
    members: members.map(toMemberDto),
    invites: invites.map((invite) => toPendingInviteDto(invite, invite.invitedById ? (names.get(invite.invitedById) ?? null) : null)),
    assignableRoles: assignableRoles(viewer.role),
  }
}

/**
 * Runs a role change or removal of `memberId` when the rules allow it. Under the agency lock, the actor's role
 * is read as it is now: a change that committed since this request was authenticated (another owner demoted
 * them a moment ago) counts.
 */
async function changeMembership<T>(
  tenantDb: TenantDatabase,
  actor: AuthUser,
  memberId: string,
  to: Role | null,
  apply: (tx: TenantTransaction, target: User) => Promise<T>,
): Promise<T> {
  const agencyId = actor.agency.id
  return tenantDb.$transaction(async (tx) => {
    await lockAgency(asTransactionClient(tx), agencyId)
    const current = await tx.user.findUnique({ where: { id: actor.id } })
    if (!current) throw new ApiError(401, 'SESSION_INVALID', 'Your membership has ended: log in again.')
    const target = await tx.user.findUnique({ where: { id: memberId } })
    if (!target) throw notFound('Member')
    const ownerCount = await tx.user.count({ where: { role: 'owner' } })
    const refusal = checkRoleChange({ actorId: actor.id, actorRole: current.role, targetId: target.id, targetRole: target.role, to, ownerCount })
    if (refusal) throw new ApiError(refusal.code === 'LAST_OWNER' ? 409 : 403, refusal.code, refusal.message)
    return apply(tx, target)
  })
}

/** Gives a member another role; the same role again changes and records nothing. */
export async function changeMemberRole(tenantDb: TenantDatabase, actor: AuthUser, memberId: string, role: Role, ip: string): Promise<TeamMember> {
  return changeMembership(tenantDb, actor, memberId, role, async (tx, target) => {
    if (target.role === role) return toMemberDto(target)
    const updated = await tx.user.update({ where: { id: target.id }, data: { role } })
    await recordAudit(asTransactionClient(tx), {
      agencyId: actor.agency.id,
      action: 'team.role_changed',
      actor,
      target: { type: 'user', id: target.id },
      detail: { name: target.name, email: target.email, from: target.role, to: role },
      ip,
    })
    return toMemberDto(updated)
  })
}

/** Removes a member: the user is deleted, and with it their sessions (they are signed out everywhere). */
export async function removeMember(tenantDb: TenantDatabase, actor: AuthUser, memberId: string, ip: string): Promise<void> {
  await changeMembership(tenantDb, actor, memberId, null, async (tx, target) => {
    await tx.user.delete({ where: { id: target.id } })
    await recordAudit(asTransactionClient(tx), {
      agencyId: actor.agency.id,
      action: 'team.member_removed',
      actor,
      target: { type: 'user', id: target.id },
      detail: { name: target.name, email: target.email, role: target.role, roleLabel: ROLE_LABELS[target.role as Role] ?? target.role },
      ip,
    })
  })
}
