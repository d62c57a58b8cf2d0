// Cost estimates from list prices, and how a shared call's usage is split among variants.
import { describe, expect, it } from 'vitest'
import { estimateCostMicros, formatCostMicros, priceOf, splitEvenly } from '../../domain/ai-pricing'

describe('AI cost estimates', () => {
  it('prices dated model snapshots by the longest known name they start with', () => {
    expect(priceOf('gpt-4o-2024-08-06')).toEqual(priceOf('gpt-4o'))
    expect(priceOf('gpt-4o-mini-2024-07-18')).toEqual(priceOf('gpt-4o-mini'))
    expect(priceOf('gpt-4o')).not.toEqual(priceOf('gpt-4o-mini'))
    expect(priceOf('gpt-4omni')).toBeNull()
  })

  it('is micro-dollars per token times the price per million, and nothing offline', () => {
    // gpt-4o: $2.50 in, $10 out per million tokens.
    expect(estimateCostMicros('openai', 'gpt-4o-2024-08-06', { inputTokens: 1000, outputTokens: 100 })).toBe(3500)
    // An unknown model is estimated at its provider's default model's price.
    expect(estimateCostMicros('gemini', 'gemini-9-ultra', { inputTokens: 1000, outputTokens: 0 })).toBe(300)
    expect(estimateCostMicros('offline', 'greenlight-offline-v1', { inputTokens: 1000, outputTokens: 1000 })).toBe(0)
    expect(formatCostMicros(3500)).toBe('$0.0035')
    expect(formatCostMicros(1_234_567)).toBe('$1.23')
  })

  it('splits a whole number into whole shares that add up to it', () => {
    expect(splitEvenly(10, 3)).toEqual([4, 3, 3])
    expect(splitEvenly(0, 2)).toEqual([0, 0])
    expect(splitEvenly(5, 0)).toEqual([])
  })
})
