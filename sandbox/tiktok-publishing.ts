// The publishing half of the TikTok stand-in (Content Posting API v2): creator info, video init with the
// chunk rules of domain/tiktok-upload, the chunked PUT to the upload URL (206 per chunk, 201 when complete,
// 400/403/404/416), photo posts, publish status moving PROCESSING_UPLOAD -> PROCESSING_DOWNLOAD ->
// PUBLISH_COMPLETE (or FAILED with a fail_reason), the per-token rate limits, the daily cap per creator and the
// unaudited client's limits, and video metrics that grow over time. sandbox/tiktok.ts mounts it and owns the
// tokens; state lives in the instance. Completed publishes are logged so tests can prove "published once".
import { createHash, randomBytes } from 'node:crypto'
import type http from 'node:http'
import { TIKTOK_UPLOAD_RULES, TIKTOK_VIDEO_TITLE_MAX_UTF16, checkTikTokUploadPlan, parseContentRange, type TikTokUploadRules } from '../domain/tiktok-upload'
import { BodyTooLargeError, parseJsonObject, readBody } from './http'

export const TIKTOK_PUBLISHING_ENDPOINTS = ['creator_info', 'video_init', 'content_init', 'upload', 'status_fetch', 'video_query'] as const
export type TikTokPublishingEndpoint = (typeof TIKTOK_PUBLISHING_ENDPOINTS)[number]

export const TIKTOK_PRIVACY_LEVELS = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'] as const

/** Requests per minute per access token, as TikTok documents them. */
const DEFAULT_RATE_LIMITS: Record<TikTokPublishingEndpoint, number> = {
  creator_info: 20,
  video_init: 6,
  content_init: 6,
  upload: Number.POSITIVE_INFINITY,
  status_fetch: 30,
  video_query: 600,
}

const DAY_MS = 24 * 60 * 60 * 1000
const MINUTE_MS = 60_000
const PHOTO_TITLE_MAX = 90
const PHOTO_DESCRIPTION_MAX = 4000
const PHOTO_IMAGES_MAX = 35
const VIDEO_CONTENT_TYPES = new Set(['video/mp4', 'video/quicktime', 'video/webm'])

export interface TikTokPublishingOptions {
  /** An unaudited client may post SELF_ONLY only, and only for a few creators a day. Default true. */
  unaudited?: boolean
  /** Overrides the privacy levels creator info offers (default: SELF_ONLY when unaudited, all four otherwise). */
  privacyLevelOptions?: string[]
  commentDisabled?: boolean
  duetDisabled?: boolean
  stitchDisabled?: boolean
  maxVideoPostDurationSec?: number
  /** Direct posts per creator in a rolling 24 h before spam_risk_too_many_posts. */
  dailyPostCap?: number
  /** Distinct creators an unaudited client may post for in 24 h before reached_active_user_cap. */
  activeUserCap?: number
  /** How long TikTok "processes" a post after its media arrived. */
  processingDelayMs?: number
  uploadUrlSeconds?: number
  /** Chunk rules; tests may shrink them to upload small buffers in several chunks. */
  uploadRules?: TikTokUploadRules
  rateLimits?: Partial<Record<TikTokPublishingEndpoint, number>>
  /** Hosts whose URLs count as verified for PULL_FROM_URL; null: every host. */
  verifiedUrlHosts?: string[] | null
}

/** Who is calling, as the token check in sandbox/tiktok.ts found them. */
export interface TikTokCaller {
  token: string
  openId: string
  scopes: string[]
}

export type TikTokAuthentication = { ok: true; caller: TikTokCaller } | { ok: false; status: number; code: string; message: string }

export interface TikTokPublishedPost {
  publishId: string
  openId: string
  postId: string
  mediaType: 'VIDEO' | 'PHOTO'
  title: string
  privacyLevel: string | null
  /** sha256 of the uploaded file (FILE_UPLOAD), to check the bytes arrived intact. */
  videoSha256: string | null
  completedAt: number
}

interface PublishingFault {
  remaining: number
  status: number | null
  code: string | null
  message: string
  delayMs: number
}

