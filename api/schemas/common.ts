import { Type, type Static } from '@fastify/type-provider-typebox'

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable, machine-readable error code, e.g. VALIDATION_FAILED' }),
      message: Type.String(),
      details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    }),
    requestId: Type.String(),
  },
  { $id: 'ErrorBody', description: 'Every 4xx and 5xx answer has this shape.' },
)
export type ErrorBody = Static<typeof ErrorBody>

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, Type.Ref('ErrorBody')]))

/** One of a list of strings, typed as their union (a string schema with `enum`). */
export const literals = <const T extends string>(values: readonly T[]) => Type.Unsafe<T>(Type.String({ enum: [...values] }))

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false })
