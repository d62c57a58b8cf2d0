// Repurpose a long text (a blog post, a brief) into platform-native pieces: pick the formats, variations and
// providers; the batch starts as a workflow and the browser goes to its page. Refusals are shown next to the
// form, which keeps the text.
import { useState } from 'react'
import { Form, Link, useNavigation } from 'react-router'
import type { Route } from './+types/ai-repurpose'
import { FORMAT_SPECS, REPURPOSE_FORMATS, type FormatSpec } from '../../../domain/ai-content.ts'
import { BatchSubmitBar, CampaignSelect, VariationsSelect } from '~/components/ai/batch-form-fields'
import { ProviderChainFields } from '~/components/ai/provider-chain-fields'
import { CsrfField } from '~/components/csrf-field'
import { ErrorPanel } from '~/components/error-panel'
import { Field, controlRing } from '~/components/field'
import {
  DEFAULT_VARIANTS_PER_ITEM,
  SOURCE_TITLE_MAX,
  plannedGenerations,
  readRepurposeForm,
  repurposeGenerationsLine,
  sourceTextCount,
  type RepurposeFormValues,
} from '~/lib/ai'
import { loadBatchFormContext, startBatchFromForm, type BatchFormRefusal } from '~/lib/ai.server'
import { useCan } from '~/lib/permissions'

const REPURPOSE_FIELDS = ['sourceTitle', 'sourceText', 'formats', 'variantsPerItem', 'providerChain', 'campaignId'] as const

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData ? `Repurpose a text · ${loaderData.workspace.name} · Greenlight` : 'Repurpose a text · Greenlight' }]

export async function loader({ request, url, params }: Route.LoaderArgs) {
  return loadBatchFormContext({ request, url }, params.workspaceId)
}

type RepurposeRefusal = BatchFormRefusal<RepurposeFormValues>

export async function action({ request, url, params }: Route.ActionArgs) {
  const form = await request.formData()
  return startBatchFromForm({ request, url }, form, {
    path: `/api/workspaces/${encodeURIComponent(params.workspaceId)}/repurpose`,
    reading: readRepurposeForm(form),
    fields: REPURPOSE_FIELDS,
  })
}

/** "up to 2,200 characters · 3–12 hashtags · 5–7 posts of 280": what a format keeps to. */
function formatLimits(spec: FormatSpec): string {
  const parts = [`up to ${spec.textMax.toLocaleString('en-US')} characters`]
  if (spec.spokenWords) parts[0] = `${spec.spokenWords[0]}–${spec.spokenWords[1]} words spoken`
  if (spec.segments) parts.push(`${spec.segments.min}–${spec.segments.max} ${spec.channel === 'x' ? 'posts' : 'beats'} of ≤ ${spec.segments.eachMax}`)
  if (spec.subjectMax !== null) parts.push(`subject ≤ ${spec.subjectMax}`)
  if (spec.hashtagsMax > 0) parts.push(`≤ ${spec.hashtagsMax} hashtags`)
  else parts.push('no hashtags')
  return parts.join(' · ')
}

