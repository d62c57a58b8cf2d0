import { data, Form, Link, redirect, useNavigation } from 'react-router'
import type { Route } from './+types/signup'
import { AuthShell } from '~/components/auth-shell'
import { Button } from '~/components/button'
import { ErrorPage } from '~/components/error-panel'
import { Field } from '~/components/field'
import { FormError } from '~/components/form-error'
import { ApiError, callApi, formErrorsFrom, rethrowAsRouteError, setCookieHeaders, type User } from '~/lib/api.server'

const SIGNUP_FIELDS = ['agencyName', 'name', 'email', 'password'] as const
type SignupErrors = Partial<Record<(typeof SIGNUP_FIELDS)[number] | 'form', string>>
type SignupValues = Partial<Record<'agencyName' | 'name' | 'email', string>>

export const meta: Route.MetaFunction = () => [{ title: 'Create your agency · Greenlight' }]

export async function loader({ request }: Route.LoaderArgs) {
  try {
    await callApi<{ user: User }>(request, '/api/auth/me')
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null
    rethrowAsRouteError(error)
  }
  throw redirect('/')
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData()
  const values: SignupValues = {
    agencyName: String(form.get('agencyName') ?? '').trim(),
    name: String(form.get('name') ?? '').trim(),
    email: String(form.get('email') ?? '').trim(),
  }
  const password = String(form.get('password') ?? '')
  const errors: SignupErrors = {}
  if ((values.agencyName ?? '').length < 2) errors.agencyName = 'Name your agency (at least 2 characters).'
  if (!values.name) errors.name = 'Enter your name.'
  if (!/^[^\s@]+@[^\s@]+$/.test(values.email ?? '')) errors.email = 'Enter a valid email address.'
  if (password.length < 10) errors.password = 'Use at least 10 characters.'
  if (Object.keys(errors).length > 0) return data({ errors, values }, { status: 400 })

  try {
    const { headers } = await callApi<{ user: User }>(request, '/api/auth/signup', { method: 'POST', body: { ...values, password } })
    return redirect('/workspaces', { headers: setCookieHeaders(headers) })
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const errors: SignupErrors = error.status === 400 ? formErrorsFrom(error, SIGNUP_FIELDS) : { form: error.message }
    return data({ errors, values }, { status: error.status })
  }
}

export default function Signup({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === 'submitting'
  const errors: SignupErrors = actionData?.errors ?? {}
  const values: SignupValues = actionData?.values ?? {}
  return (
    <AuthShell
      subtitle="Create your agency: you will be its owner"
      footer={
        <>
          Already have an account?{' '}
          <Link to="/login" className="font-medium text-emerald-700 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <Form method="post" className="space-y-5" data-testid="signup-form">
        <FormError message={errors.form} />
        <Field label="Agency name" name="agencyName" required maxLength={120} defaultValue={values.agencyName} error={errors.agencyName} data-testid="signup-agency" />
        <Field label="Your name" name="name" required maxLength={120} autoComplete="name" defaultValue={values.name} error={errors.name} data-testid="signup-name" />
        <Field label="Email" name="email" type="email" required maxLength={320} autoComplete="email" defaultValue={values.email} error={errors.email} data-testid="signup-email" />
        <Field
          label="Password"
          name="password"
          type="password"
          required
          minLength={10}
          maxLength={200}
          autoComplete="new-password"
          hint="At least 10 characters."
          error={errors.password}
          data-testid="signup-password"
        />
        <Button type="submit" disabled={busy} className="w-full" data-testid="signup-submit">
          {busy ? 'Creating your agency…' : 'Create agency'}
        </Button>
      </Form>
    </AuthShell>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />
}
