// The approval policy of a workspace (/workspaces/:workspaceId/approvals) or of one campaign
// (/campaigns/:campaignId/approvals): none, optional, required, or a multi-level chain of any-of / all-of steps
// (for example the account lead, then the client), with the due time, reminders, escalation and expiry.
// A campaign may inherit its workspace's policy; a workspace without one uses the default.
import { data, Form, Link, useNavigation } from 'react-router'
import type { Route } from './+types/approval-policy'
import { ROLE_LABELS, type Role } from '../../../domain/permissions.ts'
import { Badge } from '~/components/badge'
import { Button } from '~/components/button'
import { CsrfField } from '~/components/csrf-field'
import { Field, SelectField } from '~/components/field'
import { FormError } from '~/components/form-error'
import { APPROVER_ROLE_CHOICES, MODE_LABELS, POLICY_FORM_STEPS, policyFieldOf, policyFromForm, type ApprovalPolicy, type PolicySettings } from '~/lib/approvals'
import { ApiError, rethrowAsRouteError } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { useCan } from '~/lib/permissions'
import { callApiAsUser } from '~/lib/session.server'

interface Member {
  id: string
  name: string
  role: Role
}

function target(params: { workspaceId?: string; campaignId?: string }) {
  return params.campaignId
    ? { kind: 'campaign' as const, api: `/api/campaigns/${encodeURIComponent(params.campaignId)}`, back: `/campaigns/${params.campaignId}` }
    : { kind: 'workspace' as const, api: `/api/workspaces/${encodeURIComponent(params.workspaceId ?? '')}`, back: `/workspaces/${params.workspaceId}` }
}

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: `Approvals · ${loaderData?.name ?? ''} · Greenlight` }]

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const args = { request, url }
  const where = target(params)
  const [settings, owner, team] = await Promise.all([
    callApiAsUser<PolicySettings>(args, `${where.api}/approval-policy`).then((response) => response.data),
    callApiAsUser<{ campaign?: { name: string }; workspace?: { name: string } }>(args, where.api).then((response) => response.data),
    callApiAsUser<{ members: Member[] }>(args, '/api/team')
      .then((response) => response.data.members.filter((member) => member.role !== 'creator' && member.role !== 'analyst'))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 403) return [] as Member[]
        throw error
      }),
  ]).catch(rethrowAsRouteError)
  return { ...settings, kind: where.kind, back: where.back, name: owner.campaign?.name ?? owner.workspace?.name ?? '', members: team }
}

type PolicyResult = { notice: string } | { errors: Record<string, string> }

export async function action({ request, url, params }: Route.ActionArgs) {
  const form = await request.formData()
  const { policy, errors } = policyFromForm(form)
  if (Object.keys(errors).length) return data<PolicyResult>({ errors }, { status: 400 })
  try {
    await callApiAsUser(args(request, url), `${target(params).api}/approval-policy`, { method: 'PUT', body: { policy }, csrf: form.get(CSRF_FIELD) })
    return { notice: policy ? `Saved: ${MODE_LABELS[policy.mode].toLowerCase()}. New submissions follow it; rounds already open keep theirs.` : 'Saved: inherited from above.' } satisfies PolicyResult
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      const placed: Record<string, string> = {}
      for (const detail of error.details ?? []) placed[policyFieldOf(detail.path)] ??= detail.message
      if (Object.keys(placed).length === 0) placed.form = error.message
      return data<PolicyResult>({ errors: placed }, { status: error.status })
    }
    throw error
  }
}

const args = (request: Request, url: URL) => ({ request, url })

