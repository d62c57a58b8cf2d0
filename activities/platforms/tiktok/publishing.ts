// TikTok Content Posting API v2 client: creator info, direct video posts uploaded in chunks (the plan from
// domain/tiktok-upload), photo posts pulled from URLs, publish status, and video metrics. Every failure is
// thrown as a TikTokPublishingError carrying a PlatformFailure from classifyTikTokError, so the publish
// workflow decides from one place whether to retry, defer, ask for reconnection or give up. Calls are
// single attempts (except re-sending an upload chunk, which is safe): retrying a post is the workflow's call.
import { open } from 'node:fs/promises'
import type { PlatformErrorKind, PlatformFailure } from '../../../domain/publishing'
import { TIKTOK_PREFERRED_CHUNK_BYTES, TIKTOK_UPLOAD_RULES, contentRangeHeader, planTikTokUpload, type TikTokUploadPlan, type TikTokUploadRules } from '../../../domain/tiktok-upload'
import { TikTokApiError } from './oauth'

const REQUEST_TIMEOUT_MS = 15_000
/** A chunk is up to 128 MB: give its PUT longer than an API call. */
const CHUNK_TIMEOUT_MS = 120_000
/** TikTok's limits are per minute and it sends no Retry-After: wait out the window. */
const RATE_LIMIT_WAIT_MS = 60_000

/** Where and as whom to call: the API base URL as platform/config gives it (no /v2) and the creator's token. */
export interface TikTokApiContext {
  baseUrl: string
  accessToken: string
  timeoutMs?: number
  fetchImpl?: typeof fetch
}

/** TikTok's answer envelope: {"data":{...},"error":{"code":"ok"|…,"message","log_id"}}. */
export interface TikTokEnvelope {
  data?: Record<string, unknown>
  error?: { code?: string; message?: string; log_id?: string }
}

/** A TikTok publishing failure, classified: `failure.kind` says what the workflow does next. */
export class TikTokPublishingError extends TikTokApiError {
  override name = 'TikTokPublishingError'

  constructor(
    readonly failure: PlatformFailure,
    status: number,
    logId: string | null = null,
  ) {
    super(failure.message, status, failure.code, logId)
  }

  override get needsReauth(): boolean {
    return this.failure.kind === 'reauth'
  }

  override get retryable(): boolean {
    return this.failure.kind === 'retryable'
  }
}

// What each code means for the post. Codes come from API errors and from a FAILED status's fail_reason.
const KIND_BY_CODE: Record<string, PlatformErrorKind> = {
  internal_error: 'retryable',
  internal: 'retryable',
  rate_limit_exceeded: 'retryable',
  timeout: 'retryable',
  unreachable: 'retryable',
  access_token_invalid: 'reauth',
  auth_removed: 'reauth',
  scope_not_authorized: 'reauth',
  spam_risk_too_many_posts: 'quota',
  spam_risk_too_many_pending_share: 'quota',
  reached_active_user_cap: 'quota',
  invalid_param: 'bad_input',
  privacy_level_option_mismatch: 'bad_input',
  url_ownership_unverified: 'bad_input',
  unaudited_client_can_only_post_to_private_accounts: 'bad_input',
  file_format_check_failed: 'bad_input',
  duration_check_failed: 'bad_input',
  frame_rate_check_failed: 'bad_input',
  picture_size_check_failed: 'bad_input',
  video_pull_failed: 'bad_input',
  photo_pull_failed: 'bad_input',
  publish_cancelled: 'bad_input',
  spam_risk_user_banned_from_posting: 'bad_input',
  spam_risk_text: 'bad_input',
  spam_risk: 'bad_input',
}

