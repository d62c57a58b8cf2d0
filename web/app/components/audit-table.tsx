import type { AuditAction, AuditEventDto } from '../../../api/schemas/agency.ts'
import { Badge, type BadgeTone } from './badge'
import { LocalTime } from './local-time'
import { DataTable, TABLE_CARD_CLASS } from './data-table'

/** Every action the API records, with what people read; the Record type makes a new action a type error here. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'agency.created': 'Agency created',
  'auth.login': 'Logged in',
  'auth.login_failed': 'Failed login',
  'auth.login_throttled': 'Login throttled',
  'auth.logout_everywhere': 'Logged out everywhere',
  'auth.password_reset_requested': 'Password reset requested',
  'auth.password_reset': 'Password reset',
  'team.invited': 'Invited',
  'team.invite_revoked': 'Invite revoked',
  'team.invite_accepted': 'Invite accepted',
  'team.role_changed': 'Role changed',
  'team.member_removed': 'Member removed',
  'account.connected': 'Account connected',
  'account.reconnected': 'Account reconnected',
  'account.disconnected': 'Account disconnected',
  'account.needs_reauth': 'Account needs reconnecting',
  'plan.changed': 'Plan changed',
  'ai.settings_changed': 'AI settings changed',
  'ai.batch_started': 'AI batch started',
  'ai.batch_cancelled': 'AI batch cancelled',
  'approval.policy_changed': 'Approval policy changed',
  'review_link.created': 'Client review link created',
  'review_link.revoked': 'Client review link revoked',
  'review_link.decision': 'Client decided through a review link',
  'post.scheduled': 'Post scheduled',
  'post.rescheduled': 'Post rescheduled',
  'post.cancelled': 'Post cancelled',
  'post.verified': 'Post verified on the platform',
  'sandbox.fault_injected': 'Sandbox fault injected',
  'sandbox.faults_cleared': 'Sandbox faults cleared',
}

const actionLabel = (action: string) => AUDIT_ACTION_LABELS[action as AuditAction] ?? action

function actionTone(action: string): BadgeTone {
  if (action === 'auth.login_failed' || action === 'auth.login_throttled' || action === 'account.needs_reauth') return 'red'
  if (action.startsWith('team.') || action === 'plan.changed') return 'sky'
  if (action.startsWith('account.')) return 'amber'
  return 'slate'
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

/** "from → to" first when both are there (role and plan changes), then the other fields as "name: value". */
function AuditDetail({ detail }: { detail: object }) {
  const { from, to, ...rest } = detail as Record<string, unknown>
  const parts = Object.entries(rest).map(([key, value]) => `${key}: ${formatValue(value)}`)
  if (from === undefined && to === undefined && parts.length === 0) return <span className="text-slate-400">—</span>
  return (
    <span className="text-slate-600">
      {(from !== undefined || to !== undefined) && (
        <span className="font-medium text-slate-800">
          {formatValue(from)} → {formatValue(to)}
          {parts.length > 0 && ' · '}
        </span>
      )}
      {parts.join(' · ')}
    </span>
  )
}

export function AuditTable({ events }: { events: AuditEventDto[] }) {
  if (events.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500" data-testid="audit-empty">
        No events recorded yet.
      </p>
    )
  }
  return (
    <div className={TABLE_CARD_CLASS}>
      <DataTable headers={['When', 'Who', 'Action', 'Target', 'Detail', 'Address']}>
        {events.map((event) => (
          <tr key={event.id} className="align-top" data-testid="audit-row" data-action={event.action}>
            <td className="px-4 py-3 whitespace-nowrap text-slate-600">
              <LocalTime iso={event.createdAt} precision="second" />
            </td>
            <td className="px-4 py-3 font-medium text-slate-900">{event.actor}</td>
            <td className="px-4 py-3">
              <Badge tone={actionTone(event.action)} title={event.action}>
                {actionLabel(event.action)}
              </Badge>
            </td>
            <td className="px-4 py-3 text-slate-600">
              {event.target ? (
                <span title={event.target.id}>
                  {event.target.type} <code className="font-mono text-xs">{event.target.id.slice(0, 8)}</code>
                </span>
              ) : (
                '—'
              )}
            </td>
            <td className="px-4 py-3">
              <AuditDetail detail={event.detail} />
            </td>
            <td className="px-4 py-3 font-mono text-xs text-slate-500">{event.ip ?? '—'}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  )
}
