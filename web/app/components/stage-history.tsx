import type { WorkflowState } from '~/lib/api.server'
import { LocalTime } from './local-time'
import { StageBadge } from './status-badges'

/** `history` is null when Temporal could not be asked. */
export function StageHistory({ history }: { history: WorkflowState['history'] | null }) {
  return (
    <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 className="text-base font-semibold">Stage history</h2>
      {history === null ? (
        <p className="mt-3 text-sm text-slate-500">Unavailable while Temporal is not answering.</p>
      ) : history.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">No stage changes yet.</p>
      ) : (
        <ol className="mt-4 space-y-3 border-l border-slate-200 pl-4" data-testid="stage-history">
          {history.map((entry) => (
            <li key={`${entry.stage}-${entry.at}`} className="flex items-center gap-3 text-sm">
              <StageBadge stage={entry.stage} />
              <span className="text-slate-500">
                <LocalTime iso={entry.at} precision="second" />
              </span>
              {entry.by && <span className="text-slate-500">by {entry.by}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
