// Which client answers for an agency: its own key (Settings → AI, sealed at rest) when it set one, otherwise
// the deployment's (OPENAI_API_KEY, GEMINI_API_KEY); none when neither exists. Clients are kept per key and
// model, so a worker builds each once.
import { createHash } from 'node:crypto'
import type { AiProvider } from '../../domain/ai-content'
import { openAiKey, type KeyedProvider } from '../../platform/ai-keys'
import type { AiSettings } from '../../platform/config'
import type { Database } from '../../platform/database'
import type { TokenCipher } from '../../platform/token-cipher'
import { createGeminiProvider } from './gemini'
import { createOfflineProvider } from './offline'
import { createOpenAiProvider } from './openai'
import type { AiProviderClient } from './types'

export interface AiProviderRegistry {
  /** The provider's client for the agency; null when no key is configured for it. */
  forAgency(agencyId: string, provider: AiProvider): Promise<AiProviderClient | null>
}

export function createAiProviderRegistry(deps: { db: Database; cipher: TokenCipher; settings: AiSettings }): AiProviderRegistry {
  const offline = createOfflineProvider()
  const clients = new Map<string, AiProviderClient>()

  function build(provider: KeyedProvider, apiKey: string, model: string): AiProviderClient {
    const config = deps.settings[provider]
    const cacheKey = `${provider}:${model}:${createHash('sha256').update(apiKey).digest('hex')}`
    const cached = clients.get(cacheKey)
    if (cached) return cached
    const timeoutMs = deps.settings.requestTimeoutMs
    const client =
      provider === 'openai'
        ? createOpenAiProvider({ apiKey, model, timeoutMs, ...(config.baseUrl ? { baseURL: config.baseUrl } : {}) })
        : createGeminiProvider({ apiKey, model, timeoutMs, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) })
    clients.set(cacheKey, client)
    return client
  }

  return {
    async forAgency(agencyId, provider) {
      if (provider === 'offline') return offline
      const own = await deps.db.agencyAiSettings.findUnique({ where: { agencyId } })
      const ciphertext = provider === 'openai' ? own?.openaiKeyCiphertext : own?.geminiKeyCiphertext
      const model = (provider === 'openai' ? own?.openaiModel : own?.geminiModel) || deps.settings[provider].model
      if (ciphertext && own?.keyId) {
        return build(provider, openAiKey(deps.cipher, agencyId, provider, { ciphertext, keyId: own.keyId }), model)
      }
      const apiKey = deps.settings[provider].apiKey
      return apiKey ? build(provider, apiKey, model) : null
    },
  }
}
