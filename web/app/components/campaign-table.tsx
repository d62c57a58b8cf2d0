import { Link } from 'react-router'
import { OBJECTIVE_LABELS } from '../../../domain/campaign-brief.ts'
import type { Campaign } from '~/lib/api.server'
import { formatBriefDates, formatBudget, formatPlatforms } from './brief-format'
import { BriefStatusBadge } from './brief-status-badge'
import { DataTable, TABLE_CARD_CLASS } from './data-table'

export function CampaignTable({ campaigns, filtered }: { campaigns: Campaign[]; filtered: boolean }) {
  if (campaigns.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500" data-testid="no-campaigns">
        {filtered ? 'No campaign matches these filters.' : 'No campaigns yet.'}
      </p>
    )
  }
  return (
    <div className={TABLE_CARD_CLASS}>
      <DataTable headers={['Campaign', 'Workspace', 'Status', 'Objective', 'Platforms', 'Dates', 'Budget', { label: 'Links', hidden: true }]}>
        {campaigns.map((campaign) => (
          <tr key={campaign.id} className="align-top hover:bg-slate-50" data-testid="campaign-row" data-campaign-id={campaign.id}>
            <td className="px-4 py-3 font-medium">
              <Link to={`/campaigns/${campaign.id}`} className="text-slate-900 hover:text-emerald-700">
                {campaign.name}
              </Link>
            </td>
            <td className="px-4 py-3 text-slate-600">
              <Link to={`/workspaces/${campaign.workspaceId}`} className="hover:text-emerald-700">
                {campaign.workspaceName}
              </Link>
            </td>
            <td className="px-4 py-3">
              <BriefStatusBadge status={campaign.status} />
            </td>
            <td className="px-4 py-3 text-slate-600">{OBJECTIVE_LABELS[campaign.objective]}</td>
            <td className="px-4 py-3 text-slate-600">{formatPlatforms(campaign.platforms)}</td>
            <td className="px-4 py-3 text-slate-600" data-testid="campaign-dates">
              {formatBriefDates(campaign)}
              {(campaign.startsAtLocal !== null || campaign.endsAtLocal !== null) && <span className="block text-xs text-slate-500">{campaign.timeZone}</span>}
            </td>
            <td className="px-4 py-3 whitespace-nowrap text-slate-600 tabular-nums" data-testid="campaign-budget">
              {formatBudget(campaign.budgetMinor, campaign.currency)}
            </td>
            <td className="px-4 py-3 text-right whitespace-nowrap">
              <Link to={`/campaigns/${campaign.id}`} className="font-semibold text-emerald-700 hover:text-emerald-600">
                Brief
              </Link>
              <span className="mx-2 text-slate-300" aria-hidden>
                ·
              </span>
              <Link to={`/campaigns/${campaign.id}/board`} className="font-semibold text-emerald-700 hover:text-emerald-600" data-testid="campaign-board-link">
                Board
              </Link>
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  )
}
