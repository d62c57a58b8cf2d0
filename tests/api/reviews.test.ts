// The review grid through the API on a real PostgreSQL and Temporal: cards submitted by their creators open
// approval rounds (approval:<cardId>:<round>), the grid lists them with the caption under review and the AI
// variants side by side, filtered and paged; creators see only their own; batch decisions go card by card,
// each through its round, and one refusal (self-approval, a stale version, another agency's card) never
// stops the rest. States afterwards are read from the rows.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { RUBRICS } from '../../domain/rubric'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { uploadImages, waitForBatch } from '../support/ai'
import { linkedCreator, submitAsCreator } from '../support/approvals'
import { apiOk, briefFixture, json, type CampaignFixture } from '../support/campaigns'

// Uploaded assets go to a folder of this file's own (the worker reads their previews from it).
vi.hoisted(() => {
  const { mkdtempSync } = process.getBuiltinModule('node:fs')
  const { tmpdir } = process.getBuiltinModule('node:os')
  const { join } = process.getBuiltinModule('node:path')
  process.env.GREENLIGHT_DATA_DIR = mkdtempSync(join(tmpdir(), 'greenlight-reviews-'))
  process.env.STORAGE_DRIVER = 'local'
})

let h: ApiHarness
let owner: TestMember

beforeAll(async () => {
  h = await startApiHarness()
  await h.startWorker()
  owner = await h.newTenant()
}, 120_000)
afterAll(async () => {
  await h?.stop()
})

interface RoundView {
  id: string
  cardId: string
  round: number
  status: string
  captionVersion: number
  submittedAt: string
  decisions: { kind: string; by: { userId: string }; captionVersion: number }[]
}
interface ReviewVariant {
  id: string
  captionVersion: number
  text: string
  overall: number | null
  rubrics: Record<string, { score: number; reason: string }> | null
  underReview: boolean
}
interface ReviewItem {
  card: { id: string; title: string; platform: string; column: string; campaign: { id: string; name: string }; workspace: { id: string }; thumbnailUrl: string | null; assets: { role: string }[] }
  round: RoundView
  caption: { version: number; text: string; overall: number | null } | null
  variants: ReviewVariant[]
  canDecide: boolean
  canEdit: boolean
  refusal: { code: string; message: string } | null
}
interface ReviewList {
  items: ReviewItem[]
  total: number
  nextCursor: string | null
}
type DecisionResult = { cardId: string; ok: true; round: RoundView } | { cardId: string; ok: false; error: { code: string; message: string } }

const reviews = (who: TestMember, query: string) => apiOk<ReviewList>(h, who, 'GET', `/api/reviews?${query}`)
const decide = (who: TestMember, body: unknown) => h.app.inject({ method: 'POST', url: '/api/reviews/decisions', ...json(who, body) })

/** A creator user linked to a creator profile of the fixture's agency. */
const creatorUser = (creatorId: string) => linkedCreator(h, owner.agencyId, creatorId)

async function newCreatorProfile(): Promise<string> {
  return (await h.db.creator.create({ data: { agencyId: owner.agencyId, displayName: `Creator ${randomUUID().slice(0, 8)}` } })).id
}

/** The creator carries their card from wherever it is to Submitted, which opens a round. */
async function submit(creator: TestMember, cardId: string): Promise<void> {
  await submitAsCreator(h, creator, cardId)
  // The move's transaction opened the round.
  const rounds = await h.db.approvalRound.count({ where: { cardId } })
  if (rounds !== 1) throw new Error(`submitting card ${cardId} opened ${rounds} rounds`)
}

/** A card with a caption, assigned to the creator profile and submitted by its creator. */
async function submittedCard(fixture: CampaignFixture, creator: TestMember, creatorId: string, title: string): Promise<string> {
  const { card } = await apiOk<{ card: { id: string } }>(h, owner, 'POST', '/api/cards', {
    campaignId: fixture.campaignId,
    title,
    platform: 'instagram',
    assigneeCreatorId: creatorId,
    caption: `${title}: first light over the roastery.`,
  })
  await submit(creator, card.id)
  return card.id
}

const roundOf = (cardId: string) => h.db.approvalRound.findFirstOrThrow({ where: { cardId }, orderBy: { round: 'desc' } })
const columnOf = async (cardId: string) => (await h.db.contentTask.findUniqueOrThrow({ where: { id: cardId } })).column

