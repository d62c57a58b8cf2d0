// The review grid's controls above the cards: the filters (a GET form), the batch form that the cards'
// checkboxes belong to (a comment and "Approve selected" / "Reject selected" / "Request changes", and "Share
// selected with the client", which opens the share page with those cards chosen), and the answer to a batch,
// card by card, with refusals in plain words.
import { Form, Link } from 'react-router'
import { PLATFORM_LABELS, SOCIAL_PLATFORMS } from '../../../../domain/brand-kit.ts'
import { COMMENT_MAX, STATUS_FILTERS, statusFilterLabel, type ResultLine, type ReviewFilters } from '~/lib/review'
import { Button } from '../button'
import { CsrfField } from '../csrf-field'

const fieldClass = 'mt-1 block rounded-md border-0 bg-white py-1.5 pl-3 text-sm shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-emerald-600'

/** Status, platform and lowest score: a GET form, so a filtered grid is an address to share. */
export function ReviewFilterForm({ filters, clearHref }: { filters: ReviewFilters; clearHref: string }) {
  const active = filters.status !== 'pending' || filters.platform !== null || filters.minScore !== null
  return (
    <Form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter the review grid" data-testid="review-filters">
      <div>
        <label htmlFor="review-status" className="block text-xs font-medium text-slate-600">
          Status
        </label>
        <select id="review-status" name="status" defaultValue={filters.status} className={`${fieldClass} pr-8`} data-testid="review-filter-status">
          {STATUS_FILTERS.map((status) => (
            <option key={status} value={status}>
              {statusFilterLabel(status)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="review-platform" className="block text-xs font-medium text-slate-600">
          Platform
        </label>
        <select id="review-platform" name="platform" defaultValue={filters.platform ?? ''} className={`${fieldClass} pr-8`} data-testid="review-filter-platform">
          <option value="">All platforms</option>
          {SOCIAL_PLATFORMS.map((platform) => (
            <option key={platform} value={platform}>
              {PLATFORM_LABELS[platform]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="review-min-score" className="block text-xs font-medium text-slate-600">
          Lowest AI score
        </label>
        <input
          id="review-min-score"
          name="minScore"
          type="number"
          min={0}
          max={100}
          step={1}
          inputMode="numeric"
          placeholder="Any"
          defaultValue={filters.minScore ?? ''}
          className={`${fieldClass} w-24 pr-2`}
          data-testid="review-filter-min-score"
        />
      </div>
      <Button type="submit" variant="secondary" data-testid="review-filter-apply">
        Apply
      </Button>
      {active && (
        <Link to={clearHref} className="pb-2 text-sm font-medium text-emerald-700 hover:text-emerald-600" data-testid="review-filter-clear">
          Clear filters
        </Link>
      )}
    </Form>
  )
}

interface BatchBarProps {
  formId: string
  /** Cards selected (known with JavaScript only; without it the action counts them). */
  selectedCount: number | null
  selectableCount: number
  onSelectAll: (() => void) | null
  onClear: (() => void) | null
  busy: boolean
  error: string | null
}

/** The batch form: the cards' checkboxes name it with their `form` attribute. */
export function BatchBar({ formId, selectedCount, selectableCount, onSelectAll, onClear, busy, error }: BatchBarProps) {
  const none = selectedCount === 0
  return (
    <Form method="post" id={formId} preventScrollReset className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-label="Decide on the selected cards" data-testid="review-batch">
      <CsrfField />
      <input type="hidden" name="intent" value="decide" />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700" data-testid="review-selected-count">
          {selectedCount === null ? 'Tick the cards to decide on together.' : `${selectedCount} of ${selectableCount} selected`}
        </p>
        <div className="flex gap-3 text-xs font-semibold">
          {onSelectAll && selectableCount > 0 && (
            <button type="button" onClick={onSelectAll} className="text-emerald-700 hover:text-emerald-600">
              Select all on this page
            </button>
          )}
          {onClear && !none && (
            <button type="button" onClick={onClear} className="text-slate-500 hover:text-slate-700">
              Clear selection
            </button>
          )}
        </div>
      </div>
      <div>
        <label htmlFor="review-batch-comment" className="block text-xs font-medium text-slate-600">
          Comment (needed to request changes; sent with every selected card)
        </label>
        <textarea id="review-batch-comment" name="comment" rows={2} maxLength={COMMENT_MAX} className="mt-1 block w-full rounded-md border-0 px-2.5 py-1.5 text-sm shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-emerald-600" data-testid="review-batch-comment" />
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700" data-testid="review-batch-error">
          {error}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" name="kind" value="approve" disabled={busy || none} data-testid="review-approve-selected">
          Approve selected
        </Button>
        <Button type="submit" name="kind" value="reject" variant="secondary" disabled={busy || none} data-testid="review-reject-selected">
          Reject selected
        </Button>
        <Button type="submit" name="kind" value="request_changes" variant="secondary" disabled={busy || none} data-testid="review-request-changes-selected">
          Request changes
        </Button>
        <Button type="submit" name="share" value="client" variant="secondary" disabled={busy || none} className="sm:ml-auto" data-testid="review-share-selected">
          Share selected with the client
        </Button>
      </div>
    </Form>
  )
}

/** The answer to a decision: each card's outcome, refusals with what they mean and the API's reason. */
export function DecisionResults({ summary, lines }: { summary: string; lines: readonly ResultLine[] }) {
  const refused = lines.some((line) => !line.ok)
  return (
    <section
      role="status"
      className={`rounded-lg px-4 py-3 text-sm ring-1 ring-inset ${refused ? 'bg-amber-50 ring-amber-200' : 'bg-emerald-50 ring-emerald-200'}`}
      aria-label="Decision results"
      data-testid="review-results"
    >
      <p className="font-semibold text-slate-900" data-testid="review-results-summary">
        {summary}
      </p>
      <ul className="mt-2 space-y-1.5">
        {lines.map((line) => (
          <li key={line.cardId} className="flex gap-2" data-testid="review-result" data-card-id={line.cardId} data-ok={line.ok} data-code={line.code ?? ''}>
            <span aria-hidden className={`mt-1.5 size-2 shrink-0 rounded-full ${line.ok ? 'bg-emerald-500' : 'bg-amber-500'}`} />
            <span>
              <span className="font-medium text-slate-900">{line.title}</span>
              {' — '}
              <span className={line.ok ? 'text-emerald-800' : 'text-amber-900'} data-testid="review-result-heading">
                {line.heading}
              </span>
              <span className="block text-slate-600">{line.detail}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}
