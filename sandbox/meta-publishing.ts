// The publishing half of the Meta stand-in: Instagram content publishing (media containers that process,
// finish, fail or expire; media_publish with its rolling 24-hour posting quota; the published media's permalink
// and insights) and Facebook Page posts (feed posts, scheduled posts, photos, reads, deletes, and the Page's
// list of published posts with Graph's cursor paging). It keeps the Graph API's rules and error codes so the
// real publishing client meets them offline, and a log of every publish attempt so tests can tell that
// something was published exactly once. Time is the instance's now().
import { createHash } from 'node:crypto'

/** A Graph API error as the stand-in answers it ({"error":{message,type,code,error_subcode,is_transient,fbtrace_id}}). */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly subcode: number | null = null,
    readonly type = 'OAuthException',
    readonly isTransient = false,
    /** For throttles and quotas: when the caller may come back, sent as estimated_time_to_regain_access. */
    readonly regainAccessMinutes: number | null = null,
    /** Shown to people by Graph's clients (error_user_msg). */
    readonly userMessage: string | null = null,
  ) {
    super(message)
  }
}

/** Who a valid access token speaks for: the Pages it may act on, and what was granted. */
export interface GraphCaller {
  kind: 'user' | 'page'
  /** For a Page token, its Page; for a user token, the Pages shared with the app. */
  pageIds: string[]
  scopes: string[]
}

export interface MetaPublishingPage {
  id: string
  instagram: { id: string } | null
}

export interface MetaPublishingConfig {
  /** How long a new container stays IN_PROGRESS before it is FINISHED. */
  containerProcessingMs: number
  /** Instagram API posts allowed per account per rolling 24 hours (Meta's pages say 50 or 100). */
  instagramQuotaTotal: number
  /**
   * How many of the next new containers fail processing: once their processing time is over they are in ERROR
   * with -1/2207053 (Instagram's "unknown upload error": upload the media again in a new container).
   */
  failNextContainers: number
}

/** What configure({ reset: true }) accepts besides the settings: back to how the instance started. */
export type MetaPublishingConfigChanges = Partial<MetaPublishingConfig> & { reset?: boolean }

const DEFAULT_CONFIG: MetaPublishingConfig = { containerProcessingMs: 2_000, instagramQuotaTotal: 50, failNextContainers: 0 }
const CONTAINER_FAILURE = { code: -1, subcode: 2207053 } as const

const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS
const CONTAINER_LIFETIME_MS = DAY_MS
const QUOTA_DURATION_SECONDS = 86_400
const CAPTION_MAX_CHARS = 2_200
const CAPTION_MAX_HASHTAGS = 30
const CAPTION_MAX_MENTIONS = 20
const SCHEDULE_MIN_AHEAD_MS = 10 * MINUTE_MS
const SCHEDULE_MAX_AHEAD_MS = 30 * DAY_MS
const POST_LIST_LIMIT_DEFAULT = 25
const POST_LIST_LIMIT_MAX = 100
/** The fields a Page post in a list can be read with; Graph answers created_time, message and id unless asked. */
const POST_LIST_FIELDS = ['id', 'message', 'created_time', 'permalink_url', 'is_published'] as const
const POST_LIST_DEFAULT_FIELDS = ['created_time', 'message', 'id']

/** Metrics Graph still serves for IG media (impressions, plays and video_views are gone since April 2025). */
/** Page post insights served (the families removed in November 2025 are refused as unknown). */
export const PAGE_POST_METRICS = ['post_media_view', 'post_total_media_view_unique', 'post_reactions_by_type_total', 'post_clicks'] as const
type PagePostMetric = (typeof PAGE_POST_METRICS)[number]

export const INSTAGRAM_MEDIA_METRICS = ['reach', 'likes', 'comments', 'saved', 'shares', 'total_interactions', 'views'] as const
type InstagramMediaMetric = (typeof INSTAGRAM_MEDIA_METRICS)[number]

type ContainerStatusCode = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED'

interface Container {
  id: string
  igUserId: string
  mediaType: 'IMAGE' | 'REELS'
  mediaUrl: string
  caption: string
  createdAt: number
  processingMs: number
  /** Set through the control API: a processing failure with Graph's code/subcode, or an early expiry. */
  forced: { status: 'ERROR'; code: number; subcode: number } | { status: 'EXPIRED' } | null
  /** Chosen at creation (config.failNextContainers): processing ends in this error instead of FINISHED. */
  processingFailure: { code: number; subcode: number } | null
  mediaId: string | null
}

interface InstagramMedia {
  id: string
  igUserId: string
  containerId: string
  mediaType: 'IMAGE' | 'REELS'
  caption: string
  publishedAt: number
  shortcode: string
}

interface PagePost {
  id: string
  pageId: string
  kind: 'feed' | 'photo' | 'video'
  photoId: string | null
  message: string
  link: string | null
  createdAt: number
  /** When a scheduled post goes live; null for a post published at once. */
  scheduledFor: number | null
  deleted: boolean
}

