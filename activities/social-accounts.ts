// Social-account side effects for the token-refresh workflow: read the account, refresh its tokens with the
// platform, and when the platform refuses for good mark it "needs re-auth" and tell its owner. Also the
// token helpers the API's connect flow shares (sealing under the row id, grants from a login).
import { createHash } from 'node:crypto'
import { ApplicationFailure, Context } from '@temporalio/activity'
import { PLATFORM_LABELS, type SocialPlatform } from '../domain/brand-kit'
import { REAUTH_FALLBACK_ROLES, type AccountStatus } from '../domain/social-accounts'
import type { OAuthSettings } from '../platform/config'
import type { Database } from '../platform/database'
import type { Mailer } from '../platform/mailer'
import type { TokenCipher } from '../platform/token-cipher'
import { recordAudit } from '../api/services/audit'
import {
  REAUTH_REQUIRED_FAILURE,
  REFRESH_UNAVAILABLE_FAILURE,
  type AccountForRefresh,
  type RefreshOutcome,
} from '../workflows/token-refresh/definitions'
import { MetaGraphError, createMetaOAuthClient, type MetaLogin } from './platforms/meta/oauth'
import { TikTokApiError, createTikTokOAuthClient, type TikTokTokens, type TikTokUser } from './platforms/tiktok/oauth'

/** One account a login gave access to, with its tokens in plaintext (only ever in memory). */
export interface AccountGrant {
  platform: SocialPlatform
  externalId: string
  handle: string
  scopes: string[]
  accessToken: string
  refreshToken: string | null
  tokenExpiresAt: Date | null
  refreshTokenExpiresAt: Date | null
}

/**
 * A Meta login as accounts: one facebook account per Page (its Page token) and one instagram account per
 * linked Instagram business account (publishing to it uses the same Page token). The long-lived user token is
 * kept as the refresh token: its expiry is what the refresh workflow watches, and re-exchanging it renews all.
 */
export function grantsFromMetaLogin(login: MetaLogin): AccountGrant[] {
  const common = {
    scopes: login.scopes,
    refreshToken: login.userToken.accessToken,
    tokenExpiresAt: login.userToken.expiresAt,
    refreshTokenExpiresAt: login.userToken.expiresAt,
  }
  return login.pages.flatMap((page) => [
    { platform: 'facebook' as const, externalId: page.id, handle: page.name, accessToken: page.accessToken, ...common },
    ...(page.instagram
      ? [{ platform: 'instagram' as const, externalId: page.instagram.id, handle: page.instagram.username, accessToken: page.accessToken, ...common }]
      : []),
  ])
}

export function grantFromTikTok(tokens: TikTokTokens, user: TikTokUser | null): AccountGrant {
  return {
    platform: 'tiktok',
    externalId: tokens.openId,
    handle: user ? (user.username ?? user.displayName) : tokens.openId,
    scopes: tokens.scopes,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenExpiresAt: tokens.accessTokenExpiresAt,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
  }
}

/** Seals both tokens under the active key with the row id as associated data (a copied ciphertext does not open elsewhere). */
export function sealAccountTokens(cipher: TokenCipher, accountId: string, tokens: { accessToken: string; refreshToken: string | null }) {
  const access = cipher.seal(tokens.accessToken, accountId)
  return {
    accessTokenCiphertext: access.ciphertext,
    refreshTokenCiphertext: tokens.refreshToken === null ? null : cipher.seal(tokens.refreshToken, accountId).ciphertext,
    tokenKeyId: access.keyId,
  }
}

export function openAccountTokens(
  cipher: TokenCipher,
  row: { id: string; accessTokenCiphertext: string | null; refreshTokenCiphertext: string | null; tokenKeyId: string | null },
): { accessToken: string; refreshToken: string | null } | null {
  if (!row.accessTokenCiphertext || !row.tokenKeyId) return null
  return {
    accessToken: cipher.open({ ciphertext: row.accessTokenCiphertext, keyId: row.tokenKeyId }, row.id),
    refreshToken: row.refreshTokenCiphertext ? cipher.open({ ciphertext: row.refreshTokenCiphertext, keyId: row.tokenKeyId }, row.id) : null,
  }
}

/** Names the stored tokens without revealing them: a digest of the ciphertext (which is random per sealing). */
export function tokensFingerprint(accessTokenCiphertext: string | null): string | null {
  return accessTokenCiphertext ? createHash('sha256').update(accessTokenCiphertext).digest('hex').slice(0, 32) : null
}

export interface SocialAccountActivityDeps {
  db: Database
  tokenCipher: TokenCipher
  mailer: Mailer
  oauth: OAuthSettings
  /** The current time; tests on Temporal's time-skipping server pass that server's clock. */
  clock?: () => Date | Promise<Date>
  fetch?: typeof fetch
}

const REASON_MAX = 500

/** The token columns of a row read under FOR UPDATE. */
interface LockedTokens {
  id: string
  status: string
  accessTokenCiphertext: string | null
  refreshTokenCiphertext: string | null
  tokenKeyId: string | null
}

