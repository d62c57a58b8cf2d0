// The token-refresh workflow on Temporal's time-skipping test server, with its real activities writing to a
// PostgreSQL database of this file's own and talking to the Meta and TikTok stand-ins started in-process.
// Days pass in seconds; the activities read the test server's clock, so stored expiries follow it too.
import { randomUUID } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Info } from '@temporalio/activity'
import { historyToJSON } from '@temporalio/common/lib/proto-utils'
import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing'
import type { WorkflowHandle } from '@temporalio/client'
import { DefaultLogger } from '@temporalio/worker'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createActivities } from '../../activities'
import { createMetaOAuthClient } from '../../activities/platforms/meta/oauth'
import { createPkcePair, createTikTokOAuthClient } from '../../activities/platforms/tiktok/oauth'
import {
  createSocialAccountActivities,
  grantFromTikTok,
  grantsFromMetaLogin,
  openAccountTokens,
  sealAccountTokens,
  type AccountGrant,
} from '../../activities/social-accounts'
import type { OAuthSettings } from '../../platform/config'
import type { Database } from '../../platform/database'
import { createMailer } from '../../platform/mailer'
import { TokenCipher, generateTokenKey, parseTokenKeys } from '../../platform/token-cipher'
import { createMetaStandIn } from '../../sandbox/meta'
import { createSandboxServer } from '../../sandbox/server'
import { createTikTokStandIn } from '../../sandbox/tiktok'
import { rotateTokenKeys } from '../../scripts/token-keys'
import {
  AgencyIdAttribute,
  MIN_REFRESH_INTERVAL_MS,
  REAUTH_RECHECK_MS,
  disconnectSignal,
  tokenRefreshStateQuery,
  tokenRefreshWorkflowId,
  tokensReplacedSignal,
} from '../../workflows/token-refresh/definitions'
import { RETRY_LATER_MS, tokenRefreshWorkflow } from '../../workflows/token-refresh/workflow'
import { createAgency, testDatabase } from '../support/database'
import { startTimeSkippingWorker, type TimeSkippingWorker } from '../support/temporal'

const MINUTE = 60 * 1000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const taskQueue = `token-refresh-test-${randomUUID()}`
const firstKey = generateTokenKey('wf-k1')
const secondKey = generateTokenKey('wf-k2')
// The worker seals under wf-k1 and still opens wf-k2, so rows a test re-seals under wf-k2 stay readable.
const cipher = new TokenCipher(parseTokenKeys(`${firstKey},${secondKey}`))
/** The cipher after a key rotation: wf-k2 active, wf-k1 kept for rows not yet re-sealed. */
const rotatedCipher = new TokenCipher(parseTokenKeys(`${secondKey},${firstKey}`))

let env: TestWorkflowEnvironment
let db: Database
let dropDatabase: () => Promise<void>
let sandbox: http.Server
let sandboxUrl: string
let oauth: OAuthSettings
let temporal: TimeSkippingWorker

beforeAll(async () => {
  ;({ db, drop: dropDatabase } = await testDatabase())
  sandbox = createSandboxServer([createMetaStandIn(), createTikTokStandIn()])
  await new Promise<void>((resolve) => sandbox.listen(0, '127.0.0.1', resolve))
  sandboxUrl = `http://127.0.0.1:${(sandbox.address() as AddressInfo).port}`
  oauth = {
    webUrl: 'http://web.test',
    meta: { mode: 'sandbox', appId: 'sandbox-meta-app', appSecret: 'sandbox-meta-secret', configId: undefined, graphVersion: 'v24.0', dialogBaseUrl: `${sandboxUrl}/meta`, graphBaseUrl: `${sandboxUrl}/meta` },
    tiktok: { mode: 'sandbox', clientKey: 'sandbox-tiktok-client', clientSecret: 'sandbox-tiktok-secret', authBaseUrl: `${sandboxUrl}/tiktok`, apiBaseUrl: `${sandboxUrl}/tiktok` },
  }
  temporal = await startTimeSkippingWorker(taskQueue, (testEnv) =>
    createActivities({
      db,
      tokenCipher: cipher,
      mailer: createMailer({ db, from: 'test@greenlight.test' }),
      oauth,
      clock: async () => new Date(await testEnv.currentTimeMs()),
    }),
  )
  env = temporal.env
})

