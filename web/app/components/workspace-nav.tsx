// The workspace area's own navigation, under the top bar on every page of one workspace: its overview, board,
// review, publishing calendar, analytics and assets, each shown to the roles that may open it.
import { NavLink } from 'react-router'
import type { User } from '~/lib/api.server'

interface WorkspaceLink {
  /** Appended to /workspaces/:id ('' is the overview). */
  path: string
  label: string
  permission: User['permissions'][number]
}

export const WORKSPACE_LINKS: readonly WorkspaceLink[] = [
  { path: '', label: 'Overview', permission: 'workspace.read' },
  { path: '/board', label: 'Board', permission: 'card.read' },
  { path: '/review', label: 'Review', permission: 'card.read' },
  // The calendar and analytics are the agency's (post.read): creators and client approvers see posts only
  // through their cards.
  { path: '/calendar', label: 'Calendar', permission: 'post.read' },
  { path: '/analytics', label: 'Analytics', permission: 'post.read' },
  { path: '/assets', label: 'Assets', permission: 'asset.read' },
]

export function workspaceLinksFor(user: Pick<User, 'permissions'>): readonly WorkspaceLink[] {
  const allowed = new Set<string>(user.permissions)
  return WORKSPACE_LINKS.filter((link) => allowed.has(link.permission))
}

export function WorkspaceNav({ workspaceId, user }: { workspaceId: string; user: Pick<User, 'permissions'> }) {
  const base = `/workspaces/${workspaceId}`
  return (
    <nav aria-label="Workspace" className="border-b border-slate-200 bg-white/70" data-testid="workspace-nav">
      <div className="flex h-10 items-center gap-1 overflow-x-auto px-6">
        <span className="mr-2 text-xs font-semibold tracking-wide text-slate-400 uppercase">Workspace</span>
        {workspaceLinksFor(user).map((link) => (
          <NavLink
            key={link.path}
            to={`${base}${link.path}`}
            end={link.path === ''}
            className={({ isActive }) =>
              `rounded-md px-2.5 py-1 text-sm font-medium whitespace-nowrap ${isActive ? 'bg-slate-100 text-slate-900' : 'text-slate-600 hover:text-slate-900'}`
            }
            data-testid={`workspace-nav-${link.label.toLowerCase()}`}
          >
            {link.label}
          </NavLink>
        ))}
      </div>
    </nav>
  )
}
