// A campaign's AI drafts: its batches, the ways to start one, and its AI settings (the provider chain its
// batches use, and when a variant is approved without review).
import { Form, Link, useNavigation } from 'react-router'
import type { BatchSummaryDto, CampaignAiSettingsDto } from '../../../../api/schemas/ai.ts'
import { chainLabel, type AiFormErrors, type CampaignAiFormValues, type ProviderSettings } from '~/lib/ai'
import { Button } from '../button'
import { CsrfField } from '../csrf-field'
import { Field } from '../field'
import { FormError } from '../form-error'
import { BatchTable } from './batch-table'
import { ProviderChainFields } from './provider-chain-fields'

interface CampaignAiPanelProps {
  campaignId: string
  workspaceId: string
  /** null when this role cannot list batches. */
  batches: BatchSummaryDto[] | null
  settings: CampaignAiSettingsDto | null
  providers: readonly ProviderSettings[] | null
  /** The agency's chain, which the campaign uses while it has none of its own. */
  agencyChain: readonly string[] | null
  canGenerate: boolean
  canWrite: boolean
  rejected?: { values: CampaignAiFormValues; errors: AiFormErrors } | undefined
}

function AutoApproveFields({ settings, rejected }: { settings: CampaignAiSettingsDto; rejected: CampaignAiPanelProps['rejected'] }) {
  const values = rejected?.values
  const errors = rejected?.errors ?? {}
  return (
    <fieldset className="space-y-3">
      <legend className="block text-sm font-medium text-slate-700">Auto-approve</legend>
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          name="autoApproveEnabled"
          defaultChecked={values ? values.enabled : settings.autoApprove.enabled}
          className="mt-0.5 size-4 rounded border-slate-300 accent-emerald-600"
          data-testid="auto-approve-enabled"
        />
        <span>Approve an item’s best variant without review when it scores well enough</span>
      </label>
      <div className="grid max-w-md grid-cols-2 gap-3">
        <Field
          label="Overall at least"
          name="autoApproveThreshold"
          type="number"
          min={0}
          max={100}
          step={1}
          defaultValue={values ? values.threshold : settings.autoApprove.threshold}
          error={errors.autoApproveThreshold}
          data-testid="auto-approve-threshold"
        />
        <Field
          label="No rubric below"
          name="autoApproveFloor"
          type="number"
          min={0}
          max={100}
          step={1}
          defaultValue={values ? values.floor : settings.autoApprove.floor}
          error={errors.autoApproveFloor}
          data-testid="auto-approve-floor"
        />
      </div>
    </fieldset>
  )
}

export function CampaignAiPanel({ campaignId, workspaceId, batches, settings, providers, agencyChain, canGenerate, canWrite, rejected }: CampaignAiPanelProps) {
  const navigation = useNavigation()
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save-ai'
  const chain = rejected?.values.providerChain ?? settings?.providerChain ?? []
  return (
    <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-labelledby="ai-drafts-heading" data-testid="campaign-ai-panel">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="ai-drafts-heading" className="text-base font-semibold">
          AI drafts
        </h2>
        <nav className="flex flex-wrap gap-4 text-sm font-semibold" aria-label="AI drafts">
          {canGenerate && (
            <>
              <Link to={`/workspaces/${workspaceId}/generate?campaign=${campaignId}`} className="text-emerald-700 hover:text-emerald-600" data-testid="campaign-generate-link">
                Generate captions →
              </Link>
              <Link to={`/workspaces/${workspaceId}/repurpose?campaign=${campaignId}`} className="text-emerald-700 hover:text-emerald-600" data-testid="campaign-repurpose-link">
                Repurpose a text →
              </Link>
            </>
          )}
          <Link to={`/ai/batches?campaignId=${campaignId}`} className="text-slate-600 hover:text-slate-900">
            All batches
          </Link>
        </nav>
      </div>
      {batches !== null && <BatchTable batches={batches.slice(0, 10)} compact empty="No AI batch for this campaign yet." />}

      {settings && (
        <div className="border-t border-slate-100 pt-4">
          <h3 className="text-sm font-semibold text-slate-900">AI settings</h3>
          {canWrite ? (
            <Form method="post" className="mt-3 space-y-4" data-testid="campaign-ai-form">
              <CsrfField />
              <input type="hidden" name="intent" value="save-ai" />
              <ProviderChainFields
                key={chain.join('>')}
                chain={chain}
                providers={providers}
                error={rejected?.errors.providerChain}
                emptyLabel="The agency’s chain"
                hint={`Leave the first empty to use the agency’s chain${agencyChain && agencyChain.length > 0 ? ` (${chainLabel(agencyChain)})` : ''}. Ending with “Offline generator” means a batch never fails for lack of a provider.`}
              />
              <AutoApproveFields settings={settings} rejected={rejected} />
              <FormError message={rejected?.errors.form} />
              <Button type="submit" variant="secondary" disabled={saving} data-testid="save-campaign-ai">
                {saving ? 'Saving…' : 'Save AI settings'}
              </Button>
            </Form>
          ) : (
            <dl className="mt-2 space-y-1 text-sm text-slate-700" data-testid="campaign-ai-summary">
              <div>
                <dt className="inline text-slate-500">Providers: </dt>
                <dd className="inline">{settings.providerChain.length > 0 ? chainLabel(settings.providerChain) : `The agency’s chain${agencyChain ? ` (${chainLabel(agencyChain)})` : ''}`}</dd>
              </div>
              <div>
                <dt className="inline text-slate-500">Auto-approve: </dt>
                <dd className="inline">
                  {settings.autoApprove.enabled ? `overall ≥ ${settings.autoApprove.threshold}, no rubric < ${settings.autoApprove.floor}` : 'off'}
                </dd>
              </div>
            </dl>
          )}
        </div>
      )}
    </section>
  )
}
