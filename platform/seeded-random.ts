// A small reproducible random number generator: the offline generator chooses its templates with it, and the
// sandbox's model stand-ins their wording, so the same seed always gives the same text.

/** mulberry32: a 32-bit state, numbers in [0, 1). Not for anything secret. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
