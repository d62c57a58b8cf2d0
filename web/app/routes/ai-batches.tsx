// AI drafts: every generation batch the agency ran, newest first, optionally for one workspace or campaign.
import { Form, Link, useSubmit } from 'react-router'
import type { Route } from './+types/ai-batches'
import type { BatchSummaryDto } from '../../../api/schemas/ai.ts'
import type { WorkspaceListResponse } from '../../../api/schemas/workspace.ts'
import { BatchTable } from '~/components/ai/batch-table'
import { Button } from '~/components/button'
import { ErrorPanel } from '~/components/error-panel'
import { SelectField } from '~/components/field'
import { batchListQuery, readBatchListFilters } from '~/lib/ai'
import { optional } from '~/lib/ai.server'
import { rethrowAsRouteError, type CampaignDetail } from '~/lib/api.server'
import { useCan } from '~/lib/permissions'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'AI drafts · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  const args = { request, url }
  const filters = readBatchListFilters(url.searchParams)
  const [list, workspaces, campaign] = await Promise.all([
    callApiAsUser<{ batches: BatchSummaryDto[] }>(args, `/api/ai-batches${batchListQuery(filters)}`),
    optional(callApiAsUser<WorkspaceListResponse>(args, '/api/workspaces')),
    filters.campaignId ? optional(callApiAsUser<CampaignDetail>(args, `/api/campaigns/${filters.campaignId}`)) : null,
  ]).catch(rethrowAsRouteError)
  return {
    batches: list.data.batches,
    filters,
    workspaces: workspaces?.workspaces.map(({ workspace }) => ({ id: workspace.id, name: workspace.name })) ?? [],
    campaign: campaign ? { id: campaign.campaign.id, name: campaign.campaign.name, workspaceId: campaign.campaign.workspaceId } : null,
  }
}

export default function AiBatches({ loaderData }: Route.ComponentProps) {
  const { batches, filters, workspaces, campaign } = loaderData
  const canGenerate = useCan('ai.generate')
  const submit = useSubmit()
  const workspaceId = filters.workspaceId || campaign?.workspaceId || ''
  const filtered = Boolean(filters.workspaceId || filters.campaignId)
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">AI drafts</h1>
          <p className="mt-1 text-sm text-slate-500">Generation batches: captions for assets and repurposed texts, each variant scored. Newest first.</p>
        </div>
        {canGenerate && workspaceId && (
          <div className="flex gap-3">
            <Link
              to={`/workspaces/${workspaceId}/generate${filters.campaignId ? `?campaign=${filters.campaignId}` : ''}`}
              className="inline-flex items-center rounded-md bg-emerald-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-emerald-500"
              data-testid="generate-link"
            >
              Generate captions
            </Link>
            <Link
              to={`/workspaces/${workspaceId}/repurpose${filters.campaignId ? `?campaign=${filters.campaignId}` : ''}`}
              className="inline-flex items-center rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-700 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
              data-testid="repurpose-link"
            >
              Repurpose a text
            </Link>
          </div>
        )}
      </header>

      <Form method="get" className="flex flex-wrap items-end gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="batch-filters" key={`${filters.workspaceId}:${filters.campaignId}`}>
        <SelectField
          label="Workspace"
          name="workspaceId"
          defaultValue={filters.workspaceId}
          onChange={(event) => {
            if (event.currentTarget.form) void submit(event.currentTarget.form, { replace: true })
          }}
          className="min-w-56"
          data-testid="filter-workspace"
        >
          <option value="">All workspaces</option>
          {workspaces.map((workspace) => (
            <option key={workspace.id} value={workspace.id}>
              {workspace.name}
            </option>
          ))}
        </SelectField>
        {filters.campaignId && (
          <p className="py-2 text-sm text-slate-700" data-testid="filter-campaign">
            Campaign:{' '}
            <Link to={`/campaigns/${filters.campaignId}`} className="font-medium hover:text-emerald-700">
              {campaign?.name ?? 'this campaign'}
            </Link>
          </p>
        )}
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {filtered && (
          <Link to="/ai/batches" className="py-2 text-sm font-medium text-slate-500 hover:text-slate-700">
            Clear filters
          </Link>
        )}
      </Form>

      <BatchTable batches={batches} empty={filtered ? 'No batch matches these filters.' : 'No batches yet: start one from a workspace’s “Generate captions”.'} />
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
