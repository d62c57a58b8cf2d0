// TikTok's chunk rules (domain/tiktok-upload): the plans Greenlight makes for videos of every size, the
// declared plans TikTok accepts or refuses, and the Content-Range headers of the chunks.
import { describe, expect, it } from 'vitest'
import { TIKTOK_UPLOAD_RULES, checkTikTokUploadPlan, contentRangeHeader, parseContentRange, planTikTokUpload, type TikTokUploadPlan } from '../../domain/tiktok-upload'

const MIB = 1024 * 1024

function planOf(size: number, preferred?: number, rules = TIKTOK_UPLOAD_RULES): TikTokUploadPlan {
  const result = planTikTokUpload(size, preferred, rules)
  if (!result.ok) throw new Error(result.message)
  return result.plan
}

/** The properties every plan must have, checked independently of how it was made. */
function expectValidPlan(plan: TikTokUploadPlan, rules = TIKTOK_UPLOAD_RULES) {
  expect(checkTikTokUploadPlan(plan, rules)).toBeNull()
  expect(plan.chunks).toHaveLength(plan.totalChunkCount)
  expect(plan.chunks[0]!.start).toBe(0)
  expect(plan.chunks.at(-1)!.end).toBe(plan.videoSize - 1)
  expect(plan.chunks.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(plan.videoSize)
  plan.chunks.forEach((chunk, i) => {
    if (i > 0) expect(chunk.start).toBe(plan.chunks[i - 1]!.end + 1)
    if (i < plan.chunks.length - 1) expect(chunk.length).toBe(plan.chunkSize)
  })
}

describe('planTikTokUpload', () => {
  it('sends a video under 5 MB as one piece whose chunk size is the video size', () => {
    const plan = planOf(3 * MIB + 17)
    expect(plan).toMatchObject({ videoSize: 3 * MIB + 17, chunkSize: 3 * MIB + 17, totalChunkCount: 1 })
    expectValidPlan(plan)
  })

  it('cuts a larger video into floor(size / chunk) chunks, the last one taking the remainder', () => {
    const size = 25 * MIB + 123
    const plan = planOf(size, 10 * MIB)
    expect(plan).toMatchObject({ chunkSize: 10 * MIB, totalChunkCount: 2 })
    expect(plan.chunks[1]).toMatchObject({ start: 10 * MIB, end: size - 1, length: 15 * MIB + 123 })
    expectValidPlan(plan)
  })

  it('sends a video between 5 MB and the preferred chunk size as one chunk, never zero', () => {
    const plan = planOf(7 * MIB, 10 * MIB)
    expect(plan).toMatchObject({ chunkSize: 7 * MIB, totalChunkCount: 1 })
    expectValidPlan(plan)
  })

  it('keeps a preferred chunk size within 5..64 MB', () => {
    expect(planOf(200 * MIB, 1 * MIB).chunkSize).toBe(5 * MIB)
    expect(planOf(1000 * MIB, 500 * MIB).chunkSize).toBe(64 * MIB)
  })

  it('makes valid plans across sizes, including the 4 GB maximum', () => {
    for (const size of [5 * MIB, 5 * MIB + 1, 64 * MIB, 64 * MIB + 1, 129 * MIB, 999 * MIB + 7, 4096 * MIB]) {
      for (const preferred of [5 * MIB, 10 * MIB, 64 * MIB]) expectValidPlan(planOf(size, preferred))
    }
  })

  it('raises the chunk size when a video would need more than the chunk limit', () => {
    const rules = { ...TIKTOK_UPLOAD_RULES, minChunkBytes: 1000, maxChunkBytes: 4000, maxFinalChunkBytes: 8000, maxChunks: 10 }
    const plan = planOf(25_000, 1000, rules)
    expect(plan.totalChunkCount).toBeLessThanOrEqual(10)
    expectValidPlan(plan, rules)
    expect(planTikTokUpload(50_000, 1000, rules)).toMatchObject({ ok: false })
  })

  it('refuses empty videos and videos over 4 GB', () => {
    expect(planTikTokUpload(0)).toMatchObject({ ok: false, message: 'The video is empty.' })
    expect(planTikTokUpload(4096 * MIB + 1)).toMatchObject({ ok: false, message: expect.stringContaining('4096 MB') })
  })
})

describe('checkTikTokUploadPlan', () => {
  it('accepts the plans TikTok documents', () => {
    expect(checkTikTokUploadPlan({ videoSize: 50_000_123, chunkSize: 10_000_000, totalChunkCount: 5 })).toBeNull()
    expect(checkTikTokUploadPlan({ videoSize: 4 * MIB, chunkSize: 4 * MIB, totalChunkCount: 1 })).toBeNull()
  })

  it('refuses a small video cut into pieces, chunks out of 5..64 MB, a wrong count and an oversized last chunk', () => {
    expect(checkTikTokUploadPlan({ videoSize: 4 * MIB, chunkSize: 2 * MIB, totalChunkCount: 2 })).toMatch(/uploaded whole/)
    expect(checkTikTokUploadPlan({ videoSize: 20 * MIB, chunkSize: 4 * MIB, totalChunkCount: 5 })).toMatch(/chunk_size must be between/)
    expect(checkTikTokUploadPlan({ videoSize: 200 * MIB, chunkSize: 65 * MIB, totalChunkCount: 3 })).toMatch(/chunk_size must be between/)
    expect(checkTikTokUploadPlan({ videoSize: 25 * MIB, chunkSize: 10 * MIB, totalChunkCount: 3 })).toMatch(/floor\(video_size \/ chunk_size\) = 2/)
    expect(checkTikTokUploadPlan({ videoSize: 6 * MIB, chunkSize: 5 * MIB, totalChunkCount: 0 })).toMatch(/positive integers/)
    // 64 MB chunks: floor(191/64) = 2, leaving a 127 MB last chunk (allowed); 5 MB with a 1000-chunk cap cannot hold 5 GB.
    expect(checkTikTokUploadPlan({ videoSize: 191 * MIB, chunkSize: 64 * MIB, totalChunkCount: 2 })).toBeNull()
    const rules = { ...TIKTOK_UPLOAD_RULES, maxFinalChunkBytes: 100 * MIB }
    expect(checkTikTokUploadPlan({ videoSize: 191 * MIB, chunkSize: 64 * MIB, totalChunkCount: 2 }, rules)).toMatch(/last chunk/)
  })
})

describe('Content-Range', () => {
  it('writes inclusive byte ranges and reads them back', () => {
    const plan = planOf(12 * MIB + 5, 5 * MIB)
    const headers = plan.chunks.map((chunk) => contentRangeHeader(chunk, plan.videoSize))
    expect(headers).toEqual([`bytes 0-${5 * MIB - 1}/${12 * MIB + 5}`, `bytes ${5 * MIB}-${12 * MIB + 4}/${12 * MIB + 5}`])
    expect(parseContentRange(headers[1])).toEqual({ start: 5 * MIB, end: 12 * MIB + 4, total: 12 * MIB + 5 })
  })

  it('rejects malformed or impossible ranges', () => {
    for (const header of [undefined, '', 'bytes 0-9', 'bytes=0-9/10', 'bytes 5-4/10', 'bytes 0-10/10', 'items 0-9/10']) expect(parseContentRange(header)).toBeNull()
  })
})