// What to tell a person, where TikTok's own message would not say what to do.
const ADVICE_BY_CODE: Record<string, string> = {
  access_token_invalid: 'The TikTok connection has expired or was revoked: reconnect the account.',
  auth_removed: 'The creator removed Greenlight from their TikTok apps: reconnect the account.',
  scope_not_authorized: 'The TikTok account was connected without the permission this needs (video.publish, video.upload or video.list): reconnect it and allow all requested permissions.',
  spam_risk_too_many_posts: "The creator has reached TikTok's daily posting limit: the post waits until TikTok allows more.",
  spam_risk_too_many_pending_share: 'The creator has too many drafts waiting in the TikTok inbox: they must post or delete some first.',
  reached_active_user_cap: "This app has reached TikTok's daily limit of creators who can post through it: the post waits until the limit resets.",
  privacy_level_option_mismatch: "The chosen visibility is not one this creator's TikTok account offers: pick one of the options TikTok lists.",
  unaudited_client_can_only_post_to_private_accounts: 'Until the TikTok app passes its audit, posts can only be private (SELF_ONLY) on private accounts.',
  url_ownership_unverified: "The media URL is not on a domain verified for the TikTok app: host it on a verified domain or upload the file.",
  file_format_check_failed: 'TikTok could not read the video file: use MP4, WebM or MOV with H.264, H.265, VP8 or VP9.',
  duration_check_failed: "The video is longer than this creator's TikTok account allows.",
  frame_rate_check_failed: 'TikTok takes videos at 23 to 60 frames per second.',
  picture_size_check_failed: 'TikTok takes pictures from 360 to 4096 pixels on each side.',
  video_pull_failed: 'TikTok could not download the video from its URL.',
  photo_pull_failed: 'TikTok could not download a photo from its URL.',
  publish_cancelled: 'The post was cancelled on TikTok.',
  spam_risk_user_banned_from_posting: 'TikTok has banned this creator from posting.',
  internal: 'TikTok failed while processing the post: it can be posted again.',
}

/**
 * The one classification of TikTok failures: an HTTP status with its envelope (or a FAILED status's
 * fail_reason passed as the envelope's code). Known codes decide; unknown ones fall back on the status.
 */
export function classifyTikTokError(status: number, envelope: TikTokEnvelope | null, retryAfterMs: number | null = null): PlatformFailure {
  const code = envelope?.error?.code && envelope.error.code !== 'ok' ? envelope.error.code : status === 0 ? 'unreachable' : `http_${status}`
  const kind: PlatformErrorKind =
    KIND_BY_CODE[code] ??
    (code.startsWith('spam_risk') ? 'quota' : status === 0 || status === 429 || status >= 500 ? 'retryable' : status === 401 ? 'reauth' : 'bad_input')
  const platformMessage = envelope?.error?.message || (status > 0 ? `TikTok answered HTTP ${status}` : 'TikTok could not be reached')
  const advice = ADVICE_BY_CODE[code]
  const message = advice ? `${advice} (TikTok: ${platformMessage})` : platformMessage
  const wait = kind === 'retryable' && code === 'rate_limit_exceeded' ? (retryAfterMs ?? RATE_LIMIT_WAIT_MS) : kind === 'retryable' || kind === 'quota' ? retryAfterMs : null
  return { kind, code, message, retryAfterMs: wait }
}

interface RawAnswer {
  status: number
  envelope: TikTokEnvelope
  retryAfterMs: number | null
}

async function send(url: string, init: RequestInit & { timeoutMs: number; fetchImpl?: typeof fetch }): Promise<RawAnswer> {
  const { timeoutMs, fetchImpl = fetch, ...request } = init
  let response: Response
  let text: string
  try {
    response = await fetchImpl(url, { ...request, signal: AbortSignal.timeout(timeoutMs) })
    text = await response.text()
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)
    const failure = timedOut
      ? { kind: 'retryable' as const, code: 'timeout', message: `TikTok did not answer within ${timeoutMs / 1000} s.`, retryAfterMs: null }
      : classifyTikTokError(0, { error: { message: `TikTok could not be reached: ${reason}` } })
    throw new TikTokPublishingError(failure, 0)
  }
  const retryAfter = Number(response.headers.get('retry-after'))
  return { status: response.status, envelope: parseEnvelope(text), retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null }
}

/** The envelope, with post ids kept exact: TikTok sends them as bare 64-bit integers that JSON numbers would round. */
export function parseEnvelope(text: string): TikTokEnvelope {
  const exact = text.replace(/("publicaly_available_post_id"\s*:\s*\[)([^\]]*)\]/g, (_, head: string, ids: string) => `${head}${ids.replace(/(\d+)/g, '"$1"')}]`)
  try {
    const value: unknown = exact === '' ? {} : JSON.parse(exact)
    return typeof value === 'object' && value !== null ? (value as TikTokEnvelope) : {}
  } catch {
    return {}
  }
}

