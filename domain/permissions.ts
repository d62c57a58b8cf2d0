// Who may do what. The API checks every route against this matrix in one place (api/plugins/app/auth.ts):
// a route names the permission it needs, and a role either has it or gets 403.

export const ROLES = ['owner', 'manager', 'analyst', 'editor', 'creator', 'client_approver'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  manager: 'Manager',
  analyst: 'Analyst',
  editor: 'Editor',
  creator: 'Creator',
  client_approver: 'Client approver',
}

export const PERMISSIONS = [
  // Own account: everyone signed in.
  'profile.use',
  'notifications.read',
  // Team
  'team.read',
  'team.invite',
  'team.manage',
  // Agency settings, plan and security
  'plan.read',
  'plan.change',
  'audit.read',
  // The development outbox holds password-reset links: owners only.
  'outbox.read',
  // Client workspaces and brand kits
  'workspace.read',
  'workspace.write',
  'brandkit.write',
  // Creators and their social accounts
  'creator.read',
  'creator.write',
  // Deleting a creator (which disconnects all its accounts) and changing the user a profile is linked to
  // (which hands its accounts to someone else): as weighty as disconnecting, so not for editors.
  'creator.manage',
  'account.connect',
  // Campaigns
  'campaign.read',
  'campaign.write',
  // Content board. Reading is scoped further for creators (their own cards only); which moves a role may
  // make is the transition table in domain/content-board.ts, so `card.move` only opens the door.
  'card.read',
  'card.write',
  'card.move',
  'card.comment',
  // Drafts: a caption version or an asset added to a card (creators on their own cards).
  'card.draft',
  // The workspace's asset library: browsing it, and uploading into it (creators upload onto their cards).
  'asset.read',
  'asset.upload',
  // AI: running generation batches (they count against the plan's monthly generations), and choosing the
  // agency's providers and keys.
  'ai.generate',
  'ai.configure',
  // Publishing: reading scheduled posts, their metrics and the analytics (creators see their own cards' posts
  // through the card; the workspace calendar and analytics are the agency's), and scheduling, moving,
  // cancelling and verifying posts.
  'post.read',
  'post.schedule',
  // The sandbox stand-ins' fault injection (the demo's failure drills): owners and managers.
  'sandbox.control',
] as const
export type Permission = (typeof PERMISSIONS)[number]

const everyone: Permission[] = ['profile.use', 'notifications.read']
const reader: Permission[] = [...everyone, 'team.read', 'workspace.read', 'creator.read', 'campaign.read', 'card.read', 'asset.read', 'post.read']
const contentTeam: Permission[] = ['card.write', 'card.move', 'card.comment', 'card.draft', 'asset.upload', 'post.schedule']

const MATRIX: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  manager: [
    ...reader,
    'team.invite',
    'team.manage',
    'plan.read',
    'workspace.write',
    'brandkit.write',
    'creator.write',
    'creator.manage',
    'account.connect',
    'campaign.write',
    ...contentTeam,
    'ai.generate',
    'ai.configure',
    'sandbox.control',
  ],
  analyst: [...reader, 'plan.read'],
  editor: [...reader, 'brandkit.write', 'creator.write', 'campaign.write', ...contentTeam, 'ai.generate'],
  // A creator connects their own accounts; which creator profile is theirs is checked by the creator service.
  // Cards are read through the board service, which shows a creator only the cards assigned to them.
  // Their files arrive as drafts on their own cards (card.draft), never straight into a client's library.
  creator: [...everyone, 'workspace.read', 'creator.read', 'account.connect', 'card.read', 'card.move', 'card.comment', 'card.draft'],
  client_approver: [...everyone, 'workspace.read', 'campaign.read', 'card.read', 'card.move', 'card.comment', 'asset.read'],
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export function can(role: string, permission: Permission): boolean {
  return isRole(role) && MATRIX[role].includes(permission)
}

export function permissionsOf(role: string): Permission[] {
  return isRole(role) ? [...MATRIX[role]] : []
}

/**
 * Which roles an actor may hand out (by invite or role change). Only owners make owners; a manager
 * manages everyone below manager.
 */
export function assignableRoles(actorRole: string): Role[] {
  if (actorRole === 'owner') return [...ROLES]
  if (actorRole === 'manager') return ROLES.filter((role) => role !== 'owner' && role !== 'manager')
  return []
}

export type RoleChangeRefusal =
  | { code: 'ROLE_NOT_ASSIGNABLE'; message: string }
  | { code: 'LAST_OWNER'; message: string }
  | { code: 'CANNOT_CHANGE_OWN_ROLE'; message: string }

/**
 * Whether `actor` may move `target` from its role to `to` (or remove it, `to` = null). The agency always keeps
 * an owner, and nobody changes their own role (an owner leaves ownership by making someone else owner first).
 */
export function checkRoleChange(input: {
  actorId: string
  actorRole: string
  targetId: string
  targetRole: string
  to: Role | null
  ownerCount: number
}): RoleChangeRefusal | null {
  const { actorId, actorRole, targetId, targetRole, to, ownerCount } = input
  if (actorId === targetId) {
    return { code: 'CANNOT_CHANGE_OWN_ROLE', message: 'You cannot change or remove your own membership; ask another owner.' }
  }
  const assignable = assignableRoles(actorRole)
  if (!assignable.includes(targetRole as Role)) {
    return { code: 'ROLE_NOT_ASSIGNABLE', message: `A ${ROLE_LABELS[actorRole as Role] ?? actorRole} cannot change a ${ROLE_LABELS[targetRole as Role] ?? targetRole}.` }
  }
  if (to !== null && !assignable.includes(to)) {
    return { code: 'ROLE_NOT_ASSIGNABLE', message: `A ${ROLE_LABELS[actorRole as Role] ?? actorRole} cannot make someone ${ROLE_LABELS[to]}.` }
  }
  if (targetRole === 'owner' && to !== 'owner' && ownerCount <= 1) {
    return { code: 'LAST_OWNER', message: 'The agency needs at least one owner: make someone else owner first.' }
  }
  return null
}
