// Changes to a workspace's cards, as every writer makes them (the API's card services and the worker's AI
// activities): one lock order, a board version that invalidates cached boards, and a transactional NOTIFY that
// the API's board event hub (api/services/board-events.ts) turns into live updates.
import { READ_ONLY_STATUSES } from '../domain/campaign-brief'
import { BOARD_COLUMN_LABELS, checkCardMove, isBoardColumn, positionsForAppend } from '../domain/content-board'
import { boardColumnForPosts } from '../domain/publishing'
import { Prisma } from '../generated/prisma/client'

/** Any transaction, tenant-scoped (the API) or not (the worker): only raw statements are used. */
type Transaction = Pick<Prisma.TransactionClient, '$executeRaw' | '$queryRaw'>

export const BOARD_CHANNEL = 'greenlight_board'

/**
 * What a NOTIFY carries: enough to decide who may see the change; the card itself is read by the receiver.
 * `board.reload` stands for many cards at once (an import): open boards read themselves again.
 */
export interface BoardChange {
  type: 'card.upserted' | 'card.removed' | 'board.reload'
  agencyId: string
  /** Null for board.reload. */
  cardId: string | null
  workspaceId: string
  campaignId: string
  /** The card's assignee, and its previous one when that changed (a creator's board drops the card). */
  assigneeCreatorIds: (string | null)[]
  by: { userId: string | null; name: string } | null
}

/**
 * Starts a change to a workspace's cards: bumps its board version, so no cached board outlives the change, and
 * so takes the workspace row's lock. Every card transaction calls it first, which gives all of them one lock
 * order (workspace, then cards) and serialises the position arithmetic of appends and drops.
 */
export async function beginBoardChange(tx: Transaction, agencyId: string, workspaceId: string): Promise<void> {
  await tx.$executeRaw(Prisma.sql`UPDATE "Workspace" SET "boardVersion" = "boardVersion" + 1 WHERE "id" = ${workspaceId}::uuid AND "agencyId" = ${agencyId}::uuid`)
}

/**
 * Takes the workspace row's lock without a change yet: for a transaction that must lock one of its cards before
 * deciding whether to change the board, so that it keeps the one lock order (workspace, then cards).
 */
export async function lockBoard(tx: Transaction, agencyId: string, workspaceId: string): Promise<void> {
  await tx.$queryRaw(Prisma.sql`SELECT 1 FROM "Workspace" WHERE "id" = ${workspaceId}::uuid AND "agencyId" = ${agencyId}::uuid FOR NO KEY UPDATE`)
}

/** Announces a change when the surrounding transaction commits (NOTIFY is transactional). */
export async function publishBoardChange(tx: Transaction, change: BoardChange): Promise<void> {
  const payload = JSON.stringify({ ...change, at: new Date().toISOString() })
  await tx.$executeRaw(Prisma.sql`SELECT pg_notify(${BOARD_CHANNEL}, ${payload})`)
}

/** The position key of the last card of a column in a workspace (byte-wise order, as the keys require). */
export async function lastPosition(tx: Transaction, agencyId: string, workspaceId: string, column: string): Promise<string | null> {
  const [row] = await tx.$queryRaw<{ position: string }[]>`
    SELECT "position" FROM "ContentTask" WHERE "agencyId" = ${agencyId}::uuid AND "workspaceId" = ${workspaceId}::uuid AND "column" = ${column}
    ORDER BY "position" COLLATE "C" DESC, "id" DESC LIMIT 1`
  return row?.position ?? null
}

/**
 * Puts a card in the column its posts call for (domain/publishing.ts boardColumnForPosts): Approved → Scheduled
 * when a post is scheduled, Scheduled → Published when they went out, Scheduled → Approved when all were
 * cancelled or failed, as the board's transition table lets the system move them: a card someone has moved
 * elsewhere, or one on a read-only campaign, stays put. Returns the column it moved to, or null. Run inside the
 * transaction that changed the posts, or after it.
 */
export async function syncCardWithPosts(
  tx: Transaction,
  input: { agencyId: string; cardId: string; actorLabel: string; actorUserId?: string | null; reason: string },
): Promise<'Scheduled' | 'Published' | 'Approved' | null> {
  const moved = await syncCardsWithPosts(tx, { agencyId: input.agencyId, cards: [{ cardId: input.cardId, reason: input.reason }], actorLabel: input.actorLabel, actorUserId: input.actorUserId })
  return moved.get(input.cardId) ?? null
}

/**
 * syncCardWithPosts for many cards of an agency in one transaction: each workspace's lock is taken once for all
 * its cards (a burst of publications moves its cards in a few transactions instead of one each, all queued on
 * the workspace row). Returns the column each card moved to, or null.
 */
