// Client review links: a signed, expiring, revocable link that lets a client approver without an account review
// chosen cards of one workspace and decide on them. Pure rules: how long a link may live, its status, which
// cards and files it reaches, what its token looks like, and whether the client may decide on a card now.
import { checkDecision, isApproverOf, type ApprovalPolicy, type ApprovalRound, type Decider, type DecisionRefusal } from './approvals'

export const REVIEW_LINK_LIMITS = {
  /** Cards one link shares. */
  cards: 100,
  expiresInDaysMin: 1,
  /** A month: a longer review is better served by a fresh link (a forgotten link stays harmless). */
  expiresInDaysMax: 30,
  clientName: 120,
  comment: 4000,
} as const

const DAY_MS = 24 * 60 * 60 * 1000

/** Why `days` is not a usable lifetime, or null when it is. */
export function expiryDaysIssue(days: number): string | null {
  if (!Number.isInteger(days) || days < REVIEW_LINK_LIMITS.expiresInDaysMin || days > REVIEW_LINK_LIMITS.expiresInDaysMax) {
    return `must be a whole number of days from ${REVIEW_LINK_LIMITS.expiresInDaysMin} to ${REVIEW_LINK_LIMITS.expiresInDaysMax}`
  }
  return null
}

/**
 * When a link made at `now` for `days` expires, to the whole second: the token carries the expiry in seconds,
 * and the row must say the same instant.
 */
export function reviewLinkExpiry(now: Date, days: number): Date {
  const issue = expiryDaysIssue(days)
  if (issue) throw new RangeError(`expiresInDays ${issue}`)
  return new Date(Math.floor((now.getTime() + days * DAY_MS) / 1000) * 1000)
}

export const REVIEW_LINK_STATUSES = ['active', 'expired', 'revoked'] as const
export type ReviewLinkStatus = (typeof REVIEW_LINK_STATUSES)[number]

export const REVIEW_LINK_STATUS_LABELS: Record<ReviewLinkStatus, string> = { active: 'Active', expired: 'Expired', revoked: 'Revoked' }

/** Revoked wins over expired: someone chose to end it, which is the more useful thing to say. */
export function reviewLinkStatus(link: { expiresAt: Date; revokedAt: Date | null }, now: Date): ReviewLinkStatus {
  if (link.revokedAt) return 'revoked'
  return link.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active'
}

export type ReviewLinkRefusalCode = 'REVIEW_LINK_EXPIRED' | 'REVIEW_LINK_REVOKED'

/** Why a known link cannot be used now (each answered 410), or null while it is active. */
export function reviewLinkRefusal(link: { expiresAt: Date; revokedAt: Date | null }, agencyName: string, now: Date): { code: ReviewLinkRefusalCode; message: string } | null {
  const status = reviewLinkStatus(link, now)
  if (status === 'revoked') return { code: 'REVIEW_LINK_REVOKED', message: `${agencyName} withdrew this review link. Ask them for a new one if there is still something to review.` }
  if (status === 'expired') return { code: 'REVIEW_LINK_EXPIRED', message: `This review link expired. Ask ${agencyName} for a new one if there is still something to review.` }
  return null
}

// ---------------------------------------------------------------------------------------------------------
// Scope: which cards and files a link reaches

/** The cards to share, each once, in the order given. */
export function distinctCardIds(cardIds: readonly string[]): string[] {
  return [...new Set(cardIds.map((id) => id.toLowerCase()))]
}

/** The positions (in `requested`) of card ids that are not among the workspace's cards the creator may see. */
export function unknownCardPositions(requested: readonly string[], found: ReadonlySet<string>): number[] {
  return requested.flatMap((id, index) => (found.has(id.toLowerCase()) ? [] : [index]))
}

export function isSharedCard(link: { cardIds: readonly string[] }, cardId: string): boolean {
  return link.cardIds.includes(cardId.toLowerCase())
}

/**
 * What of a card a client sees: the drafts and their thumbnails. References (moodboards, briefs' material) are
 * the agency's working files and stay inside.
 */
