// One AI batch: who started it and how, a live progress bar, and every item with its variants side by side,
// scored. While the batch runs the page reloads itself, reading the workflow's live progress too, so variants
// appear as they finish; a running batch can be cancelled (what was written is kept).
import { data, Link } from 'react-router'
import type { Route } from './+types/ai-batch'
import { formatCostMicros } from '../../../domain/ai-pricing.ts'
import { AI_PROVIDER_LABELS } from '../../../domain/ai-content.ts'
import { BatchStatusBadge } from '~/components/ai/badges'
import { BatchRefreshNote, useBatchRefresh } from '~/components/ai/batch-refresh'
import { BatchItemSection, BatchProgressBar, CancelBatchForm, CancelledNote, OfflineNote } from '~/components/ai/batch-view'
import { ErrorPanel } from '~/components/error-panel'
import { FormError } from '~/components/form-error'
import { LocalTime } from '~/components/local-time'
import { BATCH_KIND_LABELS, batchOutcome, chainLabel, isAiProvider, offlineVariantCount, tokensLine, type BatchDetail, type BatchProgress } from '~/lib/ai'
import { notThere } from '~/lib/ai.server'
import { ApiError } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { useCan } from '~/lib/permissions'
import { callApiAsUser } from '~/lib/session.server'

/** How often a running batch's page reloads. */
const REFRESH_MS = 1_500

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData ? `${BATCH_KIND_LABELS[loaderData.batch.kind]} · ${loaderData.batch.workspace.name} · Greenlight` : 'AI batch · Greenlight' }]

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const args = { request, url }
  const path = `/api/ai-batches/${encodeURIComponent(params.batchId)}`
  const { data: detail } = await callApiAsUser<{ batch: BatchDetail }>(args, path).catch(notThere('batch'))
  let progress: BatchProgress | null = null
  if (detail.batch.status === 'running') {
    // The workflow's own view is fresher than the stored rows; once it has finished (409) the rows say it all.
    progress = await callApiAsUser<BatchProgress>(args, `${path}/progress`)
      .then((response) => response.data)
      .catch((error: unknown) => {
        if (error instanceof ApiError && (error.status === 409 || error.status === 404 || error.status === 503)) return null
        throw error
      })
  }
  return { batch: detail.batch, progress, fetchedAt: new Date().toISOString() }
}

type CancelResult = { notice: string } | { error: string; code: string }

export async function action({ request, url, params }: Route.ActionArgs) {
  const form = await request.formData()
  if (form.get('intent') !== 'cancel') return data<CancelResult>({ error: 'Unknown action.', code: 'UNKNOWN_ACTION' }, { status: 400 })
  try {
    await callApiAsUser<{ batch: BatchDetail }>({ request, url }, `/api/ai-batches/${encodeURIComponent(params.batchId)}/cancel`, { method: 'POST', csrf: form.get(CSRF_FIELD) })
    return { notice: 'Cancelled: the work not done yet stops; what was written is kept below.' } satisfies CancelResult
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500) throw error
    // BATCH_NOT_RUNNING: it finished (or was cancelled) in the meantime; the reloaded page shows how.
    return data<CancelResult>({ error: error.message, code: error.code }, { status: error.status })
  }
}

function ByProvider({ byProvider }: { byProvider: BatchDetail['byProvider'] }) {
  const entries = Object.entries(byProvider).filter(([, count]) => count > 0)
  if (entries.length === 0) return null
  return (
    <>
      {entries
        .map(([provider, count]) => `${count} by ${isAiProvider(provider) ? AI_PROVIDER_LABELS[provider] : provider}`)
        .join(', ')}
    </>
  )
}

