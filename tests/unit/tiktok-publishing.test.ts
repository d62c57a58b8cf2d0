// The real TikTok publishing client against the TikTok stand-in over HTTP, on a free port with its own clock:
// a direct video post from creator info through the chunked upload to PUBLISH_COMPLETE, photo posts, the
// upload URL's 206/201/400/403/404/416 answers, publish failures and their fail_reasons, rate limits, daily
// caps and the unaudited client's limits, injected faults, metrics that grow, and the stand-in's log of
// completed publishes (each publish_id exactly once).
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  TikTokPublishingError,
  classifyTikTokError,
  fetchPublishStatus,
  initPhotoPost,
  initVideoUpload,
  queryCreatorInfo,
  queryVideos,
  uploadVideoChunks,
  type TikTokApiContext,
  type TikTokPostInfo,
} from '../../activities/platforms/tiktok/publishing'
import { contentRangeHeader } from '../../domain/tiktok-upload'
import { createSandboxServer } from '../../sandbox/server'
import { createTikTokStandIn } from '../../sandbox/tiktok'

const MIB = 1024 * 1024
const PROCESSING_MS = 5_000
let clockMs = Date.parse('2026-03-02T09:00:00Z')

// An audited client (all four privacy levels), and a fresh unaudited one for its own limits. Tokens outlive
// the days the tests move the clock on.
const TOKEN_SECONDS = 90 * 24 * 60 * 60
const audited = createTikTokStandIn({ now: () => clockMs, accessTokenSeconds: TOKEN_SECONDS, publishing: { unaudited: false, processingDelayMs: PROCESSING_MS } })
const unaudited = createTikTokStandIn({ now: () => clockMs, accessTokenSeconds: TOKEN_SECONDS, publishing: { activeUserCap: 1, processingDelayMs: PROCESSING_MS } })
let auditedServer: http.Server
let unauditedServer: http.Server
let base: string
let unauditedBase: string

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  auditedServer = createSandboxServer([audited])
  unauditedServer = createSandboxServer([unaudited])
  ;[base, unauditedBase] = await Promise.all([listen(auditedServer), listen(unauditedServer)])
})
afterAll(async () => {
  await Promise.all([auditedServer, unauditedServer].map((server) => new Promise((resolve) => server?.close(resolve))))
})

async function control(root: string, controlPath: string, body: unknown) {
  const response = await fetch(`${root}/tiktok/__sandbox${controlPath}`, { method: 'POST', body: JSON.stringify(body) })
  const answer = await response.json()
  expect(response.status, JSON.stringify(answer)).toBe(200)
  return answer as Record<string, unknown>
}

/** A creator of its own for each test (caps and rate limits are per creator and per token). */
async function connectCreator(root = base, scopes?: string[]): Promise<TikTokApiContext & { openId: string }> {
  const openId = `-000test-${randomBytes(6).toString('hex')}`
  const answer = await control(root, '/access-tokens/issue', { open_id: openId, ...(scopes ? { scopes } : {}) })
  return { baseUrl: `${root}/tiktok`, accessToken: answer.access_token as string, openId }
}

async function caught(promise: Promise<unknown>): Promise<TikTokPublishingError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure')
    },
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(TikTokPublishingError)
  return error as TikTokPublishingError
}

const post = (overrides: Partial<TikTokPostInfo> = {}): TikTokPostInfo => ({ title: 'Spring drop #greenlight', privacyLevel: 'PUBLIC_TO_EVERYONE', ...overrides })
const video = (size: number) => randomBytes(size)

/** Inits and uploads a video, then lets the processing delay pass: the post's final status. */
async function postVideo(context: TikTokApiContext, bytes: Buffer, overrides: Partial<TikTokPostInfo> = {}) {
  const upload = await initVideoUpload(context, { post: post(overrides), videoSize: bytes.length, preferredChunkBytes: 5 * MIB })
  await uploadVideoChunks({ uploadUrl: upload.uploadUrl, plan: upload.plan, video: bytes })
  clockMs += PROCESSING_MS
  return { upload, status: await fetchPublishStatus(context, upload.publishId) }
}

