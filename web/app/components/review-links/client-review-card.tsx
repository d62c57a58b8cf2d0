// One shared card on the client's review page: its drafts, the caption under review, where its approval stands,
// and one plain form: a comment, and Approve / Request changes / Reject while the round waits for the client
// (otherwise the comment alone). Works without JavaScript.
import { Form } from 'react-router'
import type { ReviewCard } from '../../../../api/schemas/review-link.ts'
import { APPROVAL_LIMITS } from '../../../../domain/approvals.ts'
import { PLATFORM_LABELS } from '../../../../domain/brand-kit.ts'
import { DECISION_LABELS, STATUS_TONES } from '~/lib/approvals'
import { Badge } from '../badge'
import { Button } from '../button'
import { LocalTime } from '../local-time'

/** What the page said about this card after its form was sent. */
export interface CardOutcome {
  cardId: string
  /** Tells one answer from the next, so a sent form starts empty again. */
  id: string
  notice?: string
  error?: string
  /** The comment as sent, kept when it was refused. */
  comment?: string
}

/** Where the client's browser fetches a draft: through the web server, with the link's token. */
export const reviewFileUrl = (token: string, fileId: string, variant: 'content' | 'thumbnail') =>
  `/review/${encodeURIComponent(token)}/assets/${fileId}/${variant}`

function Drafts({ card, token }: { card: ReviewCard; token: string }) {
  if (card.assets.length === 0) return <p className="flex aspect-video items-center justify-center rounded-md bg-slate-100 text-sm text-slate-500">No preview yet</p>
  return (
    <ul className={`grid gap-2 ${card.assets.length > 1 ? 'grid-cols-2' : 'grid-cols-1'}`} data-testid="client-review-assets">
      {card.assets.map((asset) => (
        <li key={asset.fileId} className="overflow-hidden rounded-md bg-slate-100 ring-1 ring-slate-200">
          {asset.kind === 'video' ? (
            <video controls preload="metadata" src={reviewFileUrl(token, asset.fileId, 'content')} className="aspect-video w-full bg-black" aria-label={asset.name} />
          ) : (
            <a href={reviewFileUrl(token, asset.fileId, 'content')} target="_blank" rel="noreferrer" className="block">
              <img
                src={reviewFileUrl(token, asset.fileId, asset.hasThumbnail ? 'thumbnail' : 'content')}
                alt={asset.name}
                loading="lazy"
                className="block aspect-square w-full object-cover"
                data-testid="client-review-image"
              />
            </a>
          )}
        </li>
      ))}
    </ul>
  )
}

export function ClientReviewCard({ card, token, outcome, busy }: { card: ReviewCard; token: string; outcome: CardOutcome | undefined; busy: boolean }) {
  const { round } = card
  const commentId = `comment-${card.id}`
  return (
    <article
      id={`card-${card.id}`}
      className="scroll-mt-6 overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
      aria-labelledby={`title-${card.id}`}
      data-testid="client-review-card"
      data-card-id={card.id}
      data-can-decide={card.canDecide}
    >
      <div className="grid gap-5 p-5 md:grid-cols-[minmax(0,18rem)_1fr]">
        <Drafts card={card} token={token} />
        <div className="min-w-0 space-y-4">
          <header>
            <h2 id={`title-${card.id}`} className="text-lg font-semibold text-slate-900">
              {card.title}
            </h2>
            <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs">
              <Badge tone="slate">{PLATFORM_LABELS[card.platform]}</Badge>
              {round ? (
                <Badge tone={STATUS_TONES[round.status]} data-testid="client-review-status" data-status={round.status}>
                  {round.status === 'pending' && round.stepName ? `Waiting: ${round.stepName}` : round.statusLabel}
                </Badge>
              ) : (
                <Badge tone="slate" data-testid="client-review-status" data-status="none">
                  Not submitted yet
                </Badge>
              )}
              {round?.status === 'pending' && (
                <span className="text-slate-500">
                  due <LocalTime iso={round.dueAt} />
                </span>
              )}
            </div>
          </header>

          <section className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200 ring-inset" data-testid="client-review-caption" data-version={card.caption?.version ?? 0}>
            <h3 className="text-xs font-semibold text-slate-700">{card.caption ? `Caption (version ${card.caption.version})` : 'No caption yet'}</h3>
            {card.caption && <p className="mt-1 text-sm whitespace-pre-line text-slate-800">{card.caption.text}</p>}
          </section>

          {round && round.yourDecisions.length > 0 && (
            <ul className="space-y-1 text-sm text-slate-700" data-testid="client-review-decisions">
              {round.yourDecisions.map((decision) => (
                <li key={decision.at}>
                  You {DECISION_LABELS[decision.kind].did} version {decision.captionVersion} on <LocalTime iso={decision.at} />
                  {decision.comment ? `: “${decision.comment}”` : '.'}
                </li>
              ))}
            </ul>
          )}

          {outcome?.notice && (
            <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="client-review-notice">
              {outcome.notice}
            </p>
          )}
          {outcome?.error && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200 ring-inset" data-testid="client-review-error">
              {outcome.error}
            </p>
          )}
          {!card.canDecide && card.waitingFor && (
            <p className="text-sm text-slate-500" data-testid="client-review-waiting">
              {card.waitingFor}
            </p>
          )}

          {/* No CSRF field: the link's token in the address is the proof (the client has no session). */}
          <Form key={outcome?.notice ? outcome.id : 'form'} method="post" preventScrollReset className="space-y-2" data-testid="client-review-form">
            <input type="hidden" name="cardId" value={card.id} />
            <input type="hidden" name="captionVersion" value={round?.captionVersion ?? 0} />
            <label htmlFor={commentId} className="block text-sm font-medium text-slate-700">
              Comment
            </label>
            <textarea
              id={commentId}
              name="comment"
              rows={3}
              maxLength={APPROVAL_LIMITS.comment}
              defaultValue={outcome?.error ? outcome.comment : undefined}
              aria-describedby={`${commentId}-hint`}
              className="block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-emerald-600 focus:outline-none"
              data-testid="client-review-comment"
            />
            <p id={`${commentId}-hint`} className="text-xs text-slate-500">
              {card.canDecide ? 'Sent with your decision; say what should change when you request changes.' : 'The team sees it on the card.'}
            </p>
            <div className="flex flex-wrap gap-2">
              {card.canDecide && (
                <>
                  <Button type="submit" name="intent" value="approve" disabled={busy} data-testid="client-review-approve">
                    Approve
                  </Button>
                  <Button type="submit" name="intent" value="request_changes" variant="secondary" disabled={busy} data-testid="client-review-request-changes">
                    Request changes
                  </Button>
                  <Button type="submit" name="intent" value="reject" variant="secondary" disabled={busy} className="text-red-700" data-testid="client-review-reject">
                    Reject
                  </Button>
                </>
              )}
              <Button type="submit" name="intent" value="comment" variant="secondary" disabled={busy} data-testid="client-review-send-comment">
                {card.canDecide ? 'Only comment' : 'Send comment'}
              </Button>
            </div>
          </Form>
        </div>
      </div>
    </article>
  )
}
