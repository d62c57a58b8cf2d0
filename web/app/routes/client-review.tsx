// The page a client review link opens, without signing in and outside the signed-in layout: the agency's client,
// the shared cards with their drafts and captions, and a form per card to approve, request changes, reject or
// comment. A link that is not valid, has expired or was revoked shows a page that says so.
import { data, useNavigation } from 'react-router'
import type { Route } from './+types/client-review'
import type { PublicCommentCreated, PublicReview } from '../../../api/schemas/review-link.ts'
import { DECISION_KINDS, type DecisionKind } from '../../../domain/approvals.ts'
import { ClientReviewCard, type CardOutcome } from '~/components/review-links/client-review-card'
import { ErrorPage } from '~/components/error-panel'
import { LocalTime } from '~/components/local-time'
import { ApiError, callApi, rethrowAsRouteError } from '~/lib/api.server'

/** Answers about the link itself: shown instead of the cards. */
const LINK_PROBLEMS: Record<string, string> = {
  REVIEW_LINK_NOT_FOUND: 'Review link not valid',
  REVIEW_LINK_EXPIRED: 'Review link expired',
  REVIEW_LINK_REVOKED: 'Review link withdrawn',
}

interface LinkProblem {
  code: string
  title: string
  message: string
}

function problemFrom(error: unknown): LinkProblem | null {
  if (error instanceof ApiError && error.code in LINK_PROBLEMS) return { code: error.code, title: LINK_PROBLEMS[error.code]!, message: error.message }
  // The API checks the token's shape first: a mangled address is simply not a valid link.
  if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
    return { code: 'REVIEW_LINK_NOT_FOUND', title: LINK_PROBLEMS.REVIEW_LINK_NOT_FOUND!, message: 'This review link is not valid. Check that it was copied completely, or ask for a new one.' }
  }
  return null
}

const reviewPath = (token: string) => `/api/public/review-links/${encodeURIComponent(token)}`

const DECIDED: Record<DecisionKind, string> = {
  approve: 'Approved: thank you.',
  request_changes: 'Changes requested: the team has your comment.',
  reject: 'Rejected: the team has been told.',
}

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData && 'review' in loaderData ? `Review for ${loaderData.review.workspace.clientName} · ${loaderData.review.agencyName}` : 'Review · Greenlight' },
  // A private page: never listed by search engines.
  { name: 'robots', content: 'noindex, nofollow' },
]

// The address carries the link's token: no other site it leads to learns it, and no cache keeps the page.
// same-origin rather than no-referrer: the page's own form posts must still carry their Origin, which the
// server's cross-site check reads.
export const headers: Route.HeadersFunction = () => ({ 'Referrer-Policy': 'same-origin', 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' })

export async function loader({ request, params }: Route.LoaderArgs) {
  try {
    const { data: review } = await callApi<PublicReview>(request, reviewPath(params.token))
    return { review }
  } catch (error) {
    const problem = problemFrom(error)
    if (problem) return data({ problem }, { status: error instanceof ApiError ? (error.status === 400 ? 404 : error.status) : 404 })
    return rethrowAsRouteError(error)
  }
}

type ReviewActionResult = { outcome: CardOutcome; problem: null } | { outcome: null; problem: LinkProblem }

export async function action({ request, params }: Route.ActionArgs) {
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const cardId = String(form.get('cardId') ?? '')
  const comment = String(form.get('comment') ?? '').trim()
  const captionVersion = Number(form.get('captionVersion'))
  const id = crypto.randomUUID()
  const refused = (status: number, error: string) => data<ReviewActionResult>({ outcome: { cardId, id, error, comment }, problem: null }, { status })

  const kind = DECISION_KINDS.find((candidate) => candidate === intent)
  if (!kind && intent !== 'comment') return refused(400, 'Choose what to do: approve, request changes, reject or comment.')
  if (intent === 'comment' && comment === '') return refused(400, 'Write a comment first.')
  if (kind === 'request_changes' && comment === '') return refused(400, 'Say what should change: requesting changes needs a comment.')
  if (kind && !Number.isInteger(captionVersion)) return refused(400, 'This form is out of date: reload the page and decide again.')

  try {
    if (kind) {
      await callApi(request, `${reviewPath(params.token)}/decisions`, { method: 'POST', body: { cardId, kind, captionVersion, comment: comment || null } })
      return data<ReviewActionResult>({ outcome: { cardId, id, notice: DECIDED[kind] }, problem: null })
    }
    await callApi<PublicCommentCreated>(request, `${reviewPath(params.token)}/comments`, { method: 'POST', body: { cardId, text: comment } })
    return data<ReviewActionResult>({ outcome: { cardId, id, notice: 'Comment sent to the team.' }, problem: null })
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    // The link ended meanwhile (expired, revoked): say so instead of the cards.
    const problem = error.code in LINK_PROBLEMS ? problemFrom(error) : null
    if (problem) return data<ReviewActionResult>({ outcome: null, problem }, { status: error.status })
    // STALE_VERSION, APPROVAL_NOT_PENDING, NOT_AN_APPROVER, COMMENT_REQUIRED, RATE_LIMITED…: next to the card.
    return refused(error.status, error.message)
  }
}

function Brand({ agencyName }: { agencyName?: string | undefined }) {
  return (
    <p className="flex items-center gap-2 text-sm font-semibold text-slate-700">
      <span aria-hidden className="size-2.5 rounded-full bg-emerald-500 ring-4 ring-emerald-100" />
      {agencyName ?? 'Greenlight'}
    </p>
  )
}

export default function ClientReview({ loaderData, actionData, params }: Route.ComponentProps) {
  const navigation = useNavigation()
  const sendingFor = navigation.state === 'submitting' ? String(navigation.formData?.get('cardId') ?? '') : null
  const result = actionData as ReviewActionResult | undefined
  const problem = result?.problem ?? ('problem' in loaderData ? loaderData.problem : null)

  if (problem || !('review' in loaderData)) {
    return (
      <main className="flex min-h-full items-center justify-center px-6 py-16">
        <div className="w-full max-w-md">
          <Brand />
          <section role="alert" className="mt-6 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200" data-testid="client-review-problem" data-code={problem?.code}>
            <p className="text-sm font-semibold text-red-600">{problem?.title ?? 'Review link not available'}</p>
            <p className="mt-2 text-slate-800">{problem?.message}</p>
          </section>
        </div>
      </main>
    )
  }

  const { review } = loaderData
  const decidable = review.cards.filter((card) => card.canDecide).length
  return (
    <div className="min-h-full">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-6 py-4">
          <Brand agencyName={review.agencyName} />
          <p className="text-xs text-slate-500">
            This link works until <LocalTime iso={review.expiresAt} />
          </p>
        </div>
      </header>
      <main className="mx-auto max-w-5xl space-y-6 px-6 py-8">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight" data-testid="client-review-heading">
            {review.workspace.clientName}: posts for your review
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            Hello {review.clientName}. {review.agencyName} shared {review.cards.length} post{review.cards.length === 1 ? '' : 's'} with you
            {decidable > 0 ? `; ${decidable} ${decidable === 1 ? 'waits' : 'wait'} for your decision.` : '.'} Your decisions and comments carry your name.
          </p>
        </div>
        {review.cards.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500">The posts shared with you are no longer there.</p>
        ) : (
          review.cards.map((card) => (
            <ClientReviewCard key={card.id} card={card} token={params.token} outcome={result?.outcome?.cardId === card.id ? result.outcome : undefined} busy={sendingFor === card.id} />
          ))
        )}
      </main>
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />
}