/** POSTs JSON to an API path and returns the envelope's data, or throws the classified failure. */
async function callApi(context: TikTokApiContext, path: string, body: unknown): Promise<Record<string, unknown>> {
  const answer = await send(`${context.baseUrl.replace(/\/+$/, '')}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${context.accessToken}`, 'content-type': 'application/json; charset=UTF-8' },
    body: JSON.stringify(body),
    timeoutMs: context.timeoutMs ?? REQUEST_TIMEOUT_MS,
    fetchImpl: context.fetchImpl,
  })
  const code = answer.envelope.error?.code
  // Creator info reports spam risk and caps with HTTP 200, so the envelope's code decides, not the status.
  if (answer.status >= 400 || (code !== undefined && code !== 'ok') || code === undefined) {
    const envelope = code === undefined && answer.status < 400 ? { error: { code: 'malformed_response', message: 'TikTok answered without its envelope.' } } : answer.envelope
    throw new TikTokPublishingError(classifyTikTokError(answer.status, envelope, answer.retryAfterMs), answer.status, answer.envelope.error?.log_id ?? null)
  }
  return answer.envelope.data ?? {}
}

export type TikTokPrivacyLevel = 'PUBLIC_TO_EVERYONE' | 'MUTUAL_FOLLOW_FRIENDS' | 'FOLLOWER_OF_CREATOR' | 'SELF_ONLY'

export interface TikTokCreatorInfo {
  username: string
  nickname: string
  avatarUrl: string
  privacyLevelOptions: TikTokPrivacyLevel[]
  commentDisabled: boolean
  duetDisabled: boolean
  stitchDisabled: boolean
  maxVideoPostDurationSec: number
}

/** What the creator may post right now; TikTok requires reading it before every direct post. */
export async function queryCreatorInfo(context: TikTokApiContext): Promise<TikTokCreatorInfo> {
  const data = await callApi(context, '/v2/post/publish/creator_info/query/', {})
  return {
    username: String(data.creator_username ?? ''),
    nickname: String(data.creator_nickname ?? ''),
    avatarUrl: String(data.creator_avatar_url ?? ''),
    privacyLevelOptions: Array.isArray(data.privacy_level_options) ? (data.privacy_level_options as TikTokPrivacyLevel[]) : [],
    commentDisabled: data.comment_disabled === true,
    duetDisabled: data.duet_disabled === true,
    stitchDisabled: data.stitch_disabled === true,
    maxVideoPostDurationSec: typeof data.max_video_post_duration_sec === 'number' ? data.max_video_post_duration_sec : 0,
  }
}

export interface TikTokPostInfo {
  title: string
  privacyLevel: TikTokPrivacyLevel
  disableComment?: boolean
  disableDuet?: boolean
  disableStitch?: boolean
  videoCoverTimestampMs?: number
  brandContentToggle?: boolean
  brandOrganicToggle?: boolean
  isAigc?: boolean
}

function postInfoBody(post: TikTokPostInfo): Record<string, unknown> {
  return {
    title: post.title,
    privacy_level: post.privacyLevel,
    disable_comment: post.disableComment ?? false,
    disable_duet: post.disableDuet ?? false,
    disable_stitch: post.disableStitch ?? false,
    ...(post.videoCoverTimestampMs === undefined ? {} : { video_cover_timestamp_ms: post.videoCoverTimestampMs }),
    brand_content_toggle: post.brandContentToggle ?? false,
    brand_organic_toggle: post.brandOrganicToggle ?? false,
    is_aigc: post.isAigc ?? false,
  }
}

export interface TikTokVideoUpload {
  publishId: string
  uploadUrl: string
  plan: TikTokUploadPlan
}

/** Starts a direct video post from a file of `videoSize` bytes: plans the chunks, and returns where to PUT them. */
export async function initVideoUpload(
  context: TikTokApiContext,
  request: { post: TikTokPostInfo; videoSize: number; preferredChunkBytes?: number; rules?: TikTokUploadRules },
): Promise<TikTokVideoUpload> {
  const planned = planTikTokUpload(request.videoSize, request.preferredChunkBytes ?? TIKTOK_PREFERRED_CHUNK_BYTES, request.rules ?? TIKTOK_UPLOAD_RULES)
  if (!planned.ok) throw new TikTokPublishingError({ kind: 'bad_input', code: 'video_size', message: planned.message, retryAfterMs: null }, 0)
  const { plan } = planned
  const data = await callApi(context, '/v2/post/publish/video/init/', {
    post_info: postInfoBody(request.post),
    source_info: { source: 'FILE_UPLOAD', video_size: plan.videoSize, chunk_size: plan.chunkSize, total_chunk_count: plan.totalChunkCount },
  })
  if (typeof data.publish_id !== 'string' || typeof data.upload_url !== 'string') {
    throw new TikTokPublishingError(classifyTikTokError(200, { error: { code: 'malformed_response', message: 'TikTok answered without publish_id and upload_url.' } }), 200)
  }
  return { publishId: data.publish_id, uploadUrl: data.upload_url, plan }
}

