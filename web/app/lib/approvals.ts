// Approvals as the web app shows them: a card's rounds (read from the API, which reads PostgreSQL rows), the
// policy editor's form, and the words for statuses and decisions.
import type { Static } from '@fastify/type-provider-typebox'
import type { ApprovalRoundView, CardApproval as CardApprovalSchema, PolicySettings as PolicySettingsSchema } from '../../../api/schemas/approval.ts'
import { APPROVAL_MODES, DECISION_KINDS, type ApprovalPolicy, type DecisionKind, type RoundStatus } from '../../../domain/approvals.ts'
import type { BadgeTone } from '../components/badge.tsx'

export type { ApprovalPolicy, DecisionKind, RoundStatus }

// The API's schemas are the source of these shapes (type-only imports: nothing of the API is bundled).
export type RoundView = Static<typeof ApprovalRoundView>
export type CardApproval = Omit<Static<typeof CardApprovalSchema>, 'current' | 'rounds'> & { current: RoundView | null; rounds: RoundView[] }
export type PolicySettings = Static<typeof PolicySettingsSchema>

/** A decision's words wherever it is shown: as an outcome ("Changes requested") and as what someone did. */
export const DECISION_LABELS: Record<DecisionKind, { done: string; did: string }> = {
  approve: { done: 'Approved', did: 'approved' },
  reject: { done: 'Rejected', did: 'rejected' },
  request_changes: { done: 'Changes requested', did: 'requested changes to' },
}

/** A round status's badge colour, on the card drawer, the review grid and the client's review page alike. */
export const STATUS_TONES: Record<RoundStatus, BadgeTone> = {
  pending: 'amber',
  approved: 'emerald',
  rejected: 'red',
  changes_requested: 'red',
  expired: 'slate',
  withdrawn: 'slate',
}

export const MODE_LABELS: Record<ApprovalPolicy['mode'], string> = {
  none: 'No approval',
  optional: 'Optional approval',
  required: 'Approval required',
  multi_level: 'Multi-level chain',
}

export function isDecisionKind(value: unknown): value is DecisionKind {
  return (DECISION_KINDS as readonly unknown[]).includes(value)
}

// ---------------------------------------------------------------------------------------------------------
// The policy form: up to five step rows (a row without a name is left out), deadlines in hours, blanks for
// "never". The API checks the policy itself; this only turns fields into its shape and names what is unreadable.

export const POLICY_FORM_STEPS = 5
const ROLE_CHOICES = ['owner', 'manager', 'editor', 'client_approver'] as const

export interface PolicyFormResult {
  policy: ApprovalPolicy | null
  errors: Record<string, string>
}

function hours(value: FormDataEntryValue | null, field: string, errors: Record<string, string>, blank: number | null): number | null {
  const text = String(value ?? '').trim()
  if (text === '') return blank
  const number = Number(text)
  if (!Number.isInteger(number) || number < 0) {
    errors[field] = 'Write whole hours, e.g. 24.'
    return blank
  }
  return number
}

export function policyFromForm(form: FormData): PolicyFormResult {
  const errors: Record<string, string> = {}
  if (form.get('inherit') === 'on') return { policy: null, errors }
  const mode = String(form.get('mode') ?? '')
  if (!(APPROVAL_MODES as readonly string[]).includes(mode)) errors.mode = 'Choose how submissions are approved.'
  const steps: ApprovalPolicy['steps'] = []
  if (mode !== 'none') {
    for (let i = 0; i < POLICY_FORM_STEPS; i++) {
      const name = String(form.get(`step${i}.name`) ?? '').trim()
      if (name === '') continue
      const audience = form.get(`step${i}.audience`) === 'client' ? 'client' : 'internal'
      const rule = form.get(`step${i}.rule`) === 'all' ? 'all' : 'any'
      const approverRoles = form.getAll(`step${i}.roles`).map(String).filter((role): role is (typeof ROLE_CHOICES)[number] => (ROLE_CHOICES as readonly string[]).includes(role))
      const approverUserIds = form.getAll(`step${i}.users`).map(String).filter((id) => id !== '')
      steps.push({ name, audience, rule, approverRoles: rule === 'all' ? [] : approverRoles, approverUserIds })
    }
  }
  const dueAfterHours = hours(form.get('dueAfterHours'), 'dueAfterHours', errors, null)
  if (dueAfterHours === null && !errors.dueAfterHours) errors.dueAfterHours = 'Say when a decision is due.'
  const remindText = String(form.get('remindBeforeHours') ?? '').trim()
  const remindBeforeHours = remindText === '' ? [] : remindText.split(/[\s,]+/).map(Number)
  if (remindBeforeHours.some((value) => !Number.isInteger(value) || value < 1)) errors.remindBeforeHours = 'List whole hours before the due time, e.g. 24, 2.'
  const deadlines = {
    dueAfterHours: dueAfterHours ?? 48,
    remindBeforeHours,
    escalateAfterHours: hours(form.get('escalateAfterHours'), 'escalateAfterHours', errors, null),
    expireAfterHours: hours(form.get('expireAfterHours'), 'expireAfterHours', errors, null),
  }
  if (Object.keys(errors).length) return { policy: null, errors }
  return { policy: { mode: mode as ApprovalPolicy['mode'], steps, deadlines }, errors }
}

/** The API's problems (paths like /policy/steps/0/approverRoles) as the form's field names. */
export function policyFieldOf(path: string): string {
  const step = /^\/policy\/steps\/(\d+)(?:\/(\w+))?/.exec(path)
  if (step) return `step${step[1]}`
  const deadline = /^\/policy\/deadlines\/(\w+)/.exec(path)
  if (deadline) return deadline[1]!
  if (path.startsWith('/policy/steps')) return 'steps'
  return 'form'
}

export const APPROVER_ROLE_CHOICES = ROLE_CHOICES
