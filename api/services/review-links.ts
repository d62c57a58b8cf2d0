// Client review links. Signed in, a member shares chosen cards of a workspace with a named client: the link is a
// signed token (platform/review-link-tokens.ts) whose hash is stored, shown once and optionally e-mailed. Without
// an account, the client opens it to see those cards only and to decide or comment through it; a decision goes
// through the card's approval round as the client approver the link stands for, and is audited.
import { randomUUID } from 'node:crypto'
import { roundStatusLabel, type ApprovalPolicy } from '../../domain/approvals'
import type { SocialPlatform } from '../../domain/brand-kit'
import {
  CLIENT_VISIBLE_ASSET_ROLES,
  clientAuthorName,
  clientDecider,
  clientDecisionRefusal,
  distinctCardIds,
  isSharedCard,
  reviewLinkExpiry,
  reviewLinkRefusal,
  reviewLinkStatus,
  unknownCardPositions,
} from '../../domain/review-links'
import type { ApprovalRound, ReviewLink, StoredFile } from '../../generated/prisma/client'
import { beginBoardChange, publishBoardChange } from '../../platform/board-changes'
import type { Database } from '../../platform/database'
import type { MailResult, Mailer } from '../../platform/mailer'
import { reviewLinkTokenHash, type ReviewLinkSigner } from '../../platform/review-link-tokens'
import { asTransactionClient, type TenantDatabase } from '../../platform/tenant-scope'
import { ApiError, notFound } from '../errors'
import type { CreateReviewLinkBody, PublicCommentCreated, PublicDecisionBody, PublicDecisionResult, PublicReview, ReviewCard, ReviewLinkDto } from '../schemas/review-link'
import type { AuthUser } from '../types'
import { decideOnCard, roundStateOf, signalRoundComment, type ApprovalDeps } from './approvals'
import { recordAudit } from './audit'
import { mayView, viewerOf } from './cards'
import { assertNotArchived } from './workspaces'

const LIST_LIMIT = 200
/** lastUsedAt is written at most this often, so a page with many previews does not write the row for each. */
export const LAST_USED_RESOLUTION_MS = 60 * 1000

/** The address the client opens: the web app's public review page. */
export const reviewLinkUrl = (webUrl: string, token: string) => `${webUrl.replace(/\/+$/, '')}/review/${token}`

// ---------------------------------------------------------------------------------------------------------
// Signed in: make, list, revoke

async function memberNames(db: TenantDatabase, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))]
  if (wanted.length === 0) return new Map()
  const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } })
  return new Map(users.map((user) => [user.id, user.name]))
}

function toReviewLinkDto(row: ReviewLink, names: Map<string, string>, now: Date): ReviewLinkDto {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    clientName: row.clientName,
    clientEmail: row.clientEmail,
    cardIds: row.cardIds,
    status: reviewLinkStatus(row, now),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedBy: row.revokedById ? (names.get(row.revokedById) ?? 'Former member') : null,
    createdBy: row.createdById ? (names.get(row.createdById) ?? null) : null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  }
}

export interface CreateReviewLinkDeps {
  tenantDb: TenantDatabase
  mailer: Mailer
  signer: ReviewLinkSigner
  webUrl: string
}

/**
 * Shares cards of one workspace with a client. Every card must be one of the workspace's that the member can see
 * (400 CARD_NOT_IN_WORKSPACE names the others). The row and its audit event commit together; the e-mail, when
 * there is an address, goes after the commit, so a refused link mails nobody.
 */
