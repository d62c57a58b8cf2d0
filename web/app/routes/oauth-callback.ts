// Where Meta and TikTok send the browser back after their dialog: /oauth/:platform/callback?code&state (or
// ?error=access_denied&state). The code and state go to the API, which checks the state, exchanges the code
// and stores the accounts; the browser then lands on the creator's page with a notice. A refused callback
// (unknown, expired or reused state; a code the platform rejects) shows the API's message on the error page.
import { data, redirect } from 'react-router'
import type { Route } from './+types/oauth-callback'
import type { OAuthCallbackBody, OAuthCallbackResult } from '../../../api/schemas/creator.ts'
import { rethrowAsRouteError, type RouteErrorBody } from '~/lib/api.server'
import { callApiAsUser } from '~/lib/session.server'

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const { platform } = params
  if (platform !== 'meta' && platform !== 'tiktok') {
    throw data<RouteErrorBody>({ code: 'NOT_FOUND', message: 'There is no connection flow for this platform.' }, { status: 404 })
  }
  const query = url.searchParams
  const state = query.get('state')
  if (!state) {
    throw data<RouteErrorBody>(
      { code: 'OAUTH_STATE_INVALID', message: `This address is where ${platform === 'meta' ? 'Meta' : 'TikTok'} sends you back after connecting; open a creator and choose Connect.` },
      { status: 400 },
    )
  }
  const error = query.get('error')
  const body: OAuthCallbackBody = error
    ? { state, error: error.slice(0, 200), ...(query.get('error_description') ? { errorDescription: query.get('error_description')!.slice(0, 2000) } : {}) }
    : { state, ...(query.get('code') ? { code: query.get('code')! } : {}) }
  // A signed-out browser goes to /login and comes back here (the state stays valid for ten minutes).
  const { data: result } = await callApiAsUser<OAuthCallbackResult>({ request, url }, `/api/oauth/${platform}/callback`, { method: 'POST', body }).catch(rethrowAsRouteError)

  const notice: Record<string, string> =
    result.outcome === 'connected'
      ? { connected: platform, new: String(result.connected), renewed: String(result.reconnected), ...(result.refreshScheduled ? {} : { refresh: 'off' }) }
      : { notConnected: platform, reason: result.reason }
  return redirect(`/creators/${encodeURIComponent(result.creatorId)}?${new URLSearchParams(notice)}`)
}
