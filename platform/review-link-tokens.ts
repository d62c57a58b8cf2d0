// Signing and verifying client review link tokens. A token is base64url(payload: the link id and its expiry, laid
// out in domain/review-links.ts) + '.' + base64url(HMAC-SHA256 of that first part under a server secret), so a
// link's id and expiry cannot be changed or made up without the secret. Only sha256(token) is stored (ReviewLink.tokenHash); signatures are compared in
// constant time. The secret comes from REVIEW_LINK_SECRET; in development a generated one is kept in the data
// folder, in production a missing one is an error. The secret is never logged.
import { createHash, createHmac, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { REVIEW_TOKEN_MAX_LENGTH, REVIEW_TOKEN_PATTERN, decodeReviewTokenPayload, encodeReviewTokenPayload } from '../domain/review-links'
import { verifiedPayload } from './signed-tokens'

/** Shorter secrets are refused: the HMAC is only as strong as its key. */
export const REVIEW_LINK_SECRET_MIN_LENGTH = 32

export type ReviewTokenCheck =
  | { kind: 'valid'; linkId: string; expiresAt: Date }
  /** Signed by us, but past its expiry. */
  | { kind: 'expired'; linkId: string; expiresAt: Date }
  /** Malformed, tampered with, or signed with another secret: indistinguishable on purpose. */
  | { kind: 'invalid' }

export interface ReviewLinkSigner {
  /** The token of a link; `expiresAt` is carried to the second. */
  sign(link: { linkId: string; expiresAt: Date }): string
  verify(token: string, now?: Date): ReviewTokenCheck
}

/** What is stored for a token: its SHA-256, hex. */
export function reviewLinkTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function createReviewLinkSigner(secret: string): ReviewLinkSigner {
  if (secret.length < REVIEW_LINK_SECRET_MIN_LENGTH) throw new Error(`the review link secret must be at least ${REVIEW_LINK_SECRET_MIN_LENGTH} characters`)
  // A key of its own, so the same secret could never sign something else that reads like a token.
  const key = createHmac('sha256', secret).update('greenlight review link token v1').digest()
  const signatureOf = (payloadPart: string) => createHmac('sha256', key).update(payloadPart).digest()

  return {
    sign({ linkId, expiresAt }) {
      const payload = encodeReviewTokenPayload({ v: 1, id: linkId, exp: Math.floor(expiresAt.getTime() / 1000) })
      const payloadPart = Buffer.from(payload).toString('base64url')
      return `${payloadPart}.${signatureOf(payloadPart).toString('base64url')}`
    },

    verify(token, now = new Date()) {
      if (token.length > REVIEW_TOKEN_MAX_LENGTH || !REVIEW_TOKEN_PATTERN.test(token)) return { kind: 'invalid' }
      const payloadBytes = verifiedPayload(token, signatureOf)
      if (!payloadBytes) return { kind: 'invalid' }
      const payload = decodeReviewTokenPayload(payloadBytes)
      if (!payload) return { kind: 'invalid' }
      const expiresAt = new Date(payload.exp * 1000)
      return { kind: expiresAt.getTime() <= now.getTime() ? 'expired' : 'valid', linkId: payload.id, expiresAt }
    },
  }
}

/** A new random secret, as the development file holds it. */
export function generateReviewLinkSecret(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * The development secret: created in <dataDir>/review-link-secret (mode 0600) on first use and reused, so links
 * made before a restart keep working after it.
 */
export function ensureDevReviewLinkSecretFile(dataDir: string): string {
  const file = path.join(dataDir, 'review-link-secret')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true })
    try {
      fs.writeFileSync(file, `${generateReviewLinkSecret()}\n`, { mode: 0o600, flag: 'wx' })
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  return fs.readFileSync(file, 'utf8').trim()
}

/**
 * The process's signer, built when first needed: REVIEW_LINK_SECRET when set; otherwise, outside production, the
 * development file. In production a missing secret fails at once (at start-up), never a silently generated one.
 */
export function reviewLinkSignerSource(options: { secret: string | undefined; dataDir: string }): () => ReviewLinkSigner {
  if (!options.secret && process.env.NODE_ENV === 'production') {
    throw new Error(`REVIEW_LINK_SECRET is not set: set it to a random string of at least ${REVIEW_LINK_SECRET_MIN_LENGTH} characters (e.g. \`openssl rand -base64 32\`)`)
  }
  const eager = options.secret ? createReviewLinkSigner(options.secret) : null
  let lazy: ReviewLinkSigner | null = null
  // The development file is only touched when a link is made or opened, not by every process that builds the API.
  return () => eager ?? (lazy ??= createReviewLinkSigner(ensureDevReviewLinkSecretFile(options.dataDir)))
}
