// The publishing steps of each platform, written so that nothing is ever sent twice. Every step starts from what
// the ScheduledPost row records (the Instagram container, the TikTok publish id, a call that got no answer) and,
// where the row cannot tell, from the platform's own state; only calls that are safe to repeat are repeated:
// - Instagram: a container is created ahead of time (creating another is harmless: an unpublished container
//   expires); media_publish is sent only for a FINISHED container, and after a call that got no answer the
//   container's status_code says whether it went out (PUBLISHED) — a container is single-use, so Instagram
//   itself refuses a second publication of it.
// - TikTok: a video is published when its upload completes, and the publish id is recorded before the upload,
//   so the status fetch says where it is; an init that got no answer published nothing (there was no upload).
//   A photo post is pulled from its URL at init: an init that got no answer is unconfirmed.
// - Facebook: the post call is the publication. It is marked pending before it is sent; when no answer comes
//   the post is unconfirmed, and "verify on platform" looks for it among the Page's recent posts.
import type { SocialPlatform } from '../../domain/brand-kit'
import type { PlatformFailure } from '../../domain/publishing'
import {
  createInstagramContainer,
  getContainerStatus,
  getInstagramInsights,
  getInstagramMedia,
  getPagePost,
  getPagePostInsights,
  listInstagramMedia,
  listPagePosts,
  publishInstagramContainer,
  publishPagePost,
  publishPageVideo,
  type GraphTarget,
} from '../platforms/meta/publishing'
import { classifyContainerError, MetaPublishingError, type GraphUsage } from '../platforms/meta/errors'
import {
  fetchPublishStatus,
  initPhotoPost,
  initVideoUpload,
  queryCreatorInfo,
  queryVideos,
  TikTokPublishingError,
  uploadVideoChunks,
  type TikTokApiContext,
  type TikTokCreatorInfo,
} from '../platforms/tiktok/publishing'
import type { PublishStepResult, VerificationResult } from '../../workflows/publish-post/definitions'

/** The row's facts a step needs, read fresh before every step. */
export interface PostForStep {
  id: string
  platform: SocialPlatform
  caption: string
  /** The Instagram container or TikTok publish id already created, if any. */
  containerId: string | null
  /** A create or publish call went out at this time and got no answer. */
  pendingCall: string | null
  pendingCallAt: Date | null
  platformPostId: string | null
  account: { id: string; externalId: string; handle: string }
  media: { kind: 'image' | 'video'; url: string; mimeType: string; read: () => Promise<Buffer> } | null
}

/** What a step tells the activity to write, beside the result the workflow acts on. */
export interface StepProgress {
  containerId?: string | null
  pendingCall?: { call: string; at: Date } | null
  published?: { platformPostId: string; permalink: string | null; publishedAt: Date }
}

/** Called by a step to record progress before it goes on (and before any call whose answer could be lost). */
export type RecordProgress = (progress: StepProgress) => Promise<void>

/** Usage headers of each call go to the per-account throttle. */
export type ReportUsage = (usage: GraphUsage) => Promise<void>

export interface StepContext {
  post: PostForStep
  record: RecordProgress
  reportUsage: ReportUsage
  now: () => Date
  /**
   * The first step of a post handed over before its time, on the activity's first attempt: a container the row
   * has was made ahead (minutes ago) and is published without reading its status first. Any other step (a retry,
   * a look at a container made moments ago) reads the platform's state.
   */
  preparedAhead: boolean
  meta: GraphTarget
  tiktok: TikTokApiContext
  /** TikTok's creator info, read shortly before the time for a post handed over early (else read by the step). */
  tiktokCreator?: TikTokCreatorInfo
}

/** A classified failure and whether the call may have taken effect anyway. */
export interface ClassifiedError {
  failure: PlatformFailure
  ambiguous: boolean
}

export function classifyStepError(error: unknown): ClassifiedError | null {
  if (error instanceof MetaPublishingError) return { failure: error.failure, ambiguous: error.ambiguous }
  if (error instanceof TikTokPublishingError) {
    // No answer, or TikTok failing inside: the call may have gone through.
    const ambiguous = error.status === 0 || error.status >= 500
    return { failure: error.failure, ambiguous }
  }
  return null
}

