// A workspace's review grid: the cards waiting for approval (or, filtered, decided ones), each with its
// preview, round status, step and due time, the caption under review and its AI variants side by side with
// their scores. Reviewers tick cards and approve, reject or request changes on all of them at once (each card
// answered on its own, refusals in plain words), decide on one card, or edit the caption under review, starting
// from a variant if they like. Everything is a form that works without JavaScript; keyboard shortcuts sit on
// top (j/k, x, a, r, e, ?).
import { useCallback, useEffect, useMemo, useState } from 'react'
import { data, Link, redirect, redirectDocument, useNavigation } from 'react-router'
import type { Route } from './+types/review'
import type { Workspace } from '../../../api/schemas/workspace.ts'
import { BatchBar, DecisionResults, ReviewFilterForm } from '~/components/review/review-toolbar'
import { ReviewCard } from '~/components/review/review-card'
import { ShortcutHelp, useReviewShortcuts } from '~/components/review/shortcuts'
import { Button } from '~/components/button'
import { ErrorPanel } from '~/components/error-panel'
import { useHydrated } from '~/components/hydration'
import { ApiError, notThereAs } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import {
  readCaptionEditForm,
  readDecisionForm,
  readReviewFilters,
  resultLines,
  resultSummary,
  reviewApiQuery,
  reviewSearch,
  shareSelectionQuery,
  statusFilterLabel,
  titleField,
  type BatchResult,
  type ResultLine,
  type ReviewItem,
  type ReviewList,
  type RoundView,
} from '~/lib/review'
import type { DecisionKind } from '../../../domain/approvals.ts'
import { PLATFORM_LABELS } from '../../../domain/brand-kit.ts'
import { callApiAsUser } from '~/lib/session.server'

/** The grid takes the whole width: variants sit side by side. */
export const handle = { wide: true }

const BATCH_FORM_ID = 'review-batch'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData ? `Review · ${loaderData.workspace.name} · Greenlight` : 'Review · Greenlight' }]

const notThere = notThereAs('workspace')

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const args = { request, url }
  const workspaceId = params.workspaceId
  const filters = readReviewFilters(url.searchParams)
  const [workspace, list] = await Promise.all([
    callApiAsUser<{ workspace: Workspace }>(args, `/api/workspaces/${encodeURIComponent(workspaceId)}`).then((response) => response.data.workspace),
    callApiAsUser<ReviewList>(args, `/api/reviews?${reviewApiQuery(workspaceId, filters)}`).then((response) => response.data),
  ]).catch((error: unknown) => {
    // A page address from before the list changed shape: start again from its first page.
    if (error instanceof ApiError && error.code === 'CURSOR_INVALID') throw redirect(`${url.pathname}?${reviewSearch(filters, { cursor: false })}`)
    return notThere(error)
  })
  // "Use this variant" without JavaScript: the address names the card to edit and the variant to start from.
  const editCardId = url.searchParams.get('edit') ?? ''
  const useVariantId = url.searchParams.get('use') ?? ''
  return {
    workspace: { id: workspace.id, name: workspace.name },
    list,
    filters,
    edit: UUID.test(editCardId) ? { cardId: editCardId.toLowerCase(), variantId: UUID.test(useVariantId) ? useVariantId.toLowerCase() : null } : null,
  }
}

type ActionResult =
  | { intent: 'decide'; ok: true; kind: DecisionKind; summary: string; lines: ResultLine[] }
  | { intent: 'decide'; ok: false; error: string }
  | { intent: 'edit-caption'; ok: true; cardId: string; notice: string }
  | { intent: 'edit-caption'; ok: false; cardId: string; text: string; error: string }

