import { data, Form, Link, redirect, useNavigation, useSearchParams } from 'react-router'
import type { Route } from './+types/login'
import { AuthShell } from '~/components/auth-shell'
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
    <AuthShell
      subtitle="Sign in to your agency workspace"
      footer={
        <>
          New to Greenlight?{' '}
          <Link to="/signup" className="font-medium text-emerald-700 hover:underline">
            Create an agency
          </Link>
        </>
      }
    >
      <Form method="post" className="space-y-5" data-testid="login-form">
        {searchParams.get('reset') === '1' && !errors.form ? (
          <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200" role="status">
            Your password is changed and every session has ended: sign in with the new password.
          </p>
        ) : null}
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
        <p className="text-center text-sm">
          <Link to="/forgot-password" className="text-slate-600 hover:text-slate-900 hover:underline">
            Forgot your password?
          </Link>
        </p>
      </Form>
    </AuthShell>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />
}
