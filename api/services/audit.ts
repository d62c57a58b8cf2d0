// The audit log of security-relevant actions (logins, failed logins, role changes, invites, account
// connections, plan changes). Owners read it in Settings → Audit log.
import type { Prisma } from '../../generated/prisma/client'
import type { Database } from '../../platform/database'
import type { TenantDatabase } from '../../platform/tenant-scope'

export const AUDIT_ACTIONS = [
  'agency.created',
  'auth.login',
  'auth.login_failed',
  'auth.login_throttled',
  'auth.logout_everywhere',
  'auth.password_reset_requested',
  'auth.password_reset',
  'team.invited',
  'team.invite_revoked',
  'team.invite_accepted',
  'team.role_changed',
  'team.member_removed',
  'account.connected',
  'account.reconnected',
  'account.disconnected',
  'account.needs_reauth',
  'plan.changed',
  'ai.settings_changed',
  'ai.batch_started',
  'ai.batch_cancelled',
  'approval.policy_changed',
  'review_link.created',
  'review_link.revoked',
  'review_link.decision',
  'post.scheduled',
  'post.rescheduled',
  'post.cancelled',
  'post.verified',
  'sandbox.fault_injected',
  'sandbox.faults_cleared',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export interface AuditEntry {
  agencyId: string
  action: AuditAction
  /**
   * Who acted: a user, someone without an account (id null: a review link's client, named by the label and the
   * detail), or null for the system (a workflow, the sweep).
   */
  actor: { id: string | null; name: string } | null
  target?: { type: string; id: string }
  detail?: Prisma.InputJsonObject
  ip?: string
}

/** Writes one audit event. `db` may be a transaction, so the event commits with what it records. */
export async function recordAudit(db: Database | TenantDatabase | Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await (db as Database).auditEvent.create({
    data: {
      agencyId: entry.agencyId,
      actorUserId: entry.actor?.id ?? null,
      actorLabel: entry.actor?.name ?? 'Greenlight',
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      detail: entry.detail ?? {},
      ip: entry.ip ?? null,
    },
  })
}