/** Raised by a step for a failure the activity turns into a result or a retry. */
export class StepFailure extends Error {
  constructor(
    readonly failure: PlatformFailure,
    readonly ambiguous: boolean,
  ) {
    super(failure.message)
  }
}

async function platformCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    const classified = classifyStepError(error)
    if (classified) throw new StepFailure(classified.failure, classified.ambiguous)
    throw error
  }
}

const PROCESSING_POLL_MS = 2_000

// ---- Instagram ---------------------------------------------------------------------------------------

async function instagramContainer(context: StepContext): Promise<PublishStepResult | { kind: 'ready'; containerId: string }> {
  const { post, meta, record, reportUsage } = context
  if (post.containerId) {
    const status = await platformCall(() => getContainerStatus(meta, post.containerId!))
    await reportUsage(status.usage)
    if (status.statusCode === 'PUBLISHED') return instagramPublished(context, post.containerId)
    if (status.statusCode === 'FINISHED') return { kind: 'ready', containerId: post.containerId }
    if (status.statusCode === 'IN_PROGRESS') return { kind: 'processing', retryInMs: PROCESSING_POLL_MS }
    if (status.statusCode === 'ERROR') {
      const failure = classifyContainerError(status.errorSubcode, status.status)
      if (failure.kind !== 'retryable') return { kind: 'failed', reason: failure.message, code: failure.code }
      // Spent, and never published: the step's retry uploads the media again in a new container (as many times
      // as the step is tried).
      await record({ containerId: null })
      throw new StepFailure(failure, false)
    }
    // EXPIRED (a container lives 24 hours): it was never published, so a new one is created.
    await record({ containerId: null })
  }
  if (!post.media) return { kind: 'failed', reason: 'Instagram posts need an image or a video: attach one to the card.', code: 'NO_MEDIA' }
  const media = post.media
  const created = await platformCall(() =>
    createInstagramContainer(meta, post.account.externalId, media.kind === 'video' ? { kind: 'reel', videoUrl: media.url, caption: post.caption, shareToFeed: true } : { kind: 'image', imageUrl: media.url, caption: post.caption }),
  )
  await reportUsage(created.usage)
  await record({ containerId: created.containerId })
  return { kind: 'processing', retryInMs: PROCESSING_POLL_MS }
}

/** The container went out: find its media (the row may not have its id if the answer was lost). */
async function instagramPublished(context: StepContext, containerId: string): Promise<PublishStepResult> {
  const { post, meta, record, reportUsage } = context
  let mediaId = post.platformPostId
  if (!mediaId) {
    const since = post.pendingCallAt ? new Date(post.pendingCallAt.getTime() - 60_000) : null
    const recent = await platformCall(() => listInstagramMedia(meta, post.account.externalId, { limit: 25 }))
    await reportUsage(recent.usage)
    const match = recent.media.find((item) => item.caption === post.caption && (!since || item.publishedAt >= since))
    if (!match) {
      return { kind: 'unconfirmed', reason: `Instagram reports container ${containerId} as published, but its post is not among the account's recent media: check the account, then verify again.` }
    }
    mediaId = match.mediaId
  }
  const found = mediaId
  const details = await platformCall(() => getInstagramMedia(meta, found))
  await reportUsage(details.usage)
  await record({ published: { platformPostId: found, permalink: details.permalink, publishedAt: details.publishedAt }, pendingCall: null })
  return { kind: 'published', platformPostId: found, permalink: details.permalink }
}

async function instagramPublish(context: StepContext): Promise<PublishStepResult> {
  const { post, meta, record, reportUsage, now } = context
  // A container prepared ahead whose publication was never sent goes straight to media_publish: without a pending
  // mark it cannot have been published, and Instagram refuses one still processing or failed (the retry reads its
  // status). Otherwise its status decides first.
  const container: Awaited<ReturnType<typeof instagramContainer>> =
    post.containerId && !post.pendingCall && context.preparedAhead ? { kind: 'ready', containerId: post.containerId } : await instagramContainer(context)
  if (container.kind !== 'ready') return container
  // FINISHED: not yet published (a lost answer to an earlier media_publish would show PUBLISHED).
  await record({ pendingCall: { call: 'instagram.media_publish', at: now() } })
  const published = await platformCall(() => publishInstagramContainer(meta, post.account.externalId, container.containerId))
  await reportUsage(published.usage)
  await record({ published: { platformPostId: published.mediaId, permalink: null, publishedAt: now() }, pendingCall: null })
  // The link is read afterwards, outside the account's turn (readPlatformPermalink).
  return { kind: 'published', platformPostId: published.mediaId, permalink: null }
}