describe('the review list', () => {
  let fixture: CampaignFixture
  let creator: TestMember
  let aiCardId: string
  let plainCardId: string

  beforeAll(async () => {
    fixture = await briefFixture(h, owner, { deliverables: 0 })
    creator = await creatorUser(fixture.creatorId)
    // AI captions for an image, landed on a card of the campaign (three variants, scored), then assigned.
    const [assetId] = await uploadImages(h, owner, fixture.workspaceId, 1)
    const started = await apiOk<{ batch: { id: string } }>(h, owner, 'POST', `/api/workspaces/${fixture.workspaceId}/ai-batches`, {
      campaignId: fixture.campaignId,
      assetIds: [assetId],
      formats: ['instagram'],
      variantsPerItem: 3,
      providerChain: ['offline'],
    })
    const batch = await waitForBatch(h, owner, started.batch.id)
    expect(batch.status).toBe('completed')
    aiCardId = batch.items[0]!.card!.id
    const aiCard = await apiOk<{ card: { version: number } }>(h, owner, 'GET', `/api/cards/${aiCardId}`)
    await apiOk(h, owner, 'PATCH', `/api/cards/${aiCardId}`, { version: aiCard.card.version, assigneeCreatorId: fixture.creatorId })
    await submit(creator, aiCardId)
    // Submitted later, so listed first.
    plainCardId = await submittedCard(fixture, creator, fixture.creatorId, 'Roastery morning')
    // Not submitted: never in the grid.
    await apiOk(h, owner, 'POST', '/api/cards', { campaignId: fixture.campaignId, title: 'Still an idea', platform: 'instagram' })
  }, 120_000)

  it('lists the pending cards of a workspace, newest submission first, with the caption under review and the AI variants scored', async () => {
    const list = await reviews(owner, `workspaceId=${fixture.workspaceId}`)
    expect(list.total).toBe(2)
    expect(list.items.map((item) => item.card.id)).toEqual([plainCardId, aiCardId])
    expect(list.nextCursor).toBeNull()

    const plain = list.items[0]!
    expect(plain.round).toMatchObject({ cardId: plainCardId, round: 1, status: 'pending', captionVersion: 1 })
    expect(plain.caption).toEqual({ version: 1, text: 'Roastery morning: first light over the roastery.', source: 'manual', overall: null })
    expect(plain.variants).toEqual([])
    expect(plain.card).toMatchObject({ title: 'Roastery morning', platform: 'instagram', column: 'Submitted_By_Creator', campaign: { id: fixture.campaignId }, workspace: { id: fixture.workspaceId } })
    expect(plain).toMatchObject({ canDecide: true, canEdit: true, refusal: null })

    const ai = list.items[1]!
    const captions = await h.db.captionVersion.findMany({ where: { cardId: aiCardId }, orderBy: { version: 'asc' } })
    expect(captions).toHaveLength(3)
    // The round reviews the latest version, the best variant's; every variant is shown beside it.
    expect(ai.round.captionVersion).toBe(captions.at(-1)!.version)
    expect(ai.variants.map((variant) => variant.captionVersion)).toEqual(captions.map((caption) => caption.version))
    expect(ai.variants.map((variant) => variant.text)).toEqual(captions.map((caption) => caption.text))
    expect(ai.variants.filter((variant) => variant.underReview).map((variant) => variant.captionVersion)).toEqual([ai.round.captionVersion])
    const stored = await h.db.aiVariant.findMany({ where: { captionVersion: { cardId: aiCardId } } })
    for (const variant of ai.variants) {
      const row = stored.find((candidate) => candidate.id === variant.id)!
      expect(variant.overall).toBe(row.overall)
      expect(Object.keys(variant.rubrics!).sort()).toEqual([...RUBRICS].sort())
      for (const name of RUBRICS) {
        const rubric = (row.scores as { rubrics: Record<string, { score: number; reason: string }> }).rubrics[name]!
        expect(variant.rubrics![name]).toEqual({ score: rubric.score, reason: rubric.reason })
      }
    }
    const underReview = ai.variants.find((variant) => variant.underReview)!
    expect(ai.caption).toMatchObject({ version: ai.round.captionVersion, source: 'ai', overall: underReview.overall })
    expect(Math.max(...ai.variants.map((variant) => variant.overall!))).toBe(underReview.overall)
    // The asset the captions were written for is the card's preview, as on the board.
    expect(ai.card.thumbnailUrl).toMatch(/^\/api\/assets\/[0-9a-f-]{36}\/thumbnail$/)
    expect(ai.card.assets.map((asset) => asset.role)).toEqual(['reference'])
  })

  it('filters by status, platform, campaign and the overall score of the caption under review, and pages', async () => {
    const ai = (await reviews(owner, `workspaceId=${fixture.workspaceId}`)).items.find((item) => item.card.id === aiCardId)!
    const score = ai.caption!.overall!
    const ids = async (query: string) => (await reviews(owner, `workspaceId=${fixture.workspaceId}&${query}`)).items.map((item) => item.card.id)

    // Only AI captions have a score: a threshold leaves the hand-written one out.
    expect(await ids(`minScore=${score}`)).toEqual([aiCardId])
    expect(await ids(`maxScore=${score}`)).toEqual([aiCardId])
    if (score < 100) expect(await ids(`minScore=${score + 1}`)).toEqual([])
    if (score > 0) expect(await ids(`maxScore=${score - 1}`)).toEqual([])
    expect(await ids('platform=tiktok')).toEqual([])
    expect(await ids('platform=instagram')).toEqual([plainCardId, aiCardId])
    expect(await ids('status=approved')).toEqual([])
    expect(await ids('status=all')).toEqual([plainCardId, aiCardId])
    expect(await ids(`campaignId=${fixture.campaignId}`)).toEqual([plainCardId, aiCardId])

    const first = await reviews(owner, `workspaceId=${fixture.workspaceId}&limit=1`)
    expect(first.items.map((item) => item.card.id)).toEqual([plainCardId])
    expect(first.total).toBe(2)
    const second = await reviews(owner, `workspaceId=${fixture.workspaceId}&limit=1&cursor=${first.nextCursor}`)
    expect(second.items.map((item) => item.card.id)).toEqual([aiCardId])
    expect(second.nextCursor).toBeNull()

    const bad = async (query: string) => {
      const res = await h.app.inject({ method: 'GET', url: `/api/reviews?${query}`, headers: owner.headers })
      return [res.statusCode, res.json().error.code]
    }
    expect(await bad('cursor=nonsense')).toEqual([400, 'CURSOR_INVALID'])
    expect(await bad('minScore=80&maxScore=20')).toEqual([400, 'VALIDATION_FAILED'])
    expect(await bad('minScore=101')).toEqual([400, 'VALIDATION_FAILED'])
    expect(await bad('status=maybe')).toEqual([400, 'VALIDATION_FAILED'])
    expect(await bad(`workspaceId=${randomUUID()}`)).toEqual([404, 'NOT_FOUND'])
  })

  it('shows creators their own cards only, and tells readers who may not decide why', async () => {
    const otherProfile = await newCreatorProfile()
    const other = await creatorUser(otherProfile)
    const theirs = await submittedCard(fixture, other, otherProfile, 'Cupping notes')

    const mine = await reviews(creator, `workspaceId=${fixture.workspaceId}`)
    expect(mine.items.map((item) => item.card.id).sort()).toEqual([plainCardId, aiCardId].sort())
    expect(mine.total).toBe(2)
    // A creator submits; deciding is the reviewers'.
    for (const item of mine.items) expect(item).toMatchObject({ canDecide: false, canEdit: false, refusal: { code: 'NOT_AN_APPROVER' } })
    expect((await reviews(other, `workspaceId=${fixture.workspaceId}`)).items.map((item) => item.card.id)).toEqual([theirs])
    // Without a workspace a creator's list is still only their own.
    expect((await reviews(other, '')).items.map((item) => item.card.id)).toEqual([theirs])

    const analyst = await h.newMember(owner.agencyId, 'analyst')
    const read = await reviews(analyst, `workspaceId=${fixture.workspaceId}`)
    expect(read.items.map((item) => item.card.id)).toEqual([theirs, plainCardId, aiCardId])
    expect(read.items[0]).toMatchObject({ canDecide: false, refusal: { code: 'NOT_AN_APPROVER' } })
    // A creator cannot decide on someone else's card either: to them it is not there.
    const refused = await decide(creator, { items: [{ cardId: theirs, captionVersion: 1 }], kind: 'approve' })
    expect(refused.statusCode).toBe(200)
    expect(refused.json().results).toEqual([{ cardId: theirs, ok: false, error: { code: 'NOT_FOUND', message: 'Card was not found.' } }])
    expect((await roundOf(theirs)).status).toBe('pending')
  })
})

