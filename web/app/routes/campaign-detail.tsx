import { data, Link } from 'react-router'
import type { Route } from './+types/campaign-detail'
import { BRIEF_STATUS_LABELS, READ_ONLY_STATUSES, SCHEDULE_LOCKED_STATUSES, isBriefStatus, type BriefStatus } from '../../../domain/campaign-brief.ts'
import type { AiSettingsDto, BatchSummaryDto, CampaignAiSettingsDto } from '../../../api/schemas/ai.ts'
import type { Asset } from '../../../api/schemas/asset.ts'
import type { Creator } from '../../../api/schemas/creator.ts'
import {
  briefBodyFromValues,
  deliverablesBodyFromRows,
  placeBriefIssues,
  placeDeliverableIssues,
  readBriefForm,
  readDeliverablesForm,
  type BriefFormValues,
  type DeliverableRow,
  type FormErrors,
} from './campaign-form'
import { CampaignAiPanel } from '~/components/ai/campaign-ai-panel'
import { BriefEditor, BriefSummary, type AssetOption } from '~/components/brief-editor'
import { timeZoneChoices } from '~/components/brief-format'
import { BriefStatusActions } from '~/components/brief-status-actions'
import { BriefStatusBadge } from '~/components/brief-status-badge'
import { DeliverablesEditor, DeliverablesSummary, type CreatorOption } from '~/components/deliverables-editor'
import { ErrorPanel } from '~/components/error-panel'
import { EventLog } from '~/components/event-log'
import { LiveRefresh } from '~/components/live-refresh'
import { MissingList, ReadinessPanel } from '~/components/readiness-panel'
import { StageHistory } from '~/components/stage-history'
import { StageBadge } from '~/components/status-badges'
import { WorkflowPanel } from '~/components/workflow-panel'
import { readCampaignAiForm, type AiFormErrors, type CampaignAiFormValues } from '~/lib/ai'
import { ApiError, formErrorsFrom, rethrowAsRouteError, type ApiErrorDetail, type CampaignDetail, type RouteErrorBody } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { useCan } from '~/lib/permissions'
import { callApiAsUser, type RequestArgs } from '~/lib/session.server'

// Slower than a bare workflow page: each refresh also reloads the brief's creators and assets.
const LIVE_REFRESH_MS = 5_000
/** Moodboard references choose from the newest assets; older ones stay selectable by what is saved. */
const ASSET_CHOICES = 100

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData ? `${loaderData.campaign.name} · Greenlight` : 'Campaign · Greenlight' }]

/** What a role may not list (403) or what is not there (404) is left out; the page works without it. */
async function optional<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return null
    throw error
  }
}

async function loadCreators(args: RequestArgs): Promise<CreatorOption[] | null> {
  const response = await optional(callApiAsUser<{ creators: Creator[] }>(args, '/api/creators'))
  return response?.data.creators.map((creator) => ({ id: creator.id, name: creator.displayName })) ?? null
}

async function loadAssets(args: RequestArgs, workspaceId: string): Promise<AssetOption[] | null> {
  const path = `/api/workspaces/${encodeURIComponent(workspaceId)}/assets?limit=${ASSET_CHOICES}`
  const response = await optional(callApiAsUser<{ assets: Asset[] }>(args, path))
  return response?.data.assets.map((asset) => ({ id: asset.id, name: asset.name, kind: asset.kind, hasThumbnail: asset.hasThumbnail })) ?? null
}

/** The campaign's AI drafts panel: its batches, its AI settings, and the agency's providers for their key status. */
async function loadAi(args: RequestArgs, campaignId: string) {
  const id = encodeURIComponent(campaignId)
  const [batches, settings, agency] = await Promise.all([
    optional(callApiAsUser<{ batches: BatchSummaryDto[] }>(args, `/api/ai-batches?campaignId=${id}`)),
    optional(callApiAsUser<CampaignAiSettingsDto>(args, `/api/campaigns/${id}/ai-settings`)),
    optional(callApiAsUser<AiSettingsDto>(args, '/api/agency/ai-settings')),
  ])
  return {
    batches: batches?.data.batches ?? null,
    settings: settings?.data ?? null,
    providers: agency?.data.providers ?? null,
    agencyChain: agency?.data.effectiveChain ?? null,
  }
}

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const args = { request, url }
  const detail = await callApiAsUser<CampaignDetail>(args, `/api/campaigns/${encodeURIComponent(params.campaignId)}`).catch((error: unknown) => {
    // The API rejects a malformed id with a 400; to someone following a link it is simply not there.
    if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
      throw data<RouteErrorBody>({ code: 'NOT_FOUND', message: 'There is no campaign at this address.' }, { status: 404 })
    }
    return rethrowAsRouteError(error)
  })
  const { campaign } = detail.data
  const [creators, assets, ai] = await Promise.all([loadCreators(args), loadAssets(args, campaign.workspaceId), loadAi(args, campaign.id)]).catch(rethrowAsRouteError)
  return { ...detail.data, creators, assets, ai, timeZones: timeZoneChoices([campaign.timeZone]), fetchedAt: new Date().toISOString() }
}