/** One publish attempt (media_publish, feed, photos), whatever its outcome. */
export interface PublishLogEntry {
  at: string
  platform: 'instagram' | 'facebook'
  /** The IG user or Page id the call was made on. */
  account: string
  endpoint: 'media_publish' | 'feed' | 'photos' | 'videos'
  containerId: string | null
  outcome: 'published' | 'refused'
  /** The media id or post id created; null when refused. */
  createdId: string | null
  /** Graph's code/subcode when refused. */
  error: string | null
}

/** What a test or demo can read and change directly, in process. */
export interface MetaPublishingControl {
  readonly config: MetaPublishingConfig
  publishLog(): PublishLogEntry[]
  /** The publishes that created something, for "published exactly once" checks. */
  createdPublishes(): PublishLogEntry[]
  failContainer(containerId: string, subcode?: number, code?: number): void
  expireContainer(containerId: string): void
  setInstagramQuota(igUserId: string | null, quotaTotal: number): void
  /** Changes the settings; `reset: true` first restores those the instance started with and drops per-account quotas. */
  configure(changes: MetaPublishingConfigChanges): MetaPublishingConfig
}

/** Where a list's paging links point: the versioned Graph base and the call's own query string. */
export interface GraphLinks {
  /** Scheme and host the call came to, for permalinks. */
  origin: string
  /** e.g. http://127.0.0.1:3010/meta/v24.0 */
  graphBase: string
  /** The query string of the call (not its body or headers), which paging.next repeats with a new cursor. */
  query: URLSearchParams
}

const formatGraphTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000')

/** A number in [0, 1) fixed by the text: deterministic "randomness" for insights. */
function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32
}

const unsupported = (method: string, id: string) =>
  new GraphError(
    400,
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    33,
    'GraphMethodException',
  )

