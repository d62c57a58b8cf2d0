import { data, Form, Link, redirect, useRouteLoaderData } from 'react-router'
import type { Route } from './+types/creator-detail'
import { CREATOR_LIMITS, type CreatorDetail, type LinkableUser, type SocialAccount } from '../../../api/schemas/creator.ts'
import { Button } from '~/components/button'
import { CreatorAccounts } from '~/components/creator-accounts'
import { CreatorConnectButtons } from '~/components/creator-connect-buttons'
import { CREATOR_FORM_FIELDS, EditCreatorForm, readCreatorForm, type CreatorFormErrors, type CreatorFormValues } from '~/components/creator-form'
import { CsrfField } from '~/components/csrf-field'
import { ErrorPanel } from '~/components/error-panel'
import { FormError } from '~/components/form-error'
import { ApiError, formErrorsFrom, rethrowAsRouteError, type PlatformMeta, type RouteErrorBody, type User } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { callApiAsUser, type RequestArgs } from '~/lib/session.server'

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData ? `${loaderData.creator.displayName} · Creators · Greenlight` : 'Creator · Greenlight' },
]

const PROVIDERS = { meta: 'Meta', tiktok: 'TikTok' } as const
type Provider = keyof typeof PROVIDERS
const isProvider = (value: string | null): value is Provider => value === 'meta' || value === 'tiktok'

