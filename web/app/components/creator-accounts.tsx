import type { SocialAccount } from '../../../api/schemas/creator.ts'
import { AccountCard } from './account-card'

const PLATFORMS: { platform: SocialAccount['platform']; label: string }[] = [
  { platform: 'instagram', label: 'Instagram' },
  { platform: 'facebook', label: 'Facebook Pages' },
  { platform: 'tiktok', label: 'TikTok' },
]

/** A creator's accounts grouped by platform. */
export function CreatorAccounts({ accounts, canManage }: { accounts: SocialAccount[]; canManage: boolean }) {
  if (accounts.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500" data-testid="no-accounts">
        No accounts connected yet.
      </p>
    )
  }
  return (
    <div className="space-y-6">
      {PLATFORMS.map(({ platform, label }) => {
        const group = accounts.filter((account) => account.platform === platform)
        if (group.length === 0) return null
        return (
          <section key={platform} aria-labelledby={`accounts-${platform}`} data-testid={`accounts-${platform}`}>
            <h3 id={`accounts-${platform}`} className="text-sm font-semibold tracking-wide text-slate-500 uppercase">
              {label} <span className="font-normal text-slate-400">({group.length})</span>
            </h3>
            <ul className="mt-2 grid gap-3 lg:grid-cols-2">
              {group.map((account) => (
                <AccountCard key={account.id} account={account} canManage={canManage} />
              ))}
            </ul>
          </section>
        )
      })}
    </div>
  )
}
