// The parts of a batch's page: its progress bar, the note that the offline generator wrote, what a cancelled
// batch kept, the cancel form (with a confirmation step that works without JavaScript) and one section per
// item with its variants side by side.
import { Form, Link, useNavigation } from 'react-router'
import { FORMAT_SPECS, type ContentFormat } from '../../../../domain/ai-content.ts'
import { assetFileUrl } from '../asset-format'
import { Button } from '../button'
import { CsrfField } from '../csrf-field'
import { cardHref, progressPercent, type BatchDetail, type BatchItem, type BatchOutcome, type BatchProgress } from '~/lib/ai'
import { ItemStatusBadge, OFFLINE_TOOLTIP } from './badges'
import { VariantCard } from './variant-card'

export function BatchProgressBar({ done, planned, running }: { done: number; planned: number; running: boolean }) {
  const percent = progressPercent(done, planned)
  return (
    <div className="space-y-1.5" data-testid="batch-progress" data-done={done} data-planned={planned}>
      <div className="flex items-baseline justify-between text-sm">
        <span className="font-medium text-slate-700" id="batch-progress-label">
          {done} of {planned} variants written
        </span>
        <span className="text-slate-500 tabular-nums">{percent}%</span>
      </div>
      <div
        role="progressbar"
        aria-labelledby="batch-progress-label"
        aria-valuemin={0}
        aria-valuemax={planned}
        aria-valuenow={done}
        className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className={`h-full rounded-full transition-[width] duration-500 ${running ? 'bg-sky-500' : 'bg-emerald-500'}`} style={{ width: `${percent}%` }} />
      </div>
    </div>
  )
}

export function OfflineNote({ count, total }: { count: number; total: number }) {
  return (
    <p role="note" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset" data-testid="offline-note">
      <span className="font-semibold">{OFFLINE_TOOLTIP.replace(/\.$/, '')}</span>
      {count === total ? ' — every variant here.' : ` — ${count} of ${total} variants here, each marked “Offline generator”.`}
    </p>
  )
}

export function CancelledNote({ outcome }: { outcome: BatchOutcome }) {
  const notWritten = outcome.variantsPlanned - outcome.variantsKept
  return (
    <section role="status" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset" data-testid="cancelled-note">
      <p className="font-semibold">Cancelled{outcome.cancelledBy ? ` by ${outcome.cancelledBy}` : ''}.</p>
      <p data-testid="cancelled-kept">
        Kept {outcome.variantsKept} of {outcome.variantsPlanned} variants ({outcome.itemsDone} {outcome.itemsDone === 1 ? 'item' : 'items'} finished); they are scored and stay on
        their cards. {notWritten > 0 ? `${notWritten} ${notWritten === 1 ? 'variant was' : 'variants were'} never written` : 'Nothing was lost'}
        {outcome.itemsCancelled > 0 ? ` (${outcome.itemsCancelled} ${outcome.itemsCancelled === 1 ? 'item' : 'items'} stopped)` : ''}.
      </p>
    </section>
  )
}

/** "Cancel batch…" opens a confirmation in place; only its second button posts. */
export function CancelBatchForm() {
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'cancel'
  return (
    <details className="group relative" data-testid="cancel-batch">
      <summary className="inline-flex cursor-pointer list-none items-center rounded-md bg-white px-3 py-2 text-sm font-semibold text-red-700 shadow-sm ring-1 ring-red-300 ring-inset select-none hover:bg-red-50 [&::-webkit-details-marker]:hidden">
        Cancel batch…
      </summary>
      <Form method="post" className="absolute right-0 z-10 mt-2 w-80 space-y-3 rounded-lg bg-white p-4 text-sm shadow-lg ring-1 ring-slate-200">
        <CsrfField />
        <input type="hidden" name="intent" value="cancel" />
        <p className="text-slate-700">Stop the work not done yet? Variants already written are kept, scored and land on their cards.</p>
        <Button type="submit" disabled={busy} className="w-full bg-red-600 hover:bg-red-500 focus-visible:outline-red-600" data-testid="confirm-cancel">
          {busy ? 'Cancelling…' : 'Yes, cancel the batch'}
        </Button>
      </Form>
    </details>
  )
}

