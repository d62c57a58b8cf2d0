// Client review links through the API on a real PostgreSQL and Temporal dev server with the worker running:
// sharing cards (only the workspace's, once, the token shown once and only its hash kept), what the client sees
// without an account (the shared cards only, their drafts), decisions through a two-level round (refused in the
// internal step with nothing changed, accepted in the client step and attributed to the client in the round and
// the audit log), comments, expired, revoked and forged links, another agency's link, and the rate limit.
import { createHash, randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ApprovalPolicy } from '../../domain/approvals'
import { encodeReviewTokenPayload } from '../../domain/review-links'
import { createReviewLinkSigner, reviewLinkTokenHash } from '../../platform/review-link-tokens'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { uploadImages } from '../support/ai'
import { eventually, linkedCreator, submitAsCreator } from '../support/approvals'
import { apiOk, briefFixture, json, type CampaignFixture } from '../support/campaigns'

// Read when the app is built: this file's own data folder (uploads) and signing secret. Hoisted above the imports.
const { dataDir, secret } = vi.hoisted(() => {
  const { mkdtempSync } = process.getBuiltinModule('node:fs')
  const { tmpdir } = process.getBuiltinModule('node:os')
  const { join } = process.getBuiltinModule('node:path')
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-review-links-'))
  const secret = `review-links-test-secret-${process.pid}-0123456789abcdef`
  process.env.GREENLIGHT_DATA_DIR = dir
  process.env.STORAGE_DRIVER = 'local'
  process.env.REVIEW_LINK_SECRET = secret
  return { dataDir: dir, secret }
})

let h: ApiHarness
let owner: TestMember
let manager: TestMember