afterAll(async () => {
  await temporal?.stop()
  await new Promise((resolve) => sandbox?.close(resolve))
  await dropDatabase?.()
})

async function sandboxControl(pathname: string, body: unknown) {
  const response = await fetch(`${sandboxUrl}${pathname}`, { method: 'POST', body: JSON.stringify(body) })
  expect(response.status).toBe(200)
  return response.json()
}

const sandboxCounters = async (prefix: '/meta' | '/tiktok') => (await (await fetch(`${sandboxUrl}${prefix}/__sandbox`)).json()).counters

/** A TikTok login through the stand-in (its authorize decision, then the real client). */
async function tiktokGrant(): Promise<AccountGrant> {
  const client = createTikTokOAuthClient(oauth.tiktok)
  const pkce = createPkcePair()
  const redirectUri = 'http://web.test/oauth/tiktok/callback'
  const authorize = new URL(client.authorizeUrl({ state: 's', redirectUri, codeChallenge: pkce.codeChallenge }))
  const form = new URLSearchParams(authorize.searchParams)
  form.set('decision', 'approve')
  const decision = await fetch(`${sandboxUrl}/tiktok/v2/auth/authorize/decision`, { method: 'POST', body: form, redirect: 'manual' })
  const code = new URL(decision.headers.get('location')!).searchParams.get('code')!
  const tokens = await client.exchangeCode({ code, redirectUri, codeVerifier: pkce.codeVerifier, now: new Date(await env.currentTimeMs()) })
  return grantFromTikTok(tokens, await client.userInfo(tokens.accessToken))
}

/** A Meta login through the stand-in: the first Page's facebook account. */
async function metaGrant(): Promise<AccountGrant> {
  const client = createMetaOAuthClient(oauth.meta)
  const redirectUri = 'http://web.test/oauth/meta/callback'
  const authorize = new URL(client.authorizeUrl({ state: 's', redirectUri }))
  const form = new URLSearchParams(authorize.searchParams)
  form.set('decision', 'approve')
  form.append('page', '104500000000001')
  const decision = await fetch(`${sandboxUrl}/meta/v24.0/dialog/oauth/decision`, { method: 'POST', body: form, redirect: 'manual' })
  const code = new URL(decision.headers.get('location')!).searchParams.get('code')!
  const login = await client.completeLogin({ code, redirectUri, now: new Date(await env.currentTimeMs()) })
  return grantsFromMetaLogin(login).find((grant) => grant.platform === 'facebook')!
}

/** An agency with an owner who connected the account, a creator user linked to the creator, and the account. */
async function connectedAccount(grant: AccountGrant) {
  const agency = await createAgency(db)
  const owner = await db.user.create({ data: { agencyId: agency.id, email: `owner-${randomUUID()}@example.test`, name: 'Olive Owner', role: 'owner', passwordHash: 'x' } })
  const creatorUser = await db.user.create({ data: { agencyId: agency.id, email: `creator-${randomUUID()}@example.test`, name: 'Cleo Creator', role: 'creator', passwordHash: 'x' } })
  const creator = await db.creator.create({ data: { agencyId: agency.id, displayName: 'Cleo', userId: creatorUser.id } })
  const id = randomUUID()
  await db.socialAccount.create({
    data: {
      id,
      agencyId: agency.id,
      creatorId: creator.id,
      platform: grant.platform,
      handle: grant.handle,
      externalId: grant.externalId,
      scopes: grant.scopes,
      ...sealAccountTokens(cipher, id, grant),
      tokenExpiresAt: grant.tokenExpiresAt,
      refreshTokenExpiresAt: grant.refreshTokenExpiresAt,
      sandbox: true,
      connectedById: owner.id,
    },
  })
  return { agencyId: agency.id, accountId: id, creatorId: creator.id, owner, creatorUser, grant }
}

const started: WorkflowHandle[] = []
// A run a failed test left behind would keep refreshing (and use up injected faults) in later tests.
afterEach(async () => {
  for (const handle of started.splice(0)) await handle.terminate('test finished').catch(() => undefined)
})

