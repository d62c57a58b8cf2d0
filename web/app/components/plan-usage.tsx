import type { PlanSchema, PlanUsageResponse } from '../../../api/schemas/agency.ts'
import { LIMIT_LABELS, LIMIT_METRICS, type LimitMetric } from '../../../domain/plans.ts'

/** From this share of a limit on, the bar turns amber: time to tidy up or upgrade. */
const NEAR_LIMIT = 0.8

export function usageLine(metric: LimitMetric, used: number, limit: number): string {
  const label = LIMIT_LABELS[metric]
  return `${used} of ${limit} ${limit === 1 ? label.one : label.many}`
}

function barTone(used: number, limit: number): string {
  if (used >= limit) return 'bg-red-500'
  if (used >= limit * NEAR_LIMIT) return 'bg-amber-500'
  return 'bg-emerald-500'
}

/** One bar per limit of the plan: "3 of 5 seats". */
export function PlanUsage({ plan, usage, period }: { plan: PlanSchema; usage: PlanUsageResponse['usage']; period: string }) {
  return (
    <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-labelledby="usage-heading" data-testid="plan-usage">
      <h2 id="usage-heading" className="text-base font-semibold">
        Usage on the {plan.name} plan
      </h2>
      <ul className="mt-4 grid gap-5 md:grid-cols-2">
        {LIMIT_METRICS.map((metric) => {
          const used = usage[metric]
          const limit = plan.limits[metric]
          const line = usageLine(metric, used, limit)
          return (
            <li key={metric} data-testid={`usage-${metric}`}>
              <div className="flex items-baseline justify-between gap-3 text-sm">
                <span className="font-medium text-slate-800">{line}</span>
                {metric === 'aiGenerationsPerMonth' && <span className="text-xs text-slate-500">{period} (UTC)</span>}
              </div>
              <div
                role="progressbar"
                aria-label={line}
                aria-valuemin={0}
                aria-valuemax={limit}
                aria-valuenow={Math.min(used, limit)}
                className="mt-2 h-2 overflow-hidden rounded-full bg-slate-100"
              >
                <div className={`h-full rounded-full ${barTone(used, limit)}`} style={{ width: `${Math.min(100, (used / limit) * 100)}%` }} />
              </div>
              {used >= limit && <p className="mt-1 text-xs text-red-700">Limit reached: adding more is refused until usage drops or the plan grows.</p>}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
