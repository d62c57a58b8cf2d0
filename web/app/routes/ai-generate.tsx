// Generate captions: pick assets from the workspace's library, the platforms, how many variations and which
// providers; the batch starts as a workflow and the browser goes to its page. The API's refusals (not enough
// generations left, an asset that is gone, the workflow service down) are shown next to the form, which keeps
// what was picked.
import { useState } from 'react'
import { Form, Link, useNavigation } from 'react-router'
import type { Route } from './+types/ai-generate'
import type { Asset } from '../../../api/schemas/asset.ts'
import { ASSET_FORMATS, FORMAT_SPECS, type AssetFormat } from '../../../domain/ai-content.ts'
import { PLATFORM_LABELS } from '../../../domain/brand-kit.ts'
import { AssetPicker } from '~/components/ai/asset-picker'
import { BatchSubmitBar, CampaignSelect, VariationsSelect } from '~/components/ai/batch-form-fields'
import { ProviderChainFields } from '~/components/ai/provider-chain-fields'
import { CsrfField } from '~/components/csrf-field'
import { ErrorPanel } from '~/components/error-panel'
import { assetGenerationsLine, DEFAULT_VARIANTS_PER_ITEM, plannedGenerations, readGenerateForm, type GenerateFormValues } from '~/lib/ai'
import { loadBatchFormContext, notThere, startBatchFromForm, type BatchFormRefusal } from '~/lib/ai.server'
import { useCan } from '~/lib/permissions'
import { callApiAsUser } from '~/lib/session.server'

/** The newest assets to choose from (the API's page size at most). */
const ASSET_CHOICES = 100
const GENERATE_FIELDS = ['assetIds', 'formats', 'variantsPerItem', 'providerChain', 'campaignId'] as const

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData ? `Generate captions · ${loaderData.workspace.name} · Greenlight` : 'Generate captions · Greenlight' }]

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const args = { request, url }
  const [context, assets] = await Promise.all([
    loadBatchFormContext(args, params.workspaceId),
    callApiAsUser<{ assets: Asset[]; nextCursor: string | null }>(args, `/api/workspaces/${encodeURIComponent(params.workspaceId)}/assets?limit=${ASSET_CHOICES}`).catch(notThere('workspace')),
  ])
  return { ...context, assets: assets.data.assets, moreAssets: assets.data.nextCursor !== null }
}

type GenerateRefusal = BatchFormRefusal<GenerateFormValues>

export async function action({ request, url, params }: Route.ActionArgs) {
  const form = await request.formData()
  return startBatchFromForm({ request, url }, form, {
    path: `/api/workspaces/${encodeURIComponent(params.workspaceId)}/ai-batches`,
    reading: readGenerateForm(form),
    fields: GENERATE_FIELDS,
  })
}

function initialValues(loaderData: Route.ComponentProps['loaderData'], refused: GenerateRefusal | undefined): GenerateFormValues {
  if (refused) return refused.values
  const fromCampaign = loaderData.campaign?.platforms.filter((platform): platform is AssetFormat => (ASSET_FORMATS as readonly string[]).includes(platform)) ?? []
  return {
    assetIds: [],
    formats: fromCampaign.length > 0 ? fromCampaign : ['instagram'],
    variantsPerItem: DEFAULT_VARIANTS_PER_ITEM,
    providerChain: loaderData.chain,
    campaignId: loaderData.campaign?.id ?? '',
  }
}

const CHAIN_SOURCE: Record<Route.ComponentProps['loaderData']['chainSource'], string> = {
  campaign: 'The campaign’s chain.',
  agency: 'The agency’s chain (Settings → AI).',
  default: 'The default chain.',
}

