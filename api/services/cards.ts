// Content cards (ContentTask rows) and the board they sit on. Who may move a card where, how positions are
// made and how version conflicts read are domain rules (domain/content-board.ts); this file reads and writes
// the rows, logs each change on the card, and announces it to open boards (services/board-events.ts).
import { createHash, randomUUID } from 'node:crypto'
import { AI_PROVIDER_LABELS, type AiProvider } from '../../domain/ai-content'
import { PLATFORM_LABELS, type SocialPlatform } from '../../domain/brand-kit'
import { describeDeliverable, dueAtForDay, dueDayOf, planDeliverableCards, type DeliverableCardPlan, type DeliverableKind } from '../../domain/campaign-brief'
import {
  BOARD_COLUMNS,
  BOARD_COLUMN_LABELS,
  BOARD_PAGE_SIZE,
  allowedMoveTargets,
  checkCardMove,
  checkCardVersion,
  isAssignedTo,
  extractMentions,
  mentionHandle,
  nextCaptionVersion,
  positionBetween,
  positionsForAppend,
  type BoardActor,
  type BoardColumn,
} from '../../domain/content-board'
import { HOLDING_MODES } from '../../domain/approvals'
import { can } from '../../domain/permissions'
import { Prisma, type Campaign as CampaignRow } from '../../generated/prisma/client'
import type { TenantDatabase, TenantTransaction } from '../../platform/tenant-scope'
import { ApiError, notFound } from '../errors'
import type { Board, BoardColumnPage, CardDetail, CardSummary, CreateCardBody, UpdateCardBody } from '../schemas/board'
import type { AuthUser } from '../types'
import { beginBoardChange, lastPosition, publishBoardChange, type BoardChange } from '../../platform/board-changes'
import { afterReviewMove, assertNotUnderReview, reviewMove, signalRoundComment, type ApprovalDeps } from './approvals'

type Db = TenantDatabase | TenantTransaction

// ---------------------------------------------------------------------------------------------------------
// Who is looking

export interface Viewer {
  user: AuthUser
  /** The creator profile linked to the user, if any. */
  creatorId: string | null
  /** Creators see and carry only the cards assigned to their profile. */
  ownCardsOnly: boolean
}

/** Who is looking, from the session (which carries the user's creator profile). */
export function viewerOf(user: AuthUser): Viewer {
  return { user, creatorId: user.creatorId, ownCardsOnly: user.role === 'creator' }
}

/** Whether the viewer may see the card at all: creators only their own (assigned to their profile). */
export function mayView(viewer: Viewer, assigneeCreatorId: string | null): boolean {
  return !viewer.ownCardsOnly || isAssignedTo(viewer.creatorId, assigneeCreatorId)
}

export function actorOf(viewer: Viewer): BoardActor {
  return { kind: 'user', userId: viewer.user.id, role: viewer.user.role, creatorId: viewer.creatorId }
}

// ---------------------------------------------------------------------------------------------------------
// Reading cards

/** One card row as the board shows it, with what is counted and previewed beside it. */
export interface CardRow {
  id: string
  campaignId: string
  campaignName: string
  workspaceId: string
  title: string
  platform: string
  kind: string | null
  column: string
  position: string
  version: number
  assigneeCreatorId: string | null
  assigneeName: string | null
  campaignTimeZone: string
  dueAt: Date | null
  captionText: string | null
  captionVersion: number | null
  commentCount: number
  assetCount: number
  thumbnailFileId: string | null
  /** A required or multi-level approval round waits on the card (domain/approvals.ts roundHoldsCard). */
  heldInReview: boolean
  updatedAt: Date
}

const CAPTION_PREVIEW_CHARS = 140

// The drop targets depend only on the column and on whether the card is the viewer's own, so a board of
// hundreds of cards asks the rules a handful of times.
const targetsCache = new WeakMap<Viewer, Map<string, BoardColumn[]>>()

function dropTargets(viewer: Viewer, column: BoardColumn, assigneeCreatorId: string | null): BoardColumn[] {
  if (!can(viewer.user.role, 'card.move')) return []
  const own = isAssignedTo(viewer.creatorId, assigneeCreatorId)
  let cache = targetsCache.get(viewer)
  if (!cache) targetsCache.set(viewer, (cache = new Map()))
  const key = `${column}:${own}`
  let targets = cache.get(key)
  if (!targets) {
    targets = allowedMoveTargets({ from: column, actor: actorOf(viewer), card: { assigneeCreatorId } })
    cache.set(key, targets)
  }
  return targets
}

export function toCardSummary(row: CardRow, viewer: Viewer): CardSummary {
  const column = row.column as BoardColumn
  // A card held in review (a required round waits) moves on by the decision only.
  const allowedTargets = row.heldInReview ? [] : dropTargets(viewer, column, row.assigneeCreatorId)
  const caption = row.captionText
  return {
    id: row.id,
    campaignId: row.campaignId,
    campaignName: row.campaignName,
    workspaceId: row.workspaceId,
    title: row.title,
    platform: row.platform as CardSummary['platform'],
    kind: row.kind,
    column,
    position: row.position,
    version: row.version,
    assignee: row.assigneeCreatorId ? { creatorId: row.assigneeCreatorId, name: row.assigneeName ?? 'Creator' } : null,
    dueDate: row.dueAt ? dueDayOf(row.dueAt, row.campaignTimeZone) : null,
    dueAt: row.dueAt?.toISOString() ?? null,
    captionPreview: caption === null ? null : caption.length > CAPTION_PREVIEW_CHARS ? `${caption.slice(0, CAPTION_PREVIEW_CHARS - 1)}…` : caption,
    captionVersion: row.captionVersion ?? 0,
    commentCount: row.commentCount,
    assetCount: row.assetCount,
    thumbnailUrl: row.thumbnailFileId ? `/api/assets/${row.thumbnailFileId}/thumbnail` : null,
    allowedTargets,
    updatedAt: row.updatedAt.toISOString(),
  }
}

// The card columns plus the latest caption, counts and first draft thumbnail, for `t` = "ContentTask".
const CARD_SELECT = Prisma.sql`
  t."id", t."campaignId", c."name" AS "campaignName", c."timeZone" AS "campaignTimeZone", t."workspaceId", t."title", t."platform", t."kind", t."column",
  t."position", t."version", t."assigneeCreatorId", cr."displayName" AS "assigneeName", t."dueAt", t."updatedAt",
  cap."text" AS "captionText", cap."version" AS "captionVersion",
  (SELECT count(*)::int FROM "CardComment" cc WHERE cc."cardId" = t."id") AS "commentCount",
  (SELECT count(*)::int FROM "CardAsset" ca WHERE ca."cardId" = t."id") AS "assetCount",
  (SELECT ca."fileId" FROM "CardAsset" ca JOIN "StoredFile" f ON f."id" = ca."fileId"
     WHERE ca."cardId" = t."id" AND f."thumbnailKey" IS NOT NULL ORDER BY (ca."role" = 'thumbnail') DESC, ca."createdAt" LIMIT 1) AS "thumbnailFileId",
  (t."column" = 'Submitted_By_Creator' AND EXISTS (SELECT 1 FROM "ApprovalRound" ar WHERE ar."cardId" = t."id" AND ar."status" = 'pending'
     AND ar."policy"->>'mode' IN (${Prisma.join([...HOLDING_MODES])}))) AS "heldInReview"`

