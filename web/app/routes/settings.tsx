import { NavLink, Outlet } from 'react-router'
import type { Route } from './+types/settings'
import { ErrorPanel } from '~/components/error-panel'
import type { User } from '~/lib/api.server'
import { useRouteLoaderData } from 'react-router'

const TABS = [
  { to: 'team', label: 'Team', permission: 'team.read' },
  { to: 'plan', label: 'Plan & usage', permission: 'plan.read' },
  { to: 'ai', label: 'AI', permission: 'ai.configure' },
  { to: 'audit', label: 'Audit log', permission: 'audit.read' },
  { to: 'outbox', label: 'Outbox', permission: 'outbox.read' },
  { to: 'sandbox', label: 'Sandbox', permission: 'sandbox.control' },
  { to: 'security', label: 'Security', permission: 'profile.use' },
] as const

export function meta() {
  return [{ title: 'Settings · Greenlight' }]
}

/** Agency settings: one tab per area, shown only when the user's role may open it. */
export default function Settings() {
  const data = useRouteLoaderData('routes/signed-in') as { user: User } | undefined
  const allowed = new Set<string>(data?.user.permissions ?? [])
  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <nav className="mt-4 flex gap-1 border-b border-slate-200" aria-label="Settings">
        {TABS.filter((tab) => allowed.has(tab.permission)).map((tab) => (
          <NavLink
            key={tab.to}
            to={tab.to}
            className={({ isActive }) =>
              `-mb-px border-b-2 px-3 py-2 text-sm font-medium ${isActive ? 'border-emerald-600 text-emerald-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`
            }
          >
            {tab.label}
          </NavLink>
        ))}
      </nav>
      <div className="mt-6">
        <Outlet />
      </div>
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