type LiveItem = BatchProgress['items'][number]

function ItemPicture({ item }: { item: BatchItem }) {
  const spec = FORMAT_SPECS[item.format as ContentFormat]
  if (item.asset?.thumbnailUrl) {
    return <img src={assetFileUrl(item.asset.id, 'thumbnail')} alt={item.asset.name} loading="lazy" className="size-16 shrink-0 rounded-md object-cover ring-1 ring-slate-200" data-testid="item-thumbnail" />
  }
  const mark = item.asset ? (item.asset.kind === 'video' ? '▶' : '▣') : (spec?.label.charAt(0) ?? '¶')
  return (
    <span aria-hidden className="flex size-16 shrink-0 items-center justify-center rounded-md bg-slate-800 text-xl text-slate-100">
      {mark}
    </span>
  )
}

interface BatchItemSectionProps {
  item: BatchItem
  /** The workflow's live view of the item, fresher than the stored rows while the batch runs. */
  live: LiveItem | undefined
  variantsPerItem: number
  autoApprove: BatchDetail['autoApprove']
}

export function BatchItemSection({ item, live, variantsPerItem, autoApprove }: BatchItemSectionProps) {
  const status = live?.status ?? item.status
  const error = live?.error ?? item.error
  const written = Math.max(item.variants.length, live?.variantsDone ?? 0)
  const variants = [...item.variants].sort((a, b) => a.variantIndex - b.variantIndex)
  // An asset's item is named by its file; a repurposing item by its format.
  const heading = item.asset?.name ?? item.formatLabel
  return (
    <section className="space-y-4 rounded-lg bg-slate-100/60 p-4 ring-1 ring-slate-200" data-testid="batch-item" data-status={status} data-format={item.format} aria-labelledby={`item-${item.index}`}>
      <header className="flex flex-wrap items-start gap-4">
        <ItemPicture item={item} />
        <div className="min-w-0 flex-1 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id={`item-${item.index}`} className="truncate text-base font-semibold text-slate-900" title={item.label}>
              {heading}
            </h2>
            <ItemStatusBadge status={status} />
          </div>
          <p className="text-sm text-slate-600">
            {heading === item.formatLabel ? '' : `${item.formatLabel} · `}
            {written} of {variantsPerItem} {variantsPerItem === 1 ? 'variant' : 'variants'}
            {live && live.variantsFailed > 0 && <span className="text-red-700"> · {live.variantsFailed} failed</span>}
          </p>
          {error && (
            <p role="alert" className="text-sm text-red-700" data-testid="item-error">
              {error}
            </p>
          )}
        </div>
        {item.card && (
          <Link to={cardHref(item.card)} className="text-sm font-semibold text-emerald-700 hover:text-emerald-600" data-testid="item-card-link">
            Card “{item.card.title}” →
          </Link>
        )}
      </header>
      {variants.length > 0 ? (
        <div className="grid gap-4 lg:grid-cols-3" data-testid="item-variants">
          {variants.map((variant) => {
            const approvedHere = item.approvedVariantIndex === variant.variantIndex || variant.status === 'approved'
            return (
              <VariantCard
                key={variant.id}
                variant={variant}
                format={item.format}
                fromAsset={item.asset !== null}
                approval={approvedHere ? (autoApprove && item.approvedVariantIndex === variant.variantIndex ? 'Auto-approved' : 'Approved') : null}
              />
            )
          })}
        </div>
      ) : (
        <p className="text-sm text-slate-500">{status === 'queued' ? 'Waiting for its turn.' : status === 'failed' || status === 'cancelled' ? 'No variant was written.' : 'Writing…'}</p>
      )}
    </section>
  )
}
