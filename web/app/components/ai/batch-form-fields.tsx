// Fields both batch forms share: variations per item, the campaign the variants land on, and the submit bar (the
// line that says how many generations the batch uses, the button, and the API's refusal next to it).
import { VARIANTS_PER_ITEM_MAX, VARIATION_ANGLES } from '../../../../domain/ai-content.ts'
import type { CampaignOption } from '~/lib/ai'
import { Button } from '../button'
import { SelectField } from '../field'

export function VariationsSelect({ value, onChange, error }: { value: number; onChange: (value: number) => void; error?: string | undefined }) {
  return (
    <SelectField
      label="Variations per item"
      name="variantsPerItem"
      value={String(value)}
      onChange={(event) => onChange(Number(event.currentTarget.value))}
      error={error}
      hint={`Each from its own angle: ${VARIATION_ANGLES.join(', ')}.`}
      data-testid="variants-per-item"
    >
      {Array.from({ length: VARIANTS_PER_ITEM_MAX }, (_, i) => i + 1).map((count) => (
        <option key={count} value={count}>
          {count}
        </option>
      ))}
    </SelectField>
  )
}

export function CampaignSelect({ campaigns, defaultValue, error }: { campaigns: CampaignOption[]; defaultValue: string; error?: string | undefined }) {
  return (
    <SelectField label="Campaign (optional)" name="campaignId" defaultValue={defaultValue} error={error} hint="Variants land on the campaign’s cards." data-testid="batch-campaign">
      <option value="">No campaign</option>
      {campaigns.map((campaign) => (
        <option key={campaign.id} value={campaign.id}>
          {campaign.name}
        </option>
      ))}
    </SelectField>
  )
}

export function GenerationsLine({ line, total, generations }: { line: string; total: number; generations: { left: number; limit: number } | null }) {
  const over = generations !== null && total > generations.left
  return (
    <div className="text-sm" aria-live="polite">
      <p className="font-medium text-slate-800" data-testid="generations-line" data-total={total}>
        {line}
      </p>
      {generations && (
        <p className={over ? 'text-red-700' : 'text-slate-500'} data-testid="generations-left">
          {generations.left.toLocaleString('en-US')} of {generations.limit.toLocaleString('en-US')} generations left this month
          {over ? ': not enough for this batch.' : '.'}
        </p>
      )}
    </div>
  )
}

/** The API's refusal (plan limit, validation, workflow service down) with its code, next to the button. */
export function BatchRefusal({ message, code, testId }: { message: string | undefined; code: string | undefined; testId: string }) {
  if (!message) return null
  return (
    <div role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-red-200 ring-inset" data-testid={testId} data-code={code}>
      <p className="font-semibold">{code === 'PLAN_LIMIT_REACHED' ? 'Not enough generations left on the plan' : code === 'TEMPORAL_UNAVAILABLE' ? 'The batch could not start' : 'The batch was not started'}</p>
      <p className="mt-1">{message}</p>
    </div>
  )
}

/** The bottom of a batch form: what it will use, the start button ("Generate 6 drafts"), and a refusal. */
export function BatchSubmitBar(props: {
  line: string
  total: number
  generations: { left: number; limit: number } | null
  verb: 'Generate' | 'Write'
  starting: boolean
  disabled: boolean
  refusal: { message: string | undefined; code: string | undefined; testId: string }
}) {
  const { line, total, generations, verb, starting, disabled, refusal } = props
  return (
    <section className="flex flex-wrap items-center justify-between gap-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <GenerationsLine line={line} total={total} generations={generations} />
      <Button type="submit" disabled={starting || disabled} data-testid="start-batch">
        {starting ? 'Starting…' : total > 0 ? `${verb} ${total} ${total === 1 ? 'draft' : 'drafts'}` : `${verb} drafts`}
      </Button>
      <div className="w-full empty:hidden">
        <BatchRefusal {...refusal} />
      </div>
    </section>
  )
}