const CARD_JOINS = Prisma.sql`
  JOIN "Campaign" c ON c."id" = t."campaignId"
  LEFT JOIN "Creator" cr ON cr."id" = t."assigneeCreatorId"
  LEFT JOIN LATERAL (SELECT v."text", v."version" FROM "CaptionVersion" v WHERE v."cardId" = t."id" ORDER BY v."version" DESC LIMIT 1) cap ON true`

export interface BoardScopeFilter {
  campaignId?: string
  workspaceId?: string
  platform?: string
  assigneeCreatorId?: string
}

interface ResolvedScope {
  scope: Board['scope']
  /** The scope's workspace board version (null for a creator's cross-workspace board). */
  boardVersion: number | null
  /** SQL conditions on `t` (raw queries are not agency-scoped by the client, so the agency is always one). */
  where: Prisma.Sql
}

/**
 * Which cards a board shows. Raw SQL is not scoped by the tenant client, so the agency condition is written
 * here, first, for every query that uses the scope.
 */
export async function resolveBoardScope(db: Db, viewer: Viewer, filter: BoardScopeFilter): Promise<ResolvedScope> {
  const agencyId = viewer.user.agency.id
  const conditions: Prisma.Sql[] = [Prisma.sql`t."agencyId" = ${agencyId}::uuid`]
  let scope: Board['scope']
  let boardVersion: number | null = null
  if (filter.campaignId && filter.workspaceId) {
    throw new ApiError(400, 'SCOPE_AMBIGUOUS', 'Give either campaignId or workspaceId, not both.')
  }
  if (filter.campaignId) {
    const campaign = await db.campaign.findUnique({ where: { id: filter.campaignId }, include: { workspace: { select: { name: true, boardVersion: true } } } })
    if (!campaign) throw notFound('Campaign')
    boardVersion = campaign.workspace.boardVersion
    scope = { kind: 'campaign', id: campaign.id, name: campaign.name, workspaceId: campaign.workspaceId, workspaceName: campaign.workspace.name }
    conditions.push(Prisma.sql`t."campaignId" = ${campaign.id}::uuid`)
  } else if (filter.workspaceId) {
    const workspace = await db.workspace.findUnique({ where: { id: filter.workspaceId } })
    if (!workspace) throw notFound('Workspace')
    boardVersion = workspace.boardVersion
    scope = { kind: 'workspace', id: workspace.id, name: workspace.name, workspaceId: workspace.id, workspaceName: workspace.name }
    conditions.push(Prisma.sql`t."workspaceId" = ${workspace.id}::uuid`)
  } else if (viewer.creatorId !== null) {
    scope = { kind: 'mine', id: null, name: 'My cards', workspaceId: null, workspaceName: null }
  } else {
    throw new ApiError(400, 'SCOPE_REQUIRED', 'Give campaignId or workspaceId: only creators have a board of their own cards.')
  }
  if (viewer.ownCardsOnly || scope.kind === 'mine') {
    // A creator without a linked profile has no cards; a nil id matches none.
    conditions.push(Prisma.sql`t."assigneeCreatorId" = ${viewer.creatorId ?? '00000000-0000-0000-0000-000000000000'}::uuid`)
  }
  if (filter.platform) conditions.push(Prisma.sql`t."platform" = ${filter.platform}`)
  if (filter.assigneeCreatorId) conditions.push(Prisma.sql`t."assigneeCreatorId" = ${filter.assigneeCreatorId}::uuid`)
  return { scope, boardVersion, where: Prisma.join(conditions, ' AND ') }
}

// A page cursor is the last card's position and id: the next page starts strictly after them.
function encodeCursor(row: Pick<CardRow, 'position' | 'id'>): string {
  return Buffer.from(`${row.position}|${row.id}`).toString('base64url')
}

function decodeCursor(cursor: string): { position: string; id: string } {
  const [position, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (!position || !id || !/^[0-9a-f-]{36}$/.test(id) || !/^[0-9A-Za-z]+$/.test(position)) {
    throw new ApiError(400, 'CURSOR_INVALID', 'The cursor is not one this board gave out: load the board again.')
  }
  return { position, id }
}

async function columnRows(db: Db, where: Prisma.Sql, column: BoardColumn, limit: number, after?: { position: string; id: string }): Promise<CardRow[]> {
  const start = after ? Prisma.sql`AND (t."position" COLLATE "C", t."id") > (${after.position} COLLATE "C", ${after.id}::uuid)` : Prisma.empty
  return db.$queryRaw<CardRow[]>`
    SELECT ${CARD_SELECT} FROM "ContentTask" t ${CARD_JOINS}
    WHERE ${where} AND t."column" = ${column} ${start}
    ORDER BY t."position" COLLATE "C", t."id"
    LIMIT ${limit + 1}`
}

function pageOf(column: BoardColumn, rows: CardRow[], limit: number, total: number, viewer: Viewer): BoardColumnPage {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    column,
    label: BOARD_COLUMN_LABELS[column],
    total,
    cards: page.map((row) => toCardSummary(row, viewer)),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  }
}

// First pages of boards as they were at a board version, per process. A hit costs the scope lookup (which
// reads the version) instead of the card queries; any card change bumps the version in its transaction, so a
// hit is never older than the last committed change. Names of campaigns and creators are not versioned:
// the lifetime bounds how long a rename takes to show on a board nobody changes.
const BOARD_CACHE_ENTRIES = 500
const BOARD_CACHE_TTL_MS = 60_000
const boardCache = new Map<string, { boardVersion: number; expiresAt: number; board: Board; json: string }>()

function boardCacheKey(viewer: Viewer, filter: BoardScopeFilter, limit: number): string {
  const { user } = viewer
  return [user.agency.id, filter.campaignId ?? '', filter.workspaceId ?? '', filter.platform ?? '', filter.assigneeCreatorId ?? '', limit, user.role, viewer.creatorId ?? '', viewer.ownCardsOnly].join('|')
}

export interface VersionedBoard {
  board: Board
  /** The board as JSON, serialised once per version: a board of hundreds of cards is not re-serialised per read. */
  json: string
  /** Changes with every change to the board's cards; null when the board is not versioned (a creator's own cards). */
  etag: string | null
}