function refreshFailure(platform: SocialPlatform, error: unknown): ApplicationFailure {
  const label = platform === 'tiktok' ? 'TikTok' : 'Meta'
  if (error instanceof MetaGraphError || error instanceof TikTokApiError) {
    if (error.retryable) {
      return ApplicationFailure.create({ message: `${label} could not refresh the token right now: ${error.describe()}`, type: REFRESH_UNAVAILABLE_FAILURE })
    }
    return ApplicationFailure.create({
      message: `${label} refused to refresh the token: ${error.describe()}. Reconnect the account to grant access again.`,
      type: REAUTH_REQUIRED_FAILURE,
      nonRetryable: true,
    })
  }
  if (error instanceof ApplicationFailure) return error
  return ApplicationFailure.create({ message: `Refreshing the ${label} token failed: ${error instanceof Error ? error.message : String(error)}`, type: REFRESH_UNAVAILABLE_FAILURE })
}

export function createSocialAccountActivities(deps: SocialAccountActivityDeps) {
  const { db, tokenCipher, mailer, oauth } = deps
  const meta = createMetaOAuthClient(oauth.meta, deps.fetch)
  const tiktok = createTikTokOAuthClient(oauth.tiktok, deps.fetch)
  const now = async () => (deps.clock ? await deps.clock() : new Date())

  return {
    /** The account as the workflow needs it, or null when the row is gone (its creator was deleted). */
    async readAccountForRefresh({ socialAccountId }: { socialAccountId: string }): Promise<AccountForRefresh | null> {
      const row = await db.socialAccount.findUnique({ where: { id: socialAccountId } })
      if (!row) return null
      return {
        platform: row.platform as SocialPlatform,
        status: row.status as AccountStatus,
        handle: row.handle,
        tokenExpiresAt: row.tokenExpiresAt?.toISOString() ?? null,
        tokensFingerprint: tokensFingerprint(row.accessTokenCiphertext),
        lastRefreshedAt: row.lastRefreshedAt?.toISOString() ?? null,
      }
    },

    /**
     * Refreshes the tokens with the platform and stores the new ones, unless the account changed meanwhile.
     * Throws ReauthRequired (non-retryable) when the platform refuses for good, RefreshUnavailable otherwise.
     * TikTok rotates refresh tokens, so the new pair is written in the same attempt that obtained it.
     */
    async refreshAccountTokens({ socialAccountId, tokensFingerprint: expected }: { socialAccountId: string; tokensFingerprint: string | null }): Promise<RefreshOutcome> {
      const row = await db.socialAccount.findUnique({ where: { id: socialAccountId } })
      if (!row) return { outcome: 'skipped', reason: 'the account no longer exists' }
      if (row.status !== 'active') return { outcome: 'skipped', reason: `the account is ${row.status}` }
      if (tokensFingerprint(row.accessTokenCiphertext) !== expected) return { outcome: 'skipped', reason: 'the tokens were replaced meanwhile' }
      const stored = openAccountTokens(tokenCipher, row)
      const platform = row.platform as SocialPlatform
      if (!stored?.refreshToken) {
        throw ApplicationFailure.create({ message: `No refresh token is stored for ${PLATFORM_LABELS[platform]} ${row.handle}: reconnect the account.`, type: REAUTH_REQUIRED_FAILURE, nonRetryable: true })
      }
      const at = await now()
      let grant: AccountGrant
      try {
        if (platform === 'tiktok') {
          grant = { ...grantFromTikTok(await tiktok.refreshTokens({ refreshToken: stored.refreshToken, now: at }), null), handle: row.handle }
        } else {
          const login = await meta.refreshLogin({ userToken: stored.refreshToken, now: at })
          const match = grantsFromMetaLogin(login).find((candidate) => candidate.platform === platform && candidate.externalId === row.externalId)
          if (!match) {
            throw ApplicationFailure.create({
              message: `${PLATFORM_LABELS[platform]} ${row.handle} is no longer shared with Greenlight (the Page was removed from the login): reconnect and select it again.`,
              type: REAUTH_REQUIRED_FAILURE,
              nonRetryable: true,
            })
          }
          grant = match
        }
      } catch (error) {
        throw refreshFailure(platform, error)
      }
      // The platform may have invalidated the refresh token just used (TikTok rotates it), so the new pair must
      // land unless the account really changed. Compared as plaintext under a row lock: `tokens:rotate` re-seals
      // rows meanwhile (new ciphertext, same token), a reconnect or a disconnect replaces or wipes the token.
      const usedRefreshToken = stored.refreshToken
      const written = await db.$transaction(async (tx) => {
        const [current] = await tx.$queryRaw<LockedTokens[]>`
          SELECT id, status, "accessTokenCiphertext", "refreshTokenCiphertext", "tokenKeyId"
          FROM "SocialAccount" WHERE id = ${row.id}::uuid FOR UPDATE`
        if (!current || current.status !== 'active') return false
        if (openAccountTokens(tokenCipher, current)?.refreshToken !== usedRefreshToken) return false
        await tx.socialAccount.update({
          where: { id: row.id },
          data: {
            ...sealAccountTokens(tokenCipher, row.id, grant),
            handle: grant.handle,
            scopes: grant.scopes,
            tokenExpiresAt: grant.tokenExpiresAt,
            refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
            lastRefreshedAt: at,
            statusReason: null,
          },
        })
        return true
      })
      if (!written) return { outcome: 'skipped', reason: 'the account changed during the refresh' }
      return { outcome: 'refreshed', tokenExpiresAt: (grant.tokenExpiresAt ?? at).toISOString() }
    },

    /** Marks the account "needs re-auth" and tells its people, once per run and activity (see below). */
    async markAccountNeedsReauth(input: { socialAccountId: string; reason: string; tokensFingerprint: string | null }): Promise<{ marked: boolean; notified: number }> {
      const info = Context.current().info
      return markAccountNeedsReauth({ db, mailer, webUrl: oauth.webUrl }, { ...input, idempotencyKey: `${info.workflowExecution?.runId ?? 'standalone'}:${info.activityId}` })
    },
  }
}