// ---- Facebook Pages ----------------------------------------------------------------------------------

async function facebookPublish(context: StepContext): Promise<PublishStepResult> {
  const { post, meta, record, reportUsage, now } = context
  if (post.pendingCall) {
    return { kind: 'unconfirmed', reason: `The Facebook post call sent at ${post.pendingCallAt?.toISOString() ?? 'an earlier attempt'} got no answer: verify on the platform before anything is posted again.` }
  }
  await record({ pendingCall: { call: 'facebook.post', at: now() } })
  const media = post.media
  const created = await platformCall<{ postId: string; usage: GraphUsage }>(() =>
    media?.kind === 'video'
      ? publishPageVideo(meta, post.account.externalId, { fileUrl: media.url, description: post.caption })
      : publishPagePost(meta, post.account.externalId, media ? { kind: 'photo', url: media.url, caption: post.caption } : { kind: 'feed', message: post.caption }),
  )
  await reportUsage(created.usage)
  await record({ published: { platformPostId: created.postId, permalink: null, publishedAt: now() }, pendingCall: null })
  // The link is read afterwards, outside the account's turn (readPlatformPermalink).
  return { kind: 'published', platformPostId: created.postId, permalink: null }
}

// ---- TikTok ------------------------------------------------------------------------------------------

const tiktokPermalink = (handle: string, postId: string) => `https://www.tiktok.com/@${encodeURIComponent(handle)}/video/${postId}`

async function tiktokStatus(context: StepContext, publishId: string): Promise<PublishStepResult | { kind: 'incomplete_upload' }> {
  const { post, tiktok, record } = context
  const status = await platformCall(() => fetchPublishStatus(tiktok, publishId))
  if (status.status === 'PUBLISH_COMPLETE') {
    const postId = status.postIds[0] ?? publishId
    await record({ published: { platformPostId: postId, permalink: null, publishedAt: context.now() }, pendingCall: null })
    // The link is read afterwards, outside the account's turn (readPlatformPermalink).
    return { kind: 'published', platformPostId: postId, permalink: null }
  }
  if (status.status === 'FAILED') {
    const failure = status.failure
    if (failure?.kind === 'quota') return { kind: 'deferred', until: new Date(context.now().getTime() + (failure.retryAfterMs ?? 24 * 3_600_000)).toISOString(), reason: failure.message }
    if (failure?.kind === 'reauth') return { kind: 'needs_reauth', reason: failure.message }
    // A failed publication put nothing on TikTok: a retryable one may be started again from scratch.
    if (failure?.kind === 'retryable') {
      await record({ containerId: null, pendingCall: null })
      throw new StepFailure(failure, false)
    }
    return { kind: 'failed', reason: failure?.message ?? `TikTok could not publish the post (${status.failReason ?? 'no reason given'}).`, code: status.failReason }
  }
  if (status.status === 'PROCESSING_UPLOAD' && post.pendingCall === 'tiktok.upload') return { kind: 'incomplete_upload' }
  return { kind: 'processing', retryInMs: PROCESSING_POLL_MS }
}