export async function createReviewLink(
  deps: CreateReviewLinkDeps,
  user: AuthUser,
  body: CreateReviewLinkBody,
  ip: string,
): Promise<{ link: ReviewLinkDto; url: string; emailStatus: MailResult['status'] | null }> {
  const cardIds = distinctCardIds(body.cardIds)
  const clientName = body.clientName.trim()
  const clientEmail = body.clientEmail?.trim().toLowerCase() || null
  const now = new Date()
  const expiresAt = reviewLinkExpiry(now, body.expiresInDays)
  // The id is chosen here because the token signs it, and only the token's hash is stored.
  const id = randomUUID()
  const token = deps.signer.sign({ linkId: id, expiresAt })
  const agencyId = user.agency.id

  const { row, workspaceName } = await deps.tenantDb.$transaction(async (tx) => {
    const workspace = await tx.workspace.findUnique({ where: { id: body.workspaceId } })
    if (!workspace) throw notFound('Workspace')
    assertNotArchived(workspace)
    const cards = await tx.contentTask.findMany({ where: { id: { in: cardIds }, workspaceId: workspace.id }, select: { id: true, assigneeCreatorId: true } })
    const viewer = viewerOf(user)
    const visible = new Set(cards.filter((card) => mayView(viewer, card.assigneeCreatorId)).map((card) => card.id))
    const unknown = unknownCardPositions(body.cardIds, visible)
    if (unknown.length > 0) {
      throw new ApiError(
        400,
        'CARD_NOT_IN_WORKSPACE',
        `${unknown.length === 1 ? 'One card is' : `${unknown.length} cards are`} not among the cards of “${workspace.name}”: share cards of this workspace only.`,
        unknown.map((index) => ({ path: `/cardIds/${index}`, message: 'is not a card of this workspace' })),
      )
    }
    const row = await tx.reviewLink.create({
      data: { id, agencyId, workspaceId: workspace.id, cardIds, clientName, clientEmail, tokenHash: reviewLinkTokenHash(token), expiresAt, createdById: user.id },
    })
    await recordAudit(asTransactionClient(tx), {
      agencyId,
      action: 'review_link.created',
      actor: user,
      target: { type: 'review_link', id },
      detail: { workspace: workspace.name, clientName, ...(clientEmail ? { clientEmail } : {}), cards: cardIds.length, expiresAt: expiresAt.toISOString() },
      ip,
    })
    return { row, workspaceName: workspace.name }
  })

  const url = reviewLinkUrl(deps.webUrl, token)
  let emailStatus: MailResult['status'] | null = null
  if (clientEmail) {
    const sent = await deps.mailer.send({
      agencyId,
      to: clientEmail,
      subject: `${user.agency.name} asks for your review: ${cardIds.length} post${cardIds.length === 1 ? '' : 's'} for ${workspaceName}`,
      text: [
        `Hello ${clientName},`,
        '',
        `${user.name} of ${user.agency.name} shared ${cardIds.length} post${cardIds.length === 1 ? '' : 's'} for ${workspaceName} with you for review.`,
        `Open them, approve, request changes or comment here (no account needed): ${url}`,
        '',
        `The link is yours alone: your decisions carry your name. It works until ${expiresAt.toUTCString()}.`,
        'If you did not expect this, ignore this e-mail.',
      ].join('\n'),
      // The text carries the link itself: in the development outbox only its recipient may read it.
      recipientOnly: true,
    })
    emailStatus = sent.status
  }
  return { link: toReviewLinkDto(row, new Map([[user.id, user.name]]), now), url, emailStatus }
}

