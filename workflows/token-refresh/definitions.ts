// The token-refresh workflow's contract, shared by the workflow, its activities and the API that starts and
// signals it. One run per social account: `token-refresh:<socialAccountId>`.
import { defineQuery, defineSignal } from '@temporalio/workflow'
import type { AccountStatus } from '../../domain/social-accounts'
import type { SocialPlatform } from '../../domain/brand-kit'

export { AgencyIdAttribute } from '../campaign/definitions'

export const TOKEN_REFRESH_WORKFLOW_TYPE = 'tokenRefreshWorkflow'

/**
 * The failure type of a refresh the platform refused for good (token revoked or expired, app removed,
 * password changed): retrying cannot help, the owner has to reconnect.
 */
export const REAUTH_REQUIRED_FAILURE = 'ReauthRequired'
/** The failure type of a refresh that may work later (platform down, rate limited, network). */
export const REFRESH_UNAVAILABLE_FAILURE = 'RefreshUnavailable'

/**
 * The shortest time between two refreshes of one account. A platform that answers with a token already inside
 * the refresh lead (a short-lived token, a clock off by hours) would otherwise be asked again at once, in a
 * tight loop; this keeps it to a few calls an hour while the token keeps working.
 */
export const MIN_REFRESH_INTERVAL_MS = 15 * 60 * 1000

/**
 * While an account waits for a reconnect, the row is read again this often: a reconnect whose signal never
 * arrived (signalWithStart failed, and the API's sweep skips running workflows) is picked up this way.
 */
export const REAUTH_RECHECK_MS = 6 * 60 * 60 * 1000

/** The patch that gave the wait for a reconnect its periodic re-read (runs started earlier wait without it). */
export const REAUTH_RECHECK_PATCH = 'token-refresh-reauth-recheck'

export interface TokenRefreshWorkflowInput {
  socialAccountId: string
  agencyId: string
}

/** What the workflow needs to know about its account, read fresh from PostgreSQL at every turn. */
export interface AccountForRefresh {
  platform: SocialPlatform
  status: AccountStatus
  handle: string
  tokenExpiresAt: string | null
  /**
   * Identifies the stored tokens (a digest of the ciphertext, never the token). A refresh or a needs-re-auth
   * mark applies only while the tokens are still these, so a reconnect that lands meanwhile is never undone.
   */
  tokensFingerprint: string | null
  /**
   * The last successful refresh, which sets the earliest next one (MIN_REFRESH_INTERVAL_MS). Absent from
   * results recorded before it existed.
   */
  lastRefreshedAt?: string | null
}

export type RefreshOutcome =
  | { outcome: 'refreshed'; tokenExpiresAt: string }
  /** The account changed under the refresh (disconnected, reconnected, deleted): nothing was written. */
  | { outcome: 'skipped'; reason: string }

export type TokenRefreshPhase = 'reading' | 'waiting' | 'refreshing' | 'retrying_later' | 'awaiting_reauth' | 'finished'

export interface TokenRefreshState {
  phase: TokenRefreshPhase
  /** When the next refresh (or retry) is due; null while nothing is scheduled. */
  nextRefreshAt: string | null
  /** Successful refreshes in this run. */
  refreshes: number
  lastError: string | null
}

export interface TokenRefreshResult {
  /** disconnected: told to stop; inactive: the account is not active or has no expiry; deleted: no row. */
  outcome: 'disconnected' | 'inactive' | 'deleted'
  refreshes: number
}

/** Who replaced the tokens or disconnected, for the run's history in Temporal Web. */
export interface AccountActor {
  by: string
}

/** New tokens are stored (a reconnect): re-read the account and re-arm the timer, also out of "needs re-auth". */
export const tokensReplacedSignal = defineSignal<[AccountActor]>('tokensReplaced')
/** The account was disconnected: stop. */
export const disconnectSignal = defineSignal<[AccountActor]>('disconnect')
export const tokenRefreshStateQuery = defineQuery<TokenRefreshState>('tokenRefreshState')

const PREFIX = 'token-refresh:'

export function tokenRefreshWorkflowId(socialAccountId: string): string {
  return `${PREFIX}${socialAccountId}`
}

export function socialAccountIdFromWorkflowId(workflowId: string): string | null {
  return workflowId.startsWith(PREFIX) ? workflowId.slice(PREFIX.length) : null
}
