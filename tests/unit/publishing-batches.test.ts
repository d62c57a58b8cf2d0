// The grouped writes of a burst of publications, on a real PostgreSQL: the steps' progress writes (one statement
// for many posts, each caller answered for its own row) and the board moves of many cards in one transaction
// (positions appended in order, a card someone moved left alone, a read-only campaign's cards left alone).
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCardMover } from '../../activities/publishing/card-moves'
import { createProgressWriter } from '../../activities/publishing/progress-writes'
import { positionsForAppend } from '../../domain/content-board'
import { syncCardsWithPosts } from '../../platform/board-changes'
import type { Database } from '../../platform/database'
import { createAgency, createWorkspace, testDatabase } from '../support/database'

let env: Awaited<ReturnType<typeof testDatabase>>
let db: Database

beforeAll(async () => {
  env = await testDatabase()
  db = env.db
})
afterAll(async () => {
  await env?.drop()
})

/** An agency with a workspace, an active campaign, one Instagram account, and `cards` cards in `column`. */
async function scope(options: { cards: number; column?: string; campaignStatus?: string; workspace?: { id: string; agencyId: string } }) {
  const agencyId = options.workspace?.agencyId ?? (await createAgency(db)).id
  const workspace = options.workspace ?? (await createWorkspace(db, agencyId))
  const campaignId = randomUUID()
  await db.campaign.create({ data: { id: campaignId, agencyId, workspaceId: workspace.id, name: 'Launch', status: options.campaignStatus ?? 'active', platforms: ['instagram'], timeZone: 'UTC', workflowId: `campaign:${campaignId}` } })
  const creator = await db.creator.create({ data: { agencyId, displayName: 'Maya' } })
  const account = await db.socialAccount.create({ data: { agencyId, creatorId: creator.id, platform: 'instagram', handle: 'maya', externalId: randomUUID(), scopes: [] } })
  const last = await db.contentTask.findFirst({ where: { workspaceId: workspace.id }, orderBy: { position: 'desc' }, select: { position: true } })
  const positions = positionsForAppend(last?.position ?? null, options.cards)
  const cardIds = positions.map(() => randomUUID())
  await db.contentTask.createMany({
    data: cardIds.map((id, i) => ({ id, agencyId, workspaceId: workspace.id, campaignId, title: `Card ${i}`, platform: 'instagram', column: options.column ?? 'Scheduled', position: positions[i]!, targetAccountIds: [account.id] })),
  })
  const postIds = cardIds.map(() => randomUUID())
  await db.scheduledPost.createMany({
    data: cardIds.map((cardId, i) => ({ id: postIds[i]!, agencyId, workspaceId: workspace.id, campaignId, cardId, socialAccountId: account.id, platform: 'instagram', scheduledAt: new Date(), timeZone: 'UTC', caption: `Caption ${i}`, status: 'publishing' })),
  })
  return { agencyId, workspace, campaignId, cardIds, postIds }
}

describe('progress writes', () => {
  it('writes many posts’ progress of different kinds together, each caller answered for its own row', async () => {
    const { postIds } = await scope({ cards: 60 })
    const writer = createProgressWriter(db)
    const at = new Date('2026-11-23T09:00:00.123Z')
    const missing = randomUUID()
    // Three kinds of writes at once, as a burst makes them, plus one for a row that is gone.
    const answers = await Promise.all([
      ...postIds.slice(0, 20).map((id, i) => writer.write(id, { pendingCall: 'instagram.media_publish', pendingCallAt: at, containerId: `c-${i}` })),
      ...postIds.slice(20, 40).map((id, i) =>
        writer.write(id, { status: 'published', platformPostId: `m-${i}`, permalink: `https://instagram.test/p/${i}`, publishedAt: at, pendingCall: null, pendingCallAt: null, statusReason: null }),
      ),
      ...postIds.slice(40).map((id) => writer.write(id, { containerId: null, pendingCall: null, pendingCallAt: null })),
      writer.write(missing, { containerId: 'nobody' }),
    ])
    expect(answers.slice(0, 60).every(Boolean)).toBe(true)
    expect(answers[60]).toBe(false)
    // A write that cannot be made fails alone: the others of its turn are written.
    const [bad, good] = await Promise.allSettled([writer.write(postIds[0]!, { pendingCallAt: new Date(Number.NaN) }), writer.write(postIds[1]!, { pendingCall: 'instagram.media_publish', pendingCallAt: at })])
    expect(bad).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ name: 'RangeError' }) })
    expect(good).toEqual({ status: 'fulfilled', value: true })
    const rows = new Map((await db.scheduledPost.findMany({ where: { id: { in: postIds } } })).map((row) => [row.id, row]))
    expect(rows.get(postIds[3]!)).toMatchObject({ pendingCall: 'instagram.media_publish', pendingCallAt: at, containerId: 'c-3', status: 'publishing' })
    expect(rows.get(postIds[25]!)).toMatchObject({ status: 'published', platformPostId: 'm-5', permalink: 'https://instagram.test/p/5', publishedAt: at, pendingCall: null, containerId: null })
    expect(rows.get(postIds[45]!)).toMatchObject({ containerId: null, pendingCall: null, status: 'publishing' })
  })

  it('applies two writes to one row in the order they were made', async () => {
    const { postIds } = await scope({ cards: 1 })
    const writer = createProgressWriter(db)
    const at = new Date('2026-11-23T10:00:00.000Z')
    // Both in the same turn: the second must not be lost to the first in one statement.
    const [first, second] = await Promise.all([
      writer.write(postIds[0]!, { pendingCall: 'facebook.post', pendingCallAt: at }),
      writer.write(postIds[0]!, { pendingCall: null, pendingCallAt: null, status: 'published', platformPostId: 'p-1', publishedAt: at }),
    ])
    expect([first, second]).toEqual([true, true])
    expect(await db.scheduledPost.findUniqueOrThrow({ where: { id: postIds[0]! } })).toMatchObject({ pendingCall: null, pendingCallAt: null, status: 'published', platformPostId: 'p-1' })
    // The same columns twice (one statement could hold both rows, and would apply only one of them).
    await Promise.all([writer.write(postIds[0]!, { containerId: 'first' }), writer.write(postIds[0]!, { containerId: 'second' }), writer.write(postIds[0]!, { containerId: 'third' })])
    expect(await db.scheduledPost.findUniqueOrThrow({ where: { id: postIds[0]! } })).toMatchObject({ containerId: 'third' })
  })
})

