import { Link } from 'react-router'
import type { Readiness } from '~/lib/api.server'
import { readinessTarget } from '~/routes/campaign-form'

export interface MissingItem {
  /** A readiness code; empty for the details of a refused status change, which carry only path and message. */
  code: string
  message: string
  path?: string | undefined
}

/** What stands between the brief and its launch, each item linking to where it is fixed. */
export function MissingList({ items, workspaceId, testId }: { items: readonly MissingItem[]; workspaceId: string; testId: string }) {
  return (
    <ul className="space-y-2 text-sm" data-testid={testId}>
      {items.map((item, index) => {
        const target = readinessTarget(item, workspaceId)
        return (
          // Items are not unique by code (one per platform or deliverable), and they hold no state.
          <li key={`${index}-${item.code}-${item.path ?? ''}`} className="flex items-start gap-2" data-testid="missing-item" data-code={item.code || undefined}>
            <span aria-hidden className="mt-1.5 size-2 shrink-0 rounded-full bg-amber-500" />
            <span className="text-slate-700">
              {item.message}{' '}
              {target &&
                (target.href.startsWith('#') ? (
                  <a href={target.href} className="font-semibold whitespace-nowrap text-emerald-700 hover:text-emerald-600">
                    {target.label} →
                  </a>
                ) : (
                  <Link to={target.href} className="font-semibold whitespace-nowrap text-emerald-700 hover:text-emerald-600">
                    {target.label} →
                  </Link>
                ))}
            </span>
          </li>
        )
      })}
    </ul>
  )
}

export function ReadinessPanel({ readiness, workspaceId }: { readiness: Readiness; workspaceId: string }) {
  return (
    <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="readiness-panel" data-ready={readiness.ready}>
      <div className="flex items-center justify-between gap-4">
        <h2 className="text-base font-semibold">Readiness</h2>
        {readiness.ready ? (
          <span className="text-sm font-medium text-emerald-700">Ready to launch</span>
        ) : (
          <span className="text-sm font-medium text-amber-700">
            {readiness.missing.length} {readiness.missing.length === 1 ? 'thing' : 'things'} missing
          </span>
        )}
      </div>
      {readiness.ready ? (
        <p className="mt-3 text-sm text-slate-600">
          Brand kit{readiness.brandKitVersion !== null ? ` (version ${readiness.brandKitVersion})` : ''}, accounts, deliverables, budget and dates are all
          in place.
        </p>
      ) : (
        <div className="mt-3">
          <MissingList items={readiness.missing} workspaceId={workspaceId} testId="readiness-missing" />
        </div>
      )}
    </section>
  )
}
