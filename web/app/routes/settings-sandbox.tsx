// Settings → Sandbox: accounts marked Sandbox publish to local stand-ins of Meta and TikTok. This page shows what
// those stand-ins are made to do wrong right now, lets owners and managers inject a named fault (a rate limit,
// an outage, a lost answer, an expired token, failed or slow processing, a used-up quota) to see how publishing
// copes, and clears them all.
import { data, Form, useNavigation } from 'react-router'
import type { Route } from './+types/settings-sandbox'
import type { FaultPresetView, InjectFaultResponse, SandboxPublishingView, SandboxServiceView } from '../../../api/schemas/sandbox-controls.ts'
import { Badge } from '~/components/badge'
import { Button } from '~/components/button'
import { CsrfField } from '~/components/csrf-field'
import { ErrorPanel } from '~/components/error-panel'
import { controlRing } from '~/components/field'
import { FormError } from '~/components/form-error'
import { ApiError, formErrorsFrom, rethrowAsRouteError } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { readInjectForm, remainingLabel, type InjectFormErrors } from '~/lib/sandbox'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'Sandbox · Settings · Greenlight' }]

type SandboxPage = { active: true; sandbox: SandboxPublishingView } | { active: false; message: string }

export async function loader({ request, url }: Route.LoaderArgs): Promise<SandboxPage> {
  try {
    const response = await callApiAsUser<SandboxPublishingView>({ request, url }, '/api/sandbox/publishing')
    return { active: true, sandbox: response.data }
  } catch (error) {
    // Real credentials everywhere is a state of the installation, not an error of the page.
    if (error instanceof ApiError && error.code === 'SANDBOX_NOT_ACTIVE') return { active: false, message: error.message }
    return rethrowAsRouteError(error)
  }
}

export type SandboxActionResult = { notice: string } | { preset: string | null; errors: InjectFormErrors; code?: string }

/** Refusals the page shows in place: the API's 4xx, and a stand-in that did not answer (502). */
const shownInPlace = (error: unknown): error is ApiError => error instanceof ApiError && (error.status < 500 || error.status === 502)

export async function action({ request, url }: Route.ActionArgs) {
  const form = await request.formData()
  const csrf = form.get(CSRF_FIELD)
  const intent = form.get('intent')

  if (intent === 'clear') {
    try {
      await callApiAsUser<SandboxPublishingView>({ request, url }, '/api/sandbox/publishing/clear', { method: 'POST', csrf })
      return { notice: 'Cleared: the stand-ins behave normally again.' } satisfies SandboxActionResult
    } catch (error) {
      if (!shownInPlace(error)) throw error
      return data<SandboxActionResult>({ preset: null, errors: { form: error.message }, code: error.code }, { status: error.status })
    }
  }

  if (intent === 'inject') {
    const reading = readInjectForm(form)
    if (!reading.ok) return data<SandboxActionResult>({ preset: reading.preset, errors: reading.errors }, { status: 400 })
    try {
      const response = await callApiAsUser<InjectFaultResponse>({ request, url }, '/api/sandbox/publishing/faults', { method: 'POST', body: reading.body, csrf })
      return { notice: response.data.applied.summary } satisfies SandboxActionResult
    } catch (error) {
      if (!shownInPlace(error)) throw error
      const errors = error.code === 'VALIDATION_FAILED' ? formErrorsFrom(error, ['platform', 'count'] as const) : { form: error.message }
      return data<SandboxActionResult>({ preset: reading.body.preset, errors, code: error.code }, { status: error.status })
    }
  }

  return data<SandboxActionResult>({ preset: null, errors: { form: 'This page cannot do that.' } }, { status: 400 })
}

const PLATFORM_LABELS: Record<string, string> = { instagram: 'Instagram', facebook: 'Facebook', tiktok: 'TikTok' }

