import { Link } from 'react-router'
import type { Creator } from '../../../api/schemas/creator.ts'
import { Badge } from './badge'
import { DataTable, TABLE_CARD_CLASS } from './data-table'

export function CreatorTable({ creators }: { creators: Creator[] }) {
  if (creators.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500" data-testid="no-creators">
        No creators yet.
      </p>
    )
  }
  return (
    <div className={TABLE_CARD_CLASS}>
      <DataTable headers={['Creator', 'Tags', 'Linked user', 'Accounts']}>
        {creators.map((creator) => (
          <tr key={creator.id} className="hover:bg-slate-50" data-testid="creator-row" data-creator-id={creator.id}>
            <td className="px-4 py-3 font-medium">
              <Link to={`/creators/${creator.id}`} className="text-slate-900 hover:text-emerald-700">
                {creator.displayName}
              </Link>
            </td>
            <td className="px-4 py-3">
              <span className="flex flex-wrap gap-1">
                {creator.tags.map((tag) => (
                  <span key={tag} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">
                    {tag}
                  </span>
                ))}
              </span>
            </td>
            <td className="px-4 py-3 text-slate-600">{creator.user ? creator.user.name : '—'}</td>
            <td className="px-4 py-3">
              <span className="flex flex-wrap gap-1">
                {creator.accountCounts.active > 0 && <Badge tone="emerald">{creator.accountCounts.active} active</Badge>}
                {creator.accountCounts.needs_reauth > 0 && <Badge tone="amber">{creator.accountCounts.needs_reauth} need re-auth</Badge>}
                {creator.accountCounts.disconnected > 0 && <Badge tone="slate">{creator.accountCounts.disconnected} disconnected</Badge>}
                {creator.accountCounts.active + creator.accountCounts.needs_reauth + creator.accountCounts.disconnected === 0 && (
                  <span className="text-slate-400">none</span>
                )}
              </span>
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  )
}
