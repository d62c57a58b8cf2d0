// What the generate and repurpose pages load from the API before a batch starts: the workspace, its campaigns
// (for the campaign select and the default platforms), the providers with their key status, the chain a new
// batch starts from, and what the plan leaves of this month's generations. Parts a role may not read are
// left out; the page works without them.
import { data } from 'react-router'
import type { AiSettingsDto, CampaignAiSettingsDto } from '../../../api/schemas/ai.ts'
import type { PlanUsageResponse } from '../../../api/schemas/agency.ts'
import type { WorkspaceWithKit } from '../../../api/schemas/workspace.ts'
import { DEFAULT_PROVIDER_CHAIN, type AiProvider } from '../../../domain/ai-content.ts'
import { ApiError, rethrowAsRouteError, type Campaign, type RouteErrorBody } from './api.server.ts'
import { defaultChain, generationsLeft, type CampaignOption } from './ai.ts'
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
  const chain = defaultChain(campaign ? campaignAi?.providerChain : null, agency?.effectiveChain, DEFAULT_PROVIDER_CHAIN)
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