interface Notice {
  tone: 'success' | 'warning'
  message: string
}

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`

/**
 * What the OAuth callback and the connect action report through the address (codes only, never free text, so
 * a crafted link cannot put words on this page).
 */
function noticeFrom(params: URLSearchParams): Notice | null {
  const connected = params.get('connected')
  if (isProvider(connected)) {
    const added = Number(params.get('new') ?? 0)
    const renewed = Number(params.get('renewed') ?? 0)
    const parts = [added > 0 ? `connected ${plural(added, 'new account')}` : null, renewed > 0 ? `reconnected ${plural(renewed, 'account')}` : null].filter(Boolean)
    const message = `${PROVIDERS[connected]}: ${parts.join(' and ') || 'nothing changed'}.`
    if (params.get('refresh') === 'off') {
      return { tone: 'warning', message: `${message} Their token refresh could not be scheduled because Temporal did not answer: reconnect once it is back, or access will lapse.` }
    }
    return { tone: 'success', message }
  }
  const notConnected = params.get('notConnected')
  if (isProvider(notConnected)) {
    const label = PROVIDERS[notConnected]
    const reason = params.get('reason')
    if (reason === 'access_denied') return { tone: 'warning', message: `The connection was cancelled on ${label}, so nothing was connected.` }
    if (reason === 'no_accounts') {
      return {
        tone: 'warning',
        message: notConnected === 'meta' ? 'No Facebook Page was shared with Greenlight, so nothing was connected. Connect again and select at least one Page.' : 'TikTok shared no account, so nothing was connected.',
      }
    }
    return { tone: 'warning', message: `${label} ended the connection with an error, so nothing was connected. Try again.` }
  }
  const connectError = params.get('connectError')
  const provider = params.get('provider')
  if (connectError) {
    const label = isProvider(provider) ? PROVIDERS[provider] : 'the platform'
    if (connectError === 'FORBIDDEN') return { tone: 'warning', message: `Your role cannot connect accounts for this creator.` }
    return { tone: 'warning', message: `Connecting to ${label} could not start (${connectError.replace(/[^A-Z_]/g, '')}). Try again in a moment.` }
  }
  return null
}

async function linkableUsers(args: RequestArgs): Promise<LinkableUser[] | null> {
  try {
    return (await callApiAsUser<{ users: LinkableUser[] }>(args, '/api/creators/linkable-users')).data.users
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return null
    throw error
  }
}

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const path = `/api/creators/${encodeURIComponent(params.creatorId)}`
  const [detail, users] = await Promise.all([
    callApiAsUser<CreatorDetail>({ request, url }, path).then(({ data }) => data),
    linkableUsers({ request, url }),
  ]).catch((error: unknown) => {
    // A malformed id is a 400 to the API; to someone following a link it is simply not there.
    if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
      throw data<RouteErrorBody>({ code: 'NOT_FOUND', message: 'There is no creator at this address.' }, { status: 404 })
    }
    return rethrowAsRouteError(error)
  })
  return { ...detail, linkableUsers: users, limits: CREATOR_LIMITS, notice: noticeFrom(url.searchParams) }
}

type DetailActionResult =
  | { intent: 'update'; values: CreatorFormValues; errors: CreatorFormErrors }
  | { intent: 'update' | 'disconnect'; notice: string }
  | { intent: string; error: string }

export async function action({ request, url, params }: Route.ActionArgs) {
  const formData = await request.formData()
  const csrf = formData.get(CSRF_FIELD)
  const intent = String(formData.get('intent') ?? '')
  const base = `/api/creators/${encodeURIComponent(params.creatorId)}`
  const args = { request, url }

  if (intent === 'update') {
    const form = readCreatorForm(formData, CREATOR_LIMITS)
    if (Object.keys(form.errors).length > 0) return data<DetailActionResult>({ intent, values: form.values, errors: form.errors }, { status: 400 })
    // The linked user is sent only when the picker was on the page.
    const { userId, ...profile } = form.body
    const body = formData.has('userId') ? { ...profile, userId } : profile
    try {
      await callApiAsUser(args, base, { method: 'PATCH', body, csrf })
      return data<DetailActionResult>({ intent, notice: 'Profile saved.' })
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      const errors = error.status === 400 ? formErrorsFrom(error, CREATOR_FORM_FIELDS) : { form: error.message }
      return data<DetailActionResult>({ intent, values: form.values, errors }, { status: error.status })
    }
  }

  try {
    if (intent === 'disconnect') {
      const accountId = String(formData.get('accountId') ?? '')
      const { data: result } = await callApiAsUser<{ account: SocialAccount }>(args, `${base}/accounts/${encodeURIComponent(accountId)}/disconnect`, { method: 'POST', csrf })
      return data<DetailActionResult>({ intent, notice: `Disconnected ${result.account.handle}: its tokens were deleted and its token refresh stopped.` })
    }
    if (intent === 'delete') {
      await callApiAsUser(args, base, { method: 'DELETE', csrf })
      return redirect('/creators')
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return data<DetailActionResult>({ intent, error: error.message }, { status: error.status })
  }
  return data<DetailActionResult>({ intent: 'unknown', error: 'Choose what to do: save the profile, disconnect an account or delete the creator.' }, { status: 400 })
}

export default function CreatorDetailPage({ loaderData, actionData }: Route.ComponentProps) {
  const { user, integrations } = useRouteLoaderData('routes/signed-in') as { user: User; integrations: PlatformMeta['integrations'] }
  const { creator, accounts, notice } = loaderData
  const allowed = new Set<string>(user.permissions)
  const canWrite = allowed.has('creator.write')
  // Deleting the creator and changing its linked user need more than editing (the API checks the same).
  const canManage = allowed.has('creator.manage')
  // A creator-role user manages only their own profile's accounts (the API says the same).
  const canConnect = allowed.has('account.connect') && (user.role !== 'creator' || creator.user?.id === user.id)
  const result = actionData as DetailActionResult | undefined
  const rejected = result && 'errors' in result ? result : undefined
  const actionNotice = result && 'notice' in result ? result.notice : undefined
  const actionError = result && 'error' in result ? result.error : undefined
  const shown: Notice | null = actionNotice ? { tone: 'success', message: actionNotice } : notice

  return (
    <div className="space-y-6">
      <Link to="/creators" className="text-sm font-medium text-slate-500 hover:text-slate-700">
        ← Creators
      </Link>
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight" data-testid="creator-name">
          {creator.displayName}
        </h1>
        <p className="text-sm text-slate-600">
          {creator.user ? (
            <>
              Linked to <span className="font-medium">{creator.user.name}</span> ({creator.user.email})
            </>
          ) : (
            'Managed by the agency (no linked user)'
          )}
          {creator.tags.length > 0 && <> · {creator.tags.join(', ')}</>}
        </p>
      </header>

      {shown && (
        <p
          role="status"
          className={`rounded-md px-4 py-3 text-sm ring-1 ring-inset ${
            shown.tone === 'success' ? 'bg-emerald-50 text-emerald-800 ring-emerald-200' : 'bg-amber-50 text-amber-900 ring-amber-200'
          }`}
          data-testid="creator-notice"
        >
          {shown.message}
        </p>
      )}
      <FormError message={actionError} />

      <section className="space-y-4 rounded-lg bg-slate-100/60 p-5 ring-1 ring-slate-200" aria-labelledby="accounts-heading">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <h2 id="accounts-heading" className="text-base font-semibold">
              Connected accounts
            </h2>
            <p className="mt-1 text-sm text-slate-500">Several per platform are fine. Access is refreshed before it expires; if a platform refuses, the account asks to be reconnected.</p>
          </div>
          {canConnect && <CreatorConnectButtons creatorId={creator.id} sandbox={{ meta: integrations.meta === 'sandbox', tiktok: integrations.tiktok === 'sandbox' }} />}
        </div>
        <CreatorAccounts accounts={accounts} canManage={canConnect} />
      </section>

      {canWrite ? (
        <EditCreatorForm
          // Remounted when the profile changes, so the fields show what was saved.
          key={creator.updatedAt}
          creatorId={creator.id}
          limits={loaderData.limits}
          // Without the picker the form sends no userId, so the link stays as it is.
          linkableUsers={canManage ? loaderData.linkableUsers : null}
          values={rejected?.values ?? { displayName: creator.displayName, notes: creator.notes, tags: creator.tags.join(', '), userId: creator.user?.id ?? '' }}
          errors={rejected?.errors}
        />
      ) : (
        creator.notes && (
          <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 className="text-base font-semibold">Notes</h2>
            <p className="mt-2 text-sm whitespace-pre-line text-slate-700">{creator.notes}</p>
          </section>
        )
      )}

      {canManage && (
        <Form
          method="post"
          className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-red-200"
          onSubmit={(event) => {
            if (!window.confirm(`Delete ${creator.displayName} and disconnect all their accounts?`)) event.preventDefault()
          }}
        >
          <CsrfField />
          <input type="hidden" name="intent" value="delete" />
          <p className="text-sm text-slate-600">Deleting the creator disconnects all their accounts and deletes their tokens.</p>
          <Button type="submit" variant="secondary" className="text-red-700" data-testid="delete-creator">
            Delete creator
          </Button>
        </Form>
      )}
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