interface PublishTask {
  publishId: string
  openId: string
  mediaType: 'VIDEO' | 'PHOTO'
  postMode: 'DIRECT_POST' | 'MEDIA_UPLOAD'
  source: 'FILE_UPLOAD' | 'PULL_FROM_URL'
  title: string
  privacyLevel: string | null
  createdAt: number
  upload: {
    id: string
    token: string
    expiresAt: number
    videoSize: number
    chunkSize: number
    totalChunkCount: number
    nextChunk: number
    receivedBytes: number
    hash: ReturnType<typeof createHash>
    sha256: string | null
  } | null
  /** When the media was all there (upload complete, or init for PULL_FROM_URL). */
  mediaReadyAt: number | null
  forcedFailReason: string | null
  state: 'PROCESSING_UPLOAD' | 'PROCESSING_DOWNLOAD' | 'SEND_TO_USER_INBOX' | 'PUBLISH_COMPLETE' | 'FAILED'
  postId: string | null
}

class EnvelopeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** The HTTP status TikTok answers a code with, for faults injected by code alone. */
function statusForCode(code: string, endpoint: TikTokPublishingEndpoint): number {
  // Creator info reports spam risk and user caps inside a 200 envelope.
  if (endpoint === 'creator_info' && (code.startsWith('spam_risk') || code === 'reached_active_user_cap')) return 200
  if (code === 'access_token_invalid' || code === 'scope_not_authorized') return 401
  if (code === 'rate_limit_exceeded') return 429
  if (code === 'internal_error') return 500
  if (code.startsWith('spam_risk') || ['reached_active_user_cap', 'unaudited_client_can_only_post_to_private_accounts', 'url_ownership_unverified', 'privacy_level_option_mismatch'].includes(code)) return 403
  return 400
}

function codeForStatus(status: number): string {
  if (status === 401) return 'access_token_invalid'
  if (status === 429) return 'rate_limit_exceeded'
  if (status >= 500) return 'internal_error'
  return 'invalid_param'
}

