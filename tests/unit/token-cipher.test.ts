// Tokens at rest: AES-256-GCM bound to the row id, key ids per value so keys can rotate, and the account
// helpers the connect flow and the refresh activity share.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openAccountTokens, sealAccountTokens, tokensFingerprint } from '../../activities/social-accounts'
import { TokenCipher, generateTokenKey, loadTokenCipher, parseTokenKeys } from '../../platform/token-cipher'

const cipherWith = (...ids: string[]) => new TokenCipher(parseTokenKeys(ids.map((id) => generateTokenKey(id)).join(',')))

describe('TokenCipher', () => {
  it('seals to a ciphertext that shows nothing of the token and opens it again', () => {
    const cipher = cipherWith('k1')
    const rowId = randomUUID()
    const sealed = cipher.seal('EAAG-very-secret-token', rowId)
    expect(sealed.keyId).toBe('k1')
    expect(sealed.ciphertext).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(sealed.ciphertext).not.toContain('secret')
    expect(cipher.open(sealed, rowId)).toBe('EAAG-very-secret-token')
  })

  it('uses a fresh IV every time: the same token seals differently', () => {
    const cipher = cipherWith('k1')
    const rowId = randomUUID()
    expect(cipher.seal('same', rowId).ciphertext).not.toBe(cipher.seal('same', rowId).ciphertext)
  })

  it('refuses a ciphertext copied onto another row (the row id is the associated data)', () => {
    const cipher = cipherWith('k1')
    const sealed = cipher.seal('token', randomUUID())
    expect(() => cipher.open(sealed, randomUUID())).toThrow()
  })

  it('refuses a tampered ciphertext', () => {
    const cipher = cipherWith('k1')
    const rowId = randomUUID()
    const sealed = cipher.seal('token-value', rowId)
    const [version, iv, tag, body] = sealed.ciphertext.split('.') as [string, string, string, string]
    const flipped = Buffer.from(body, 'base64url')
    flipped[0] = flipped[0]! ^ 0xff
    expect(() => cipher.open({ ...sealed, ciphertext: [version, iv, tag, flipped.toString('base64url')].join('.') }, rowId)).toThrow()
    expect(() => cipher.open({ ...sealed, ciphertext: 'not-a-ciphertext' }, rowId)).toThrow(/not a Greenlight token ciphertext/)
  })

  it('rotates: the first key seals, older keys still open, and rows under them are stale', () => {
    const oldKey = generateTokenKey('old')
    const newKey = generateTokenKey('new')
    const rowId = randomUUID()
    const sealedOld = new TokenCipher(parseTokenKeys(oldKey)).seal('token', rowId)
    const rotating = new TokenCipher(parseTokenKeys(`${newKey},${oldKey}`))
    expect(rotating.open(sealedOld, rowId)).toBe('token')
    expect(rotating.seal('token', rowId).keyId).toBe('new')
    expect(rotating.isStale('old')).toBe(true)
    expect(rotating.isStale('new')).toBe(false)
    // Without the old key the old row cannot be read, and the message says what to do.
    expect(() => new TokenCipher(parseTokenKeys(newKey)).open(sealedOld, rowId)).toThrow(/GREENLIGHT_TOKEN_KEYS/)
  })

  it('refuses bad key material', () => {
    expect(() => new TokenCipher([])).toThrow(/at least one key/)
    expect(() => parseTokenKeys('no-colon-here')).toThrow(/"<key id>:<base64 of 32 bytes>"/)
    expect(() => parseTokenKeys('bad id!:AAAA')).toThrow(/may only use letters/)
    expect(() => new TokenCipher(parseTokenKeys(`short:${Buffer.alloc(16).toString('base64')}`))).toThrow(/must be 32 bytes/)
    const key = generateTokenKey('twice')
    expect(() => new TokenCipher(parseTokenKeys(`${key},${key}`))).toThrow(/appears twice/)
  })
})

describe('loadTokenCipher', () => {
  const dirs: string[] = []
  afterEach(() => {
    vi.unstubAllEnvs()
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('creates a development key file (mode 0600) once and reuses it', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'greenlight-keys-'))
    dirs.push(dataDir)
    const first = loadTokenCipher({ tokenKeys: undefined, dataDir })
    const rowId = randomUUID()
    const sealed = first.seal('kept across restarts', rowId)
    expect(statSync(path.join(dataDir, 'token-keys')).mode & 0o777).toBe(0o600)
    expect(loadTokenCipher({ tokenKeys: undefined, dataDir }).open(sealed, rowId)).toBe('kept across restarts')
  })

  it('never generates a key in production', () => {
    vi.stubEnv('NODE_ENV', 'production')
    expect(() => loadTokenCipher({ tokenKeys: undefined, dataDir: os.tmpdir() })).toThrow(/GREENLIGHT_TOKEN_KEYS is not set/)
    expect(loadTokenCipher({ tokenKeys: generateTokenKey('prod'), dataDir: os.tmpdir() }).activeKeyId).toBe('prod')
  })
})

describe('social-account token helpers', () => {
  it('seal both tokens under the row id and open them only for that row', () => {
    const cipher = cipherWith('k1')
    const rowId = randomUUID()
    const sealed = sealAccountTokens(cipher, rowId, { accessToken: 'access-1', refreshToken: 'refresh-1' })
    expect(sealed.tokenKeyId).toBe('k1')
    expect(JSON.stringify(sealed)).not.toMatch(/access-1|refresh-1/)
    expect(openAccountTokens(cipher, { id: rowId, ...sealed })).toEqual({ accessToken: 'access-1', refreshToken: 'refresh-1' })
    expect(() => openAccountTokens(cipher, { id: randomUUID(), ...sealed })).toThrow()
  })

  it('keep a missing refresh token missing, and answer null for a row without tokens', () => {
    const cipher = cipherWith('k1')
    const rowId = randomUUID()
    const sealed = sealAccountTokens(cipher, rowId, { accessToken: 'page-token', refreshToken: null })
    expect(sealed.refreshTokenCiphertext).toBeNull()
    expect(openAccountTokens(cipher, { id: rowId, ...sealed })).toEqual({ accessToken: 'page-token', refreshToken: null })
    expect(openAccountTokens(cipher, { id: rowId, accessTokenCiphertext: null, refreshTokenCiphertext: null, tokenKeyId: null })).toBeNull()
  })

  it('fingerprint the stored tokens without revealing them, differently after every sealing', () => {
    const cipher = cipherWith('k1')
    const rowId = randomUUID()
    const a = sealAccountTokens(cipher, rowId, { accessToken: 'same', refreshToken: null })
    const b = sealAccountTokens(cipher, rowId, { accessToken: 'same', refreshToken: null })
    expect(tokensFingerprint(a.accessTokenCiphertext)).toMatch(/^[0-9a-f]{32}$/)
    expect(tokensFingerprint(a.accessTokenCiphertext)).toBe(tokensFingerprint(a.accessTokenCiphertext))
    expect(tokensFingerprint(a.accessTokenCiphertext)).not.toBe(tokensFingerprint(b.accessTokenCiphertext))
    expect(tokensFingerprint(null)).toBeNull()
  })
})
