// Connecting social accounts: the OAuth round trip (start → platform dialog → callback), reconnects,
// disconnects, and the token-refresh workflow of each account (`token-refresh:<id>`), started or re-armed
// with signalWithStart on every connect and told to stop on disconnect.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { WorkflowNotFoundError, type Client } from '@temporalio/client'
import type { FastifyBaseLogger } from 'fastify'
import { Prisma } from '../../generated/prisma/client'
import type { SocialAccount as SocialAccountRow } from '../../generated/prisma/client'
import { PLATFORM_LABELS, type SocialPlatform } from '../../domain/brand-kit'
import { COUNTED_ACCOUNT_STATUSES, type AccountStatus } from '../../domain/social-accounts'
import type { Database } from '../../platform/database'
import { asTransactionClient, type TenantDatabase } from '../../platform/tenant-scope'
import type { TokenCipher } from '../../platform/token-cipher'
import { MetaGraphError, createMetaOAuthClient } from '../../activities/platforms/meta/oauth'
import { TikTokApiError, createPkcePair, createTikTokOAuthClient } from '../../activities/platforms/tiktok/oauth'
import { grantFromTikTok, grantsFromMetaLogin, sealAccountTokens, type AccountGrant } from '../../activities/social-accounts'
import {
  AgencyIdAttribute,
  TOKEN_REFRESH_WORKFLOW_TYPE,
  disconnectSignal,
  tokenRefreshWorkflowId,
  tokensReplacedSignal,
  type TokenRefreshWorkflowInput,
} from '../../workflows/token-refresh/definitions'
import { resumePostsAfterReconnect } from './publishing'
import { ApiError, notFound } from '../errors'
import type { ConnectStart, OAuthCallbackBody, OAuthCallbackResult, OAuthProvider, SocialAccount } from '../schemas/creator'
import type { ApiSettings, AuthUser } from '../types'
import { recordAudit, type AuditAction } from './audit'
import { findCreator, ownsOnlyOwnProfile } from './creators'
import { assertWithinLimit } from './usage'
import { beginBoardChange } from '../../platform/board-changes'

/** A connect attempt must come back from the platform within this time. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000
const TEMPORAL_TIMEOUT_MS = 5_000

export interface SocialAccountDeps {
  tenantDb: TenantDatabase
  temporal: Client
  settings: ApiSettings
  tokenCipher: TokenCipher
  log: FastifyBaseLogger
}

export function toSocialAccountDto(row: SocialAccountRow): SocialAccount {
  return {
    id: row.id,
    creatorId: row.creatorId,
    platform: row.platform as SocialPlatform,
    handle: row.handle,
    externalId: row.externalId,
    status: row.status as AccountStatus,
    statusReason: row.statusReason,
    scopes: row.scopes,
    tokenExpiresAt: row.tokenExpiresAt?.toISOString() ?? null,
    lastRefreshedAt: row.lastRefreshedAt?.toISOString() ?? null,
    sandbox: row.sandbox,
    connectedAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

const PROVIDER_LABELS: Record<OAuthProvider, string> = { meta: 'Meta', tiktok: 'TikTok' }
const stateDigest = (state: string) => createHash('sha256').update(state).digest('hex')
const callbackUrl = (settings: ApiSettings, provider: OAuthProvider) => `${settings.oauth.webUrl}/oauth/${provider}/callback`

/** A creator-role user connects and disconnects only the accounts of the profile linked to them. */
function assertMayManageAccounts(user: AuthUser, creator: { userId: string | null; displayName: string }) {
  if (ownsOnlyOwnProfile(user) && creator.userId !== user.id) {
    throw new ApiError(403, 'FORBIDDEN', `As a creator you can connect accounts only for your own profile, not for ${creator.displayName}.`)
  }
}

/**
 * Starts a connect: a random state (only its SHA-256 is stored) tied to this user, creator and platform for
 * ten minutes, plus TikTok's PKCE verifier; answers the platform's authorize URL for the browser.
 */