/**
 * Marks the account "needs re-auth" with the reason, records it in the audit log, and notifies whoever connected it
 * and the creator's own user, or, when neither is a member any more, the agency's owners and managers (someone must
 * hear of it): in the app (once per idempotency key and person) and by e-mail. The e-mail goes out only with a
 * newly written notification, so a retry never sends it twice (at worst a crash between the two loses the e-mail,
 * never the in-app notice). Only while the tokens are still those named by the fingerprint: a reconnect that
 * landed meanwhile is never undone. Used by the token refresh and by publishing when the platform refuses the token.
 */
export async function markAccountNeedsReauth(
  { db, mailer, webUrl }: { db: Database; mailer?: Mailer; webUrl: string },
  input: { socialAccountId: string; reason: string; tokensFingerprint: string | null; idempotencyKey: string },
): Promise<{ marked: boolean; notified: number }> {
  const { idempotencyKey } = input
  const row = await db.socialAccount.findUnique({ where: { id: input.socialAccountId }, include: { creator: true } })
  if (!row || tokensFingerprint(row.accessTokenCiphertext) !== input.tokensFingerprint) return { marked: false, notified: 0 }
  if (row.status === 'disconnected') return { marked: false, notified: 0 }
  const platform = row.platform as SocialPlatform
  const reason = input.reason.slice(0, REASON_MAX)
  await db.$transaction(async (tx) => {
    const updated = await tx.socialAccount.updateMany({
      where: { id: row.id, status: 'active', accessTokenCiphertext: row.accessTokenCiphertext },
      data: { status: 'needs_reauth', statusReason: reason },
    })
    if (updated.count === 1) {
      await recordAudit(tx, {
        agencyId: row.agencyId,
        action: 'account.needs_reauth',
        actor: null,
        target: { type: 'social_account', id: row.id },
        detail: { platform, handle: row.handle, creatorId: row.creatorId, reason },
      })
    }
  })

  // Notify only when the account is (now, or since an earlier attempt of this activity) marked: a reconnect
  // or a re-seal that landed between the read and the update leaves it active, and nobody needs telling.
  const current = await db.socialAccount.findUnique({ where: { id: row.id }, select: { status: true } })
  if (current?.status !== 'needs_reauth') return { marked: false, notified: 0 }

  const recipientIds = [...new Set([row.connectedById, row.creator.userId].filter((id): id is string => Boolean(id)))]
  let recipients = await db.user.findMany({ where: { id: { in: recipientIds }, agencyId: row.agencyId } })
  if (recipients.length === 0) {
    recipients = await db.user.findMany({
      where: { agencyId: row.agencyId, role: { in: REAUTH_FALLBACK_ROLES } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    })
  }
  const link = `/creators/${row.creatorId}`
  const title = `Reconnect ${PLATFORM_LABELS[platform]} ${row.handle}`
  const body = `Greenlight lost access to the ${PLATFORM_LABELS[platform]} account “${row.handle}” of ${row.creator.displayName}. ${reason}`
  let notified = 0
  for (const user of recipients) {
    const key = `${idempotencyKey}:${user.id}`
    if (await db.notification.findUnique({ where: { idempotencyKey: key } })) continue
    await db.notification.create({
      data: { agencyId: row.agencyId, userId: user.id, kind: 'account.needs_reauth', title, body, link, idempotencyKey: key },
    })
    notified += 1
    await mailer?.send({
      agencyId: row.agencyId,
      to: user.email,
      subject: `Greenlight: ${title}`,
      text: `Hello ${user.name},\n\n${body}\n\nOpen ${webUrl}${link} and choose “Reconnect” to grant access again. Until then nothing is published to this account.\n`,
    })
  }
  return { marked: true, notified }
}

export type SocialAccountActivities = ReturnType<typeof createSocialAccountActivities>