/** A workspace's review links, newest first, with their status; never their tokens (only hashes are kept). */
export async function listReviewLinks(db: TenantDatabase, workspaceId: string): Promise<ReviewLinkDto[]> {
  const workspace = await db.workspace.findUnique({ where: { id: workspaceId }, select: { id: true } })
  if (!workspace) throw notFound('Workspace')
  const rows = await db.reviewLink.findMany({ where: { workspaceId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: LIST_LIMIT })
  const names = await memberNames(db, rows.flatMap((row) => [row.createdById, row.revokedById]))
  const now = new Date()
  return rows.map((row) => toReviewLinkDto(row, names, now))
}

/** Ends a link at once: every later request through it is answered 410 REVIEW_LINK_REVOKED. */
export async function revokeReviewLink(db: TenantDatabase, user: AuthUser, id: string, ip: string): Promise<ReviewLinkDto> {
  const row = await db.$transaction(async (tx) => {
    const now = new Date()
    // Conditional, so of two revocations one records it and the other is told.
    const { count } = await tx.reviewLink.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now, revokedById: user.id } })
    const row = await tx.reviewLink.findUnique({ where: { id } })
    if (!row) throw notFound('Review link')
    if (count !== 1) throw new ApiError(409, 'REVIEW_LINK_REVOKED', 'This review link was already revoked.')
    await recordAudit(asTransactionClient(tx), {
      agencyId: user.agency.id,
      action: 'review_link.revoked',
      actor: user,
      target: { type: 'review_link', id },
      detail: { clientName: row.clientName, cards: row.cardIds.length, wasExpired: row.expiresAt.getTime() <= now.getTime() },
      ip,
    })
    return row
  })
  return toReviewLinkDto(row, await memberNames(db, [row.createdById, row.revokedById]), new Date())
}

// ---------------------------------------------------------------------------------------------------------
// Public: through the token

/** A link that may be used now, with its agency's scoped database (the request has no session to give one). */
export interface OpenedReviewLink {
  link: ReviewLink
  agencyName: string
  db: TenantDatabase
}

export interface OpenReviewLinkDeps {
  db: Database
  signer: ReviewLinkSigner
  /** The agency-scoped client for the link's agency (platform/tenant-scope.ts). */
  tenantDb: (agencyId: string) => TenantDatabase
}

const EXPIRED_LINK_MESSAGE = 'This review link expired. Ask the team that shared it for a new one if there is still something to review.'

const linkNotFound = () =>
  new ApiError(404, 'REVIEW_LINK_NOT_FOUND', 'This review link is not valid. Check that it was copied completely, or ask for a new one.')

/**
 * The link a token stands for, if it may be used now: 404 REVIEW_LINK_NOT_FOUND for a token that is not ours
 * (bad signature, unknown), 410 REVIEW_LINK_EXPIRED or REVIEW_LINK_REVOKED for one that has ended.
 */
export async function openReviewLink(deps: OpenReviewLinkDeps, token: string, now = new Date()): Promise<OpenedReviewLink> {
  const check = deps.signer.verify(token, now)
  if (check.kind === 'invalid') throw linkNotFound()
  // Past the expiry our own signature vouches for: ended whatever the row says, so the row is not read.
  if (check.kind === 'expired') throw new ApiError(410, 'REVIEW_LINK_EXPIRED', EXPIRED_LINK_MESSAGE)
  // Unscoped on purpose: the agency is what this finds out. The hash is unique across agencies.
  const link = await deps.db.reviewLink.findUnique({ where: { tokenHash: reviewLinkTokenHash(token) }, include: { agency: { select: { name: true } } } })
  if (!link || link.id !== check.linkId) throw linkNotFound()
  const refusal = reviewLinkRefusal(link, link.agency.name, now)
  if (refusal) throw new ApiError(410, refusal.code, refusal.message)
  if (!link.lastUsedAt || now.getTime() - link.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    try {
      await deps.db.reviewLink.updateMany({ where: { id: link.id }, data: { lastUsedAt: now } })
    } catch {
      // Only bookkeeping: a review must not fail because the last-use time could not be written.
    }
  }
  const { agency, ...row } = link
  return { link: row, agencyName: agency.name, db: deps.tenantDb(link.agencyId) }
}

function toReviewAsset(role: string, file: StoredFile): ReviewCard['assets'][number] {
  return {
    fileId: file.id,
    role,
    kind: file.kind,
    mimeType: file.mimeType,
    name: file.originalName,
    width: file.width,
    height: file.height,
    hasThumbnail: file.thumbnailKey !== null,
  }
}