beforeAll(async () => {
  h = await startApiHarness()
  await h.startWorker()
  owner = await h.newTenant()
  manager = await h.newMember(owner.agencyId, 'manager')
})
afterAll(async () => {
  await h?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

const twoLevel: ApprovalPolicy = {
  mode: 'multi_level',
  steps: [
    { name: 'Internal review', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager'] },
    { name: 'Client sign-off', audience: 'client', rule: 'any', approverUserIds: [], approverRoles: ['client_approver'] },
  ],
  deadlines: { dueAfterHours: 48, remindBeforeHours: [], escalateAfterHours: null, expireAfterHours: null },
}

interface LinkDto {
  id: string
  status: string
  cardIds: string[]
  clientName: string
  createdBy: string | null
  revokedBy: string | null
  lastUsedAt: string | null
}
interface Created {
  link: LinkDto
  url: string
  emailStatus: string | null
}
interface ReviewCard {
  id: string
  title: string
  caption: { version: number; text: string } | null
  assets: { fileId: string; role: string; hasThumbnail: boolean }[]
  round: { status: string; stepName: string | null; stepAudience: string | null; captionVersion: number; yourDecisions: { kind: string }[] } | null
  canDecide: boolean
  waitingFor: string | null
}
interface Review {
  clientName: string
  agencyName: string
  workspace: { name: string; clientName: string }
  cards: ReviewCard[]
}

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/review/') + '/review/'.length)
const publicUrl = (token: string, rest = '') => `/api/public/review-links/${token}${rest}`
const publicGet = (token: string, rest = '') => h.app.inject({ method: 'GET', url: publicUrl(token, rest) })
const publicPost = (token: string, rest: string, body: unknown) =>
  h.app.inject({ method: 'POST', url: publicUrl(token, rest), headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) })
const decideAsClient = (token: string, body: Record<string, unknown>) => publicPost(token, '/decisions', body)
const shareCards = (who: TestMember, body: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/review-links', ...json(who, body) })
const roundRow = (cardId: string) => h.db.approvalRound.findFirstOrThrow({ where: { cardId }, orderBy: { round: 'desc' } })
const auditOf = (agencyId: string, action: string, targetId?: string) =>
  h.db.auditEvent.findMany({ where: { agencyId, action, ...(targetId ? { targetId } : {}) }, orderBy: { createdAt: 'asc' } })

/**
 * A workspace under the two-level policy with three cards, each with a caption and a draft image; the first is
 * submitted by its creator, so its round waits in the internal step.
 */
async function reviewFixture(who: TestMember = owner) {
  const fixture: CampaignFixture = await briefFixture(h, who, { deliverables: 3 })
  await apiOk(h, who, 'PUT', `/api/workspaces/${fixture.workspaceId}/approval-policy`, { policy: twoLevel })
  const cards = await h.db.contentTask.findMany({ where: { campaignId: fixture.campaignId }, orderBy: { sequence: 'asc' } })
  const files = await uploadImages(h, who, fixture.workspaceId, cards.length)
  for (const [index, card] of cards.entries()) {
    await apiOk(h, who, 'POST', `/api/cards/${card.id}/captions`, { text: `Caption of ${card.title}`, baseVersion: 0 })
    await apiOk(h, who, 'POST', `/api/cards/${card.id}/assets`, { fileId: files[index], role: 'draft' })
  }
  const creator = await linkedCreator(h, who.agencyId, fixture.creatorId)
  await submitAsCreator(h, creator, cards[0]!.id)
  return { fixture, cards: cards.map((card) => card.id) as [string, string, string], files: files as [string, string, string] }
}

describe('sharing cards with a client', () => {
  it('makes a signed link shown once, keeps only its hash, mails it, and lists it without the token', async () => {
    const { fixture, cards } = await reviewFixture()
    const res = await shareCards(manager, { workspaceId: fixture.workspaceId, cardIds: [cards[0], cards[1], cards[0]], clientName: '  Dana Client ', clientEmail: 'Dana@Client.test', expiresInDays: 7 })
    expect(res.statusCode, res.body).toBe(201)
    const created = res.json<Created>()
    expect(created.url).toMatch(/^http:\/\/web\.test\/review\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
    expect(created.link).toMatchObject({ status: 'active', cardIds: [cards[0], cards[1]], clientName: 'Dana Client', createdBy: 'Manager', lastUsedAt: null })
    const token = tokenOf(created.url)

    const row = await h.db.reviewLink.findUniqueOrThrow({ where: { id: created.link.id } })
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'))
    expect(JSON.stringify(row)).not.toContain(token)
    expect(row.expiresAt.getTime() - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000)
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000)

    expect(created.emailStatus).toBe('outbox')
    const mail = await h.db.emailOutbox.findFirstOrThrow({ where: { agencyId: owner.agencyId, toAddress: 'dana@client.test' } })
    expect(mail.text).toContain(created.url)
    expect(mail.recipientOnly).toBe(true)

    const listed = await h.app.inject({ method: 'GET', url: `/api/review-links?workspaceId=${fixture.workspaceId}`, headers: manager.headers })
    expect(listed.statusCode).toBe(200)
    expect(listed.json().links.map((link: LinkDto) => [link.id, link.status])).toEqual([[created.link.id, 'active']])
    expect(listed.body).not.toContain(token)
    expect(listed.body).not.toContain(row.tokenHash)

    expect(await auditOf(owner.agencyId, 'review_link.created', created.link.id)).toEqual([expect.objectContaining({ actorUserId: manager.userId, targetId: created.link.id, detail: expect.objectContaining({ clientName: 'Dana Client', cards: 2 }) })])
  })

  it('refuses cards of another workspace, bad lifetimes and roles without card.write, writing nothing', async () => {
    const { fixture, cards } = await reviewFixture()
    const other = await briefFixture(h, owner, { deliverables: 1 })
    const foreign = await h.db.contentTask.findFirstOrThrow({ where: { campaignId: other.campaignId } })
    const before = await h.db.reviewLink.count({ where: { agencyId: owner.agencyId } })

    const mixed = await shareCards(owner, { workspaceId: fixture.workspaceId, cardIds: [cards[0], foreign.id], clientName: 'Dana', expiresInDays: 3 })
    expect(mixed.statusCode).toBe(400)
    expect(mixed.json().error).toMatchObject({ code: 'CARD_NOT_IN_WORKSPACE', details: [{ path: '/cardIds/1' }] })
    for (const expiresInDays of [0, 31]) {
      const res = await shareCards(owner, { workspaceId: fixture.workspaceId, cardIds: [cards[0]], clientName: 'Dana', expiresInDays })
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    }
    const none = await shareCards(owner, { workspaceId: fixture.workspaceId, cardIds: [], clientName: 'Dana', expiresInDays: 3 })
    expect(none.json().error.code).toBe('VALIDATION_FAILED')
    for (const role of ['analyst', 'client_approver'] as const) {
      const member = await h.newMember(owner.agencyId, role)
      const res = await shareCards(member, { workspaceId: fixture.workspaceId, cardIds: [cards[0]], clientName: 'Dana', expiresInDays: 3 })
      expect([res.statusCode, res.json().error.code]).toEqual([403, 'FORBIDDEN'])
    }
    expect(await h.db.reviewLink.count({ where: { agencyId: owner.agencyId } })).toBe(before)
  })
})

describe('a client reviewing through a link', () => {
  it('sees only the shared cards; is refused in the internal step with nothing changed; decides in the client step as themselves', async () => {
    const { fixture, cards, files } = await reviewFixture()
    const [submitted, shared, notShared] = cards
    const created = await apiOk<Created>(h, manager, 'POST', '/api/review-links', { workspaceId: fixture.workspaceId, cardIds: [submitted, shared], clientName: 'Dana Client', expiresInDays: 7 })
    const token = tokenOf(created.url)
    const linkId = created.link.id

    // No session at all: the shared cards only, in the order shared.
    const page = await publicGet(token)
    expect(page.statusCode, page.body).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    const review = page.json<Review>()
    expect(review).toMatchObject({ clientName: 'Dana Client', workspace: { clientName: expect.any(String) } })
    expect(review.cards.map((card) => card.id)).toEqual([submitted, shared])
    const [first, second] = review.cards as [ReviewCard, ReviewCard]
    expect(first).toMatchObject({ caption: { version: 1 }, round: { status: 'pending', stepName: 'Internal review', stepAudience: 'internal', captionVersion: 1 }, canDecide: false })
    expect(first.waitingFor).toContain('Internal review')
    expect(first.assets).toEqual([expect.objectContaining({ fileId: files[0], role: 'draft', hasThumbnail: true })])
    expect(second).toMatchObject({ round: null, canDecide: false, caption: { version: 1 } })
    expect(page.body).not.toContain(notShared)
    expect((await h.db.reviewLink.findUniqueOrThrow({ where: { id: linkId } })).lastUsedAt).not.toBeNull()

    // The drafts of shared cards, nothing else.
    const image = await publicGet(token, `/assets/${files[0]}/content`)
    expect([image.statusCode, image.headers['content-type']]).toEqual([200, 'image/png'])
    expect(image.headers['cache-control']).toBe('private, no-cache')
    const thumbnail = await publicGet(token, `/assets/${files[0]}/thumbnail`)
    expect([thumbnail.statusCode, thumbnail.headers['content-type']]).toEqual([200, 'image/jpeg'])
    const partial = await h.app.inject({ method: 'GET', url: publicUrl(token, `/assets/${files[0]}/content`), headers: { range: 'bytes=0-9' } })
    expect([partial.statusCode, partial.rawPayload.length]).toEqual([206, 10])
    const unshared = await publicGet(token, `/assets/${files[2]}/content`)
    expect([unshared.statusCode, unshared.json().error.code]).toEqual([404, 'NOT_FOUND'])

    // In the internal step the client is not an approver: refused, and the round is as it was.
    const early = await decideAsClient(token, { cardId: submitted, kind: 'approve', captionVersion: 1 })
    expect([early.statusCode, early.json().error.code]).toEqual([403, 'NOT_AN_APPROVER'])
    expect(await roundRow(submitted)).toMatchObject({ status: 'pending', stepIndex: 0, decisions: [] })
    expect(await auditOf(owner.agencyId, 'review_link.decision', submitted)).toHaveLength(0)

    // A card the link does not share is not there, whatever it is.
    const outside = await decideAsClient(token, { cardId: notShared, kind: 'approve', captionVersion: 1 })
    expect([outside.statusCode, outside.json().error.code]).toEqual([404, 'NOT_FOUND'])

    // The internal step approves; the round now waits for the client.
    await apiOk(h, manager, 'POST', `/api/cards/${submitted}/approval/decisions`, { kind: 'approve', captionVersion: 1 })
    expect((await roundRow(submitted)).stepIndex).toBe(1)
    const clientStep = (await publicGet(token)).json<Review>().cards[0]!
    expect(clientStep).toMatchObject({ canDecide: true, waitingFor: null, round: { stepName: 'Client sign-off', stepAudience: 'client' } })

    // The round's own refusals pass through unchanged.
    const noComment = await decideAsClient(token, { cardId: submitted, kind: 'request_changes', captionVersion: 1 })
    expect([noComment.statusCode, noComment.json().error.code]).toEqual([400, 'COMMENT_REQUIRED'])
    const stale = await decideAsClient(token, { cardId: submitted, kind: 'approve', captionVersion: 0 })
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'STALE_VERSION'])
    expect(await roundRow(submitted)).toMatchObject({ status: 'pending', stepIndex: 1 })

    const decided = await decideAsClient(token, { cardId: submitted, kind: 'approve', captionVersion: 1, comment: 'Lovely, ship it.' })
    expect(decided.statusCode, decided.body).toBe(200)
    expect(decided.json()).toEqual({
      card: expect.objectContaining({
        id: submitted,
        canDecide: false,
        round: expect.objectContaining({ status: 'approved', stepName: null, yourDecisions: [{ kind: 'approve', comment: 'Lovely, ship it.', captionVersion: 1, at: expect.any(String) }] }),
      }),
    })
    // The client's view only: not who else decided, nor the round's workflow or its address in Temporal Web.
    const { workflowId } = await roundRow(submitted)
    for (const internal of [manager.userId, owner.userId, workflowId, '"workflowId"', '"temporalUrl"', '"decisions"']) expect(decided.body).not.toContain(internal)
    const row = await roundRow(submitted)
    expect(row.status).toBe('approved')
    expect((row.decisions as { by: { name: string; userId: string } }[]).map((decision) => [decision.by.name, decision.by.userId])).toEqual([['Manager', manager.userId], ['Dana Client', linkId]])
    await eventually(() => h.db.contentTask.findUniqueOrThrow({ where: { id: submitted } }), (card) => card.column === 'Approved', 'the card to move to Approved')

    const audit = await auditOf(owner.agencyId, 'review_link.decision', submitted)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorUserId: null, actorLabel: 'Dana Client (client)', targetType: 'card', targetId: submitted, detail: { reviewLinkId: linkId, clientName: 'Dana Client', cardId: submitted, kind: 'approve' } })

    // Decided: the page says so and offers no second decision.
    const after = (await publicGet(token)).json<Review>().cards[0]!
    expect(after).toMatchObject({ canDecide: false, round: { status: 'approved', yourDecisions: [{ kind: 'approve' }] } })
    const again = await decideAsClient(token, { cardId: submitted, kind: 'reject', captionVersion: 1, comment: 'Changed my mind' })
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'APPROVAL_NOT_PENDING'])
  })

  it('comments land in the card’s thread under the client’s name and are marked in the waiting round', async () => {
    const { fixture, cards } = await reviewFixture()
    const created = await apiOk<Created>(h, owner, 'POST', '/api/review-links', { workspaceId: fixture.workspaceId, cardIds: [cards[0]], clientName: 'Sam', expiresInDays: 1 })
    const token = tokenOf(created.url)
    const res = await publicPost(token, '/comments', { cardId: cards[0], text: '  Could the logo be larger?  ' })
    expect(res.statusCode, res.body).toBe(201)
    const { comment } = res.json()
    expect(comment).toMatchObject({ authorName: 'Sam (client)', body: 'Could the logo be larger?' })
    expect(await h.db.cardComment.findUniqueOrThrow({ where: { id: comment.id } })).toMatchObject({ authorUserId: null, authorName: 'Sam (client)', cardId: cards[0] })
    const detail = await apiOk<{ comments: { id: string; authorName: string }[] }>(h, owner, 'GET', `/api/cards/${cards[0]}`)
    expect(detail.comments.map((c) => [c.id, c.authorName])).toContainEqual([comment.id, 'Sam (client)'])
    await eventually(() => roundRow(cards[0]), (row) => (row.comments as { commentId: string }[]).some((c) => c.commentId === comment.id), 'the comment to be marked in the round')

    const outside = await publicPost(token, '/comments', { cardId: cards[1], text: 'Not mine to comment on' })
    expect([outside.statusCode, outside.json().error.code]).toEqual([404, 'NOT_FOUND'])
    const empty = await publicPost(token, '/comments', { cardId: cards[0], text: '   ' })
    expect(empty.json().error.code).toBe('VALIDATION_FAILED')
    expect(await h.db.cardComment.count({ where: { cardId: { in: [cards[0], cards[1]] } } })).toBe(1)
  })
})

