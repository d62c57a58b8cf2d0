// What the generate and repurpose pages load from the API before a batch starts: the workspace, its campaigns
// (for the campaign select and the default platforms), the providers with their key status, the chain a new
// batch starts from, and what the plan leaves of this month's generations. Parts a role may not read are
// left out; the page works without them.
import { data, redirect } from 'react-router'
import type { AiSettingsDto, CampaignAiSettingsDto } from '../../../api/schemas/ai.ts'
import type { PlanUsageResponse } from '../../../api/schemas/agency.ts'
import type { WorkspaceWithKit } from '../../../api/schemas/workspace.ts'
import { providerChainFor, type AiProvider } from '../../../domain/ai-content.ts'
import { ApiError, formErrorsFrom, rethrowAsRouteError, type Campaign, type RouteErrorBody } from './api.server.ts'
import { generationsLeft, type AiFormErrors, type BatchDetail, type CampaignOption, type FormReading } from './ai.ts'
import { CSRF_FIELD } from './csrf.ts'
import { callApiAsUser, type RequestArgs } from './session.server.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What a role may not read (403) or what is not there (404) is left out. */
export async function optional<T>(call: Promise<{ data: T }>): Promise<T | null> {
  try {
    return (await call).data
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) return null
    throw error
  }
}

/** The API answers 400 to a malformed id: to someone following a link, the thing simply is not there. */
export function notThere(what: string) {
  return (error: unknown): never => {
    if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
      throw data<RouteErrorBody>({ code: 'NOT_FOUND', message: `There is no ${what} at this address.` }, { status: 404 })
    }
    return rethrowAsRouteError(error)
  }
}

export interface BatchFormContext {
  workspace: { id: string; name: string; clientName: string; archived: boolean }
  /** The workspace's campaigns (archived ones left out); null when this role cannot list campaigns. */
  campaigns: CampaignOption[] | null
  /** The campaign of `?campaign=`, when it is one of this workspace's. */
  campaign: CampaignOption | null
  /** `?campaign=` named a campaign that is not in this workspace. */
  campaignMissing: boolean
  providers: AiSettingsDto['providers'] | null
  chain: AiProvider[]
  /** Whose chain `chain` is. */
  chainSource: 'campaign' | 'agency' | 'default'
  generations: { left: number; limit: number } | null
}

export async function loadBatchFormContext(args: RequestArgs, workspaceId: string): Promise<BatchFormContext> {
  const base = `/api/workspaces/${encodeURIComponent(workspaceId)}`
  const requested = args.url.searchParams.get('campaign') ?? ''
  const campaignId = UUID.test(requested) ? requested : ''
  const [detail, campaigns, agency, campaignAi, plan] = await Promise.all([
    callApiAsUser<WorkspaceWithKit>(args, base).then((response) => response.data),
    optional(callApiAsUser<{ campaigns: Campaign[] }>(args, `/api/campaigns?workspaceId=${encodeURIComponent(workspaceId)}`)),
    optional(callApiAsUser<AiSettingsDto>(args, '/api/agency/ai-settings')),
    campaignId ? optional(callApiAsUser<CampaignAiSettingsDto>(args, `/api/campaigns/${encodeURIComponent(campaignId)}/ai-settings`)) : null,
    optional(callApiAsUser<PlanUsageResponse>(args, '/api/agency/plan')),
  ]).catch(notThere('workspace'))

  const options = campaigns?.campaigns.filter((campaign) => campaign.status !== 'archived' || campaign.id === campaignId).map((campaign) => ({ id: campaign.id, name: campaign.name, platforms: campaign.platforms })) ?? null
  const campaign = options?.find((option) => option.id === campaignId) ?? null
  const chain = providerChainFor({ campaign: campaign ? campaignAi?.providerChain : null, agency: agency?.effectiveChain })
  const chainSource = campaign && campaignAi && campaignAi.providerChain.length > 0 ? 'campaign' : agency ? 'agency' : 'default'
  const { workspace } = detail
  return {
    workspace: { id: workspace.id, name: workspace.name, clientName: workspace.clientName, archived: workspace.archivedAt !== null },
    campaigns: options,
    campaign,
    campaignMissing: campaignId !== '' && campaign === null && options !== null,
    providers: agency?.providers ?? null,
    chain,
    chainSource,
    generations: generationsLeft(plan),
  }
}

/** What the generate and repurpose forms get back when a batch is refused: what was entered, and why. */
export interface BatchFormRefusal<Values> {
  values: Values
  errors: AiFormErrors
  code?: string
}

/**
 * Starts a batch from a form the page has read: the batch page on success. A refusal is placed on the form,
 * which keeps what was entered: a 400 on its fields, anything else (402 with the generations needed and left,
 * 404, 503) as a sentence about the whole form.
 */
export async function startBatchFromForm<Values>(
  args: RequestArgs,
  form: FormData,
  input: { path: string; reading: FormReading<Values, unknown>; fields: readonly string[] },
) {
  const { reading } = input
  if (!reading.ok) return data<BatchFormRefusal<Values>>({ values: reading.values, errors: reading.errors }, { status: 400 })
  try {
    const { data: started } = await callApiAsUser<{ batch: BatchDetail }>(args, input.path, { method: 'POST', body: reading.body, csrf: form.get(CSRF_FIELD) })
    return redirect(`/ai/batches/${started.batch.id}`)
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const errors = error.status === 400 ? formErrorsFrom(error, input.fields) : { form: error.message }
    return data<BatchFormRefusal<Values>>({ values: reading.values, errors, code: error.code }, { status: error.status })
  }
}
