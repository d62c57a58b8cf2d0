// The review grid: every card whose latest approval round matches the filters, newest submission first, with
// the caption under review and the card's AI variants side by side (scores and reasons), and whether the
// viewer may decide; and decisions on many cards at once, each through the round's own Update so one refusal
// never stops the rest. Everything is read from rows (the rounds the workflow's activities keep current).
import type { FastifyBaseLogger } from 'fastify'
import type { Decider, RoundStatus } from '../../domain/approvals'
import type { BoardColumn } from '../../domain/content-board'
import type { SocialPlatform } from '../../domain/brand-kit'
import type { AiProvider } from '../../domain/ai-content'
import { RUBRICS, type RubricName, type VariantScore } from '../../domain/rubric'
import { Prisma, type ApprovalRound } from '../../generated/prisma/client'
import type { TenantDatabase } from '../../platform/tenant-scope'
import { ApiError, notFound } from '../errors'
import type { BatchDecisionBody, ReviewItem, ReviewList, ReviewVariant } from '../schemas/review'
import { REVIEW_PAGE_SIZE } from '../schemas/review'
import type { ApiSettings } from '../types'
import { decideOnCard, deciderOf, decisionRefusal, roundViews, type ApprovalDeps, type RoundView } from './approvals'
import { mayView, type Viewer } from './cards'

// The schemas name the round by $ref (typed unknown by TypeBox): put the round back in.
export type ReviewItemDto = Omit<ReviewItem, 'round'> & { round: RoundView }
export type ReviewListDto = Omit<ReviewList, 'items'> & { items: ReviewItemDto[] }
export type BatchItemResult = { cardId: string; ok: true; round: RoundView } | { cardId: string; ok: false; error: { code: string; message: string } }

export interface ReviewFilter {
  workspaceId?: string
  campaignId?: string
  status?: RoundStatus | 'all'
  platform?: string
  minScore?: number
  maxScore?: number
  cursor?: string
  limit?: number
}

// A page cursor is the last item's submission time and round id: the next page starts strictly after them.
function encodeCursor(row: { submittedAt: Date; id: string }): string {
  return Buffer.from(`${row.submittedAt.toISOString()}|${row.id}`).toString('base64url')
}

function decodeCursor(cursor: string): { submittedAt: string; id: string } {
  const [submittedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  if (!submittedAt || !id || !/^[0-9a-f-]{36}$/.test(id) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(submittedAt)) {
    throw new ApiError(400, 'CURSOR_INVALID', 'The cursor is not one this list gave out: load the review grid again.')
  }
  return { submittedAt, id }
}

/**
 * The SQL conditions of the grid's filters, on `r` (the round), `t` (its card) and `av` (the AI variant of
 * the caption under review). Raw SQL is not scoped by the tenant client, so the agency comes first.
 */
async function reviewConditions(db: TenantDatabase, viewer: Viewer, filter: ReviewFilter): Promise<Prisma.Sql> {
  const agencyId = viewer.user.agency.id
  const conditions: Prisma.Sql[] = [Prisma.sql`r."agencyId" = ${agencyId}::uuid`, Prisma.sql`t."agencyId" = ${agencyId}::uuid`]
  if (filter.workspaceId) {
    if (!(await db.workspace.findUnique({ where: { id: filter.workspaceId }, select: { id: true } }))) throw notFound('Workspace')
    conditions.push(Prisma.sql`t."workspaceId" = ${filter.workspaceId}::uuid`)
  }
  if (filter.campaignId) {
    if (!(await db.campaign.findUnique({ where: { id: filter.campaignId }, select: { id: true } }))) throw notFound('Campaign')
    conditions.push(Prisma.sql`t."campaignId" = ${filter.campaignId}::uuid`)
  }
  if (viewer.ownCardsOnly) {
    // A creator without a linked profile has no cards; a nil id matches none.
    conditions.push(Prisma.sql`t."assigneeCreatorId" = ${viewer.creatorId ?? '00000000-0000-0000-0000-000000000000'}::uuid`)
  }
  const status = filter.status ?? 'pending'
  if (status !== 'all') conditions.push(Prisma.sql`r."status" = ${status}`)
  if (filter.platform) conditions.push(Prisma.sql`t."platform" = ${filter.platform}`)
  if (filter.minScore !== undefined) conditions.push(Prisma.sql`av."overall" >= ${filter.minScore}`)
  if (filter.maxScore !== undefined) conditions.push(Prisma.sql`av."overall" <= ${filter.maxScore}`)
  // One item per card: its latest round.
  conditions.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "ApprovalRound" later WHERE later."cardId" = r."cardId" AND later."round" > r."round")`)
  return Prisma.join(conditions, ' AND ')
}

const REVIEW_FROM = Prisma.sql`
  FROM "ApprovalRound" r
  JOIN "ContentTask" t ON t."id" = r."cardId"
  LEFT JOIN "CaptionVersion" cv ON cv."cardId" = r."cardId" AND cv."version" = r."captionVersion"
  LEFT JOIN "AiVariant" av ON av."captionVersionId" = cv."id"`

export async function listReviews(deps: { settings: Pick<ApiSettings, 'temporal'> }, db: TenantDatabase, viewer: Viewer, filter: ReviewFilter): Promise<ReviewListDto> {
  if (filter.minScore !== undefined && filter.maxScore !== undefined && filter.minScore > filter.maxScore) {
    throw new ApiError(400, 'VALIDATION_FAILED', `The lowest score (${filter.minScore}) is above the highest (${filter.maxScore}).`, [{ path: '/minScore', message: 'must not exceed maxScore' }])
  }
  const limit = filter.limit ?? REVIEW_PAGE_SIZE
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined
  const where = await reviewConditions(db, viewer, filter)
  // Stored times are UTC without a zone; the cursor's ISO time is read the same way (its "Z" is ignored).
  const start = after ? Prisma.sql`AND (r."submittedAt", r."id") < (${after.submittedAt}::timestamp(3), ${after.id}::uuid)` : Prisma.empty
  const [[count], page] = await Promise.all([
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total ${REVIEW_FROM} WHERE ${where}`,
    db.$queryRaw<{ id: string }[]>`SELECT r."id" ${REVIEW_FROM} WHERE ${where} ${start} ORDER BY r."submittedAt" DESC, r."id" DESC LIMIT ${limit + 1}`,
  ])
  const ids = page.slice(0, limit).map((row) => row.id)
  const items = await reviewItems(deps, db, viewer, ids)
  const last = items.at(-1)
  return {
    items,
    total: count?.total ?? 0,
    nextCursor: page.length > limit && last ? encodeCursor({ submittedAt: new Date(last.round.submittedAt), id: last.round.id }) : null,
  }
}