async function startRefresh(accountId: string, agencyId: string) {
  const handle = await env.client.workflow.start(tokenRefreshWorkflow, {
    workflowId: tokenRefreshWorkflowId(accountId),
    taskQueue,
    args: [{ socialAccountId: accountId, agencyId }],
    typedSearchAttributes: [{ key: AgencyIdAttribute, value: agencyId }],
  })
  // By id alone, so the run current at the end is terminated even after continue-as-new.
  started.push(env.client.workflow.getHandle(handle.workflowId))
  return handle
}

/**
 * Moves the test server's clock in steps until `done` holds. Activity retry backoff runs on server timers,
 * which only move while the test skips time; a single long sleep would stop at the first failed attempt.
 */
async function advanceUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, stepMs: number, maxSteps = 100): Promise<T> {
  for (let step = 0; step < maxSteps; step++) {
    const value = await read()
    if (done(value)) return value
    await env.sleep(stepMs)
  }
  throw new Error(`condition not reached after ${maxSteps} steps of ${stepMs} ms`)
}

/**
 * With GREENLIGHT_RECORD_HISTORIES=1, ends the run and writes its history for the replay test. A committed
 * history is never overwritten: it stands for the runs in flight when it was recorded (delete it to re-record).
 */
async function recordHistory(handle: WorkflowHandle, file: string): Promise<boolean> {
  if (process.env.GREENLIGHT_RECORD_HISTORIES !== '1') return false
  await handle.signal(disconnectSignal, { by: 'history recorder' })
  await handle.result()
  const target = path.join(import.meta.dirname, 'histories', file)
  if (!existsSync(target)) writeFileSync(target, historyToJSON(await handle.fetchHistory()) + '\n')
  return true
}

const storedTokens = async (accountId: string) => openAccountTokens(cipher, await db.socialAccount.findUniqueOrThrow({ where: { id: accountId } }))
const POLL = { timeout: 20_000, interval: 100 }

