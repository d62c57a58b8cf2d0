// Estimated cost of AI calls, from the providers' published per-token list prices (USD per million tokens,
// standard tier, November 2026). Estimates only: invoices are the providers'. Costs are kept in micro-dollars
// (millionths of a USD) as integers, so sums never drift.
import type { AiProvider } from './ai-content'

export interface TokenUsageLike {
  inputTokens: number
  outputTokens: number
}

interface Price {
  inputPerMillion: number
  outputPerMillion: number
}

const PRICES: Record<string, Price> = {
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gemini-2.5-flash': { inputPerMillion: 0.3, outputPerMillion: 2.5 },
  'gemini-2.5-flash-lite': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gemini-2.5-pro': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'gemini-2.0-flash': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
}

/** A model without a list price here is estimated at its provider's default model's price. */
const PROVIDER_FALLBACK: Record<AiProvider, Price> = {
  openai: PRICES['gpt-4o-mini']!,
  gemini: PRICES['gemini-2.5-flash']!,
  offline: { inputPerMillion: 0, outputPerMillion: 0 },
}

/**
 * A model's list price. Providers answer with dated snapshots (`gpt-4o-2024-08-06`,
 * `gemini-2.5-flash-preview-05-20`): the longest known name the model starts with prices it.
 */
export function priceOf(model: string): Price | null {
  const known = Object.keys(PRICES)
    .filter((name) => model === name || model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0]
  return known ? PRICES[known]! : null
}

/** Micro-dollars for a call: tokens × USD per million tokens is exactly micro-dollars per token. */
export function estimateCostMicros(provider: AiProvider, model: string, usage: TokenUsageLike): number {
  if (provider === 'offline') return 0
  const price = priceOf(model) ?? PROVIDER_FALLBACK[provider]
  return Math.round(usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion)
}

/** "$0.0123" for micro-dollars. */
export function formatCostMicros(micros: number): string {
  const usd = micros / 1_000_000
  return `$${usd < 0.01 && usd > 0 ? usd.toFixed(4) : usd.toFixed(2)}`
}

/**
 * Splits a whole number into `parts` whole shares that add up to it (the remainder goes to the first ones):
 * the judge reads all of an item's variants in one call, and each variant carries its share of that call.
 */
export function splitEvenly(total: number, parts: number): number[] {
  if (parts <= 0) return []
  const base = Math.floor(total / parts)
  const remainder = total - base * parts
  return Array.from({ length: parts }, (_, i) => base + (i < remainder ? 1 : 0))
}
