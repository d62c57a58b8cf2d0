import { Form, redirect, useNavigation } from 'react-router'
import type { Route } from './+types/settings-security'
import { Button } from '~/components/button'
import { CsrfField } from '~/components/csrf-field'
import { ErrorPanel } from '~/components/error-panel'
import { rethrowAsRouteError, setCookieHeaders } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'Security · Settings · Greenlight' }]

export async function action({ request, url }: Route.ActionArgs) {
  const form = await request.formData()
  const { headers } = await callApiAsUser<{ endedSessions: number }>({ request, url }, '/api/auth/logout-everywhere', {
    method: 'POST',
    csrf: form.get(CSRF_FIELD),
  }).catch(rethrowAsRouteError)
  return redirect('/login', { headers: setCookieHeaders(headers) })
}

export default function Security() {
  const busy = useNavigation().state === 'submitting'
  return (
    <section className="max-w-xl rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      <h2 className="text-base font-semibold">Sessions</h2>
      <p className="mt-1 text-sm text-slate-600">
        Signed in on a shared computer, or lost a laptop? End every session of your account, on every device, this one included.
      </p>
      <Form method="post" className="mt-4">
        <CsrfField />
        <Button type="submit" variant="secondary" disabled={busy} data-testid="logout-everywhere">
          {busy ? 'Signing out…' : 'Log out everywhere'}
        </Button>
      </Form>
      <h2 className="mt-8 text-base font-semibold">Password</h2>
      <p className="mt-1 text-sm text-slate-600">
        To change your password, sign out and use “Forgot your password?” on the sign-in page: the link goes to your e-mail.
      </p>
    </section>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