describe('tokenRefreshWorkflow', () => {
  it('refreshes a TikTok token shortly before it expires, stores the rotated pair, and sleeps until the next one', async () => {
    const account = await connectedAccount(await tiktokGrant())
    const handle = await startRefresh(account.accountId, account.agencyId)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('waiting')
    const firstDue = Date.parse((await handle.query(tokenRefreshStateQuery)).nextRefreshAt!)
    // An hour before the 24-hour TikTok token runs out.
    expect(account.grant.tokenExpiresAt!.getTime() - firstDue).toBe(HOUR)
    const refreshesBefore = (await sandboxCounters('/tiktok')).refreshes

    await env.sleep(23 * HOUR + MINUTE)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).refreshes, POLL).toBe(1)

    const row = await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })
    const now = await env.currentTimeMs()
    expect(row.status).toBe('active')
    expect(row.lastRefreshedAt!.getTime()).toBeGreaterThan(firstDue - MINUTE)
    expect(row.tokenExpiresAt!.getTime()).toBeGreaterThan(now + 23 * HOUR)
    const tokens = await storedTokens(account.accountId)
    expect(tokens!.accessToken).not.toBe(account.grant.accessToken)
    expect(tokens!.refreshToken).not.toBe(account.grant.refreshToken)
    expect((await sandboxCounters('/tiktok')).refreshes).toBe(refreshesBefore + 1)

    const state = await handle.query(tokenRefreshStateQuery)
    expect(state.phase).toBe('waiting')
    expect(Date.parse(state.nextRefreshAt!)).toBe(row.tokenExpiresAt!.getTime() - HOUR)

    await handle.signal(disconnectSignal, { by: 'test' })
    expect(await handle.result()).toEqual({ outcome: 'disconnected', refreshes: 1 })
  })

  it('retries a refresh through passing outages (5xx) with backoff and then succeeds', async () => {
    const account = await connectedAccount(await tiktokGrant())
    const handle = await startRefresh(account.accountId, account.agencyId)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('waiting')
    const before = await sandboxCounters('/tiktok')
    await sandboxControl('/tiktok/__sandbox/faults', { count: 2, status: 503, error: 'temporarily_unavailable' })

    await env.sleep(23 * HOUR + MINUTE)
    await advanceUntil(() => handle.query(tokenRefreshStateQuery), (state) => state.refreshes === 1, MINUTE)
    const after = await sandboxCounters('/tiktok')
    expect(after.failedTokenCalls - before.failedTokenCalls).toBe(2)
    expect(after.refreshes - before.refreshes).toBe(1)
    expect((await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })).status).toBe('active')
    await handle.signal(disconnectSignal, { by: 'test' })
    await handle.result()
  })

  it('tries again later when an outage outlasts the attempts while the token still works', async () => {
    const account = await connectedAccount(await tiktokGrant())
    const handle = await startRefresh(account.accountId, account.agencyId)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('waiting')
    const before = await sandboxCounters('/tiktok')
    await sandboxControl('/tiktok/__sandbox/faults', { count: 5, status: 500 })

    await env.sleep(23 * HOUR + MINUTE)
    const waiting = await advanceUntil(() => handle.query(tokenRefreshStateQuery), (state) => state.phase === 'retrying_later', MINUTE)
    expect((await sandboxCounters('/tiktok')).failedTokenCalls - before.failedTokenCalls).toBe(5)
    expect(waiting.lastError).toMatch(/TikTok could not refresh the token right now/)
    expect((await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })).status).toBe('active')

    expect(Date.parse(waiting.nextRefreshAt!) - (await env.currentTimeMs())).toBeLessThanOrEqual(RETRY_LATER_MS)
    await env.sleep(RETRY_LATER_MS + MINUTE)
    await advanceUntil(() => handle.query(tokenRefreshStateQuery), (state) => state.refreshes === 1, MINUTE)
    await handle.signal(disconnectSignal, { by: 'test' })
    await handle.result()
  })

  it('marks a revoked TikTok account needs_reauth, notifies its owner and creator, audits, and resumes after a reconnect', async () => {
    const account = await connectedAccount(await tiktokGrant())
    const handle = await startRefresh(account.accountId, account.agencyId)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('waiting')
    await sandboxControl('/tiktok/__sandbox/refresh-tokens/revoke', { refresh_token: account.grant.refreshToken })

    await env.sleep(23 * HOUR + MINUTE)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('awaiting_reauth')

    const row = await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })
    expect(row.status).toBe('needs_reauth')
    expect(row.statusReason).toMatch(/TikTok refused to refresh the token: Refresh token has been revoked\. \(invalid_grant/)
    expect(row.statusReason).not.toContain(account.grant.refreshToken!)

    const notifications = await db.notification.findMany({ where: { agencyId: account.agencyId }, orderBy: { userId: 'asc' } })
    expect(notifications.map((n) => n.userId).sort()).toEqual([account.owner.id, account.creatorUser.id].sort())
    for (const notification of notifications) {
      expect(notification).toMatchObject({ kind: 'account.needs_reauth', link: `/creators/${account.creatorId}`, readAt: null })
      expect(notification.title).toBe(`Reconnect TikTok ${account.grant.handle}`)
      expect(notification.idempotencyKey).toMatch(new RegExp(`:${notification.userId}$`))
    }
    const mails = await db.emailOutbox.findMany({ where: { agencyId: account.agencyId } })
    expect(mails.map((mail) => mail.toAddress).sort()).toEqual([account.owner.email, account.creatorUser.email].sort())
    expect(mails[0]!.text).toContain(`http://web.test/creators/${account.creatorId}`)
    const audit = await db.auditEvent.findMany({ where: { agencyId: account.agencyId, action: 'account.needs_reauth' } })
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorUserId: null, actorLabel: 'Greenlight', targetType: 'social_account', targetId: account.accountId })

    // A reconnect stores new tokens and signals; the run leaves "awaiting re-auth" and sleeps until the new expiry.
    const fresh = await tiktokGrant()
    await db.socialAccount.update({
      where: { id: account.accountId },
      data: { status: 'active', statusReason: null, ...sealAccountTokens(cipher, account.accountId, fresh), tokenExpiresAt: fresh.tokenExpiresAt },
    })
    await handle.signal(tokensReplacedSignal, { by: 'test' })
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('waiting')
    expect(Date.parse((await handle.query(tokenRefreshStateQuery)).nextRefreshAt!)).toBe(fresh.tokenExpiresAt!.getTime() - HOUR)

    await env.sleep(23 * HOUR + MINUTE)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).refreshes, POLL).toBe(1)
    expect((await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })).status).toBe('active')
    // Still exactly one notification per person: the second refresh succeeded.
    expect(await db.notification.count({ where: { agencyId: account.agencyId } })).toBe(2)

    if (await recordHistory(handle, 'token-refresh-reauth.json')) return
    await handle.signal(disconnectSignal, { by: 'test' })
    expect(await handle.result()).toEqual({ outcome: 'disconnected', refreshes: 1 })
  })

  it('finds a reconnect whose signal never came by reading the row again while awaiting re-auth', async () => {
    const account = await connectedAccount(await tiktokGrant())
    const handle = await startRefresh(account.accountId, account.agencyId)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('waiting')
    await sandboxControl('/tiktok/__sandbox/refresh-tokens/revoke', { refresh_token: account.grant.refreshToken })
    await env.sleep(23 * HOUR + MINUTE)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('awaiting_reauth')
    expect((await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })).status).toBe('needs_reauth')

    // The reconnect stores new tokens, but its signalWithStart failed: no tokensReplaced arrives, and the
    // API's sweep leaves a running workflow alone.
    const fresh = await tiktokGrant()
    await db.socialAccount.update({
      where: { id: account.accountId },
      data: { status: 'active', statusReason: null, ...sealAccountTokens(cipher, account.accountId, fresh), tokenExpiresAt: fresh.tokenExpiresAt, lastRefreshedAt: null },
    })
    await env.sleep(REAUTH_RECHECK_MS / 2)
    expect((await handle.query(tokenRefreshStateQuery)).phase).toBe('awaiting_reauth')

    await env.sleep(REAUTH_RECHECK_MS / 2 + MINUTE)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('waiting')
    expect(Date.parse((await handle.query(tokenRefreshStateQuery)).nextRefreshAt!)).toBe(fresh.tokenExpiresAt!.getTime() - HOUR)

    await env.sleep(fresh.tokenExpiresAt!.getTime() - HOUR - (await env.currentTimeMs()) + MINUTE)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).refreshes, POLL).toBe(1)
    const row = await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })
    expect(row.status).toBe('active')
    expect(row.tokenExpiresAt!.getTime()).toBeGreaterThan(fresh.tokenExpiresAt!.getTime())
    expect((await storedTokens(account.accountId))!.refreshToken).not.toBe(fresh.refreshToken)

    if (await recordHistory(handle, 'token-refresh-reauth-recheck.json')) return
    await handle.signal(disconnectSignal, { by: 'test' })
    expect(await handle.result()).toEqual({ outcome: 'disconnected', refreshes: 1 })
  })

  it('refreshes a Meta account by re-exchanging the long-lived user token a week before it expires', async () => {
    const account = await connectedAccount(await metaGrant())
    const handle = await startRefresh(account.accountId, account.agencyId)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('waiting')
    const due = Date.parse((await handle.query(tokenRefreshStateQuery)).nextRefreshAt!)
    expect(account.grant.tokenExpiresAt!.getTime() - due).toBe(7 * DAY)
    const before = await sandboxCounters('/meta')

    await env.sleep(due - (await env.currentTimeMs()) + MINUTE)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).refreshes, POLL).toBe(1)
    expect((await sandboxCounters('/meta')).longLivedExchanges).toBe(before.longLivedExchanges + 1)
    const row = await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })
    expect(row.tokenExpiresAt!.getTime()).toBeGreaterThan((await env.currentTimeMs()) + 59 * DAY)
    expect((await storedTokens(account.accountId))!.refreshToken).not.toBe(account.grant.refreshToken)
    await handle.signal(disconnectSignal, { by: 'test' })
    await handle.result()
  })

  it('marks a Meta account whose password changed (190/460) needs_reauth without retrying', async () => {
    const account = await connectedAccount(await metaGrant())
    const handle = await startRefresh(account.accountId, account.agencyId)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('waiting')
    await sandboxControl('/meta/__sandbox/tokens/revoke', { access_token: account.grant.refreshToken, subcode: 460 })
    const before = await sandboxCounters('/meta')

    await env.sleep(53 * DAY + MINUTE)
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase, POLL).toBe('awaiting_reauth')
    const row = await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })
    expect(row.status).toBe('needs_reauth')
    expect(row.statusReason).toMatch(/Meta refused to refresh the token: .*changed their password.*code 190, subcode 460/)
    // One attempt only: a refusal is not retried.
    expect((await sandboxCounters('/meta')).longLivedExchanges).toBe(before.longLivedExchanges)
    await handle.signal(disconnectSignal, { by: 'test' })
    expect(await handle.result()).toEqual({ outcome: 'disconnected', refreshes: 0 })
  })

  it('finishes when the account is not active, has no expiry, or is gone', async () => {
    const inactive = await connectedAccount(await tiktokGrant())
    await db.socialAccount.update({ where: { id: inactive.accountId }, data: { status: 'disconnected' } })
    expect(await (await startRefresh(inactive.accountId, inactive.agencyId)).result()).toEqual({ outcome: 'inactive', refreshes: 0 })

    const noExpiry = await connectedAccount(await tiktokGrant())
    await db.socialAccount.update({ where: { id: noExpiry.accountId }, data: { tokenExpiresAt: null } })
    expect(await (await startRefresh(noExpiry.accountId, noExpiry.agencyId)).result()).toEqual({ outcome: 'inactive', refreshes: 0 })

    const missing = randomUUID()
    expect(await (await startRefresh(missing, inactive.agencyId)).result()).toEqual({ outcome: 'deleted', refreshes: 0 })
  })

  // Last of the time-skipping tests: should the minimum ever be lost, the run refreshing back to back leaves the
  // test server unable to skip time for the tests after it.
  it('keeps refreshes at least MIN_REFRESH_INTERVAL_MS apart when the platform hands out tokens already due again', async () => {
    // Ten-minute tokens: every new token is inside TikTok's one-hour refresh lead the moment it arrives.
    await sandboxControl('/tiktok/__sandbox/config', { accessTokenSeconds: 10 * 60 })
    try {
      const account = await connectedAccount(await tiktokGrant())
      const before = (await sandboxCounters('/tiktok')).refreshes
      const handle = await startRefresh(account.accountId, account.agencyId)
      // The first refresh is due at once; the next one waits the interval out although its token is due already.
      // (Checked before skipping time: a run refreshing back to back never lets a skipped period end.)
      await expect.poll(async () => {
        const state = await handle.query(tokenRefreshStateQuery)
        return state.refreshes >= 1 && state.phase === 'waiting'
      }, POLL).toBe(true)
      const first = await handle.query(tokenRefreshStateQuery)
      const afterFirst = await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })
      expect(afterFirst.tokenExpiresAt!.getTime() - afterFirst.lastRefreshedAt!.getTime()).toBe(10 * MINUTE)
      expect(Date.parse(first.nextRefreshAt!) - afterFirst.lastRefreshedAt!.getTime()).toBe(MIN_REFRESH_INTERVAL_MS)

      const period = 2 * HOUR
      await env.sleep(period)
      // Ended by a disconnect and counted from the result: the test server's clock may still move while the test
      // reads, so a refresh can land between two reads, never between the result and the count.
      await handle.signal(disconnectSignal, { by: 'test' })
      const { refreshes } = await handle.result()
      expect((await sandboxCounters('/tiktok')).refreshes - before).toBe(refreshes)
      // Back to back they would number in the thousands over two hours; spaced out, about one per interval.
      expect(refreshes).toBeLessThanOrEqual(period / MIN_REFRESH_INTERVAL_MS + 2)
      expect(refreshes).toBeGreaterThanOrEqual(period / MIN_REFRESH_INTERVAL_MS - 1)
    } finally {
      await sandboxControl('/tiktok/__sandbox/config', { accessTokenSeconds: 24 * 60 * 60 })
    }
  })
})

