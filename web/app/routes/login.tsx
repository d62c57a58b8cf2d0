import { data, Form, redirect, useNavigation, useSearchParams } from 'react-router'
import type { Route } from './+types/login'
import { Button } from '~/components/button'
import { ErrorPage } from '~/components/error-panel'
import { Field } from '~/components/field'
import { FormError } from '~/components/form-error'
import { ApiError, callApi, formErrorsFrom, rethrowAsRouteError, setCookieHeaders, type User } from '~/lib/api.server'
import { safeRedirectPath } from '~/lib/session.server'

const LOGIN_FIELDS = ['email', 'password'] as const
type LoginErrors = Partial<Record<(typeof LOGIN_FIELDS)[number] | 'form', string>>

export const meta: Route.MetaFunction = () => [{ title: 'Sign in · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  try {
    await callApi<{ user: User }>(request, '/api/auth/me')
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null
    rethrowAsRouteError(error)
  }
  // Already signed in: go where the login would have led.
  throw redirect(safeRedirectPath(url.searchParams.get('redirectTo')))
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData()
  const email = String(form.get('email') ?? '').trim()
  const password = String(form.get('password') ?? '')

  const errors: LoginErrors = {}
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = 'Enter the email address you sign in with.'
  if (password === '') errors.password = 'Enter your password.'
  if (Object.keys(errors).length > 0) return data({ errors, email }, { status: 400 })

  try {
    const { headers } = await callApi<{ user: User }>(request, '/api/auth/login', { method: 'POST', body: { email, password } })
    // The API's Set-Cookie carries the session; the browser keeps it for this site.
    return redirect(safeRedirectPath(form.get('redirectTo')), { headers: setCookieHeaders(headers) })
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    // INVALID_CREDENTIALS and the like: the API's sentence above the form.
    const errors: LoginErrors = error.status === 400 ? formErrorsFrom(error, LOGIN_FIELDS) : { form: error.message }
    return data({ errors, email }, { status: error.status })
  }
}

export default function Login({ actionData }: Route.ComponentProps) {
  const [searchParams] = useSearchParams()
  const signingIn = useNavigation().state === 'submitting'
  const errors: LoginErrors = actionData?.errors ?? {}

  return (
    <main className="flex min-h-full items-center justify-center px-6 py-16">
      <div className="w-full max-w-sm">
        <p className="flex items-center justify-center gap-2 text-2xl font-semibold tracking-tight">
          <span aria-hidden className="size-3 rounded-full bg-emerald-500 ring-4 ring-emerald-100" />
          Greenlight
        </p>
        <p className="mt-2 text-center text-sm text-slate-500">Sign in to your agency workspace</p>
        <Form method="post" className="mt-8 space-y-5 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200" data-testid="login-form">
          <FormError message={errors.form} />
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            required
            defaultValue={actionData?.email}
            error={errors.email}
            data-testid="login-email"
          />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={errors.password}
            data-testid="login-password"
          />
          <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? ''} />
          <Button type="submit" disabled={signingIn} className="w-full" data-testid="login-submit">
            {signingIn ? 'Signing in…' : 'Sign in'}
          </Button>
        </Form>
      </div>
    </main>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />
}