describe('a direct video post', () => {
  it('goes from creator info through a chunked upload to PUBLISH_COMPLETE with an exact post id, published once', async () => {
    const creator = await connectCreator()
    const info = await queryCreatorInfo(creator)
    expect(info.privacyLevelOptions).toEqual(['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'])
    expect(info).toMatchObject({ commentDisabled: false, maxVideoPostDurationSec: 600 })

    const bytes = video(16 * MIB + 333)
    const upload = await initVideoUpload(creator, { post: post({ privacyLevel: info.privacyLevelOptions[0]! }), videoSize: bytes.length, preferredChunkBytes: 5 * MIB })
    expect(upload.publishId).toMatch(/^v_pub_file~/)
    expect(upload.plan).toMatchObject({ chunkSize: 5 * MIB, totalChunkCount: 3 })
    expect(upload.plan.chunks[2]!.length).toBe(6 * MIB + 333)
    expect(await fetchPublishStatus(creator, upload.publishId)).toMatchObject({ status: 'PROCESSING_UPLOAD', uploadedBytes: 0, postIds: [] })

    await expect(uploadVideoChunks({ uploadUrl: upload.uploadUrl, plan: upload.plan, video: bytes })).resolves.toEqual({ chunksSent: 3, uploadedBytes: bytes.length })
    expect(await fetchPublishStatus(creator, upload.publishId)).toMatchObject({ status: 'PROCESSING_DOWNLOAD', uploadedBytes: bytes.length })

    clockMs += PROCESSING_MS
    const done = await fetchPublishStatus(creator, upload.publishId)
    expect(done).toMatchObject({ status: 'PUBLISH_COMPLETE', failReason: null, failure: null })
    expect(done.postIds).toHaveLength(1)
    // 19 digits sent as a bare JSON number: the client keeps every digit.
    expect(done.postIds[0]).toMatch(/^\d{19}$/)

    // Polling again changes nothing: the stand-in logged this publish once, with the bytes that were sent.
    await fetchPublishStatus(creator, upload.publishId)
    const logged = audited.publishLog().filter((entry) => entry.publishId === upload.publishId)
    expect(logged).toEqual([expect.objectContaining({ postId: done.postIds[0], openId: creator.openId, mediaType: 'VIDEO', privacyLevel: 'PUBLIC_TO_EVERYONE' })])
    expect(logged[0]!.videoSha256).toBe(createHash('sha256').update(bytes).digest('hex'))
  })

  it('uploads a single piece under 5 MB, streamed from a file', async () => {
    const creator = await connectCreator()
    const directory = await mkdtemp(path.join(os.tmpdir(), 'tiktok-upload-'))
    try {
      const bytes = video(MIB + 7)
      const file = path.join(directory, 'clip.mp4')
      await writeFile(file, bytes)
      const upload = await initVideoUpload(creator, { post: post(), videoSize: bytes.length })
      expect(upload.plan).toMatchObject({ chunkSize: bytes.length, totalChunkCount: 1 })
      await uploadVideoChunks({ uploadUrl: upload.uploadUrl, plan: upload.plan, video: { path: file } })
      clockMs += PROCESSING_MS
      expect(await fetchPublishStatus(creator, upload.publishId)).toMatchObject({ status: 'PUBLISH_COMPLETE' })
      expect(audited.publishLog().find((entry) => entry.publishId === upload.publishId)?.videoSha256).toBe(createHash('sha256').update(bytes).digest('hex'))
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
  })

  it('refuses an init whose declared chunk math is wrong with invalid_param (bad input)', async () => {
    const creator = await connectCreator()
    const response = await fetch(`${base}/tiktok/v2/post/publish/video/init/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${creator.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ post_info: { title: 't', privacy_level: 'SELF_ONLY' }, source_info: { source: 'FILE_UPLOAD', video_size: 25 * MIB, chunk_size: 10 * MIB, total_chunk_count: 3 } }),
    })
    const envelope = (await response.json()) as { error: { code: string; message: string; log_id: string } }
    expect(response.status).toBe(400)
    expect(envelope.error).toMatchObject({ code: 'invalid_param', message: expect.stringContaining('floor(video_size / chunk_size)'), log_id: expect.any(String) })
    expect(classifyTikTokError(response.status, envelope).kind).toBe('bad_input')
  })

  it('refuses a title over 2200 UTF-16 units as bad input', async () => {
    const creator = await connectCreator()
    const error = await caught(initVideoUpload(creator, { post: post({ title: '😀'.repeat(1101) }), videoSize: MIB }))
    expect(error.failure).toMatchObject({ kind: 'bad_input', code: 'invalid_param' })
    expect(error.status).toBe(400)
  })
})

describe('the upload URL', () => {
  it('answers 416 to a chunk out of order, which the client reports as bad input', async () => {
    const creator = await connectCreator()
    const bytes = video(11 * MIB)
    const upload = await initVideoUpload(creator, { post: post(), videoSize: bytes.length, preferredChunkBytes: 5 * MIB })
    const error = await caught(uploadVideoChunks({ uploadUrl: upload.uploadUrl, plan: upload.plan, video: bytes, fromChunk: 1 }))
    expect(error.status).toBe(416)
    expect(error.failure).toMatchObject({ kind: 'bad_input', code: 'upload_range_mismatch' })
    // The stand-in kept its place: the upload still completes from the first chunk.
    await uploadVideoChunks({ uploadUrl: upload.uploadUrl, plan: upload.plan, video: bytes })
    expect(await fetchPublishStatus(creator, upload.publishId)).toMatchObject({ uploadedBytes: bytes.length })
  })

  it('answers 206 per chunk and 201 for the last, and 400 to bad headers', async () => {
    const creator = await connectCreator()
    const bytes = video(10 * MIB + 1)
    const upload = await initVideoUpload(creator, { post: post(), videoSize: bytes.length, preferredChunkBytes: 5 * MIB })
    const put = (chunkIndex: number, headers: Record<string, string> = {}) => {
      const chunk = upload.plan.chunks[chunkIndex]!
      return fetch(upload.uploadUrl, {
        method: 'PUT',
        headers: { 'content-type': 'video/mp4', 'content-range': contentRangeHeader(chunk, bytes.length), ...headers },
        body: bytes.subarray(chunk.start, chunk.end + 1),
      })
    }
    expect((await put(0, { 'content-type': 'text/plain' })).status).toBe(400)
    expect((await put(0, { 'content-range': `bytes 0-99/${bytes.length}` })).status).toBe(400)
    expect((await put(0)).status).toBe(206)
    expect((await put(1)).status).toBe(201)
  })

  it('answers 403 once the URL has expired (an hour on the stand-in clock)', async () => {
    const creator = await connectCreator()
    const bytes = video(MIB)
    const upload = await initVideoUpload(creator, { post: post(), videoSize: bytes.length })
    clockMs += 60 * 60 * 1000 + 1000
    const error = await caught(uploadVideoChunks({ uploadUrl: upload.uploadUrl, plan: upload.plan, video: bytes }))
    expect(error.status).toBe(403)
    expect(error.failure).toMatchObject({ kind: 'bad_input', code: 'upload_url_expired', message: expect.stringContaining('start the post again') })
  })

  it('answers 404 when there is no upload task for the URL', async () => {
    const creator = await connectCreator()
    const bytes = video(MIB)
    const upload = await initVideoUpload(creator, { post: post(), videoSize: bytes.length })
    const forged = new URL(upload.uploadUrl)
    forged.searchParams.set('upload_token', 'not-the-token')
    const error = await caught(uploadVideoChunks({ uploadUrl: forged.toString(), plan: upload.plan, video: bytes }))
    expect(error).toMatchObject({ status: 404, failure: { kind: 'bad_input', code: 'upload_task_not_found' } })
  })

  it('re-sends a chunk that failed with a 5xx, and resumes from a chunk after giving up', async () => {
    const creator = await connectCreator()
    const bytes = video(10 * MIB + 5)
    const upload = await initVideoUpload(creator, { post: post(), videoSize: bytes.length, preferredChunkBytes: 5 * MIB })
    await control(base, '/faults', { endpoint: 'upload', count: 1, status: 503 })
    await expect(uploadVideoChunks({ uploadUrl: upload.uploadUrl, plan: upload.plan, video: bytes, attemptsPerChunk: 2 })).resolves.toMatchObject({ chunksSent: 2 })

    // With one attempt per chunk the failure surfaces as retryable; the caller resumes from the failed chunk.
    const second = await initVideoUpload(creator, { post: post(), videoSize: bytes.length, preferredChunkBytes: 5 * MIB })
    await control(base, '/faults', { endpoint: 'upload', count: 1, status: 500 })
    const failed = await caught(uploadVideoChunks({ uploadUrl: second.uploadUrl, plan: second.plan, video: bytes, attemptsPerChunk: 1 }))
    expect(failed).toMatchObject({ status: 500, failure: { kind: 'retryable', code: 'internal_error' } })
    expect((await fetchPublishStatus(creator, second.publishId)).uploadedBytes).toBe(0)
    await expect(uploadVideoChunks({ uploadUrl: second.uploadUrl, plan: second.plan, video: bytes, fromChunk: 0, attemptsPerChunk: 1 })).resolves.toMatchObject({ chunksSent: 2 })
    clockMs += PROCESSING_MS
    expect((await fetchPublishStatus(creator, second.publishId)).status).toBe('PUBLISH_COMPLETE')
    expect((await fetchPublishStatus(creator, upload.publishId)).status).toBe('PUBLISH_COMPLETE')
  })
})

describe('failures, classified', () => {
  it('an injected 401 and a revoked token need reauth; a token without the scope asks to reconnect with it', async () => {
    const creator = await connectCreator()
    await control(base, '/faults', { endpoint: 'creator_info', count: 1, status: 401, error: 'access_token_invalid' })
    expect((await caught(queryCreatorInfo(creator))).failure).toMatchObject({ kind: 'reauth', code: 'access_token_invalid' })
    await expect(queryCreatorInfo(creator)).resolves.toMatchObject({ privacyLevelOptions: expect.any(Array) })

    await control(base, '/access-tokens/revoke', { access_token: creator.accessToken })
    const revoked = await caught(initVideoUpload(creator, { post: post(), videoSize: MIB }))
    expect(revoked).toMatchObject({ status: 401, needsReauth: true, retryable: false, failure: { kind: 'reauth', code: 'access_token_invalid' } })

    const metricsOnly = await connectCreator(base, ['user.info.basic', 'video.list'])
    const unscoped = await caught(queryCreatorInfo(metricsOnly))
    expect(unscoped.failure).toMatchObject({ kind: 'reauth', code: 'scope_not_authorized', message: expect.stringMatching(/reconnect it/) })
  })

  it('an injected 500 and the 6-per-minute init limit are retryable, the limit with a wait', async () => {
    const creator = await connectCreator()
    await control(base, '/faults', { endpoint: 'video_init', count: 1, status: 500 })
    const injected = await caught(initVideoUpload(creator, { post: post(), videoSize: MIB }))
    expect(injected).toMatchObject({ status: 500, retryable: true, failure: { kind: 'retryable', code: 'internal_error' } })

    // The injected failure did not count: six inits pass, the seventh within the minute does not.
    for (let i = 0; i < 6; i += 1) await initVideoUpload(creator, { post: post(), videoSize: MIB })
    const limited = await caught(initVideoUpload(creator, { post: post(), videoSize: MIB }))
    expect(limited).toMatchObject({ status: 429, failure: { kind: 'retryable', code: 'rate_limit_exceeded', retryAfterMs: 60_000 } })
    clockMs += 61_000
    await expect(initVideoUpload(creator, { post: post(), videoSize: MIB })).resolves.toMatchObject({ publishId: expect.any(String) })
  })

  it('a call slower than the client waits is a retryable timeout', async () => {
    const creator = await connectCreator()
    await control(base, '/faults', { endpoint: 'status_fetch', count: 1, delayMs: 400 })
    const error = await caught(fetchPublishStatus({ ...creator, timeoutMs: 100 }, 'v_pub_file~none'))
    expect(error.failure).toMatchObject({ kind: 'retryable', code: 'timeout' })
  })

  it('a delay-only fault acts out a lost answer: the call goes through, its answer comes after the client gave up', async () => {
    const creator = await connectCreator()
    await control(base, '/faults', { endpoint: 'content_init', count: 1, delayMs: 400 })
    const error = await caught(initPhotoPost({ ...creator, timeoutMs: 100 }, { mode: 'DIRECT_POST', title: 'Lost answer', privacyLevel: 'SELF_ONLY', photoUrls: ['https://media.greenlight.test/a.jpg'] }))
    expect(error.failure).toMatchObject({ kind: 'retryable', code: 'timeout' })
    clockMs += PROCESSING_MS
    // TikTok took the post all the same.
    expect(audited.publishLog().filter((entry) => entry.title === 'Lost answer')).toHaveLength(1)
    // A failing fault, by contrast, does nothing.
    await control(base, '/faults', { endpoint: 'content_init', count: 1, status: 500, delayMs: 50 })
    await caught(initPhotoPost(creator, { mode: 'DIRECT_POST', title: 'Refused', privacyLevel: 'SELF_ONLY', photoUrls: ['https://media.greenlight.test/a.jpg'] }))
    clockMs += PROCESSING_MS
    expect(audited.publishLog().filter((entry) => entry.title === 'Refused')).toHaveLength(0)
  })

  it('the daily cap is quota: 403 from init, and HTTP 200 with the code from creator info', async () => {
    const creator = await connectCreator()
    await control(base, '/publishing', { dailyPostCap: 2 })
    try {
      await initVideoUpload(creator, { post: post(), videoSize: MIB })
      await initVideoUpload(creator, { post: post(), videoSize: MIB })
      const capped = await caught(initVideoUpload(creator, { post: post(), videoSize: MIB }))
      expect(capped).toMatchObject({ status: 403, failure: { kind: 'quota', code: 'spam_risk_too_many_posts', message: expect.stringContaining('daily posting limit') } })
      const info = await caught(queryCreatorInfo(creator))
      expect(info).toMatchObject({ status: 200, failure: { kind: 'quota', code: 'spam_risk_too_many_posts' } })
      // Another creator still posts: the cap is per creator.
      await expect(initVideoUpload(await connectCreator(), { post: post(), videoSize: MIB })).resolves.toMatchObject({ publishId: expect.any(String) })
      // The window rolls: a day later the creator posts again.
      clockMs += 24 * 60 * 60 * 1000
      await expect(queryCreatorInfo(creator)).resolves.toMatchObject({ username: creator.openId })
    } finally {
      await control(base, '/publishing', { dailyPostCap: 15 })
    }
  })

  it('a privacy level the creator does not offer is bad input', async () => {
    const creator = await connectCreator()
    await control(base, '/publishing', { privacyLevelOptions: ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'] })
    try {
      expect((await queryCreatorInfo(creator)).privacyLevelOptions).toEqual(['FOLLOWER_OF_CREATOR', 'SELF_ONLY'])
      const error = await caught(initVideoUpload(creator, { post: post({ privacyLevel: 'PUBLIC_TO_EVERYONE' }), videoSize: MIB }))
      expect(error).toMatchObject({ status: 403, failure: { kind: 'bad_input', code: 'privacy_level_option_mismatch' } })
    } finally {
      await control(base, '/publishing', { privacyLevelOptions: null })
    }
  })

  it('FAILED with fail_reason internal is retryable; file_format_check_failed is bad input; neither is logged', async () => {
    const creator = await connectCreator()
    await control(base, '/publishing', { failReason: 'internal' })
    const internal = await postVideo(creator, video(MIB))
    expect(internal.status).toMatchObject({ status: 'FAILED', failReason: 'internal', postIds: [], failure: { kind: 'retryable', code: 'internal' } })

    await control(base, '/publishing', { failReason: 'file_format_check_failed' })
    const format = await postVideo(creator, video(MIB))
    expect(format.status).toMatchObject({ status: 'FAILED', failure: { kind: 'bad_input', code: 'file_format_check_failed', message: expect.stringContaining('MP4') } })

    // The forced reason was used up: the next post goes through.
    expect((await postVideo(creator, video(MIB))).status.status).toBe('PUBLISH_COMPLETE')
    const publishIds = audited.publishLog().map((entry) => entry.publishId)
    expect(publishIds).not.toContain(internal.upload.publishId)
    expect(publishIds).not.toContain(format.upload.publishId)
  })
})

describe('photo posts', () => {
  it('a direct photo post completes and is logged; a MEDIA_UPLOAD goes to the inbox and is not', async () => {
    const creator = await connectCreator()
    const photos = ['https://media.greenlight.test/a.jpg', 'https://media.greenlight.test/b.jpg']
    const direct = await initPhotoPost(creator, { mode: 'DIRECT_POST', title: 'Two looks', privacyLevel: 'SELF_ONLY', photoUrls: photos, coverIndex: 1 })
    const inbox = await initPhotoPost(creator, { mode: 'MEDIA_UPLOAD', title: 'Draft', photoUrls: photos })
    expect(direct.publishId).toMatch(/^p_pub_url~/)
    expect(await fetchPublishStatus(creator, direct.publishId)).toMatchObject({ status: 'PROCESSING_DOWNLOAD' })
    clockMs += PROCESSING_MS
    expect(await fetchPublishStatus(creator, direct.publishId)).toMatchObject({ status: 'PUBLISH_COMPLETE', postIds: [expect.stringMatching(/^\d{19}$/)] })
    expect(await fetchPublishStatus(creator, inbox.publishId)).toMatchObject({ status: 'SEND_TO_USER_INBOX', postIds: [] })
    const log = audited.publishLog()
    expect(log.filter((entry) => entry.publishId === direct.publishId)).toEqual([expect.objectContaining({ mediaType: 'PHOTO', title: 'Two looks' })])
    expect(log.some((entry) => entry.publishId === inbox.publishId)).toBe(false)

    const wrongCover = await caught(initPhotoPost(creator, { mode: 'DIRECT_POST', title: 'x', privacyLevel: 'SELF_ONLY', photoUrls: photos, coverIndex: 2 }))
    expect(wrongCover.failure).toMatchObject({ kind: 'bad_input', code: 'invalid_param' })
  })
})

describe('the unaudited client', () => {
  it('offers SELF_ONLY only, refuses public posts, and caps the creators who post in a day', async () => {
    const first = await connectCreator(unauditedBase)
    expect((await queryCreatorInfo(first)).privacyLevelOptions).toEqual(['SELF_ONLY'])
    const publicPost = await caught(initVideoUpload(first, { post: post({ privacyLevel: 'PUBLIC_TO_EVERYONE' }), videoSize: MIB }))
    expect(publicPost.failure).toMatchObject({ kind: 'bad_input', code: 'unaudited_client_can_only_post_to_private_accounts' })
    await initVideoUpload(first, { post: post({ privacyLevel: 'SELF_ONLY' }), videoSize: MIB })

    const second = await connectCreator(unauditedBase)
    expect((await caught(queryCreatorInfo(second))).failure).toMatchObject({ kind: 'quota', code: 'reached_active_user_cap' })
    expect((await caught(initVideoUpload(second, { post: post({ privacyLevel: 'SELF_ONLY' }), videoSize: MIB }))).failure).toMatchObject({ kind: 'quota', code: 'reached_active_user_cap' })
  })
})

describe('metrics and the publish log', () => {
  it('metrics of a published video grow over time, the same at the same moment; unknown ids are left out', async () => {
    const creator = await connectCreator()
    const { status } = await postVideo(creator, video(MIB))
    const postId = status.postIds[0]!
    clockMs += 60 * 60 * 1000
    const hourLater = await queryVideos(creator, [postId, '7000000000000000001'])
    expect(hourLater).toHaveLength(1)
    expect(await queryVideos(creator, [postId])).toEqual(hourLater)
    clockMs += 24 * 60 * 60 * 1000
    const [dayLater] = await queryVideos(creator, [postId])
    expect(hourLater[0]!.views).toBeGreaterThan(0)
    expect(dayLater!.views).toBeGreaterThan(hourLater[0]!.views)
    for (const metric of ['likes', 'comments', 'shares'] as const) expect(dayLater![metric]).toBeGreaterThanOrEqual(hourLater[0]![metric])
    expect(dayLater!.likes).toBeGreaterThan(0)

    // Its share link leads to a page of the stand-in's own; an address with another creator leads nowhere.
    const shareUrl = hourLater[0]!.shareUrl!
    expect(shareUrl).toMatch(new RegExp(`^${base}/tiktok/__sandbox/@[^/]+/video/${postId}$`))
    const page = await fetch(shareUrl)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain(`TikTok video ${postId}`)
    expect((await fetch(`${base}/tiktok/__sandbox/@somebody.else/video/${postId}`)).status).toBe(404)

    // Another creator cannot read this creator's video.
    expect(await queryVideos(await connectCreator(), [postId])).toEqual([])
    const tooMany = await caught(queryVideos(creator, Array.from({ length: 21 }, (_, i) => String(i))))
    expect(tooMany.failure.kind).toBe('bad_input')
  })

  it('the log at GET /tiktok/__sandbox matches the in-process one, with each publish_id exactly once', async () => {
    const creator = await connectCreator()
    const { upload } = await postVideo(creator, video(MIB))
    for (let i = 0; i < 3; i += 1) await fetchPublishStatus(creator, upload.publishId)
    const response = await fetch(`${base}/tiktok/__sandbox`)
    const snapshot = (await response.json()) as { publishing: { publishLog: { publishId: string }[] } }
    expect(snapshot.publishing.publishLog).toEqual(audited.publishLog())
    const counts = new Map<string, number>()
    for (const entry of snapshot.publishing.publishLog) counts.set(entry.publishId, (counts.get(entry.publishId) ?? 0) + 1)
    expect(counts.get(upload.publishId)).toBe(1)
    expect([...counts.values()].every((count) => count === 1)).toBe(true)
  })
})