describe('markAccountNeedsReauth (activity tier)', () => {
  const attempt = (runId: string, activityId: string, attemptNumber: number): Partial<Info> => ({
    workflowExecution: { workflowId: `token-refresh:test`, runId },
    activityId,
    attempt: attemptNumber,
  })

  it('notifies once per person and audits once when retried, and leaves a reconnected account alone', async () => {
    const account = await connectedAccount(await tiktokGrant())
    const activities = createSocialAccountActivities({ db, tokenCipher: cipher, mailer: createMailer({ db, from: 'test@greenlight.test' }), oauth })
    const read = await activities.readAccountForRefresh({ socialAccountId: account.accountId })
    const input = { socialAccountId: account.accountId, reason: 'TikTok refused.', tokensFingerprint: read!.tokensFingerprint }
    const runId = randomUUID()
    const logger = new DefaultLogger('WARN')
    const first = await new MockActivityEnvironment(attempt(runId, '7', 1), { logger }).run(activities.markAccountNeedsReauth, input)
    const retry = await new MockActivityEnvironment(attempt(runId, '7', 2), { logger }).run(activities.markAccountNeedsReauth, input)
    expect(first).toEqual({ marked: true, notified: 2 })
    expect(retry).toEqual({ marked: true, notified: 0 })
    expect(await db.notification.count({ where: { agencyId: account.agencyId } })).toBe(2)
    expect(await db.emailOutbox.count({ where: { agencyId: account.agencyId } })).toBe(2)
    expect(await db.auditEvent.count({ where: { agencyId: account.agencyId, action: 'account.needs_reauth' } })).toBe(1)

    // Tokens replaced by a reconnect before the mark: nothing happens.
    const other = await connectedAccount(await tiktokGrant())
    const stale = (await activities.readAccountForRefresh({ socialAccountId: other.accountId }))!.tokensFingerprint
    await db.socialAccount.update({ where: { id: other.accountId }, data: sealAccountTokens(cipher, other.accountId, await tiktokGrant()) })
    const skipped = await new MockActivityEnvironment(attempt(randomUUID(), '3', 1), { logger }).run(activities.markAccountNeedsReauth, {
      socialAccountId: other.accountId,
      reason: 'late',
      tokensFingerprint: stale,
    })
    expect(skipped).toEqual({ marked: false, notified: 0 })
    expect((await db.socialAccount.findUniqueOrThrow({ where: { id: other.accountId } })).status).toBe('active')
    expect(await db.notification.count({ where: { agencyId: other.agencyId } })).toBe(0)
  })

  it('tells the agency’s owners and managers when neither who connected the account nor the creator’s user is left', async () => {
    const account = await connectedAccount(await tiktokGrant())
    const member = (role: string, name: string) =>
      db.user.create({ data: { agencyId: account.agencyId, email: `${role}-${randomUUID()}@example.test`, name, role, passwordHash: 'x' } })
    const secondOwner = await member('owner', 'Otto Owner')
    const manager = await member('manager', 'Mina Manager')
    await member('editor', 'Eddie Editor')
    await member('analyst', 'Ana Analyst')
    const activities = createSocialAccountActivities({ db, tokenCipher: cipher, mailer: createMailer({ db, from: 'test@greenlight.test' }), oauth })
    const input = { socialAccountId: account.accountId, reason: 'TikTok refused.', tokensFingerprint: (await activities.readAccountForRefresh({ socialAccountId: account.accountId }))!.tokensFingerprint }
    const logger = new DefaultLogger('WARN')
    const recipientsOf = async (runId: string) =>
      (await db.notification.findMany({ where: { agencyId: account.agencyId, idempotencyKey: { startsWith: `${runId}:` } } })).map((n) => n.userId).sort()

    // While someone of the account's own is there, only they hear about it.
    const firstRun = randomUUID()
    expect(await new MockActivityEnvironment(attempt(firstRun, '5', 1), { logger }).run(activities.markAccountNeedsReauth, input)).toEqual({ marked: true, notified: 2 })
    expect(await recipientsOf(firstRun)).toEqual([account.owner.id, account.creatorUser.id].sort())

    // Both leave the team (the creator profile stays, unlinked): the owners and managers are told instead.
    await db.user.deleteMany({ where: { id: { in: [account.owner.id, account.creatorUser.id] } } })
    const laterRun = randomUUID()
    expect(await new MockActivityEnvironment(attempt(laterRun, '5', 1), { logger }).run(activities.markAccountNeedsReauth, input)).toEqual({ marked: true, notified: 2 })
    expect(await recipientsOf(laterRun)).toEqual([secondOwner.id, manager.id].sort())
    const mails = await db.emailOutbox.findMany({ where: { agencyId: account.agencyId, toAddress: { in: [secondOwner.email, manager.email] } } })
    expect(mails.map((mail) => mail.toAddress).sort()).toEqual([secondOwner.email, manager.email].sort())
    expect(mails[0]!.text).toContain(`http://web.test/creators/${account.creatorId}`)
  })
})

