import { redirect } from 'react-router'
import type { Route } from './+types/home'
import { requireUser } from '~/lib/session.server'

// The first page a role can use: campaigns for the agency's staff, workspaces or creators for the others.
const LANDING = [
  ['campaign.read', '/campaigns'],
  ['workspace.read', '/workspaces'],
  ['creator.read', '/creators'],
] as const

export async function loader({ request, url }: Route.LoaderArgs) {
  const user = await requireUser({ request, url })
  const landing = LANDING.find(([permission]) => user.permissions.includes(permission))
  return redirect(landing ? landing[1] : '/settings/security')
}