type RoundWithCard = Prisma.ApprovalRoundGetPayload<{
  include: {
    card: {
      include: {
        campaign: { select: { id: true; name: true } }
        workspace: { select: { id: true; name: true } }
        assignee: { select: { id: true; displayName: true } }
      }
    }
  }
}>

/** The grid's items for these rounds, in the order given. */
async function reviewItems(deps: { settings: Pick<ApiSettings, 'temporal'> }, db: TenantDatabase, viewer: Viewer, roundIds: string[]): Promise<ReviewItemDto[]> {
  if (roundIds.length === 0) return []
  const rows: RoundWithCard[] = await db.approvalRound.findMany({
    where: { id: { in: roundIds } },
    include: {
      card: {
        include: {
          campaign: { select: { id: true, name: true } },
          workspace: { select: { id: true, name: true } },
          assignee: { select: { id: true, displayName: true } },
        },
      },
    },
  })
  const byId = new Map(rows.map((row) => [row.id, row]))
  const ordered = roundIds.map((id) => byId.get(id)).filter((row): row is RoundWithCard => row !== undefined)
  const cardIds = ordered.map((row) => row.cardId)
  const [views, captions, variants, assets] = await Promise.all([
    roundViews(db, deps.settings, ordered),
    db.captionVersion.findMany({
      where: { OR: ordered.map((row) => ({ cardId: row.cardId, version: row.captionVersion })) },
      select: { cardId: true, version: true, text: true, source: true, aiVariant: { select: { overall: true } } },
    }),
    db.aiVariant.findMany({
      where: { captionVersion: { cardId: { in: cardIds } } },
      select: {
        id: true,
        variantIndex: true,
        angle: true,
        provider: true,
        model: true,
        overall: true,
        scores: true,
        captionVersion: { select: { cardId: true, version: true, text: true } },
      },
    }),
    db.cardAsset.findMany({
      where: { cardId: { in: cardIds } },
      include: { file: { select: { id: true, originalName: true, kind: true, thumbnailKey: true } } },
      orderBy: { createdAt: 'asc' },
    }),
  ])
  const viewsById = new Map(views.map((view) => [view.id, view]))
  const captionOf = new Map(captions.map((caption) => [`${caption.cardId}:${caption.version}`, caption]))
  const decider = deciderOf(viewer.user)

  return ordered.map((row) => {
    const card = row.card
    const caption = captionOf.get(`${row.cardId}:${row.captionVersion}`) ?? null
    const cardAssets = assets.filter((asset) => asset.cardId === row.cardId)
    // The board's thumbnail: a thumbnail-role image first, else the oldest asset that has a preview.
    const preview = [...cardAssets].sort((a, b) => Number(b.role === 'thumbnail') - Number(a.role === 'thumbnail')).find((asset) => asset.file.thumbnailKey !== null)
    const cardVariants: ReviewVariant[] = variants
      .filter((variant) => variant.captionVersion?.cardId === row.cardId)
      .sort((a, b) => a.captionVersion!.version - b.captionVersion!.version)
      .map((variant) => ({
        id: variant.id,
        variantIndex: variant.variantIndex,
        angle: variant.angle,
        provider: variant.provider as AiProvider,
        model: variant.model,
        captionVersion: variant.captionVersion!.version,
        text: variant.captionVersion!.text,
        overall: variant.overall,
        rubrics: rubricsOf(variant.scores as VariantScore | null),
        underReview: variant.captionVersion!.version === row.captionVersion,
      }))
    const { refusal, canEdit } = mayDecide(row, decider)
    return {
      card: {
        id: card.id,
        title: card.title,
        platform: card.platform as SocialPlatform,
        kind: card.kind,
        column: card.column as BoardColumn,
        campaign: card.campaign,
        workspace: card.workspace,
        assignee: card.assignee ? { creatorId: card.assignee.id, name: card.assignee.displayName } : null,
        dueAt: card.dueAt?.toISOString() ?? null,
        thumbnailUrl: preview ? `/api/assets/${preview.file.id}/thumbnail` : null,
        assets: cardAssets.map(({ file, role }) => ({
          fileId: file.id,
          role,
          name: file.originalName,
          kind: file.kind,
          contentUrl: `/api/assets/${file.id}/content`,
          thumbnailUrl: file.thumbnailKey ? `/api/assets/${file.id}/thumbnail` : null,
        })),
      },
      round: viewsById.get(row.id)!,
      caption: caption ? { version: caption.version, text: caption.text, source: caption.source, overall: caption.aiVariant?.overall ?? null } : null,
      variants: cardVariants,
      canDecide: refusal === null,
      canEdit,
      refusal,
    }
  })
}

