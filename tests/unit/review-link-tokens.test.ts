// Review link tokens: what a signed token carries, and that a changed payload, a changed signature, another
// secret or a passed expiry are each told apart from a valid token; that request logs mask tokens; the signing
// secret in development and production; and the pure rules the links live by.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openRound, type ApprovalPolicy } from '../../domain/approvals'
import {
  clientDecider,
  clientDecisionRefusal,
  decodeReviewTokenPayload,
  distinctCardIds,
  encodeReviewTokenPayload,
  expiryDaysIssue,
  isSharedCard,
  reviewLinkExpiry,
  reviewLinkRefusal,
  reviewLinkStatus,
  unknownCardPositions,
} from '../../domain/review-links'
import { redactUrl } from '../../platform/redact'
import {
  createReviewLinkSigner,
  ensureDevReviewLinkSecretFile,
  reviewLinkSignerSource,
  reviewLinkTokenHash,
} from '../../platform/review-link-tokens'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const OTHER_SECRET = 'another-secret-that-is-long-enough-9876543210'
const signer = createReviewLinkSigner(SECRET)
const linkId = randomUUID()
const expiresAt = new Date('2030-01-15T12:00:00.000Z')
const before = new Date('2030-01-10T00:00:00.000Z')

const payloadPart = (payload: { id: string; exp: number }) => Buffer.from(encodeReviewTokenPayload({ v: 1, ...payload })).toString('base64url')
const payloadOf = (token: string) => decodeReviewTokenPayload(Buffer.from(token.split('.')[0]!, 'base64url'))

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('signing and verifying review link tokens', () => {
  it('a signed token carries the link id and its expiry to the second, and verifies while it lasts', () => {
    const token = signer.sign({ linkId, expiresAt: new Date(expiresAt.getTime() + 999) })
    // Short enough for a path segment of a link.
    expect(token).toMatch(/^[A-Za-z0-9_-]{34}\.[A-Za-z0-9_-]{43}$/)
    expect(payloadOf(token)).toEqual({ v: 1, id: linkId, exp: expiresAt.getTime() / 1000 })
    expect(signer.verify(token, before)).toEqual({ kind: 'valid', linkId, expiresAt })
  })

  it('refuses a token whose payload was changed (another link id, a later expiry), even with its signature kept', () => {
    const token = signer.sign({ linkId, expiresAt })
    const signature = token.split('.')[1]!
    const otherLink = `${payloadPart({ id: randomUUID(), exp: expiresAt.getTime() / 1000 })}.${signature}`
    const later = `${payloadPart({ id: linkId, exp: expiresAt.getTime() / 1000 + 86_400 * 365 })}.${signature}`
    expect(signer.verify(otherLink, before)).toEqual({ kind: 'invalid' })
    expect(signer.verify(later, before)).toEqual({ kind: 'invalid' })
  })

  it('refuses a token whose signature was changed, cut or dropped', () => {
    const token = signer.sign({ linkId, expiresAt })
    const [payload, signature] = token.split('.') as [string, string]
    const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11)
    for (const tampered of [`${payload}.${flipped}`, `${payload}.${signature.slice(0, 42)}`, payload, `${payload}.`, `${payload}.${signature}x`]) {
      expect(signer.verify(tampered, before)).toEqual({ kind: 'invalid' })
    }
  })

  it('refuses a token signed with another secret', () => {
    const foreign = createReviewLinkSigner(OTHER_SECRET).sign({ linkId, expiresAt })
    expect(signer.verify(foreign, before)).toEqual({ kind: 'invalid' })
    expect(createReviewLinkSigner(OTHER_SECRET).verify(foreign, before).kind).toBe('valid')
  })

  it('tells an expired token from a valid one, from the expiry instant on', () => {
    const token = signer.sign({ linkId, expiresAt })
    expect(signer.verify(token, new Date(expiresAt.getTime() - 1)).kind).toBe('valid')
    expect(signer.verify(token, expiresAt)).toEqual({ kind: 'expired', linkId, expiresAt })
    expect(signer.verify(token, new Date(expiresAt.getTime() + 86_400_000)).kind).toBe('expired')
  })

  it('refuses rubbish without throwing', () => {
    for (const rubbish of ['', 'x', '..', 'not-a-token.at-all', `${'A'.repeat(34)}.${'A'.repeat(43)}`, 'é'.repeat(60), 'a'.repeat(5000)]) {
      expect(signer.verify(rubbish, before)).toEqual({ kind: 'invalid' })
    }
  })

  it('stores only a SHA-256 of the token, which differs per token', () => {
    const one = signer.sign({ linkId, expiresAt })
    const two = signer.sign({ linkId: randomUUID(), expiresAt })
    expect(reviewLinkTokenHash(one)).toMatch(/^[0-9a-f]{64}$/)
    expect(reviewLinkTokenHash(one)).toBe(reviewLinkTokenHash(one))
    expect(reviewLinkTokenHash(one)).not.toBe(reviewLinkTokenHash(two))
    expect(reviewLinkTokenHash(one)).not.toContain(one)
  })

  it('refuses a short secret', () => {
    expect(() => createReviewLinkSigner('short')).toThrow('at least 32 characters')
  })
})