function SourceText({ defaultValue, error }: { defaultValue: string; error: string | undefined }) {
  const [value, setValue] = useState(defaultValue)
  const count = sourceTextCount(value)
  const tone = count.state === 'ok' ? 'text-slate-500' : value === '' ? 'text-slate-500' : 'text-amber-700'
  return (
    <div>
      <label htmlFor="source-text" className="block text-sm font-medium text-slate-700">
        Text to repurpose
      </label>
      <textarea
        id="source-text"
        name="sourceText"
        rows={14}
        value={value}
        onChange={(event) => setValue(event.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby="source-text-count"
        placeholder="Paste a blog post, a product story or a brief…"
        className={`mt-1 block w-full font-serif leading-relaxed ${controlRing(Boolean(error))}`}
        data-testid="source-text"
      />
      <p id="source-text-count" className={`mt-1 text-sm tabular-nums ${error ? 'text-red-600' : tone}`} aria-live="polite" data-testid="source-text-count" data-state={count.state}>
        {error ?? count.message}
      </p>
    </div>
  )
}

export default function RepurposeText({ loaderData, actionData }: Route.ComponentProps) {
  const { workspace, campaigns, campaign, campaignMissing, providers, generations, chain } = loaderData
  const refused = actionData as RepurposeRefusal | undefined
  const initial: RepurposeFormValues = refused?.values ?? {
    sourceTitle: '',
    sourceText: '',
    formats: [],
    variantsPerItem: DEFAULT_VARIANTS_PER_ITEM,
    providerChain: chain,
    campaignId: campaign?.id ?? '',
  }
  const [formats, setFormats] = useState<string[]>(initial.formats)
  const [variants, setVariants] = useState(initial.variantsPerItem)
  const canGenerate = useCan('ai.generate')
  const navigation = useNavigation()
  const starting = navigation.state !== 'idle' && navigation.formMethod === 'POST'
  const errors = refused?.errors ?? {}
  const total = plannedGenerations(formats.length, variants)

  return (
    <div className="space-y-6">
      <Link to={`/workspaces/${workspace.id}`} className="text-sm font-medium text-slate-500 hover:text-slate-700">
        ← {workspace.name}
      </Link>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Repurpose a text</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-500">
            One long text becomes platform-native pieces in {workspace.clientName}’s voice, each within its platform’s limits and scored like every other draft.
          </p>
        </div>
        <Link to={`/workspaces/${workspace.id}/generate${campaign ? `?campaign=${campaign.id}` : ''}`} className="text-sm font-semibold text-emerald-700 hover:text-emerald-600">
          Captions for assets instead →
        </Link>
      </header>

      {!canGenerate && <p className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-600">Your role can read AI drafts but not start a batch.</p>}
      {campaignMissing && (
        <p className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-800 ring-1 ring-amber-200 ring-inset" data-testid="campaign-missing">
          The campaign in the address is not one of {workspace.name}’s; pick one below or none.
        </p>
      )}

      <Form method="post" className="space-y-6" data-testid="repurpose-form">
        <CsrfField />
        <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-label="The text">
          <Field label="Title (optional)" name="sourceTitle" defaultValue={initial.sourceTitle} maxLength={SOURCE_TITLE_MAX} error={errors.sourceTitle} hint="Names the batch in lists." data-testid="source-title" />
          <SourceText defaultValue={initial.sourceText} error={errors.sourceText} />
        </section>

        <section className="grid gap-6 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:grid-cols-2" aria-label="What to write">
          <fieldset>
            <legend className="block text-sm font-medium text-slate-700">Formats</legend>
            <ul className="mt-2 space-y-2">
              {REPURPOSE_FORMATS.map((format) => {
                const spec = FORMAT_SPECS[format]
                return (
                  <li key={format}>
                    <label className="flex items-start gap-2 text-sm text-slate-700">
                      <input
                        type="checkbox"
                        name="formats"
                        value={format}
                        checked={formats.includes(format)}
                        onChange={(event) => {
                          const on = event.currentTarget.checked
                          setFormats((current) => (on ? [...current.filter((entry) => entry !== format), format] : current.filter((entry) => entry !== format)))
                        }}
                        className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-emerald-600"
                        data-testid={`format-${format}`}
                      />
                      <span>
                        <span className="font-medium text-slate-900">{spec.label}</span>
                        <span className="block text-xs text-slate-500">{formatLimits(spec)}</span>
                      </span>
                    </label>
                  </li>
                )
              })}
            </ul>
            {errors.formats && (
              <p className="mt-1 text-sm text-red-600" data-testid="formats-error">
                {errors.formats}
              </p>
            )}
          </fieldset>
          <div className="space-y-5">
            <VariationsSelect value={variants} onChange={setVariants} error={errors.variantsPerItem} />
            {campaigns && <CampaignSelect campaigns={campaigns} defaultValue={initial.campaignId} error={errors.campaignId} />}
            <ProviderChainFields layout="stack" chain={initial.providerChain} providers={providers} error={errors.providerChain} />
          </div>
        </section>

        <BatchSubmitBar
          line={repurposeGenerationsLine(formats.length, variants)}
          total={total}
          generations={generations}
          verb="Write"
          starting={starting}
          disabled={!canGenerate || workspace.archived}
          refusal={{ message: errors.form, code: refused?.code, testId: 'repurpose-error' }}
        />
      </Form>
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
