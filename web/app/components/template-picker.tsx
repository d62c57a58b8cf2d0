import { PLATFORM_LABELS } from '../../../domain/brand-kit.ts'
import { OBJECTIVE_LABELS, describeDeliverable, formatMoney, isDeliverableKindFor } from '../../../domain/campaign-brief.ts'
import type { CampaignTemplate } from '~/lib/api.server'
import { BLANK_TEMPLATE } from '~/routes/campaign-form'

const cardClass =
  'relative flex cursor-pointer flex-col rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:ring-slate-300 has-[:checked]:ring-2 has-[:checked]:ring-emerald-600 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-emerald-600'

function mixLine(mix: CampaignTemplate['deliverableMix'][number]): string {
  // The template's kinds come from the same domain table; anything else is shown plainly.
  return isDeliverableKindFor(mix.platform, mix.kind)
    ? describeDeliverable({ platform: mix.platform, kind: mix.kind, count: mix.count })
    : `${mix.count} ${PLATFORM_LABELS[mix.platform]} ${mix.kind}`
}

/** Radio cards: a blank brief or one of the industry templates, with what each prefills. */
export function TemplatePicker({
  templates,
  selected,
  onSelect,
  error,
}: {
  templates: CampaignTemplate[]
  selected: string
  onSelect?: (templateId: string) => void
  error?: string | undefined
}) {
  return (
    <fieldset aria-describedby={error ? 'template-error' : undefined}>
      <legend className="text-sm font-medium text-slate-700">Start from</legend>
      <div className="mt-2 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="template-picker">
        <label className={cardClass} data-testid={`template-${BLANK_TEMPLATE}`}>
          <input
            type="radio"
            name="templateId"
            value={BLANK_TEMPLATE}
            defaultChecked={selected === BLANK_TEMPLATE}
            onChange={() => onSelect?.(BLANK_TEMPLATE)}
            className="sr-only"
          />
          <span className="text-sm font-semibold text-slate-900">Blank brief</span>
          <span className="mt-1 text-sm text-slate-500">Start empty and fill in every field yourself.</span>
        </label>
        {templates.map((template) => (
          <label key={template.id} className={cardClass} data-testid={`template-${template.id}`}>
            <input
              type="radio"
              name="templateId"
              value={template.id}
              defaultChecked={selected === template.id}
              onChange={() => onSelect?.(template.id)}
              className="sr-only"
            />
            <span className="flex items-baseline justify-between gap-2">
              <span className="text-sm font-semibold text-slate-900">{template.label}</span>
              <span className="text-xs text-slate-500">{OBJECTIVE_LABELS[template.objective]}</span>
            </span>
            <span className="mt-1 text-sm text-slate-600">{template.description}</span>
            <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
              <dt className="text-slate-500">Platforms</dt>
              <dd className="text-slate-700">{template.platforms.map((platform) => PLATFORM_LABELS[platform]).join(', ')}</dd>
              <dt className="text-slate-500">Deliverables</dt>
              <dd className="text-slate-700">
                <ul>
                  {template.deliverableMix.map((mix) => (
                    <li key={`${mix.platform}-${mix.kind}`}>{mixLine(mix)}</li>
                  ))}
                </ul>
              </dd>
              <dt className="text-slate-500">Content</dt>
              <dd className="text-slate-700">{template.contentVolume} pieces</dd>
              <dt className="text-slate-500">Budget</dt>
              <dd className="text-slate-700 tabular-nums">{formatMoney(template.suggestedBudgetMinor, 'USD')} suggested</dd>
            </dl>
          </label>
        ))}
      </div>
      {error && (
        <p id="template-error" className="mt-2 text-sm text-red-600" data-testid="templateId-error">
          {error}
        </p>
      )}
    </fieldset>
  )
}
