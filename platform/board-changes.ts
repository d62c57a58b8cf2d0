// Changes to a workspace's cards, as every writer makes them (the API's card services and the worker's AI
// activities): one lock order, a board version that invalidates cached boards, and a transactional NOTIFY that
// the API's board event hub (api/services/board-events.ts) turns into live updates.
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
