import { data, Form, Link, useNavigation } from 'react-router'
import type { Route } from './+types/forgot-password'
import { AuthShell } from '~/components/auth-shell'
import { Button } from '~/components/button'
import { ErrorPage } from '~/components/error-panel'
import { Field } from '~/components/field'
import { FormError } from '~/components/form-error'
import { ApiError, callApi } from '~/lib/api.server'

export const meta: Route.MetaFunction = () => [{ title: 'Reset your password · Greenlight' }]

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData()
  const email = String(form.get('email') ?? '').trim()
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) return data({ sent: false, email, error: 'Enter the email address you sign in with.' }, { status: 400 })
  try {
    await callApi(request, '/api/auth/password-reset', { method: 'POST', body: { email } })
    return { sent: true, email, error: undefined }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return data({ sent: false, email, error: error.message }, { status: error.status })
  }
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const busy = useNavigation().state === 'submitting'
  return (
    <AuthShell
      subtitle="Reset your password"
      footer={
        <Link to="/login" className="text-emerald-700 hover:underline">
          Back to sign in
        </Link>
      }
    >
      {actionData?.sent ? (
        <div className="space-y-2 text-sm text-slate-700" data-testid="reset-sent">
          <p className="font-medium text-slate-900">Check your inbox.</p>
          <p>
            If <strong>{actionData.email}</strong> has a Greenlight account, a link to choose a new password is on its way. It works once,
            within an hour.
          </p>
          <p className="text-slate-500">Without a mail server configured, the e-mail waits in the agency's outbox (Settings → Outbox).</p>
        </div>
      ) : (
        <Form method="post" className="space-y-5" data-testid="forgot-form">
          <FormError message={actionData?.error} />
          <Field label="Email" name="email" type="email" required autoComplete="username" defaultValue={actionData?.email} data-testid="forgot-email" />
          <Button type="submit" disabled={busy} className="w-full" data-testid="forgot-submit">
            {busy ? 'Sending…' : 'Send reset link'}
          </Button>
        </Form>
      )}
    </AuthShell>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />
}
