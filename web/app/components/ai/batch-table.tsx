// Batches as a table, newest first: status, kind, where they belong, how far they came and what they cost.
// The batch list and a campaign's AI panel (without the workspace and campaign columns) both use it.
import { Link } from 'react-router'
import { formatCostMicros } from '../../../../domain/ai-pricing.ts'
import type { BatchSummaryDto } from '../../../../api/schemas/ai.ts'
import { BATCH_KIND_LABELS, newestFirst } from '~/lib/ai'
import { DataTable, TABLE_CARD_CLASS, type TableHeader } from '../data-table'
import { LocalTime } from '../local-time'
import { BatchStatusBadge } from './badges'

interface BatchTableProps {
  batches: BatchSummaryDto[]
  /** In a campaign's panel the workspace and campaign go without saying. */
  compact?: boolean
  empty: string
}

export function BatchTable({ batches, compact = false, empty }: BatchTableProps) {
  if (batches.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-8 text-center text-sm text-slate-500" data-testid="no-batches">
        {empty}
      </p>
    )
  }
  const headers: TableHeader[] = compact ? ['Batch', 'Status', 'Progress', 'Cost', 'Created'] : ['Batch', 'Status', 'Workspace · campaign', 'Progress', 'Cost', 'Created']
  return (
    <div className={TABLE_CARD_CLASS}>
      <DataTable headers={headers}>
        {newestFirst(batches).map((batch) => (
          <tr key={batch.id} className="align-top hover:bg-slate-50" data-testid="batch-row" data-batch-id={batch.id} data-status={batch.status}>
            <td className="px-4 py-3">
              <Link to={`/ai/batches/${batch.id}`} className="font-medium text-slate-900 hover:text-emerald-700" data-testid="batch-link">
                {BATCH_KIND_LABELS[batch.kind]}
              </Link>
              <span className="block text-xs text-slate-500">
                {batch.sourceTitle ? `“${batch.sourceTitle}” · ` : ''}
                {batch.itemCount} {batch.itemCount === 1 ? 'item' : 'items'} × {batch.variantsPerItem}
              </span>
            </td>
            <td className="px-4 py-3">
              <BatchStatusBadge status={batch.status} />
              {batch.failedItems > 0 && <span className="mt-1 block text-xs text-red-700">{batch.failedItems} failed</span>}
            </td>
            {!compact && (
              <td className="px-4 py-3 text-slate-600">
                <Link to={`/workspaces/${batch.workspace.id}`} className="hover:text-emerald-700">
                  {batch.workspace.name}
                </Link>
                {batch.campaign && (
                  <Link to={`/campaigns/${batch.campaign.id}`} className="block text-xs hover:text-emerald-700">
                    {batch.campaign.name}
                  </Link>
                )}
              </td>
            )}
            <td className="px-4 py-3 text-slate-600 tabular-nums" data-testid="batch-progress-cell">
              {batch.generatedVariants}/{batch.plannedVariants}
            </td>
            <td className="px-4 py-3 text-slate-600 tabular-nums" data-testid="batch-cost">
              {formatCostMicros(batch.costMicros)}
            </td>
            <td className="px-4 py-3 whitespace-nowrap text-slate-600">
              <LocalTime iso={batch.createdAt} />
              <span className="block text-xs text-slate-500">{batch.createdByName}</span>
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  )
}
