import { useRouteLoaderData } from 'react-router'
import { CSRF_FIELD } from '~/lib/csrf'
import type { User } from '~/lib/api.server'

/** The signed-in user's CSRF token; every form that changes something includes it (see CsrfField). */
export function useCsrfToken(): string {
  const data = useRouteLoaderData('routes/signed-in') as { user: User } | undefined
  return data?.user.csrfToken ?? ''
}

/**
 * A hidden field with the session's CSRF token. Actions pass it on to the API (`csrf: form.get('_csrf')`);
 * a form posted from another site cannot know it, so the API refuses the change.
 */
export function CsrfField() {
  return <input type="hidden" name={CSRF_FIELD} value={useCsrfToken()} />
}
