// Creators and their social accounts through app.inject, on a real PostgreSQL and Temporal dev server, with
// the Meta and TikTok stand-ins started in-process: the whole connect round trip (authorize page, callback,
// tokens sealed at rest), reconnects, disconnects, plan limits and permissions.
import { createHash, randomUUID } from 'node:crypto'
import type http from 'node:http'
import { Writable } from 'node:stream'
import type { AddressInfo } from 'node:net'
import { WorkflowNotFoundError } from '@temporalio/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openAccountTokens } from '../../activities/social-accounts'
import { createMailer } from '../../platform/mailer'
import { bundleWorkflows } from '../../platform/workflow-bundle'
import { createMetaStandIn } from '../../sandbox/meta'
import { createSandboxServer } from '../../sandbox/server'
import { TIKTOK_SANDBOX_USERS, createTikTokStandIn } from '../../sandbox/tiktok'
import { AgencyIdAttribute, tokenRefreshStateQuery, tokenRefreshWorkflowId } from '../../workflows/token-refresh/definitions'
import { createGreenlightWorker, type GreenlightWorker } from '../../worker'
import { buildApp } from '../../api/app'
import { startApiHarness, testAppOptions, testTokenCipher, type ApiHarness, type TestMember } from '../support/api'

let h: ApiHarness
let sandbox: http.Server
let sandboxUrl: string
let worker: GreenlightWorker
let workerRun: Promise<void>

beforeAll(async () => {
  sandbox = createSandboxServer([createMetaStandIn(), createTikTokStandIn()])
  await new Promise<void>((resolve) => sandbox.listen(0, '127.0.0.1', resolve))
  sandboxUrl = `http://127.0.0.1:${(sandbox.address() as AddressInfo).port}`
  // The API's OAuth settings come from oauthSettings(): in sandbox mode they point at SANDBOX_URL.
  process.env.SANDBOX_URL = sandboxUrl
  h = await startApiHarness()
  expect(h.app.settings.oauth.meta.graphBaseUrl).toBe(`${sandboxUrl}/meta`)
  // A worker with the same token cipher as the API, so the token-refresh workflows the API starts really run.
  worker = await createGreenlightWorker({
    temporal: h.app.settings.temporal,
    db: h.db,
    tokenCipher: testTokenCipher,
    mailer: createMailer({ db: h.db, from: 'test@greenlight.test' }),
    oauth: h.app.settings.oauth,
    connection: h.env.nativeConnection,
    workflowBundle: await bundleWorkflows(),
    storage: h.app.storage,
  })
  workerRun = worker.run()
})

afterAll(async () => {
  worker?.shutdown()
  await workerRun
  await h?.stop()
  await new Promise((resolve) => sandbox?.close(resolve))
})