type ActionResult =
  | { intent: 'save-brief'; values: BriefFormValues; errors: FormErrors }
  | { intent: 'save-deliverables'; rows: DeliverableRow[]; errors: FormErrors }
  | { intent: 'status'; error: string; missing: ApiErrorDetail[] }
  | { intent: 'save-ai'; values: CampaignAiFormValues; errors: AiFormErrors }
  | { intent: 'done'; notice: string }

function cardsLine(detail: CampaignDetail): string {
  const cards = detail.deliverables.reduce((sum, deliverable) => sum + deliverable.cardCount, 0)
  const count = detail.deliverables.length
  return `${count} ${count === 1 ? 'deliverable' : 'deliverables'}, ${cards} ${cards === 1 ? 'card' : 'cards'} on the board.`
}

function statusNotice(to: BriefStatus, detail: CampaignDetail): string {
  if (to === 'active' && detail.campaign.launchedAt) return `Running: the workflow ${detail.campaign.workflowId} follows the schedule now.`
  return `The brief is ${BRIEF_STATUS_LABELS[detail.campaign.status].toLowerCase()} now.`
}

export async function action({ request, url, params }: Route.ActionArgs) {
  const base = `/api/campaigns/${encodeURIComponent(params.campaignId)}`
  const args = { request, url }
  const formData = await request.formData()
  const csrf = formData.get(CSRF_FIELD)
  const refused = (result: ActionResult, status: number) => data<ActionResult>(result, { status })
  const intent = formData.get('intent')

  switch (intent) {
    case 'save-brief': {
      const values = readBriefForm(formData)
      const form = briefBodyFromValues(values)
      if (!form.ok) return refused({ intent, values, errors: form.errors }, 400)
      try {
        await callApiAsUser<CampaignDetail>(args, base, { method: 'PATCH', body: form.body, csrf })
        return { intent: 'done', notice: 'Brief saved.' } satisfies ActionResult
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error
        // Keep what was typed: a refusal (read-only brief, locked schedule, unknown upload) must not lose the edit.
        const errors = error.status === 400 ? placeBriefIssues(error.details, form.referenceRows, error.message) : { form: error.message }
        return refused({ intent, values, errors }, error.status)
      }
    }
    case 'save-deliverables': {
      const rows = readDeliverablesForm(formData)
      const form = deliverablesBodyFromRows(rows)
      if (!form.ok) return refused({ intent, rows, errors: form.errors }, 400)
      try {
        const response = await callApiAsUser<CampaignDetail>(args, `${base}/deliverables`, { method: 'PUT', body: form.body, csrf })
        return { intent: 'done', notice: `Deliverables saved: ${cardsLine(response.data)}` } satisfies ActionResult
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error
        // DELIVERABLE_IN_USE names what cannot go; its details (if any) land on the rows concerned.
        return refused({ intent, rows, errors: placeDeliverableIssues(error.details, form.deliverableRows, error.message) }, error.status)
      }
    }
    case 'status': {
      const to = String(formData.get('to') ?? '')
      if (!isBriefStatus(to)) return refused({ intent, error: 'Choose a status to move the brief to.', missing: [] }, 400)
      try {
        const response = await callApiAsUser<CampaignDetail>(args, `${base}/status`, { method: 'POST', body: { to }, csrf })
        return { intent: 'done', notice: statusNotice(to, response.data) } satisfies ActionResult
      } catch (error) {
        if (!(error instanceof ApiError)) throw error
        // CAMPAIGN_NOT_READY lists what is missing; TEMPORAL_UNAVAILABLE and plan limits are said in place too.
        return refused({ intent, error: error.message, missing: error.code === 'CAMPAIGN_NOT_READY' ? error.details : [] }, error.status)
      }
    }
    case 'save-ai': {
      const form = readCampaignAiForm(formData)
      if (!form.ok) return refused({ intent, values: form.values, errors: form.errors }, 400)
      try {
        await callApiAsUser<CampaignAiSettingsDto>(args, `${base}/ai-settings`, { method: 'PUT', body: form.body, csrf })
        return { intent: 'done', notice: 'AI settings saved.' } satisfies ActionResult
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error
        const errors = error.status === 400 ? formErrorsFrom(error, ['providerChain', 'autoApprove'] as const) : { form: error.message }
        return refused({ intent, values: form.values, errors: { ...errors, form: errors.form ?? errors.autoApprove } }, error.status)
      }
    }
    default:
      return refused({ intent: 'status', error: 'Unknown action.', missing: [] }, 400)
  }
}

/** Changes when the saved brief does, so the editor starts again from it after a save (and not on each refresh). */
function briefKey(campaign: CampaignDetail['campaign']): string {
  const { name, objective, audience, platforms, startsAtLocal, endsAtLocal, timeZone, budgetMinor, currency, contentVolume, keyMessages, references, status } = campaign
  return JSON.stringify([name, objective, audience, platforms, startsAtLocal, endsAtLocal, timeZone, budgetMinor, currency, contentVolume, keyMessages, references, status])
}

