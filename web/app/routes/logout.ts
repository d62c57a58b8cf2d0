import { redirect } from 'react-router'
import type { Route } from './+types/logout'
import { callApi, rethrowAsRouteError, setCookieHeaders } from '~/lib/api.server'

export async function action({ request }: Route.ActionArgs) {
  // The API deletes the session and answers with a cookie that clears it in the browser.
  const { headers } = await callApi<undefined>(request, '/api/auth/logout', { method: 'POST' }).catch(rethrowAsRouteError)
  return redirect('/login', { headers: setCookieHeaders(headers) })
}

// Logging out changes state, so a plain GET (a typed URL, a prefetch) only goes home.
export function loader() {
  return redirect('/')
}
