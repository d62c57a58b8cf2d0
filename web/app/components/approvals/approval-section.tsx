// The card drawer's approval: the round under way (its chain of steps, the step deciding now, the due time,
// reminders and escalation, decisions with their comments, the run in Temporal Web), the viewer's decision
// buttons when they may decide, and the earlier rounds. Plain forms: they work before the page is hydrated.
import { Form, useNavigation } from 'react-router'
import { APPROVAL_LIMITS } from '../../../../domain/approvals.ts'
import { Badge } from '../badge'
import { Button } from '../button'
import { CsrfField } from '../csrf-field'
import { FormError } from '../form-error'
import { LocalTime } from '../local-time'
import { DrawerSection } from '../board/card-drawer'
import { DECISION_LABELS, MODE_LABELS, STATUS_TONES, type CardApproval, type RoundView } from '~/lib/approvals'
import type { CardActionResult } from '~/lib/board'

type ApprovalActionError = Extract<CardActionResult, { intent: 'decide'; ok: false }>

export function ApprovalSection({ approval, error }: { approval: CardApproval; error: ApprovalActionError | undefined }) {
  const { current } = approval
  const navigation = useNavigation()
  const deciding = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'decide'
  const earlier = approval.rounds.slice(1)
  return (
    <DrawerSection
      title="Approval"
      testId="card-approval"
      aside={<span className="text-xs text-slate-500">{current ? `${MODE_LABELS[current.mode]} · round ${current.round}` : MODE_LABELS[approval.policy.mode]}</span>}
    >
      {!current ? (
        <p className="text-sm text-slate-500">
          {approval.policy.mode === 'none'
            ? 'This campaign needs no approval: reviewers move submitted cards on by hand.'
            : `Not submitted yet. Submitting opens a round: ${approval.policy.steps.map((step) => step.name).join(' → ')}.`}
        </p>
      ) : (
        <RoundDetails round={current} />
      )}
      {current?.status === 'pending' && approval.canDecide && (
        <Form method="post" preventScrollReset className="mt-4 space-y-2 border-t border-slate-100 pt-3" data-testid="approval-decide-form" key={`decide:${current.round}:${current.decisions.length}:${current.captionVersion}`}>
          <CsrfField />
          <input type="hidden" name="intent" value="decide" />
          <input type="hidden" name="captionVersion" value={current.captionVersion} />
          <label htmlFor="approval-comment" className="block text-sm font-medium text-slate-700">
            Your decision on caption version {current.captionVersion}
          </label>
          <textarea
            id="approval-comment"
            name="comment"
            rows={2}
            maxLength={APPROVAL_LIMITS.comment}
            defaultValue={error?.comment ?? ''}
            placeholder="A comment (needed when you request changes)"
            className="block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-emerald-600 focus:outline-none"
            data-testid="approval-comment"
          />
          {error && <FormError message={error.error} />}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" name="kind" value="approve" disabled={deciding} data-testid="approval-approve">
              Approve
            </Button>
            <Button type="submit" variant="secondary" name="kind" value="request_changes" disabled={deciding} data-testid="approval-request-changes">
              Request changes
            </Button>
            <Button type="submit" variant="secondary" name="kind" value="reject" disabled={deciding} data-testid="approval-reject">
              Reject
            </Button>
          </div>
        </Form>
      )}
      {current?.status === 'pending' && !approval.canDecide && approval.refusal && (
        <p className="mt-3 text-xs text-slate-500" data-testid="approval-not-yours">
          {approval.refusal.message}
        </p>
      )}
      {earlier.length > 0 && (
        <details className="mt-4 border-t border-slate-100 pt-3">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">Earlier rounds ({earlier.length})</summary>
          <ol className="mt-3 space-y-4">
            {earlier.map((round) => (
              <li key={round.id} data-testid="approval-earlier-round">
                <RoundDetails round={round} />
              </li>
            ))}
          </ol>
        </details>
      )}
    </DrawerSection>
  )
}

function RoundDetails({ round }: { round: RoundView }) {
  return (
    <div className="space-y-3" data-testid="approval-round">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge tone={STATUS_TONES[round.status]} data-testid="approval-status">
          {round.statusLabel}
        </Badge>
        <span className="text-slate-600">
          Round {round.round}, caption version {round.captionVersion}
          {round.submittedBy ? `, submitted by ${round.submittedBy}` : ''} <LocalTime iso={round.submittedAt} />
        </span>
      </div>
      <ol className="flex flex-wrap items-center gap-1 text-xs" aria-label="Approval steps">
        {round.steps.map((step, i) => {
          const state = round.status === 'approved' || i < round.stepIndex ? 'done' : i === round.stepIndex && round.status === 'pending' ? 'now' : 'later'
          return (
            <li key={`${step.name}-${i}`} className="flex items-center gap-1">
              {i > 0 && <span aria-hidden className="text-slate-400">→</span>}
              <span
                className={`rounded px-2 py-0.5 ring-1 ring-inset ${state === 'done' ? 'bg-emerald-50 text-emerald-800 ring-emerald-600/25' : state === 'now' ? 'bg-amber-50 font-semibold text-amber-900 ring-amber-600/30' : 'bg-slate-50 text-slate-600 ring-slate-300'}`}
                aria-current={state === 'now' ? 'step' : undefined}
                data-testid="approval-step"
              >
                {step.name} · {step.rule === 'all' ? 'all of' : 'any of'} {step.audience === 'client' ? 'the client' : 'the team'}
              </span>
            </li>
          )
        })}
      </ol>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs text-slate-600">
        <dt>Due</dt>
        <dd>
          <LocalTime iso={round.dueAt} />
        </dd>
        <dt>Reminders sent</dt>
        <dd data-testid="approval-reminders">{round.remindersSent}</dd>
        {round.escalatedAt && (
          <>
            <dt>Escalated</dt>
            <dd data-testid="approval-escalated">
              <LocalTime iso={round.escalatedAt} />
            </dd>
          </>
        )}
        {round.decidedAt && (
          <>
            <dt>Ended</dt>
            <dd>
              <LocalTime iso={round.decidedAt} />
            </dd>
          </>
        )}
      </dl>
      {round.decisions.length > 0 && (
        <ul className="space-y-2" data-testid="approval-decisions">
          {round.decisions.map((decision) => (
            <li key={`${decision.by.userId}-${decision.at}`} className="text-sm">
              <span className="font-medium text-slate-800">{decision.by.name}</span>{' '}
              <span className="text-slate-600">
                {DECISION_LABELS[decision.kind].did} version {decision.captionVersion} in “{round.steps[decision.stepIndex]?.name ?? 'review'}”
              </span>{' '}
              <span className="text-xs text-slate-500">
                <LocalTime iso={decision.at} />
              </span>
              {decision.comment && <p className="mt-0.5 rounded bg-slate-50 px-2 py-1 text-slate-700">{decision.comment}</p>}
            </li>
          ))}
        </ul>
      )}
      {round.temporalUrl && (
        <a href={round.temporalUrl} target="_blank" rel="noreferrer" className="inline-block text-xs font-medium text-emerald-700 hover:underline" data-testid="approval-temporal-link">
          {round.workflowId} in Temporal Web ↗
        </a>
      )}
    </div>
  )
}
