import { Form, useNavigation } from 'react-router'
import type { TeamMember } from '../../../api/schemas/team.ts'
import { ROLE_LABELS, type Role } from '../../../domain/permissions.ts'
import { Badge } from './badge'
import { Button } from './button'
import { CsrfField } from './csrf-field'
import { LocalTime } from './local-time'
import { DataTable } from './data-table'

interface TeamMembersTableProps {
  members: TeamMember[]
  currentUserId: string
  /** Roles the viewer may give; empty when they may not manage the team. */
  assignableRoles: Role[]
  canManage: boolean
}

/**
 * Members with their roles. Where the viewer may change someone (team.manage, and the member's role is one
 * they may give), the row has a role select and a remove button; nobody gets controls over themselves.
 */
export function TeamMembersTable({ members, currentUserId, assignableRoles, canManage }: TeamMembersTableProps) {
  const navigation = useNavigation()
  const busyWith = navigation.state === 'submitting' ? navigation.formData?.get('memberId') : null
  return (
    <section className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200" aria-labelledby="members-heading">
      <h2 id="members-heading" className="px-5 pt-4 text-base font-semibold">
        Members <span className="font-normal text-slate-500">({members.length})</span>
      </h2>
      <DataTable headers={canManage ? ['Name', 'Role', 'Joined', { label: 'Actions', hidden: true }] : ['Name', 'Role', 'Joined']} cellPadding="px-5" className="mt-3">
        {members.map((member) => {
          const self = member.id === currentUserId
          const manageable = canManage && !self && assignableRoles.includes(member.role)
          const busy = busyWith === member.id
          return (
            <tr key={member.id} data-testid="team-member-row" data-member-email={member.email}>
              <td className="px-5 py-3">
                <p className="font-medium text-slate-900">
                  {member.name} {self && <span className="font-normal text-slate-500">(you)</span>}
                </p>
                <p className="text-slate-500">{member.email}</p>
              </td>
              <td className="px-5 py-3">
                {manageable ? (
                  // Keyed by role, so the select shows the saved role again after a change.
                  <Form method="post" className="flex items-center gap-2" key={`${member.id}:${member.role}`}>
                    <CsrfField />
                    <input type="hidden" name="intent" value="change-role" />
                    <input type="hidden" name="memberId" value={member.id} />
                    <label className="sr-only" htmlFor={`role-${member.id}`}>
                      Role of {member.name}
                    </label>
                    <select
                      id={`role-${member.id}`}
                      name="role"
                      defaultValue={member.role}
                      className="rounded-md border-0 py-1.5 pr-8 pl-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-emerald-600"
                      data-testid="member-role-select"
                    >
                      {assignableRoles.map((role) => (
                        <option key={role} value={role}>
                          {ROLE_LABELS[role]}
                        </option>
                      ))}
                    </select>
                    <Button type="submit" variant="secondary" disabled={busy} data-testid="member-role-save">
                      Change
                    </Button>
                  </Form>
                ) : (
                  <Badge tone={member.role === 'owner' ? 'emerald' : 'slate'}>{ROLE_LABELS[member.role]}</Badge>
                )}
              </td>
              <td className="px-5 py-3 text-slate-600">
                <LocalTime iso={member.createdAt} />
              </td>
              {canManage && (
                <td className="px-5 py-3 text-right">
                  {manageable && (
                    <Form method="post">
                      <CsrfField />
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="memberId" value={member.id} />
                      <input type="hidden" name="memberName" value={member.name} />
                      <button
                        type="submit"
                        disabled={busy}
                        className="text-sm font-semibold text-red-600 hover:text-red-500 disabled:opacity-60"
                        onClick={(event) => {
                          if (!window.confirm(`Remove ${member.name} from the agency? Their account and sessions end.`)) event.preventDefault()
                        }}
                        data-testid="member-remove"
                      >
                        Remove
                      </button>
                    </Form>
                  )}
                </td>
              )}
            </tr>
          )
        })}
      </DataTable>
    </section>
  )
}