export default function AiBatchPage({ loaderData, actionData }: Route.ComponentProps) {
  const { batch, progress, fetchedAt } = loaderData
  const result = actionData as CancelResult | undefined
  const running = batch.status === 'running'
  const refreshing = useBatchRefresh(running, REFRESH_MS)
  const canGenerate = useCan('ai.generate')
  const offline = offlineVariantCount(batch.items)
  const written = batch.items.reduce((sum, item) => sum + item.variants.length, 0)
  const done = Math.max(progress?.variantsDone ?? 0, batch.generatedVariants, written)
  const planned = progress?.variantsPlanned ?? batch.plannedVariants
  const outcome = batchOutcome(batch)
  const liveItems = new Map(progress?.items.map((item) => [item.index, item]) ?? [])

  return (
    <div className="space-y-6">
      <Link to={batch.campaign ? `/ai/batches?campaignId=${batch.campaign.id}` : '/ai/batches'} className="text-sm font-medium text-slate-500 hover:text-slate-700">
        ← AI drafts
      </Link>
      <header className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="batch-header" data-batch-id={batch.id}>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="space-y-1">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-2xl font-semibold tracking-tight" data-testid="batch-kind">
                {BATCH_KIND_LABELS[batch.kind]}
              </h1>
              <BatchStatusBadge status={batch.status} />
            </div>
            {batch.sourceTitle && <p className="text-base font-medium text-slate-800">“{batch.sourceTitle}”</p>}
            <p className="text-sm text-slate-600">
              <Link to={`/workspaces/${batch.workspace.id}`} className="font-medium text-slate-800 hover:text-emerald-700" data-testid="batch-workspace">
                {batch.workspace.name}
              </Link>
              {batch.campaign && (
                <>
                  {' · '}
                  <Link to={`/campaigns/${batch.campaign.id}`} className="font-medium text-slate-800 hover:text-emerald-700" data-testid="batch-campaign-link">
                    {batch.campaign.name}
                  </Link>
                </>
              )}
              {' · started by '}
              {batch.createdByName} <LocalTime iso={batch.createdAt} />
              {batch.finishedAt && (
                <>
                  {' · finished '}
                  <LocalTime iso={batch.finishedAt} />
                </>
              )}
            </p>
          </div>
          {running && canGenerate && batch.canCancel && <CancelBatchForm />}
        </div>

        <BatchProgressBar done={done} planned={planned} running={running} />

        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="text-xs font-medium text-slate-500">Provider chain</dt>
            <dd className="text-slate-800" data-testid="batch-chain">
              {chainLabel(batch.providerChain) || 'The default chain'}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">Items</dt>
            <dd className="text-slate-800">
              {batch.itemCount} × {batch.variantsPerItem} {batch.variantsPerItem === 1 ? 'variation' : 'variations'}
              {batch.failedItems > 0 && <span className="text-red-700"> · {batch.failedItems} failed</span>}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">Tokens and estimated cost</dt>
            <dd className="text-slate-800" data-testid="batch-cost">
              {tokensLine(batch.inputTokens, batch.outputTokens)} · {formatCostMicros(batch.costMicros)}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-500">Auto-approve</dt>
            <dd className="text-slate-800" data-testid="batch-auto-approve">
              {batch.autoApprove ? `Overall ≥ ${batch.autoApprove.threshold}, no rubric < ${batch.autoApprove.floor}` : 'Off: every variant waits for review'}
            </dd>
          </div>
        </dl>
        <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-3">
          <BatchRefreshNote active={running} refreshing={refreshing} intervalMs={REFRESH_MS} fetchedAt={fetchedAt} />
          <p className="text-xs text-slate-500">
            <ByProvider byProvider={batch.byProvider} />
            {Object.keys(batch.byProvider).length > 0 && ' · '}
            <a href={batch.temporalWebUrl} target="_blank" rel="noreferrer" className="font-semibold text-emerald-700 hover:text-emerald-600" data-testid="temporal-link">
              Workflow <code className="font-mono">{batch.workflowId}</code> in Temporal Web ↗
            </a>
          </p>
        </div>
      </header>

      {result && 'notice' in result && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="batch-notice">
          {result.notice}
        </p>
      )}
      {result && 'error' in result && <FormError message={result.error} />}
      {batch.status === 'cancelled' && <CancelledNote outcome={outcome} />}
      {batch.status === 'failed' && (
        <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-red-200 ring-inset" data-testid="failed-note">
          The batch failed{outcome.variantsKept > 0 ? `; the ${outcome.variantsKept} variants written before are kept` : ''}. Each item below says what went wrong.
        </p>
      )}
      {offline > 0 && <OfflineNote count={offline} total={written} />}

      <div className="space-y-6" data-testid="batch-items">
        {batch.items.map((item) => (
          <BatchItemSection key={item.index} item={item} live={liveItems.get(item.index)} variantsPerItem={batch.variantsPerItem} autoApprove={batch.autoApprove} />
        ))}
      </div>
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
