// Team members, invites and accepting an invite.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { Email, NewPassword, PersonName, RoleSchema } from './auth'

export const TeamMember = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  email: Type.String(),
  role: RoleSchema,
  createdAt: Type.String({ format: 'date-time' }),
})
export type TeamMember = Static<typeof TeamMember>

export const PendingInvite = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  role: RoleSchema,
  expiresAt: Type.String({ format: 'date-time' }),
  invitedBy: Type.Union([Type.String(), Type.Null()], { description: 'Name of the member who invited; null once they left' }),
  createdAt: Type.String({ format: 'date-time' }),
})
export type PendingInvite = Static<typeof PendingInvite>

export const TeamResponse = Type.Object({
  members: Type.Array(TeamMember),
  invites: Type.Array(PendingInvite, { description: 'Invites neither accepted, revoked nor expired, newest first' }),
  assignableRoles: Type.Array(RoleSchema, { description: 'Roles the signed-in user may give by invite or role change' }),
})
export type TeamResponse = Static<typeof TeamResponse>

export const CreateInviteBody = Type.Object({ email: Email, role: RoleSchema }, { additionalProperties: false })

export const InviteCreated = Type.Object({
  invite: PendingInvite,
  emailStatus: Type.Union([Type.Literal('outbox'), Type.Literal('sent'), Type.Literal('failed')], {
    description: 'outbox: no mail server is configured, the e-mail waits in the outbox; failed: the mail server refused it',
  }),
})
export type InviteCreated = Static<typeof InviteCreated>

export const ChangeRoleBody = Type.Object({ role: RoleSchema }, { additionalProperties: false })

export const InviteTokenParams = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
)

export const InvitePreview = Type.Object({
  agencyName: Type.String(),
  email: Type.String(),
  role: RoleSchema,
  expiresAt: Type.String({ format: 'date-time' }),
})
export type InvitePreview = Static<typeof InvitePreview>

export const AcceptInviteBody = Type.Object({ name: PersonName, password: NewPassword }, { additionalProperties: false })