const deliverablesKey = (deliverables: CampaignDetail['deliverables']) =>
  deliverables.map((d) => `${d.id}:${d.creatorId ?? ''}:${d.platform}:${d.kind}:${d.count}:${d.cardCount}`).join('|')

export default function CampaignDetailPage({ loaderData, actionData }: Route.ComponentProps) {
  const { campaign, deliverables, readiness, workflow, events, nextStatuses, creators, assets, ai, timeZones, fetchedAt } = loaderData
  const result = actionData as ActionResult | undefined
  const canWrite = useCan('campaign.write')
  const canGenerate = useCan('ai.generate')
  const readOnlyStatus = (READ_ONLY_STATUSES as readonly string[]).includes(campaign.status)
  const scheduleLocked = (SCHEDULE_LOCKED_STATUSES as readonly string[]).includes(campaign.status)
  const launched = campaign.launchedAt !== null
  // Keep refreshing while the workflow can still move the stage on its own.
  const refreshing = scheduleLocked && (workflow === null || workflow.status === 'RUNNING')
  const stage = workflow?.stage ?? campaign.stage

  return (
    <div className="space-y-6">
      <Link to="/campaigns" className="text-sm font-medium text-slate-500 hover:text-slate-700">
        ← Campaigns
      </Link>
      <header className="flex flex-wrap items-start justify-between gap-4" data-testid="campaign-header">
        <div className="space-y-2">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight" data-testid="campaign-name">
              {campaign.name}
            </h1>
            <BriefStatusBadge status={campaign.status} />
            {stage && <StageBadge stage={stage} />}
          </div>
          <p className="text-sm text-slate-600">
            <Link to={`/workspaces/${campaign.workspaceId}`} className="font-medium text-slate-800 hover:text-emerald-700" data-testid="campaign-workspace">
              {campaign.workspaceName}
            </Link>
            {' · '}
            <Link to={`/campaigns/${campaign.id}/board`} className="font-semibold text-emerald-700 hover:text-emerald-600" data-testid="campaign-board-link">
              Campaign board →
            </Link>
            {' · '}
            <Link to={`/campaigns/${campaign.id}/approvals`} className="font-semibold text-emerald-700 hover:text-emerald-600" data-testid="campaign-approvals-link">
              Approvals →
            </Link>
          </p>
          {launched && <LiveRefresh active={refreshing} intervalMs={LIVE_REFRESH_MS} fetchedAt={fetchedAt} />}
        </div>
        {canWrite && <BriefStatusActions nextStatuses={nextStatuses} />}
      </header>

      {result?.intent === 'done' && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="campaign-notice">
          {result.notice}
        </p>
      )}
      {result?.intent === 'status' && (
        <section role="alert" className="space-y-3 rounded-md bg-red-50 px-4 py-3 text-sm ring-1 ring-red-200 ring-inset" data-testid="status-error">
          <p className="font-medium text-red-700">{result.error}</p>
          {result.missing.length > 0 && (
            <MissingList items={result.missing.map((detail) => ({ code: '', path: detail.path, message: detail.message }))} workspaceId={campaign.workspaceId} testId="status-missing" />
          )}
        </section>
      )}

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {canWrite && !readOnlyStatus ? (
            <BriefEditor
              key={briefKey(campaign)}
              campaign={campaign}
              timeZones={timeZones}
              assets={assets}
              scheduleLocked={scheduleLocked}
              rejected={result?.intent === 'save-brief' ? result : undefined}
            />
          ) : (
            <BriefSummary
              campaign={campaign}
              assets={assets}
              note={canWrite ? `A ${BRIEF_STATUS_LABELS[campaign.status].toLowerCase()} brief no longer changes${campaign.status === 'archived' ? ': restore it as a draft to work on it again' : ''}.` : 'Your role can read the brief but not change it.'}
            />
          )}
          {canWrite && !readOnlyStatus && creators !== null ? (
            <DeliverablesEditor
              key={deliverablesKey(deliverables)}
              campaignId={campaign.id}
              deliverables={deliverables}
              creators={creators}
              platforms={campaign.platforms}
              rejected={result?.intent === 'save-deliverables' ? result : undefined}
            />
          ) : (
            <DeliverablesSummary campaignId={campaign.id} deliverables={deliverables} />
          )}
        </div>
        <div className="space-y-6">
          <ReadinessPanel readiness={readiness} workspaceId={campaign.workspaceId} />
          {launched && <WorkflowPanel campaign={campaign} workflow={workflow} />}
          {launched && <StageHistory history={workflow?.history ?? null} />}
        </div>
      </div>
      <CampaignAiPanel
        campaignId={campaign.id}
        workspaceId={campaign.workspaceId}
        batches={ai.batches}
        settings={ai.settings}
        providers={ai.providers}
        agencyChain={ai.agencyChain}
        canGenerate={canGenerate}
        canWrite={canWrite}
        rejected={result?.intent === 'save-ai' ? result : undefined}
      />
      <EventLog events={events} />
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
