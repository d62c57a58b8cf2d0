import { Form, Link, useSubmit } from 'react-router'
import type { Route } from './+types/campaigns'
import { BRIEF_STATUSES, BRIEF_STATUS_LABELS } from '../../../domain/campaign-brief.ts'
import type { WorkspaceListResponse } from '../../../api/schemas/workspace.ts'
import { campaignListQuery, readCampaignListFilters } from './campaign-form'
import { Button } from '~/components/button'
import { CampaignTable } from '~/components/campaign-table'
import { ErrorPanel } from '~/components/error-panel'
import { SelectField } from '~/components/field'
import { rethrowAsRouteError, type Campaign } from '~/lib/api.server'
import { useCan } from '~/lib/permissions'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'Campaigns · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  const filters = readCampaignListFilters(url.searchParams)
  const args = { request, url }
  // Archived workspaces keep their campaigns, so the filter offers them too.
  const [campaigns, active, archived] = await Promise.all([
    callApiAsUser<{ campaigns: Campaign[] }>(args, `/api/campaigns${campaignListQuery(filters)}`),
    callApiAsUser<WorkspaceListResponse>(args, '/api/workspaces'),
    callApiAsUser<WorkspaceListResponse>(args, '/api/workspaces?archived=true'),
  ]).catch(rethrowAsRouteError)
  const option = ({ workspace }: WorkspaceListResponse['workspaces'][number]) => ({ id: workspace.id, name: workspace.name })
  return {
    campaigns: campaigns.data.campaigns,
    filters,
    workspaces: { active: active.data.workspaces.map(option), archived: archived.data.workspaces.map(option) },
  }
}

function CampaignFilters({ filters, workspaces }: Pick<Route.ComponentProps['loaderData'], 'filters' | 'workspaces'>) {
  const submit = useSubmit()
  // With JavaScript a changed filter applies at once; without it, the button submits the same GET form.
  const apply = (event: React.ChangeEvent<HTMLSelectElement>) => {
    if (event.currentTarget.form) void submit(event.currentTarget.form, { replace: true })
  }
  return (
    <Form method="get" className="flex flex-wrap items-end gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="campaign-filters">
      <SelectField label="Workspace" name="workspaceId" defaultValue={filters.workspaceId} onChange={apply} className="min-w-56" data-testid="filter-workspace">
        <option value="">All workspaces</option>
        {workspaces.active.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name}
          </option>
        ))}
        {workspaces.archived.length > 0 && (
          <optgroup label="Archived">
            {workspaces.archived.map((workspace) => (
              <option key={workspace.id} value={workspace.id}>
                {workspace.name}
              </option>
            ))}
          </optgroup>
        )}
      </SelectField>
      <SelectField label="Status" name="status" defaultValue={filters.status} onChange={apply} className="min-w-40" data-testid="filter-status">
        <option value="">Any status</option>
        {BRIEF_STATUSES.map((status) => (
          <option key={status} value={status}>
            {BRIEF_STATUS_LABELS[status]}
          </option>
        ))}
      </SelectField>
      <Button type="submit" variant="secondary">
        Filter
      </Button>
      {(filters.workspaceId || filters.status) && (
        <Link to="/campaigns" className="py-2 text-sm font-medium text-slate-500 hover:text-slate-700">
          Clear filters
        </Link>
      )}
    </Form>
  )
}

export default function Campaigns({ loaderData }: Route.ComponentProps) {
  const { campaigns, filters, workspaces } = loaderData
  const canCreate = useCan('campaign.write')
  const newHref = filters.workspaceId ? `/campaigns/new?workspaceId=${filters.workspaceId}` : '/campaigns/new'
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Campaigns</h1>
          <p className="mt-1 text-sm text-slate-500">Briefs per client workspace; a launched campaign runs as a Temporal workflow.</p>
        </div>
        {canCreate && (
          <Link
            to={newHref}
            className="inline-flex items-center rounded-md bg-emerald-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-emerald-500"
            data-testid="new-campaign"
          >
            New campaign
          </Link>
        )}
      </header>
      {/* A new key per applied filter, so the selects show what the address says after back and forward. */}
      <CampaignFilters key={`${filters.workspaceId}:${filters.status}`} filters={filters} workspaces={workspaces} />
      <CampaignTable campaigns={campaigns} filtered={Boolean(filters.workspaceId || filters.status)} />
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
