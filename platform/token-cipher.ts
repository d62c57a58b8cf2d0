// Encryption at rest for OAuth tokens and API keys: AES-256-GCM with a random 96-bit IV per value and the
// row's id as associated data, so a ciphertext copied onto another row does not decrypt. Keys come from the
// environment as "kid:base64key" pairs; the first is the active key, the rest still decrypt older rows until
// `npm run tokens:rotate` has re-encrypted them.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export interface TokenKey {
  id: string
  key: Buffer
}

export interface SealedValue {
  /** "v1.<iv>.<tag>.<ciphertext>", base64url parts. */
  ciphertext: string
  keyId: string
}

export class TokenCipher {
  readonly activeKeyId: string
  private readonly keys: Map<string, Buffer>

  constructor(keys: TokenKey[]) {
    if (keys.length === 0) throw new Error('TokenCipher needs at least one key')
    this.keys = new Map()
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`token key "${id}" must be 32 bytes (AES-256), got ${key.length}`)
      if (this.keys.has(id)) throw new Error(`token key id "${id}" appears twice`)
      this.keys.set(id, key)
    }
    this.activeKeyId = keys[0]!.id
  }

  seal(plaintext: string, associatedData: string): SealedValue {
    const key = this.keys.get(this.activeKeyId)!
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    cipher.setAAD(Buffer.from(associatedData))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'))
    return { ciphertext: `v1.${parts.join('.')}`, keyId: this.activeKeyId }
  }

  open(sealed: SealedValue, associatedData: string): string {
    const key = this.keys.get(sealed.keyId)
    if (!key) throw new Error(`token key "${sealed.keyId}" is not configured: add it to GREENLIGHT_TOKEN_KEYS to read this row`)
    const [version, iv, tag, body] = sealed.ciphertext.split('.')
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a Greenlight token ciphertext')
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(associatedData))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
  }

  /** Whether a row sealed under keyId should be re-encrypted under the active key. */
  isStale(keyId: string): boolean {
    return keyId !== this.activeKeyId
  }
}

/** Parses "kid:base64key,kid2:base64key" (the first is active). */
export function parseTokenKeys(raw: string): TokenKey[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':')
      if (colon <= 0) throw new Error('GREENLIGHT_TOKEN_KEYS entries look like "<key id>:<base64 of 32 bytes>"')
      const id = entry.slice(0, colon)
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) throw new Error(`token key id "${id}" may only use letters, digits, _ and - (up to 32)`)
      return { id, key: Buffer.from(entry.slice(colon + 1), 'base64') }
    })
}

export function generateTokenKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`
}

/**
 * The development key file: `npm start` without GREENLIGHT_TOKEN_KEYS creates one key in <dataDir>/token-keys
 * (mode 0600) on first run and reuses it, so tokens stored by one start decrypt in the next.
 */
export function ensureDevTokenKeyFile(dataDir: string): string {
  const file = path.join(dataDir, 'token-keys')
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true })
    const key = generateTokenKey(`dev-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`)
    try {
      fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' })
    } catch (error) {
      // Another process made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  return fs.readFileSync(file, 'utf8').trim()
}

/**
 * The process's cipher: GREENLIGHT_TOKEN_KEYS when set; otherwise, outside production, the development key
 * file in the data folder. In production a missing key is an error, never a silently generated one.
 */
export function loadTokenCipher(options: { tokenKeys: string | undefined; dataDir: string }): TokenCipher {
  if (options.tokenKeys) return new TokenCipher(parseTokenKeys(options.tokenKeys))
  if (process.env.NODE_ENV === 'production') {
    throw new Error('GREENLIGHT_TOKEN_KEYS is not set: generate one with `npm run tokens:keygen` and set it')
  }
  return new TokenCipher(parseTokenKeys(ensureDevTokenKeyFile(options.dataDir)))
}
