import { Link } from 'react-router'
import type { Campaign } from '~/lib/api.server'
import { LocalTime } from './local-time'
import { StageBadge } from './status-badges'
import { DataTable, TABLE_CARD_CLASS } from './data-table'

export function CampaignTable({ campaigns }: { campaigns: Campaign[] }) {
  if (campaigns.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500" data-testid="no-campaigns">
        No campaigns yet. Create the first one above.
      </p>
    )
  }
  return (
    <div className={TABLE_CARD_CLASS}>
      <DataTable headers={['Campaign', 'Stage', 'Starts', 'Ends']}>
        {campaigns.map((campaign) => (
          <tr key={campaign.id} className="hover:bg-slate-50" data-testid="campaign-row" data-campaign-id={campaign.id}>
            <td className="px-4 py-3 font-medium">
              <Link to={`/campaigns/${campaign.id}`} className="text-slate-900 hover:text-emerald-700">
                {campaign.name}
              </Link>
            </td>
            <td className="px-4 py-3">
              <StageBadge stage={campaign.stage} />
            </td>
            <td className="px-4 py-3 text-slate-600">
              <LocalTime iso={campaign.startsAt} />
            </td>
            <td className="px-4 py-3 text-slate-600">
              <LocalTime iso={campaign.endsAt} />
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  )
}