export async function getBoard(
  db: TenantDatabase,
  viewer: Viewer,
  filter: BoardScopeFilter,
  limit = BOARD_PAGE_SIZE,
  ifNoneMatch?: string,
): Promise<VersionedBoard | { notModified: true; etag: string }> {
  const resolved = await resolveBoardScope(db, viewer, filter)
  const key = boardCacheKey(viewer, filter, limit)
  const etag = resolved.boardVersion === null ? null : `W/"${resolved.boardVersion}-${createHash('sha256').update(key).digest('base64url').slice(0, 16)}"`
  // The version alone answers a revalidation: no card is read.
  if (etag !== null && ifNoneMatch === etag) return { notModified: true, etag }
  const cached = boardCache.get(key)
  if (cached && cached.boardVersion === resolved.boardVersion && cached.expiresAt > Date.now()) return { board: cached.board, json: cached.json, etag }
  const board = await readBoard(db, viewer, resolved, limit)
  const json = JSON.stringify(board)
  if (resolved.boardVersion !== null) {
    boardCache.delete(key)
    boardCache.set(key, { boardVersion: resolved.boardVersion, expiresAt: Date.now() + BOARD_CACHE_TTL_MS, board, json })
    // Oldest first out: a Map iterates in insertion order.
    if (boardCache.size > BOARD_CACHE_ENTRIES) boardCache.delete(boardCache.keys().next().value!)
  }
  return { board, json, etag }
}

async function readBoard(db: TenantDatabase, viewer: Viewer, { scope, where }: ResolvedScope, limit: number): Promise<Board> {
  // Two round trips for the whole board: the first page of every column in one query (a LATERAL per
  // column walks its index in order), and the column totals.
  const [counts, rows] = await Promise.all([
    db.$queryRaw<{ column: string; total: number }[]>`SELECT t."column", count(*)::int AS total FROM "ContentTask" t WHERE ${where} GROUP BY t."column"`,
    db.$queryRaw<CardRow[]>`
      SELECT page.* FROM unnest(${[...BOARD_COLUMNS]}::text[]) AS col("name")
      CROSS JOIN LATERAL (
        SELECT ${CARD_SELECT} FROM "ContentTask" t ${CARD_JOINS}
        WHERE ${where} AND t."column" = col."name"
        ORDER BY t."position" COLLATE "C", t."id"
        LIMIT ${limit + 1}
      ) page`,
  ])
  const totals = new Map(counts.map((row) => [row.column, row.total]))
  const byColumn = new Map<string, CardRow[]>()
  for (const row of rows) byColumn.set(row.column, [...(byColumn.get(row.column) ?? []), row])
  return {
    scope,
    columns: BOARD_COLUMNS.map((column) => pageOf(column, byColumn.get(column) ?? [], limit, totals.get(column) ?? 0, viewer)),
    viewer: { creatorId: viewer.creatorId, ownCardsOnly: viewer.ownCardsOnly, canCreate: can(viewer.user.role, 'card.write') && scope.kind === 'campaign' },
  }
}

