// An agency's own AI provider keys, sealed at rest with the token cipher (platform/token-cipher.ts). The
// associated data names the agency and the provider, so a ciphertext copied to another agency or provider
// does not open. The API seals them (Settings → AI); the worker opens them to call the provider.
import type { TokenCipher } from './token-cipher'

export type KeyedProvider = 'openai' | 'gemini'

function associatedData(agencyId: string, provider: KeyedProvider): string {
  return `ai-key:${agencyId}:${provider}`
}

export function sealAiKey(cipher: TokenCipher, agencyId: string, provider: KeyedProvider, key: string) {
  return cipher.seal(key, associatedData(agencyId, provider))
}

export function openAiKey(cipher: TokenCipher, agencyId: string, provider: KeyedProvider, sealed: { ciphertext: string; keyId: string }): string {
  return cipher.open(sealed, associatedData(agencyId, provider))
}

/** What the settings page shows of a key: its last four characters. */
export function aiKeyHint(key: string): string {
  return key.length > 8 ? `…${key.slice(-4)}` : '…'
}