export type TikTokVideoSource = Buffer | { path: string }

/**
 * PUTs the chunks of `plan` to the upload URL in order, from `fromChunk` (to resume after a failure). A chunk
 * that fails retryably (5xx, timeout, network) is sent again up to `attemptsPerChunk` times: TikTok has not
 * taken it, so re-sending the same range is safe. Resolves once TikTok answers 201 for the last chunk.
 */
export async function uploadVideoChunks(request: {
  uploadUrl: string
  plan: TikTokUploadPlan
  video: TikTokVideoSource
  contentType?: 'video/mp4' | 'video/quicktime' | 'video/webm'
  fromChunk?: number
  attemptsPerChunk?: number
  timeoutMs?: number
  fetchImpl?: typeof fetch
}): Promise<{ chunksSent: number; uploadedBytes: number }> {
  const { uploadUrl, plan, video } = request
  const attempts = Math.max(1, request.attemptsPerChunk ?? 3)
  const file = Buffer.isBuffer(video) ? null : await open(video.path, 'r')
  try {
    const size = file ? (await file.stat()).size : (video as Buffer).length
    if (size !== plan.videoSize) {
      throw new TikTokPublishingError({ kind: 'bad_input', code: 'video_size', message: `The video is ${size} bytes but the upload was planned for ${plan.videoSize}.`, retryAfterMs: null }, 0)
    }
    let chunksSent = 0
    for (const chunk of plan.chunks.slice(request.fromChunk ?? 0)) {
      // One chunk in memory at a time, read from the file when there is one.
      const bytes = file ? await readRange(file, chunk.start, chunk.length) : (video as Buffer).subarray(chunk.start, chunk.end + 1)
      const last = chunk.index === plan.totalChunkCount - 1
      for (let attempt = 1; ; attempt += 1) {
        try {
          const answer = await send(uploadUrl, {
            method: 'PUT',
            headers: { 'content-type': request.contentType ?? 'video/mp4', 'content-length': String(chunk.length), 'content-range': contentRangeHeader(chunk, plan.videoSize) },
            // A Buffer over a file read or a slice of the caller's Buffer: sent as is, never copied.
            body: bytes as Uint8Array<ArrayBuffer>,
            timeoutMs: request.timeoutMs ?? CHUNK_TIMEOUT_MS,
            fetchImpl: request.fetchImpl,
          })
          const expected = last ? 201 : 206
          if (answer.status !== expected) throw new TikTokPublishingError(classifyUploadAnswer(answer, chunk.index), answer.status, answer.envelope.error?.log_id ?? null)
          break
        } catch (error) {
          if (!(error instanceof TikTokPublishingError) || !error.retryable || attempt >= attempts) throw error
        }
      }
      chunksSent += 1
    }
    return { chunksSent, uploadedBytes: plan.videoSize }
  } finally {
    await file?.close()
  }
}

/** The upload URL answers with bare statuses whose meaning the envelope code would not carry. */
function classifyUploadAnswer(answer: RawAnswer, chunkIndex: number): PlatformFailure {
  const detail = answer.envelope.error?.message ? ` (TikTok: ${answer.envelope.error.message})` : ''
  if (answer.status >= 500 || answer.status === 429) return classifyTikTokError(answer.status, { error: { code: answer.status === 429 ? 'rate_limit_exceeded' : 'internal_error', message: answer.envelope.error?.message } }, answer.retryAfterMs)
  const byStatus: Record<number, { code: string; message: string }> = {
    400: { code: 'upload_bad_request', message: `TikTok refused chunk ${chunkIndex} as malformed${detail}.` },
    403: { code: 'upload_url_expired', message: `The TikTok upload URL has expired (it lasts an hour): start the post again${detail}.` },
    404: { code: 'upload_task_not_found', message: `TikTok has no upload for this URL: start the post again${detail}.` },
    416: { code: 'upload_range_mismatch', message: `TikTok expected a different byte range than chunk ${chunkIndex}: chunks must go in order${detail}.` },
  }
  const known = byStatus[answer.status] ?? { code: `upload_http_${answer.status}`, message: `TikTok answered HTTP ${answer.status} to chunk ${chunkIndex}${detail}.` }
  // None of these is fixed by sending the same chunk again: the post starts over with a new init.
  return { kind: 'bad_input', ...known, retryAfterMs: null }
}

