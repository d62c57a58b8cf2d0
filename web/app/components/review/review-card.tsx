// One card in the review grid: its preview, title, platform, round status, step and due time, the caption
// under review, its AI variants side by side, and what the viewer may do: select it for a batch decision,
// approve it, reject it or request changes with a comment, or edit the caption under review (a new version the
// round then reviews). Every action is a form that works without JavaScript; the keyboard shortcuts
// (components/review/shortcuts) find these forms by their data attributes.
import { useEffect, useRef, useState } from 'react'
import { Form, Link } from 'react-router'
import { PLATFORM_LABELS } from '../../../../domain/brand-kit.ts'
import { DECISION_LABELS, STATUS_TONES } from '~/lib/approvals'
import { webAssetUrl } from '~/lib/board'
import { CAPTION_EDIT_MAX, COMMENT_MAX, isOverdue, itemValue, stepLabel, titleField, type ReviewItem, type ReviewVariant } from '~/lib/review'
import { Badge } from '../badge'
import { Button } from '../button'
import { CsrfField } from '../csrf-field'
import { useHydrated } from '../hydration'
import { LocalTime } from '../local-time'
import { ScoreNumber } from '../ai/badges'
import { ReviewVariantColumn } from './review-variant'

interface ReviewCardProps {
  item: ReviewItem
  /** The batch form the card's checkbox belongs to (it lives in the toolbar). */
  batchFormId: string
  selected: boolean
  onSelect: (cardId: string, selected: boolean) => void
  /** The caption edit to open with: from the address ("Use this variant" without JavaScript) or a refused save. */
  edit: { text: string; error: string | null } | null
  /** The grid's address with this card's edit open on a variant's text. */
  variantEditHref: (variant: ReviewVariant) => string
  /** The card on its board (the drawer with comments and history). */
  cardHref: string
  busy: boolean
}

const textareaClass =
  'block w-full rounded-md border-0 px-2.5 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-emerald-600'

