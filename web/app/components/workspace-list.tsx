import { Link } from 'react-router'
import type { WorkspaceListResponse } from '../../../api/schemas/workspace.ts'
import { LocalTime } from './local-time'
import { DataTable, TABLE_CARD_CLASS } from './data-table'

type Item = WorkspaceListResponse['workspaces'][number]

function Palette({ colors }: { colors: string[] }) {
  return (
    <span className="flex -space-x-1" aria-label={`Palette: ${colors.join(', ')}`}>
      {colors.map((hex, i) => (
        <span key={i} className="size-5 rounded-full ring-2 ring-white" style={{ backgroundColor: hex }} title={hex} />
      ))}
    </span>
  )
}

/** Switches between the active and the archived workspaces (a link each, so it works without JS). */
export function ArchivedToggle({ archived, counts }: { archived: boolean; counts: WorkspaceListResponse['counts'] }) {
  const tab = (active: boolean) =>
    `rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-white text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:text-slate-900'}`
  return (
    <nav className="inline-flex gap-1 rounded-lg bg-slate-100 p-1" aria-label="Show">
      <Link to="/workspaces" className={tab(!archived)} aria-current={!archived ? 'page' : undefined} data-testid="show-active">
        Active ({counts.active})
      </Link>
      <Link to="/workspaces?archived=true" className={tab(archived)} aria-current={archived ? 'page' : undefined} data-testid="show-archived">
        Archived ({counts.archived})
      </Link>
    </nav>
  )
}

export function WorkspaceList({ items, archived }: { items: Item[]; archived: boolean }) {
  if (items.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500" data-testid="no-workspaces">
        {archived ? 'No archived workspaces.' : 'No workspaces yet. Create one per client brand.'}
      </p>
    )
  }
  return (
    <div className={TABLE_CARD_CLASS}>
      <DataTable headers={['Workspace', 'Client', 'Brand kit', archived ? 'Archived' : 'Created']}>
        {items.map(({ workspace, palette, brandKitVersion, hasLogo }) => (
          <tr key={workspace.id} className="hover:bg-slate-50" data-testid="workspace-row" data-workspace-id={workspace.id}>
            <td className="px-4 py-3 font-medium">
              <Link to={`/workspaces/${workspace.id}`} className="text-slate-900 hover:text-emerald-700">
                {workspace.name}
              </Link>
              {workspace.description && <p className="mt-0.5 line-clamp-1 text-xs font-normal text-slate-500">{workspace.description}</p>}
            </td>
            <td className="px-4 py-3 text-slate-600">{workspace.clientName}</td>
            <td className="px-4 py-3">
              <span className="flex items-center gap-3 text-slate-600">
                <Palette colors={palette} />
                <span>
                  v{brandKitVersion}
                  {hasLogo ? ' · logo' : ''}
                </span>
              </span>
            </td>
            <td className="px-4 py-3 text-slate-600">
              <LocalTime iso={archived && workspace.archivedAt ? workspace.archivedAt : workspace.createdAt} />
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  )
}