/** Score and reason per rubric (the parts stay on the batch page). */
function rubricsOf(scores: VariantScore | null): ReviewVariant['rubrics'] {
  if (!scores?.rubrics) return null
  return Object.fromEntries(RUBRICS.map((name: RubricName) => [name, { score: scores.rubrics[name].score, reason: scores.rubrics[name].reason }])) as ReviewVariant['rubrics']
}

/**
 * Whether the decider may decide in the round as its row stands, whatever the kind (an approval has no
 * comment rule, so it is the kind asked about), and whether they may edit the caption under review.
 */
function mayDecide(row: ApprovalRound, decider: Decider): { refusal: { code: string; message: string } | null; canEdit: boolean } {
  return { refusal: decisionRefusal(row, decider, 'approve', row.captionVersion), canEdit: decisionRefusal(row, decider, 'edit', row.captionVersion) === null }
}

// ---------------------------------------------------------------------------------------------------------
// Decisions on many cards

/** Decisions in flight at once: each is a Temporal Update that waits for its round's activity. */
const BATCH_CONCURRENCY = 4

/**
 * One decision per item, each through its round's Update with the viewer as decider, independently: a
 * refusal (or a card the viewer cannot see, another agency's included) is that item's result and the rest go
 * on. Results come back in the order the items were sent, each with the card's id in lower case (as stored).
 */
export async function decideInBatch(
  deps: Pick<ApprovalDeps, 'temporal' | 'settings'>,
  db: TenantDatabase,
  viewer: Viewer,
  body: BatchDecisionBody,
  log: FastifyBaseLogger,
): Promise<{ results: BatchItemResult[] }> {
  // A UUID is the same card in either case: compared, looked up and answered in the stored (lower) case.
  const items = body.items.map((item) => ({ ...item, cardId: item.cardId.toLowerCase() }))
  const seen = new Map<string, number>()
  items.forEach((item, index) => {
    const first = seen.get(item.cardId)
    if (first !== undefined) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'A card is named twice: decide on each card once.', [{ path: `/items/${index}/cardId`, message: `repeats /items/${first}/cardId` }])
    }
    seen.set(item.cardId, index)
  })
  const decider = deciderOf(viewer.user)
  const comment = body.comment?.trim() ? body.comment.trim() : null
  const visible = new Set(
    (await db.contentTask.findMany({ where: { id: { in: items.map((item) => item.cardId) } }, select: { id: true, assigneeCreatorId: true } }))
      .filter((card) => mayView(viewer, card.assigneeCreatorId))
      .map((card) => card.id),
  )

  const decideOne = async (item: (typeof items)[number]): Promise<BatchItemResult> => {
    if (!visible.has(item.cardId)) {
      const missing = notFound('Card')
      return { cardId: item.cardId, ok: false, error: { code: missing.code, message: missing.message } }
    }
    try {
      const round = await decideOnCard(deps, db, decider, item.cardId, { kind: body.kind, captionVersion: item.captionVersion, comment })
      return { cardId: item.cardId, ok: true, round }
    } catch (error) {
      if (error instanceof ApiError) {
        if (error.statusCode >= 500) log.warn({ err: error.cause ?? error, cardId: item.cardId }, error.message)
        return { cardId: item.cardId, ok: false, error: { code: error.code, message: error.message } }
      }
      // Not a refusal: logged with the request, and said to the caller for this card only.
      log.error({ err: error, cardId: item.cardId }, 'batch decision failed')
      return { cardId: item.cardId, ok: false, error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side with this card; the others were decided. Try it again.' } }
    }
  }

  const results: BatchItemResult[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await decideOne(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, items.length) }, worker))
  return { results }
}
