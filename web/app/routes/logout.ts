import { redirect } from 'react-router'
import type { Route } from './+types/logout'
import { callApi, rethrowAsRouteError, setCookieHeaders } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData()
  // The API deletes the session and answers with a cookie that clears it in the browser.
  const { headers } = await callApi<undefined>(request, '/api/auth/logout', { method: 'POST', csrf: form.get(CSRF_FIELD) }).catch(rethrowAsRouteError)
  return redirect('/login', { headers: setCookieHeaders(headers) })
}

// Logging out changes state, so a plain GET (a typed URL, a prefetch) only goes home.
export function loader() {
  return redirect('/')
}
