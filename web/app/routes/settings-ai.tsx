// Settings → AI: the agency's provider chain, and per provider its model and API key. A key is set by typing a
// new one and removed with its button; the API never sends a key back, only where it comes from and its last
// characters.
import { data, Form, useNavigation } from 'react-router'
import type { Route } from './+types/settings-ai'
import type { AiSettingsDto } from '../../../api/schemas/ai.ts'
import { AI_PROVIDER_LABELS } from '../../../domain/ai-content.ts'
import { ProviderChainFields } from '~/components/ai/provider-chain-fields'
import { Badge } from '~/components/badge'
import { Button } from '~/components/button'
import { CsrfField } from '~/components/csrf-field'
import { ErrorPanel } from '~/components/error-panel'
import { Field } from '~/components/field'
import { FormError } from '~/components/form-error'
import { chainLabel, isKeyedProvider, keyStatusLabel, readAiSettingsForm, type AiFormErrors, type ProviderSettings } from '~/lib/ai'
import { ApiError, formErrorsFrom, rethrowAsRouteError } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { useCan } from '~/lib/permissions'
import { callApiAsUser } from '~/lib/session.server'

const SETTINGS_FIELDS = ['providerChain', 'openaiModel', 'geminiModel', 'openaiKey', 'geminiKey'] as const

