// TikTok's rules for uploading a video file in chunks (Content Posting API, FILE_UPLOAD): how a video of a
// given size is cut into chunks, whether a declared plan is acceptable, and the Content-Range of each chunk.
// Pure: the publishing client plans its upload with these, and the sandbox stand-in checks declared plans
// and incoming chunks with the same rules, so the two cannot drift apart silently.

const MIB = 1024 * 1024

export interface TikTokUploadRules {
  /** Smallest chunk; a video smaller than this goes up as one piece (chunk_size = video_size). */
  minChunkBytes: number
  /** Largest chunk, except the last one. */
  maxChunkBytes: number
  /** The last chunk takes the remainder, so it may exceed chunk_size up to this. */
  maxFinalChunkBytes: number
  maxChunks: number
  maxVideoBytes: number
}

/** TikTok's published limits: chunks 5..64 MB, the last up to 128 MB, 1..1000 chunks, videos up to 4 GB. */
export const TIKTOK_UPLOAD_RULES: TikTokUploadRules = {
  minChunkBytes: 5 * MIB,
  maxChunkBytes: 64 * MIB,
  maxFinalChunkBytes: 128 * MIB,
  maxChunks: 1000,
  maxVideoBytes: 4 * 1024 * MIB,
}

/** What Greenlight asks for when it may choose: 10 MiB chunks keep each PUT short enough to retry cheaply. */
export const TIKTOK_PREFERRED_CHUNK_BYTES = 10 * MIB

/** TikTok's limit on a video post's title (caption), counted in UTF-16 code units as JavaScript strings are. */
export const TIKTOK_VIDEO_TITLE_MAX_UTF16 = 2200

export interface TikTokChunk {
  index: number
  /** First byte, inclusive. */
  start: number
  /** Last byte, inclusive, as Content-Range writes it. */
  end: number
  length: number
}

export interface TikTokUploadPlan {
  videoSize: number
  chunkSize: number
  totalChunkCount: number
  chunks: TikTokChunk[]
}

export type TikTokUploadPlanResult = { ok: true; plan: TikTokUploadPlan } | { ok: false; message: string }

/**
 * The plan for a video of `videoSize` bytes: a single piece under the minimum chunk size, otherwise chunks
 * of the preferred size (kept within the rules, and raised when the video would need too many), where
 * total_chunk_count = floor(size / chunk_size) and the last chunk takes the remainder.
 */
export function planTikTokUpload(videoSize: number, preferredChunkBytes = TIKTOK_PREFERRED_CHUNK_BYTES, rules: TikTokUploadRules = TIKTOK_UPLOAD_RULES): TikTokUploadPlanResult {
  if (!Number.isInteger(videoSize) || videoSize <= 0) return { ok: false, message: 'The video is empty.' }
  if (videoSize > rules.maxVideoBytes) return { ok: false, message: `The video is ${formatBytes(videoSize)}; TikTok takes up to ${formatBytes(rules.maxVideoBytes)}.` }
  if (videoSize < rules.minChunkBytes) return { ok: true, plan: chunkPlan(videoSize, videoSize, 1) }
  // A video that fits in one chunk goes up as one (chunk_size = video_size), never as zero chunks.
  let chunkSize = Math.min(Math.max(Math.floor(preferredChunkBytes), rules.minChunkBytes), rules.maxChunkBytes, videoSize)
  // floor(size / chunk) <= maxChunks needs chunk >= size / (maxChunks + 1); a strictly larger value keeps it safe.
  chunkSize = Math.max(chunkSize, Math.floor(videoSize / (rules.maxChunks + 1)) + 1)
  if (chunkSize > rules.maxChunkBytes) return { ok: false, message: `The video is too large to cut into ${rules.maxChunks} chunks of at most ${formatBytes(rules.maxChunkBytes)}.` }
  const totalChunkCount = Math.floor(videoSize / chunkSize)
  const problem = checkTikTokUploadPlan({ videoSize, chunkSize, totalChunkCount }, rules)
  if (problem) return { ok: false, message: problem }
  return { ok: true, plan: chunkPlan(videoSize, chunkSize, totalChunkCount) }
}

/** Why TikTok would refuse a declared video_size / chunk_size / total_chunk_count, or null when it is acceptable. */
export function checkTikTokUploadPlan(declared: { videoSize: number; chunkSize: number; totalChunkCount: number }, rules: TikTokUploadRules = TIKTOK_UPLOAD_RULES): string | null {
  const { videoSize, chunkSize, totalChunkCount } = declared
  if (![videoSize, chunkSize, totalChunkCount].every((n) => Number.isInteger(n) && n > 0)) {
    return 'video_size, chunk_size and total_chunk_count must be positive integers.'
  }
  if (videoSize > rules.maxVideoBytes) return `video_size is over ${formatBytes(rules.maxVideoBytes)}.`
  if (videoSize < rules.minChunkBytes) {
    return chunkSize === videoSize && totalChunkCount === 1 ? null : `A video under ${formatBytes(rules.minChunkBytes)} is uploaded whole: chunk_size = video_size and total_chunk_count = 1.`
  }
  if (chunkSize < rules.minChunkBytes || chunkSize > rules.maxChunkBytes) {
    return `chunk_size must be between ${formatBytes(rules.minChunkBytes)} and ${formatBytes(rules.maxChunkBytes)}.`
  }
  if (totalChunkCount !== Math.floor(videoSize / chunkSize)) return `total_chunk_count must be floor(video_size / chunk_size) = ${Math.floor(videoSize / chunkSize)}.`
  if (totalChunkCount > rules.maxChunks) return `total_chunk_count must be at most ${rules.maxChunks}.`
  const finalChunk = videoSize - (totalChunkCount - 1) * chunkSize
  if (finalChunk > rules.maxFinalChunkBytes) return `The last chunk would be ${formatBytes(finalChunk)}; it may be at most ${formatBytes(rules.maxFinalChunkBytes)}.`
  return null
}

/** The chunks of an accepted plan, in the order they must be sent. */
export function chunkPlan(videoSize: number, chunkSize: number, totalChunkCount: number): TikTokUploadPlan {
  const chunks: TikTokChunk[] = []
  for (let index = 0; index < totalChunkCount; index += 1) {
    const start = index * chunkSize
    const end = index === totalChunkCount - 1 ? videoSize - 1 : start + chunkSize - 1
    chunks.push({ index, start, end, length: end - start + 1 })
  }
  return { videoSize, chunkSize, totalChunkCount, chunks }
}

export function contentRangeHeader(chunk: TikTokChunk, videoSize: number): string {
  return `bytes ${chunk.start}-${chunk.end}/${videoSize}`
}

/** A `bytes a-b/total` Content-Range, or null when the header is missing or malformed. */
export function parseContentRange(header: string | undefined): { start: number; end: number; total: number } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header?.trim() ?? '')
  if (!match) return null
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])]
  return start <= end && end < total ? { start, end, total } : null
}

function formatBytes(bytes: number): string {
  return bytes >= MIB ? `${Math.round((bytes / MIB) * 10) / 10} MB` : `${bytes} bytes`
}