/** Where a card's latest round stands for the client: its status, the step deciding now, their own decisions. */
function clientRoundOf(link: ReviewLink, row: ApprovalRound | undefined): Pick<ReviewCard, 'round' | 'canDecide' | 'waitingFor'> {
  if (!row) return { round: null, canDecide: false, waitingFor: 'This post has not been submitted for review yet.' }
  const policy = row.policy as unknown as ApprovalPolicy
  const state = roundStateOf(row)
  const step = row.status === 'pending' ? policy.steps[row.stepIndex] : undefined
  const refusal = row.status === 'pending' ? clientDecisionRefusal(policy, state, clientDecider(link)) : null
  return {
    round: {
      round: row.round,
      status: state.status,
      statusLabel: roundStatusLabel(state.status),
      stepName: step?.name ?? null,
      stepAudience: step?.audience ?? null,
      captionVersion: row.captionVersion,
      dueAt: row.dueAt.toISOString(),
      yourDecisions: state.decisions
        .filter((decision) => decision.by.userId === link.id)
        .map((decision) => ({ kind: decision.kind, comment: decision.comment, captionVersion: decision.captionVersion, at: decision.at })),
    },
    canDecide: row.status === 'pending' && refusal === null,
    waitingFor: refusal?.message ?? null,
  }
}

/**
 * Shared cards as the client sees them, in the order of `cardIds`: the caption under review, the drafts and the
 * round in the client's terms. A card deleted since it was shared is simply no longer there.
 */
async function clientCards(opened: OpenedReviewLink, cardIds: readonly string[]): Promise<ReviewCard[]> {
  const { link, db } = opened
  const ids = [...cardIds]
  const [cards, rounds, captions, assets] = await Promise.all([
    db.contentTask.findMany({ where: { id: { in: ids }, workspaceId: link.workspaceId }, select: { id: true, title: true, platform: true } }),
    // The latest round of each card.
    db.approvalRound.findMany({ where: { cardId: { in: ids } }, orderBy: [{ cardId: 'asc' }, { round: 'desc' }], distinct: ['cardId'] }),
    db.captionVersion.findMany({ where: { cardId: { in: ids } }, orderBy: [{ cardId: 'asc' }, { version: 'desc' }], select: { cardId: true, version: true, text: true } }),
    db.cardAsset.findMany({
      where: { cardId: { in: ids }, role: { in: [...CLIENT_VISIBLE_ASSET_ROLES] } },
      include: { file: true },
      orderBy: [{ createdAt: 'asc' }, { fileId: 'asc' }],
    }),
  ])
  const byId = new Map(cards.map((card) => [card.id, card]))
  const roundOf = new Map(rounds.map((row) => [row.cardId, row]))
  return ids.flatMap((cardId): ReviewCard[] => {
    const card = byId.get(cardId)
    if (!card) return []
    const row = roundOf.get(cardId)
    const versions = captions.filter((caption) => caption.cardId === cardId)
    const caption = row ? versions.find((version) => version.version === row.captionVersion) : versions[0]
    return [
      {
        id: card.id,
        title: card.title,
        platform: card.platform as SocialPlatform,
        caption: caption ? { version: caption.version, text: caption.text } : null,
        assets: assets.filter((asset) => asset.cardId === cardId).map((asset) => toReviewAsset(asset.role, asset.file)),
        ...clientRoundOf(link, row),
      },
    ]
  })
}

/** What the client sees: the shared cards only, each with the caption under review, its drafts and its round. */
export async function getPublicReview(opened: OpenedReviewLink): Promise<PublicReview> {
  const { link, db } = opened
  const [workspace, cards] = await Promise.all([
    db.workspace.findUnique({ where: { id: link.workspaceId }, select: { name: true, clientName: true } }),
    clientCards(opened, link.cardIds),
  ])
  if (!workspace) throw linkNotFound()
  return {
    clientName: link.clientName,
    agencyName: opened.agencyName,
    workspace,
    expiresAt: link.expiresAt.toISOString(),
    cards,
  }
}

/** 404 NOT_FOUND for a card the link does not share, whatever else exists. */
function assertShared(opened: OpenedReviewLink, cardId: string): void {
  if (!isSharedCard(opened.link, cardId)) throw notFound('Card')
}

