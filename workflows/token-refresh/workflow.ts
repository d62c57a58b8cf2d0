// Keeps one social account's tokens fresh: sleep until shortly before they expire, refresh, repeat. When the
// platform refuses for good, the account is marked "needs re-auth", its owner is told, and the run waits
// for a reconnect (tokensReplaced) or a disconnect, reading the row again every few hours in case the
// reconnect's signal never came. The account row in PostgreSQL is the truth: every turn starts by reading it,
// so a lost signal costs at most a delay.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow'
import type * as activities from '../../activities/social-accounts'
import { refreshDueAt } from '../../domain/social-accounts'
import {
  MIN_REFRESH_INTERVAL_MS,
  REAUTH_RECHECK_MS,
  REAUTH_RECHECK_PATCH,
  REAUTH_REQUIRED_FAILURE,
  disconnectSignal,
  tokenRefreshStateQuery,
  tokensReplacedSignal,
  type TokenRefreshResult,
  type TokenRefreshState,
  type TokenRefreshWorkflowInput,
} from './definitions'

type SocialAccountActivities = ReturnType<typeof activities.createSocialAccountActivities>

// Database reads and writes are quick and idempotent: retry them for a long while.
const { readAccountForRefresh, markAccountNeedsReauth } = proxyActivities<SocialAccountActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
})

// The platform call: a few attempts with backoff for outages and rate limits; a refusal (revoked, expired)
// is non-retryable and ends the attempts at once.
const { refreshAccountTokens } = proxyActivities<SocialAccountActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '30 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [REAUTH_REQUIRED_FAILURE],
  },
})

/** After the attempts above ran out on a passing outage, try again this much later while the token still works. */
export const RETRY_LATER_MS = 30 * 60 * 1000
/** Refreshes per run before continue-as-new keeps the history short (TikTok refreshes daily). */
export const REFRESHES_PER_RUN = 30

/**
 * Waits for a reconnect (or a disconnect) of an account marked "needs re-auth". The signal is the quick way;
 * every REAUTH_RECHECK_MS the row is read again, so a reconnect whose signal was lost is found all the same.
 * Returns when signalled or when the row is no longer waiting (active again, disconnected, deleted): the
 * caller's next turn reads it and acts.
 */
async function awaitReconnect(socialAccountId: string, woken: () => boolean): Promise<void> {
  for (;;) {
    if (await condition(woken, REAUTH_RECHECK_MS)) return
    const account = await readAccountForRefresh({ socialAccountId })
    if (account?.status !== 'needs_reauth') return
    // Months without a reconnect make a long history: stop waiting, and the next turn ends the run as
    // inactive. The reconnect's signalWithStart, or else the API's sweep, starts a new one.
    if (workflowInfo().continueAsNewSuggested) return
  }
}

export async function tokenRefreshWorkflow(input: TokenRefreshWorkflowInput): Promise<TokenRefreshResult> {
  const { socialAccountId } = input
  let replacements = 0
  let disconnected = false
  const state: TokenRefreshState = { phase: 'reading', nextRefreshAt: null, refreshes: 0, lastError: null }

  setHandler(tokensReplacedSignal, () => {
    replacements += 1
  })
  setHandler(disconnectSignal, () => {
    disconnected = true
  })
  setHandler(tokenRefreshStateQuery, () => ({ ...state }))

  const finish = (outcome: TokenRefreshResult['outcome']): TokenRefreshResult => {
    state.phase = 'finished'
    state.nextRefreshAt = null
    return { outcome, refreshes: state.refreshes }
  }

  for (;;) {
    if (disconnected) return finish('disconnected')
    // Signals that land from here on wake the waits below; the account read next already reflects earlier ones.
    const seen = replacements
    const woken = () => disconnected || replacements !== seen
    state.phase = 'reading'
    const account = await readAccountForRefresh({ socialAccountId })
    if (!account) return finish('deleted')
    if (account.status !== 'active' || !account.tokenExpiresAt) return finish('inactive')

    const due = refreshDueAt(account.platform, new Date(account.tokenExpiresAt), new Date())
    // Never sooner than the minimum interval after the last refresh, even when the new token is already
    // inside the lead window.
    if (account.lastRefreshedAt) {
      const earliest = Date.parse(account.lastRefreshedAt) + MIN_REFRESH_INTERVAL_MS
      if (earliest > due.getTime()) due.setTime(earliest)
    }
    state.phase = 'waiting'
    state.nextRefreshAt = due.toISOString()
    if (await condition(woken, Math.max(due.getTime() - Date.now(), 1))) continue

    state.phase = 'refreshing'
    try {
      const result = await refreshAccountTokens.executeWithOptions(
        { summary: `Refresh ${account.platform} tokens of ${account.handle}` },
        [{ socialAccountId, tokensFingerprint: account.tokensFingerprint }],
      )
      if (result.outcome === 'refreshed') {
        state.refreshes += 1
        state.lastError = null
      }
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error
      const cause = error.cause
      const reason = cause?.message ?? error.message
      state.lastError = reason
      const refused = cause instanceof ApplicationFailure && cause.type === REAUTH_REQUIRED_FAILURE
      const stillValidLater = Date.now() + RETRY_LATER_MS < Date.parse(account.tokenExpiresAt)
      if (!refused && stillValidLater) {
        // An outage outlasted the attempts, but the token still works for a while: try again later.
        state.phase = 'retrying_later'
        state.nextRefreshAt = new Date(Date.now() + RETRY_LATER_MS).toISOString()
        await condition(woken, RETRY_LATER_MS)
        continue
      }
      // A reconnect that landed during the refresh wins: it is not marked.
      if (!woken()) {
        await markAccountNeedsReauth.executeWithOptions(
          { summary: `Mark ${account.platform} ${account.handle} as needing re-auth and notify its owner` },
          [{ socialAccountId, reason: refused ? reason : `The token expires before ${account.platform === 'tiktok' ? 'TikTok' : 'Meta'} could be reached again: ${reason}`, tokensFingerprint: account.tokensFingerprint }],
        )
        state.phase = 'awaiting_reauth'
        state.nextRefreshAt = null
        if (patched(REAUTH_RECHECK_PATCH)) {
          await awaitReconnect(socialAccountId, woken)
        } else {
          await condition(woken)
        }
      }
      continue
    }

    if (state.refreshes >= REFRESHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof tokenRefreshWorkflow>(input)
    }
  }
}
