import { Form, Link } from 'react-router'
import type { PlatformMeta, User } from '~/lib/api.server'
import { Button } from './button'
import { IntegrationBadges } from './integration-badges'

export function TopBar({ user, integrations }: { user: User; integrations: PlatformMeta['integrations'] }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-6">
        <Link to="/campaigns" className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="size-2.5 rounded-full bg-emerald-500 ring-4 ring-emerald-100" />
          Greenlight
        </Link>
        <span aria-hidden className="text-slate-300">
          /
        </span>
        <span className="text-sm font-medium text-slate-700" data-testid="agency-name">
          {user.agency.name}
        </span>
        <div className="ml-2 flex items-center gap-2">
          <IntegrationBadges integrations={integrations} />
        </div>
        <div className="ml-auto flex items-center gap-3">
          <span className="text-sm text-slate-600" title={user.email}>
            {user.name}
          </span>
          <Form method="post" action="/logout">
            <Button type="submit" variant="secondary" data-testid="logout">
              Log out
            </Button>
          </Form>
        </div>
      </div>
    </header>
  )
}