export async function startConnect(deps: SocialAccountDeps, user: AuthUser, creatorId: string, provider: OAuthProvider): Promise<ConnectStart> {
  const { tenantDb, settings } = deps
  // findCreator answers 404 for another creator's profile to a creator-role user; say 403 instead.
  const creator = await tenantDb.creator.findUnique({ where: { id: creatorId } })
  if (!creator) throw notFound('Creator')
  assertMayManageAccounts(user, creator)

  const state = randomBytes(32).toString('base64url')
  const pkce = provider === 'tiktok' ? createPkcePair() : null
  const expiresAt = new Date(Date.now() + OAUTH_STATE_TTL_MS)
  // Abandoned attempts are cleared on the way.
  await tenantDb.oAuthState.deleteMany({ where: { expiresAt: { lt: new Date() } } })
  await tenantDb.oAuthState.create({
    data: {
      agencyId: user.agency.id,
      stateHash: stateDigest(state),
      platform: provider,
      creatorId: creator.id,
      userId: user.id,
      codeVerifier: pkce?.codeVerifier ?? null,
      expiresAt,
    },
  })
  const redirectUri = callbackUrl(settings, provider)
  const authorizeUrl =
    provider === 'meta'
      ? createMetaOAuthClient(settings.oauth.meta).authorizeUrl({ state, redirectUri })
      : createTikTokOAuthClient(settings.oauth.tiktok).authorizeUrl({ state, redirectUri, codeChallenge: pkce!.codeChallenge })
  return { authorizeUrl, expiresAt: expiresAt.toISOString() }
}

const stateInvalid = () =>
  new ApiError(400, 'OAUTH_STATE_INVALID', 'This connection attempt is unknown, has expired or was already used. Start connecting again from the creator’s page.')

/** Finds and deletes the state in one go: a state works once, for the user who started it, within its lifetime. */
async function consumeState(tenantDb: TenantDatabase, user: AuthUser, provider: OAuthProvider, state: string) {
  const row = await tenantDb.oAuthState.findUnique({ where: { stateHash: stateDigest(state) } })
  if (!row || row.platform !== provider || row.userId !== user.id) throw stateInvalid()
  // Of two callbacks racing with the same state, only the one that deletes the row goes on.
  const { count } = await tenantDb.oAuthState.deleteMany({ where: { id: row.id } })
  if (count !== 1 || row.expiresAt.getTime() <= Date.now()) throw stateInvalid()
  return row
}

function providerFailure(provider: OAuthProvider, error: unknown): ApiError {
  const label = PROVIDER_LABELS[provider]
  if (error instanceof MetaGraphError || error instanceof TikTokApiError) {
    if (error.retryable) {
      return new ApiError(502, 'OAUTH_PROVIDER_UNAVAILABLE', `${label} did not complete the connection (${error.describe()}). Try connecting again in a moment.`, undefined, { cause: error })
    }
    return new ApiError(400, 'OAUTH_CODE_REJECTED', `${label} did not accept this connection: ${error.describe()}. Start connecting again.`, undefined, { cause: error })
  }
  throw error
}

/** The platform's side of the callback: the code exchanged for tokens, and the accounts they give access to. */
async function fetchGrants(settings: ApiSettings, provider: OAuthProvider, code: string, codeVerifier: string | null): Promise<AccountGrant[]> {
  const redirectUri = callbackUrl(settings, provider)
  const now = new Date()
  try {
    if (provider === 'meta') {
      const login = await createMetaOAuthClient(settings.oauth.meta).completeLogin({ code, redirectUri, now })
      return grantsFromMetaLogin(login)
    }
    if (!codeVerifier) throw stateInvalid()
    const tiktok = createTikTokOAuthClient(settings.oauth.tiktok)
    const tokens = await tiktok.exchangeCode({ code, redirectUri, codeVerifier, now })
    return [grantFromTikTok(tokens, await tiktok.userInfo(tokens.accessToken))]
  } catch (error) {
    if (error instanceof ApiError) throw error
    throw providerFailure(provider, error)
  }
}

const accountLabel = (grant: { platform: string; handle: string }) => `${PLATFORM_LABELS[grant.platform as SocialPlatform] ?? grant.platform} “${grant.handle}”`

/**
 * The callback: checks and spends the state, exchanges the code, and stores the accounts. An account this
 * agency has already (same platform and external id) gets the new tokens and becomes active again rather
 * than a second row; one held by another creator is refused. New accounts count against the plan.
 */
