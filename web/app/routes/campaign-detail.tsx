import { data, Link } from 'react-router'
import type { Route } from './+types/campaign-detail'
import { Badge } from '~/components/badge'
import { CampaignControls } from '~/components/campaign-controls'
import { ErrorPanel } from '~/components/error-panel'
import { EventLog } from '~/components/event-log'
import { FormError } from '~/components/form-error'
import { LiveRefresh } from '~/components/live-refresh'
import { LocalTime } from '~/components/local-time'
import { StageHistory } from '~/components/stage-history'
import { StageBadge } from '~/components/status-badges'
import { WorkflowPanel } from '~/components/workflow-panel'
import { ApiError, rethrowAsRouteError, type Campaign, type CampaignEvent, type RouteErrorBody, type WorkflowState } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { useCan } from '~/lib/permissions'
import { callApiAsUser } from '~/lib/session.server'

const LIVE_REFRESH_MS = 2_000

interface CampaignDetailResponse {
  campaign: Campaign
  workflow: WorkflowState | null
  events: CampaignEvent[]
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `${loaderData.campaign.name} · Greenlight` : 'Campaign · Greenlight' },
]

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const path = `/api/campaigns/${encodeURIComponent(params.campaignId)}`
  const response = await callApiAsUser<CampaignDetailResponse>({ request, url }, path).catch((error: unknown) => {
    // The API rejects a malformed id with a 400; to someone following a link it is simply not there.
    if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
      throw data<RouteErrorBody>({ code: 'NOT_FOUND', message: 'There is no campaign at this address.' }, { status: 404 })
    }
    return rethrowAsRouteError(error)
  })
  return { ...response.data, fetchedAt: new Date().toISOString() }
}

export async function action({ request, url, params }: Route.ActionArgs) {
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent !== 'pause' && intent !== 'resume') return data({ error: 'Choose whether to pause or resume.' }, { status: 400 })
  try {
    await callApiAsUser({ request, url }, `/api/campaigns/${encodeURIComponent(params.campaignId)}/${intent}`, { method: 'POST', csrf: formData.get(CSRF_FIELD) })
    return { error: undefined }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    // E.g. CAMPAIGN_FINISHED (it completed after the page was drawn) or TEMPORAL_UNAVAILABLE: say so in place.
    return data({ error: error.message }, { status: error.status })
  }
}

export default function CampaignDetail({ loaderData, actionData }: Route.ComponentProps) {
  const { campaign, workflow, events, fetchedAt } = loaderData
  const canChange = useCan('campaign.write')
  // Without Temporal's answer, keep polling until the stored stage says it is over, so the page recovers.
  const refreshing = workflow ? workflow.status === 'RUNNING' : campaign.stage !== 'completed'
  const stage = workflow?.stage ?? campaign.stage

  return (
    <div className="space-y-6">
      <Link to="/campaigns" className="text-sm font-medium text-slate-500 hover:text-slate-700">
        ← Campaigns
      </Link>
      <header className="flex flex-wrap items-start justify-between gap-4" data-testid="campaign-header">
        <div className="space-y-2">
          <div className="flex items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight" data-testid="campaign-name">
              {campaign.name}
            </h1>
            <StageBadge stage={stage} />
            {workflow?.paused && stage !== 'paused' && <Badge tone="amber">Paused</Badge>}
          </div>
          <p className="text-sm text-slate-600">
            Runs <LocalTime iso={campaign.startsAt} /> – <LocalTime iso={campaign.endsAt} />
          </p>
          <LiveRefresh active={refreshing} intervalMs={LIVE_REFRESH_MS} fetchedAt={fetchedAt} />
        </div>
        {canChange && <CampaignControls campaign={campaign} workflow={workflow} />}
      </header>
      <FormError message={actionData?.error} />
      <div className="grid gap-6 lg:grid-cols-2">
        <WorkflowPanel campaign={campaign} workflow={workflow} />
        <StageHistory history={workflow?.history ?? null} />
      </div>
      <EventLog events={events} />
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
