// One card, opened in a drawer over its board (nested under the three board routes): details, caption versions,
// drafts and assets, comments with @mentions and their summary, activity, the moves the viewer may make, and
// publishing (scheduling an approved card for its accounts, and its posts). Every change carries the version it
// was made on; a newer one is a conflict, said as such, and what was typed stays.
import { data, Link, useLocation, useOutletContext, useRouteLoaderData, type ShouldRevalidateFunctionArgs } from 'react-router'
import type { Route } from './+types/board-card'
import { isCalendarDate } from '../../../domain/campaign-brief.ts'
import { isBoardColumn } from '../../../domain/content-board.ts'
import type { Creator } from '../../../api/schemas/creator.ts'
import { ApprovalSection } from '~/components/approvals/approval-section'
import type { ThreadSummary } from '../../../api/schemas/thread-summary.ts'
import { CardDrawer } from '~/components/board/card-drawer'
import { ActionNotice, ActivitySection, AssetsSection, CaptionSection, CardDetailsForm, CardMoves, CardOverview, CommentsSection } from '~/components/board/card-sections'
import { isThreadSummaryResult, type ThreadSummaryActionResult } from '~/components/board/thread-summary'
import { ErrorPanel } from '~/components/error-panel'
import { timeZoneChoices } from '~/components/brief-format'
import { PublishingSection } from '~/components/publishing/publishing-section'
import { ApiError, type User, notThereAs } from '~/lib/api.server'
import { type CardActionResult, type CardDetail, type CardEditValues } from '~/lib/board'
import { multipartBoundary, takeLeadingField } from '~/lib/multipart-upload.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { DECISION_LABELS, isDecisionKind, type CardApproval, type RoundView } from '~/lib/approvals'
import { isPublishingIntent, isPublishingResult, readSlotPrefill } from '~/lib/publishing'
import { loadCardPublishing, runPublishingAction } from '~/lib/publishing.server'
import { callApiAsUser } from '~/lib/session.server'
import type { BoardOutletContext } from './board'

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData ? `${loaderData.detail.card.title} · Greenlight` : 'Card · Greenlight' }]

const notThere = notThereAs('card')

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const args = { request, url }
  const [detail, creators, approval, publishing] = await Promise.all([
    callApiAsUser<CardDetail>(args, `/api/cards/${encodeURIComponent(params.cardId)}`).then((response) => response.data),
    // For the assignee select; roles that may not list creators do not get to reassign anyway.
    callApiAsUser<{ creators: Creator[] }>(args, '/api/creators')
      .then((response) => response.data.creators.map((creator) => ({ id: creator.id, name: creator.displayName })))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 403) return []
        throw error
      }),
    // Read from the rows the approval workflow keeps current, never from the workflow itself.
    callApiAsUser<CardApproval>(args, `/api/cards/${encodeURIComponent(params.cardId)}/approval`).then((response) => response.data),
    loadCardPublishing(args, params.cardId),
  ]).catch(notThere)
  // The zones offered: every zone, with the campaign's and the posts' own first in line if the list lacks them.
  const timeZones = publishing ? timeZoneChoices([publishing.timeZone, ...publishing.posts.map((post) => post.timeZone)]) : []
  return { detail, creators, approval, publishing, timeZones, slotPrefill: readSlotPrefill(url.searchParams) }
}

const refused = (result: CardActionResult, status: number) => data<CardActionResult>(result, { status })

/** Refusals (stale version, rules, bad input) belong in the drawer; anything else is an error page. */
function refusalOf(error: unknown): ApiError {
  if (error instanceof ApiError && error.status < 500) return error
  throw error
}

function readEditValues(form: FormData): CardEditValues {
  const text = (name: string) => String(form.get(name) ?? '')
  return { title: text('title').trim(), description: text('description'), assigneeCreatorId: text('assigneeCreatorId'), due: text('due').trim() }
}