export async function completeConnect(
  deps: SocialAccountDeps,
  user: AuthUser,
  provider: OAuthProvider,
  body: OAuthCallbackBody,
  ip: string,
): Promise<OAuthCallbackResult> {
  const { tenantDb, settings, tokenCipher } = deps
  const state = await consumeState(tenantDb, user, provider, body.state)
  const creator = await tenantDb.creator.findUnique({ where: { id: state.creatorId } })
  if (!creator) throw new ApiError(404, 'NOT_FOUND', 'The creator this connection was started for no longer exists.')
  assertMayManageAccounts(user, creator)
  const label = PROVIDER_LABELS[provider]

  if (body.error) {
    const denied = body.error === 'access_denied'
    return {
      outcome: 'not_connected',
      creatorId: creator.id,
      provider,
      reason: denied ? 'access_denied' : 'provider_error',
      message: denied
        ? `The connection was cancelled on ${label}, so nothing was connected.`
        : `${label} ended the connection with “${body.error}”${body.errorDescription ? `: ${body.errorDescription.slice(0, 300)}` : ''}. Nothing was connected.`,
    }
  }
  if (!body.code) throw new ApiError(400, 'VALIDATION_FAILED', 'The callback carries neither a code nor an error.', [{ path: '/code', message: 'is required without error' }])

  const grants = await fetchGrants(settings, provider, body.code, state.codeVerifier)
  if (grants.length === 0) {
    return {
      outcome: 'not_connected',
      creatorId: creator.id,
      provider,
      reason: 'no_accounts',
      message:
        provider === 'meta'
          ? 'No Facebook Page was shared with Greenlight, so nothing was connected. Connect again and select at least one Page.'
          : 'TikTok shared no account, so nothing was connected.',
    }
  }

  const sandbox = settings.oauth[provider].mode === 'sandbox'
  const agencyId = user.agency.id
  let rows: { row: SocialAccountRow; action: AuditAction }[]
  try {
    rows = await tenantDb.$transaction(async (tx) => {
      const existing = await tx.socialAccount.findMany({
        where: { OR: grants.map((grant) => ({ platform: grant.platform, externalId: grant.externalId })) },
        include: { creator: { select: { displayName: true } } },
      })
      const matchOf = (grant: AccountGrant) => existing.find((row) => row.platform === grant.platform && row.externalId === grant.externalId)
      const elsewhere = grants
        .map((grant) => ({ grant, row: matchOf(grant) }))
        .filter(({ row }) => row && row.creatorId !== creator.id && row.status !== 'disconnected')
      if (elsewhere.length > 0) {
        // A creator-role user sees only their own profile: the other creator stays unnamed to them.
        if (ownsOnlyOwnProfile(user)) {
          const labels = elsewhere.map(({ grant }) => accountLabel(grant)).join(', ')
          throw new ApiError(
            409,
            'ACCOUNT_CONNECTED_ELSEWHERE',
            `Already connected to another creator of this agency: ${labels}. Ask the agency to disconnect it there first; nothing was changed.`,
          )
        }
        const names = elsewhere.map(({ grant, row }) => `${accountLabel(grant)} (on ${row!.creator.displayName})`).join(', ')
        throw new ApiError(409, 'ACCOUNT_CONNECTED_ELSEWHERE', `Already connected to another creator: ${names}. Disconnect it there first; nothing was changed.`)
      }
      // Rows that start counting against the plan: new ones, and disconnected ones coming back.
      const added = grants.filter((grant) => !COUNTED_ACCOUNT_STATUSES.includes((matchOf(grant)?.status ?? 'disconnected') as AccountStatus)).length
      if (added > 0) await assertWithinLimit(asTransactionClient(tx), agencyId, 'connectedAccounts', added)

      const written: { row: SocialAccountRow; action: AuditAction }[] = []
      for (const grant of grants) {
        const match = matchOf(grant)
        const id = match?.id ?? randomUUID()
        const fields = {
          creatorId: creator.id,
          handle: grant.handle,
          status: 'active',
          statusReason: null,
          scopes: grant.scopes,
          ...sealAccountTokens(tokenCipher, id, grant),
          tokenExpiresAt: grant.tokenExpiresAt,
          refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
          sandbox,
          connectedById: user.id,
          lastRefreshedAt: null,
        }
        const row = match
          ? await tx.socialAccount.update({ where: { id }, data: fields })
          : await tx.socialAccount.create({ data: { id, agencyId, platform: grant.platform, externalId: grant.externalId, ...fields } })
        const action: AuditAction = match ? 'account.reconnected' : 'account.connected'
        await recordAudit(asTransactionClient(tx), {
          agencyId,
          action,
          actor: user,
          target: { type: 'social_account', id },
          detail: { platform: grant.platform, handle: grant.handle, externalId: grant.externalId, creatorId: creator.id, sandbox, ...(match ? { previousStatus: match.status } : {}) },
          ip,
        })
        written.push({ row, action })
      }
      return written
    })
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ApiError(409, 'ACCOUNT_CONNECT_CONFLICT', 'Another connection of the same account finished at the same moment. Reload the creator’s page to see it.')
    }
    throw error
  }

  const scheduled = await Promise.all(rows.map(({ row }) => armTokenRefresh(deps, row, user.name)))
  // Posts that waited for this account to be reconnected go out now.
  for (const { row, action } of rows) if (action === 'account.reconnected') await resumePostsAfterReconnect(deps, row.id, user.name)
  return {
    outcome: 'connected',
    creatorId: creator.id,
    provider,
    accounts: rows.map(({ row }) => toSocialAccountDto(row)),
    connected: rows.filter(({ action }) => action === 'account.connected').length,
    reconnected: rows.filter(({ action }) => action === 'account.reconnected').length,
    refreshScheduled: scheduled.every(Boolean),
  }
}