describe('tokens in logs', () => {
  it('request lines of the API and the web server mask the token, and only it', () => {
    const token = signer.sign({ linkId, expiresAt })
    expect(redactUrl(`/api/public/review-links/${token}/assets/${linkId}/content`)).toBe(`/api/public/review-links/[redacted]/assets/${linkId}/content`)
    expect(redactUrl(`/review/${token}`)).toBe('/review/[redacted]')
    expect(redactUrl(`/review/${token}/assets/${linkId}/thumbnail`)).toBe(`/review/[redacted]/assets/${linkId}/thumbnail`)
    expect(redactUrl(`/api/review-links/${linkId}/revoke`)).toBe(`/api/review-links/${linkId}/revoke`)
  })
})

describe('the signing secret', () => {
  it('in development, one generated secret in the data folder (mode 0600) is kept and reused', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'review-secret-'))
    const first = ensureDevReviewLinkSecretFile(dir)
    expect(first.length).toBeGreaterThanOrEqual(32)
    expect(ensureDevReviewLinkSecretFile(dir)).toBe(first)
    expect(readFileSync(path.join(dir, 'review-link-secret'), 'utf8').trim()).toBe(first)
    expect(statSync(path.join(dir, 'review-link-secret')).mode & 0o777).toBe(0o600)
    // A signer from the file verifies what another built from it signed (links survive a restart).
    const token = reviewLinkSignerSource({ secret: undefined, dataDir: dir })().sign({ linkId, expiresAt })
    expect(reviewLinkSignerSource({ secret: undefined, dataDir: dir })().verify(token, before).kind).toBe('valid')
  })

  it('in production a missing secret is an error at once, never a generated one', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const dir = mkdtempSync(path.join(os.tmpdir(), 'review-secret-'))
    expect(() => reviewLinkSignerSource({ secret: undefined, dataDir: dir })).toThrow('REVIEW_LINK_SECRET is not set')
    expect(reviewLinkSignerSource({ secret: SECRET, dataDir: dir })().verify(signer.sign({ linkId, expiresAt }), before).kind).toBe('valid')
  })
})

