// Public media links: a signed link names its file and expiry and keeps the filename's extension; a changed
// payload or signature, another secret, a review link token, a non-canonical spelling or a passed expiry are
// each refused; the signing secret is the review links' one; request logs mask the token.
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MEDIA_LINK_PATH_PREFIX, createMediaLinkSigner, mediaLinkFilename, mediaLinkSignerSource } from '../../platform/media-links'
import { redactUrl } from '../../platform/redact'
import { createReviewLinkSigner, ensureDevReviewLinkSecretFile } from '../../platform/review-link-tokens'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const OTHER_SECRET = 'another-secret-that-is-long-enough-9876543210'
const signer = createMediaLinkSigner(SECRET)
const fileId = randomUUID()
const expiresAt = new Date('2030-01-15T12:00:00.000Z')
const before = new Date('2030-01-10T00:00:00.000Z')

/** The token and filename of a link's path. */
function partsOf(linkPath: string): { token: string; filename: string } {
  expect(linkPath.startsWith(MEDIA_LINK_PATH_PREFIX)).toBe(true)
  const [token, filename, ...rest] = linkPath.slice(MEDIA_LINK_PATH_PREFIX.length).split('/')
  expect(rest).toEqual([])
  return { token: token!, filename: filename! }
}

/** The signature-less token of another payload (another id or expiry), base64url as the signer writes it. */
function payloadPart(id: string, expirySeconds: number): string {
  const bytes = Buffer.alloc(25)
  bytes[0] = 1
  Buffer.from(id.replaceAll('-', ''), 'hex').copy(bytes, 1)
  bytes.writeBigUInt64BE(BigInt(expirySeconds), 17)
  return bytes.toString('base64url')
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('signing and verifying media links', () => {
  it('a link is /api/public/media/<token>/<filename>, and its token verifies to the file while it lasts', () => {
    const link = signer.sign({ fileId, filename: 'draft.jpg', expiresAt })
    const { token, filename } = partsOf(link)
    expect(token).toMatch(/^[A-Za-z0-9_-]{34}\.[A-Za-z0-9_-]{43}$/)
    expect(filename).toBe('draft.jpg')
    expect(signer.verify(token, before)).toEqual({ kind: 'valid', fileId })
    // The payload carries the file id and the expiry, to the second.
    expect(token.split('.')[0]).toBe(payloadPart(fileId, expiresAt.getTime() / 1000))
  })

  it('tells an expired link from a valid one, from the expiry instant on (rounded down to the second)', () => {
    const { token } = partsOf(signer.sign({ fileId, filename: 'clip.mp4', expiresAt: new Date(expiresAt.getTime() + 999) }))
    expect(signer.verify(token, new Date(expiresAt.getTime() - 1))).toEqual({ kind: 'valid', fileId })
    expect(signer.verify(token, expiresAt)).toEqual({ kind: 'expired' })
    expect(signer.verify(token, new Date(expiresAt.getTime() + 86_400_000))).toEqual({ kind: 'expired' })
  })

  it('refuses a token whose payload was changed (another file, a later expiry), even with its signature kept', () => {
    const { token } = partsOf(signer.sign({ fileId, filename: 'draft.jpg', expiresAt }))
    const signature = token.split('.')[1]!
    const otherFile = `${payloadPart(randomUUID(), expiresAt.getTime() / 1000)}.${signature}`
    const later = `${payloadPart(fileId, expiresAt.getTime() / 1000 + 86_400 * 365)}.${signature}`
    expect(signer.verify(otherFile, before)).toEqual({ kind: 'invalid' })
    expect(signer.verify(later, before)).toEqual({ kind: 'invalid' })
  })

  it('refuses a token whose signature was changed, cut, lengthened or dropped', () => {
    const { token } = partsOf(signer.sign({ fileId, filename: 'draft.jpg', expiresAt }))
    const [payload, signature] = token.split('.') as [string, string]
    const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11)
    for (const tampered of [`${payload}.${flipped}`, `${payload}.${signature.slice(0, 42)}`, payload, `${payload}.`, `${payload}.${signature}x`]) {
      expect(signer.verify(tampered, before)).toEqual({ kind: 'invalid' })
    }
  })

  it('accepts only the canonical base64url spelling of the signature', () => {
    const { token } = partsOf(signer.sign({ fileId, filename: 'draft.jpg', expiresAt }))
    const [payload, signature] = token.split('.') as [string, string]
    // 43 characters hold 258 bits for 256: the last character's two low bits are padding, and another value
    // there decodes to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = alphabet.indexOf(signature.at(-1)!)
    const respelled = `${signature.slice(0, -1)}${alphabet[last ^ 1]}`
    expect(Buffer.from(respelled, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true)
    expect(signer.verify(`${payload}.${respelled}`, before)).toEqual({ kind: 'invalid' })
  })

  it('refuses a link signed with another secret, and a review link token signed with the same secret', () => {
    const { token: foreign } = partsOf(createMediaLinkSigner(OTHER_SECRET).sign({ fileId, filename: 'draft.jpg', expiresAt }))
    expect(signer.verify(foreign, before)).toEqual({ kind: 'invalid' })
    expect(createMediaLinkSigner(OTHER_SECRET).verify(foreign, before).kind).toBe('valid')
    // Same layout, same secret, another key: a client's review link opens no media, and the reverse.
    const reviewToken = createReviewLinkSigner(SECRET).sign({ linkId: fileId, expiresAt })
    expect(signer.verify(reviewToken, before)).toEqual({ kind: 'invalid' })
    const { token } = partsOf(signer.sign({ fileId, filename: 'draft.jpg', expiresAt }))
    expect(createReviewLinkSigner(SECRET).verify(token, before)).toEqual({ kind: 'invalid' })
  })

  it('refuses rubbish without throwing', () => {
    for (const rubbish of ['', 'x', '..', 'not-a-token.at-all', `${'A'.repeat(34)}.${'A'.repeat(43)}`, 'é'.repeat(78), 'a'.repeat(5000)]) {
      expect(signer.verify(rubbish, before)).toEqual({ kind: 'invalid' })
    }
  })

  it('names a file by its UUID (any case) and an instant; refuses a short secret', () => {
    const { token } = partsOf(signer.sign({ fileId: fileId.toUpperCase(), filename: 'a.png', expiresAt }))
    expect(signer.verify(token, before)).toEqual({ kind: 'valid', fileId })
    expect(() => signer.sign({ fileId: 'not-a-uuid', filename: 'a.png', expiresAt })).toThrow(RangeError)
    expect(() => signer.sign({ fileId, filename: 'a.png', expiresAt: new Date(Number.NaN) })).toThrow(RangeError)
    expect(() => createMediaLinkSigner('short')).toThrow('at least 32 characters')
  })
})

describe('the filename of a link', () => {
  it.each([
    ['draft.jpg', 'draft.jpg'],
    ['Summer Launch (final) v2.JPG', 'Summer-Launch-final-v2.jpg'],
    ['clip.final.MP4', 'clip-final.mp4'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\photo.png', 'photo.png'],
    ['été à la plage.webp', 't-la-plage.webp'],
    ['.jpg', 'jpg'],
    ['???.jpg', 'media.jpg'],
    ['', 'media'],
    ['video.mp4?x=1', 'video-mp4-x-1'],
    [`${'n'.repeat(200)}.mov`, `${'n'.repeat(80)}.mov`],
  ])('%s → %s', (name, expected) => {
    expect(mediaLinkFilename(name)).toBe(expected)
    expect(partsOf(signer.sign({ fileId, filename: name, expiresAt })).filename).toBe(expected)
  })
})

describe('the filename of a stored file', () => {
  it('takes the extension of the file’s actual type when the type is given, whatever the upload was called', () => {
    expect(mediaLinkFilename('Holiday.PNG', 'image/jpeg')).toBe('Holiday.jpg')
    expect(mediaLinkFilename('clip', 'video/quicktime')).toBe('clip.mov')
    expect(mediaLinkFilename('clip.mp4', 'video/mp4')).toBe('clip.mp4')
    // A type we do not store keeps the name's own extension.
    expect(mediaLinkFilename('notes.txt', 'text/plain')).toBe('notes.txt')
  })
})

describe('the signing secret', () => {
  it('in development, the review links’ generated secret in the data folder: links survive a restart', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'media-secret-'))
    const link = mediaLinkSignerSource({ secret: undefined, dataDir: dir })().sign({ fileId, filename: 'draft.jpg', expiresAt })
    // Another process (the API, after the worker made the link) builds its own signer from the same file.
    expect(mediaLinkSignerSource({ secret: undefined, dataDir: dir })().verify(partsOf(link).token, before)).toEqual({ kind: 'valid', fileId })
    expect(createMediaLinkSigner(ensureDevReviewLinkSecretFile(dir)).verify(partsOf(link).token, before).kind).toBe('valid')
  })

  it('REVIEW_LINK_SECRET when set; in production a missing one is an error at once', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'media-secret-'))
    const link = signer.sign({ fileId, filename: 'draft.jpg', expiresAt })
    expect(mediaLinkSignerSource({ secret: SECRET, dataDir: dir })().verify(partsOf(link).token, before).kind).toBe('valid')
    vi.stubEnv('NODE_ENV', 'production')
    expect(() => mediaLinkSignerSource({ secret: undefined, dataDir: dir })).toThrow('REVIEW_LINK_SECRET is not set')
  })
})

describe('links in logs', () => {
  it('request lines mask the token and keep the filename', () => {
    const link = signer.sign({ fileId, filename: 'draft.jpg', expiresAt })
    expect(redactUrl(link)).toBe('/api/public/media/[redacted]/draft.jpg')
    expect(redactUrl(`http://api.test${link}`)).toBe('http://api.test/api/public/media/[redacted]/draft.jpg')
  })
})