async function tiktokPublish(context: StepContext): Promise<PublishStepResult> {
  const { post, tiktok, record, now } = context
  if (post.containerId) {
    const status = await tiktokStatus(context, post.containerId)
    if (status.kind !== 'incomplete_upload') return status
    // The upload broke off before its last chunk: TikTok publishes nothing from a partial upload, and an upload
    // URL cannot be resumed from another process's plan, so the post starts again under a new publish id.
    await record({ containerId: null, pendingCall: null })
  } else if (post.pendingCall === 'tiktok.photo_init') {
    return { kind: 'unconfirmed', reason: `The TikTok photo post sent at ${post.pendingCallAt?.toISOString() ?? 'an earlier attempt'} got no answer: verify on the platform before anything is posted again.` }
  }
  if (!post.media) return { kind: 'failed', reason: 'TikTok posts need a video or an image: attach one to the card.', code: 'NO_MEDIA' }
  const media = post.media
  const creator = context.tiktokCreator ?? (await platformCall(() => queryCreatorInfo(tiktok)))
  // Public when the account allows it; otherwise the most public level it offers (unaudited apps: SELF_ONLY).
  const privacyLevel = creator.privacyLevelOptions.includes('PUBLIC_TO_EVERYONE') ? 'PUBLIC_TO_EVERYONE' : (creator.privacyLevelOptions[0] ?? 'SELF_ONLY')
  if (media.kind === 'image') {
    await record({ pendingCall: { call: 'tiktok.photo_init', at: now() } })
    const { publishId } = await platformCall(() => initPhotoPost(tiktok, { mode: 'DIRECT_POST', title: post.caption.slice(0, 90), description: post.caption, privacyLevel, photoUrls: [media.url] }))
    await record({ containerId: publishId, pendingCall: null })
    return { kind: 'processing', retryInMs: PROCESSING_POLL_MS }
  }
  // Nothing is published until the last chunk arrives, so an init whose answer was lost is harmless.
  const video = await media.read()
  const upload = await platformCall(() => initVideoUpload(tiktok, { post: { title: post.caption.slice(0, 2200), privacyLevel }, videoSize: video.length }))
  await record({ containerId: upload.publishId, pendingCall: { call: 'tiktok.upload', at: now() } })
  await platformCall(() =>
    uploadVideoChunks({ uploadUrl: upload.uploadUrl, plan: upload.plan, video, contentType: media.mimeType === 'video/quicktime' ? 'video/quicktime' : media.mimeType === 'video/webm' ? 'video/webm' : 'video/mp4', fetchImpl: tiktok.fetchImpl }),
  )
  await record({ pendingCall: null })
  return { kind: 'processing', retryInMs: PROCESSING_POLL_MS }
}

/** What TikTok says the creator may post now (privacy levels, limits), as a post about to go out asks it. */
export async function readTikTokCreator(context: StepContext): Promise<TikTokCreatorInfo> {
  return platformCall(() => queryCreatorInfo(context.tiktok))
}

// ---- Dispatch ----------------------------------------------------------------------------------------

/** Instagram's container, created ahead of the time; the other platforms have nothing to prepare. */
export async function preparePlatformPost(context: StepContext): Promise<PublishStepResult | { kind: 'ready'; containerId: string } | null> {
  if (context.post.platform !== 'instagram') return null
  return instagramContainer(context)
}

export async function publishPlatformPost(context: StepContext): Promise<PublishStepResult> {
  switch (context.post.platform) {
    case 'instagram':
      return instagramPublish(context)
    case 'facebook':
      return facebookPublish(context)
    case 'tiktok':
      return tiktokPublish(context)
  }
}

/**
 * "Verify on platform" for an unconfirmed post: published (found, and recorded), absent (certainly not there:
 * the pending mark is cleared so the post may go again), or unknown.
 */
