import { useRouteLoaderData } from 'react-router'
import type { User } from './api.server'

/** Whether the signed-in user's role allows a permission (from the signed-in layout's user). */
export function useCan(permission: User['permissions'][number]): boolean {
  const data = useRouteLoaderData('routes/signed-in') as { user: User } | undefined
  return data?.user.permissions.includes(permission) ?? false
}