describe('batch decisions', () => {
  it('decides each card on its own: one approved, one self-submitted (SELF_APPROVAL), one stale (STALE_VERSION)', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const creator = await creatorUser(fixture.creatorId)
    const approvable = await submittedCard(fixture, creator, fixture.creatorId, 'Harvest reel')
    const stale = await submittedCard(fixture, creator, fixture.creatorId, 'Washing station story')
    // Someone who submitted as a creator and was made a manager since: a reviewer, but not of their own work.
    const promotedProfile = await newCreatorProfile()
    const promoted = await creatorUser(promotedProfile)
    const own = await submittedCard(fixture, promoted, promotedProfile, 'Drying beds timelapse')
    await apiOk(h, owner, 'PATCH', `/api/team/members/${promoted.userId}`, { role: 'manager' })

    // The manager reads the grid; meanwhile the owner edits one caption under review (version 2 now).
    const grid = await reviews(promoted, `workspaceId=${fixture.workspaceId}`)
    const read = new Map(grid.items.map((item) => [item.card.id, item]))
    expect(read.get(own)).toMatchObject({ canDecide: false, refusal: { code: 'SELF_APPROVAL' } })
    expect(read.get(approvable)).toMatchObject({ canDecide: true })
    await apiOk(h, owner, 'POST', `/api/cards/${stale}/approval/caption`, { captionVersion: 1, text: 'Washing station story: the water tells you when the beans are ready.' })

    const res = await decide(promoted, {
      kind: 'approve',
      items: [approvable, own, stale].map((cardId) => ({ cardId, captionVersion: read.get(cardId)!.round.captionVersion })),
    })
    expect(res.statusCode, res.body).toBe(200)
    const results = res.json().results as DecisionResult[]
    expect(results.map((result) => [result.cardId, result.ok ? 'ok' : result.error.code])).toEqual([
      [approvable, 'ok'],
      [own, 'SELF_APPROVAL'],
      [stale, 'STALE_VERSION'],
    ])
    expect(results[0]).toMatchObject({ ok: true, round: { cardId: approvable, status: 'approved' } })

    // The rows: the approved round and its card moved on; the refused ones as they were.
    const approvedRound = await roundOf(approvable)
    expect(approvedRound.status).toBe('approved')
    expect(approvedRound.decidedAt).not.toBeNull()
    expect(approvedRound.decisions).toMatchObject([{ kind: 'approve', by: { userId: promoted.userId }, captionVersion: 1 }])
    await expect.poll(() => columnOf(approvable), { timeout: 15_000 }).toBe('Approved')
    const ownRound = await roundOf(own)
    expect(ownRound).toMatchObject({ status: 'pending', decisions: [] })
    expect(await columnOf(own)).toBe('Submitted_By_Creator')
    const staleRound = await roundOf(stale)
    expect(staleRound).toMatchObject({ status: 'pending', captionVersion: 2, decisions: [] })
    expect(await columnOf(stale)).toBe('Submitted_By_Creator')

    // The pending grid no longer lists the approved card; "approved" does.
    expect((await reviews(owner, `workspaceId=${fixture.workspaceId}`)).items.map((item) => item.card.id).sort()).toEqual([own, stale].sort())
    expect((await reviews(owner, `workspaceId=${fixture.workspaceId}&status=approved`)).items.map((item) => item.card.id)).toEqual([approvable])
  }, 60_000)

  it('requests changes with the comment on every card, and refuses without one card by card', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const creator = await creatorUser(fixture.creatorId)
    const first = await submittedCard(fixture, creator, fixture.creatorId, 'Espresso pull')
    const second = await submittedCard(fixture, creator, fixture.creatorId, 'Milk texture')
    const items = [first, second].map((cardId) => ({ cardId, captionVersion: 1 }))

    const blank = (await decide(owner, { kind: 'request_changes', items, comment: '   ' })).json().results as DecisionResult[]
    expect(blank.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual(['COMMENT_REQUIRED', 'COMMENT_REQUIRED'])
    expect((await roundOf(first)).status).toBe('pending')

    const res = await decide(owner, { kind: 'request_changes', items, comment: 'Shoot it in daylight, please.' })
    expect((res.json().results as DecisionResult[]).every((result) => result.ok)).toBe(true)
    for (const cardId of [first, second]) {
      expect(await roundOf(cardId)).toMatchObject({ status: 'changes_requested', decisions: [{ kind: 'request_changes', comment: 'Shoot it in daylight, please.' }] })
      await expect.poll(() => columnOf(cardId), { timeout: 15_000 }).toBe('Needs_Changes')
    }
    // Deciding again on a finished round is refused, not repeated.
    const again = (await decide(owner, { kind: 'approve', items: [items[0]] })).json().results as DecisionResult[]
    expect(again[0]).toMatchObject({ ok: false, error: { code: 'APPROVAL_NOT_PENDING' } })
  }, 60_000)

  it('answers another agency’s card as not found and leaves it alone', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const creator = await creatorUser(fixture.creatorId)
    const cardId = await submittedCard(fixture, creator, fixture.creatorId, 'Origin trip')
    const outsider = await h.newTenant()

    const res = await decide(outsider, { kind: 'approve', items: [{ cardId, captionVersion: 1 }] })
    expect(res.statusCode).toBe(200)
    expect(res.json().results).toEqual([{ cardId, ok: false, error: { code: 'NOT_FOUND', message: 'Card was not found.' } }])
    expect(await roundOf(cardId)).toMatchObject({ status: 'pending', decisions: [] })
    // Nor does their grid show it, or their filter reach our workspace.
    expect((await reviews(outsider, 'status=all')).items).toEqual([])
    const foreign = await h.app.inject({ method: 'GET', url: `/api/reviews?workspaceId=${fixture.workspaceId}`, headers: outsider.headers })
    expect(foreign.statusCode).toBe(404)
  }, 60_000)

  it('refuses a malformed batch whole, with 400 VALIDATION_FAILED, deciding nothing', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const creator = await creatorUser(fixture.creatorId)
    const cardId = await submittedCard(fixture, creator, fixture.creatorId, 'Grinder close-up')
    const item = { cardId, captionVersion: 1 }
    const bodies: unknown[] = [
      { kind: 'approve', items: [] },
      { kind: 'approve', items: Array.from({ length: 101 }, () => ({ cardId: randomUUID(), captionVersion: 1 })) },
      { kind: 'applaud', items: [item] },
      { kind: 'approve', items: [{ cardId: 'not-a-card', captionVersion: 1 }] },
      { kind: 'approve', items: [{ cardId, captionVersion: -1 }] },
      { kind: 'approve', items: [item], extra: true },
      { kind: 'approve', items: [item, item] },
      // The same card in another case is still the same card.
      { kind: 'approve', items: [item, { cardId: cardId.toUpperCase(), captionVersion: 1 }] },
    ]
    for (const body of bodies) {
      const res = await decide(owner, body)
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
    }
    expect(await roundOf(cardId)).toMatchObject({ status: 'pending', decisions: [] })
    // Without the session's CSRF token nothing is decided either.
    const forged = await h.app.inject({ method: 'POST', url: '/api/reviews/decisions', headers: { cookie: owner.cookie, 'content-type': 'application/json' }, payload: JSON.stringify({ kind: 'approve', items: [item] }) })
    expect(forged.statusCode).toBe(403)
    expect((await roundOf(cardId)).status).toBe('pending')
  }, 60_000)

  it('reads a card id in upper case as the card itself, and answers with it as stored', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const creator = await creatorUser(fixture.creatorId)
    const cardId = await submittedCard(fixture, creator, fixture.creatorId, 'Cupping table')
    const res = await decide(owner, { kind: 'approve', items: [{ cardId: cardId.toUpperCase(), captionVersion: 1 }] })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().results).toEqual([expect.objectContaining({ cardId, ok: true })])
    expect((await roundOf(cardId)).status).toBe('approved')
  }, 60_000)
})
