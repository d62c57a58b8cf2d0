// Key rotation: rows sealed under an old key are re-encrypted under the new active key and still open.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TokenCipher, generateTokenKey, parseTokenKeys } from '../../platform/token-cipher'
import { openAiKey, sealAiKey } from '../../platform/ai-keys'
import { rotateAiKeys, rotateTokenKeys } from '../../scripts/token-keys'
import { createAgency, testDatabase } from '../support/database'

let database: Awaited<ReturnType<typeof testDatabase>>
beforeAll(async () => {
  database = await testDatabase()
})
afterAll(async () => {
  await database?.drop()
})

describe('rotateTokenKeys', () => {
  it('re-seals old rows under the active key; only the new key is needed afterwards', async () => {
    const { db } = database
    const oldKey = generateTokenKey('old')
    const newKey = generateTokenKey('new')
    const before = new TokenCipher(parseTokenKeys(oldKey))
    const agency = await createAgency(db)
    const creator = await db.creator.create({ data: { agencyId: agency.id, displayName: 'Rotating Rita' } })
    const id = randomUUID()
    const access = before.seal('access-token-plaintext', id)
    const refresh = before.seal('refresh-token-plaintext', id)
    await db.socialAccount.create({
      data: { id, agencyId: agency.id, creatorId: creator.id, platform: 'tiktok', handle: 'rita', externalId: `open-${id}`, accessTokenCiphertext: access.ciphertext, refreshTokenCiphertext: refresh.ciphertext, tokenKeyId: 'old' },
    })

    const during = new TokenCipher(parseTokenKeys(`${newKey},${oldKey}`))
    expect(await rotateTokenKeys(db, during)).toBe(1)
    expect(await rotateTokenKeys(db, during)).toBe(0)

    const row = await db.socialAccount.findUniqueOrThrow({ where: { id } })
    expect(row.tokenKeyId).toBe('new')
    const after = new TokenCipher(parseTokenKeys(newKey))
    expect(after.open({ ciphertext: row.accessTokenCiphertext!, keyId: row.tokenKeyId! }, id)).toBe('access-token-plaintext')
    expect(after.open({ ciphertext: row.refreshTokenCiphertext!, keyId: row.tokenKeyId! }, id)).toBe('refresh-token-plaintext')
    expect(() => before.open({ ciphertext: row.accessTokenCiphertext!, keyId: 'old' }, id)).toThrow()
  })

  it('re-seals agencies’ own AI provider keys too, each bound to its agency and provider', async () => {
    const { db } = database
    const oldKey = generateTokenKey('old')
    const newKey = generateTokenKey('new')
    const before = new TokenCipher(parseTokenKeys(oldKey))
    const agency = await createAgency(db)
    const openai = sealAiKey(before, agency.id, 'openai', 'sk-agency-own-key')
    const gemini = sealAiKey(before, agency.id, 'gemini', 'AIza-agency-own-key')
    await db.agencyAiSettings.create({ data: { agencyId: agency.id, openaiKeyCiphertext: openai.ciphertext, geminiKeyCiphertext: gemini.ciphertext, keyId: 'old' } })

    const during = new TokenCipher(parseTokenKeys(`${newKey},${oldKey}`))
    expect(await rotateAiKeys(db, during)).toBe(1)
    expect(await rotateAiKeys(db, during)).toBe(0)
    const row = await db.agencyAiSettings.findUniqueOrThrow({ where: { agencyId: agency.id } })
    const after = new TokenCipher(parseTokenKeys(newKey))
    expect(openAiKey(after, agency.id, 'openai', { ciphertext: row.openaiKeyCiphertext!, keyId: row.keyId! })).toBe('sk-agency-own-key')
    expect(openAiKey(after, agency.id, 'gemini', { ciphertext: row.geminiKeyCiphertext!, keyId: row.keyId! })).toBe('AIza-agency-own-key')
    // Bound to its provider: the OpenAI ciphertext does not open as Gemini's.
    expect(() => openAiKey(after, agency.id, 'gemini', { ciphertext: row.openaiKeyCiphertext!, keyId: row.keyId! })).toThrow()
  })
})