export async function action({ request, url, params }: Route.ActionArgs) {
  const args = { request, url }
  const form = await request.formData()
  const csrf = form.get(CSRF_FIELD)
  const refused = (result: ActionResult, status: number) => data<ActionResult>(result, { status })

  switch (form.get('intent')) {
    case 'decide': {
      // "Share selected with the client": the checked cards go to the share page as its preselection. Posted
      // and redirected rather than a GET form, so the form's CSRF token never lands in an address; a document
      // redirect, so the share page opens at its top (the batch form keeps the grid's scroll for decisions).
      if (form.get('share') === 'client') {
        const query = shareSelectionQuery(form).toString()
        return redirectDocument(`/workspaces/${encodeURIComponent(params.workspaceId)}/review-links${query ? `?${query}` : ''}`)
      }
      const reading = readDecisionForm(form)
      if (!reading.ok) return refused({ intent: 'decide', ok: false, error: reading.error }, 400)
      const { kind, items, comment, titles } = reading.decision
      try {
        const { data: answer } = await callApiAsUser<{ results: BatchResult[] }>(args, '/api/reviews/decisions', {
          method: 'POST',
          body: { kind, items, ...(comment !== null ? { comment } : {}) },
          csrf,
        })
        const lines = resultLines(kind, answer.results, titles)
        return { intent: 'decide', ok: true, kind, summary: resultSummary(kind, lines), lines } satisfies ActionResult
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error
        return refused({ intent: 'decide', ok: false, error: error.message }, error.status)
      }
    }
    case 'edit-caption': {
      const reading = readCaptionEditForm(form)
      if (!reading.ok) return refused({ intent: 'edit-caption', ok: false, cardId: reading.cardId, text: reading.text, error: reading.error }, 400)
      const { cardId, captionVersion, text } = reading.edit
      try {
        const { data: round } = await callApiAsUser<RoundView>(args, `/api/cards/${encodeURIComponent(cardId)}/approval/caption`, { method: 'POST', body: { captionVersion, text }, csrf })
        const title = String(form.get(titleField(cardId)) ?? '').trim() || 'The card'
        return { intent: 'edit-caption', ok: true, cardId, notice: `${title}: saved as caption version ${round.captionVersion}, which the round reviews now.` } satisfies ActionResult
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error
        // Keep what was typed: a stale version or a refusal must not throw the edit away.
        return refused({ intent: 'edit-caption', ok: false, cardId, text, error: error.message }, error.status)
      }
    }
    default:
      return refused({ intent: 'decide', ok: false, error: 'Unknown action.' }, 400)
  }
}

