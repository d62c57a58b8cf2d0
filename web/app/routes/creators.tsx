import { data, Link, useRouteLoaderData } from 'react-router'
import type { Route } from './+types/creators'
import { CREATOR_LIMITS, type Creator, type LinkableUser } from '../../../api/schemas/creator.ts'
import { CREATOR_FORM_FIELDS, CreateCreatorForm, readCreatorForm, type CreatorFormErrors, type CreatorFormValues } from '~/components/creator-form'
import { CreatorTable } from '~/components/creator-table'
import { ErrorPanel } from '~/components/error-panel'
import { ApiError, formErrorsFrom, rethrowAsRouteError, type User } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { callApiAsUser, type RequestArgs } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'Creators · Greenlight' }]

/** Users with the creator role for the "linked user" picker; null for roles that may not change profiles (403). */
async function linkableUsers(args: RequestArgs): Promise<LinkableUser[] | null> {
  try {
    return (await callApiAsUser<{ users: LinkableUser[] }>(args, '/api/creators/linkable-users')).data.users
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return null
    throw error
  }
}

export async function loader({ request, url }: Route.LoaderArgs) {
  const [creators, users] = await Promise.all([
    callApiAsUser<{ creators: Creator[] }>({ request, url }, '/api/creators').then(({ data }) => data.creators),
    linkableUsers({ request, url }),
  ]).catch(rethrowAsRouteError)
  return { creators, linkableUsers: users, limits: CREATOR_LIMITS }
}

type CreatorsActionResult = { created: Creator } | { values: CreatorFormValues; errors: CreatorFormErrors }

export async function action({ request, url }: Route.ActionArgs) {
  const formData = await request.formData()
  if (formData.get('intent') !== 'create') return data<CreatorsActionResult>({ values: readCreatorForm(formData, CREATOR_LIMITS).values, errors: { form: 'Unknown action.' } }, { status: 400 })
  const form = readCreatorForm(formData, CREATOR_LIMITS)
  if (Object.keys(form.errors).length > 0) return data<CreatorsActionResult>({ values: form.values, errors: form.errors }, { status: 400 })
  const { userId, ...profile } = form.body
  const body = userId ? { ...profile, userId } : profile
  try {
    const response = await callApiAsUser<{ creator: Creator }>({ request, url }, '/api/creators', { method: 'POST', body, csrf: formData.get(CSRF_FIELD) })
    return data<CreatorsActionResult>({ created: response.data.creator })
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const errors = error.status === 400 ? formErrorsFrom(error, CREATOR_FORM_FIELDS) : { form: error.message }
    return data<CreatorsActionResult>({ values: form.values, errors }, { status: error.status })
  }
}

export default function Creators({ loaderData, actionData }: Route.ComponentProps) {
  const { user } = useRouteLoaderData('routes/signed-in') as { user: User }
  const canWrite = user.permissions.includes('creator.write')
  const result = actionData as CreatorsActionResult | undefined
  const created = result && 'created' in result ? result.created : undefined
  const rejected = result && 'errors' in result ? result : undefined
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Creators</h1>
        <p className="mt-1 text-sm text-slate-500">
          {user.role === 'creator'
            ? 'Your creator profile and the social accounts connected to it.'
            : 'The people your agency publishes for, and their connected Instagram, Facebook and TikTok accounts.'}
        </p>
      </header>
      {created && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="creator-created">
          Created “{created.displayName}”.{' '}
          <Link to={`/creators/${created.id}`} className="font-semibold underline">
            Connect their accounts
          </Link>
        </p>
      )}
      {canWrite && (
        // A new key after each creation remounts the form, which empties it.
        <CreateCreatorForm
          key={created?.id ?? 'new'}
          limits={loaderData.limits}
          linkableUsers={loaderData.linkableUsers}
          values={rejected?.values}
          errors={rejected?.errors}
        />
      )}
      <CreatorTable creators={loaderData.creators} />
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