export async function syncCardsWithPosts(
  tx: Transaction,
  input: { agencyId: string; cards: { cardId: string; reason: string }[]; actorLabel: string; actorUserId?: string | null },
): Promise<Map<string, 'Scheduled' | 'Published' | 'Approved' | null>> {
  const moved = new Map<string, 'Scheduled' | 'Published' | 'Approved' | null>(input.cards.map((card) => [card.cardId, null]))
  const reasonOf = new Map(input.cards.map((card) => [card.cardId, card.reason]))
  // Cards land in their new column in the order asked.
  const orderOf = new Map([...moved.keys()].map((cardId, i) => [cardId, i]))
  if (moved.size === 0) return moved
  const ids = Prisma.join([...moved.keys()].map((id) => Prisma.sql`${id}::uuid`))
  const cards = await tx.$queryRaw<{ id: string; column: string; workspaceId: string; campaignId: string; assigneeCreatorId: string | null; campaignStatus: string }[]>`
    SELECT t."id", t."column", t."workspaceId", t."campaignId", t."assigneeCreatorId", c."status" AS "campaignStatus"
    FROM "ContentTask" t JOIN "Campaign" c ON c."id" = t."campaignId"
    WHERE t."id" IN (${ids}) AND t."agencyId" = ${input.agencyId}::uuid`
  const posts = await tx.$queryRaw<{ cardId: string; status: string }[]>`SELECT "cardId", "status" FROM "ScheduledPost" WHERE "cardId" IN (${ids})`
  const statusesOf = new Map<string, string[]>()
  for (const post of posts) statusesOf.set(post.cardId, [...(statusesOf.get(post.cardId) ?? []), post.status])
  // The moves the board's transition table lets the system make (a card moved elsewhere stays put), by workspace.
  const movesOf = new Map<string, { card: (typeof cards)[number]; from: string; to: 'Scheduled' | 'Published' | 'Approved' }[]>()
  for (const card of cards) {
    if ((READ_ONLY_STATUSES as readonly string[]).includes(card.campaignStatus)) continue
    const to = boardColumnForPosts(statusesOf.get(card.id) ?? [])
    const from = card.column
    if (from === to || !isBoardColumn(from) || checkCardMove({ from, to, actor: { kind: 'system' }, card: { assigneeCreatorId: card.assigneeCreatorId } }) !== null) continue
    movesOf.set(card.workspaceId, [...(movesOf.get(card.workspaceId) ?? []), { card, from, to }])
  }
  // Workspaces in one order, then their cards in one order: transactions that meet wait instead of deadlocking.
  for (const workspaceId of [...movesOf.keys()].sort()) {
    const moves = movesOf.get(workspaceId)!
    await beginBoardChange(tx, input.agencyId, workspaceId)
    // Read again under the lock: another transaction may have moved them first.
    const locked = await tx.$queryRaw<{ id: string; column: string }[]>`
      SELECT "id", "column" FROM "ContentTask" WHERE "id" IN (${Prisma.join(moves.map((move) => Prisma.sql`${move.card.id}::uuid`))}) ORDER BY "id" FOR UPDATE`
    const columnNow = new Map(locked.map((row) => [row.id, row.column]))
    const still = moves.filter((move) => columnNow.get(move.card.id) === move.from).sort((a, b) => orderOf.get(a.card.id)! - orderOf.get(b.card.id)!)
    for (const to of new Set(still.map((move) => move.to))) {
      const into = still.filter((move) => move.to === to)
      const positions = positionsForAppend(await lastPosition(tx, input.agencyId, workspaceId, to), into.length)
      for (const [i, { card, from }] of into.entries()) {
        await tx.$executeRaw`UPDATE "ContentTask" SET "column" = ${to}, "position" = ${positions[i]!}, "version" = "version" + 1, "updatedAt" = now() WHERE "id" = ${card.id}::uuid`
        const detail = JSON.stringify({ from, to, toLabel: BOARD_COLUMN_LABELS[to], reason: reasonOf.get(card.id) })
        await tx.$executeRaw`
          INSERT INTO "CardActivity" ("id", "agencyId", "cardId", "actorUserId", "actorLabel", "kind", "detail", "createdAt")
          VALUES (gen_random_uuid(), ${input.agencyId}::uuid, ${card.id}::uuid, ${input.actorUserId ?? null}::uuid, ${input.actorLabel}, 'moved', ${detail}::jsonb, now())`
        await publishBoardChange(tx, {
          type: 'card.upserted',
          agencyId: input.agencyId,
          cardId: card.id,
          workspaceId,
          campaignId: card.campaignId,
          assigneeCreatorIds: [card.assigneeCreatorId],
          by: input.actorUserId ? { userId: input.actorUserId, name: input.actorLabel } : null,
        })
        moved.set(card.id, to)
      }
    }
  }
  return moved
}
