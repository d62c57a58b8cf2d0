// Starting a connect: the creator page's "Connect …" and "Reconnect" buttons post here (with the CSRF token,
// since the API stores a one-time state for the attempt); the action asks the API for the platform's
// authorize URL and sends the browser there. The platform then sends it back to /oauth/:platform/callback.
import { redirect } from 'react-router'
import type { Route } from './+types/creator-connect'
import type { ConnectStart } from '../../../api/schemas/creator.ts'
import { ApiError } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { callApiAsUser } from '~/lib/session.server'

const creatorPage = (creatorId: string) => `/creators/${encodeURIComponent(creatorId)}`

/** Nothing to show here: a plain visit (a reload, a bookmark) goes back to the creator. */
export function loader({ params }: Route.LoaderArgs) {
  return redirect(creatorPage(params.creatorId))
}

export async function action({ request, url, params }: Route.ActionArgs) {
  const { creatorId, platform } = params
  if (platform !== 'meta' && platform !== 'tiktok') {
    return redirect(`${creatorPage(creatorId)}?${new URLSearchParams({ connectError: 'UNKNOWN_PLATFORM' })}`)
  }
  const formData = await request.formData()
  try {
    const { data } = await callApiAsUser<ConnectStart>({ request, url }, `/api/creators/${encodeURIComponent(creatorId)}/connect/${platform}`, {
      method: 'POST',
      csrf: formData.get(CSRF_FIELD),
    })
    return redirect(data.authorizeUrl)
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    // The creator page turns the code into a sentence (codes only travel in the address, never text).
    return redirect(`${creatorPage(creatorId)}?${new URLSearchParams({ connectError: error.code, provider: platform })}`)
  }
}
