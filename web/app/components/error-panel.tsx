import { isRouteErrorResponse, Link, useLocation } from 'react-router'
import type { RouteErrorBody } from '~/lib/api.server'

interface Explanation {
  title: string
  message: string
  hint?: React.ReactNode
  requestId?: string | undefined
  /** Nothing here is reachable either, so offer a retry rather than a way back. */
  retry?: boolean
}

function explain(error: unknown): Explanation {
  if (isRouteErrorResponse(error)) {
    const body = typeof error.data === 'object' && error.data !== null ? (error.data as Partial<RouteErrorBody>) : {}
    if (body.code === 'API_UNREACHABLE') {
      return {
        title: 'API not reachable',
        message: body.message ?? 'The Greenlight API is not reachable.',
        hint: (
          <>
            Start the platform with <code className="font-mono">npm start</code>, or point <code className="font-mono">API_URL</code> at a
            running Greenlight API.
          </>
        ),
        retry: true,
      }
    }
    if (error.status === 404) {
      return { title: 'Not found', message: body.message ?? 'There is nothing at this address.', requestId: body.requestId }
    }
    return {
      title: `Error ${error.status}`,
      message: body.message ?? error.statusText ?? 'The request failed.',
      requestId: body.requestId,
    }
  }
  // In production React Router replaces the message of unexpected errors; the server log has the details.
  return { title: 'Something went wrong', message: error instanceof Error ? error.message : 'An unexpected error occurred.' }
}

const linkClass = 'mt-6 inline-block text-sm font-semibold text-emerald-700 hover:text-emerald-600'

export function ErrorPanel({ error }: { error: unknown }) {
  const { title, message, hint, requestId, retry } = explain(error)
  const location = useLocation()
  return (
    <section role="alert" className="rounded-lg bg-white p-8 shadow-sm ring-1 ring-slate-200" data-testid="error-panel">
      <p className="text-sm font-semibold text-red-600">{title}</p>
      <h1 className="mt-2 text-xl font-semibold text-slate-900">{message}</h1>
      {hint && <p className="mt-3 text-sm text-slate-600">{hint}</p>}
      {requestId && (
        <p className="mt-3 text-xs text-slate-500">
          Request id <code className="font-mono">{requestId}</code>
        </p>
      )}
      {retry ? (
        <Link to={location} reloadDocument className={linkClass}>
          Try again
        </Link>
      ) : (
        <Link to="/campaigns" className={linkClass}>
          ← Back to campaigns
        </Link>
      )}
    </section>
  )
}

/** The error panel on a page of its own, for routes outside the signed-in layout (or the layout itself). */
export function ErrorPage({ error }: { error: unknown }) {
  return (
    <main className="mx-auto max-w-2xl px-6 py-16">
      <ErrorPanel error={error} />
    </main>
  )
}
