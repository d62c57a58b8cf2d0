// The provider chain as ordered selects: first choice, then who writes when the one before cannot (an outage,
// a refused or missing key). Each option says whether its provider has a key, so a chain that will skip a
// provider says so before the batch starts. Without JavaScript the selects post as they are.
import { useId, useState } from 'react'
import { AI_PROVIDERS, AI_PROVIDER_LABELS } from '../../../../domain/ai-content.ts'
import { chainAvailability, chainNeverFails, chainPositions, parseProviderChain, type ProviderSettings } from '~/lib/ai'
import { controlRing } from '../field'

const POSITION_LABELS = ['First', 'Then', 'Then']
export const OFFLINE_HINT = 'Ending with “Offline generator” means a batch never fails for lack of a provider: it writes from templates when no model can.'

interface ProviderChainFieldsProps {
  /** The chain the selects start from. */
  chain: readonly string[]
  /** The agency's providers with their key status; null when this role cannot see them. */
  providers: readonly ProviderSettings[] | null
  error?: string | undefined
  /** The first position may be left empty: an empty chain means the default (a campaign: the agency's). */
  emptyLabel?: string
  legend?: string
  hint?: string
  /** Side by side on a full-width form; one under the other in a column. */
  layout?: 'row' | 'stack'
}

function optionLabel(id: (typeof AI_PROVIDERS)[number], providers: readonly ProviderSettings[] | null): string {
  const settings = providers?.find((provider) => provider.id === id)
  const label = AI_PROVIDER_LABELS[id]
  if (settings?.keySource === 'none') return `${label} — no key, will be skipped`
  return label
}

export function ProviderChainFields({ chain, providers, error, emptyLabel = '—', legend = 'Provider chain', hint, layout = 'row' }: ProviderChainFieldsProps) {
  const [positions, setPositions] = useState(() => chainPositions(chain))
  const id = useId()
  const parsed = parseProviderChain(positions)
  const links = parsed.ok ? chainAvailability(parsed.chain, providers) : []
  return (
    <fieldset aria-describedby={`${id}-note`} data-testid="provider-chain">
      <legend className="block text-sm font-medium text-slate-700">{legend}</legend>
      <div className={layout === 'row' ? 'mt-2 grid gap-3 sm:grid-cols-3' : 'mt-2 grid gap-2'}>
        {positions.map((value, index) => (
          <label key={index} className={layout === 'row' ? 'block text-xs font-medium text-slate-500' : 'grid grid-cols-[4.5rem_1fr] items-center gap-2 text-xs font-medium text-slate-500'}>
            {index + 1}. {POSITION_LABELS[index] ?? 'Then'}
            <select
              name="providerChain"
              value={value}
              onChange={(event) => {
                const next = [...positions]
                next[index] = event.currentTarget.value
                setPositions(next)
              }}
              aria-invalid={error ? true : undefined}
              className={`${layout === 'row' ? 'mt-1 ' : ''}block w-full bg-white text-slate-900 ${controlRing(Boolean(error))}`}
              data-testid={`provider-chain-${index}`}
            >
              <option value="">{index === 0 ? emptyLabel : '—'}</option>
              {AI_PROVIDERS.map((provider) => (
                <option key={provider} value={provider}>
                  {optionLabel(provider, providers)}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <div id={`${id}-note`} className="mt-2 space-y-1 text-sm">
        {error ? (
          <p className="text-red-600" data-testid="providerChain-error">
            {error}
          </p>
        ) : (
          links.length > 0 && (
            <ol className="flex flex-wrap gap-x-4 gap-y-1 text-slate-600" data-testid="provider-chain-availability">
              {links.map((link, index) => (
                <li key={link.id} className={link.usable ? '' : 'text-amber-700'} data-provider={link.id} data-usable={link.usable}>
                  {index + 1}. {link.label}
                  {link.note && <span className="text-slate-500"> — {link.note}</span>}
                </li>
              ))}
            </ol>
          )
        )}
        <p className="text-slate-500">{hint ?? OFFLINE_HINT}</p>
        {parsed.ok && parsed.chain.length > 0 && !chainNeverFails(parsed.chain) && (
          <p className="text-amber-700" data-testid="provider-chain-can-fail">
            Without “Offline generator” at the end, an item fails when none of these providers can write.
          </p>
        )}
      </div>
    </fieldset>
  )
}