export function createMetaPublishing(options: { pages: MetaPublishingPage[]; now: () => number; config?: Partial<MetaPublishingConfig> }) {
  const { pages, now } = options
  const initialConfig: MetaPublishingConfig = { ...DEFAULT_CONFIG, ...options.config }
  const config: MetaPublishingConfig = { ...initialConfig }
  const containers = new Map<string, Container>()
  const media = new Map<string, InstagramMedia>()
  const posts = new Map<string, PagePost>()
  const photoPosts = new Map<string, string>()
  const publishTimes = new Map<string, number[]>()
  const quotaOverrides = new Map<string, number>()
  const log: PublishLogEntry[] = []
  // Graph ids are numeric strings of 15 to 17 digits; each kind of object has its own range here.
  let sequence = 0
  const nextId = (base: bigint) => String(base + BigInt(++sequence))

  const pageOfInstagram = (igUserId: string) => pages.find((page) => page.instagram?.id === igUserId)
  const pageById = (pageId: string) => pages.find((page) => page.id === pageId)

  function containerStatus(container: Container): { code: ContainerStatusCode; status: string } {
    if (container.mediaId) return { code: 'PUBLISHED', status: 'Published: Media has been published.' }
    if (container.forced?.status === 'ERROR') return { code: 'ERROR', status: `Error: Media upload has failed with error code ${container.forced.subcode}` }
    if (container.forced?.status === 'EXPIRED' || now() >= container.createdAt + CONTAINER_LIFETIME_MS) {
      return { code: 'EXPIRED', status: 'Expired: The media container was not published within 24 hours.' }
    }
    if (now() < container.createdAt + container.processingMs) return { code: 'IN_PROGRESS', status: 'In Progress: Media is still being processed.' }
    if (container.processingFailure) return { code: 'ERROR', status: `Error: Media upload has failed with error code ${container.processingFailure.subcode}` }
    return { code: 'FINISHED', status: 'Finished: Media has been uploaded and it is ready to be published.' }
  }

  function quotaOf(igUserId: string) {
    const since = now() - QUOTA_DURATION_SECONDS * 1000
    const times = (publishTimes.get(igUserId) ?? []).filter((at) => at > since)
    publishTimes.set(igUserId, times)
    return { usage: times.length, total: quotaOverrides.get(igUserId) ?? config.instagramQuotaTotal, oldest: times[0] ?? null }
  }

  /** The Instagram account a caller may publish to, or Graph's "does not exist / missing permissions". */
  function instagramAccount(igUserId: string, caller: GraphCaller, method: string, write: boolean) {
    const page = pageOfInstagram(igUserId)
    if (!page || !caller.pageIds.includes(page.id)) throw unsupported(method, igUserId)
    if (write && !caller.scopes.includes('instagram_content_publish')) {
      throw new GraphError(403, 10, 'Application does not have permission for this action', 2207081, 'OAuthException', false, null, 'Greenlight was not allowed to publish to this Instagram account: reconnect it and grant content publishing.')
    }
    return page
  }

  /** A Page a caller may post to: Graph wants that Page's own token and pages_manage_posts. */
  function pageForPosting(pageId: string, caller: GraphCaller) {
    if (!pageById(pageId) || !caller.pageIds.includes(pageId)) throw unsupported('POST', pageId)
    if (caller.kind !== 'page' || !caller.scopes.includes('pages_manage_posts')) {
      throw new GraphError(403, 200, '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission', null)
    }
  }

  function checkCaption(caption: string) {
    const tooLong = [...caption].length > CAPTION_MAX_CHARS
    const hashtags = caption.match(/(^|\s)#[\p{L}\p{N}_]+/gu)?.length ?? 0
    const mentions = caption.match(/(^|\s)@[\w.]+/g)?.length ?? 0
    if (tooLong || hashtags > CAPTION_MAX_HASHTAGS || mentions > CAPTION_MAX_MENTIONS) {
      const why = tooLong
        ? `The caption is longer than ${CAPTION_MAX_CHARS} characters.`
        : hashtags > CAPTION_MAX_HASHTAGS
          ? `The caption has more than ${CAPTION_MAX_HASHTAGS} hashtags.`
          : `The caption tags more than ${CAPTION_MAX_MENTIONS} accounts.`
      throw new GraphError(400, 36004, 'Invalid parameter', 2207010, 'OAuthException', false, null, why)
    }
  }

  function mediaUrl(value: string | null, name: string): URL {
    let url: URL | null
    try {
      url = value ? new URL(value) : null
    } catch {
      url = null
    }
    if (!url || !/^https?:$/.test(url.protocol)) {
      throw new GraphError(400, 9004, 'The media could not be fetched from this uri', 2207052, 'OAuthException', false, null, `${name} must be a public http(s) URL.`)
    }
    return url
  }

  const extensionOf = (url: URL) => /\.([a-z0-9]+)$/i.exec(url.pathname)?.[1]?.toLowerCase() ?? null

  function createContainer(igUserId: string, params: URLSearchParams, caller: GraphCaller) {
    instagramAccount(igUserId, caller, 'POST', true)
    const mediaType = (params.get('media_type') ?? 'IMAGE').toUpperCase()
    const caption = params.get('caption') ?? ''
    let url: URL
    if (mediaType === 'IMAGE') {
      url = mediaUrl(params.get('image_url'), 'image_url')
      // The sandbox does not download media, so the file's extension stands for its content type; a URL
      // without one (a signed object URL, say) is taken as the JPEG the caller says it is.
      const extension = extensionOf(url)
      if (extension !== null && extension !== 'jpg' && extension !== 'jpeg') {
        throw new GraphError(400, 36001, 'Invalid parameter', 2207005, 'OAuthException', false, null, `Instagram takes JPEG images only; this image is .${extension}.`)
      }
    } else if (mediaType === 'REELS') {
      url = mediaUrl(params.get('video_url'), 'video_url')
      const extension = extensionOf(url)
      if (extension !== null && extension !== 'mp4' && extension !== 'mov') {
        throw new GraphError(400, 352, 'The video file you selected is in a format that we don\'t support.', 2207026, 'OAuthException', false, null, `Reels must be MP4 or MOV; this video is .${extension}.`)
      }
    } else {
      throw new GraphError(400, 100, `(#100) The sandbox supports media_type IMAGE (the default) and REELS, not ${mediaType}.`, null)
    }
    checkCaption(caption)
    const container: Container = {
      id: nextId(17_900_000_000_000_000n),
      igUserId,
      mediaType,
      mediaUrl: url.toString(),
      caption,
      createdAt: now(),
      // Videos take longer to process than images.
      processingMs: mediaType === 'REELS' ? config.containerProcessingMs * 3 : config.containerProcessingMs,
      forced: null,
      processingFailure: config.failNextContainers > 0 ? { ...CONTAINER_FAILURE } : null,
      mediaId: null,
    }
    if (container.processingFailure) config.failNextContainers -= 1
    containers.set(container.id, container)
    return { id: container.id }
  }

  function publishContainer(igUserId: string, params: URLSearchParams, caller: GraphCaller) {
    instagramAccount(igUserId, caller, 'POST', true)
    const creationId = params.get('creation_id')
    const entry = (outcome: PublishLogEntry['outcome'], createdId: string | null, error: string | null): PublishLogEntry => ({
      at: new Date(now()).toISOString(),
      platform: 'instagram',
      account: igUserId,
      endpoint: 'media_publish',
      containerId: creationId,
      outcome,
      createdId,
      error,
    })
    try {
      if (!creationId) throw new GraphError(400, 100, '(#100) The parameter creation_id is required', null)
      const container = containers.get(creationId)
      if (!container || container.igUserId !== igUserId) throw new GraphError(400, 24, 'The requested resource does not exist', 2207008, 'OAuthException', false, null, 'The media container was not found.')
      const { code } = containerStatus(container)
      // A container is single-use. Publishing it again is answered the way Graph answers a container it cannot
      // find (24/2207008), and nothing new is created: that is why a caller must GET the container's
      // status_code after an ambiguous failure instead of publishing again.
      if (code === 'PUBLISHED') throw new GraphError(400, 24, 'The requested resource does not exist', 2207008, 'OAuthException', false, null, 'This media container has already been published.')
      if (code === 'IN_PROGRESS') throw new GraphError(400, 9007, 'Media ID is not available', 2207027, 'OAuthException', false, null, 'The media is not ready for publishing, please wait for a moment.')
      if (code === 'EXPIRED') throw new GraphError(400, -2, 'The media has expired', 2207020, 'OAuthException', false, null, 'The media container expired: create a new one.')
      const failure = container.forced?.status === 'ERROR' ? container.forced : container.processingFailure
      if (code === 'ERROR' && failure) {
        throw new GraphError(400, failure.code, 'Media upload has failed', failure.subcode, 'OAuthException', failure.code === -1 || failure.code === -2)
      }
      const quota = quotaOf(igUserId)
      if (quota.usage >= quota.total) {
        const freesAt = (quota.oldest ?? now()) + QUOTA_DURATION_SECONDS * 1000
        throw new GraphError(400, 9, 'Application request limit reached', 2207042, 'OAuthException', false, Math.max(1, Math.ceil((freesAt - now()) / MINUTE_MS)), `You have reached the maximum of ${quota.total} posts per day.`)
      }
      const published: InstagramMedia = {
        id: nextId(17_950_000_000_000_000n),
        igUserId,
        containerId: container.id,
        mediaType: container.mediaType,
        caption: container.caption,
        publishedAt: now(),
        shortcode: createHash('sha256').update(container.id).digest('base64url').slice(0, 11),
      }
      media.set(published.id, published)
      container.mediaId = published.id
      publishTimes.set(igUserId, [...(publishTimes.get(igUserId) ?? []), now()])
      log.push(entry('published', published.id, null))
      return { id: published.id }
    } catch (error) {
      if (error instanceof GraphError) log.push(entry('refused', null, `${error.code}${error.subcode !== null ? `/${error.subcode}` : ''}`))
      throw error
    }
  }

  function publishingLimit(igUserId: string, params: URLSearchParams, caller: GraphCaller) {
    instagramAccount(igUserId, caller, 'GET', false)
    const fields = (params.get('fields') ?? 'quota_usage').split(',')
    const { usage, total } = quotaOf(igUserId)
    return {
      data: [
        {
          quota_usage: usage,
          ...(fields.includes('config') ? { config: { quota_total: total, quota_duration: QUOTA_DURATION_SECONDS } } : {}),
        },
      ],
    }
  }

  /** Insights that grow with the media's age, most of the reach in its first two days, fixed by its id. */
  function insightsOf(item: InstagramMedia, params: URLSearchParams) {
    const requested = (params.get('metric') ?? '').split(',').map((m) => m.trim()).filter(Boolean)
    const unknown = requested.find((metric) => !(INSTAGRAM_MEDIA_METRICS as readonly string[]).includes(metric))
    if (requested.length === 0 || unknown !== undefined) {
      throw new GraphError(400, 100, `(#100) metric[${Math.max(0, requested.indexOf(unknown ?? ''))}] must be one of the following values: ${INSTAGRAM_MEDIA_METRICS.join(', ')}`, 2108006)
    }
    const ageHours = Math.max(0, now() - item.publishedAt) / (60 * MINUTE_MS)
    const growth = 1 - Math.exp(-ageHours / 18)
    const seed = unitHash(item.id)
    const reach = Math.floor((800 + seed * 4_200) * growth)
    const likes = Math.floor(reach * (0.04 + seed * 0.03))
    const comments = Math.floor(reach * 0.006)
    const saved = Math.floor(reach * 0.01)
    const shares = Math.floor(reach * 0.008)
    const values: Record<InstagramMediaMetric, number> = {
      reach,
      likes,
      comments,
      saved,
      shares,
      total_interactions: likes + comments + saved + shares,
      views: Math.floor(reach * (item.mediaType === 'REELS' ? 1.8 : 1.3)),
    }
    return {
      data: requested.map((name) => ({
        name,
        period: 'lifetime',
        values: [{ value: values[name as InstagramMediaMetric] }],
        title: name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
        description: `Lifetime ${name.replace(/_/g, ' ')} of this media (sandbox figures).`,
        id: `${item.id}/insights/${name}/lifetime`,
      })),
    }
  }

  /**
   * GET /{post-id}/insights for a Page post: the metrics that replaced impressions in November 2025
   * (post_media_view, post_total_media_view_unique), reactions by type and clicks, growing with the post's age
   * like the Instagram figures.
   */
  function pagePostInsightsOf(post: PagePost, params: URLSearchParams) {
    const requested = (params.get('metric') ?? '').split(',').map((m) => m.trim()).filter(Boolean)
    const unknown = requested.find((metric) => !(PAGE_POST_METRICS as readonly string[]).includes(metric))
    if (requested.length === 0 || unknown !== undefined) {
      throw new GraphError(400, 100, `(#100) The value must be a valid insights metric: ${PAGE_POST_METRICS.join(', ')}`, null)
    }
    const ageHours = Math.max(0, now() - liveAt(post)) / (60 * MINUTE_MS)
    const growth = 1 - Math.exp(-ageHours / 12)
    const seed = unitHash(post.id)
    const reach = Math.floor((500 + seed * 2_500) * growth)
    const values: Record<PagePostMetric, unknown> = {
      post_total_media_view_unique: reach,
      post_media_view: Math.floor(reach * 1.4),
      post_reactions_by_type_total: { like: Math.floor(reach * (0.03 + seed * 0.02)), love: Math.floor(reach * 0.005) },
      post_clicks: Math.floor(reach * 0.02),
    }
    return {
      data: requested.map((name) => ({ name, period: 'lifetime', values: [{ value: values[name as PagePostMetric] }], id: `${post.id}/insights/${name}/lifetime` })),
    }
  }

  /** Comment and share counts a Page post's fields report (`comments.summary(true)`, `shares`). */
  function engagementFieldsOf(post: PagePost): { comments: number; shares: number } {
    const ageHours = Math.max(0, now() - liveAt(post)) / (60 * MINUTE_MS)
    const reach = Math.floor((500 + unitHash(post.id) * 2_500) * (1 - Math.exp(-ageHours / 12)))
    return { comments: Math.floor(reach * 0.004), shares: Math.floor(reach * 0.003) }
  }

  /** GET /{ig-user-id}/media: the account's published media, newest first, at most `limit` (25, max 100). */
  function listInstagramMedia(igUserId: string, params: URLSearchParams, caller: GraphCaller, origin: string) {
    instagramAccount(igUserId, caller, 'GET', false)
    const fields = (params.get('fields') ?? 'id').split(',').map((f) => f.trim())
    const requested = Number.parseInt(params.get('limit') ?? '', 10)
    const limit = Number.isNaN(requested) ? 25 : Math.min(Math.max(requested, 1), 100)
    const items = [...media.values()].filter((item) => item.igUserId === igUserId).sort((a, b) => b.publishedAt - a.publishedAt || (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
    return {
      data: items.slice(0, limit).map((item) =>
        Object.fromEntries(
          Object.entries({
            id: item.id,
            caption: item.caption,
            timestamp: formatGraphTime(item.publishedAt),
            permalink: `${origin}/meta/__sandbox/instagram/p/${item.shortcode}/`,
            media_type: item.mediaType === 'REELS' ? 'VIDEO' : 'IMAGE',
          }).filter(([key]) => key === 'id' || fields.includes(key)),
        ),
      ),
    }
  }

  function scheduledTime(value: string | null): number | null {
    if (value === null || value === '') return null
    const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value)
    if (Number.isNaN(ms)) throw new GraphError(400, 100, '(#100) Invalid parameter: scheduled_publish_time must be a UNIX timestamp or an ISO 8601 time.', null)
    return ms
  }

  function createPagePost(pageId: string, kind: 'feed' | 'photo' | 'video', params: URLSearchParams, caller: GraphCaller) {
    pageForPosting(pageId, caller)
    const entry = (outcome: PublishLogEntry['outcome'], createdId: string | null, error: string | null): PublishLogEntry => ({
      at: new Date(now()).toISOString(),
      platform: 'facebook',
      account: pageId,
      endpoint: kind === 'feed' ? 'feed' : kind === 'photo' ? 'photos' : 'videos',
      containerId: null,
      outcome,
      createdId,
      error,
    })
    try {
      const message = params.get(kind === 'photo' ? 'caption' : kind === 'video' ? 'description' : 'message') ?? params.get('message') ?? ''
      const link = kind === 'feed' ? params.get('link') : null
      const photoUrl = kind === 'photo' ? mediaUrl(params.get('url'), 'url').toString() : null
      let videoUrl: string | null = null
      if (kind === 'video') {
        // POST /{page-id}/videos with file_url: Facebook downloads the file (the sandbox reads its extension).
        const url = mediaUrl(params.get('file_url'), 'file_url')
        const extension = extensionOf(url)
        if (extension !== null && !['mp4', 'mov', 'm4v', 'webm'].includes(extension)) {
          throw new GraphError(400, 352, "The video file you selected is in a format that we don't support.", null, 'OAuthException', false, null, `Page videos must be MP4, MOV or WebM; this file is .${extension}.`)
        }
        videoUrl = url.toString()
      }
      if (kind === 'feed' && message === '' && !link) throw new GraphError(400, 100, '(#100) Posts must have at least a message or a link.', null)
      const published = (params.get('published') ?? 'true') !== 'false'
      const scheduledFor = scheduledTime(params.get('scheduled_publish_time'))
      if (scheduledFor !== null) {
        if (published) throw new GraphError(400, 100, '(#100) A scheduled post must be created with published=false.', null)
        if (scheduledFor < now() + SCHEDULE_MIN_AHEAD_MS || scheduledFor > now() + SCHEDULE_MAX_AHEAD_MS) {
          throw new GraphError(400, 100, '(#100) The specified scheduled publish time is invalid.', null, 'OAuthException', false, null, 'A scheduled post must be at least 10 minutes and at most 30 days ahead.')
        }
      }
      // Graph refuses the same status twice in a row on a Page (506); a photo is its own content.
      if (kind === 'feed') {
        const duplicate = [...posts.values()].some(
          (post) => post.pageId === pageId && post.kind === 'feed' && !post.deleted && post.message === message && post.link === link && now() - post.createdAt < DAY_MS,
        )
        if (duplicate) throw new GraphError(400, 506, 'Duplicate status message', null, 'OAuthException', false, null, 'This status update is identical to the last one you posted.')
      }
      // A video's post is named after the video: {page-id}_{video-id}.
      const videoId = kind === 'video' ? nextId(124_000_000_000_000n) : null
      const post: PagePost = {
        id: `${pageId}_${videoId ?? nextId(122_000_000_000_000n)}`,
        pageId,
        kind,
        photoId: kind === 'photo' ? nextId(123_000_000_000_000n) : videoId,
        message,
        link: link ?? photoUrl ?? videoUrl,
        createdAt: now(),
        scheduledFor,
        deleted: false,
      }
      posts.set(post.id, post)
      if (post.photoId) photoPosts.set(post.photoId, post.id)
      log.push(entry('published', post.id, null))
      return kind === 'photo' ? { id: post.photoId, post_id: post.id } : kind === 'video' ? { id: videoId } : { id: post.id }
    } catch (error) {
      if (error instanceof GraphError) log.push(entry('refused', null, `${error.code}${error.subcode !== null ? `/${error.subcode}` : ''}`))
      throw error
    }
  }

  function postOwnedBy(postId: string, caller: GraphCaller, method: string): PagePost {
    const post = posts.get(postId) ?? posts.get(photoPosts.get(postId) ?? '')
    if (!post || post.deleted || !caller.pageIds.includes(post.pageId)) throw unsupported(method, postId)
    return post
  }

  function readObject(id: string, params: URLSearchParams, caller: GraphCaller, origin: string): Record<string, unknown> {
    // Field modifiers such as comments.summary(true) name the field before the first dot.
    const fields = (params.get('fields') ?? 'id').split(',').map((f) => f.trim().split('.')[0]!)
    const pick = (all: Record<string, unknown>) => Object.fromEntries(Object.entries(all).filter(([key]) => key === 'id' || fields.includes(key)))
    const container = containers.get(id)
    if (container) {
      instagramAccount(container.igUserId, caller, 'GET', false)
      const { code, status } = containerStatus(container)
      return pick({ id, status_code: code, status, ...(container.mediaId ? { media_id: container.mediaId } : {}) })
    }
    const item = media.get(id)
    if (item) {
      instagramAccount(item.igUserId, caller, 'GET', false)
      return pick({
        id,
        caption: item.caption,
        media_type: item.mediaType === 'REELS' ? 'VIDEO' : 'IMAGE',
        media_product_type: item.mediaType === 'REELS' ? 'REELS' : 'FEED',
        permalink: `${origin}/meta/__sandbox/instagram/p/${item.shortcode}/`,
        shortcode: item.shortcode,
        timestamp: formatGraphTime(item.publishedAt),
      })
    }
    const post = postOwnedBy(id, caller, 'GET')
    const engagement = engagementFieldsOf(post)
    return pick({
      ...pagePostFields(post, origin),
      id,
      shares: { count: engagement.shares },
      comments: { data: [], summary: { total_count: engagement.comments, can_comment: true } },
      ...(post.scheduledFor !== null ? { scheduled_publish_time: Math.floor(post.scheduledFor / 1000) } : {}),
    })
  }

  /** When a Page post is (or will be) live: its scheduled time, or when it was made. */
  const liveAt = (post: PagePost) => post.scheduledFor ?? post.createdAt
  const isLive = (post: PagePost) => post.scheduledFor === null || post.scheduledFor <= now()

  function pagePostFields(post: PagePost, origin: string): Record<string, unknown> {
    return {
      id: post.id,
      // Graph leaves out a field a post has no value for (a photo without a caption has no message).
      ...(post.message !== '' ? { message: post.message } : {}),
      permalink_url: `${origin}/meta/__sandbox/facebook/${post.pageId}/posts/${post.id.split('_')[1]}`,
      created_time: formatGraphTime(liveAt(post)),
      is_published: isLive(post),
    }
  }

  /** A Page whose posts a caller may list: Graph wants that Page's own token and pages_read_engagement. */
  function pageForReading(pageId: string, caller: GraphCaller) {
    if (!pageById(pageId) || !caller.pageIds.includes(pageId)) throw unsupported('GET', pageId)
    if (caller.kind !== 'page') throw new GraphError(400, 210, '(#210) A page access token is required to request this resource.', null)
    if (!caller.scopes.includes('pages_read_engagement')) {
      throw new GraphError(403, 10, "(#10) This endpoint requires the 'pages_read_engagement' permission or the 'Page Public Content Access' feature.", null)
    }
  }

  function listTime(value: string | null, name: string): number | null {
    if (value === null || value === '') return null
    const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value)
    if (Number.isNaN(ms)) throw new GraphError(400, 100, `(#100) The parameter ${name} must be a UNIX timestamp or a date and time.`, null)
    return ms
  }

  // A cursor names the post it stands for by its place in the list (live time, then id), so a page that
  // follows one stays right when newer posts arrive meanwhile.
  const cursorOf = (post: PagePost) => Buffer.from(`${liveAt(post)}:${post.id}`).toString('base64url')
  const sequenceOf = (post: PagePost) => BigInt(post.id.split('_')[1] ?? '0')
  /** Newest first: later live time first; for the same time, the later post first. */
  function newestFirst(a: { at: number; seq: bigint }, b: { at: number; seq: bigint }): number {
    if (a.at !== b.at) return b.at - a.at
    return a.seq === b.seq ? 0 : a.seq < b.seq ? 1 : -1
  }
  function cursorPlace(cursor: string, name: string): { at: number; seq: bigint } {
    const match = /^(\d+):\d+_(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())
    if (!match) throw new GraphError(400, 100, `(#100) The ${name} cursor is not valid.`, null)
    return { at: Number(match[1]), seq: BigInt(match[2]!) }
  }

  /**
   * GET /{page-id}/published_posts (and /feed, the same list here: the sandbox has no visitor posts): the
   * Page's live posts, newest first, `limit` (25, at most 100) at a time, from `since` / to `until`, with
   * cursor paging. Scheduled posts join the list once their time has come.
   */
  function listPagePosts(pageId: string, edge: string, params: URLSearchParams, caller: GraphCaller, links: GraphLinks) {
    pageForReading(pageId, caller)
    const fields = (params.get('fields') ?? POST_LIST_DEFAULT_FIELDS.join(',')).split(',').map((f) => f.trim()).filter(Boolean)
    const unknown = fields.find((field) => !(POST_LIST_FIELDS as readonly string[]).includes(field))
    if (unknown !== undefined) throw new GraphError(400, 100, `(#100) Tried accessing nonexisting field (${unknown}) on node type (PagePost)`, null)
    const requested = Number.parseInt(params.get('limit') ?? '', 10)
    const limit = Number.isNaN(requested) ? POST_LIST_LIMIT_DEFAULT : Math.min(Math.max(requested, 1), POST_LIST_LIMIT_MAX)
    const since = listTime(params.get('since'), 'since')
    const until = listTime(params.get('until'), 'until')
    const listed = [...posts.values()]
      .filter((post) => post.pageId === pageId && !post.deleted && isLive(post))
      .filter((post) => (since === null || liveAt(post) >= since) && (until === null || liveAt(post) <= until))
      .map((post) => ({ post, at: liveAt(post), seq: sequenceOf(post) }))
      .sort(newestFirst)
    const after = params.get('after')
    const before = params.get('before')
    let slice: typeof listed
    let hasOlder: boolean
    let hasNewer: boolean
    if (before) {
      const place = cursorPlace(before, 'before')
      const newer = listed.filter((entry) => newestFirst(entry, place) < 0)
      slice = newer.slice(-limit)
      hasNewer = newer.length > slice.length
      hasOlder = true
    } else {
      const place = after ? cursorPlace(after, 'after') : null
      const older = place ? listed.filter((entry) => newestFirst(entry, place) > 0) : listed
      slice = older.slice(0, limit)
      hasOlder = older.length > slice.length
      hasNewer = place !== null
    }
    const data = slice.map(({ post }) => {
      const all = pagePostFields(post, links.origin)
      return Object.fromEntries(Object.entries(all).filter(([key]) => key === 'id' || fields.includes(key)))
    })
    const first = slice[0]
    const last = slice.at(-1)
    if (!first || !last) return { data }
    const link = (cursor: 'after' | 'before', value: string) => {
      const query = new URLSearchParams(links.query)
      query.delete('after')
      query.delete('before')
      query.set(cursor, value)
      return `${links.graphBase}/${pageId}/${edge}?${query}`
    }
    return {
      data,
      paging: {
        cursors: { before: cursorOf(first.post), after: cursorOf(last.post) },
        ...(hasNewer ? { previous: link('before', cursorOf(first.post)) } : {}),
        ...(hasOlder ? { next: link('after', cursorOf(last.post)) } : {}),
      },
    }
  }

  const control: MetaPublishingControl = {
    config,
    publishLog: () => log.map((entry) => ({ ...entry })),
    createdPublishes: () => log.filter((entry) => entry.outcome === 'published').map((entry) => ({ ...entry })),
    failContainer(containerId, subcode = 2207053, code = -1) {
      const container = containers.get(containerId)
      if (!container) throw new Error(`no container ${containerId}`)
      container.forced = { status: 'ERROR', code, subcode }
    },
    expireContainer(containerId) {
      const container = containers.get(containerId)
      if (!container) throw new Error(`no container ${containerId}`)
      container.forced = { status: 'EXPIRED' }
    },
    setInstagramQuota(igUserId, quotaTotal) {
      if (igUserId === null) config.instagramQuotaTotal = quotaTotal
      else quotaOverrides.set(igUserId, quotaTotal)
    },
    configure(changes) {
      if (changes.reset === true) {
        Object.assign(config, initialConfig)
        quotaOverrides.clear()
      }
      for (const key of ['containerProcessingMs', 'instagramQuotaTotal', 'failNextContainers'] as const) {
        const value = changes[key]
        if (typeof value === 'number' && value >= 0) config[key] = Math.floor(value)
      }
      return { ...config }
    },
  }

  return {
    control,

    /** The IG account or Page a Graph path acts on (for per-account faults and usage headers), if any. */
    accountOf(rest: string): { id: string; type: 'instagram' | 'pages' } | null {
      const id = rest.split('/')[1] ?? ''
      if (pageOfInstagram(id)) return { id, type: 'instagram' }
      if (pageById(id)) return { id, type: 'pages' }
      const owner = containers.get(id)?.igUserId ?? media.get(id)?.igUserId
      if (owner) return { id: owner, type: 'instagram' }
      const post = posts.get(id) ?? posts.get(photoPosts.get(id) ?? '')
      return post ? { id: post.pageId, type: 'pages' } : null
    },

    /** Answers a publishing call, or undefined when the path is not one of them. */
    route(method: string, rest: string, params: URLSearchParams, caller: () => GraphCaller, links: GraphLinks): unknown {
      const { origin } = links
      const [, id = '', edge, extra] = rest.split('/')
      if (extra !== undefined || !/^[0-9_]+$/.test(id)) return undefined
      if (method === 'GET' && (edge === 'published_posts' || edge === 'feed')) return listPagePosts(id, edge, params, caller(), links)
      if (method === 'POST' && edge === 'media') return createContainer(id, params, caller())
      if (method === 'POST' && edge === 'media_publish') return publishContainer(id, params, caller())
      if (method === 'GET' && edge === 'content_publishing_limit') return publishingLimit(id, params, caller())
      if (method === 'POST' && edge === 'feed') return createPagePost(id, 'feed', params, caller())
      if (method === 'POST' && edge === 'photos') return createPagePost(id, 'photo', params, caller())
      if (method === 'POST' && edge === 'videos') return createPagePost(id, 'video', params, caller())
      if (method === 'GET' && edge === 'media' && pageOfInstagram(id)) return listInstagramMedia(id, params, caller(), origin)
      if (method === 'GET' && edge === 'insights' && !media.has(id) && (posts.has(id) || photoPosts.has(id))) {
        const post = postOwnedBy(id, caller(), 'GET')
        return pagePostInsightsOf(post, params)
      }
      if (method === 'GET' && edge === 'insights') {
        const item = media.get(id)
        if (!item) return undefined
        instagramAccount(item.igUserId, caller(), 'GET', false)
        return insightsOf(item, params)
      }
      if (edge !== undefined) return undefined
      const known = containers.has(id) || media.has(id) || posts.has(id) || photoPosts.has(id)
      if (!known) return undefined
      if (method === 'GET') return readObject(id, params, caller(), origin)
      if (method === 'DELETE') {
        if (containers.has(id) || media.has(id)) throw new GraphError(400, 100, '(#100) Instagram media cannot be deleted through the API.', null)
        const post = postOwnedBy(id, caller(), 'DELETE')
        post.deleted = true
        return { success: true }
      }
      return undefined
    },

    /** The sandbox page a permalink leads to, or null when there is no such post. */
    permalinkPage(path: string): { title: string; text: string } | null {
      const instagram = /^\/instagram\/p\/([\w-]+)\/?$/.exec(path)
      if (instagram) {
        const item = [...media.values()].find((m) => m.shortcode === instagram[1])
        return item ? { title: `Instagram post ${item.id}`, text: item.caption || '(no caption)' } : null
      }
      const facebook = /^\/facebook\/(\d+)\/posts\/(\d+)$/.exec(path)
      if (facebook) {
        const post = posts.get(`${facebook[1]}_${facebook[2]}`)
        return post && !post.deleted ? { title: `Facebook post ${post.id}`, text: post.message || post.link || '(no text)' } : null
      }
      return null
    },

    snapshot() {
      const quotas = Object.fromEntries(pages.filter((page) => page.instagram).map((page) => [page.instagram!.id, quotaOf(page.instagram!.id)]))
      return {
        config,
        /** The settings the instance started with, which configure({ reset: true }) restores. */
        defaults: { ...initialConfig },
        quotaOverrides: Object.fromEntries(quotaOverrides),
        containers: containers.size,
        media: media.size,
        pagePosts: posts.size,
        quotas,
        publishLog: log,
      }
    },
  }
}

export type MetaPublishing = ReturnType<typeof createMetaPublishing>