/**
 * Starts the account's token-refresh workflow, or signals the running one that the tokens were replaced
 * (which also brings it out of "needs re-auth"). false when Temporal did not take it: the account is
 * connected, and the next reconnect arms the workflow again.
 */
export async function armTokenRefresh(deps: Pick<SocialAccountDeps, 'temporal' | 'settings' | 'log'>, row: SocialAccountRow, by: string): Promise<boolean> {
  const input: TokenRefreshWorkflowInput = { socialAccountId: row.id, agencyId: row.agencyId }
  try {
    await deps.temporal.withAbortSignal(AbortSignal.timeout(TEMPORAL_TIMEOUT_MS), () =>
      deps.temporal.workflow.signalWithStart(TOKEN_REFRESH_WORKFLOW_TYPE, {
        workflowId: tokenRefreshWorkflowId(row.id),
        taskQueue: deps.settings.temporal.taskQueue,
        args: [input],
        signal: tokensReplacedSignal,
        signalArgs: [{ by }],
        // A finished run (disconnected earlier) may be followed by a new one.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        staticSummary: `Token refresh for ${accountLabel(row)}`,
        typedSearchAttributes: [{ key: AgencyIdAttribute, value: row.agencyId }],
      }),
    )
    return true
  } catch (error) {
    deps.log.error({ err: error, socialAccountId: row.id }, 'token-refresh workflow could not be started')
    return false
  }
}

/**
 * The sweep's half of durability: every active account with an expiring token has a token-refresh workflow.
 * A connect whose workflow start Temporal refused (or a process that died between the two) is picked up here.
 * USE_EXISTING leaves a running workflow alone; a finished one is followed by a new run. Returns the
 * accounts whose workflow had to be started.
 */
export async function startMissingTokenRefreshWorkflows(deps: { db: Database; temporal: Client; settings: ApiSettings }): Promise<string[]> {
  const accounts = await deps.db.socialAccount.findMany({
    where: { status: 'active', tokenExpiresAt: { not: null } },
    select: { id: true, agencyId: true, platform: true, handle: true },
    orderBy: { updatedAt: 'desc' },
    take: 5_000,
  })
  const started: string[] = []
  for (const account of accounts) {
    const workflowId = tokenRefreshWorkflowId(account.id)
    const running = await deps.temporal.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        (description) => description.status.name === 'RUNNING',
        (error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return false
          throw error
        },
      )
    if (running) continue
    await deps.temporal.workflow.start(TOKEN_REFRESH_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: deps.settings.temporal.taskQueue,
      args: [{ socialAccountId: account.id, agencyId: account.agencyId } satisfies TokenRefreshWorkflowInput],
      // Another API process's sweep may start it at the same moment: theirs is as good as ours.
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      staticSummary: `Token refresh for ${accountLabel(account)}`,
      typedSearchAttributes: [{ key: AgencyIdAttribute, value: account.agencyId }],
    })
    started.push(account.id)
  }
  return started
}