function ServicePanel({ view }: { view: SandboxServiceView }) {
  return (
    <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="sandbox-service" data-service={view.service}>
      <header className="flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-semibold text-slate-900">{view.label}</h3>
        {view.mode === 'live' ? (
          <Badge tone="slate">Live: real credentials</Badge>
        ) : view.reachable ? (
          <Badge tone="amber">Sandbox</Badge>
        ) : (
          <Badge tone="red">Sandbox, not answering</Badge>
        )}
        {view.standInUrl && <code className="ml-auto font-mono text-xs text-slate-500">{view.standInUrl}</code>}
      </header>
      {view.mode === 'live' ? (
        <p className="mt-3 text-sm text-slate-600">Accounts on these platforms publish to the real {view.platforms.map((p) => PLATFORM_LABELS[p]).join(' and ')}: there is nothing to inject here.</p>
      ) : view.problem ? (
        <p role="alert" className="mt-3 text-sm text-red-700" data-testid="sandbox-problem">
          {view.problem}
        </p>
      ) : view.conditions.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600" data-testid="sandbox-normal">
          Behaving normally: no faults injected.
        </p>
      ) : (
        <table className="mt-3 w-full text-left text-sm" data-testid="sandbox-conditions">
          <thead className="text-xs text-slate-500 uppercase">
            <tr>
              <th className="py-1 pr-4 font-medium">Calls or setting</th>
              <th className="py-1 pr-4 font-medium">What happens</th>
              <th className="py-1 font-medium">For</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {view.conditions.map((condition, i) => (
              <tr key={i} data-testid="sandbox-condition">
                <td className="py-2 pr-4 text-slate-900">{condition.subject}</td>
                <td className="py-2 pr-4 text-slate-700">{condition.effect}</td>
                <td className="py-2 whitespace-nowrap text-slate-600">{remainingLabel(condition.remaining)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function PresetForm({ preset, countMax, errors, busy }: { preset: FaultPresetView; countMax: number; errors: InjectFormErrors; busy: boolean }) {
  const id = `preset-${preset.preset}`
  return (
    <li className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="sandbox-preset" data-preset={preset.preset}>
      <h4 className="text-sm font-semibold text-slate-900">{preset.label}</h4>
      <p className="mt-1 text-sm text-slate-600">{preset.description}</p>
      <Form method="post" className="mt-3 flex flex-wrap items-end gap-3">
        <CsrfField />
        <input type="hidden" name="intent" value="inject" />
        <input type="hidden" name="preset" value={preset.preset} />
        <div>
          <label htmlFor={`${id}-platform`} className="block text-xs font-medium text-slate-700">
            Platform
          </label>
          <select id={`${id}-platform`} name="platform" defaultValue={preset.platforms[0]} className={`mt-1 pr-8 ${controlRing(Boolean(errors.platform))}`}>
            {preset.platforms.map((platform) => (
              <option key={platform} value={platform}>
                {PLATFORM_LABELS[platform]}
              </option>
            ))}
          </select>
        </div>
        {preset.counted ? (
          <div>
            <label htmlFor={`${id}-count`} className="block text-xs font-medium text-slate-700">
              For the next
            </label>
            <input id={`${id}-count`} name="count" type="number" min={1} max={countMax} defaultValue={1} className={`mt-1 w-20 ${controlRing(Boolean(errors.count))}`} />
          </div>
        ) : (
          <p className="pb-2 text-xs text-slate-500">Lasts until cleared.</p>
        )}
        <Button type="submit" variant="secondary" disabled={busy} data-testid={`inject-${preset.preset}`}>
          Inject
        </Button>
      </Form>
      {(errors.platform || errors.count || errors.form) && (
        <div className="mt-2">
          <FormError message={[errors.form, errors.platform, errors.count].filter(Boolean).join(' ')} />
        </div>
      )}
    </li>
  )
}

export default function SettingsSandbox({ loaderData, actionData }: Route.ComponentProps) {
  const page = loaderData
  const result = actionData as SandboxActionResult | undefined
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const errorsFor = (preset: string | null): InjectFormErrors => (result && 'errors' in result && result.preset === preset ? result.errors : {})

  return (
    <div className="space-y-6">
      <header>
        <h2 className="text-lg font-semibold">Sandbox</h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-500">
          Accounts marked <Badge tone="amber">Sandbox</Badge> publish to local stand-ins of Meta (Instagram and Facebook) and TikTok that answer as the real platforms do;
          nothing reaches the real platforms. Here you can make the stand-ins misbehave, to see how scheduled posts cope with rate limits, outages, lost answers,
          expired tokens, failed or slow processing and used-up quotas, then put them right again.
        </p>
      </header>

      {!page.active ? (
        <p role="note" className="rounded-md bg-slate-50 px-4 py-3 text-sm text-slate-700 ring-1 ring-slate-200 ring-inset" data-testid="sandbox-inactive">
          {page.message}
        </p>
      ) : (
        <>
          {result && 'notice' in result && (
            <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="sandbox-notice">
              {result.notice}
            </p>
          )}
          <FormError message={errorsFor(null).form} />

          <div className="space-y-3">
            <div className="flex flex-wrap items-center justify-between gap-3">
              <h3 className="text-base font-semibold text-slate-900">Active faults</h3>
              <Form method="post">
                <CsrfField />
                <input type="hidden" name="intent" value="clear" />
                <Button type="submit" variant="secondary" disabled={busy} data-testid="clear-faults">
                  Clear all faults
                </Button>
              </Form>
            </div>
            {page.sandbox.services.map((view) => (
              <ServicePanel key={view.service} view={view} />
            ))}
          </div>

          <div className="space-y-3">
            <h3 className="text-base font-semibold text-slate-900">Inject a fault</h3>
            <p className="text-sm text-slate-500">Faults apply to the calls that publish a post; counted ones are used up post by post.</p>
            <ul className="grid gap-3 md:grid-cols-2">
              {page.sandbox.presets.map((preset) => (
                <PresetForm key={preset.preset} preset={preset} countMax={page.sandbox.countMax} errors={errorsFor(preset.preset)} busy={busy} />
              ))}
            </ul>
          </div>
        </>
      )}
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