const json = (who: { headers: Record<string, string> }, payload?: unknown) => ({
  headers: { ...who.headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
  ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
})

const api = (who: TestMember, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => h.app.inject({ method, url, ...json(who, payload) })

async function newCreator(who: TestMember, body: Record<string, unknown> = {}) {
  const res = await api(who, 'POST', '/api/creators', { displayName: `Creator ${randomUUID().slice(0, 6)}`, ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().creator as { id: string; displayName: string; tags: string[]; user: { id: string } | null }
}

const decode = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|#39);/g, (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[entity]!)

/** The browser on the stand-in's authorize page: Approve or Deny, then where the platform sends it back. */
async function followAuthorizePage(authorizeUrl: string, decision: 'approve' | 'deny', openId?: string, pages?: string[]): Promise<URL> {
  const page = await fetch(authorizeUrl)
  const html = await page.text()
  expect(page.status, html).toBe(200)
  expect(html).toMatch(/Sandbox — not the real (Meta|TikTok)/)
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!
  const form = new URLSearchParams()
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.append(name!, decode(value!))
  if (pages) for (const id of pages) form.append('page', id)
  else for (const [, id] of html.matchAll(/name="page" value="([^"]+)" checked/g)) form.append('page', decode(id!))
  const person = openId ?? /name="open_id" value="([^"]+)" checked/.exec(html)?.[1]
  if (person) form.set('open_id', decode(person))
  form.set('decision', decision)
  const response = await fetch(new URL(action, authorizeUrl), { method: 'POST', body: form, redirect: 'manual' })
  expect(response.status).toBe(302)
  return new URL(response.headers.get('location')!)
}

async function startConnect(who: TestMember, creatorId: string, provider: 'meta' | 'tiktok') {
  const res = await api(who, 'POST', `/api/creators/${creatorId}/connect/${provider}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as { authorizeUrl: string; expiresAt: string }
}

/** Start → authorize page → callback, as the web app's routes do it. */
async function connect(who: TestMember, creatorId: string, provider: 'meta' | 'tiktok', options: { decision?: 'approve' | 'deny'; openId?: string } = {}) {
  const { authorizeUrl } = await startConnect(who, creatorId, provider)
  const back = await followAuthorizePage(authorizeUrl, options.decision ?? 'approve', options.openId)
  expect(`${back.origin}${back.pathname}`).toBe(`${h.app.settings.oauth.webUrl}/oauth/${provider}/callback`)
  const body = Object.fromEntries(
    [
      ['state', back.searchParams.get('state')],
      ['code', back.searchParams.get('code')],
      ['error', back.searchParams.get('error')],
      ['errorDescription', back.searchParams.get('error_description')],
    ].filter(([, value]) => value !== null),
  )
  return api(who, 'POST', `/api/oauth/${provider}/callback`, body)
}

/** The plaintext tokens of an agency's accounts, opened from the database with the API's key. */
async function plaintextTokens(agencyId: string): Promise<string[]> {
  const rows = await h.db.socialAccount.findMany({ where: { agencyId } })
  return rows.flatMap((row) => {
    const tokens = openAccountTokens(testTokenCipher, row)
    return tokens ? [tokens.accessToken, ...(tokens.refreshToken ? [tokens.refreshToken] : [])] : []
  })
}

describe('creators', () => {
  let owner: TestMember
  beforeAll(async () => {
    owner = await h.newTenant()
  })

  it('creates, lists, reads, updates and deletes a creator profile', async () => {
    const created = await newCreator(owner, { displayName: '  Nova Reyes ', notes: 'Food and travel', tags: [' food', 'Travel', 'FOOD', 'travel '] })
    expect(created).toMatchObject({ displayName: 'Nova Reyes', tags: ['food', 'Travel'], user: null })

    const list = await api(owner, 'GET', '/api/creators')
    expect(list.json().creators.map((c: { id: string }) => c.id)).toContain(created.id)

    const detail = await api(owner, 'GET', `/api/creators/${created.id}`)
    expect(detail.statusCode).toBe(200)
    expect(detail.json()).toMatchObject({ creator: { id: created.id, notes: 'Food and travel', accountCounts: { active: 0, needs_reauth: 0, disconnected: 0 } }, accounts: [] })

    const updated = await api(owner, 'PATCH', `/api/creators/${created.id}`, { displayName: 'Nova R.', tags: [] })
    expect(updated.statusCode).toBe(200)
    expect(updated.json().creator).toMatchObject({ displayName: 'Nova R.', tags: [], notes: 'Food and travel' })

    expect((await api(owner, 'DELETE', `/api/creators/${created.id}`)).statusCode).toBe(204)
    expect((await api(owner, 'GET', `/api/creators/${created.id}`)).statusCode).toBe(404)
  })

  it('refuses bad input with 400 VALIDATION_FAILED and writes nothing', async () => {
    const before = await h.db.creator.count({ where: { agencyId: owner.agencyId } })
    for (const body of [
      { displayName: '' },
      { displayName: '   ' },
      { displayName: 'x'.repeat(121) },
      { displayName: 'Ok', notes: 'n'.repeat(4001) },
      { displayName: 'Ok', tags: ['a,b'] },
      { displayName: 'Ok', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      { displayName: 'Ok', followers: 10 },
      { displayName: 'Ok', userId: 'not-a-uuid' },
    ]) {
      const res = await api(owner, 'POST', '/api/creators', body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    }
    const creator = await newCreator(owner)
    const empty = await api(owner, 'PATCH', `/api/creators/${creator.id}`, {})
    expect(empty.statusCode).toBe(400)
    expect(await h.db.creator.count({ where: { agencyId: owner.agencyId } })).toBe(before + 1)
  })

  it('links a user with the creator role, one profile per user, never someone of another role or agency', async () => {
    const creatorUser = await h.newMember(owner.agencyId, 'creator')
    const editor = await h.newMember(owner.agencyId, 'editor')
    const outsider = await h.newTenant()
    const linked = await newCreator(owner, { userId: creatorUser.userId })
    expect(linked.user).toMatchObject({ id: creatorUser.userId, email: creatorUser.email })

    const linkable = await api(owner, 'GET', '/api/creators/linkable-users')
    expect(linkable.json().users).toContainEqual(expect.objectContaining({ id: creatorUser.userId, creatorId: linked.id }))
    expect(linkable.json().users.map((u: { id: string }) => u.id)).not.toContain(editor.userId)

    const second = await api(owner, 'POST', '/api/creators', { displayName: 'Second', userId: creatorUser.userId })
    expect(second.statusCode).toBe(409)
    expect(second.json().error.code).toBe('CREATOR_USER_TAKEN')
    const wrongRole = await api(owner, 'POST', '/api/creators', { displayName: 'Editor', userId: editor.userId })
    expect(wrongRole.statusCode).toBe(400)
    expect(wrongRole.json().error.details).toEqual([{ path: '/userId', message: 'must be a user with the creator role' }])
    const otherAgency = await api(owner, 'POST', '/api/creators', { displayName: 'Outsider', userId: outsider.userId })
    expect(otherAgency.statusCode).toBe(400)

    const unlinked = await api(owner, 'PATCH', `/api/creators/${linked.id}`, { userId: null })
    expect(unlinked.json().creator.user).toBeNull()
  })

  it('answers 404 for another agency’s creator on every route', async () => {
    const creator = await newCreator(owner)
    const intruder = await h.newTenant()
    for (const [method, url, body] of [
      ['GET', `/api/creators/${creator.id}`],
      ['PATCH', `/api/creators/${creator.id}`, { displayName: 'Mine now' }],
      ['DELETE', `/api/creators/${creator.id}`],
      ['POST', `/api/creators/${creator.id}/connect/meta`],
      ['POST', `/api/creators/${creator.id}/accounts/${randomUUID()}/disconnect`],
    ] as const) {
      const res = await api(intruder, method, url, body)
      expect(res.statusCode, `${method} ${url}`).toBe(404)
      expect(res.json().error.code).toBe('NOT_FOUND')
    }
    expect((await api(intruder, 'GET', '/api/creators')).json().creators).toEqual([])
  })
})

describe('permissions', () => {
  let owner: TestMember
  let creatorId: string
  beforeAll(async () => {
    owner = await h.newTenant()
    creatorId = (await newCreator(owner)).id
  })

  it('lets an analyst read creators but neither change them nor connect accounts', async () => {
    const analyst = await h.newMember(owner.agencyId, 'analyst')
    expect((await api(analyst, 'GET', `/api/creators/${creatorId}`)).statusCode).toBe(200)
    for (const [method, url, body] of [
      ['POST', '/api/creators', { displayName: 'Nope' }],
      ['PATCH', `/api/creators/${creatorId}`, { notes: 'x' }],
      ['DELETE', `/api/creators/${creatorId}`],
      ['POST', `/api/creators/${creatorId}/connect/meta`],
      ['POST', '/api/oauth/meta/callback', { state: 'whatever', code: 'c' }],
    ] as const) {
      const res = await api(analyst, method, url, body)
      expect(res.statusCode, `${method} ${url}`).toBe(403)
      expect(res.json().error.code).toBe('FORBIDDEN')
    }
    expect(await h.db.oAuthState.count({ where: { agencyId: owner.agencyId } })).toBe(0)
  })

  it('lets an editor edit profiles but not connect accounts, and keeps creators away from a client approver', async () => {
    const editor = await h.newMember(owner.agencyId, 'editor')
    expect((await api(editor, 'PATCH', `/api/creators/${creatorId}`, { notes: 'edited' })).statusCode).toBe(200)
    expect((await api(editor, 'POST', `/api/creators/${creatorId}/connect/tiktok`)).statusCode).toBe(403)
    const approver = await h.newMember(owner.agencyId, 'client_approver')
    expect((await api(approver, 'GET', '/api/creators')).statusCode).toBe(403)
  })

  it('lets only owners and managers delete a creator or change its linked user (creator.manage), not an editor', async () => {
    const tenant = await h.newTenant()
    const editor = await h.newMember(tenant.agencyId, 'editor')
    const manager = await h.newMember(tenant.agencyId, 'manager')
    const [linkedUser, otherUser] = [await h.newMember(tenant.agencyId, 'creator'), await h.newMember(tenant.agencyId, 'creator')]
    const creator = await newCreator(tenant, { userId: linkedUser.userId })
    const [account] = (await connect(linkedUser, creator.id, 'tiktok')).json().accounts

    // Deleting would disconnect every account; relinking would hand them to another creator-role user.
    const deleted = await api(editor, 'DELETE', `/api/creators/${creator.id}`)
    expect(deleted.statusCode).toBe(403)
    expect(deleted.json().error).toEqual({ code: 'FORBIDDEN', message: 'Your role (Editor) does not allow this (needs creator.manage).' })
    for (const userId of [otherUser.userId, null]) {
      const relinked = await api(editor, 'PATCH', `/api/creators/${creator.id}`, { notes: 'relinked', userId })
      expect(relinked.statusCode, String(userId)).toBe(403)
      expect(relinked.json().error).toEqual({
        code: 'FORBIDDEN',
        message: 'Your role (Editor) does not allow changing the user a creator is linked to (needs creator.manage).',
      })
    }
    const row = await h.db.creator.findUniqueOrThrow({ where: { id: creator.id } })
    expect(row).toMatchObject({ userId: linkedUser.userId, notes: '' })
    expect(await h.db.socialAccount.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ creatorId: creator.id, status: 'active' })

    // The profile form sends the linked user along unchanged: that is no change, so an editor may save it.
    const same = await api(editor, 'PATCH', `/api/creators/${creator.id}`, { notes: 'kept', userId: linkedUser.userId })
    expect(same.statusCode, same.body).toBe(200)
    expect(same.json().creator).toMatchObject({ notes: 'kept', user: { id: linkedUser.userId } })

    const byManager = await api(manager, 'PATCH', `/api/creators/${creator.id}`, { userId: otherUser.userId })
    expect(byManager.statusCode, byManager.body).toBe(200)
    expect(byManager.json().creator.user).toMatchObject({ id: otherUser.userId })
    expect((await api(manager, 'DELETE', `/api/creators/${creator.id}`)).statusCode).toBe(204)
    expect(await h.db.socialAccount.count({ where: { id: account.id } })).toBe(0)
  })

  it('lets a creator-role user see and connect only the profile linked to them', async () => {
    const creatorUser = await h.newMember(owner.agencyId, 'creator')
    const own = await newCreator(owner, { userId: creatorUser.userId })
    expect((await api(creatorUser, 'GET', '/api/creators')).json().creators.map((c: { id: string }) => c.id)).toEqual([own.id])
    expect((await api(creatorUser, 'GET', `/api/creators/${creatorId}`)).statusCode).toBe(404)
    const foreign = await api(creatorUser, 'POST', `/api/creators/${creatorId}/connect/meta`)
    expect(foreign.statusCode).toBe(403)
    expect(foreign.json().error.message).toMatch(/only for your own profile/)
    const res = await connect(creatorUser, own.id, 'tiktok')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ outcome: 'connected', connected: 1 })
  })

  it('refuses a change without the CSRF token', async () => {
    const res = await h.app.inject({ method: 'POST', url: `/api/creators/${creatorId}/connect/meta`, headers: { cookie: owner.cookie } })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('CSRF_TOKEN_INVALID')
  })
})

describe('connecting Meta and TikTok accounts', () => {
  let owner: TestMember
  beforeAll(async () => {
    owner = await h.newTenant()
  })

  it('connects the Pages and Instagram accounts of a Meta login, never showing a token, sealed in the database', async () => {
    const creator = await newCreator(owner)
    const { authorizeUrl, expiresAt } = await startConnect(owner, creator.id, 'meta')
    const url = new URL(authorizeUrl)
    expect(`${url.origin}${url.pathname}`).toBe(`${sandboxUrl}/meta/v24.0/dialog/oauth`)
    expect(url.searchParams.get('redirect_uri')).toBe(`${h.app.settings.oauth.webUrl}/oauth/meta/callback`)
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000)
    // Only the state's digest is stored.
    const state = url.searchParams.get('state')!
    const stored = await h.db.oAuthState.findFirstOrThrow({ where: { creatorId: creator.id } })
    expect(stored.stateHash).toBe(createHash('sha256').update(state).digest('hex'))
    expect(stored).toMatchObject({ platform: 'meta', userId: owner.userId, codeVerifier: null })

    const back = await followAuthorizePage(authorizeUrl, 'approve')
    const res = await api(owner, 'POST', '/api/oauth/meta/callback', { state: back.searchParams.get('state'), code: back.searchParams.get('code') })
    expect(res.statusCode, res.body).toBe(200)
    const result = res.json()
    expect(result).toMatchObject({ outcome: 'connected', creatorId: creator.id, provider: 'meta', connected: 5, reconnected: 0, refreshScheduled: true })
    expect(result.accounts.map((a: { platform: string; handle: string }) => `${a.platform}:${a.handle}`).sort()).toEqual([
      'facebook:Sandbox Bakery',
      'facebook:Sandbox Newsroom',
      'facebook:Sandbox Studio',
      'instagram:sandbox.bakery',
      'instagram:sandbox.studio',
    ])
    expect(result.accounts[0]).toMatchObject({ status: 'active', sandbox: true, scopes: expect.arrayContaining(['instagram_content_publish', 'pages_manage_posts']) })
    expect(Date.parse(result.accounts[0].tokenExpiresAt) - Date.now()).toBeGreaterThan(59 * 86_400_000)
    expect(await h.db.oAuthState.count({ where: { creatorId: creator.id } })).toBe(0)

    // Tokens never leave the API: not in the callback's answer, not in the creator's page.
    const detail = await api(owner, 'GET', `/api/creators/${creator.id}`)
    expect(detail.json().accounts).toHaveLength(5)
    expect(detail.json().creator.accountCounts).toEqual({ active: 5, needs_reauth: 0, disconnected: 0 })
    const tokens = await plaintextTokens(owner.agencyId)
    expect(tokens.length).toBeGreaterThanOrEqual(10)
    for (const body of [res.body, detail.body, (await api(owner, 'GET', '/api/creators')).body]) {
      for (const token of tokens) expect(body).not.toContain(token)
      expect(body).not.toMatch(/ciphertext|tokenKeyId|EAAG|EAAP/i)
    }

    // The raw table holds ciphertexts only, each bound to its row.
    const raw = await h.db.$queryRaw<Record<string, unknown>[]>`SELECT * FROM "SocialAccount" WHERE "agencyId" = ${owner.agencyId}::uuid`
    expect(raw).toHaveLength(5)
    const rawText = JSON.stringify(raw)
    for (const token of tokens) expect(rawText).not.toContain(token)
    for (const row of raw) {
      expect(row.accessTokenCiphertext).toMatch(/^v1\./)
      expect(row.tokenKeyId).toBe(testTokenCipher.activeKeyId)
      expect(() => testTokenCipher.open({ ciphertext: row.accessTokenCiphertext as string, keyId: row.tokenKeyId as string }, randomUUID())).toThrow()
    }

    const audit = await h.db.auditEvent.findMany({ where: { agencyId: owner.agencyId, action: 'account.connected' } })
    expect(audit).toHaveLength(5)
    expect(audit[0]).toMatchObject({ actorUserId: owner.userId, targetType: 'social_account' })
    expect(JSON.stringify(audit)).not.toMatch(/EAAG|EAAP/)

    // Each account has its token-refresh workflow, findable by agency.
    for (const account of result.accounts as { id: string }[]) {
      const description = await h.env.client.workflow.getHandle(tokenRefreshWorkflowId(account.id)).describe()
      expect(description.status.name).toBe('RUNNING')
      expect(description.typedSearchAttributes.get(AgencyIdAttribute)).toBe(owner.agencyId)
    }

    // The state was spent: the same callback again is refused.
    const replay = await api(owner, 'POST', '/api/oauth/meta/callback', { state: back.searchParams.get('state'), code: back.searchParams.get('code') })
    expect(replay.statusCode).toBe(400)
    expect(replay.json().error.code).toBe('OAUTH_STATE_INVALID')
  })

  it('reconnects by updating the same rows with new tokens, not adding new ones', async () => {
    const tenant = await h.newTenant()
    const recreator = await newCreator(tenant)
    const first = (await connect(tenant, recreator.id, 'meta')).json()
    const before = await h.db.socialAccount.findMany({ where: { agencyId: tenant.agencyId }, orderBy: { id: 'asc' } })
    await h.db.socialAccount.update({ where: { id: before[0]!.id }, data: { status: 'needs_reauth', statusReason: 'revoked' } })

    const again = await connect(tenant, recreator.id, 'meta')
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json()).toMatchObject({ outcome: 'connected', connected: 0, reconnected: 5 })
    const after = await h.db.socialAccount.findMany({ where: { agencyId: tenant.agencyId }, orderBy: { id: 'asc' } })
    expect(after.map((row) => row.id)).toEqual(before.map((row) => row.id))
    expect(after.map((row) => row.id).sort()).toEqual(first.accounts.map((a: { id: string }) => a.id).sort())
    expect(after.every((row) => row.status === 'active' && row.statusReason === null)).toBe(true)
    after.forEach((row, i) => expect(row.accessTokenCiphertext).not.toBe(before[i]!.accessTokenCiphertext))
    expect(await h.db.auditEvent.count({ where: { agencyId: tenant.agencyId, action: 'account.reconnected' } })).toBe(5)
  })

  it('connects two TikTok accounts for one creator with PKCE, naming them by username', async () => {
    const creator = await newCreator(owner)
    const { authorizeUrl } = await startConnect(owner, creator.id, 'tiktok')
    expect(new URL(authorizeUrl).searchParams.get('code_challenge_method')).toBe('S256')
    expect((await h.db.oAuthState.findFirstOrThrow({ where: { creatorId: creator.id } })).codeVerifier).toMatch(/^[\w-]{43,128}$/)
    await h.db.oAuthState.deleteMany({ where: { creatorId: creator.id } })

    for (const person of TIKTOK_SANDBOX_USERS) {
      const res = await connect(owner, creator.id, 'tiktok', { openId: person.openId })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json().accounts).toEqual([expect.objectContaining({ platform: 'tiktok', handle: person.username, externalId: person.openId, status: 'active' })])
    }
    const detail = (await api(owner, 'GET', `/api/creators/${creator.id}`)).json()
    expect(detail.accounts.map((a: { handle: string }) => a.handle).sort()).toEqual(TIKTOK_SANDBOX_USERS.map((u) => u.username).sort())
    const expiry = Date.parse(detail.accounts[0].tokenExpiresAt) - Date.now()
    expect(expiry).toBeGreaterThan(23 * 3_600_000)
    expect(expiry).toBeLessThanOrEqual(24 * 3_600_000)
  })

  it('says clearly when the person cancels on the platform, and writes nothing', async () => {
    const creator = await newCreator(owner)
    const accountsBefore = await h.db.socialAccount.count({ where: { agencyId: owner.agencyId } })
    const auditBefore = await h.db.auditEvent.count({ where: { agencyId: owner.agencyId } })
    for (const provider of ['meta', 'tiktok'] as const) {
      const res = await connect(owner, creator.id, provider, { decision: 'deny' })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json()).toMatchObject({ outcome: 'not_connected', reason: 'access_denied', creatorId: creator.id })
      expect(res.json().message).toMatch(/cancelled on (Meta|TikTok), so nothing was connected/)
    }
    expect(await h.db.socialAccount.count({ where: { agencyId: owner.agencyId } })).toBe(accountsBefore)
    expect(await h.db.auditEvent.count({ where: { agencyId: owner.agencyId } })).toBe(auditBefore)
  })

  it('connects nothing when no Facebook Page was shared, and says so', async () => {
    const creator = await newCreator(owner)
    const back = await followAuthorizePage((await startConnect(owner, creator.id, 'meta')).authorizeUrl, 'approve', undefined, [])
    const res = await api(owner, 'POST', '/api/oauth/meta/callback', { state: back.searchParams.get('state'), code: back.searchParams.get('code') })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ outcome: 'not_connected', reason: 'no_accounts', message: expect.stringMatching(/select at least one Page/) })
    expect(await h.db.socialAccount.count({ where: { creatorId: creator.id } })).toBe(0)
  })

  it('refuses an unknown, expired, foreign or mismatched state with 400 OAUTH_STATE_INVALID', async () => {
    const creator = await newCreator(owner)
    const unknown = await api(owner, 'POST', '/api/oauth/meta/callback', { state: 'made-up', code: 'c' })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error).toMatchObject({ code: 'OAUTH_STATE_INVALID', message: expect.stringMatching(/Start connecting again/) })

    const expired = await startConnect(owner, creator.id, 'meta')
    const expiredBack = await followAuthorizePage(expired.authorizeUrl, 'approve')
    await h.db.oAuthState.updateMany({ where: { creatorId: creator.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    const late = await api(owner, 'POST', '/api/oauth/meta/callback', { state: expiredBack.searchParams.get('state'), code: expiredBack.searchParams.get('code') })
    expect(late.json().error.code).toBe('OAUTH_STATE_INVALID')

    // Started by one user, finished by another (same agency, or another agency): refused.
    const manager = await h.newMember(owner.agencyId, 'manager')
    const intruder = await h.newTenant()
    const started = await followAuthorizePage((await startConnect(owner, creator.id, 'meta')).authorizeUrl, 'approve')
    const body = { state: started.searchParams.get('state'), code: started.searchParams.get('code') }
    expect((await api(manager, 'POST', '/api/oauth/meta/callback', body)).json().error.code).toBe('OAUTH_STATE_INVALID')
    expect((await api(intruder, 'POST', '/api/oauth/meta/callback', body)).json().error.code).toBe('OAUTH_STATE_INVALID')
    // A Meta state at the TikTok callback: refused.
    expect((await api(owner, 'POST', '/api/oauth/tiktok/callback', body)).json().error.code).toBe('OAUTH_STATE_INVALID')
    expect(await h.db.socialAccount.count({ where: { creatorId: creator.id } })).toBe(0)

    const unknownProvider = await api(owner, 'POST', '/api/oauth/myspace/callback', { state: 's', code: 'c' })
    expect(unknownProvider.statusCode).toBe(400)
  })

  it('answers 400 OAUTH_CODE_REJECTED when the platform refuses the code (here: already used)', async () => {
    const owner = await h.newTenant()
    const creator = await newCreator(owner)
    const back = await followAuthorizePage((await startConnect(owner, creator.id, 'tiktok')).authorizeUrl, 'approve')
    expect((await api(owner, 'POST', '/api/oauth/tiktok/callback', { state: back.searchParams.get('state'), code: back.searchParams.get('code') })).statusCode).toBe(200)
    const fresh = new URL((await startConnect(owner, creator.id, 'tiktok')).authorizeUrl)
    const res = await api(owner, 'POST', '/api/oauth/tiktok/callback', { state: fresh.searchParams.get('state'), code: back.searchParams.get('code') })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'OAUTH_CODE_REJECTED', message: expect.stringMatching(/TikTok did not accept this connection/) })
  })

  it('refuses with 409 an account that another creator of the agency holds, changing nothing', async () => {
    const tenant = await h.newTenant()
    const first = await newCreator(tenant)
    const second = await newCreator(tenant)
    expect((await connect(tenant, first.id, 'tiktok')).statusCode).toBe(200)
    const rowsBefore = await h.db.socialAccount.findMany({ where: { agencyId: tenant.agencyId } })
    const res = await connect(tenant, second.id, 'tiktok')
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'ACCOUNT_CONNECTED_ELSEWHERE', message: expect.stringContaining(first.displayName) })
    expect(await h.db.socialAccount.findMany({ where: { agencyId: tenant.agencyId } })).toEqual(rowsBefore)
  })

  it('does not name the other creator to a creator-role user whose account is connected elsewhere', async () => {
    const tenant = await h.newTenant()
    const other = await newCreator(tenant, { displayName: 'Private Client Name' })
    expect((await connect(tenant, other.id, 'tiktok')).statusCode).toBe(200)
    const creatorUser = await h.newMember(tenant.agencyId, 'creator')
    const own = await newCreator(tenant, { userId: creatorUser.userId })
    const rowsBefore = await h.db.socialAccount.findMany({ where: { agencyId: tenant.agencyId } })

    const res = await connect(creatorUser, own.id, 'tiktok')
    expect(res.statusCode).toBe(409)
    const { code, message } = res.json().error
    expect(code).toBe('ACCOUNT_CONNECTED_ELSEWHERE')
    expect(message).toBe(
      `Already connected to another creator of this agency: TikTok “${TIKTOK_SANDBOX_USERS[0]!.username}”. Ask the agency to disconnect it there first; nothing was changed.`,
    )
    expect(message).not.toContain(other.displayName)
    expect(await h.db.socialAccount.findMany({ where: { agencyId: tenant.agencyId } })).toEqual(rowsBefore)
  })

  it('refuses with 402 PLAN_LIMIT_REACHED when new accounts would pass the plan’s connected-accounts limit', async () => {
    const tenant = await h.newTenant()
    const creator = await newCreator(tenant)
    // Starter allows 10: eight in use leave room for one TikTok account, not for Meta's five.
    await h.db.socialAccount.createMany({
      data: Array.from({ length: 8 }, (_, i) => ({ agencyId: tenant.agencyId, creatorId: creator.id, platform: 'instagram', handle: `filler${i}`, externalId: `filler-${i}` })),
    })
    const meta = await connect(tenant, creator.id, 'meta')
    expect(meta.statusCode).toBe(402)
    expect(meta.json().error).toMatchObject({ code: 'PLAN_LIMIT_REACHED', message: expect.stringMatching(/Starter plan allows 10 connected social accounts; 8 are in use and this needs 5 more/) })
    expect(await h.db.socialAccount.count({ where: { agencyId: tenant.agencyId } })).toBe(8)
    expect((await connect(tenant, creator.id, 'tiktok')).statusCode).toBe(200)
    // A disconnected account does not count; reconnecting it does again.
    await h.db.socialAccount.updateMany({ where: { agencyId: tenant.agencyId, handle: 'filler0' }, data: { status: 'disconnected' } })
    expect((await connect(tenant, creator.id, 'tiktok', { openId: TIKTOK_SANDBOX_USERS[1]!.openId })).statusCode).toBe(200)
    expect((await connect(tenant, creator.id, 'tiktok', { openId: TIKTOK_SANDBOX_USERS[0]!.openId })).json()).toMatchObject({ reconnected: 1 })
  })

  it('disconnects: tokens wiped, status disconnected, audited, the refresh workflow stopped; a reconnect brings it back', async () => {
    const tenant = await h.newTenant()
    const creator = await newCreator(tenant)
    const [account] = (await connect(tenant, creator.id, 'tiktok')).json().accounts
    const handle = h.env.client.workflow.getHandle(tokenRefreshWorkflowId(account.id))
    // Asleep until the refresh is due, an hour before the TikTok token expires.
    await expect.poll(async () => (await handle.query(tokenRefreshStateQuery)).phase).toBe('waiting')
    expect(Date.parse((await handle.query(tokenRefreshStateQuery)).nextRefreshAt!)).toBe(Date.parse(account.tokenExpiresAt) - 3_600_000)

    const res = await api(tenant, 'POST', `/api/creators/${creator.id}/accounts/${account.id}/disconnect`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().account).toMatchObject({ id: account.id, status: 'disconnected', tokenExpiresAt: null })
    const row = await h.db.socialAccount.findUniqueOrThrow({ where: { id: account.id } })
    expect(row).toMatchObject({ status: 'disconnected', accessTokenCiphertext: null, refreshTokenCiphertext: null, tokenKeyId: null, tokenExpiresAt: null })
    expect(await handle.result()).toEqual({ outcome: 'disconnected', refreshes: 0 })
    expect(await h.db.auditEvent.count({ where: { agencyId: tenant.agencyId, action: 'account.disconnected', targetId: account.id } })).toBe(1)
    // Again: no change, no second audit entry.
    expect((await api(tenant, 'POST', `/api/creators/${creator.id}/accounts/${account.id}/disconnect`)).statusCode).toBe(200)
    expect(await h.db.auditEvent.count({ where: { agencyId: tenant.agencyId, action: 'account.disconnected' } })).toBe(1)

    const back = await connect(tenant, creator.id, 'tiktok')
    expect(back.json()).toMatchObject({ reconnected: 1, accounts: [expect.objectContaining({ id: account.id, status: 'active' })] })
    await expect.poll(async () => (await h.env.client.workflow.getHandle(tokenRefreshWorkflowId(account.id)).describe()).status.name).toBe('RUNNING')
  })

  it('deletes a creator with its accounts, audits their disconnection and stops their workflows', async () => {
    const tenant = await h.newTenant()
    const creator = await newCreator(tenant)
    const [account] = (await connect(tenant, creator.id, 'tiktok')).json().accounts
    expect((await api(tenant, 'DELETE', `/api/creators/${creator.id}`)).statusCode).toBe(204)
    expect(await h.db.socialAccount.count({ where: { id: account.id } })).toBe(0)
    expect(await h.db.auditEvent.count({ where: { agencyId: tenant.agencyId, action: 'account.disconnected', targetId: account.id } })).toBe(1)
    const result = await h.env.client.workflow.getHandle(tokenRefreshWorkflowId(account.id)).result()
    expect(['disconnected', 'deleted']).toContain(result.outcome)
  })
})

describe('notifications', () => {
  it('lists only your own, counts unread, and marks one or all read', async () => {
    const owner = await h.newTenant()
    const colleague = await h.newMember(owner.agencyId, 'manager')
    const mine = await h.db.notification.create({ data: { agencyId: owner.agencyId, userId: owner.userId, kind: 'account.needs_reauth', title: 'Reconnect', body: 'Body', link: '/creators/x' } })
    await h.db.notification.create({ data: { agencyId: owner.agencyId, userId: owner.userId, kind: 'account.needs_reauth', title: 'Second', body: 'Body' } })
    const theirs = await h.db.notification.create({ data: { agencyId: owner.agencyId, userId: colleague.userId, kind: 'account.needs_reauth', title: 'Theirs', body: 'Body' } })

    const list = await api(owner, 'GET', '/api/notifications')
    expect(list.statusCode).toBe(200)
    expect(list.json().unread).toBe(2)
    expect(list.json().notifications.map((n: { title: string }) => n.title).sort()).toEqual(['Reconnect', 'Second'])

    const read = await api(owner, 'POST', `/api/notifications/${mine.id}/read`)
    expect(read.statusCode).toBe(200)
    expect(read.json().notification.readAt).toEqual(expect.any(String))
    expect((await api(owner, 'GET', '/api/notifications')).json().unread).toBe(1)
    expect((await api(owner, 'POST', `/api/notifications/${theirs.id}/read`)).statusCode).toBe(404)
    expect((await h.db.notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt).toBeNull()

    expect((await api(owner, 'POST', '/api/notifications/read-all')).json()).toEqual({ marked: 1 })
    expect((await api(owner, 'GET', '/api/notifications')).json().unread).toBe(0)
    expect((await api(colleague, 'GET', '/api/notifications')).json().unread).toBe(1)
  })
})

describe('workflow start is idempotent per account', () => {
  it('a reconnect signals the running workflow instead of starting a second one', async () => {
    const tenant = await h.newTenant()
    const creator = await newCreator(tenant)
    const [account] = (await connect(tenant, creator.id, 'tiktok')).json().accounts
    const firstRun = (await h.env.client.workflow.getHandle(tokenRefreshWorkflowId(account.id)).describe()).runId
    await connect(tenant, creator.id, 'tiktok')
    const description = await h.env.client.workflow.getHandle(tokenRefreshWorkflowId(account.id)).describe()
    expect(description.runId).toBe(firstRun)
    expect(description.status.name).toBe('RUNNING')
    await expect(h.env.client.workflow.getHandle(tokenRefreshWorkflowId(randomUUID())).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError)
  })
})

describe('tokens stay out of the log', () => {
  it('a connect on a debug-level API logs requests, never the code, the state or a token', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const logged = await buildApp(testAppOptions(h.db, h.env.client, h.app.settings), { logger: { level: 'debug', stream } })
    try {
      const owner = await h.newTenant()
      const creator = await newCreator(owner)
      const started = await logged.inject({ method: 'POST', url: `/api/creators/${creator.id}/connect/tiktok`, headers: owner.headers })
      expect(started.statusCode).toBe(200)
      const back = await followAuthorizePage(started.json().authorizeUrl, 'approve')
      const code = back.searchParams.get('code')!
      const state = back.searchParams.get('state')!
      const res = await logged.inject({
        method: 'POST',
        url: '/api/oauth/tiktok/callback',
        headers: { ...owner.headers, 'content-type': 'application/json' },
        payload: JSON.stringify({ code, state }),
      })
      expect(res.statusCode, res.body).toBe(200)
      const log = lines.join('')
      expect(log).toContain('/api/oauth/tiktok/callback')
      for (const secret of [code, state, owner.csrfToken, owner.cookie.split('=')[1]!, ...(await plaintextTokens(owner.agencyId))]) {
        expect(log).not.toContain(secret)
      }
      expect(log).not.toMatch(/ciphertext/i)
    } finally {
      await logged.close()
    }
  })
})