describe('board moves of many cards', () => {
  it('moves a burst of published cards in one transaction, appended in the order asked, with their activity', async () => {
    const { agencyId, workspace, cardIds } = await scope({ cards: 12 })
    const published = await scope({ cards: 3, column: 'Published', workspace: { id: workspace.id, agencyId } })
    await db.scheduledPost.updateMany({ where: { cardId: { in: cardIds } }, data: { status: 'published' } })
    // Someone moved one of them back to Needs changes meanwhile: the system leaves it there.
    await db.contentTask.update({ where: { id: cardIds[5]! }, data: { column: 'Needs_Changes' } })
    // Asked in the reverse of the order they were made (and are read back in).
    const asked = [...cardIds].reverse()
    const moved = await db.$transaction((tx) => syncCardsWithPosts(tx, { agencyId, cards: asked.map((cardId) => ({ cardId, reason: 'Published' })), actorLabel: 'Publishing' }))
    expect([...moved.values()].filter((to) => to === 'Published')).toHaveLength(11)
    expect(moved.get(cardIds[5]!)).toBeNull()
    const column = await db.contentTask.findMany({ where: { workspaceId: workspace.id, column: 'Published' }, select: { id: true, position: true } })
    const order = column.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0)).map((card) => card.id)
    // After the cards already published, in the order asked.
    expect(order).toEqual([...published.cardIds, ...asked.filter((id) => id !== cardIds[5])])
    const activities = await db.cardActivity.findMany({ where: { cardId: { in: cardIds }, kind: 'moved' } })
    expect(activities).toHaveLength(11)
    expect(activities[0]!.detail).toMatchObject({ from: 'Scheduled', to: 'Published', reason: 'Published' })
    const version = await db.workspace.findUniqueOrThrow({ where: { id: workspace.id }, select: { boardVersion: true } })
    expect(version.boardVersion).toBe(1)
  })

  it('leaves the cards of a finished campaign where they are', async () => {
    const { agencyId, cardIds } = await scope({ cards: 2, campaignStatus: 'completed' })
    await db.scheduledPost.updateMany({ where: { cardId: { in: cardIds } }, data: { status: 'published' } })
    const moved = await db.$transaction((tx) => syncCardsWithPosts(tx, { agencyId, cards: cardIds.map((cardId) => ({ cardId, reason: 'Published' })), actorLabel: 'Publishing' }))
    expect([...moved.values()]).toEqual([null, null])
  })

  it('the per-process mover answers every caller once its card is moved, in a few transactions for many cards', async () => {
    const { agencyId, workspace, cardIds, postIds } = await scope({ cards: 40 })
    const mover = createCardMover(db, { actorLabel: 'Publishing' })
    await db.scheduledPost.updateMany({ where: { id: { in: postIds } }, data: { status: 'published' } })
    const before = (await db.workspace.findUniqueOrThrow({ where: { id: workspace.id }, select: { boardVersion: true } })).boardVersion
    // A card asked for twice is moved once.
    await Promise.all([...cardIds, cardIds[0]!].map((cardId) => mover.move({ agencyId, cardId, reason: 'Published' })))
    expect(await db.contentTask.count({ where: { id: { in: cardIds }, column: 'Published' } })).toBe(40)
    expect(await db.cardActivity.count({ where: { cardId: { in: cardIds }, kind: 'moved' } })).toBe(40)
    // Asked in the same turn, they went in one transaction, which took the workspace's lock once.
    const after = (await db.workspace.findUniqueOrThrow({ where: { id: workspace.id }, select: { boardVersion: true } })).boardVersion
    expect(after - before).toBe(1)
  })
})