describe('review link rules', () => {
  it('a link lives 1 to 30 whole days, its expiry kept to the second', () => {
    expect(expiryDaysIssue(1)).toBeNull()
    expect(expiryDaysIssue(30)).toBeNull()
    for (const days of [0, 31, 1.5, -1]) expect(expiryDaysIssue(days)).toMatch(/1 to 30/)
    const now = new Date('2030-01-01T10:00:00.750Z')
    expect(reviewLinkExpiry(now, 7).toISOString()).toBe('2030-01-08T10:00:00.000Z')
    expect(() => reviewLinkExpiry(now, 31)).toThrow(RangeError)
  })

  it('its status: revoked before expired before active', () => {
    const now = new Date('2030-01-10T00:00:00Z')
    expect(reviewLinkStatus({ expiresAt, revokedAt: null }, now)).toBe('active')
    expect(reviewLinkStatus({ expiresAt: now, revokedAt: null }, now)).toBe('expired')
    expect(reviewLinkStatus({ expiresAt: before, revokedAt: before }, now)).toBe('revoked')
    expect(reviewLinkRefusal({ expiresAt, revokedAt: null }, 'Acme', now)).toBeNull()
    expect(reviewLinkRefusal({ expiresAt: now, revokedAt: null }, 'Acme', now)?.code).toBe('REVIEW_LINK_EXPIRED')
    expect(reviewLinkRefusal({ expiresAt, revokedAt: now }, 'Acme', now)?.code).toBe('REVIEW_LINK_REVOKED')
  })

  it('shares each card once and reaches only those', () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()]
    expect(distinctCardIds([a, b.toUpperCase(), a])).toEqual([a, b])
    expect(unknownCardPositions([a, c, b], new Set([a, b]))).toEqual([1])
    expect(isSharedCard({ cardIds: [a, b] }, a.toUpperCase())).toBe(true)
    expect(isSharedCard({ cardIds: [a, b] }, c)).toBe(false)
  })

  it('a token payload is a version byte, the link id and the expiry, and nothing else decodes', () => {
    const bytes = encodeReviewTokenPayload({ v: 1, id: linkId, exp: 1_900_000_000 })
    expect(bytes).toHaveLength(25)
    expect(decodeReviewTokenPayload(bytes)).toEqual({ v: 1, id: linkId, exp: 1_900_000_000 })
    const otherVersion = Uint8Array.from(bytes)
    otherVersion[0] = 2
    for (const bad of [new Uint8Array(0), bytes.subarray(0, 24), Uint8Array.from([...bytes, 0]), otherVersion, Uint8Array.from([...bytes.subarray(0, 17), 0, 0, 0, 0, 0, 0, 0, 0])]) {
      expect(decodeReviewTokenPayload(bad)).toBeNull()
    }
    expect(() => encodeReviewTokenPayload({ v: 1, id: 'not-a-uuid', exp: 1 })).toThrow(RangeError)
  })

  it('the client decides in a client step only, and once per version', () => {
    const policy: ApprovalPolicy = {
      mode: 'multi_level',
      steps: [
        { name: 'Internal review', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager'] },
        { name: 'Client sign-off', audience: 'client', rule: 'any', approverUserIds: [], approverRoles: ['client_approver'] },
      ],
      deadlines: { dueAfterHours: 48, remindBeforeHours: [], escalateAfterHours: null, expireAfterHours: null },
    }
    const client = clientDecider({ id: linkId, clientName: 'Dana' })
    expect(client).toEqual({ userId: linkId, name: 'Dana', role: 'client_approver' })
    const round = openRound({ round: 1, submitterUserId: randomUUID(), captionVersion: 2, submittedAt: before.toISOString() })
    expect(clientDecisionRefusal(policy, round, client)).toMatchObject({ code: 'NOT_AN_APPROVER', message: expect.stringContaining('Internal review') })
    expect(clientDecisionRefusal(policy, { ...round, stepIndex: 1 }, client)).toBeNull()
    expect(clientDecisionRefusal(policy, { ...round, stepIndex: 1, status: 'approved' }, client)?.code).toBe('APPROVAL_NOT_PENDING')
    // No step of the client's in the chain: nothing will reach them, the team decides and they may comment.
    const internalOnly: ApprovalPolicy = { ...policy, steps: [policy.steps[0]!] }
    expect(clientDecisionRefusal(internalOnly, round, client)).toEqual({ code: 'NOT_AN_APPROVER', message: expect.stringContaining('The team decides on this one') })
  })
})