export default function ReviewRoute({ loaderData, actionData }: Route.ComponentProps) {
  const { workspace, list, filters, edit } = loaderData
  const result = actionData as ActionResult | undefined
  const hydrated = useHydrated()
  const busy = useNavigation().state === 'submitting'
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set())
  const [helpOpen, setHelpOpen] = useState(false)
  useReviewShortcuts(useCallback(() => setHelpOpen((open) => !open), []))

  // A decision made starts the selection over (refused cards stay listed, to be looked at again).
  useEffect(() => {
    if (result?.intent === 'decide' && result.ok) setSelected(new Set())
  }, [result])

  const decidable = useMemo(() => list.items.filter((item) => item.canDecide).map((item) => item.card.id), [list.items])
  const selectedHere = decidable.filter((cardId) => selected.has(cardId)).length
  const onSelect = useCallback((cardId: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current)
      if (on) next.add(cardId)
      else next.delete(cardId)
      return next
    })
  }, [])

  const path = `/workspaces/${workspace.id}/review`
  const search = reviewSearch(filters).toString()
  const variantEditHref = (item: ReviewItem) => (variant: { id: string }) => {
    const query = reviewSearch(filters)
    query.set('edit', item.card.id)
    query.set('use', variant.id)
    return `${path}?${query}#review-${item.card.id}`
  }
  const editFor = (item: ReviewItem): { text: string; error: string | null } | null => {
    if (result?.intent === 'edit-caption' && !result.ok && result.cardId === item.card.id) return { text: result.text, error: result.error }
    if (edit?.cardId !== item.card.id) return null
    const variant = item.variants.find((candidate) => candidate.id === edit.variantId)
    return { text: variant?.text ?? item.caption?.text ?? '', error: null }
  }
  const pageHref = (cursor: string | null) => {
    const query = reviewSearch(filters, { cursor: false })
    if (cursor) query.set('cursor', cursor)
    return `${path}?${query}`
  }
  const nextHref = list.nextCursor ? pageHref(list.nextCursor) : null
  const firstHref = filters.cursor ? pageHref(null) : null

  return (
    <div className="space-y-5">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div className="space-y-1">
          <Link to={`/workspaces/${workspace.id}`} className="text-sm font-medium text-slate-500 hover:text-slate-700">
            ← {workspace.name}
          </Link>
          <h1 className="text-2xl font-semibold tracking-tight" data-testid="review-title">
            Review
          </h1>
          <p className="text-sm text-slate-600" data-testid="review-total">
            {list.total} {list.total === 1 ? 'card' : 'cards'} · {statusFilterLabel(filters.status).toLowerCase()}
            {filters.platform ? ` · ${PLATFORM_LABELS[filters.platform]}` : ''}
            {filters.minScore !== null ? ` · AI score ≥ ${filters.minScore}` : ''}
          </p>
        </div>
        <div className="flex items-center gap-4">
          {hydrated && (
            <Button variant="secondary" onClick={() => setHelpOpen(true)} data-testid="review-shortcuts-open">
              Keyboard shortcuts <kbd className="ml-1.5 font-mono text-xs text-slate-500">?</kbd>
            </Button>
          )}
          <Link to={`/workspaces/${workspace.id}/review-links`} className="text-sm font-semibold text-emerald-700 hover:text-emerald-600" data-testid="review-share-link">
            Share with the client →
          </Link>
          <Link to={`/workspaces/${workspace.id}/board`} className="text-sm font-semibold text-emerald-700 hover:text-emerald-600">
            Board →
          </Link>
        </div>
      </header>

      <ReviewFilterForm key={search} filters={filters} clearHref={path} />

      {result?.intent === 'decide' && result.ok && <DecisionResults summary={result.summary} lines={result.lines} />}
      {result?.intent === 'edit-caption' && result.ok && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="review-edit-notice">
          {result.notice}
        </p>
      )}

      {decidable.length > 0 && (
        <BatchBar
          formId={BATCH_FORM_ID}
          selectedCount={hydrated ? selectedHere : null}
          selectableCount={decidable.length}
          onSelectAll={hydrated ? () => setSelected(new Set(decidable)) : null}
          onClear={hydrated ? () => setSelected(new Set()) : null}
          busy={busy}
          error={result?.intent === 'decide' && !result.ok ? result.error : null}
        />
      )}

      {list.items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500" data-testid="review-empty">
          {filters.status === 'pending' ? 'Nothing waits for review here. Cards appear when their creators submit them.' : 'No card matches these filters.'}
        </p>
      ) : (
        <div className="space-y-4" data-testid="review-grid">
          {list.items.map((item) => (
            <ReviewCard
              key={item.card.id}
              item={item}
              batchFormId={BATCH_FORM_ID}
              selected={selected.has(item.card.id)}
              onSelect={onSelect}
              edit={editFor(item)}
              variantEditHref={variantEditHref(item)}
              cardHref={`/workspaces/${workspace.id}/board/cards/${item.card.id}`}
              busy={busy}
            />
          ))}
        </div>
      )}

      {(nextHref || firstHref) && (
        <nav className="flex justify-between text-sm font-semibold" aria-label="Pages">
          {firstHref ? (
            <Link to={firstHref} className="text-emerald-700 hover:text-emerald-600" data-testid="review-first-page">
              ← First page
            </Link>
          ) : (
            <span />
          )}
          {nextHref && (
            <Link to={nextHref} className="text-emerald-700 hover:text-emerald-600" data-testid="review-next-page">
              Next page →
            </Link>
          )}
        </nav>
      )}

      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
