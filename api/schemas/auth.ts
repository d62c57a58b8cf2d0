import { Type } from '@fastify/type-provider-typebox'
import { PERMISSIONS, ROLES, type Permission, type Role } from '../../domain/permissions'
import { PLANS, type PlanId } from '../../domain/plans'

export const RoleSchema = Type.Unsafe<Role>(Type.String({ enum: [...ROLES], description: 'A team role' }))
export const PlanIdSchema = Type.Unsafe<PlanId>(Type.String({ enum: [...PLANS] }))
export const PermissionSchema = Type.Unsafe<Permission>(Type.String({ enum: [...PERMISSIONS] }))

export const User = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    agency: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String(), plan: PlanIdSchema }),
    /** What this user's role allows, for the UI to show only what will work. */
    permissions: Type.Array(PermissionSchema),
    /** Send back in x-csrf-token with every change made with the session cookie. */
    csrfToken: Type.String(),
  },
  { $id: 'User' },
)

export const Email = Type.String({ format: 'email', maxLength: 320 })
/** New passwords: long enough to matter, short enough that hashing cannot be abused. */
export const NewPassword = Type.String({ minLength: 10, maxLength: 200, description: '10 to 200 characters' })
export const PersonName = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' })

export const LoginBody = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
)

export const SignupBody = Type.Object(
  {
    agencyName: Type.String({ minLength: 2, maxLength: 120, pattern: '\\S' }),
    name: PersonName,
    email: Email,
    password: NewPassword,
  },
  { additionalProperties: false },
)

export const PasswordResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false })

export const PasswordResetConfirmBody = Type.Object(
  { token: Type.String({ minLength: 20, maxLength: 200 }), password: NewPassword },
  { additionalProperties: false },
)
