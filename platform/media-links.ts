// Public media links: the address Instagram, Facebook and TikTok fetch a post's file from, since they pull media
// by URL and carry no session. A link is /api/public/media/<token>/<filename>: the token signs the stored file's
// id and an expiry (base64url of the payload + '.' + base64url of its HMAC-SHA256, the layout of review link
// tokens), and the filename is there for fetchers that read the type from the extension. The key is derived from
// the review link secret under a label of its own, so neither kind of token can pass for the other. Signatures
// are compared in constant time and only the canonical base64url spelling is accepted.
import { createHmac } from 'node:crypto'
import { MEDIA_TYPES } from './media'
import { REVIEW_LINK_SECRET_MIN_LENGTH, ensureDevReviewLinkSecretFile } from './review-link-tokens'
import { verifiedPayload } from './signed-tokens'

/** Where the API serves public media; a link's path is this, the token, '/', the filename. */
export const MEDIA_LINK_PATH_PREFIX = '/api/public/media/'

export type MediaLinkCheck =
  | { kind: 'valid'; fileId: string }
  /** Signed by us, but past its expiry. */
  | { kind: 'expired' }
  /** Malformed, tampered with, or signed with another secret: indistinguishable on purpose. */
  | { kind: 'invalid' }

export interface MediaLinkSigner {
  /** The link's path; `expiresAt` is carried to the second (rounded down). */
  sign(link: { fileId: string; filename: string; expiresAt: Date }): string
  verify(token: string, now?: Date): MediaLinkCheck
}

// Payload: one version byte (1), the file id's 16 bytes, the expiry in seconds since the epoch as an unsigned
// 64-bit big-endian integer: 25 bytes, 34 base64url characters; the 32-byte signature is 43.
const PAYLOAD_BYTES = 25
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{34}\.[A-Za-z0-9_-]{43}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function encodePayload(fileId: string, expiresAtSeconds: number): Buffer {
  const bytes = Buffer.alloc(PAYLOAD_BYTES)
  bytes[0] = 1
  Buffer.from(fileId.replaceAll('-', ''), 'hex').copy(bytes, 1)
  bytes.writeBigUInt64BE(BigInt(expiresAtSeconds), 17)
  return bytes
}

function decodePayload(bytes: Buffer): { fileId: string; expiresAtSeconds: number } | null {
  if (bytes.length !== PAYLOAD_BYTES || bytes[0] !== 1) return null
  const hex = bytes.subarray(1, 17).toString('hex')
  const exp = bytes.readBigUInt64BE(17)
  if (exp === 0n || exp > BigInt(Number.MAX_SAFE_INTEGER)) return null
  return { fileId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`, expiresAtSeconds: Number(exp) }
}

/**
 * The filename as a link carries it: plain characters only (letters, digits, '-', '_'; anything else becomes
 * '-'), the extension kept and lower-cased, at most 80 characters before it. Fetchers and the URL parsers in
 * between all read such a name the same way. With the stored file's MIME type, the extension is the one of
 * its actual type (an upload's name may say otherwise: the type was decided from its bytes).
 */
export function mediaLinkFilename(name: string, mimeType?: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  const dot = base.lastIndexOf('.')
  const rawExtension = dot > 0 ? base.slice(dot + 1) : ''
  const named = /^[A-Za-z0-9]{1,10}$/.test(rawExtension) ? rawExtension.toLowerCase() : ''
  const rawStem = named ? base.slice(0, dot) : base
  const stem = rawStem.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'media'
  const extension = (mimeType ? MEDIA_TYPES[mimeType]?.extension : undefined) ?? named
  return extension ? `${stem}.${extension}` : stem
}

export function createMediaLinkSigner(secret: string): MediaLinkSigner {
  if (secret.length < REVIEW_LINK_SECRET_MIN_LENGTH) throw new Error(`the media link secret must be at least ${REVIEW_LINK_SECRET_MIN_LENGTH} characters`)
  // A key of its own: a review link token can never verify here, nor a media token there.
  const key = createHmac('sha256', secret).update('greenlight public media link v1').digest()
  const signatureOf = (payloadPart: string) => createHmac('sha256', key).update(payloadPart).digest()

  return {
    sign({ fileId, filename, expiresAt }) {
      const id = fileId.toLowerCase()
      if (!UUID.test(id)) throw new RangeError('a media link names a stored file by its UUID')
      const seconds = Math.floor(expiresAt.getTime() / 1000)
      if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new RangeError('a media link expires at a valid instant after the epoch')
      const payloadPart = encodePayload(id, seconds).toString('base64url')
      const token = `${payloadPart}.${signatureOf(payloadPart).toString('base64url')}`
      return `${MEDIA_LINK_PATH_PREFIX}${token}/${mediaLinkFilename(filename)}`
    },

    verify(token, now = new Date()) {
      if (!TOKEN_PATTERN.test(token)) return { kind: 'invalid' }
      const payloadBytes = verifiedPayload(token, signatureOf)
      if (!payloadBytes) return { kind: 'invalid' }
      const payload = decodePayload(payloadBytes)
      if (!payload) return { kind: 'invalid' }
      if (payload.expiresAtSeconds * 1000 <= now.getTime()) return { kind: 'expired' }
      return { kind: 'valid', fileId: payload.fileId }
    },
  }
}

/**
 * The process's media link signer, built when first needed, from the review link secret: REVIEW_LINK_SECRET when
 * set; otherwise, outside production, the development secret in the data folder (the same file review links
 * use). In production a missing secret fails at once. The API (serving links) and the worker (making them for
 * the platforms) both call this with the same settings, so what one signs the other verifies.
 */
export function mediaLinkSignerSource(options: { secret: string | undefined; dataDir: string }): () => MediaLinkSigner {
  if (!options.secret && process.env.NODE_ENV === 'production') {
    throw new Error(`REVIEW_LINK_SECRET is not set (it signs client review links and public media links): set it to a random string of at least ${REVIEW_LINK_SECRET_MIN_LENGTH} characters (e.g. \`openssl rand -base64 32\`)`)
  }
  const eager = options.secret ? createMediaLinkSigner(options.secret) : null
  let lazy: MediaLinkSigner | null = null
  return () => eager ?? (lazy ??= createMediaLinkSigner(ensureDevReviewLinkSecretFile(options.dataDir)))
}