export async function verifyPlatformPost(context: StepContext): Promise<VerificationResult> {
  const { post, meta, record, reportUsage } = context
  if (post.platform === 'instagram') {
    if (!post.containerId) {
      await record({ pendingCall: null })
      return { outcome: 'absent', message: 'No Instagram container was created for this post: it will be published now.' }
    }
    const status = await platformCall(() => getContainerStatus(meta, post.containerId!))
    await reportUsage(status.usage)
    if (status.statusCode === 'PUBLISHED') {
      const result = await instagramPublished(context, post.containerId)
      return result.kind === 'published' ? { outcome: 'published', message: 'Instagram shows the post as published.' } : { outcome: 'unknown', message: result.kind === 'unconfirmed' ? result.reason : 'Instagram did not confirm the post.' }
    }
    await record({ pendingCall: null })
    return { outcome: 'absent', message: `Instagram's container is ${status.statusCode}, not published: the post will be published now.` }
  }
  if (post.platform === 'facebook') {
    const since = post.pendingCallAt ? new Date(post.pendingCallAt.getTime() - 5 * 60_000) : undefined
    const recent = await platformCall(() => listPagePosts(meta, post.account.externalId, { since, limit: 100 }))
    await reportUsage(recent.usage)
    const match = recent.posts.find((item) => (item.message ?? '') === post.caption && (!since || item.createdAt >= since))
    if (match) {
      await record({ published: { platformPostId: match.postId, permalink: match.permalinkUrl ?? null, publishedAt: match.createdAt }, pendingCall: null })
      return { outcome: 'published', message: 'The post is on the Page: it went out on the first try.' }
    }
    await record({ pendingCall: null })
    return { outcome: 'absent', message: 'The post is not among the Page’s recent posts: it will be published now.' }
  }
  // TikTok: a recorded publish id says where the post is; without one the photo init never reached TikTok.
  if (post.containerId) {
    const status = await tiktokStatus(context, post.containerId)
    if (status.kind === 'published') return { outcome: 'published', message: 'TikTok reports the post as published.' }
    if (status.kind === 'processing') return { outcome: 'unknown', message: 'TikTok is still processing the post: verify again in a minute.' }
    await record({ containerId: null, pendingCall: null })
    return { outcome: 'absent', message: 'TikTok did not publish the post: it will be published now.' }
  }
  if (post.pendingCall === 'tiktok.photo_init') {
    // The init may have gone through with its answer lost, and without its publish id TikTok cannot be asked.
    return { outcome: 'unknown', message: 'TikTok gave no publish id for this photo post, so Greenlight cannot ask about it: check the account on TikTok; cancel the post if it is there, or verify again to post it.' }
  }
  await record({ pendingCall: null })
  return { outcome: 'absent', message: 'TikTok has no post for this request: it will be published now.' }
}

/**
 * The public link of a published post whose link could not be read right after publishing (the read is a safe
 * GET, tried again with each metrics pull until it answers).
 */
export async function readPlatformPermalink(context: StepContext): Promise<string | null> {
  const { post, meta, reportUsage } = context
  if (!post.platformPostId) return null
  if (post.platform === 'tiktok') {
    // TikTok's own share link when it lists the video (video.list), else the video's address on tiktok.com.
    const platformPostId = post.platformPostId
    const video = await queryVideos(context.tiktok, [platformPostId]).then(
      ([found]) => found,
      () => undefined,
    )
    return video?.shareUrl ?? tiktokPermalink(post.account.handle, platformPostId)
  }
  if (post.platform === 'instagram') {
    const media = await platformCall(() => getInstagramMedia(meta, post.platformPostId!))
    await reportUsage(media.usage)
    return media.permalink
  }
  const page = await platformCall(() => getPagePost(meta, post.platformPostId!))
  await reportUsage(page.usage)
  return page.permalinkUrl
}

/** The post's metrics now, in the snapshot's terms. */
export async function readPlatformMetrics(context: StepContext): Promise<{ views: number; reach: number | null; likes: number; comments: number; shares: number; saves: number | null; clicks: number | null } | null> {
  const { post, meta, tiktok, reportUsage } = context
  if (!post.platformPostId) return null
  if (post.platform === 'instagram') {
    const insights = await platformCall(() => getInstagramInsights(meta, post.platformPostId!))
    await reportUsage(insights.usage)
    const m = insights.metrics
    return { views: m.views ?? 0, reach: m.reach ?? null, likes: m.likes ?? 0, comments: m.comments ?? 0, shares: m.shares ?? 0, saves: m.saved ?? null, clicks: null }
  }
  if (post.platform === 'tiktok') {
    const [video] = await platformCall(() => queryVideos(tiktok, [post.platformPostId!]))
    if (!video) return null
    return { views: video.views, reach: null, likes: video.likes, comments: video.comments, shares: video.shares, saves: null, clicks: null }
  }
  const insights = await platformCall(() => getPagePostInsights(meta, post.platformPostId!))
  await reportUsage(insights.usage)
  return insights.metrics
}