describe('links that no longer work', () => {
  it('an expired link answers 410 and changes nothing', async () => {
    const { fixture, cards } = await reviewFixture()
    await apiOk(h, manager, 'POST', `/api/cards/${cards[0]}/approval/decisions`, { kind: 'approve', captionVersion: 1 })
    // A link that expired a minute ago, signed with this server's secret as one made 8 days ago would be.
    const id = randomUUID()
    const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000)
    const token = createReviewLinkSigner(secret).sign({ linkId: id, expiresAt })
    await h.db.reviewLink.create({
      data: { id, agencyId: owner.agencyId, workspaceId: fixture.workspaceId, cardIds: [cards[0]], clientName: 'Late', tokenHash: reviewLinkTokenHash(token), expiresAt, createdById: owner.userId },
    })
    const before = await roundRow(cards[0])
    for (const res of [
      await publicGet(token),
      await decideAsClient(token, { cardId: cards[0], kind: 'approve', captionVersion: 1 }),
      await publicPost(token, '/comments', { cardId: cards[0], text: 'Too late?' }),
    ]) {
      expect([res.statusCode, res.json().error.code]).toEqual([410, 'REVIEW_LINK_EXPIRED'])
    }
    expect(await roundRow(cards[0])).toMatchObject({ status: 'pending', stepIndex: 1, decisions: before.decisions })
    expect(await h.db.cardComment.count({ where: { cardId: cards[0] } })).toBe(0)
    const listed = await apiOk<{ links: LinkDto[] }>(h, owner, 'GET', `/api/review-links?workspaceId=${fixture.workspaceId}`)
    expect(listed.links.find((link) => link.id === id)?.status).toBe('expired')
  })

  it('a revoked link answers 410 at once; revoking twice is refused', async () => {
    const { fixture, cards, files } = await reviewFixture()
    const created = await apiOk<Created>(h, owner, 'POST', '/api/review-links', { workspaceId: fixture.workspaceId, cardIds: [cards[0]], clientName: 'Robin', expiresInDays: 30 })
    const token = tokenOf(created.url)
    expect((await publicGet(token)).statusCode).toBe(200)
    const editor = await h.newMember(owner.agencyId, 'editor')
    const revoked = await apiOk<{ link: LinkDto }>(h, editor, 'POST', `/api/review-links/${created.link.id}/revoke`)
    expect(revoked.link).toMatchObject({ status: 'revoked', revokedBy: 'Editor' })
    for (const res of [await publicGet(token), await publicGet(token, `/assets/${files[0]}/content`), await decideAsClient(token, { cardId: cards[0], kind: 'approve', captionVersion: 1 })]) {
      expect([res.statusCode, res.json().error.code]).toEqual([410, 'REVIEW_LINK_REVOKED'])
    }
    const twice = await h.app.inject({ method: 'POST', url: `/api/review-links/${created.link.id}/revoke`, headers: owner.headers })
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'REVIEW_LINK_REVOKED'])
    expect(await auditOf(owner.agencyId, 'review_link.revoked', created.link.id)).toEqual([expect.objectContaining({ actorUserId: editor.userId, targetId: created.link.id })])
  })

  it('a forged, tampered or unknown token is not found', async () => {
    const { fixture, cards } = await reviewFixture()
    const created = await apiOk<Created>(h, owner, 'POST', '/api/review-links', { workspaceId: fixture.workspaceId, cardIds: [cards[0]], clientName: 'Kim', expiresInDays: 2 })
    const token = tokenOf(created.url)
    const [payload, signature] = token.split('.') as [string, string]
    const longer = Buffer.from(encodeReviewTokenPayload({ v: 1, id: created.link.id, exp: Math.floor(Date.now() / 1000) + 365 * 86_400 })).toString('base64url')
    const forged = [
      `${longer}.${signature}`,
      `${payload}.${signature.slice(0, 42)}${signature.endsWith('A') ? 'B' : 'A'}`,
      createReviewLinkSigner('a-different-secret-that-is-long-enough-000').sign({ linkId: created.link.id, expiresAt: new Date(Date.now() + 86_400_000) }),
      // Signed with the right secret, but no link was ever made with it.
      createReviewLinkSigner(secret).sign({ linkId: randomUUID(), expiresAt: new Date(Date.now() + 86_400_000) }),
      'nonsense',
    ]
    for (const bad of forged) {
      const res = await publicGet(bad)
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'REVIEW_LINK_NOT_FOUND'])
      const decision = await decideAsClient(bad, { cardId: cards[0], kind: 'approve', captionVersion: 1 })
      expect(decision.statusCode).toBe(404)
    }
  })
})

