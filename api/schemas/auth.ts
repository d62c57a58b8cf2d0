import { Type } from '@fastify/type-provider-typebox'

export const User = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    name: Type.String(),
    role: Type.String(),
    agency: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
  },
  { $id: 'User' },
)

export const LoginBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
)
