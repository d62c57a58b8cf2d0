import { redirect } from 'react-router'
import type { Route } from './+types/settings-index'
import { requireUser } from '~/lib/session.server'

// The first settings tab the user's role may open (every role has Security).
const TABS = [
  ['team.read', '/settings/team'],
  ['plan.read', '/settings/plan'],
  ['audit.read', '/settings/audit'],
] as const

export async function loader({ request, url }: Route.LoaderArgs) {
  const user = await requireUser({ request, url })
  const tab = TABS.find(([permission]) => user.permissions.includes(permission))
  return redirect(tab ? tab[1] : '/settings/security')
}