export function ReviewCard({ item, batchFormId, selected, onSelect, edit, variantEditHref, cardHref, busy }: ReviewCardProps) {
  const { card, round, caption, variants } = item
  const hydrated = useHydrated()
  const [editing, setEditing] = useState(edit !== null)
  const [draft, setDraft] = useState(edit?.text ?? caption?.text ?? '')
  const editInput = useRef<HTMLTextAreaElement>(null)
  const [focusEdit, setFocusEdit] = useState(0)
  const thumbnail = webAssetUrl(card.thumbnailUrl)
  const pending = round.status === 'pending'
  const overdue = hydrated && isOverdue(round, Date.now())
  const value = itemValue(item)
  const lastDecision = round.decisions.at(-1) ?? null

  // A new version under review (saved here or elsewhere) starts the edit from its text.
  const shownVersion = useRef(round.captionVersion)
  useEffect(() => {
    if (shownVersion.current === round.captionVersion) return
    shownVersion.current = round.captionVersion
    setDraft(caption?.text ?? '')
    setEditing(false)
  }, [round.captionVersion, caption?.text])

  useEffect(() => {
    if (focusEdit > 0) editInput.current?.focus()
  }, [focusEdit])

  function startEditFrom(variant: ReviewVariant) {
    setDraft(variant.text)
    setEditing(true)
    setFocusEdit((n) => n + 1)
  }

  return (
    <article
      id={`review-${card.id}`}
      tabIndex={0}
      className="scroll-mt-24 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 outline-none focus:ring-2 focus:ring-emerald-500"
      aria-label={card.title}
      data-testid="review-card"
      data-review-card=""
      data-card-id={card.id}
      data-status={round.status}
      data-selected={selected}
    >
      <div className="flex flex-col gap-4 lg:flex-row">
        <div className="space-y-3 lg:w-80 lg:shrink-0">
          <div className="flex items-start gap-3">
            <input
              type="checkbox"
              form={batchFormId}
              name="item"
              value={value}
              checked={selected}
              onChange={(event) => onSelect(card.id, event.currentTarget.checked)}
              disabled={!item.canDecide}
              title={item.canDecide ? 'Select for a batch decision (x)' : (item.refusal?.message ?? 'You cannot decide on this card.')}
              aria-label={`Select “${card.title}”`}
              className="mt-1 size-4 shrink-0 rounded border-slate-300 text-emerald-600 focus:ring-emerald-600 disabled:opacity-40"
              data-testid="review-select"
              data-review-select=""
            />
            <input type="hidden" form={batchFormId} name={titleField(card.id)} value={card.title} />
            {thumbnail && <img src={thumbnail} alt="" loading="lazy" className="size-16 shrink-0 rounded object-cover ring-1 ring-slate-200" data-testid="review-thumbnail" />}
            <div className="min-w-0 flex-1">
              <Link to={cardHref} className="text-sm font-semibold text-slate-900 hover:text-emerald-700" data-testid="review-card-title">
                {card.title}
              </Link>
              <p className="truncate text-xs text-slate-500">
                {card.campaign.name}
                {card.assignee ? ` · ${card.assignee.name}` : ''}
              </p>
            </div>
          </div>

          <div className="flex flex-wrap items-center gap-1.5 text-xs">
            <Badge tone="slate">{PLATFORM_LABELS[card.platform]}</Badge>
            <Badge tone={STATUS_TONES[round.status]} data-testid="review-round-status" data-status={round.status}>
              {round.statusLabel}
            </Badge>
            {round.round > 1 && <span className="text-slate-500">Round {round.round}</span>}
          </div>
          <dl className="space-y-0.5 text-xs text-slate-600">
            {pending && stepLabel(round) && (
              <div className="flex gap-1">
                <dt className="sr-only">Step</dt>
                <dd data-testid="review-step">{stepLabel(round)}</dd>
              </div>
            )}
            <div className="flex gap-1">
              <dt>{pending ? 'Due' : 'Decided'}</dt>
              <dd className={overdue ? 'font-medium text-red-700' : undefined} data-testid="review-due">
                {pending ? <LocalTime iso={round.dueAt} /> : round.decidedAt ? <LocalTime iso={round.decidedAt} /> : '–'}
                {overdue && ' (overdue)'}
              </dd>
            </div>
            {round.submittedBy && (
              <div className="flex gap-1">
                <dt>Submitted by</dt>
                <dd>{round.submittedBy}</dd>
              </div>
            )}
          </dl>

          <div className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200 ring-inset" data-testid="review-caption" data-version={caption?.version ?? 0}>
            <div className="flex items-baseline justify-between gap-2">
              <h3 className="text-xs font-semibold text-slate-700">
                {caption ? `Caption version ${caption.version} ${pending ? 'under review' : 'reviewed'}` : pending ? 'No caption under review' : 'No caption was reviewed'}
              </h3>
              {caption?.overall !== null && caption?.overall !== undefined && <ScoreNumber score={caption.overall} />}
            </div>
            {caption && <p className="mt-1 text-sm whitespace-pre-line text-slate-800">{caption.text}</p>}
          </div>

          {lastDecision && (
            <p className="text-xs text-slate-600" data-testid="review-last-decision">
              <span className="font-medium text-slate-800">{DECISION_LABELS[lastDecision.kind].done}</span> by {lastDecision.by.name}
              {lastDecision.comment ? <span className="block whitespace-pre-line text-slate-500">“{lastDecision.comment}”</span> : null}
            </p>
          )}

          {pending && !item.canDecide && item.refusal && (
            <p className="text-xs text-slate-500" data-testid="review-refusal" data-code={item.refusal.code}>
              {item.refusal.message}
            </p>
          )}

          {item.canDecide && (
            <div className="flex flex-wrap items-start gap-2">
              <Form method="post" preventScrollReset data-review-approve="">
                <CsrfField />
                <input type="hidden" name="intent" value="decide" />
                <input type="hidden" name="kind" value="approve" />
                <input type="hidden" name="item" value={value} />
                <input type="hidden" name={titleField(card.id)} value={card.title} />
                <Button type="submit" disabled={busy} className="px-2.5 py-1.5 text-xs" data-testid="review-approve">
                  Approve
                </Button>
              </Form>
              <details className="group" data-review-changes="">
                <summary className="cursor-pointer rounded-md px-2.5 py-1.5 text-xs font-semibold text-slate-700 ring-1 ring-slate-300 select-none ring-inset hover:bg-slate-50">
                  Reject or request changes…
                </summary>
                <Form method="post" preventScrollReset className="mt-2 space-y-2">
                  <CsrfField />
                  <input type="hidden" name="intent" value="decide" />
                  <input type="hidden" name="item" value={value} />
                  <input type="hidden" name={titleField(card.id)} value={card.title} />
                  <label htmlFor={`comment-${card.id}`} className="block text-xs font-medium text-slate-700">
                    What should change?
                  </label>
                  <textarea id={`comment-${card.id}`} name="comment" rows={3} maxLength={COMMENT_MAX} className={textareaClass} data-review-comment="" />
                  <div className="flex flex-wrap gap-2">
                    <Button type="submit" name="kind" value="request_changes" disabled={busy} className="px-2.5 py-1.5 text-xs" data-review-request-changes="">
                      Request changes
                    </Button>
                    <Button type="submit" name="kind" value="reject" variant="secondary" disabled={busy} className="px-2.5 py-1.5 text-xs">
                      Reject
                    </Button>
                  </div>
                </Form>
              </details>
            </div>
          )}

          {item.canEdit && (
            <details open={editing} onToggle={(event) => setEditing(event.currentTarget.open)} data-review-edit="">
              <summary className="cursor-pointer text-xs font-semibold text-emerald-700 select-none hover:text-emerald-600">Edit the caption (e)</summary>
              <Form method="post" preventScrollReset className="mt-2 space-y-2" data-testid="review-edit-form">
                <CsrfField />
                <input type="hidden" name="intent" value="edit-caption" />
                <input type="hidden" name="cardId" value={card.id} />
                <input type="hidden" name="captionVersion" value={round.captionVersion} />
                <input type="hidden" name={titleField(card.id)} value={card.title} />
                <label htmlFor={`edit-${card.id}`} className="sr-only">
                  Caption
                </label>
                <textarea
                  id={`edit-${card.id}`}
                  ref={editInput}
                  name="text"
                  rows={5}
                  maxLength={CAPTION_EDIT_MAX}
                  value={draft}
                  onChange={(event) => setDraft(event.currentTarget.value)}
                  className={textareaClass}
                  data-testid="review-edit-text"
                  data-review-edit-text=""
                />
                {edit?.error && (
                  <p role="alert" className="text-xs text-red-700" data-testid="review-edit-error">
                    {edit.error}
                  </p>
                )}
                <p className="text-xs text-slate-500">Saving makes it a new caption version, which the round reviews from then on.</p>
                <Button type="submit" disabled={busy} className="px-2.5 py-1.5 text-xs" data-testid="review-edit-save">
                  Save as the caption under review
                </Button>
              </Form>
            </details>
          )}
        </div>

        <div className="min-w-0 flex-1">
          {variants.length > 0 ? (
            <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" data-testid="review-variants">
              {variants.map((variant) => (
                <ReviewVariantColumn key={variant.id} variant={variant} editHref={item.canEdit ? variantEditHref(variant) : null} onUse={item.canEdit && hydrated ? startEditFrom : null} />
              ))}
            </div>
          ) : (
            <p className="rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-500">No AI variants on this card: its caption was written by hand.</p>
          )}
        </div>
      </div>
    </article>
  )
}
