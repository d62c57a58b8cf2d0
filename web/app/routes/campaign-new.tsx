import { useState } from 'react'
import { data, Form, Link, redirect, useNavigation } from 'react-router'
import type { Route } from './+types/campaign-new'
import { BRIEF_LIMITS } from '../../../domain/campaign-brief.ts'
import type { WorkspaceListResponse } from '../../../api/schemas/workspace.ts'
import { BLANK_TEMPLATE, NEW_CAMPAIGN_FIELDS, readNewCampaignForm, type FormErrors, type NewCampaignValues } from './campaign-form'
import { Button } from '~/components/button'
import { CsrfField } from '~/components/csrf-field'
import { ErrorPanel } from '~/components/error-panel'
import { Field, SelectField } from '~/components/field'
import { FormError } from '~/components/form-error'
import { useHydrated } from '~/components/hydration'
import { TemplatePicker } from '~/components/template-picker'
import { ApiError, formErrorsFrom, rethrowAsRouteError, type Campaign, type CampaignTemplate } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { useCan } from '~/lib/permissions'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'New campaign · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  const args = { request, url }
  const [workspaces, templates] = await Promise.all([
    callApiAsUser<WorkspaceListResponse>(args, '/api/workspaces'),
    callApiAsUser<{ templates: CampaignTemplate[] }>(args, '/api/campaign-templates'),
  ]).catch(rethrowAsRouteError)
  const options = workspaces.data.workspaces.map(({ workspace }) => ({ id: workspace.id, name: workspace.name, clientName: workspace.clientName }))
  const asked = url.searchParams.get('workspaceId') ?? ''
  // The workspace the list was filtered by (or the only one there is) comes preselected.
  const workspaceId = options.some((option) => option.id === asked) ? asked : options.length === 1 ? options[0]!.id : ''
  return { workspaces: options, templates: templates.data.templates, workspaceId }
}

type NewCampaignActionResult = { values: NewCampaignValues; errors: FormErrors }

export async function action({ request, url }: Route.ActionArgs) {
  const formData = await request.formData()
  const form = readNewCampaignForm(formData)
  if (!form.ok) return data<NewCampaignActionResult>({ values: form.values, errors: form.errors }, { status: 400 })
  try {
    const response = await callApiAsUser<{ campaign: Campaign }>({ request, url }, '/api/campaigns', { method: 'POST', body: form.body, csrf: formData.get(CSRF_FIELD) })
    return redirect(`/campaigns/${response.data.campaign.id}`)
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500) throw error
    // Keep the choices: a refusal (archived workspace, plan limit, no permission) is shown beside them.
    const errors = error.status === 400 ? formErrorsFrom(error, NEW_CAMPAIGN_FIELDS) : { form: error.message }
    return data<NewCampaignActionResult>({ values: form.values, errors }, { status: error.status })
  }
}

export default function NewCampaign({ loaderData, actionData }: Route.ComponentProps) {
  const { workspaces, templates } = loaderData
  const rejected = actionData as NewCampaignActionResult | undefined
  const errors = rejected?.errors ?? {}
  const canCreate = useCan('campaign.write')
  const hydrated = useHydrated()
  const navigation = useNavigation()
  const creating = navigation.state !== 'idle' && navigation.formMethod === 'POST'
  const [templateId, setTemplateId] = useState(rejected?.values.templateId ?? BLANK_TEMPLATE)
  const template = templates.find((candidate) => candidate.id === templateId)

  return (
    <div className="space-y-6">
      <Link to="/campaigns" className="text-sm font-medium text-slate-500 hover:text-slate-700">
        ← Campaigns
      </Link>
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">New campaign</h1>
        <p className="mt-1 text-sm text-slate-500">Creates a draft brief; fill in the rest and launch it once the readiness check passes.</p>
      </header>
      {!canCreate ? (
        <p className="rounded-lg bg-white p-5 text-sm text-slate-600 shadow-sm ring-1 ring-slate-200" data-testid="cannot-create">
          Your role can look at campaigns but not create them.
        </p>
      ) : workspaces.length === 0 ? (
        <p className="rounded-lg bg-white p-5 text-sm text-slate-600 shadow-sm ring-1 ring-slate-200" data-testid="no-workspaces">
          A campaign belongs to a client workspace.{' '}
          <Link to="/workspaces" className="font-semibold text-emerald-700 hover:text-emerald-600">
            Create a workspace
          </Link>{' '}
          first.
        </p>
      ) : (
        <Form method="post" className="space-y-6" data-testid="new-campaign-form">
          <CsrfField />
          {/* The brief's dates are wall-clock times; it starts in the zone its author is in (changeable later). */}
          {hydrated && <input type="hidden" name="timeZone" value={Intl.DateTimeFormat().resolvedOptions().timeZone} />}
          <section className="grid gap-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 md:grid-cols-2">
            <SelectField
              label="Workspace"
              name="workspaceId"
              required
              defaultValue={rejected?.values.workspaceId ?? loaderData.workspaceId}
              error={errors.workspaceId}
              data-testid="new-campaign-workspace"
            >
              <option value="" disabled>
                Choose a workspace…
              </option>
              {workspaces.map((workspace) => (
                <option key={workspace.id} value={workspace.id}>
                  {workspace.name} ({workspace.clientName})
                </option>
              ))}
            </SelectField>
            <Field
              label="Name"
              name="name"
              maxLength={BRIEF_LIMITS.name}
              defaultValue={rejected?.values.name}
              placeholder={template?.suggestedName ?? 'Spring launch'}
              hint={hydrated ? (template ? 'Leave empty to use the template’s suggestion.' : undefined) : 'With a template, leave empty to use its suggested name.'}
              error={errors.name}
              data-testid="new-campaign-name"
            />
          </section>
          <TemplatePicker templates={templates} selected={templateId} onSelect={setTemplateId} error={errors.templateId} />
          <FormError message={errors.form ?? errors.timeZone} />
          <div className="flex justify-end">
            <Button type="submit" disabled={creating} data-testid="create-campaign">
              {creating ? 'Creating…' : 'Create draft'}
            </Button>
          </div>
        </Form>
      )}
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