/**
 * The client's decision, through the card's round as the client approver the link stands for. The round's
 * refusals (403 NOT_AN_APPROVER, 409 STALE_VERSION, 400 COMMENT_REQUIRED…) pass through and change nothing; an
 * accepted decision is audited with the link and the client's name. The answer is the card as the client now
 * sees it: the round's other deciders, its workflow and the team's links are not the client's to see.
 */
export async function decideThroughLink(
  deps: Pick<ApprovalDeps, 'temporal' | 'settings'>,
  opened: OpenedReviewLink,
  body: PublicDecisionBody,
  ip: string,
): Promise<PublicDecisionResult> {
  assertShared(opened, body.cardId)
  const { link, db } = opened
  const cardId = body.cardId.toLowerCase()
  const view = await decideOnCard(deps, db, clientDecider(link), cardId, { kind: body.kind, captionVersion: body.captionVersion, comment: body.comment ?? null })
  await recordAudit(db, {
    agencyId: link.agencyId,
    action: 'review_link.decision',
    // The client has no account: no user acted, the label names them and the detail names the link (as on the card).
    actor: { id: null, name: clientAuthorName(link.clientName) },
    target: { type: 'card', id: cardId },
    detail: { reviewLinkId: link.id, clientName: link.clientName, cardId, kind: body.kind, round: view.round, captionVersion: body.captionVersion },
    ip,
  })
  // The round's row is current once its Update has answered (the workflow records before it replies).
  const [card] = await clientCards(opened, [cardId])
  if (!card) throw notFound('Card')
  return { card }
}

/**
 * A client's comment on a shared card: stored in the card's thread under the client's name (no member wrote it),
 * logged on the card and announced to open boards in one transaction, then marked in a waiting round.
 */
export async function commentThroughLink(deps: Pick<ApprovalDeps, 'temporal'>, opened: OpenedReviewLink, body: { cardId: string; text: string }): Promise<PublicCommentCreated> {
  assertShared(opened, body.cardId)
  const { link, db } = opened
  const cardId = body.cardId.toLowerCase()
  const authorName = clientAuthorName(link.clientName)
  const comment = await db.$transaction(async (tx) => {
    const card = await tx.contentTask.findUnique({ where: { id: cardId }, select: { id: true, workspaceId: true, campaignId: true, assigneeCreatorId: true } })
    if (!card) throw notFound('Card')
    await beginBoardChange(tx, link.agencyId, card.workspaceId)
    const comment = await tx.cardComment.create({ data: { agencyId: link.agencyId, cardId, authorUserId: null, authorName, body: body.text.trim(), mentions: [] } })
    await tx.cardActivity.create({
      data: { agencyId: link.agencyId, cardId, actorUserId: null, actorLabel: authorName, kind: 'comment', detail: { commentId: comment.id, reviewLinkId: link.id } },
    })
    await publishBoardChange(tx, {
      type: 'card.upserted',
      agencyId: link.agencyId,
      cardId,
      workspaceId: card.workspaceId,
      campaignId: card.campaignId,
      assigneeCreatorIds: [card.assigneeCreatorId],
      by: { userId: null, name: authorName },
    })
    return comment
  })
  await signalRoundComment(deps, db, cardId, { commentId: comment.id, authorName, at: comment.createdAt.toISOString() })
  return { comment: { id: comment.id, cardId, authorName, body: comment.body, createdAt: comment.createdAt.toISOString() } }
}

/** A file the client may open: a draft or thumbnail of a shared card; 404 for anything else. */
export async function findSharedFile(opened: OpenedReviewLink, fileId: string): Promise<StoredFile> {
  const attached = await opened.db.cardAsset.findFirst({
    where: { fileId, cardId: { in: opened.link.cardIds }, role: { in: [...CLIENT_VISIBLE_ASSET_ROLES] } },
    include: { file: true },
  })
  if (!attached) throw notFound('File')
  return attached.file
}