export function createTikTokPublishing(deps: {
  now: () => number
  logId: () => string
  authenticate: (request: http.IncomingMessage) => TikTokAuthentication
  describeCreator: (openId: string) => { username: string; nickname: string }
  options: TikTokPublishingOptions
}) {
  const { now, logId, authenticate, describeCreator } = deps
  const options = deps.options
  const config = {
    unaudited: options.unaudited ?? true,
    privacyLevelOptions: options.privacyLevelOptions ?? null,
    commentDisabled: options.commentDisabled ?? false,
    duetDisabled: options.duetDisabled ?? false,
    stitchDisabled: options.stitchDisabled ?? false,
    maxVideoPostDurationSec: options.maxVideoPostDurationSec ?? 600,
    dailyPostCap: options.dailyPostCap ?? 15,
    activeUserCap: options.activeUserCap ?? 5,
    processingDelayMs: options.processingDelayMs ?? 5_000,
    uploadUrlSeconds: options.uploadUrlSeconds ?? 60 * 60,
    uploadRules: options.uploadRules ?? TIKTOK_UPLOAD_RULES,
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
    verifiedUrlHosts: options.verifiedUrlHosts ?? null,
  }
  const tasks = new Map<string, PublishTask>()
  const tasksByUploadId = new Map<string, PublishTask>()
  const faults = new Map<TikTokPublishingEndpoint, PublishingFault>()
  const callTimes = new Map<string, number[]>()
  /** Direct-post inits, for the daily cap and the unaudited client's active-user cap. */
  const postInits: { openId: string; at: number }[] = []
  const publishLog: TikTokPublishedPost[] = []
  let forcedFail: { reason: string; remaining: number } | null = null
  let postSequence = 0

  const privacyOptions = () => config.privacyLevelOptions ?? (config.unaudited ? ['SELF_ONLY'] : [...TIKTOK_PRIVACY_LEVELS])

  /** Moves every task on to where the clock says it is, logging each completion exactly once. */
  function settle() {
    for (const task of tasks.values()) {
      if (task.state !== 'PROCESSING_UPLOAD' && task.state !== 'PROCESSING_DOWNLOAD') continue
      if (task.mediaReadyAt === null) continue
      task.state = 'PROCESSING_DOWNLOAD'
      if (now() < task.mediaReadyAt + config.processingDelayMs) continue
      if (task.forcedFailReason) {
        task.state = 'FAILED'
        continue
      }
      if (task.postMode === 'MEDIA_UPLOAD') {
        task.state = 'SEND_TO_USER_INBOX'
        continue
      }
      postSequence += 1
      task.state = 'PUBLISH_COMPLETE'
      task.postId = `74${String(task.mediaReadyAt + config.processingDelayMs).padStart(13, '0')}${String(postSequence % 10_000).padStart(4, '0')}`
      publishLog.push({
        publishId: task.publishId,
        openId: task.openId,
        postId: task.postId,
        mediaType: task.mediaType,
        title: task.title,
        privacyLevel: task.privacyLevel,
        videoSha256: task.upload?.sha256 ?? null,
        completedAt: task.mediaReadyAt + config.processingDelayMs,
      })
    }
  }

  function takeFault(endpoint: TikTokPublishingEndpoint): PublishingFault | null {
    const fault = faults.get(endpoint)
    if (!fault) return null
    fault.remaining -= 1
    if (fault.remaining <= 0) faults.delete(endpoint)
    return fault
  }

  function checkRateLimit(endpoint: TikTokPublishingEndpoint, token: string) {
    const limit = config.rateLimits[endpoint]
    if (!Number.isFinite(limit)) return
    const key = `${endpoint}:${token}`
    const recent = (callTimes.get(key) ?? []).filter((at) => at > now() - MINUTE_MS)
    if (recent.length >= limit) {
      callTimes.set(key, recent)
      throw new EnvelopeError(429, 'rate_limit_exceeded', `API rate limit exceeded: ${limit} requests per minute per access token.`)
    }
    recent.push(now())
    callTimes.set(key, recent)
  }

  function requireScope(caller: TikTokCaller, scope: string) {
    if (!caller.scopes.includes(scope)) throw new EnvelopeError(401, 'scope_not_authorized', `The user did not authorize the scope required for completing this request (${scope}).`)
  }

  /** The caps a direct post runs into, as TikTok reports them (403 from init, 200 from creator info). */
  function postingCapCode(openId: string): { code: string; message: string } | null {
    const since = now() - DAY_MS
    const recent = postInits.filter((entry) => entry.at > since)
    if (config.unaudited) {
      const creators = new Set(recent.map((entry) => entry.openId))
      if (!creators.has(openId) && creators.size >= config.activeUserCap) {
        return { code: 'reached_active_user_cap', message: `The daily quota of ${config.activeUserCap} active publishing users for this client is reached.` }
      }
    }
    if (recent.filter((entry) => entry.openId === openId).length >= config.dailyPostCap) {
      return { code: 'spam_risk_too_many_posts', message: `The daily post cap for this creator (${config.dailyPostCap}) is reached.` }
    }
    return null
  }

  function checkPostInfo(postInfo: Record<string, unknown>, titleMax: number): { title: string; privacyLevel: string } {
    const title = postInfo.title ?? ''
    if (typeof title !== 'string') throw new EnvelopeError(400, 'invalid_param', 'post_info.title must be a string.')
    if (title.length > titleMax) throw new EnvelopeError(400, 'invalid_param', `post_info.title is ${title.length} UTF-16 units; at most ${titleMax}.`)
    const privacyLevel = postInfo.privacy_level
    if (typeof privacyLevel !== 'string' || !(TIKTOK_PRIVACY_LEVELS as readonly string[]).includes(privacyLevel)) {
      throw new EnvelopeError(400, 'invalid_param', `post_info.privacy_level must be one of ${TIKTOK_PRIVACY_LEVELS.join(', ')}.`)
    }
    if (config.unaudited && privacyLevel !== 'SELF_ONLY') {
      throw new EnvelopeError(403, 'unaudited_client_can_only_post_to_private_accounts', 'Unaudited clients can only post with SELF_ONLY visibility.')
    }
    if (!privacyOptions().includes(privacyLevel)) {
      throw new EnvelopeError(403, 'privacy_level_option_mismatch', `privacy_level ${privacyLevel} is not among the creator's options (${privacyOptions().join(', ')}).`)
    }
    return { title, privacyLevel }
  }

  function checkPullUrl(value: unknown, field: string): string {
    if (typeof value !== 'string' || !/^https?:\/\//.test(value)) throw new EnvelopeError(400, 'invalid_param', `${field} must be an http(s) URL.`)
    if (config.verifiedUrlHosts && !config.verifiedUrlHosts.includes(new URL(value).hostname)) {
      throw new EnvelopeError(403, 'url_ownership_unverified', `The domain of ${field} is not verified for this client.`)
    }
    return value
  }

  function recordPostInit(caller: TikTokCaller, postMode: PublishTask['postMode']) {
    if (postMode !== 'DIRECT_POST') return
    const cap = postingCapCode(caller.openId)
    if (cap) throw new EnvelopeError(403, cap.code, cap.message)
    postInits.push({ openId: caller.openId, at: now() })
  }

  function newTask(caller: TikTokCaller, fields: Pick<PublishTask, 'mediaType' | 'postMode' | 'source' | 'title' | 'privacyLevel' | 'upload'>, prefix: string): PublishTask {
    let forcedFailReason: string | null = null
    if (forcedFail) {
      forcedFailReason = forcedFail.reason
      forcedFail.remaining -= 1
      if (forcedFail.remaining <= 0) forcedFail = null
    }
    const task: PublishTask = {
      publishId: `${prefix}~v2-1.${randomBytes(9).toString('hex')}`,
      openId: caller.openId,
      createdAt: now(),
      mediaReadyAt: fields.source === 'PULL_FROM_URL' ? now() : null,
      forcedFailReason,
      state: fields.source === 'PULL_FROM_URL' ? 'PROCESSING_DOWNLOAD' : 'PROCESSING_UPLOAD',
      postId: null,
      ...fields,
    }
    tasks.set(task.publishId, task)
    if (task.upload) tasksByUploadId.set(task.upload.id, task)
    return task
  }

  function creatorInfo(caller: TikTokCaller) {
    requireScope(caller, 'video.publish')
    const cap = postingCapCode(caller.openId)
    if (cap) throw new EnvelopeError(200, cap.code, cap.message)
    const creator = describeCreator(caller.openId)
    return {
      creator_avatar_url: '',
      creator_username: creator.username,
      creator_nickname: creator.nickname,
      privacy_level_options: privacyOptions(),
      comment_disabled: config.commentDisabled,
      duet_disabled: config.duetDisabled,
      stitch_disabled: config.stitchDisabled,
      max_video_post_duration_sec: config.maxVideoPostDurationSec,
    }
  }

  function videoInit(caller: TikTokCaller, body: Record<string, unknown>, uploadOrigin: string) {
    requireScope(caller, 'video.publish')
    const postInfo = asObject(body.post_info, 'post_info')
    const sourceInfo = asObject(body.source_info, 'source_info')
    const { title, privacyLevel } = checkPostInfo(postInfo, TIKTOK_VIDEO_TITLE_MAX_UTF16)
    if (sourceInfo.source === 'PULL_FROM_URL') {
      checkPullUrl(sourceInfo.video_url, 'source_info.video_url')
      recordPostInit(caller, 'DIRECT_POST')
      const task = newTask(caller, { mediaType: 'VIDEO', postMode: 'DIRECT_POST', source: 'PULL_FROM_URL', title, privacyLevel, upload: null }, 'v_pub_url')
      return { publish_id: task.publishId }
    }
    if (sourceInfo.source !== 'FILE_UPLOAD') throw new EnvelopeError(400, 'invalid_param', 'source_info.source must be FILE_UPLOAD or PULL_FROM_URL.')
    const declared = { videoSize: sourceInfo.video_size, chunkSize: sourceInfo.chunk_size, totalChunkCount: sourceInfo.total_chunk_count } as Record<string, number>
    const problem = checkTikTokUploadPlan({ videoSize: declared.videoSize!, chunkSize: declared.chunkSize!, totalChunkCount: declared.totalChunkCount! }, config.uploadRules)
    if (problem) throw new EnvelopeError(400, 'invalid_param', problem)
    recordPostInit(caller, 'DIRECT_POST')
    const upload = {
      id: String(BigInt(`0x${randomBytes(7).toString('hex')}`)),
      token: randomBytes(18).toString('base64url'),
      expiresAt: now() + config.uploadUrlSeconds * 1000,
      videoSize: declared.videoSize!,
      chunkSize: declared.chunkSize!,
      totalChunkCount: declared.totalChunkCount!,
      nextChunk: 0,
      receivedBytes: 0,
      hash: createHash('sha256'),
      sha256: null,
    }
    const task = newTask(caller, { mediaType: 'VIDEO', postMode: 'DIRECT_POST', source: 'FILE_UPLOAD', title, privacyLevel, upload }, 'v_pub_file')
    return { publish_id: task.publishId, upload_url: `${uploadOrigin}/tiktok/upload/video/?upload_id=${upload.id}&upload_token=${upload.token}` }
  }

  function contentInit(caller: TikTokCaller, body: Record<string, unknown>) {
    const postMode = body.post_mode
    if (postMode !== 'DIRECT_POST' && postMode !== 'MEDIA_UPLOAD') throw new EnvelopeError(400, 'invalid_param', 'post_mode must be DIRECT_POST or MEDIA_UPLOAD.')
    requireScope(caller, postMode === 'DIRECT_POST' ? 'video.publish' : 'video.upload')
    if (body.media_type !== 'PHOTO') throw new EnvelopeError(400, 'invalid_param', 'media_type must be PHOTO.')
    const postInfo = asObject(body.post_info ?? {}, 'post_info')
    const sourceInfo = asObject(body.source_info, 'source_info')
    if (sourceInfo.source !== 'PULL_FROM_URL') throw new EnvelopeError(400, 'invalid_param', 'Photo posts take source_info.source PULL_FROM_URL.')
    const images = sourceInfo.photo_images
    if (!Array.isArray(images) || images.length === 0 || images.length > PHOTO_IMAGES_MAX) {
      throw new EnvelopeError(400, 'invalid_param', `source_info.photo_images must list 1..${PHOTO_IMAGES_MAX} image URLs.`)
    }
    images.forEach((url, i) => checkPullUrl(url, `source_info.photo_images[${i}]`))
    const cover = sourceInfo.photo_cover_index ?? 0
    if (typeof cover !== 'number' || !Number.isInteger(cover) || cover < 0 || cover >= images.length) {
      throw new EnvelopeError(400, 'invalid_param', 'source_info.photo_cover_index must point at one of photo_images.')
    }
    if (typeof postInfo.description === 'string' && postInfo.description.length > PHOTO_DESCRIPTION_MAX) {
      throw new EnvelopeError(400, 'invalid_param', `post_info.description is over ${PHOTO_DESCRIPTION_MAX} UTF-16 units.`)
    }
    let title = typeof postInfo.title === 'string' ? postInfo.title : ''
    let privacyLevel: string | null = null
    if (postMode === 'DIRECT_POST') ({ title, privacyLevel } = checkPostInfo(postInfo, PHOTO_TITLE_MAX))
    else if (title.length > PHOTO_TITLE_MAX) throw new EnvelopeError(400, 'invalid_param', `post_info.title is over ${PHOTO_TITLE_MAX} UTF-16 units.`)
    recordPostInit(caller, postMode)
    const task = newTask(caller, { mediaType: 'PHOTO', postMode, source: 'PULL_FROM_URL', title, privacyLevel, upload: null }, 'p_pub_url')
    return { publish_id: task.publishId }
  }

  function statusFetch(caller: TikTokCaller, body: Record<string, unknown>) {
    if (!caller.scopes.includes('video.publish') && !caller.scopes.includes('video.upload')) requireScope(caller, 'video.publish')
    const task = typeof body.publish_id === 'string' ? tasks.get(body.publish_id) : undefined
    if (!task || task.openId !== caller.openId) throw new EnvelopeError(400, 'invalid_param', 'publish_id is not a publish of this creator.')
    const data: Record<string, unknown> = { status: task.state }
    if (task.upload) data.uploaded_bytes = task.upload.receivedBytes
    if (task.source === 'PULL_FROM_URL' && task.state !== 'PROCESSING_DOWNLOAD') data.downloaded_bytes = task.upload?.videoSize ?? 0
    if (task.state === 'FAILED') data.fail_reason = task.forcedFailReason
    if (task.state === 'PUBLISH_COMPLETE') data.publicaly_available_post_id = [task.postId]
    return data
  }

  /** Where a published video's share link leads: a page of the stand-in's own. */
  const sharePath = (post: TikTokPublishedPost) => `/tiktok/__sandbox/@${encodeURIComponent(describeCreator(post.openId).username)}/video/${post.postId}`

  /** Metrics that grow with the time since the post went live, the same for the same post and time. */
  function videoMetrics(post: TikTokPublishedPost, fields: Set<string>, origin: string) {
    const seed = createHash('sha256').update(post.postId).digest()
    const minutes = Math.max(0, (now() - post.completedAt) / MINUTE_MS)
    const views = Math.floor((20 + (seed[0]! % 60)) * Math.log2(1 + minutes) * 10)
    const all: Record<string, number | string> = {
      id: post.postId,
      view_count: views,
      like_count: Math.floor((views * (40 + (seed[1]! % 60))) / 1000),
      comment_count: Math.floor((views * (2 + (seed[2]! % 8))) / 1000),
      share_count: Math.floor((views * (1 + (seed[3]! % 6))) / 1000),
      title: post.title,
      share_url: `${origin}${sharePath(post)}`,
    }
    return Object.fromEntries(Object.entries(all).filter(([field]) => field === 'id' || fields.has(field)))
  }

  function videoQuery(caller: TikTokCaller, body: Record<string, unknown>, params: URLSearchParams, origin: string) {
    requireScope(caller, 'video.list')
    const filters = asObject(body.filters, 'filters')
    const ids = filters.video_ids
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 20 || !ids.every((id) => typeof id === 'string')) {
      throw new EnvelopeError(400, 'invalid_param', 'filters.video_ids must list 1..20 video ids as strings.')
    }
    const fields = new Set((params.get('fields') ?? '').split(',').map((field) => field.trim()).filter(Boolean))
    if (fields.size === 0) throw new EnvelopeError(400, 'invalid_param', 'The fields query parameter is required.')
    // Only the caller's own published videos come back; other ids are left out, as TikTok does.
    const videos = (ids as string[]).flatMap((id) => publishLog.filter((post) => post.postId === id && post.openId === caller.openId).map((post) => videoMetrics(post, fields, origin)))
    return { videos, cursor: 0, has_more: false }
  }

  async function uploadChunk(request: http.IncomingMessage, params: URLSearchParams): Promise<{ status: number; data: Record<string, unknown> }> {
    const task = tasksByUploadId.get(params.get('upload_id') ?? '')
    // Read the chunk before judging it, so an answer never races a body still being sent.
    const body = await readChunk(request, config.uploadRules.maxFinalChunkBytes)
    if (!task?.upload || task.upload.token !== params.get('upload_token')) throw new EnvelopeError(404, 'invalid_param', 'No upload task for this URL.')
    const upload = task.upload
    if (upload.expiresAt <= now()) throw new EnvelopeError(403, 'invalid_param', 'The upload URL has expired.')
    if (upload.sha256 !== null) throw new EnvelopeError(416, 'invalid_param', 'The upload is already complete.')
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim()
    if (!VIDEO_CONTENT_TYPES.has(contentType)) throw new EnvelopeError(400, 'invalid_param', `Content-Type must be one of ${[...VIDEO_CONTENT_TYPES].join(', ')}.`)
    const length = Number(request.headers['content-length'])
    const range = parseContentRange(request.headers['content-range'])
    if (!range) throw new EnvelopeError(400, 'invalid_param', 'Content-Range must read "bytes {first}-{last}/{total}".')
    if (!Number.isInteger(length) || length !== body.length || length !== range.end - range.start + 1) {
      throw new EnvelopeError(400, 'invalid_param', 'Content-Length must match the body and the Content-Range.')
    }
    if (range.total !== upload.videoSize) throw new EnvelopeError(400, 'invalid_param', `The Content-Range total must be video_size (${upload.videoSize}).`)
    const expectedStart = upload.nextChunk * upload.chunkSize
    const expectedEnd = upload.nextChunk === upload.totalChunkCount - 1 ? upload.videoSize - 1 : expectedStart + upload.chunkSize - 1
    if (range.start !== expectedStart || range.end !== expectedEnd) {
      throw new EnvelopeError(416, 'invalid_param', `Chunks go in order: expected bytes ${expectedStart}-${expectedEnd}/${upload.videoSize}.`)
    }
    upload.hash.update(body)
    upload.receivedBytes += body.length
    upload.nextChunk += 1
    if (upload.nextChunk < upload.totalChunkCount) return { status: 206, data: { uploaded_bytes: upload.receivedBytes } }
    upload.sha256 = upload.hash.digest('hex')
    task.mediaReadyAt = now()
    return { status: 201, data: { uploaded_bytes: upload.receivedBytes } }
  }

  function send(response: http.ServerResponse, status: number, data: Record<string, unknown>, error: { code: string; message: string } = { code: 'ok', message: '' }) {
    // TikTok sends post ids as bare 64-bit integers, which JSON.parse would round: keep that trap faithful.
    const json = JSON.stringify({ data, error: { ...error, log_id: logId() } }).replace(/"publicaly_available_post_id":\["(\d+)"\]/, '"publicaly_available_post_id":[$1]')
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    response.end(json)
  }

  function routeOf(method: string | undefined, path: string): TikTokPublishingEndpoint | null {
    if (method === 'POST' && path === '/v2/post/publish/creator_info/query/') return 'creator_info'
    if (method === 'POST' && path === '/v2/post/publish/video/init/') return 'video_init'
    if (method === 'POST' && path === '/v2/post/publish/content/init/') return 'content_init'
    if (method === 'POST' && path === '/v2/post/publish/status/fetch/') return 'status_fetch'
    if (method === 'POST' && path === '/v2/video/query/') return 'video_query'
    if (method === 'PUT' && path === '/upload/video/') return 'upload'
    return null
  }

  /** What the control API and GET /tiktok/__sandbox show. */
  function snapshot() {
    settle()
    return {
      config: { ...config, privacyLevelOptions: privacyOptions() },
      faults: Object.fromEntries(faults),
      forcedFail,
      tasks: [...tasks.values()].map((task) => ({
        publishId: task.publishId,
        openId: task.openId,
        mediaType: task.mediaType,
        postMode: task.postMode,
        source: task.source,
        state: task.state,
        uploadedBytes: task.upload?.receivedBytes ?? null,
        failReason: task.state === 'FAILED' ? task.forcedFailReason : null,
        postId: task.postId,
      })),
      publishLog: publishLog.map((entry) => ({ ...entry })),
    }
  }

  return {
    /** The page a video's share link leads to (`/@username/video/<id>` under /tiktok/__sandbox), or null. */
    sharePage(path: string): { title: string; text: string } | null {
      const match = /^\/@([^/]+)\/video\/(\d+)$/.exec(path)
      const post = match ? publishLog.find((each) => each.postId === match[2]) : undefined
      if (!post || `/tiktok/__sandbox${path}` !== sharePath(post)) return null
      return { title: `TikTok video ${post.postId} by @${describeCreator(post.openId).username}`, text: post.title || '(no title)' }
    },

    /** Answers a publishing request; false when the path is not a publishing endpoint. */
    async handle(request: http.IncomingMessage, response: http.ServerResponse, path: string, params: URLSearchParams): Promise<boolean> {
      const endpoint = routeOf(request.method, path)
      if (!endpoint) return false
      settle()
      const fault = takeFault(endpoint)
      const failing = fault !== null && (fault.status !== null || fault.code !== null)
      // A delay only: TikTok does the work at once and its answer comes late — after a client's timeout, the
      // answer is lost although the call went through.
      const lateMs = !failing && fault ? fault.delayMs : 0
      const answer = async (status: number, data: Record<string, unknown>, error?: { code: string; message: string }) => {
        if (lateMs) await new Promise((resolve) => setTimeout(resolve, lateMs))
        if (!response.destroyed) send(response, status, data, error)
      }
      try {
        // A failing fault answers its error after its delay, having done nothing.
        if (failing) {
          if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
          request.resume()
          const code = fault.code ?? codeForStatus(fault.status!)
          throw new EnvelopeError(fault.status ?? statusForCode(code, endpoint), code, fault.message)
        }
        if (endpoint === 'upload') {
          const { status, data } = await uploadChunk(request, params)
          return (await answer(status, data), true)
        }
        const body = parseJsonObject(await readBody(request))
        const auth = authenticate(request)
        if (!auth.ok) throw new EnvelopeError(auth.status, auth.code, auth.message)
        checkRateLimit(endpoint, auth.caller.token)
        if (!body) throw new EnvelopeError(400, 'invalid_param', 'The request body must be a JSON object.')
        const data =
          endpoint === 'creator_info'
            ? creatorInfo(auth.caller)
            : endpoint === 'video_init'
              ? videoInit(auth.caller, body, `http://${request.headers.host ?? 'sandbox.local'}`)
              : endpoint === 'content_init'
                ? contentInit(auth.caller, body)
                : endpoint === 'status_fetch'
                  ? statusFetch(auth.caller, body)
                  : videoQuery(auth.caller, body, params, `http://${request.headers.host ?? 'sandbox.local'}`)
        await answer(200, data)
      } catch (error) {
        if (error instanceof BodyTooLargeError) throw error
        if (!(error instanceof EnvelopeError)) throw error
        await answer(error.status, {}, { code: error.code, message: error.message })
      }
      return true
    },

    /**
     * POST /tiktok/__sandbox/faults with an `endpoint`: the next `count` calls answer with the code/status, after
     * `delayMs`, having done nothing; with a delay only, they are done at once and answered after `delayMs`.
     */
    injectFault(body: Record<string, unknown>): { status: number; body: unknown } {
      const endpoint = body.endpoint as TikTokPublishingEndpoint
      if (!TIKTOK_PUBLISHING_ENDPOINTS.includes(endpoint)) return { status: 400, body: { error: `endpoint must be one of token, ${TIKTOK_PUBLISHING_ENDPOINTS.join(', ')}` } }
      const status = typeof body.status === 'number' ? body.status : null
      const code = typeof body.error === 'string' ? body.error : null
      const delayMs = typeof body.delayMs === 'number' && body.delayMs > 0 ? body.delayMs : 0
      // A fault with only a delay slows the call down; otherwise it fails it (500 internal_error by default).
      const failing = status !== null || code !== null || delayMs === 0
      const fault: PublishingFault = {
        remaining: typeof body.count === 'number' && body.count > 0 ? Math.floor(body.count) : 1,
        status: failing ? status : null,
        code: failing ? (code ?? (status === null ? 'internal_error' : null)) : null,
        message: typeof body.description === 'string' ? body.description : `Injected by the sandbox: ${code ?? status ?? 'delay'}.`,
        delayMs,
      }
      faults.set(endpoint, fault)
      return { status: 200, body: { endpoint, fault } }
    },

    /** POST /tiktok/__sandbox/publishing: caps, processing delay, privacy options, and a forced FAILED reason. */
    configure(body: Record<string, unknown>): { status: number; body: unknown } {
      for (const key of ['dailyPostCap', 'activeUserCap', 'processingDelayMs', 'uploadUrlSeconds', 'maxVideoPostDurationSec'] as const) {
        const value = body[key]
        if (typeof value === 'number' && value >= 0) config[key] = value
      }
      for (const key of ['unaudited', 'commentDisabled', 'duetDisabled', 'stitchDisabled'] as const) {
        if (typeof body[key] === 'boolean') config[key] = body[key]
      }
      if (body.privacyLevelOptions === null || (Array.isArray(body.privacyLevelOptions) && body.privacyLevelOptions.every((level) => typeof level === 'string'))) {
        config.privacyLevelOptions = body.privacyLevelOptions as string[] | null
      }
      if (body.failReason === null) forcedFail = null
      else if (typeof body.failReason === 'string') {
        forcedFail = { reason: body.failReason, remaining: typeof body.failCount === 'number' && body.failCount > 0 ? Math.floor(body.failCount) : 1 }
      }
      return { status: 200, body: snapshot() }
    },

    publishLog(): TikTokPublishedPost[] {
      settle()
      return publishLog.map((entry) => ({ ...entry }))
    },

    snapshot,
  }
}

export type TikTokPublishing = ReturnType<typeof createTikTokPublishing>

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EnvelopeError(400, 'invalid_param', `${field} must be an object.`)
  return value as Record<string, unknown>
}

/** A chunk's bytes; a body over TikTok's largest chunk is refused rather than buffered. */
async function readChunk(request: http.IncomingMessage, limit: number): Promise<Buffer> {
  const parts: Buffer[] = []
  let size = 0
  for await (const part of request) {
    size += (part as Buffer).length
    if (size > limit) throw new EnvelopeError(400, 'invalid_param', 'The chunk is larger than TikTok accepts.')
    parts.push(part as Buffer)
  }
  return Buffer.concat(parts)
}
