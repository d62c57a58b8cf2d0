import { data, Link } from 'react-router'
import type { Route } from './+types/campaigns'
import { CAMPAIGN_FORM_FIELDS, parseCampaignForm } from './campaign-form'
import { CampaignTable } from '~/components/campaign-table'
import { CreateCampaignForm } from '~/components/create-campaign-form'
import { ErrorPanel } from '~/components/error-panel'
import { ApiError, formErrorsFrom, rethrowAsRouteError, type Campaign } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { useCan } from '~/lib/permissions'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'Campaigns · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  const response = await callApiAsUser<{ campaigns: Campaign[] }>({ request, url }, '/api/campaigns').catch(rethrowAsRouteError)
  return { campaigns: response.data.campaigns }
}

export async function action({ request, url }: Route.ActionArgs) {
  const formData = await request.formData()
  const form = parseCampaignForm(formData)
  if (!form.ok) return data({ values: form.values, errors: form.errors }, { status: 400 })
  try {
    const response = await callApiAsUser<{ campaign: Campaign }>({ request, url }, '/api/campaigns', { method: 'POST', body: form.body, csrf: formData.get(CSRF_FIELD) })
    return { created: response.data.campaign }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    // Refusals (invalid dates, Temporal not taking the workflow) belong next to the form, which keeps its input.
    const errors = error.status === 400 ? formErrorsFrom(error, CAMPAIGN_FORM_FIELDS) : { form: error.message }
    return data({ values: form.values, errors }, { status: error.status })
  }
}

export default function Campaigns({ loaderData, actionData }: Route.ComponentProps) {
  const created = actionData && 'created' in actionData ? actionData.created : undefined
  const rejected = actionData && 'errors' in actionData ? actionData : undefined
  const canCreate = useCan('campaign.write')
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Campaigns</h1>
        <p className="mt-1 text-sm text-slate-500">Every campaign runs as a Temporal workflow from launch to completion.</p>
      </header>
      {created && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="campaign-created">
          Created “{created.name}”.{' '}
          <Link to={`/campaigns/${created.id}`} className="font-semibold underline">
            Follow its workflow
          </Link>
        </p>
      )}
      {/* A new key after each creation remounts the form, which empties it. */}
      {canCreate && <CreateCampaignForm key={created?.id ?? 'new'} values={rejected?.values} errors={rejected?.errors} />}
      <CampaignTable campaigns={loaderData.campaigns} />
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