export default function ApprovalPolicyRoute({ loaderData, actionData }: Route.ComponentProps) {
  const { policy, effective, inheritedFrom, kind, back, name, members } = loaderData
  const result = actionData as PolicyResult | undefined
  const errors = result && 'errors' in result ? result.errors : {}
  const canWrite = useCan('workspace.write')
  const saving = useNavigation().state === 'submitting'
  const shown: ApprovalPolicy = policy ?? effective
  // Every row at once, so a chain of any length is written in one save (an empty row is left out).
  const rows = Array.from({ length: POLICY_FORM_STEPS }, (_, i) => shown.steps[i] ?? null)
  const inherited = inheritedFrom === 'workspace' ? 'the workspace’s policy' : 'the default policy (optional review by owners and managers)'

  return (
    <div className="mx-auto max-w-4xl space-y-6 px-6 py-8" data-testid="approval-policy-page">
      <header className="space-y-1">
        <Link to={back} className="text-sm text-emerald-700 hover:underline">
          ← {name}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Approvals for {name}</h1>
        <p className="text-sm text-slate-600">
          Now: <Badge tone={policy ? 'emerald' : 'slate'} data-testid="policy-mode">{MODE_LABELS[effective.mode]}</Badge>{' '}
          {policy ? `set on this ${kind}.` : `inherited: ${inherited}.`} Nobody approves their own submission; a decision on an older caption version is refused.
        </p>
      </header>
      {result && 'notice' in result && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="policy-notice">
          {result.notice}
        </p>
      )}
      <FormError message={errors.form ?? errors.steps} />
      <Form method="post" className="space-y-6" key={JSON.stringify(shown)}>
        <CsrfField />
        <fieldset disabled={!canWrite} className="space-y-6">
          <section className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="inherit" defaultChecked={policy === null} data-testid="policy-inherit" />
              Inherit {kind === 'campaign' ? 'the workspace’s policy' : 'the default policy'} (the fields below are then ignored)
            </label>
            <SelectField label="How submissions are approved" name="mode" defaultValue={shown.mode} error={errors.mode} data-testid="policy-mode-select">
              <option value="none">No approval: reviewers move submitted cards by hand</option>
              <option value="optional">Optional: a round opens, reviewers may decide or move the card by hand</option>
              <option value="required">Required: one step must approve before the card moves on</option>
              <option value="multi_level">Multi-level: every step in order (e.g. internal, then the client)</option>
            </SelectField>
          </section>

          <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h2 className="text-sm font-semibold">Steps</h2>
            <p className="text-sm text-slate-500">Required and optional approval use the first step; a multi-level chain uses 2 to {POLICY_FORM_STEPS}, in order. Leave a step’s name empty to drop it.</p>
            {rows.map((step, i) => (
              <fieldset key={i} className="grid gap-3 rounded-md p-3 ring-1 ring-slate-200 sm:grid-cols-3" data-testid={`policy-step-${i}`}>
                <legend className="px-1 text-xs font-medium text-slate-500">Step {i + 1}</legend>
                <Field label="Name" name={`step${i}.name`} defaultValue={step?.name ?? ''} error={errors[`step${i}`]} maxLength={80} />
                <SelectField label="Who" name={`step${i}.audience`} defaultValue={step?.audience ?? 'internal'}>
                  <option value="internal">The team</option>
                  <option value="client">The client</option>
                </SelectField>
                <SelectField label="Rule" name={`step${i}.rule`} defaultValue={step?.rule ?? 'any'}>
                  <option value="any">Any one of them</option>
                  <option value="all">All named approvers</option>
                </SelectField>
                <div className="sm:col-span-3">
                  <p className="text-sm font-medium text-slate-700">Roles (any-of steps)</p>
                  <div className="mt-1 flex flex-wrap gap-3">
                    {APPROVER_ROLE_CHOICES.map((role) => (
                      <label key={role} className="flex items-center gap-1.5 text-sm">
                        <input type="checkbox" name={`step${i}.roles`} value={role} defaultChecked={step?.approverRoles.includes(role) ?? false} />
                        {ROLE_LABELS[role]}
                      </label>
                    ))}
                  </div>
                </div>
                {members.length > 0 && (
                  <div className="sm:col-span-3">
                    <p className="text-sm font-medium text-slate-700">Named approvers</p>
                    <div className="mt-1 flex flex-wrap gap-3">
                      {members.map((member) => (
                        <label key={member.id} className="flex items-center gap-1.5 text-sm">
                          <input type="checkbox" name={`step${i}.users`} value={member.id} defaultChecked={step?.approverUserIds.includes(member.id) ?? false} />
                          {member.name} <span className="text-xs text-slate-500">({ROLE_LABELS[member.role]})</span>
                        </label>
                      ))}
                    </div>
                  </div>
                )}
              </fieldset>
            ))}
          </section>

          <section className="grid gap-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:grid-cols-2">
            <h2 className="text-sm font-semibold sm:col-span-2">Deadlines</h2>
            <Field label="Decision due after (hours)" name="dueAfterHours" inputMode="numeric" defaultValue={String(shown.deadlines.dueAfterHours)} error={errors.dueAfterHours} />
            <Field
              label="Remind approvers (hours before the due time)"
              name="remindBeforeHours"
              defaultValue={shown.deadlines.remindBeforeHours.join(', ')}
              error={errors.remindBeforeHours}
              hint="In-app, by e-mail, and to the team’s webhook when one is configured."
            />
            <Field
              label="Escalate to managers (hours after the due time)"
              name="escalateAfterHours"
              inputMode="numeric"
              defaultValue={shown.deadlines.escalateAfterHours === null ? '' : String(shown.deadlines.escalateAfterHours)}
              error={errors.escalateAfterHours}
              hint="Empty: never."
            />
            <Field
              label="Expire the request (hours after the due time)"
              name="expireAfterHours"
              inputMode="numeric"
              defaultValue={shown.deadlines.expireAfterHours === null ? '' : String(shown.deadlines.expireAfterHours)}
              error={errors.expireAfterHours}
              hint="Empty: it waits until someone decides."
            />
          </section>
        </fieldset>
        {canWrite ? (
          <Button type="submit" disabled={saving} data-testid="policy-save">
            {saving ? 'Saving…' : 'Save approval policy'}
          </Button>
        ) : (
          <p className="text-sm text-slate-500">Owners and managers change approval policies.</p>
        )}
      </Form>
    </div>
  )
}