describe('isolation and limits', () => {
  it('another agency’s link reaches none of this agency’s cards or files, and members of one agency cannot manage the other’s links', async () => {
    const mine = await reviewFixture()
    const rival = await h.newTenant()
    const theirs = await reviewFixture(rival)
    const rivalLink = await apiOk<Created>(h, rival, 'POST', '/api/review-links', { workspaceId: theirs.fixture.workspaceId, cardIds: [theirs.cards[0]], clientName: 'Rival client', expiresInDays: 5 })
    const rivalToken = tokenOf(rivalLink.url)

    const page = await publicGet(rivalToken)
    expect(page.json<Review>().cards.map((card) => card.id)).toEqual([theirs.cards[0]])
    const decision = await decideAsClient(rivalToken, { cardId: mine.cards[0], kind: 'approve', captionVersion: 1 })
    expect([decision.statusCode, decision.json().error.code]).toEqual([404, 'NOT_FOUND'])
    const comment = await publicPost(rivalToken, '/comments', { cardId: mine.cards[0], text: 'Hello from elsewhere' })
    expect(comment.statusCode).toBe(404)
    const file = await publicGet(rivalToken, `/assets/${mine.files[0]}/content`)
    expect(file.statusCode).toBe(404)
    expect(await roundRow(mine.cards[0])).toMatchObject({ status: 'pending', stepIndex: 0, decisions: [] })
    expect(await h.db.cardComment.count({ where: { cardId: mine.cards[0] } })).toBe(0)

    // Signed in, the rival's link and workspace are simply not there.
    const list = await h.app.inject({ method: 'GET', url: `/api/review-links?workspaceId=${theirs.fixture.workspaceId}`, headers: owner.headers })
    expect(list.statusCode).toBe(404)
    const revoke = await h.app.inject({ method: 'POST', url: `/api/review-links/${rivalLink.link.id}/revoke`, headers: owner.headers })
    expect(revoke.statusCode).toBe(404)
    expect((await h.db.reviewLink.findUniqueOrThrow({ where: { id: rivalLink.link.id } })).revokedAt).toBeNull()
    const share = await shareCards(owner, { workspaceId: theirs.fixture.workspaceId, cardIds: [theirs.cards[0]], clientName: 'Sneaky', expiresInDays: 1 })
    expect(share.statusCode).toBe(404)
  })

  it('public requests are rate limited per client address', async () => {
    const address = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
    let last = await h.app.inject({ method: 'GET', url: publicUrl('nonsense'), remoteAddress: address })
    for (let i = 0; i < 125 && last.statusCode !== 429; i++) last = await h.app.inject({ method: 'GET', url: publicUrl('nonsense'), remoteAddress: address })
    expect([last.statusCode, last.json().error.code]).toEqual([429, 'RATE_LIMITED'])
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0)
    // Another address is not affected.
    expect((await h.app.inject({ method: 'GET', url: publicUrl('nonsense'), remoteAddress: '10.250.0.1' })).statusCode).toBe(404)
  })
})
