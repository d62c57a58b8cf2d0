import { data, useRouteLoaderData } from 'react-router'
import type { Route } from './+types/settings-team'
import type { InviteCreated, TeamMember, TeamResponse } from '../../../api/schemas/team.ts'
import { ROLE_LABELS, isRole } from '../../../domain/permissions.ts'
import { ErrorPanel } from '~/components/error-panel'
import { FormError } from '~/components/form-error'
import { INVITE_FIELDS, TeamInviteForm, type InviteFormErrors } from '~/components/team-invite-form'
import { TeamMembersTable } from '~/components/team-members-table'
import { TeamPendingInvites } from '~/components/team-pending-invites'
import { ApiError, formErrorsFrom, rethrowAsRouteError, type User } from '~/lib/api.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'Team · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  const response = await callApiAsUser<TeamResponse>({ request, url }, '/api/team').catch(rethrowAsRouteError)
  return response.data
}

type TeamActionResult =
  | { intent: 'invite'; inviteErrors: InviteFormErrors; inviteValues: { email: string; role: string } }
  | { intent: 'invite'; notice: string; inviteId: string }
  | { intent: 'revoke' | 'change-role' | 'remove' | 'unknown'; error?: string; notice?: string }

function inviteNotice(email: string, emailStatus: InviteCreated['emailStatus']): string {
  if (emailStatus === 'sent') return `Invitation sent to ${email}.`
  if (emailStatus === 'failed') return `The invitation for ${email} was created, but the mail server refused the e-mail: see Settings → Outbox, then revoke it and invite again.`
  return `Invitation for ${email} created. No mail server is configured, so the e-mail waits in Settings → Outbox.`
}

export async function action({ request, url }: Route.ActionArgs) {
  const form = await request.formData()
  const csrf = form.get(CSRF_FIELD)
  const intent = String(form.get('intent') ?? '')
  const args = { request, url }

  if (intent === 'invite') {
    const inviteValues = { email: String(form.get('email') ?? '').trim(), role: String(form.get('role') ?? '') }
    const inviteErrors: InviteFormErrors = {}
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(inviteValues.email)) inviteErrors.email = 'Enter the e-mail address to invite.'
    if (!isRole(inviteValues.role)) inviteErrors.role = 'Choose a role.'
    if (Object.keys(inviteErrors).length > 0) return data<TeamActionResult>({ intent, inviteErrors, inviteValues }, { status: 400 })
    try {
      const { data: created } = await callApiAsUser<InviteCreated>(args, '/api/team/invites', { method: 'POST', body: inviteValues, csrf })
      return data<TeamActionResult>({ intent, notice: inviteNotice(created.invite.email, created.emailStatus), inviteId: created.invite.id })
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      // EMAIL_TAKEN, PLAN_LIMIT_REACHED, ROLE_NOT_ASSIGNABLE…: next to the form, which keeps its input.
      const inviteErrors = error.status === 400 ? formErrorsFrom(error, INVITE_FIELDS) : { form: error.message }
      return data<TeamActionResult>({ intent, inviteErrors, inviteValues }, { status: error.status })
    }
  }

  try {
    if (intent === 'revoke') {
      const id = String(form.get('inviteId') ?? '')
      await callApiAsUser(args, `/api/team/invites/${encodeURIComponent(id)}`, { method: 'DELETE', csrf })
      return data<TeamActionResult>({ intent, notice: `Invitation for ${String(form.get('inviteEmail') ?? 'them')} revoked; its link no longer works.` })
    }
    if (intent === 'change-role') {
      const id = String(form.get('memberId') ?? '')
      const role = String(form.get('role') ?? '')
      if (!isRole(role)) return data<TeamActionResult>({ intent, error: 'Choose a role.' }, { status: 400 })
      const { data: changed } = await callApiAsUser<{ member: TeamMember }>(args, `/api/team/members/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: { role },
        csrf,
      })
      return data<TeamActionResult>({ intent, notice: `${changed.member.name} is now ${ROLE_LABELS[changed.member.role]}.` })
    }
    if (intent === 'remove') {
      const id = String(form.get('memberId') ?? '')
      await callApiAsUser(args, `/api/team/members/${encodeURIComponent(id)}`, { method: 'DELETE', csrf })
      return data<TeamActionResult>({ intent, notice: `${String(form.get('memberName') ?? 'The member')} was removed from the agency.` })
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    // LAST_OWNER, ROLE_NOT_ASSIGNABLE, CANNOT_CHANGE_OWN_ROLE, NOT_FOUND: the API's sentence above the lists.
    return data<TeamActionResult>({ intent: intent as 'revoke', error: error.message }, { status: error.status })
  }
  return data<TeamActionResult>({ intent: 'unknown', error: 'Choose what to do: invite, revoke, change a role or remove a member.' }, { status: 400 })
}

export default function SettingsTeam({ loaderData, actionData }: Route.ComponentProps) {
  const { user } = useRouteLoaderData('routes/signed-in') as { user: User }
  const allowed = new Set<string>(user.permissions)
  const canInvite = allowed.has('team.invite')
  const canManage = allowed.has('team.manage')
  const result = actionData as TeamActionResult | undefined
  const inviteFailed = result && 'inviteErrors' in result ? result : undefined
  const notice = result && 'notice' in result ? result.notice : undefined
  const error = result && 'error' in result ? result.error : undefined

  return (
    <div className="space-y-6">
      {notice && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="team-notice">
          {notice}
        </p>
      )}
      <FormError message={error} />
      {canInvite && loaderData.assignableRoles.length > 0 && (
        // A new key after each invitation remounts the form, which empties it.
        <TeamInviteForm
          key={result && 'inviteId' in result ? result.inviteId : 'new'}
          roles={loaderData.assignableRoles}
          values={inviteFailed?.inviteValues}
          errors={inviteFailed?.inviteErrors}
        />
      )}
      <TeamMembersTable members={loaderData.members} currentUserId={user.id} assignableRoles={loaderData.assignableRoles} canManage={canManage} />
      <TeamPendingInvites invites={loaderData.invites} revocableRoles={canInvite ? loaderData.assignableRoles : []} />
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