export const CLIENT_VISIBLE_ASSET_ROLES = ['draft', 'thumbnail'] as const

export const REVIEW_ASSET_VARIANTS = ['content', 'thumbnail'] as const
export type ReviewAssetVariant = (typeof REVIEW_ASSET_VARIANTS)[number]

// ---------------------------------------------------------------------------------------------------------
// Who the client is when they act

/** A review link's client as the approval rules see them: the link is their identity, their role the client's. */
export function clientDecider(link: { id: string; clientName: string }): Decider {
  return { userId: link.id, name: link.clientName, role: 'client_approver' }
}

/** How a client's comment is signed in the card's thread, so nobody mistakes it for a colleague's. */
export function clientAuthorName(clientName: string): string {
  return `${clientName} (client)`
}

/**
 * Why the client may not decide on the round now (another step is current, the chain has no step of theirs,
 * they already decided, the round is over), or null when they may. Checked as an approval of the version under
 * review: the comment rule aside, every kind of decision is allowed or refused alike.
 */
export function clientDecisionRefusal(policy: ApprovalPolicy, round: ApprovalRound, decider: Decider): DecisionRefusal | null {
  const refusal = checkDecision(policy, round, { kind: 'approve', by: decider, captionVersion: round.captionVersion })
  if (refusal?.code === 'NOT_AN_APPROVER') {
    const step = policy.steps[round.stepIndex]
    if (!step) return refusal
    // Only a later step of the client's will reach them; without one, the team decides alone.
    const clientStepLater = policy.steps.slice(round.stepIndex + 1).some((later) => isApproverOf(later, decider))
    return {
      code: refusal.code,
      message: clientStepLater
        ? `Waiting for “${step.name}” first: you can decide once it reaches you.`
        : 'The team decides on this one; you can still comment, and they will see it on the post.',
    }
  }
  if (refusal?.code === 'ALREADY_DECIDED') return { code: refusal.code, message: 'You have decided on this version.' }
  return refusal
}

// ---------------------------------------------------------------------------------------------------------
// The token: <base64url of the payload bytes>.<base64url of their HMAC-SHA256>
//
// The payload is binary, to keep the link short enough for a path segment: one version byte (1), the link id's
// 16 bytes, and the expiry in seconds since the epoch as an unsigned 64-bit big-endian integer (25 bytes).

/** What a token signs: the link and its expiry (seconds since the epoch). Version 1. */
export interface ReviewTokenPayload {
  v: 1
  id: string
  exp: number
}

const PAYLOAD_BYTES = 25
/** 25 payload bytes are 34 base64url characters; a 32-byte signature is 43. */
export const REVIEW_TOKEN_PATTERN = /^[A-Za-z0-9_-]{34}\.[A-Za-z0-9_-]{43}$/
export const REVIEW_TOKEN_MAX_LENGTH = 78

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export function encodeReviewTokenPayload(payload: ReviewTokenPayload): Uint8Array {
  if (!UUID.test(payload.id)) throw new RangeError('a review link id is a lower-case UUID')
  if (!Number.isSafeInteger(payload.exp) || payload.exp <= 0) throw new RangeError('a review link expiry is whole seconds after the epoch')
  const bytes = new Uint8Array(PAYLOAD_BYTES)
  bytes[0] = payload.v
  const hex = payload.id.replaceAll('-', '')
  for (let i = 0; i < 16; i++) bytes[1 + i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  new DataView(bytes.buffer).setBigUint64(17, BigInt(payload.exp))
  return bytes
}

/** The payload when `bytes` have exactly its layout (version 1, a sane expiry), else null. */
export function decodeReviewTokenPayload(bytes: Uint8Array): ReviewTokenPayload | null {
  if (bytes.length !== PAYLOAD_BYTES || bytes[0] !== 1) return null
  const hex = Array.from(bytes.subarray(1, 17), (byte) => byte.toString(16).padStart(2, '0')).join('')
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  const exp = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(17)
  if (exp === 0n || exp > BigInt(Number.MAX_SAFE_INTEGER)) return null
  return { v: 1, id, exp: Number(exp) }
}