describe('refreshAccountTokens (activity tier)', () => {
  const tokenEndpoint = (input: Parameters<typeof fetch>[0]) => String(input instanceof Request ? input.url : input).endsWith('/v2/oauth/token/')
  const clock = async () => new Date(await env.currentTimeMs())

  /** The activities with a fetch that runs `meanwhile` right after TikTok answered the refresh, before the write. */
  const activitiesWith = (tokenCipher: TokenCipher, meanwhile: () => Promise<void>) =>
    createSocialAccountActivities({
      db,
      tokenCipher,
      mailer: createMailer({ db, from: 'test@greenlight.test' }),
      oauth,
      clock,
      fetch: async (input, init) => {
        const response = await fetch(input, init)
        if (tokenEndpoint(input)) await meanwhile()
        return response
      },
    })

  it('stores the rotated TikTok pair although `tokens:rotate` re-sealed the row under a new key during the refresh', async () => {
    const account = await connectedAccount(await tiktokGrant())
    const before = await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })
    expect(before.tokenKeyId).toBe('wf-k1')
    let resealed: typeof before | null = null
    // The worker already runs with the new key first (as the rotation procedure says) when the script runs.
    const activities = activitiesWith(rotatedCipher, async () => {
      expect(await rotateTokenKeys(db, rotatedCipher)).toBeGreaterThanOrEqual(1)
      resealed = await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })
    })
    const read = await activities.readAccountForRefresh({ socialAccountId: account.accountId })

    const result = await activities.refreshAccountTokens({ socialAccountId: account.accountId, tokensFingerprint: read!.tokensFingerprint })
    expect(result.outcome).toBe('refreshed')
    // The re-seal really landed between the read and the write: same token, new ciphertext and key.
    expect(resealed).toMatchObject({ tokenKeyId: 'wf-k2' })
    expect(resealed!.refreshTokenCiphertext).not.toBe(before.refreshTokenCiphertext)
    expect(openAccountTokens(rotatedCipher, resealed!)!.refreshToken).toBe(account.grant.refreshToken)

    const row = await db.socialAccount.findUniqueOrThrow({ where: { id: account.accountId } })
    const stored = openAccountTokens(rotatedCipher, row)!
    expect(row.tokenKeyId).toBe('wf-k2')
    expect(stored.refreshToken).not.toBe(account.grant.refreshToken)
    expect(row.lastRefreshedAt).not.toBeNull()
    // What is stored is TikTok's current pair: the next refresh with it works (the old token was rotated away).
    const plain = activitiesWith(rotatedCipher, async () => undefined)
    const next = await plain.refreshAccountTokens({ socialAccountId: account.accountId, tokensFingerprint: (await plain.readAccountForRefresh({ socialAccountId: account.accountId }))!.tokensFingerprint })
    expect(next.outcome).toBe('refreshed')
  })

  it('leaves the tokens of a reconnect that landed during the refresh alone', async () => {
    const account = await connectedAccount(await tiktokGrant())
    const reconnect = await tiktokGrant()
    const activities = activitiesWith(cipher, async () => {
      await db.socialAccount.update({ where: { id: account.accountId }, data: { ...sealAccountTokens(cipher, account.accountId, reconnect), tokenExpiresAt: reconnect.tokenExpiresAt } })
    })
    const read = await activities.readAccountForRefresh({ socialAccountId: account.accountId })
    const result = await activities.refreshAccountTokens({ socialAccountId: account.accountId, tokensFingerprint: read!.tokensFingerprint })
    expect(result).toEqual({ outcome: 'skipped', reason: 'the account changed during the refresh' })
    expect(await storedTokens(account.accountId)).toEqual({ accessToken: reconnect.accessToken, refreshToken: reconnect.refreshToken })
  })
})
