import { Outlet, type ShouldRevalidateFunctionArgs } from 'react-router'
import type { Route } from './+types/signed-in'
import { ErrorPage } from '~/components/error-panel'
import { TopBar } from '~/components/top-bar'
import { callApi, rethrowAsRouteError, type PlatformMeta } from '~/lib/api.server'
import { requireUser } from '~/lib/session.server'

export async function loader({ request, url }: Route.LoaderArgs) {
  const [user, meta] = await Promise.all([
    requireUser({ request, url }),
    callApi<PlatformMeta>(request, '/api/meta').then(({ data }) => data),
  ]).catch(rethrowAsRouteError)
  return { user, integrations: meta.integrations }
}

// The user and the integration modes do not change while pages poll for live workflow state; reload them
// only after a form submission (e.g. logging out).
export function shouldRevalidate({ formMethod, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return formMethod ? defaultShouldRevalidate : false
}

export default function SignedInLayout({ loaderData }: Route.ComponentProps) {
  return (
    <div className="min-h-full">
      <TopBar user={loaderData.user} integrations={loaderData.integrations} />
      <main className="mx-auto max-w-6xl px-6 py-8">
        <Outlet />
      </main>
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPage error={error} />
}
