import { data, Form, Link, redirect, useNavigation } from 'react-router'
import type { Route } from './+types/reset-password'
import { AuthShell } from '~/components/auth-shell'
import { Button } from '~/components/button'
import { ErrorPage } from '~/components/error-panel'
import { Field } from '~/components/field'
import { FormError } from '~/components/form-error'
import { ApiError, callApi, setCookieHeaders } from '~/lib/api.server'

export const meta: Route.MetaFunction = () => [{ title: 'Choose a new password · Greenlight' }, { name: 'referrer', content: 'no-referrer' }]

export async function action({ request, params }: Route.ActionArgs) {
  const form = await request.formData()
  const password = String(form.get('password') ?? '')
  const confirm = String(form.get('confirm') ?? '')
  if (password.length < 10) return data({ error: undefined, passwordError: 'Use at least 10 characters.', expired: false }, { status: 400 })
  if (password !== confirm) return data({ error: undefined, passwordError: 'The two passwords differ.', expired: false }, { status: 400 })
  try {
    const { headers } = await callApi(request, '/api/auth/password-reset/confirm', { method: 'POST', body: { token: params.token, password } })
    return redirect('/login?reset=1', { headers: setCookieHeaders(headers) })
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const expired = error.code.startsWith('RESET_TOKEN_')
    return data({ error: error.message, passwordError: undefined, expired }, { status: error.status })
  }
}

export default function ResetPassword({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === 'submitting'
  return (
    <AuthShell
      subtitle="Choose a new password"
      footer={
        <Link to="/login" className="text-emerald-700 hover:underline">
          Back to sign in
        </Link>
      }
    >
      <Form method="post" className="space-y-5" data-testid="reset-form">
        <FormError message={actionData?.error} />
        {actionData?.expired ? (
          <p className="text-sm">
            <Link to="/forgot-password" className="font-medium text-emerald-700 hover:underline">
              Ask for a new link
            </Link>
          </p>
        ) : null}
        <Field label="New password" name="password" type="password" required minLength={10} maxLength={200} autoComplete="new-password" error={actionData?.passwordError} data-testid="reset-password" />
        <Field label="Repeat it" name="confirm" type="password" required minLength={10} maxLength={200} autoComplete="new-password" data-testid="reset-confirm" />
        <p className="text-xs text-slate-500">Saving signs you out on every device; sign in again with the new password.</p>
        <Button type="submit" disabled={busy} className="w-full" data-testid="reset-submit">
          {busy ? 'Saving…' : 'Save new password'}
        </Button>
      </Form>
    </AuthShell>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />
}