async function readRange(file: import('node:fs/promises').FileHandle, start: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  let filled = 0
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, start + filled)
    if (bytesRead === 0) break
    filled += bytesRead
  }
  return buffer.subarray(0, filled)
}

/** Starts a photo post from image URLs on a verified domain: posted directly, or sent to the creator's inbox. */
export async function initPhotoPost(
  context: TikTokApiContext,
  request: { mode: 'DIRECT_POST' | 'MEDIA_UPLOAD'; title: string; description?: string; privacyLevel?: TikTokPrivacyLevel; photoUrls: string[]; coverIndex?: number; disableComment?: boolean; autoAddMusic?: boolean },
): Promise<{ publishId: string }> {
  const data = await callApi(context, '/v2/post/publish/content/init/', {
    post_info: {
      title: request.title,
      ...(request.description === undefined ? {} : { description: request.description }),
      ...(request.privacyLevel === undefined ? {} : { privacy_level: request.privacyLevel }),
      disable_comment: request.disableComment ?? false,
      auto_add_music: request.autoAddMusic ?? true,
    },
    source_info: { source: 'PULL_FROM_URL', photo_cover_index: request.coverIndex ?? 0, photo_images: request.photoUrls },
    post_mode: request.mode,
    media_type: 'PHOTO',
  })
  if (typeof data.publish_id !== 'string') {
    throw new TikTokPublishingError(classifyTikTokError(200, { error: { code: 'malformed_response', message: 'TikTok answered without publish_id.' } }), 200)
  }
  return { publishId: data.publish_id }
}

export type TikTokPublishState = 'PROCESSING_UPLOAD' | 'PROCESSING_DOWNLOAD' | 'SEND_TO_USER_INBOX' | 'PUBLISH_COMPLETE' | 'FAILED'

export interface TikTokPublishStatus {
  status: TikTokPublishState
  /** The public post ids once PUBLISH_COMPLETE (exact strings; TikTok spells the field publicaly_available_post_id). */
  postIds: string[]
  uploadedBytes: number | null
  failReason: string | null
  /** For FAILED: the fail_reason classified like any other failure (internal is retryable, checks are bad input). */
  failure: PlatformFailure | null
}

/** Where a post stands. A FAILED post is an answer, not a thrown error: the caller decides with `failure`. */
export async function fetchPublishStatus(context: TikTokApiContext, publishId: string): Promise<TikTokPublishStatus> {
  const data = await callApi(context, '/v2/post/publish/status/fetch/', { publish_id: publishId })
  const status = String(data.status ?? '') as TikTokPublishState
  const failReason = typeof data.fail_reason === 'string' && data.fail_reason !== '' ? data.fail_reason : null
  const ids = Array.isArray(data.publicaly_available_post_id) ? data.publicaly_available_post_id.map(String) : []
  return {
    status,
    postIds: ids,
    uploadedBytes: typeof data.uploaded_bytes === 'number' ? data.uploaded_bytes : null,
    failReason,
    failure: status === 'FAILED' ? classifyTikTokError(200, { error: { code: failReason ?? 'internal', message: `TikTok could not publish the post (${failReason ?? 'no reason given'}).` } }) : null,
  }
}

export interface TikTokVideoMetrics {
  id: string
  views: number
  likes: number
  comments: number
  shares: number
  /** TikTok's shareable link to the video, when it gave one. */
  shareUrl: string | null
}

/** Metrics of up to 20 of the creator's videos; ids TikTok does not return (deleted, not theirs) are left out. */
export async function queryVideos(context: TikTokApiContext, videoIds: string[]): Promise<TikTokVideoMetrics[]> {
  if (videoIds.length === 0) return []
  if (videoIds.length > 20) throw new TikTokPublishingError({ kind: 'bad_input', code: 'too_many_ids', message: 'TikTok returns metrics for at most 20 videos per call.', retryAfterMs: null }, 0)
  const data = await callApi(context, '/v2/video/query/?fields=id,view_count,like_count,comment_count,share_count,share_url', { filters: { video_ids: videoIds } })
  const videos = Array.isArray(data.videos) ? (data.videos as Record<string, unknown>[]) : []
  const count = (value: unknown) => (typeof value === 'number' ? value : 0)
  return videos.map((video) => ({
    id: String(video.id),
    views: count(video.view_count),
    likes: count(video.like_count),
    comments: count(video.comment_count),
    shares: count(video.share_count),
    shareUrl: typeof video.share_url === 'string' && /^https?:\/\//.test(video.share_url) ? video.share_url : null,
  }))
}
