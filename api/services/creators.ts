// Creator profiles: display name, notes and tags, optionally linked to the agency user (role creator) they
// belong to. A user with the creator role sees and manages only their own profile's accounts.
import { Prisma } from '../../generated/prisma/client'
import type { Creator as CreatorRow, SocialAccount as SocialAccountRow, User } from '../../generated/prisma/client'
import { ROLE_LABELS, can, type Role } from '../../domain/permissions'
import type { TenantDatabase } from '../../platform/tenant-scope'
import { ApiError, notFound } from '../errors'
import type { Creator, CreatorDetail, CreateCreatorBody, LinkableUser, UpdateCreatorBody } from '../schemas/creator'
import type { AuthUser } from '../types'
import { toSocialAccountDto } from './social-accounts'

type CreatorWithRelations = CreatorRow & { user: User | null; socialAccounts: Pick<SocialAccountRow, 'status'>[] }

export function toCreatorDto(row: CreatorWithRelations): Creator {
  const counts = { active: 0, needs_reauth: 0, disconnected: 0 }
  for (const { status } of row.socialAccounts) if (status in counts) counts[status as keyof typeof counts] += 1
  return {
    id: row.id,
    displayName: row.displayName,
    notes: row.notes,
    tags: row.tags,
    user: row.user ? { id: row.user.id, name: row.user.name, email: row.user.email } : null,
    accountCounts: counts,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** A user with the creator role works only on the profile linked to them. */
export const ownsOnlyOwnProfile = (user: AuthUser) => user.role === 'creator'

/** Trims, drops empties and case-insensitive duplicates, keeps the first spelling. */
export function normaliseTags(tags: string[]): string[] {
  const seen = new Set<string>()
  const result: string[] = []
  for (const raw of tags) {
    const tag = raw.trim().replace(/\s+/g, ' ')
    const key = tag.toLowerCase()
    if (!tag || seen.has(key)) continue
    seen.add(key)
    result.push(tag)
  }
  return result
}

const withRelations = { user: true, socialAccounts: { select: { status: true } } } as const

export async function listCreators(tenantDb: TenantDatabase, user: AuthUser): Promise<Creator[]> {
  const rows = await tenantDb.creator.findMany({
    where: ownsOnlyOwnProfile(user) ? { userId: user.id } : {},
    include: withRelations,
    orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
    take: 500,
  })
  return rows.map(toCreatorDto)
}

/** The creator row, or 404 (another agency's id, or for a creator-role user another creator's profile). */
export async function findCreator(tenantDb: TenantDatabase, user: AuthUser, id: string) {
  const row = await tenantDb.creator.findUnique({ where: { id }, include: withRelations })
  if (!row || (ownsOnlyOwnProfile(user) && row.userId !== user.id)) throw notFound('Creator')
  return row
}

export async function getCreator(tenantDb: TenantDatabase, user: AuthUser, id: string): Promise<CreatorDetail> {
  const row = await findCreator(tenantDb, user, id)
  const accounts = await tenantDb.socialAccount.findMany({
    where: { creatorId: row.id },
    orderBy: [{ platform: 'asc' }, { handle: 'asc' }, { id: 'asc' }],
  })
  return { creator: toCreatorDto(row), accounts: accounts.map(toSocialAccountDto) }
}

/** A user may be linked when they belong to the agency, have the creator role, and have no other profile. */
async function checkLinkableUser(tenantDb: TenantDatabase, userId: string, creatorId: string | null): Promise<void> {
  const target = await tenantDb.user.findUnique({ where: { id: userId }, include: { creator: true } })
  if (!target) {
    throw new ApiError(400, 'VALIDATION_FAILED', 'The user to link is not a member of this agency.', [{ path: '/userId', message: 'is not a member of this agency' }])
  }
  if (target.role !== 'creator') {
    throw new ApiError(400, 'VALIDATION_FAILED', `${target.name} does not have the creator role, so cannot be linked to a creator profile.`, [
      { path: '/userId', message: 'must be a user with the creator role' },
    ])
  }
  if (target.creator && target.creator.id !== creatorId) {
    throw new ApiError(409, 'CREATOR_USER_TAKEN', `${target.name} is already linked to the creator profile “${target.creator.displayName}”.`)
  }
}

function linkConflict(error: unknown): never {
  // Two requests linking the same user at once: the unique index on Creator.userId lets one win.
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    throw new ApiError(409, 'CREATOR_USER_TAKEN', 'That user is already linked to another creator profile.')
  }
  throw error
}

export async function createCreator(tenantDb: TenantDatabase, user: AuthUser, body: CreateCreatorBody): Promise<Creator> {
  if (body.userId) await checkLinkableUser(tenantDb, body.userId, null)
  const row = await tenantDb.creator
    .create({
      data: {
        agencyId: user.agency.id,
        displayName: body.displayName.trim(),
        notes: body.notes?.trim() ?? '',
        tags: normaliseTags(body.tags ?? []),
        userId: body.userId ?? null,
      },
      include: withRelations,
    })
    .catch(linkConflict)
  return toCreatorDto(row)
}

export async function updateCreator(tenantDb: TenantDatabase, user: AuthUser, id: string, body: UpdateCreatorBody): Promise<Creator> {
  const current = await findCreator(tenantDb, user, id)
  // The linked user may connect and disconnect the profile's accounts: relinking hands them over, which
  // needs more than editing the profile. Sending the same user again (the form does) changes nothing.
  if (body.userId !== undefined && body.userId !== current.userId && !can(user.role, 'creator.manage')) {
    const label = ROLE_LABELS[user.role as Role] ?? user.role
    throw new ApiError(403, 'FORBIDDEN', `Your role (${label}) does not allow changing the user a creator is linked to (needs creator.manage).`)
  }
  if (body.userId) await checkLinkableUser(tenantDb, body.userId, current.id)
  const row = await tenantDb.creator
    .update({
      where: { id: current.id },
      data: {
        ...(body.displayName !== undefined ? { displayName: body.displayName.trim() } : {}),
        ...(body.notes !== undefined ? { notes: body.notes.trim() } : {}),
        ...(body.tags !== undefined ? { tags: normaliseTags(body.tags) } : {}),
        ...(body.userId !== undefined ? { userId: body.userId } : {}),
      },
      include: withRelations,
    })
    .catch(linkConflict)
  return toCreatorDto(row)
}

/** Users with the creator role, and which profile each is linked to, for the "linked user" picker. */
export async function listLinkableUsers(tenantDb: TenantDatabase): Promise<LinkableUser[]> {
  const users = await tenantDb.user.findMany({
    where: { role: 'creator' },
    include: { creator: { select: { id: true } } },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  })
  return users.map((u) => ({ id: u.id, name: u.name, email: u.email, creatorId: u.creator?.id ?? null }))
}
