// Connected social accounts: their states and when their tokens are refreshed.
import type { SocialPlatform } from './brand-kit'
import type { Role } from './permissions'

export const ACCOUNT_STATUSES = ['active', 'needs_reauth', 'disconnected'] as const
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number]

/**
 * How long before expiry a token is refreshed. TikTok access tokens live 24 h, so refresh an hour ahead;
 * Meta long-lived user tokens live ~60 days, so refresh a week ahead, which leaves days to retry and to
 * ask the owner to reconnect.
 */
export function refreshLeadMs(platform: SocialPlatform): number {
  return platform === 'tiktok' ? 60 * 60 * 1000 : 7 * 24 * 60 * 60 * 1000
}

/** When to refresh a token expiring at `expiresAt`: `lead` before it, but never in the past. */
export function refreshDueAt(platform: SocialPlatform, expiresAt: Date, now: Date): Date {
  const due = expiresAt.getTime() - refreshLeadMs(platform)
  return new Date(Math.max(due, now.getTime()))
}

/** Only accounts in these states count against the plan's connected-accounts limit. */
export const COUNTED_ACCOUNT_STATUSES: AccountStatus[] = ['active', 'needs_reauth']

/**
 * Who hears that an account needs reconnecting when neither the member who connected it nor the creator's
 * linked user is still in the agency: someone must.
 */
export const REAUTH_FALLBACK_ROLES: Role[] = ['owner', 'manager']
