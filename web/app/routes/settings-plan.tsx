import { data, useRouteLoaderData } from 'react-router'
import type { Route } from './+types/settings-plan'
import type { PlanUsageResponse } from '../../../api/schemas/agency.ts'
import { isPlanId } from '../../../domain/plans.ts'
import { ErrorPanel } from '~/components/error-panel'
import { FormError } from '~/components/form-error'
import { PlanCards } from '~/components/plan-cards'
import { PlanUsage } from '~/components/plan-usage'
import { ApiError, rethrowAsRouteError, type User } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'Plan & usage · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  const response = await callApiAsUser<PlanUsageResponse>({ request, url }, '/api/agency/plan').catch(rethrowAsRouteError)
  return response.data
}

export async function action({ request, url }: Route.ActionArgs) {
  const form = await request.formData()
  const plan = String(form.get('plan') ?? '')
  if (!isPlanId(plan)) return data({ error: 'Choose one of the plans.', details: [] as string[] }, { status: 400 })
  try {
    const { data: changed } = await callApiAsUser<PlanUsageResponse>({ request, url }, '/api/agency/plan', {
      method: 'PUT',
      body: { plan },
      csrf: form.get(CSRF_FIELD),
    })
    return { notice: `The agency is now on the ${changed.plan.name} plan.` }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    // PLAN_TOO_SMALL names every limit the smaller plan would break; keep them all.
    return data({ error: error.message, details: error.details.map((detail) => detail.message) }, { status: error.status })
  }
}

export default function SettingsPlan({ loaderData, actionData }: Route.ComponentProps) {
  const { user } = useRouteLoaderData('routes/signed-in') as { user: User }
  const canChange = user.permissions.includes('plan.change')
  const { plan, catalog, usage, period } = loaderData
  return (
    <div className="space-y-6">
      <header>
        <h2 className="text-lg font-semibold">
          {plan.name} plan
        </h2>
        <p className="mt-1 text-sm text-slate-500">
          Limits are enforced: when one is reached, adding more is refused with a message that names the limit.
          {!canChange && ' Only owners change the plan.'}
        </p>
      </header>
      {actionData && 'notice' in actionData && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="plan-notice">
          {actionData.notice}
        </p>
      )}
      {actionData && 'error' in actionData && (
        <div data-testid="plan-error">
          <FormError message={actionData.error} />
          {actionData.details.length > 1 && (
            <ul className="mt-2 list-disc pl-6 text-sm text-red-700">
              {actionData.details.map((detail) => (
                <li key={detail}>{detail}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <PlanUsage plan={plan} usage={usage} period={period} />
      <PlanCards catalog={catalog} current={plan} usage={usage} canChange={canChange} />
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
