import type { Campaign, WorkflowState } from '~/lib/api.server'
import { LocalTime } from './local-time'
import { WorkflowStatusBadge } from './status-badges'

/** The campaign's Temporal workflow as the API saw it just now. */
export function WorkflowPanel({ campaign, workflow }: { campaign: Campaign; workflow: WorkflowState | null }) {
  return (
    <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex items-center justify-between gap-4">
        <h2 className="text-base font-semibold">Workflow</h2>
        <a
          href={campaign.temporalWebUrl ?? undefined}
          target="_blank"
          rel="noreferrer"
          className="text-sm font-semibold text-emerald-700 hover:text-emerald-600"
          data-testid="temporal-web-link"
        >
          Open in Temporal Web ↗
        </a>
      </div>
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-3 text-sm">
        <dt className="text-slate-500">Workflow id</dt>
        <dd className="font-mono text-slate-800">{campaign.workflowId}</dd>
        <dt className="text-slate-500">Status</dt>
        <dd>
          {workflow ? (
            <WorkflowStatusBadge status={workflow.status} />
          ) : (
            <span className="text-amber-700" data-testid="workflow-unavailable">
              Live state unavailable: Temporal did not answer. Showing the last stored stage.
            </span>
          )}
        </dd>
        {workflow && (
          <>
            <dt className="text-slate-500">Paused</dt>
            <dd data-testid="workflow-paused">{workflow.paused ? 'Yes' : 'No'}</dd>
            <dt className="text-slate-500">Next step</dt>
            <dd>{workflow.nextWakeAt ? <LocalTime iso={workflow.nextWakeAt} precision="second" /> : '—'}</dd>
          </>
        )}
      </dl>
    </section>
  )
}
