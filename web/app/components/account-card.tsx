import { Form, useNavigation } from 'react-router'
import type { SocialAccount } from '../../../api/schemas/creator.ts'
import { AccountStatusBadge } from './account-status-badge'
import { Badge } from './badge'
import { Button } from './button'
import { ConnectButton } from './creator-connect-buttons'
import { CsrfField } from './csrf-field'
import { LocalTime } from './local-time'

/** One connected account: status, expiry, scopes, and what can be done with it. */
export function AccountCard({ account, canManage }: { account: SocialAccount; canManage: boolean }) {
  const navigation = useNavigation()
  const disconnecting = navigation.state === 'submitting' && navigation.formData?.get('accountId') === account.id
  const provider = account.platform === 'tiktok' ? 'tiktok' : 'meta'
  return (
    <li className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="account-card" data-account-id={account.id} data-platform={account.platform}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="truncate font-medium text-slate-900" data-testid="account-handle">
              {account.platform === 'facebook' ? account.handle : `@${account.handle}`}
            </span>
            <AccountStatusBadge status={account.status} />
            {account.sandbox && (
              <Badge tone="sky" tooltip="Connected through the local sandbox stand-in, not the real platform." data-testid="account-sandbox">
                Sandbox
              </Badge>
            )}
          </div>
          <p className="text-xs text-slate-500">
            id <code className="font-mono">{account.externalId}</code>
          </p>
        </div>
        {canManage && (
          <div className="flex items-center gap-2">
            {account.status !== 'active' && <ConnectButton creatorId={account.creatorId} provider={provider} label="Reconnect" variant={account.status === 'needs_reauth' ? 'primary' : 'secondary'} />}
            {account.status !== 'disconnected' && (
              <Form method="post">
                <CsrfField />
                <input type="hidden" name="intent" value="disconnect" />
                <input type="hidden" name="accountId" value={account.id} />
                <Button type="submit" variant="secondary" disabled={disconnecting} data-testid="disconnect-account">
                  {disconnecting ? 'Disconnecting…' : 'Disconnect'}
                </Button>
              </Form>
            )}
          </div>
        )}
      </div>
      {account.statusReason && account.status !== 'active' && (
        <p className={`mt-3 rounded-md px-3 py-2 text-sm ${account.status === 'needs_reauth' ? 'bg-amber-50 text-amber-900' : 'bg-slate-50 text-slate-600'}`} data-testid="account-reason">
          {account.statusReason}
        </p>
      )}
      <dl className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        <div className="flex gap-2">
          <dt className="text-slate-500">Access expires</dt>
          <dd className="text-slate-700" data-testid="account-expiry">
            {account.tokenExpiresAt ? <LocalTime iso={account.tokenExpiresAt} /> : '—'}
          </dd>
        </div>
        <div className="flex gap-2">
          <dt className="text-slate-500">Last refreshed</dt>
          <dd className="text-slate-700">{account.lastRefreshedAt ? <LocalTime iso={account.lastRefreshedAt} /> : 'not yet'}</dd>
        </div>
      </dl>
      {account.scopes.length > 0 && (
        <ul className="mt-3 flex flex-wrap gap-1" aria-label="Scopes">
          {account.scopes.map((scope) => (
            <li key={scope} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-600">
              {scope}
            </li>
          ))}
        </ul>
      )}
    </li>
  )
}