/** Tells the account's workflow to stop. A run that is gone already is fine; one that misses the signal finds the row disconnected at its next turn. */
async function stopTokenRefresh(deps: Pick<SocialAccountDeps, 'temporal' | 'log'>, accountId: string, by: string): Promise<void> {
  try {
    await deps.temporal.withAbortSignal(AbortSignal.timeout(TEMPORAL_TIMEOUT_MS), () =>
      deps.temporal.workflow.getHandle(tokenRefreshWorkflowId(accountId)).signal(disconnectSignal, { by }),
    )
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return
    deps.log.warn({ err: error, socialAccountId: accountId }, 'token-refresh workflow did not take the disconnect signal')
  }
}

const wipedTokens = {
  accessTokenCiphertext: null,
  refreshTokenCiphertext: null,
  tokenKeyId: null,
  tokenExpiresAt: null,
  refreshTokenExpiresAt: null,
}

/** Disconnects an account: tokens wiped, status disconnected, its workflow told to stop. Idempotent. */
export async function disconnectAccount(deps: SocialAccountDeps, user: AuthUser, creatorId: string, accountId: string, ip: string): Promise<SocialAccount> {
  const { tenantDb } = deps
  const creator = await tenantDb.creator.findUnique({ where: { id: creatorId } })
  const account = creator ? await tenantDb.socialAccount.findFirst({ where: { id: accountId, creatorId: creator.id } }) : null
  if (!creator || !account) throw notFound('Social account')
  assertMayManageAccounts(user, creator)
  if (account.status === 'disconnected') return toSocialAccountDto(account)

  const row = await tenantDb.$transaction(async (tx) => {
    const updated = await tx.socialAccount.update({
      where: { id: account.id },
      data: { status: 'disconnected', statusReason: `Disconnected by ${user.name}`, ...wipedTokens },
    })
    await recordAudit(asTransactionClient(tx), {
      agencyId: user.agency.id,
      action: 'account.disconnected',
      actor: user,
      target: { type: 'social_account', id: account.id },
      detail: { platform: account.platform, handle: account.handle, creatorId: creator.id, previousStatus: account.status },
      ip,
    })
    return updated
  })
  await stopTokenRefresh(deps, account.id, user.name)
  return toSocialAccountDto(row)
}

/** Deletes a creator and (by cascade) its accounts; their disconnection is audited and their workflows stopped. */
export async function deleteCreator(deps: SocialAccountDeps, user: AuthUser, creatorId: string, ip: string): Promise<void> {
  const { tenantDb } = deps
  const creator = await findCreator(tenantDb, user, creatorId)
  const live = await tenantDb.$transaction(async (tx) => {
    const accounts = await tx.socialAccount.findMany({ where: { creatorId: creator.id, status: { not: 'disconnected' } } })
    for (const account of accounts) {
      await recordAudit(asTransactionClient(tx), {
        agencyId: user.agency.id,
        action: 'account.disconnected',
        actor: user,
        target: { type: 'social_account', id: account.id },
        detail: { platform: account.platform, handle: account.handle, creatorId: creator.id, previousStatus: account.status, reason: 'creator deleted' },
        ip,
      })
    }
    // Their cards become unassigned (the foreign key): the boards showing them change with them.
    const boards = await tx.contentTask.findMany({ where: { assigneeCreatorId: creator.id }, distinct: ['workspaceId'], select: { workspaceId: true } })
    for (const { workspaceId } of boards) await beginBoardChange(tx, user.agency.id, workspaceId)
    await tx.creator.delete({ where: { id: creator.id } })
    return accounts
  })
  await Promise.all(live.map((account) => stopTokenRefresh(deps, account.id, user.name)))
}
