import { data, redirect, useRouteLoaderData } from 'react-router'
import type { Route } from './+types/workspaces'
import { WORKSPACE_LIMITS, type WorkspaceListResponse, type WorkspaceWithKit } from '../../../api/schemas/workspace.ts'
import { ErrorPanel } from '~/components/error-panel'
import { ArchivedToggle, WorkspaceList } from '~/components/workspace-list'
import { CreateWorkspaceForm, WORKSPACE_FORM_FIELDS, readWorkspaceForm } from '~/components/workspace-form'
import { ApiError, formErrorsFrom, rethrowAsRouteError, type User } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'Workspaces · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  const archived = url.searchParams.get('archived') === 'true'
  const response = await callApiAsUser<WorkspaceListResponse>({ request, url }, `/api/workspaces${archived ? '?archived=true' : ''}`).catch(rethrowAsRouteError)
  return { ...response.data, archived, limits: WORKSPACE_LIMITS }
}

export async function action({ request, url }: Route.ActionArgs) {
  const formData = await request.formData()
  const { values, errors } = readWorkspaceForm(formData, WORKSPACE_LIMITS)
  if (Object.keys(errors).length > 0) return data({ values, errors }, { status: 400 })
  try {
    const response = await callApiAsUser<WorkspaceWithKit>({ request, url }, '/api/workspaces', { method: 'POST', body: values, csrf: formData.get(CSRF_FIELD) })
    // Straight to the new workspace, where its brand kit is made.
    return redirect(`/workspaces/${response.data.workspace.id}`)
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const apiErrors = error.status === 400 ? formErrorsFrom(error, WORKSPACE_FORM_FIELDS) : { form: error.message }
    return data({ values, errors: apiErrors }, { status: error.status })
  }
}

export default function Workspaces({ loaderData, actionData }: Route.ComponentProps) {
  const layout = useRouteLoaderData('routes/signed-in') as { user: User } | undefined
  const canCreate = layout?.user.permissions.includes('workspace.write') ?? false
  const { workspaces, counts, archived, limits } = loaderData
  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Workspaces</h1>
          <p className="mt-1 text-sm text-slate-500">One workspace per client brand, each with its own versioned brand kit.</p>
        </div>
        <ArchivedToggle archived={archived} counts={counts} />
      </header>
      {canCreate && !archived && <CreateWorkspaceForm limits={limits} values={actionData?.values} errors={actionData?.errors} />}
      <WorkspaceList items={workspaces} archived={archived} />
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
