// The heading of a workspace's calendar and analytics pages: the way back to the workspace, the page's title,
// and a line about what it shows.
import type { ReactNode } from 'react'
import { Link } from 'react-router'

interface WorkspaceSectionHeaderProps {
  workspaceId: string
  /** Null when the workspace's name could not be read: the link then just says "Workspace". */
  workspaceName: string | null
  title: string
  testId: string
  children?: ReactNode
  aside?: ReactNode
}

export function WorkspaceSectionHeader({ workspaceId, workspaceName, title, testId, children, aside }: WorkspaceSectionHeaderProps) {
  return (
    <header className="flex flex-wrap items-end justify-between gap-4">
      <div className="space-y-1">
        <Link to={`/workspaces/${workspaceId}`} className="text-sm font-medium text-slate-500 hover:text-slate-700">
          ← {workspaceName ?? 'Workspace'}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight" data-testid={testId}>
          {title}
        </h1>
        {children && <p className="text-sm text-slate-600">{children}</p>}
      </div>
      {aside}
    </header>
  )
}