export default function GenerateCaptions({ loaderData, actionData }: Route.ComponentProps) {
  const { workspace, assets, moreAssets, campaigns, campaign, campaignMissing, providers, generations, chainSource } = loaderData
  const refused = actionData as GenerateRefusal | undefined
  const initial = initialValues(loaderData, refused)
  const [picked, setPicked] = useState<string[]>(initial.assetIds)
  const [formats, setFormats] = useState<string[]>(initial.formats)
  const [variants, setVariants] = useState(initial.variantsPerItem)
  const canGenerate = useCan('ai.generate')
  const navigation = useNavigation()
  const starting = navigation.state !== 'idle' && navigation.formMethod === 'POST'
  const errors = refused?.errors ?? {}
  const total = plannedGenerations(picked.length * formats.length, variants)

  const toggle = (list: string[], value: string, on: boolean) => (on ? [...list.filter((entry) => entry !== value), value] : list.filter((entry) => entry !== value))

  return (
    <div className="space-y-6">
      <Link to={`/workspaces/${workspace.id}`} className="text-sm font-medium text-slate-500 hover:text-slate-700">
        ← {workspace.name}
      </Link>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Generate captions</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-500">
            For each asset and platform, {workspace.clientName}’s brand kit guides {variants === 1 ? 'one variation' : `${variants} variations`} with hashtags and ad
            copy; each is scored on clarity, originality, brand consistency and platform relevance.
          </p>
        </div>
        <nav className="flex gap-4 text-sm font-semibold">
          <Link to={`/workspaces/${workspace.id}/repurpose${campaign ? `?campaign=${campaign.id}` : ''}`} className="text-emerald-700 hover:text-emerald-600">
            Repurpose a text instead →
          </Link>
          <Link to={`/ai/batches?workspaceId=${workspace.id}`} className="text-emerald-700 hover:text-emerald-600">
            Earlier batches →
          </Link>
        </nav>
      </header>

      {!canGenerate && <p className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-600">Your role can read AI drafts but not start a batch.</p>}
      {workspace.archived && <p className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-600">This workspace is archived: unarchive it to generate.</p>}
      {campaignMissing && (
        <p className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-800 ring-1 ring-amber-200 ring-inset" data-testid="campaign-missing">
          The campaign in the address is not one of {workspace.name}’s; pick one below or none.
        </p>
      )}

      <Form method="post" className="space-y-6" data-testid="generate-form">
        <CsrfField />
        <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <AssetPicker assets={assets} picked={picked} onToggle={(id, on) => setPicked((current) => toggle(current, id, on))} error={errors.assetIds} truncated={moreAssets} />
        </section>

        <section className="grid gap-6 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:grid-cols-2" aria-label="How to write">
          <div className="space-y-5">
            <fieldset>
              <legend className="block text-sm font-medium text-slate-700">Platforms</legend>
              <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
                {ASSET_FORMATS.map((format) => (
                  <label key={format} className="flex items-center gap-2 text-sm text-slate-700" title={FORMAT_SPECS[format].label}>
                    <input
                      type="checkbox"
                      name="formats"
                      value={format}
                      checked={formats.includes(format)}
                      onChange={(event) => {
                        const on = event.currentTarget.checked
                        setFormats((current) => toggle(current, format, on))
                      }}
                      className="size-4 rounded border-slate-300 accent-emerald-600"
                      data-testid={`format-${format}`}
                    />
                    {PLATFORM_LABELS[format]}
                  </label>
                ))}
              </div>
              {errors.formats ? (
                <p className="mt-1 text-sm text-red-600" data-testid="formats-error">
                  {errors.formats}
                </p>
              ) : (
                campaign && <p className="mt-1 text-sm text-slate-500">Ticked as in {campaign.name}’s brief.</p>
              )}
            </fieldset>
            <VariationsSelect value={variants} onChange={setVariants} error={errors.variantsPerItem} />
            {campaigns && <CampaignSelect campaigns={campaigns} defaultValue={initial.campaignId} error={errors.campaignId} />}
          </div>
          <ProviderChainFields layout="stack" chain={initial.providerChain} providers={providers} error={errors.providerChain} hint={`${CHAIN_SOURCE[chainSource]} Ending with “Offline generator” means a batch never fails for lack of a provider.`} />
        </section>

        <BatchSubmitBar
          line={assetGenerationsLine(picked.length, formats.length, variants)}
          total={total}
          generations={generations}
          verb="Generate"
          starting={starting}
          disabled={!canGenerate || workspace.archived}
          refusal={{ message: errors.form, code: refused?.code, testId: 'generate-error' }}
        />
      </Form>
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
