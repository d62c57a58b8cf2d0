// Client workspaces (one per client brand): create with a first brand kit, edit, archive and unarchive, list.
// Every query goes through the agency-scoped client, so another agency's workspace is simply not found.
import { starterBrandKit } from '../../domain/brand-kit'
import type { Workspace as WorkspaceRow } from '../../generated/prisma/client'
import type { TenantDatabase } from '../../platform/tenant-scope'
import { ApiError, notFound } from '../errors'
import type { Workspace } from '../schemas/workspace'
import type { AuthUser } from '../types'
import { brandKitVersionData } from './brand-kits'

export function toWorkspaceDto(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    name: row.name,
    clientName: row.clientName,
    description: row.description,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export async function findWorkspace(db: TenantDatabase, id: string): Promise<WorkspaceRow> {
  const row = await db.workspace.findUnique({ where: { id } })
  if (!row) throw notFound('Workspace')
  return row
}

/** Archived workspaces are read-only until unarchived, so nobody edits a client the agency has put away. */
export function assertNotArchived(row: WorkspaceRow): void {
  if (row.archivedAt) {
    throw new ApiError(409, 'WORKSPACE_ARCHIVED', `“${row.name}” is archived: unarchive it before changing it.`)
  }
}

const LIST_LIMIT = 500

export async function listWorkspaces(db: TenantDatabase, { archived }: { archived: boolean }) {
  const [rows, active, archivedCount] = await Promise.all([
    db.workspace.findMany({
      where: { archivedAt: archived ? { not: null } : null },
      orderBy: archived ? [{ archivedAt: 'desc' }] : [{ name: 'asc' }, { createdAt: 'asc' }],
      take: LIST_LIMIT,
      include: { brandKitVersions: { orderBy: { version: 'desc' }, take: 1, select: { version: true, colors: true, logoFileId: true } } },
    }),
    db.workspace.count({ where: { archivedAt: null } }),
    db.workspace.count({ where: { archivedAt: { not: null } } }),
  ])
  return {
    workspaces: rows.map((row) => {
      const kit = row.brandKitVersions[0]
      return {
        workspace: toWorkspaceDto(row),
        brandKitVersion: kit?.version ?? 1,
        palette: ((kit?.colors ?? []) as { hex: string }[]).map((color) => color.hex),
        hasLogo: Boolean(kit?.logoFileId),
      }
    }),
    counts: { active, archived: archivedCount },
  }
}

/** The workspace and its brand kit version 1 (the starter kit) commit together: no workspace is ever without a kit. */
export async function createWorkspace(
  db: TenantDatabase,
  user: AuthUser,
  input: { name: string; clientName: string; description?: string | undefined },
): Promise<WorkspaceRow> {
  return db.$transaction(async (tx) => {
    const workspace = await tx.workspace.create({
      data: {
        agencyId: user.agency.id,
        name: input.name.trim(),
        clientName: input.clientName.trim(),
        description: input.description?.trim() ?? '',
      },
    })
    await tx.brandKitVersion.create({
      data: brandKitVersionData({ agencyId: user.agency.id, workspaceId: workspace.id, version: 1, createdById: user.id }, starterBrandKit(), null),
    })
    return workspace
  })
}

export async function updateWorkspace(
  db: TenantDatabase,
  id: string,
  input: { name?: string | undefined; clientName?: string | undefined; description?: string | undefined },
): Promise<WorkspaceRow> {
  const row = await findWorkspace(db, id)
  assertNotArchived(row)
  // Conditional on still being active, so an archive that lands between the check and the write wins.
  const [updated] = await db.workspace.updateManyAndReturn({
    where: { id, archivedAt: null },
    data: {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.clientName !== undefined ? { clientName: input.clientName.trim() } : {}),
      ...(input.description !== undefined ? { description: input.description.trim() } : {}),
    },
  })
  if (!updated) assertNotArchived(await findWorkspace(db, id))
  return updated ?? findWorkspace(db, id)
}

/** Archiving an archived workspace (or unarchiving an active one) changes nothing and is not an error. */
export async function setWorkspaceArchived(db: TenantDatabase, id: string, archived: boolean): Promise<WorkspaceRow> {
  const row = await findWorkspace(db, id)
  if (Boolean(row.archivedAt) === archived) return row
  return db.workspace.update({ where: { id }, data: { archivedAt: archived ? new Date() : null } })
}
