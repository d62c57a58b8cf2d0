// The public page an invitation e-mail links to: who invites, with which role; the invitee picks a name and
// a password, and is signed in straight away.
import { data, Form, Link, redirect, useNavigation } from 'react-router'
import type { Route } from './+types/accept-invite'
import type { InvitePreview } from '../../../api/schemas/team.ts'
import { ROLE_LABELS } from '../../../domain/permissions.ts'
import { Button } from '~/components/button'
import { ErrorPage } from '~/components/error-panel'
import { Field } from '~/components/field'
import { FormError } from '~/components/form-error'
import { LocalTime } from '~/components/local-time'
import { ApiError, callApi, formErrorsFrom, rethrowAsRouteError, setCookieHeaders, type User } from '~/lib/api.server'

const ACCEPT_FIELDS = ['name', 'password'] as const
type AcceptErrors = Partial<Record<(typeof ACCEPT_FIELDS)[number] | 'form', string>>

/** Answers about the link itself (unknown, expired, used, revoked): shown instead of the form. */
const INVITE_PROBLEMS: Record<string, string> = {
  INVITE_INVALID: 'Invitation link not valid',
  INVITE_EXPIRED: 'Invitation expired',
  INVITE_USED: 'Invitation already used',
  INVITE_REVOKED: 'Invitation withdrawn',
}

interface InviteProblem {
  code: string
  title: string
  message: string
}

function problemFrom(error: unknown): InviteProblem | null {
  if (error instanceof ApiError && error.code in INVITE_PROBLEMS) {
    return { code: error.code, title: INVITE_PROBLEMS[error.code]!, message: error.message }
  }
  return null
}

const invitePath = (token: string) => `/api/invites/${encodeURIComponent(token)}`

export const meta: Route.MetaFunction = ({ loaderData }) => [
  { title: loaderData && 'invite' in loaderData ? `Join ${loaderData.invite.agencyName} · Greenlight` : 'Invitation · Greenlight' },
]

export async function loader({ request, params }: Route.LoaderArgs) {
  try {
    const { data: invite } = await callApi<InvitePreview>(request, invitePath(params.token))
    return { invite }
  } catch (error) {
    const problem = problemFrom(error)
    if (problem) return data({ problem }, { status: error instanceof ApiError ? error.status : 400 })
    return rethrowAsRouteError(error)
  }
}

export async function action({ request, params }: Route.ActionArgs) {
  const form = await request.formData()
  const name = String(form.get('name') ?? '').trim()
  const password = String(form.get('password') ?? '')
  const errors: AcceptErrors = {}
  if (name === '') errors.name = 'Enter your name as colleagues should see it.'
  if (password.length < 10) errors.password = 'Choose a password of at least 10 characters.'
  if (Object.keys(errors).length > 0) return data({ errors, name, problem: null }, { status: 400 })
  try {
    const { headers } = await callApi<{ user: User }>(request, `${invitePath(params.token)}/accept`, { method: 'POST', body: { name, password } })
    // The API's Set-Cookie carries the new session; the browser keeps it for this site.
    return redirect('/', { headers: setCookieHeaders(headers) })
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const problem = problemFrom(error)
    // The link stopped working meanwhile (used in another tab, revoked, expired): say so instead of the form.
    if (problem) return data({ errors: {} as AcceptErrors, name, problem }, { status: error.status })
    const errors: AcceptErrors = error.status === 400 ? formErrorsFrom(error, ACCEPT_FIELDS) : { form: error.message }
    return data({ errors, name, problem: null }, { status: error.status })
  }
}

function Brand() {
  return (
    <p className="flex items-center justify-center gap-2 text-2xl font-semibold tracking-tight">
      <span aria-hidden className="size-3 rounded-full bg-emerald-500 ring-4 ring-emerald-100" />
      Greenlight
    </p>
  )
}

export default function AcceptInvite({ loaderData, actionData }: Route.ComponentProps) {
  const accepting = useNavigation().state === 'submitting'
  const problem = actionData?.problem ?? ('problem' in loaderData ? loaderData.problem : null)
  const errors: AcceptErrors = actionData?.errors ?? {}

  if (problem || !('invite' in loaderData)) {
    return (
      <main className="flex min-h-full items-center justify-center px-6 py-16">
        <div className="w-full max-w-md">
          <Brand />
          <section role="alert" className="mt-8 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200" data-testid="invite-problem" data-code={problem?.code}>
            <p className="text-sm font-semibold text-red-600">{problem?.title ?? 'Invitation not available'}</p>
            <p className="mt-2 text-slate-800">{problem?.message}</p>
            <p className="mt-4 text-sm text-slate-600">
              Already have an account?{' '}
              <Link to="/login" className="font-semibold text-emerald-700 hover:text-emerald-600">
                Log in
              </Link>
            </p>
          </section>
        </div>
      </main>
    )
  }

  const { invite } = loaderData
  return (
    <main className="flex min-h-full items-center justify-center px-6 py-16">
      <div className="w-full max-w-sm">
        <Brand />
        <p className="mt-2 text-center text-sm text-slate-500">
          You are invited to join <strong className="font-semibold text-slate-800" data-testid="invite-agency">{invite.agencyName}</strong> as{' '}
          <strong className="font-semibold text-slate-800" data-testid="invite-role">{ROLE_LABELS[invite.role]}</strong>.
        </p>
        {/* No CSRF field: the API route takes the invite token as its proof (there is no session yet). */}
        <Form method="post" className="mt-8 space-y-5 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200" data-testid="accept-invite-form">
          <FormError message={errors.form} />
          <div>
            <p className="block text-sm font-medium text-slate-700">E-mail</p>
            <p className="mt-1 text-sm text-slate-900" data-testid="invite-email">{invite.email}</p>
          </div>
          <Field label="Your name" name="name" autoComplete="name" required maxLength={120} defaultValue={actionData?.name} error={errors.name} data-testid="accept-name" />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            maxLength={200}
            hint="At least 10 characters."
            error={errors.password}
            data-testid="accept-password"
          />
          <Button type="submit" disabled={accepting} className="w-full" data-testid="accept-submit">
            {accepting ? 'Joining…' : `Join ${invite.agencyName}`}
          </Button>
          <p className="text-center text-xs text-slate-500">
            This invitation expires <LocalTime iso={invite.expiresAt} />.
          </p>
        </Form>
      </div>
    </main>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />
}