export async function action({ request, url, params }: Route.ActionArgs) {
  const args = { request, url }
  const base = `/api/cards/${encodeURIComponent(params.cardId)}`

  // The draft upload is the one form not read here: its body streams on to the API (see uploadDraft).
  if (url.searchParams.get('intent') === 'upload-draft') return uploadDraft(args, base)

  const form = await request.formData()
  const csrf = form.get(CSRF_FIELD)
  const intent = form.get('intent')
  const version = Number(form.get('version'))

  // Schedule, reschedule, cancel, verify: the publishing section's forms (lib/publishing.server.ts).
  if (isPublishingIntent(intent)) return runPublishingAction(args, intent, form, params.cardId)

  switch (intent) {
    case 'update': {
      const values = readEditValues(form)
      if (values.title === '') return refused({ intent, ok: false, error: 'A card needs a title.', values }, 400)
      if (values.due !== '' && !isCalendarDate(values.due)) return refused({ intent, ok: false, error: `"${values.due}" is not a date.`, values }, 400)
      try {
        await callApiAsUser(args, base, {
          method: 'PATCH',
          body: { version, title: values.title, description: values.description, assigneeCreatorId: values.assigneeCreatorId || null, dueDate: values.due || null },
          csrf,
        })
        return { intent, ok: true, notice: 'Details saved.' } satisfies CardActionResult
      } catch (error) {
        const refusal = refusalOf(error)
        return refused({ intent, ok: false, error: refusal.message, values }, refusal.status)
      }
    }
    case 'caption': {
      const text = String(form.get('text') ?? '')
      try {
        await callApiAsUser(args, `${base}/captions`, { method: 'POST', body: { text, baseVersion: Number(form.get('baseVersion')) }, csrf })
        return { intent, ok: true, notice: 'Caption saved as a new version.' } satisfies CardActionResult
      } catch (error) {
        const refusal = refusalOf(error)
        return refused({ intent, ok: false, error: refusal.message, text }, refusal.status)
      }
    }
    case 'comment': {
      const text = String(form.get('body') ?? '')
      try {
        await callApiAsUser(args, `${base}/comments`, { method: 'POST', body: { body: text }, csrf })
        return { intent, ok: true, notice: 'Comment posted.' } satisfies CardActionResult
      } catch (error) {
        const refusal = refusalOf(error)
        return refused({ intent, ok: false, error: refusal.message, text }, refusal.status)
      }
    }
    case 'decide': {
      const kind = form.get('kind')
      const comment = String(form.get('comment') ?? '')
      if (!isDecisionKind(kind)) return refused({ intent, ok: false, error: 'Choose approve, request changes or reject.', comment }, 400)
      try {
        const { data: round } = await callApiAsUser<RoundView>(args, `${base}/approval/decisions`, {
          method: 'POST',
          body: { kind, captionVersion: Number(form.get('captionVersion')), comment: comment.trim() || null },
          csrf,
        })
        const next = round.status === 'pending' ? `round ${round.round} now waits for “${round.steps[round.stepIndex]?.name ?? 'the next step'}”` : `round ${round.round} is ${round.statusLabel.toLowerCase()}`
        return { intent, ok: true, notice: `${DECISION_LABELS[kind].done}: ${next}.` } satisfies CardActionResult
      } catch (error) {
        const refusal = refusalOf(error)
        return refused({ intent, ok: false, error: refusal.message, comment }, refusal.status)
      }
    }
    case 'move': {
      const to = String(form.get('to') ?? '')
      if (!isBoardColumn(to)) return refused({ intent, ok: false, error: 'Choose where the card goes.' }, 400)
      try {
        await callApiAsUser(args, `${base}/move`, { method: 'POST', body: { version, to }, csrf })
        return { intent, ok: true, notice: to === 'Submitted_By_Creator' ? 'Submitted for review.' : 'Card moved.' } satisfies CardActionResult
      } catch (error) {
        const refusal = refusalOf(error)
        return refused({ intent, ok: false, error: refusal.message }, refusal.status)
      }
    }
    case 'summarize': {
      try {
        const { data: summary } = await callApiAsUser<ThreadSummary>(args, `${base}/thread-summary`, { method: 'POST', csrf })
        return { intent, ok: true, summary } satisfies ThreadSummaryActionResult
      } catch (error) {
        // A refusal, or a summary the worker did not finish in time, is said beside the button.
        if (error instanceof ApiError && (error.status < 500 || error.code === 'SUMMARY_UNAVAILABLE')) {
          return data<ThreadSummaryActionResult>({ intent, ok: false, error: error.message }, { status: error.status })
        }
        throw error
      }
    }
    default:
      return refused({ intent: 'move', ok: false, error: 'Unknown action.' }, 400)
  }
}

