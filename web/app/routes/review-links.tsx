// A workspace's client review links: the "Share for client review" form (cards may be chosen in advance with
// ?cardId=… in the address, as the review grid links here), the new link shown once, and the links made so far
// with their status and a revoke button.
import { data, Link } from 'react-router'
import type { Route } from './+types/review-links'
import type { ReviewLinkCreated, ReviewLinkDto } from '../../../api/schemas/review-link.ts'
import type { WorkspaceWithKit } from '../../../api/schemas/workspace.ts'
import { REVIEW_LINK_LIMITS, expiryDaysIssue } from '../../../domain/review-links.ts'
import { ErrorPanel } from '~/components/error-panel'
import { FormError } from '~/components/form-error'
import { ReviewLinkList } from '~/components/review-links/link-list'
import { NewLinkNotice } from '~/components/review-links/new-link-notice'
import { SHARE_FIELDS, ShareForm, type ShareFormErrors, type ShareFormValues } from '~/components/review-links/share-form'
import { ApiError, formErrorsFrom, notThereAs } from '~/lib/api.server'
import { isUuid, type BoardData } from '~/lib/board'
import { CSRF_FIELD } from '~/lib/csrf'
import { callApiAsUser } from '~/lib/session.server'

/** Cards offered per board column: as many as one link may share. */
const CARDS_PER_COLUMN = REVIEW_LINK_LIMITS.cards
const DEFAULT_EXPIRY_DAYS = '7'

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData ? `Client review links · ${loaderData.workspace.name} · Greenlight` : 'Client review links · Greenlight' }]

const notThere = notThereAs('workspace')

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const args = { request, url }
  const id = encodeURIComponent(params.workspaceId)
  const [detail, links, board] = await Promise.all([
    callApiAsUser<WorkspaceWithKit>(args, `/api/workspaces/${id}`),
    callApiAsUser<{ links: ReviewLinkDto[] }>(args, `/api/review-links?workspaceId=${id}`),
    callApiAsUser<BoardData>(args, `/api/boards?workspaceId=${id}&limit=${CARDS_PER_COLUMN}`),
  ]).catch(notThere)
  const preselected = url.searchParams.getAll('cardId').filter(isUuid).map((cardId) => cardId.toLowerCase())
  return { workspace: detail.data.workspace, links: links.data.links, columns: board.data.columns, preselected }
}

type ReviewLinksActionResult =
  | { intent: 'create'; created: ReviewLinkCreated }
  | { intent: 'create'; errors: ShareFormErrors; values: ShareFormValues }
  | { intent: 'revoke' | 'unknown'; notice?: string; error?: string }

export async function action({ request, url, params }: Route.ActionArgs) {
  const args = { request, url }
  const form = await request.formData()
  const csrf = form.get(CSRF_FIELD)
  const intent = String(form.get('intent') ?? '')

  if (intent === 'create') {
    const values: ShareFormValues = {
      clientName: String(form.get('clientName') ?? '').trim(),
      clientEmail: String(form.get('clientEmail') ?? '').trim(),
      expiresInDays: String(form.get('expiresInDays') ?? DEFAULT_EXPIRY_DAYS),
      cardIds: form.getAll('cardIds').map(String),
    }
    const errors: ShareFormErrors = {}
    if (values.clientName === '') errors.clientName = 'Enter the name of the person who reviews.'
    if (values.clientEmail !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.clientEmail)) errors.clientEmail = 'Enter an e-mail address, or leave it empty.'
    const days = Number(values.expiresInDays)
    const daysIssue = expiryDaysIssue(days)
    if (daysIssue) errors.expiresInDays = `The lifetime ${daysIssue}.`
    if (values.cardIds.length === 0) errors.cardIds = 'Choose at least one card to share.'
    if (values.cardIds.length > REVIEW_LINK_LIMITS.cards) errors.cardIds = `Share at most ${REVIEW_LINK_LIMITS.cards} cards per link.`
    if (Object.keys(errors).length > 0) return data<ReviewLinksActionResult>({ intent, errors, values }, { status: 400 })
    try {
      const { data: created } = await callApiAsUser<ReviewLinkCreated>(args, '/api/review-links', {
        method: 'POST',
        body: { workspaceId: params.workspaceId, cardIds: values.cardIds, clientName: values.clientName, clientEmail: values.clientEmail || null, expiresInDays: days },
        csrf,
      })
      return data<ReviewLinksActionResult>({ intent, created })
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      // CARD_NOT_IN_WORKSPACE (a card deleted meanwhile), WORKSPACE_ARCHIVED, FORBIDDEN: next to the form, which keeps its input.
      const placed = error.status === 400 ? formErrorsFrom(error, SHARE_FIELDS) : { form: error.message }
      return data<ReviewLinksActionResult>({ intent, errors: placed, values }, { status: error.status })
    }
  }

  if (intent === 'revoke') {
    const linkId = String(form.get('linkId') ?? '')
    try {
      await callApiAsUser(args, `/api/review-links/${encodeURIComponent(linkId)}/revoke`, { method: 'POST', csrf })
      return data<ReviewLinksActionResult>({ intent, notice: `The link for ${String(form.get('clientName') ?? 'the client')} is revoked: it no longer opens.` })
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      return data<ReviewLinksActionResult>({ intent, error: error.message }, { status: error.status })
    }
  }
  return data<ReviewLinksActionResult>({ intent: 'unknown', error: 'Choose what to do: create a link or revoke one.' }, { status: 400 })
}

export default function ReviewLinks({ loaderData, actionData }: Route.ComponentProps) {
  const { workspace, links, columns, preselected } = loaderData
  const result = actionData as ReviewLinksActionResult | undefined
  const created = result && 'created' in result ? result.created : undefined
  const refused = result && 'errors' in result ? result : undefined
  const notice = result && 'notice' in result ? result.notice : undefined
  const error = result && 'error' in result ? result.error : undefined
  const values: ShareFormValues = refused?.values ?? { clientName: '', clientEmail: '', expiresInDays: DEFAULT_EXPIRY_DAYS, cardIds: preselected }

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link to={`/workspaces/${workspace.id}`} className="font-medium text-emerald-700 hover:text-emerald-600">
            {workspace.name}
          </Link>{' '}
          · {workspace.clientName}
        </p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight" data-testid="review-links-heading">
          Client review links
        </h1>
      </div>
      {created && <NewLinkNotice created={created} />}
      {notice && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="review-links-notice">
          {notice}
        </p>
      )}
      <FormError message={error} />
      {/* A new key after each link remounts the form, which empties it. */}
      <ShareForm key={created?.link.id ?? 'new'} columns={columns} values={created ? { ...values, cardIds: [] } : values} errors={refused?.errors} />
      <section aria-labelledby="links-heading" className="space-y-3">
        <h2 id="links-heading" className="text-base font-semibold">
          Links <span className="font-normal text-slate-500">({links.length})</span>
        </h2>
        <ReviewLinkList links={links} />
      </section>
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
