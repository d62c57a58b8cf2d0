// Token-key maintenance.
//   npm run tokens:keygen          prints a new key entry for GREENLIGHT_TOKEN_KEYS
//   npm run tokens:rotate          re-encrypts every stored token and agency AI key under the active (first) key
// Rotation: put the new key first in GREENLIGHT_TOKEN_KEYS, keep the old ones, restart, run tokens:rotate,
// then remove the old keys. Uses DATABASE_URL when set, otherwise the embedded PostgreSQL in .data/.
import path from 'node:path'
import { dataDir, settings } from '../platform/config.ts'
import { createDatabase, type Database } from '../platform/database.ts'
import { openAiKey, sealAiKey } from '../platform/ai-keys.ts'
import { generateTokenKey, loadTokenCipher, type TokenCipher } from '../platform/token-cipher.ts'
import { startEmbeddedPostgres } from './db/embedded-postgres.ts'

/** Re-seals every social-account token not under the active key; returns how many rows changed. */
export async function rotateTokenKeys(db: Database, cipher: TokenCipher): Promise<number> {
  const stale = await db.socialAccount.findMany({
    where: { tokenKeyId: { not: cipher.activeKeyId } },
    select: { id: true, tokenKeyId: true, accessTokenCiphertext: true, refreshTokenCiphertext: true },
  })
  let changed = 0
  for (const row of stale) {
    if (!row.tokenKeyId) continue
    const reseal = (ciphertext: string | null) =>
      ciphertext ? cipher.seal(cipher.open({ ciphertext, keyId: row.tokenKeyId! }, row.id), row.id).ciphertext : null
    // Conditional on exactly what was read, so a row refreshed or reconnected meanwhile keeps its new tokens.
    const { count } = await db.socialAccount.updateMany({
      where: {
        id: row.id,
        tokenKeyId: row.tokenKeyId,
        accessTokenCiphertext: row.accessTokenCiphertext,
        refreshTokenCiphertext: row.refreshTokenCiphertext,
      },
      data: {
        accessTokenCiphertext: reseal(row.accessTokenCiphertext),
        refreshTokenCiphertext: reseal(row.refreshTokenCiphertext),
        tokenKeyId: cipher.activeKeyId,
      },
    })
    changed += count
  }
  return changed
}

/** Re-seals every agency's own AI provider keys not under the active key; returns how many agencies changed. */
export async function rotateAiKeys(db: Database, cipher: TokenCipher): Promise<number> {
  const stale = await db.agencyAiSettings.findMany({ where: { keyId: { not: cipher.activeKeyId } } })
  let changed = 0
  for (const row of stale) {
    if (!row.keyId) continue
    const reseal = (provider: 'openai' | 'gemini', ciphertext: string | null) =>
      ciphertext ? sealAiKey(cipher, row.agencyId, provider, openAiKey(cipher, row.agencyId, provider, { ciphertext, keyId: row.keyId! })).ciphertext : null
    // Conditional on what was read, so a key changed in Settings meanwhile is kept.
    const { count } = await db.agencyAiSettings.updateMany({
      where: { agencyId: row.agencyId, keyId: row.keyId, openaiKeyCiphertext: row.openaiKeyCiphertext, geminiKeyCiphertext: row.geminiKeyCiphertext },
      data: {
        openaiKeyCiphertext: reseal('openai', row.openaiKeyCiphertext),
        geminiKeyCiphertext: reseal('gemini', row.geminiKeyCiphertext),
        keyId: cipher.activeKeyId,
      },
    })
    changed += count
  }
  return changed
}

async function main(command: string | undefined): Promise<number> {
  if (command === 'keygen') {
    console.log(generateTokenKey(`k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`))
    return 0
  }
  if (command !== 'rotate') {
    console.error('usage: tsx scripts/token-keys.ts keygen | rotate')
    return 2
  }
  const config = settings()
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: config.embeddedPostgresPort })
  const db = createDatabase(config.databaseUrl ?? embedded!.url)
  try {
    const cipher = loadTokenCipher({ tokenKeys: config.tokenKeys, dataDir })
    const changed = await rotateTokenKeys(db, cipher)
    const agencies = await rotateAiKeys(db, cipher)
    console.log(
      `re-encrypted ${changed} account${changed === 1 ? '' : 's'} and the AI keys of ${agencies} agenc${agencies === 1 ? 'y' : 'ies'} under key "${cipher.activeKeyId}"`,
    )
    return 0
  } finally {
    await db.$disconnect()
    await embedded?.stop()
  }
}

if (process.argv[1]?.endsWith('token-keys.ts')) {
  main(process.argv[2]).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exit(1)
    },
  )
}