export async function getBoardColumn(
  db: TenantDatabase,
  viewer: Viewer,
  filter: BoardScopeFilter,
  column: BoardColumn,
  cursor: string | undefined,
  limit = BOARD_PAGE_SIZE,
): Promise<BoardColumnPage> {
  const { where } = await resolveBoardScope(db, viewer, filter)
  const after = cursor ? decodeCursor(cursor) : undefined
  const [[count], rows] = await Promise.all([
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM "ContentTask" t WHERE ${where} AND t."column" = ${column}`,
    columnRows(db, where, column, limit, after),
  ])
  return pageOf(column, rows, limit, count?.total ?? 0, viewer)
}

/** Every card of a scope in board order, for the CSV export (streamed in pages by the caller). */
export async function* boardRowsInOrder(db: TenantDatabase, viewer: Viewer, filter: BoardScopeFilter, pageSize = 500): AsyncGenerator<CardRow> {
  const { where } = await resolveBoardScope(db, viewer, filter)
  for (const column of BOARD_COLUMNS) {
    let after: { position: string; id: string } | undefined
    for (;;) {
      const rows = await columnRows(db, where, column, pageSize, after)
      yield* rows.slice(0, pageSize)
      const last = rows[pageSize - 1]
      if (rows.length <= pageSize || !last) break
      after = { position: last.position, id: last.id }
    }
  }
}

/** One card as the viewer may see it; 404 for another agency's card and, for creators, someone else's. */
export async function cardRow(db: Db, viewer: Viewer, id: string): Promise<CardRow> {
  const [row] = await db.$queryRaw<CardRow[]>`
    SELECT ${CARD_SELECT} FROM "ContentTask" t ${CARD_JOINS}
    WHERE t."id" = ${id}::uuid AND t."agencyId" = ${viewer.user.agency.id}::uuid`
  if (!row || !mayView(viewer, row.assigneeCreatorId)) throw notFound('Card')
  return row
}

/** One card if it is on the board whose scope conditions are `where` (resolveBoardScope), otherwise null. */
export async function cardInScope(db: Db, where: Prisma.Sql, id: string): Promise<CardRow | null> {
  const [row] = await db.$queryRaw<CardRow[]>`SELECT ${CARD_SELECT} FROM "ContentTask" t ${CARD_JOINS} WHERE t."id" = ${id}::uuid AND ${where}`
  return row ?? null
}

/** Agency members who can read a card: everyone with card.read except creators other than its assignee. */
async function cardReaders(db: Db, assigneeCreatorId: string | null) {
  const users = await db.user.findMany({ select: { id: true, name: true, role: true, creator: { select: { id: true } } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] })
  return users.filter((user) => can(user.role, 'card.read') && (user.role !== 'creator' || (assigneeCreatorId !== null && user.creator?.id === assigneeCreatorId)))
}

/** Unique handles: a second "Anna Smith" is @anna.smith2. */
function withHandles<T extends { id: string; name: string }>(members: T[]): (T & { handle: string })[] {
  const taken = new Map<string, number>()
  return members.map((member) => {
    const base = mentionHandle(member.name)
    const n = (taken.get(base) ?? 0) + 1
    taken.set(base, n)
    return { ...member, handle: n === 1 ? base : `${base}${n}` }
  })
}

function activitySummary(kind: string, detail: Record<string, unknown>): string {
  const column = (value: unknown) => (typeof value === 'string' && value in BOARD_COLUMN_LABELS ? BOARD_COLUMN_LABELS[value as BoardColumn] : String(value))
  switch (kind) {
    case 'created':
      return detail.source === 'import'
        ? 'Imported from CSV'
        : detail.source === 'deliverable'
          ? 'Created for a deliverable'
          : detail.source === 'ai'
            ? 'Created for AI captions'
            : 'Created'
    case 'moved':
      return detail.from === detail.to ? `Reordered in ${column(detail.to)}` : `Moved from ${column(detail.from)} to ${column(detail.to)}`
    case 'edited':
      return `Edited ${(detail.fields as string[] | undefined)?.join(', ') ?? 'details'}`
    case 'caption':
      return `Caption version ${String(detail.version)}`
    case 'comment':
      return 'Commented'
    case 'asset_added':
      return `Added ${String(detail.role ?? 'draft')} “${String(detail.name ?? 'file')}”`
    case 'asset_removed':
      return `Removed “${String(detail.name ?? 'file')}”`
    case 'reassigned':
      return `Assigned to ${String(detail.to ?? 'nobody')}`
    case 'ai_variants': {
      const versions = (detail.versions as number[] | undefined) ?? []
      const providers = ((detail.providers as string[] | undefined) ?? []).map((p) => AI_PROVIDER_LABELS[p as AiProvider] ?? p).join(', ')
      const approved = detail.autoApproved as { score: number } | null | undefined
      const range = versions.length > 1 ? `versions ${versions[0]}–${versions.at(-1)}` : `version ${versions[0] ?? '?'}`
      return `AI drafted ${versions.length} caption${versions.length === 1 ? '' : 's'} (${range}, by ${providers}; best ${String(detail.bestScore)}/100)${approved ? `; auto-approved at ${approved.score}` : ''}`
    }
    default:
      return kind
  }
}

export async function getCardDetail(db: TenantDatabase, viewer: Viewer, id: string): Promise<CardDetail> {
  const row = await cardRow(db, viewer, id)
  const card = await db.contentTask.findUniqueOrThrow({
    where: { id },
    include: {
      captions: { orderBy: { version: 'desc' }, take: 50, include: { aiVariant: { select: { provider: true } } } },
      comments: { orderBy: { createdAt: 'asc' }, take: 500 },
      activities: { orderBy: { createdAt: 'desc' }, take: 100 },
      assets: { include: { file: true }, orderBy: { createdAt: 'asc' } },
    },
  })
  const readers = withHandles(await cardReaders(db, card.assigneeCreatorId))
  const names = new Map(readers.map((reader) => [reader.id, reader.name]))
  const creatorIds = new Set([...card.captions.map((c) => c.createdById), ...card.comments.flatMap((c) => c.mentions)].filter((v): v is string => v !== null))
  const missing = [...creatorIds].filter((userId) => !names.has(userId))
  if (missing.length) for (const user of await db.user.findMany({ where: { id: { in: missing } }, select: { id: true, name: true } })) names.set(user.id, user.name)
  const accounts = card.targetAccountIds.length
    ? await db.socialAccount.findMany({ where: { id: { in: card.targetAccountIds } }, select: { id: true, platform: true, handle: true, status: true } })
    : []
  const role = viewer.user.role
  const own = isAssignedTo(viewer.creatorId, card.assigneeCreatorId)
  // Under review the caption and drafts stay as the approvers see them (approvers edit in the review).
  const underReview = (await db.approvalRound.count({ where: { cardId: id, status: 'pending' } })) > 0
  const mayDraft = can(role, 'card.draft') && (!viewer.ownCardsOnly || own) && !underReview
  return {
    card: toCardSummary(row, viewer),
    description: card.description,
    targetAccounts: accounts.map((account) => ({ id: account.id, platform: account.platform as SocialPlatform, handle: account.handle, status: account.status })),
    captions: card.captions.map((caption) => ({
      version: caption.version,
      text: caption.text,
      source: caption.source,
      // An AI caption names what wrote it; the offline generator says it used no model.
      createdBy: caption.aiVariant
        ? `AI: ${AI_PROVIDER_LABELS[caption.aiVariant.provider as AiProvider] ?? caption.aiVariant.provider}${caption.aiVariant.provider === 'offline' ? ' (templates, no AI model)' : ''}`
        : caption.createdById
          ? (names.get(caption.createdById) ?? null)
          : null,
      createdAt: caption.createdAt.toISOString(),
    })),
    comments: card.comments.map((comment) => ({
      id: comment.id,
      authorName: comment.authorName,
      authorUserId: comment.authorUserId,
      body: comment.body,
      mentions: comment.mentions.map((userId) => ({ userId, name: names.get(userId) ?? 'Former member' })),
      createdAt: comment.createdAt.toISOString(),
    })),
    activity: card.activities.map((activity) => ({
      kind: activity.kind,
      actorLabel: activity.actorLabel,
      summary: activitySummary(activity.kind, activity.detail as Record<string, unknown>),
      createdAt: activity.createdAt.toISOString(),
    })),
    assets: card.assets.map(({ file, role: assetRole, createdAt }) => ({
      fileId: file.id,
      role: assetRole,
      name: file.originalName,
      kind: file.kind,
      mimeType: file.mimeType,
      byteSize: file.byteSize,
      width: file.width,
      height: file.height,
      durationMs: file.durationMs,
      contentUrl: `/api/assets/${file.id}/content`,
      thumbnailUrl: file.thumbnailKey ? `/api/assets/${file.id}/thumbnail` : null,
      createdAt: createdAt.toISOString(),
    })),
    mentionable: readers.filter((reader) => reader.id !== viewer.user.id).map((reader) => ({ userId: reader.id, name: reader.name, handle: reader.handle })),
    can: {
      edit: can(role, 'card.write'),
      caption: mayDraft,
      comment: can(role, 'card.comment'),
      attach: mayDraft,
    },
  }
}

// ---------------------------------------------------------------------------------------------------------
// Writing cards

function actorLabel(user: AuthUser): string {
  return user.name
}

async function logActivity(tx: Db, cardId: string, user: AuthUser, kind: string, detail: Prisma.InputJsonObject = {}): Promise<void> {
  const agencyId = user.agency.id
  await tx.cardActivity.create({ data: { agencyId, cardId, actorUserId: user?.id ?? null, actorLabel: actorLabel(user), kind, detail } })
}

/** Account ids must be the agency's accounts on the card's platform. */
async function checkTargetAccounts(tx: Db, platform: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  const found = await tx.socialAccount.findMany({ where: { id: { in: [...ids] } }, select: { id: true, platform: true } })
  const byId = new Map(found.map((account) => [account.id, account.platform]))
  const issues = ids.flatMap((id, i) =>
    byId.get(id) === undefined
      ? [{ path: `/targetAccountIds/${i}`, message: 'is not a connected account of this agency' }]
      : byId.get(id) !== platform
        ? [{ path: `/targetAccountIds/${i}`, message: `is not a ${PLATFORM_LABELS[platform as SocialPlatform] ?? platform} account` }]
        : [],
  )
  if (issues.length) throw new ApiError(400, 'VALIDATION_FAILED', `The target accounts are not valid: ${issues[0]!.message}.`, issues)
}

async function checkCreator(tx: Db, creatorId: string | null | undefined, path: string): Promise<{ id: string; displayName: string } | null> {
  if (!creatorId) return null
  const creator = await tx.creator.findUnique({ where: { id: creatorId }, select: { id: true, displayName: true } })
  if (!creator) throw new ApiError(400, 'VALIDATION_FAILED', 'The assignee is not a creator of this agency.', [{ path, message: 'is not a creator of this agency' }])
  return creator
}

function assertCampaignOpen(campaign: Pick<CampaignRow, 'status' | 'name'>): void {
  if (campaign.status === 'completed' || campaign.status === 'archived') {
    throw new ApiError(409, 'CAMPAIGN_READ_ONLY', `“${campaign.name}” is ${campaign.status}: its board takes no new cards.`)
  }
}

/** Beyond this many cards in one change, open boards are told to reload rather than sent each card. */
const CARDS_ANNOUNCED_ONE_BY_ONE = 25

export interface NewCard {
  title: string
  platform: string
  kind?: string | null
  description?: string
  assigneeCreatorId?: string | null
  dueAt?: Date | null
  targetAccountIds?: string[]
  caption?: string | null
  deliverableId?: string
  sequence?: number
}

/**
 * Appends cards to the Backlog of a campaign in one transaction, with their first caption and a "created"
 * entry, and announces them. Used by card creation, deliverables and the CSV import.
 */
export async function appendCards(
  tx: TenantTransaction,
  user: AuthUser,
  campaign: Pick<CampaignRow, 'id' | 'workspaceId'>,
  cards: readonly NewCard[],
  source: 'manual' | 'deliverable' | 'import' | 'ai',
): Promise<{ id: string; title: string }[]> {
  if (cards.length === 0) return []
  await beginBoardChange(tx, user.agency.id, campaign.workspaceId)
  const positions = positionsForAppend(await lastPosition(tx, user.agency.id, campaign.workspaceId, 'Backlog'), cards.length)
  const agencyId = user.agency.id
  const rows = cards.map((card, i) => ({
    agencyId,
    id: randomUUID(),
    workspaceId: campaign.workspaceId,
    campaignId: campaign.id,
    deliverableId: card.deliverableId ?? null,
    sequence: card.sequence ?? null,
    title: card.title.trim(),
    description: card.description ?? '',
    platform: card.platform,
    kind: card.kind ?? null,
    targetAccountIds: card.targetAccountIds ?? [],
    assigneeCreatorId: card.assigneeCreatorId ?? null,
    dueAt: card.dueAt ?? null,
    column: 'Backlog',
    position: positions[i]!,
    createdById: user.id,
  }))
  await tx.contentTask.createMany({ data: rows })
  const captions = cards.flatMap((card, i) =>
    card.caption?.trim() ? [{ agencyId, cardId: rows[i]!.id, version: 1, text: card.caption.trim(), source: source === 'import' ? 'import' : 'manual', createdById: user.id }] : [],
  )
  if (captions.length) await tx.captionVersion.createMany({ data: captions })
  await tx.cardActivity.createMany({
    data: rows.map((row) => ({ agencyId, cardId: row.id, actorUserId: user.id, actorLabel: actorLabel(user), kind: 'created', detail: { source } })),
  })
  const by = { userId: user.id, name: user.name }
  if (rows.length > CARDS_ANNOUNCED_ONE_BY_ONE) {
    // One announcement for an import: open boards read themselves again instead of each card.
    await publishBoardChange(tx, { type: 'board.reload', agencyId, cardId: null, workspaceId: campaign.workspaceId, campaignId: campaign.id, assigneeCreatorIds: [...new Set(rows.map((row) => row.assigneeCreatorId))], by })
  } else {
    for (const row of rows) {
      await publishBoardChange(tx, { type: 'card.upserted', agencyId, cardId: row.id, workspaceId: row.workspaceId, campaignId: row.campaignId, assigneeCreatorIds: [row.assigneeCreatorId], by })
    }
  }
  return rows.map((row) => ({ id: row.id, title: row.title }))
}

export async function createCard(db: TenantDatabase, viewer: Viewer, body: CreateCardBody): Promise<CardSummary> {
  const [created] = await db.$transaction(async (tx) => {
    const campaign = await tx.campaign.findUnique({ where: { id: body.campaignId } })
    if (!campaign) throw notFound('Campaign')
    assertCampaignOpen(campaign)
    if (!(campaign.platforms as string[]).includes(body.platform) && campaign.platforms.length > 0) {
      throw new ApiError(400, 'VALIDATION_FAILED', `${PLATFORM_LABELS[body.platform]} is not one of this campaign’s platforms.`, [{ path: '/platform', message: 'is not one of the campaign’s platforms' }])
    }
    await checkCreator(tx, body.assigneeCreatorId, '/assigneeCreatorId')
    await checkTargetAccounts(tx, body.platform, body.targetAccountIds ?? [])
    const { dueDate, ...card } = body
    return appendCards(tx, viewer.user, campaign, [{ ...card, dueAt: dueDate ? dueAtOf(dueDate, campaign.timeZone) : null }], 'manual')
  })
  return toCardSummary(await cardRow(db, viewer, created!.id), viewer)
}

/**
 * Starts a change to one card: its workspace's board change first (the lock order every card transaction
 * keeps), then the card row's lock. Returns the card as the viewer may see it (404 otherwise).
 */
async function lockCard(tx: TenantTransaction, viewer: Viewer, id: string) {
  const located = await tx.contentTask.findUnique({ where: { id }, select: { workspaceId: true } })
  if (!located) throw notFound('Card')
  await beginBoardChange(tx, viewer.user.agency.id, located.workspaceId)
  await tx.$executeRaw`SELECT 1 FROM "ContentTask" WHERE "id" = ${id}::uuid AND "agencyId" = ${viewer.user.agency.id}::uuid FOR UPDATE`
  const card = await tx.contentTask.findUnique({ where: { id }, include: { campaign: { select: { status: true, name: true, timeZone: true } } } })
  if (!card || !mayView(viewer, card.assigneeCreatorId)) throw notFound('Card')
  return card
}

/** The end of a due day in the campaign's time zone, or 400 for a date that does not exist. */
function dueAtOf(day: string, timeZone: string): Date {
  const dueAt = dueAtForDay(day, timeZone)
  if (!dueAt) throw new ApiError(400, 'VALIDATION_FAILED', `"${day}" is not a date: write it as YYYY-MM-DD.`, [{ path: '/dueDate', message: 'is not a calendar date' }])
  return dueAt
}

function conflictIfStale(expected: number, actual: number): void {
  const conflict = checkCardVersion(expected, actual)
  if (conflict) throw new ApiError(409, conflict.code, conflict.message, [{ path: '/version', message: `current version is ${actual}` }])
}

function changeOf(card: { id: string; workspaceId: string; campaignId: string; assigneeCreatorId: string | null }, user: AuthUser, previousAssignee?: string | null): BoardChange {
  return {
    type: 'card.upserted',
    agencyId: user.agency.id,
    cardId: card.id,
    workspaceId: card.workspaceId,
    campaignId: card.campaignId,
    assigneeCreatorIds: previousAssignee !== undefined && previousAssignee !== card.assigneeCreatorId ? [card.assigneeCreatorId, previousAssignee] : [card.assigneeCreatorId],
    by: { userId: user.id, name: user.name },
  }
}

export async function updateCard(db: TenantDatabase, viewer: Viewer, id: string, body: UpdateCardBody): Promise<CardSummary> {
  await db.$transaction(async (tx) => {
    const card = await lockCard(tx, viewer, id)
    conflictIfStale(body.version, card.version)
    assertCampaignOpen(card.campaign)
    const assignee = body.assigneeCreatorId !== undefined ? await checkCreator(tx, body.assigneeCreatorId, '/assigneeCreatorId') : undefined
    if (body.targetAccountIds) await checkTargetAccounts(tx, card.platform, body.targetAccountIds)
    const data: Prisma.ContentTaskUpdateInput = { version: { increment: 1 } }
    const fields: string[] = []
    if (body.title !== undefined && body.title.trim() !== card.title) {
      data.title = body.title.trim()
      fields.push('title')
    }
    if (body.description !== undefined && body.description !== card.description) {
      data.description = body.description
      fields.push('description')
    }
    if (body.dueDate !== undefined) {
      const dueAt = body.dueDate ? dueAtOf(body.dueDate, card.campaign.timeZone) : null
      if ((dueAt?.getTime() ?? null) !== (card.dueAt?.getTime() ?? null)) {
        data.dueAt = dueAt
        fields.push('due date')
      }
    }
    if (body.targetAccountIds !== undefined) {
      data.targetAccountIds = body.targetAccountIds
      fields.push('target accounts')
    }
    const reassigned = assignee !== undefined && (assignee?.id ?? null) !== card.assigneeCreatorId
    if (reassigned) data.assignee = assignee ? { connect: { id: assignee.id } } : { disconnect: true }
    if (fields.length === 0 && !reassigned) return
    await tx.contentTask.update({ where: { id }, data })
    if (fields.length) await logActivity(tx, id, viewer.user, 'edited', { fields })
    if (reassigned) await logActivity(tx, id, viewer.user, 'reassigned', { to: assignee?.displayName ?? null })
    await publishBoardChange(tx, changeOf({ ...card, assigneeCreatorId: reassigned ? (assignee?.id ?? null) : card.assigneeCreatorId }, viewer.user, card.assigneeCreatorId))
  })
  return toCardSummary(await cardRow(db, viewer, id), viewer)
}

/**
 * The position for a card dropped between `afterCardId` (the card above) and `beforeCardId` (the card below)
 * in `column`. Neighbours are looked up in the card's workspace, so the order holds on the campaign board and
 * the workspace board alike; the client's view may be a page, so the real next card in the database bounds
 * the gap rather than whatever the client happened to have loaded.
 */
async function positionForDrop(
  tx: TenantTransaction,
  card: { id: string; agencyId: string; workspaceId: string },
  column: BoardColumn,
  afterCardId: string | null | undefined,
  beforeCardId: string | null | undefined,
): Promise<string> {
  const neighbour = async (id: string, which: string) => {
    const row = await tx.contentTask.findUnique({ where: { id }, select: { position: true, column: true, workspaceId: true } })
    if (!row || row.workspaceId !== card.workspaceId || row.column !== column || id === card.id) {
      throw new ApiError(400, 'NEIGHBOUR_INVALID', `The card ${which} the drop point is not in ${BOARD_COLUMN_LABELS[column]} any more: reload the board and try again.`)
    }
    return row.position
  }
  const nextAfter = async (position: string) => {
    const [row] = await tx.$queryRaw<{ position: string }[]>`
      SELECT "position" FROM "ContentTask" WHERE "agencyId" = ${card.agencyId}::uuid AND "workspaceId" = ${card.workspaceId}::uuid AND "column" = ${column} AND "id" <> ${card.id}::uuid
        AND "position" COLLATE "C" > ${position} COLLATE "C" ORDER BY "position" COLLATE "C" LIMIT 1`
    return row?.position ?? null
  }
  const previousBefore = async (position: string) => {
    const [row] = await tx.$queryRaw<{ position: string }[]>`
      SELECT "position" FROM "ContentTask" WHERE "agencyId" = ${card.agencyId}::uuid AND "workspaceId" = ${card.workspaceId}::uuid AND "column" = ${column} AND "id" <> ${card.id}::uuid
        AND "position" COLLATE "C" < ${position} COLLATE "C" ORDER BY "position" COLLATE "C" DESC LIMIT 1`
    return row?.position ?? null
  }
  if (afterCardId) {
    const above = await neighbour(afterCardId, 'above')
    const below = beforeCardId ? await neighbour(beforeCardId, 'below') : null
    if (below !== null && above < below) return positionBetween(above, below)
    return positionBetween(above, await nextAfter(above))
  }
  if (beforeCardId) {
    const below = await neighbour(beforeCardId, 'below')
    return positionBetween(await previousBefore(below), below)
  }
  // No neighbours: the top of the column.
  const [first] = await tx.$queryRaw<{ position: string }[]>`
    SELECT "position" FROM "ContentTask" WHERE "agencyId" = ${card.agencyId}::uuid AND "workspaceId" = ${card.workspaceId}::uuid AND "column" = ${column} AND "id" <> ${card.id}::uuid
    ORDER BY "position" COLLATE "C" LIMIT 1`
  return positionBetween(null, first?.position ?? null)
}

/** What a move into or out of review needs beyond the database: the approval runs it starts or tells. */
export interface ReviewRuns {
  deps: Pick<ApprovalDeps, 'temporal' | 'settings'>
  log: { warn: (obj: object, msg: string) => void }
}

/**
 * Moves a card. A move into "Submitted by creator" opens an approval round (in the same transaction, so a
 * submission never lacks its round); a hand move out of it while a required round waits is refused.
 */
export async function moveCard(
  db: TenantDatabase,
  viewer: Viewer,
  id: string,
  body: { version: number; to: BoardColumn; afterCardId?: string | null; beforeCardId?: string | null },
  runs: ReviewRuns,
): Promise<CardSummary> {
  const effect = await db.$transaction(async (tx) => {
    const card = await lockCard(tx, viewer, id)
    conflictIfStale(body.version, card.version)
    const from = card.column as BoardColumn
    const refusal = checkCardMove({ from, to: body.to, actor: actorOf(viewer), card: { assigneeCreatorId: card.assigneeCreatorId, createdById: card.createdById } })
    if (refusal) throw new ApiError(403, refusal.code, refusal.message)
    assertCampaignOpen(card.campaign)
    const review = await reviewMove(tx, viewer.user, card, from, body.to)
    const position = await positionForDrop(tx, card, body.to, body.afterCardId, body.beforeCardId)
    await tx.contentTask.update({ where: { id }, data: { column: body.to, position, version: { increment: 1 } } })
    await logActivity(tx, id, viewer.user, 'moved', { from, to: body.to, ...(review?.opened ? { round: review.opened.row.round } : {}), ...(review?.withdrawn.length ? { withdrawn: true } : {}) })
    await publishBoardChange(tx, changeOf(card, viewer.user))
    return review
  })
  await afterReviewMove(runs.deps, viewer.user, effect, runs.log)
  return toCardSummary(await cardRow(db, viewer, id), viewer)
}

function assertMayDraft(viewer: Viewer, card: { assigneeCreatorId: string | null }): void {
  if (viewer.ownCardsOnly && !isAssignedTo(viewer.creatorId, card.assigneeCreatorId)) {
    throw new ApiError(403, 'NOT_YOUR_CARD', 'Only the creator assigned to this card can add drafts to it.')
  }
}

export async function addCaption(db: TenantDatabase, viewer: Viewer, id: string, body: { text: string; baseVersion: number }): Promise<CardDetail> {
  await db.$transaction(async (tx) => {
    const card = await lockCard(tx, viewer, id)
    assertMayDraft(viewer, card)
    assertCampaignOpen(card.campaign)
    await assertNotUnderReview(tx, id)
    const versions = await tx.captionVersion.findMany({ where: { cardId: id }, select: { version: true } })
    const current = Math.max(0, ...versions.map((v) => v.version))
    if (body.baseVersion !== current) {
      throw new ApiError(409, 'CAPTION_VERSION_CONFLICT', `This caption was written on version ${body.baseVersion}, but version ${current} is now the latest (someone saved in between). Read it, then save yours again.`, [
        { path: '/baseVersion', message: `latest caption version is ${current}` },
      ])
    }
    const version = nextCaptionVersion(versions.map((v) => v.version))
    await tx.captionVersion.create({
      data: { agencyId: viewer.user.agency.id, cardId: id, version, text: body.text.trim(), source: viewer.user.role === 'creator' ? 'creator' : 'manual', createdById: viewer.user.id },
    })
    await tx.contentTask.update({ where: { id }, data: { version: { increment: 1 } } })
    await logActivity(tx, id, viewer.user, 'caption', { version })
    await publishBoardChange(tx, changeOf(card, viewer.user))
  })
  return getCardDetail(db, viewer, id)
}

export async function addComment(
  db: TenantDatabase,
  viewer: Viewer,
  id: string,
  text: string,
  webPath: (card: { id: string; campaignId: string }) => string,
  runs: Pick<ReviewRuns, 'deps'>,
): Promise<CardDetail> {
  const stored = await db.$transaction(async (tx) => {
    const card = await lockCard(tx, viewer, id)
    const readers = withHandles(await cardReaders(tx, card.assigneeCreatorId))
    const mentioned = extractMentions(text, readers).filter((userId) => userId !== viewer.user.id)
    const comment = await tx.cardComment.create({
      data: { agencyId: viewer.user.agency.id, cardId: id, authorUserId: viewer.user.id, authorName: viewer.user.name, body: text.trim(), mentions: mentioned },
    })
    // Comments do not change the card's content, so they do not bump its version (a comment never makes
    // someone's drag fail).
    await logActivity(tx, id, viewer.user, 'comment', { commentId: comment.id })
    if (mentioned.length) {
      await tx.notification.createMany({
        data: mentioned.map((userId) => ({
          agencyId: viewer.user.agency.id,
          userId,
          kind: 'card.mention',
          title: `${viewer.user.name} mentioned you on “${card.title}”`,
          body: text.trim().slice(0, 500),
          link: webPath(card),
          idempotencyKey: `mention:${comment.id}:${userId}`,
        })),
      })
    }
    await publishBoardChange(tx, changeOf(card, viewer.user))
    return comment
  })
  // A round waiting on the card hears of the comment (its history then shows the conversation's timing).
  await signalRoundComment(runs.deps, db, id, { commentId: stored.id, authorName: stored.authorName, at: stored.createdAt.toISOString() })
  return getCardDetail(db, viewer, id)
}

export async function attachAsset(db: TenantDatabase, viewer: Viewer, id: string, fileId: string, role: 'draft' | 'thumbnail' | 'reference'): Promise<CardDetail> {
  await db.$transaction(async (tx) => {
    const card = await lockCard(tx, viewer, id)
    assertMayDraft(viewer, card)
    assertCampaignOpen(card.campaign)
    const file = await tx.storedFile.findUnique({ where: { id: fileId } })
    // A creator attaches only what they uploaded themselves; others any asset of the card's workspace.
    if (!file || file.workspaceId !== card.workspaceId || (viewer.user.role === 'creator' && file.createdById !== viewer.user.id)) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'That file is not an asset of this card’s workspace.', [{ path: '/fileId', message: 'is not an asset of this workspace' }])
    }
    if (role === 'thumbnail' && file.kind !== 'image') {
      throw new ApiError(400, 'VALIDATION_FAILED', 'A thumbnail must be an image.', [{ path: '/role', message: 'a thumbnail must be an image' }])
    }
    await tx.cardAsset.upsert({
      where: { cardId_fileId: { cardId: id, fileId } },
      create: { agencyId: viewer.user.agency.id, cardId: id, fileId, role, addedById: viewer.user.id },
      update: { role },
    })
    await tx.contentTask.update({ where: { id }, data: { version: { increment: 1 } } })
    await logActivity(tx, id, viewer.user, 'asset_added', { fileId, role, name: file.originalName })
    await publishBoardChange(tx, changeOf(card, viewer.user))
  })
  return getCardDetail(db, viewer, id)
}

export async function detachAsset(db: TenantDatabase, viewer: Viewer, id: string, fileId: string): Promise<CardDetail> {
  await db.$transaction(async (tx) => {
    const card = await lockCard(tx, viewer, id)
    assertMayDraft(viewer, card)
    const link = await tx.cardAsset.findUnique({ where: { cardId_fileId: { cardId: id, fileId } }, include: { file: { select: { originalName: true } } } })
    if (!link) throw notFound('Card asset')
    await tx.cardAsset.delete({ where: { cardId_fileId: { cardId: id, fileId } } })
    await tx.contentTask.update({ where: { id }, data: { version: { increment: 1 } } })
    await logActivity(tx, id, viewer.user, 'asset_removed', { fileId, name: link.file.originalName })
    await publishBoardChange(tx, changeOf(card, viewer.user))
  })
  return getCardDetail(db, viewer, id)
}

// ---------------------------------------------------------------------------------------------------------
// Deliverables → cards

interface ExistingDeliverable {
  id: string
  creatorId: string | null
  platform: string
  kind: string
  count: number
}

interface DeliverableInput {
  id?: string
  creatorId: string | null
  platform: string
  kind: string
  count: number
}

function inUse(description: string): ApiError {
  return new ApiError(409, 'DELIVERABLE_IN_USE', `${description}: some of its cards are already past Backlog. Move them back to Backlog, or keep the deliverable as it was.`)
}

/**
 * Writes the deliverable rows and brings their cards in line: one card per unit for an assigned deliverable
 * (sequence 1..count, each created once), titles renumbered ("2 of 3"), unstarted cards following a change of
 * creator, and cards of removed units deleted while they are still in Backlog (409 otherwise).
 */
export async function syncDeliverableCards(
  tx: TenantTransaction,
  user: AuthUser,
  campaign: Pick<CampaignRow, 'id' | 'workspaceId'>,
  existing: readonly ExistingDeliverable[],
  inputs: readonly DeliverableInput[],
): Promise<void> {
  await beginBoardChange(tx, user.agency.id, campaign.workspaceId)
  const keptIds = new Set(inputs.flatMap((input) => (input.id ? [input.id] : [])))
  const removed = existing.filter((d) => !keptIds.has(d.id))
  const cardsOf = (deliverableId: string) => tx.contentTask.findMany({ where: { deliverableId }, select: { id: true, column: true, sequence: true, title: true, assigneeCreatorId: true, workspaceId: true, campaignId: true } })
  const removeCards = async (cards: { id: string; workspaceId: string; campaignId: string; assigneeCreatorId: string | null }[]) => {
    if (cards.length === 0) return
    await tx.contentTask.deleteMany({ where: { id: { in: cards.map((card) => card.id) } } })
    for (const card of cards) {
      await publishBoardChange(tx, { type: 'card.removed', agencyId: user.agency.id, cardId: card.id, workspaceId: card.workspaceId, campaignId: card.campaignId, assigneeCreatorIds: [card.assigneeCreatorId], by: { userId: user.id, name: user.name } })
    }
  }

  const asDomain = (d: ExistingDeliverable | DeliverableInput) => ({ creatorId: d.creatorId, platform: d.platform as SocialPlatform, kind: d.kind as DeliverableKind, count: d.count })
  /** Applies a plan from domain/ (planDeliverableCards) to one deliverable's cards. */
  const apply = async (plan: DeliverableCardPlan, cards: Awaited<ReturnType<typeof cardsOf>>, deliverable: { id: string } & DeliverableInput) => {
    if (plan.blocked) throw inUse(describeDeliverable(asDomain(deliverable)))
    await removeCards(cards.filter((card) => plan.remove.includes(card.id)))
    for (const change of plan.update) {
      const card = cards.find((candidate) => candidate.id === change.id)!
      const data: Prisma.ContentTaskUpdateInput = { version: { increment: 1 } }
      if (change.title !== undefined) data.title = change.title
      if (change.assigneeCreatorId !== undefined) data.assignee = { connect: { id: change.assigneeCreatorId } }
      await tx.contentTask.update({ where: { id: card.id }, data })
      if (change.assigneeCreatorId !== undefined) {
        const creator = await tx.creator.findUnique({ where: { id: change.assigneeCreatorId }, select: { displayName: true } })
        await logActivity(tx, card.id, user, 'reassigned', { to: creator?.displayName ?? null })
      }
      await publishBoardChange(tx, changeOf({ ...card, assigneeCreatorId: change.assigneeCreatorId ?? card.assigneeCreatorId }, user, card.assigneeCreatorId))
    }
    if (plan.create.length === 0 || deliverable.creatorId === null) return
    const accounts = await tx.socialAccount.findMany({ where: { creatorId: deliverable.creatorId, platform: deliverable.platform, status: 'active' }, select: { id: true } })
    await appendCards(
      tx,
      user,
      campaign,
      plan.create.map(({ sequence, title }) => ({
        title,
        platform: deliverable.platform,
        kind: deliverable.kind,
        assigneeCreatorId: deliverable.creatorId,
        targetAccountIds: accounts.map((account) => account.id),
        deliverableId: deliverable.id,
        sequence,
      })),
      'deliverable',
    )
  }

  for (const deliverable of removed) {
    const cards = await cardsOf(deliverable.id)
    await apply(planDeliverableCards(asDomain(deliverable), null, cards), cards, deliverable)
    await tx.campaignDeliverable.delete({ where: { id: deliverable.id } })
  }
  for (const [sortOrder, input] of inputs.entries()) {
    const before = input.id ? existing.find((d) => d.id === input.id) : undefined
    const data = { creatorId: input.creatorId, platform: input.platform, kind: input.kind, count: input.count, sortOrder }
    const deliverable = before
      ? await tx.campaignDeliverable.update({ where: { id: before.id }, data })
      : await tx.campaignDeliverable.create({ data: { ...data, agencyId: user.agency.id, campaignId: campaign.id } })
    const cards = before ? await cardsOf(deliverable.id) : []
    await apply(planDeliverableCards(before ? asDomain(before) : null, asDomain(input), cards), cards, { ...input, id: deliverable.id })
  }
}

// ---------------------------------------------------------------------------------------------------------
// Drafts uploaded onto a card

/** The checks a draft upload passes before a byte is read: the card exists for the viewer, is theirs to draft on, and its campaign is open. */
export async function cardForDraft(db: TenantDatabase, viewer: Viewer, id: string) {
  const card = await db.contentTask.findUnique({ where: { id }, include: { campaign: { select: { status: true, name: true } } } })
  if (!card || !mayView(viewer, card.assigneeCreatorId)) throw notFound('Card')
  assertMayDraft(viewer, card)
  assertCampaignOpen(card.campaign)
  return card
}

/**
 * Attaches freshly uploaded files to a card (drafts, and an image as its thumbnail) with an optional new
 * caption version, inside the upload's transaction: the files, the links and the caption commit together.
 */
export async function recordDraft(
  tx: TenantTransaction,
  viewer: Viewer,
  id: string,
  draft: { files: { fileId: string; name: string; role: 'draft' | 'thumbnail' }[]; caption: string | null; baseCaptionVersion: number | null },
): Promise<void> {
  const card = await lockCard(tx, viewer, id)
  assertMayDraft(viewer, card)
  assertCampaignOpen(card.campaign)
  // The drafts the approvers see are part of what they decide on.
  await assertNotUnderReview(tx, id)
  for (const file of draft.files) {
    await tx.cardAsset.upsert({
      where: { cardId_fileId: { cardId: id, fileId: file.fileId } },
      create: { agencyId: viewer.user.agency.id, cardId: id, fileId: file.fileId, role: file.role, addedById: viewer.user.id },
      update: { role: file.role },
    })
    await logActivity(tx, id, viewer.user, 'asset_added', { fileId: file.fileId, role: file.role, name: file.name })
  }
  if (draft.caption !== null && draft.caption.trim() !== '') {
    const versions = await tx.captionVersion.findMany({ where: { cardId: id }, select: { version: true } })
    const current = Math.max(0, ...versions.map((v) => v.version))
    if (draft.baseCaptionVersion !== null && draft.baseCaptionVersion !== current) {
      throw new ApiError(409, 'CAPTION_VERSION_CONFLICT', `This caption was written on version ${draft.baseCaptionVersion}, but version ${current} is now the latest. Nothing was uploaded: read the latest caption, then send your draft again.`, [
        { path: '/baseCaptionVersion', message: `latest caption version is ${current}` },
      ])
    }
    const version = nextCaptionVersion(versions.map((v) => v.version))
    await tx.captionVersion.create({
      data: { agencyId: viewer.user.agency.id, cardId: id, version, text: draft.caption.trim(), source: viewer.user.role === 'creator' ? 'creator' : 'manual', createdById: viewer.user.id },
    })
    await logActivity(tx, id, viewer.user, 'caption', { version })
  }
  await tx.contentTask.update({ where: { id }, data: { version: { increment: 1 } } })
  await publishBoardChange(tx, changeOf(card, viewer.user))
}
