// The signed-in area's layout: the top bar, and on a workspace's pages the workspace's own navigation (board,
// review, calendar, analytics…) under it; pages ask for the whole width through their route handle.
import { Outlet, useMatches, type ShouldRevalidateFunctionArgs } from 'react-router'
import type { Route } from './+types/signed-in'
import { ErrorPage } from '~/components/error-panel'
import { TopBar } from '~/components/top-bar'
import { WorkspaceNav } from '~/components/workspace-nav'
import { callApi, rethrowAsRouteError, type PlatformMeta } from '~/lib/api.server'
import { requireUser } from '~/lib/session.server'

export async function loader({ request, url }: Route.LoaderArgs) {
  const [user, meta] = await Promise.all([
    requireUser({ request, url }),
    callApi<PlatformMeta>(request, '/api/meta').then(({ data }) => data),
  ]).catch(rethrowAsRouteError)
  return { user, integrations: meta.integrations }
}

// The user and the integration modes do not change while pages poll for live workflow state or cards are
// dragged; reload them only after a submission that can change them (settings: plan, team, security).
export function shouldRevalidate({ formMethod, formAction, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return formMethod && formAction?.startsWith('/settings') ? defaultShouldRevalidate : false
}

export default function SignedInLayout({ loaderData }: Route.ComponentProps) {
  // Pages that need the whole width (the board's seven columns) say so in their route handle.
  const matches = useMatches()
  const wide = matches.some((match) => (match.handle as { wide?: boolean } | undefined)?.wide === true)
  const workspaceId = matches.at(-1)?.params.workspaceId
  return (
    <div className="min-h-full">
      <TopBar user={loaderData.user} integrations={loaderData.integrations} />
      {workspaceId && <WorkspaceNav workspaceId={workspaceId} user={loaderData.user} />}
      <main className={wide ? 'px-6 py-8' : 'mx-auto max-w-6xl px-6 py-8'}>
        <Outlet />
      </main>
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />
}
