import { Form } from 'react-router'
import type { PendingInvite } from '../../../api/schemas/team.ts'
import { ROLE_LABELS, type Role } from '../../../domain/permissions.ts'
import { Badge } from './badge'
import { CsrfField } from './csrf-field'
import { LocalTime } from './local-time'

interface TeamPendingInvitesProps {
  invites: PendingInvite[]
  /** Roles whose invitations the viewer may revoke (the ones they may give); empty without team.invite. */
  revocableRoles: Role[]
}

export function TeamPendingInvites({ invites, revocableRoles }: TeamPendingInvitesProps) {
  return (
    <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-labelledby="invites-heading" data-testid="pending-invites">
      <h2 id="invites-heading" className="text-base font-semibold">
        Pending invites <span className="font-normal text-slate-500">({invites.length})</span>
      </h2>
      {invites.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">Nobody is waiting to join.</p>
      ) : (
        <ul className="mt-3 divide-y divide-slate-100">
          {invites.map((invite) => (
            <li key={invite.id} className="flex flex-wrap items-center gap-3 py-3 text-sm" data-testid="pending-invite" data-invite-email={invite.email}>
              <span className="font-medium text-slate-900">{invite.email}</span>
              <Badge tone="sky">{ROLE_LABELS[invite.role]}</Badge>
              <span className="text-slate-500">
                {invite.invitedBy ? `invited by ${invite.invitedBy}, ` : ''}expires <LocalTime iso={invite.expiresAt} />
              </span>
              {revocableRoles.includes(invite.role) && (
                <Form method="post" className="ml-auto">
                  <CsrfField />
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="inviteId" value={invite.id} />
                  <input type="hidden" name="inviteEmail" value={invite.email} />
                  <button type="submit" className="text-sm font-semibold text-red-600 hover:text-red-500" data-testid="invite-revoke">
                    Revoke
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
