import { Form, useNavigation } from 'react-router'
import type { PlanSchema, PlanUsageResponse } from '../../../api/schemas/agency.ts'
import { LIMIT_LABELS, LIMIT_METRICS, PLANS, overLimits } from '../../../domain/plans.ts'
import { Badge } from './badge'
import { Button } from './button'
import { CsrfField } from './csrf-field'

interface PlanCardsProps {
  catalog: PlanSchema[]
  current: PlanSchema
  usage: PlanUsageResponse['usage']
  /** Owners only (plan.change); everyone else sees the plans without buttons. */
  canChange: boolean
}

export function PlanCards({ catalog, current, usage, canChange }: PlanCardsProps) {
  const navigation = useNavigation()
  const switchingTo = navigation.state === 'submitting' ? navigation.formData?.get('plan') : null
  return (
    <section aria-labelledby="plans-heading">
      <h2 id="plans-heading" className="text-base font-semibold">
        Plans
      </h2>
      <ul className="mt-3 grid gap-4 md:grid-cols-3">
        {catalog.map((plan) => {
          const isCurrent = plan.id === current.id
          const upgrade = PLANS.indexOf(plan.id) > PLANS.indexOf(current.id)
          // The API decides; this only warns before the click.
          const tooSmall = isCurrent ? [] : overLimits(plan.id, usage)
          return (
            <li
              key={plan.id}
              className={`flex flex-col rounded-lg bg-white p-5 shadow-sm ring-1 ${isCurrent ? 'ring-2 ring-emerald-500' : 'ring-slate-200'}`}
              data-testid="plan-card"
              data-plan={plan.id}
            >
              <div className="flex items-center justify-between gap-2">
                <h3 className="text-lg font-semibold">{plan.name}</h3>
                {isCurrent && <Badge tone="emerald">Current plan</Badge>}
              </div>
              <ul className="mt-3 space-y-1 text-sm text-slate-600">
                {LIMIT_METRICS.map((metric) => (
                  <li key={metric}>
                    {plan.limits[metric].toLocaleString('en')} {LIMIT_LABELS[metric].many}
                  </li>
                ))}
              </ul>
              {tooSmall.length > 0 && (
                <p className="mt-3 text-xs text-amber-800">Too small for current usage: {tooSmall.map((metric) => LIMIT_LABELS[metric].many).join(', ')}.</p>
              )}
              {canChange && !isCurrent && (
                <Form method="post" className="mt-auto pt-4">
                  <CsrfField />
                  <input type="hidden" name="plan" value={plan.id} />
                  <Button type="submit" variant={upgrade ? 'primary' : 'secondary'} disabled={switchingTo != null} className="w-full" data-testid="plan-change">
                    {switchingTo === plan.id ? 'Switching…' : `${upgrade ? 'Upgrade' : 'Downgrade'} to ${plan.name}`}
                  </Button>
                </Form>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
