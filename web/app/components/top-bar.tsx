import { Form, Link, NavLink } from 'react-router'
import type { PlatformMeta, User } from '~/lib/api.server'
import { Button } from './button'
import { CsrfField } from './csrf-field'
import { IntegrationBadges } from './integration-badges'

const NAV = [
  // A creator's own cards across campaigns (the board's creator view).
  { to: '/my-cards', label: 'My cards', permission: 'card.read', role: 'creator' },
  { to: '/campaigns', label: 'Campaigns', permission: 'campaign.read' },
  { to: '/ai/batches', label: 'AI drafts', permission: 'campaign.read' },
  { to: '/workspaces', label: 'Workspaces', permission: 'workspace.read' },
  { to: '/creators', label: 'Creators', permission: 'creator.read' },
  { to: '/settings', label: 'Settings', permission: 'profile.use' },
] as const

export function TopBar({ user, integrations }: { user: User; integrations: PlatformMeta['integrations'] }) {
  const allowed = new Set<string>(user.permissions)
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="flex h-14 items-center gap-3 px-6">
        <Link to="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="size-2.5 rounded-full bg-emerald-500 ring-4 ring-emerald-100" />
          Greenlight
        </Link>
        <span aria-hidden className="text-slate-300">
          /
        </span>
        <span className="max-w-48 truncate text-sm font-medium whitespace-nowrap text-slate-700" title={user.agency.name} data-testid="agency-name">
          {user.agency.name}
        </span>
        <nav className="ml-4 flex items-center gap-1" aria-label="Main">
          {NAV.filter((item) => allowed.has(item.permission) && (!('role' in item) || item.role === user.role)).map((item) => (
            <NavLink
              key={item.to}
              to={item.to}
              className={({ isActive }) =>
                `rounded-md px-2.5 py-1.5 text-sm font-medium ${isActive ? 'bg-slate-100 text-slate-900' : 'text-slate-600 hover:text-slate-900'}`
              }
            >
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="ml-2 hidden shrink-0 items-center gap-2 lg:flex">
          <IntegrationBadges integrations={integrations} />
        </div>
        <div className="ml-auto flex items-center gap-3">
          <Link to="/notifications" className="text-sm whitespace-nowrap text-slate-600 hover:text-slate-900" data-testid="notifications-link">
            Notifications
          </Link>
          <span className="text-sm whitespace-nowrap text-slate-600" title={`${user.email} · ${user.role.replace('_', ' ')}`}>
            {user.name}
          </span>
          <Form method="post" action="/logout">
            <CsrfField />
            <Button type="submit" variant="secondary" className="whitespace-nowrap" data-testid="logout">
              Log out
            </Button>
          </Form>
        </div>
      </div>
    </header>
  )
}