/**
 * "Upload draft": the browser's multipart body goes on to POST /api/cards/:id/drafts as it arrives (a video
 * is never held here). Only its first field, the CSRF token, is read off the stream, for the API's header.
 */
async function uploadDraft(args: { request: Request; url: URL }, base: string) {
  const contentType = args.request.headers.get('content-type')
  const boundary = multipartBoundary(contentType)
  if (!contentType || !boundary || !args.request.body) {
    return refused({ intent: 'upload-draft', ok: false, error: 'Choose an image or video to upload.' }, 400)
  }
  const leading = await takeLeadingField(args.request.body, boundary, CSRF_FIELD)
  if (!leading) return refused({ intent: 'upload-draft', ok: false, error: 'The upload form arrived incomplete: reload the page and try again.' }, 400)
  try {
    await callApiAsUser<CardDetail>(args, `${base}/drafts`, { method: 'POST', raw: { contentType, body: leading.rest, streamed: true }, csrf: leading.value })
    return { intent: 'upload-draft', ok: true, notice: 'Draft uploaded.' } satisfies CardActionResult
  } catch (error) {
    // Wrong type, too large, unreadable media: the API's words, in the drawer.
    const refusal = refusalOf(error)
    return refused({ intent: 'upload-draft', ok: false, error: refusal.message }, refusal.status)
  }
}

// A conflict means the drawer shows an old version: read the card again (what was typed comes back with the
// answer and stays in the form).
export function shouldRevalidate({ actionStatus, formData, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (actionStatus === 409) return true
  // A summary changes nothing on the card.
  if (formData?.get('intent') === 'summarize') return false
  return defaultShouldRevalidate
}

export default function BoardCardRoute({ loaderData, actionData }: Route.ComponentProps) {
  const { closeHref, viewer } = useOutletContext<BoardOutletContext>()
  const user = (useRouteLoaderData('routes/signed-in') as { user: User } | undefined)?.user
  const location = useLocation()
  const { detail, creators, approval, publishing, timeZones, slotPrefill } = loaderData
  // A summary's answer is the comments section's own (components/board/thread-summary.tsx), and a publishing
  // form's the publishing section's.
  const publishingResult = isPublishingResult(actionData) ? actionData : undefined
  const result = isThreadSummaryResult(actionData) || publishingResult ? undefined : (actionData as CardActionResult | undefined)
  const approvalError = result && !result.ok && result.intent === 'decide' ? result : undefined
  const assigned = viewer.creatorId !== null && detail.card.assignee?.creatorId === viewer.creatorId
  const uploadQuery = new URLSearchParams(location.search)
  uploadQuery.set('intent', 'upload-draft')

  return (
    <CardDrawer key={detail.card.id} title={detail.card.title} closeHref={closeHref}>
      <ActionNotice result={result} />
      <CardOverview detail={detail} />
      <ApprovalSection approval={approval} error={approvalError} />
      <CardMoves detail={detail} result={result} assignedCreatorUserId={assigned && user ? user.id : null} />
      {publishing && <PublishingSection publishing={publishing} timeZones={timeZones} result={publishingResult} prefill={slotPrefill} />}
      {detail.can.edit && <CardDetailsForm detail={detail} creators={creators} result={result} />}
      <CaptionSection detail={detail} result={result} />
      <AssetsSection detail={detail} uploadAction={`${location.pathname}?${uploadQuery}`} result={result} />
      <CommentsSection detail={detail} result={result} hasDecisions={approval.rounds.some((round) => round.decisions.length > 0)} />
      <ActivitySection detail={detail} />
    </CardDrawer>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const { closeHref } = useOutletContext<BoardOutletContext>()
  // Inside the board's layout: the panel sits where the drawer would have been, with the way back to the board.
  return (
    <div className="fixed inset-0 z-40 flex items-start justify-center overflow-y-auto bg-slate-900/30 p-8">
      <div className="w-full max-w-xl space-y-3">
        <ErrorPanel error={error} />
        <Link to={closeHref} className="inline-block rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-700 shadow-sm ring-1 ring-slate-300" data-testid="card-error-close">
          Back to the board
        </Link>
      </div>
    </div>
  )
}