export const meta: Route.MetaFunction = () => [{ title: 'AI · Settings · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  const response = await callApiAsUser<AiSettingsDto>({ request, url }, '/api/agency/ai-settings').catch(rethrowAsRouteError)
  return response.data
}

type SettingsResult = { notice: string; savedAt: number } | { errors: AiFormErrors; providerChain: string[] }

export async function action({ request, url }: Route.ActionArgs) {
  const form = await request.formData()
  const csrf = form.get(CSRF_FIELD)
  const intent = form.get('intent')
  const send = async (body: object, notice: string, providerChain: string[]) => {
    try {
      await callApiAsUser<AiSettingsDto>({ request, url }, '/api/agency/ai-settings', { method: 'PUT', body, csrf })
      return { notice, savedAt: Date.now() } satisfies SettingsResult
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error
      const errors = error.status === 400 ? formErrorsFrom(error, SETTINGS_FIELDS) : { form: error.message }
      return data<SettingsResult>({ errors, providerChain }, { status: error.status })
    }
  }

  if (intent === 'remove-key') {
    const provider = String(form.get('provider') ?? '')
    if (!isKeyedProvider(provider)) return data<SettingsResult>({ errors: { form: 'Choose a provider whose key to remove.' }, providerChain: [] }, { status: 400 })
    return send({ [`${provider}Key`]: null }, `${AI_PROVIDER_LABELS[provider]}: the agency’s key is removed.`, [])
  }
  const reading = readAiSettingsForm(form)
  if (!reading.ok) return data<SettingsResult>({ errors: reading.errors, providerChain: reading.values.providerChain }, { status: 400 })
  const keys = (['openaiKey', 'geminiKey'] as const).filter((key) => key in reading.body).length
  return send(reading.body, keys > 0 ? `Saved, with ${keys === 1 ? 'a new key' : 'new keys'}.` : 'Saved.', reading.values.providerChain)
}

const KEY_TONES = { agency: 'emerald', environment: 'sky', none: 'amber', not_needed: 'slate' } as const

function ProviderRow({ provider, errors, canConfigure }: { provider: ProviderSettings; errors: AiFormErrors; canConfigure: boolean }) {
  const keyed = isKeyedProvider(provider.id)
  return (
    <li className="grid gap-4 py-5 first:pt-0 last:pb-0 md:grid-cols-3" data-testid="ai-provider" data-provider={provider.id} data-key-source={provider.keySource}>
      <div className="space-y-1.5">
        <h3 className="text-sm font-semibold text-slate-900">{provider.label}</h3>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          Key:{' '}
          <Badge tone={KEY_TONES[provider.keySource]} data-testid="key-status">
            {keyStatusLabel(provider)}
          </Badge>
        </p>
        <p className="text-xs text-slate-500">
          {provider.id === 'offline'
            ? 'Writes from templates with the brand kit’s words; no model, no key, never fails.'
            : provider.readsImages
              ? 'Reads the images of a batch’s assets.'
              : 'Writes from the assets’ names and details, not their images.'}
        </p>
      </div>
      {keyed && canConfigure ? (
        <>
          <div>
            <input type="hidden" name={`${provider.id}ModelWas`} value={provider.model} />
            <Field label="Model" name={`${provider.id}Model`} defaultValue={provider.model} error={errors[`${provider.id}Model`]} hint="Empty: the default model." autoComplete="off" data-testid={`${provider.id}-model`} />
          </div>
          <div className="space-y-2">
            <Field
              label={provider.keySource === 'agency' ? 'Replace the key' : 'Set a key'}
              name={`${provider.id}Key`}
              type="password"
              autoComplete="new-password"
              placeholder={provider.keySource === 'agency' ? 'New key' : 'Paste the API key'}
              error={errors[`${provider.id}Key`]}
              hint={provider.keySource === 'environment' ? 'The agency’s own key takes over from the deployment’s.' : 'Stored encrypted; never shown again.'}
              data-testid={`${provider.id}-key`}
            />
            {provider.keySource === 'agency' && (
              <Button type="submit" form={`remove-${provider.id}-key`} variant="secondary" className="text-red-700" data-testid={`${provider.id}-remove-key`}>
                Remove key
              </Button>
            )}
          </div>
        </>
      ) : (
        <p className="text-sm text-slate-600 md:col-span-2">{provider.id === 'offline' ? 'Nothing to set.' : `Model ${provider.model}.`}</p>
      )}
    </li>
  )
}

export default function SettingsAi({ loaderData, actionData }: Route.ComponentProps) {
  const { providerChain, effectiveChain, providers } = loaderData
  const result = actionData as SettingsResult | undefined
  const errors = result && 'errors' in result ? result.errors : {}
  const canConfigure = useCan('ai.configure')
  const navigation = useNavigation()
  const saving = navigation.state === 'submitting'
  const chain = result && 'errors' in result && result.providerChain.length > 0 ? result.providerChain : providerChain.length > 0 ? providerChain : effectiveChain

  return (
    <div className="space-y-6">
      <header>
        <h2 className="text-lg font-semibold">AI providers</h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-500">
          Batches try the providers in this order: when one cannot write a variant (an outage, a refused or missing key) the next one does. A campaign can choose its own
          chain. Now: <span className="font-medium text-slate-700" data-testid="effective-chain">{chainLabel(effectiveChain)}</span>.
        </p>
      </header>
      {result && 'notice' in result && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="ai-settings-notice">
          {result.notice}
        </p>
      )}
      <FormError message={errors.form} />

      {/* The remove buttons belong to these forms (form="…"), so they can sit next to their provider. */}
      {providers
        .filter((provider) => isKeyedProvider(provider.id) && provider.keySource === 'agency')
        .map((provider) => (
          <Form key={provider.id} method="post" id={`remove-${provider.id}-key`} hidden>
            <CsrfField />
            <input type="hidden" name="intent" value="remove-key" />
            <input type="hidden" name="provider" value={provider.id} />
          </Form>
        ))}

      {/* A new form after each save, so a key just typed does not linger in its field. */}
      <Form key={result && 'savedAt' in result ? result.savedAt : 'settings'} method="post" className="space-y-6" data-testid="ai-settings-form">
        <CsrfField />
        <input type="hidden" name="intent" value="save" />
        <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <ProviderChainFields key={chain.join('>')} chain={chain} providers={providers} error={errors.providerChain} legend="Provider chain (up to 3, in order)" />
        </section>
        <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-labelledby="providers-heading">
          <h3 id="providers-heading" className="sr-only">
            Providers
          </h3>
          <ul className="divide-y divide-slate-100">
            {providers.map((provider) => (
              <ProviderRow key={provider.id} provider={provider} errors={errors} canConfigure={canConfigure} />
            ))}
          </ul>
        </section>
        {canConfigure && (
          <div className="flex justify-end">
            <Button type="submit" disabled={saving} data-testid="save-ai-settings">
              {saving ? 'Saving…' : 'Save'}
            </Button>
          </div>
        )}
      </Form>
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
