// Publishing to Instagram (content publishing: container, status, media_publish, posting limit, permalink,
// insights) and to Facebook Pages (feed and photo posts, and the Page's recent posts, to find out whether a post
// whose answer was lost went out) through the Graph API. Each call has a timeout, answers
// a typed result with Graph's usage (for per-account throttling), and fails with a MetaPublishingError whose
// PlatformFailure says what to do (classifyGraphError in ./errors). Nothing here retries: media_publish is not
// idempotent, so the caller decides, after checking the container's status_code, whether a call may be made
// again. The token travels in the Authorization header, never in a URL that could be logged.
import type { OAuthSettings } from '../../../platform/config'
import { classifyGraphError, graphErrorFields, MetaPublishingError, parseGraphUsage, readGraphBody, type GraphUsage } from './errors'

export interface GraphTarget {
  /** The versioned Graph base, e.g. https://graph.facebook.com/v24.0 (see metaGraphBaseUrl). */
  baseUrl: string
  /** A Page access token (Instagram publishes with its linked Page's token). */
  accessToken: string
  /** Per request; 15 s unless said. */
  timeoutMs?: number
  fetchImpl?: typeof fetch
}

/** How long a Graph call may take before it counts as unanswered (and a write as ambiguous), unless a target says. */
export const GRAPH_REQUEST_TIMEOUT_MS = 15_000

/** The versioned Graph base URL from the Meta settings (the sandbox stand-in or graph.facebook.com). */
export function metaGraphBaseUrl(settings: Pick<OAuthSettings['meta'], 'graphBaseUrl' | 'graphVersion'>): string {
  return `${settings.graphBaseUrl.replace(/\/+$/, '')}/${settings.graphVersion}`
}

type Params = Record<string, string | number | boolean | undefined | null>

async function graphCall<T>(target: GraphTarget, method: 'GET' | 'POST' | 'DELETE', path: string, params: Params = {}): Promise<{ body: T; usage: GraphUsage }> {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null) search.set(key, String(value))
  const url = `${target.baseUrl.replace(/\/+$/, '')}${path}${method === 'GET' && search.size > 0 ? `?${search}` : ''}`
  const timeoutMs = target.timeoutMs ?? GRAPH_REQUEST_TIMEOUT_MS
  // A create or publish that got no clear answer may still have happened on Meta's side.
  const sideEffect = method !== 'GET'
  let response: Response
  try {
    response = await (target.fetchImpl ?? fetch)(url, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${target.accessToken}`,
        ...(method === 'GET' ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(method === 'GET' ? {} : { body: search.toString() }),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)
    const usage = parseGraphUsage(null)
    throw new MetaPublishingError(classifyGraphError(0, { error: { message: reason } }, null), 0, null, usage, sideEffect)
  }
  const usage = parseGraphUsage(response.headers)
  const body = await readGraphBody(response)
  const fields = graphErrorFields(body)
  if (!response.ok || fields.code !== undefined) {
    throw new MetaPublishingError(classifyGraphError(response.status, body, response.headers), response.status, fields.fbtrace_id ?? null, usage, sideEffect && response.status >= 500)
  }
  return { body: body as T, usage }
}

function requireString(value: unknown, what: string, status: number, usage: GraphUsage): string {
  if (typeof value === 'string' && value !== '') return value
  throw new MetaPublishingError(
    { kind: 'retryable', code: 'malformed_answer', message: `Meta answered without ${what}. Checking again.`, retryAfterMs: null },
    status,
    null,
    usage,
    true,
  )
}

// ---- Instagram ---------------------------------------------------------------------------------------

export type InstagramContainerInput =
  | { kind: 'image'; imageUrl: string; caption?: string; altText?: string }
  | { kind: 'reel'; videoUrl: string; caption?: string; coverUrl?: string; shareToFeed?: boolean }

export type InstagramContainerStatusCode = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED'

/** Creates a media container (Instagram downloads and processes the media); publish it once FINISHED. */
export async function createInstagramContainer(target: GraphTarget, igUserId: string, input: InstagramContainerInput): Promise<{ containerId: string; usage: GraphUsage }> {
  const params: Params =
    input.kind === 'image'
      ? { image_url: input.imageUrl, caption: input.caption, alt_text: input.altText }
      : { media_type: 'REELS', video_url: input.videoUrl, caption: input.caption, cover_url: input.coverUrl, share_to_feed: input.shareToFeed }
  const { body, usage } = await graphCall<{ id?: unknown }>(target, 'POST', `/${encodeURIComponent(igUserId)}/media`, params)
  return { containerId: requireString(body.id, 'a container id', 200, usage), usage }
}

/** A container's state; on ERROR, the subcode Instagram put in `status` says why. */
export async function getContainerStatus(
  target: GraphTarget,
  containerId: string,
): Promise<{ containerId: string; statusCode: InstagramContainerStatusCode; status: string | null; errorSubcode: number | null; usage: GraphUsage }> {
  const { body, usage } = await graphCall<{ status_code?: unknown; status?: unknown }>(target, 'GET', `/${encodeURIComponent(containerId)}`, { fields: 'status_code,status' })
  const statusCode = requireString(body.status_code, 'a status_code', 200, usage) as InstagramContainerStatusCode
  const status = typeof body.status === 'string' ? body.status : null
  const subcode = status ? /\b(2207\d{3})\b/.exec(status)?.[1] : undefined
  return { containerId, statusCode, status, errorSubcode: subcode ? Number(subcode) : null, usage }
}

/**
 * Publishes a FINISHED container. Not idempotent: after a failure marked `ambiguous`, read the container's
 * status_code (PUBLISHED means it went out) instead of calling this again.
 */
export async function publishInstagramContainer(target: GraphTarget, igUserId: string, containerId: string): Promise<{ mediaId: string; usage: GraphUsage }> {
  const { body, usage } = await graphCall<{ id?: unknown }>(target, 'POST', `/${encodeURIComponent(igUserId)}/media_publish`, { creation_id: containerId })
  return { mediaId: requireString(body.id, 'a media id', 200, usage), usage }
}

/** The account's API posts in the rolling window, and the window's allowance. */
export async function getInstagramPublishingLimit(
  target: GraphTarget,
  igUserId: string,
): Promise<{ quotaUsage: number; quotaTotal: number | null; quotaDurationSeconds: number | null; usage: GraphUsage }> {
  type LimitRow = { quota_usage?: number; config?: { quota_total?: number; quota_duration?: number } }
  const { body, usage } = await graphCall<{ data?: LimitRow[] }>(target, 'GET', `/${encodeURIComponent(igUserId)}/content_publishing_limit`, { fields: 'quota_usage,config' })
  const row = body.data?.[0] ?? {}
  return { quotaUsage: row.quota_usage ?? 0, quotaTotal: row.config?.quota_total ?? null, quotaDurationSeconds: row.config?.quota_duration ?? null, usage }
}

/** A published media's public link and publication time. */
export async function getInstagramMedia(target: GraphTarget, mediaId: string): Promise<{ mediaId: string; permalink: string; publishedAt: Date; usage: GraphUsage }> {
  const { body, usage } = await graphCall<{ permalink?: unknown; timestamp?: unknown }>(target, 'GET', `/${encodeURIComponent(mediaId)}`, { fields: 'permalink,timestamp' })
  const permalink = requireString(body.permalink, 'a permalink', 200, usage)
  return { mediaId, permalink, publishedAt: new Date(requireString(body.timestamp, 'a timestamp', 200, usage)), usage }
}

/** The lifetime metrics Graph still serves for IG media (impressions, plays and video_views were retired in 2025). */
export const INSTAGRAM_INSIGHT_METRICS = ['reach', 'likes', 'comments', 'saved', 'shares', 'total_interactions', 'views'] as const
export type InstagramInsightMetric = (typeof INSTAGRAM_INSIGHT_METRICS)[number]

/** Lifetime insights of a media; a metric Graph has no data for yet is left out. */
export async function getInstagramInsights(
  target: GraphTarget,
  mediaId: string,
  metrics: readonly InstagramInsightMetric[] = INSTAGRAM_INSIGHT_METRICS,
): Promise<{ mediaId: string; metrics: Partial<Record<InstagramInsightMetric, number>>; usage: GraphUsage }> {
  type InsightRow = { name?: string; values?: { value?: unknown }[] }
  const { body, usage } = await graphCall<{ data?: InsightRow[] }>(target, 'GET', `/${encodeURIComponent(mediaId)}/insights`, { metric: metrics.join(',') })
  const values: Partial<Record<InstagramInsightMetric, number>> = {}
  for (const row of body.data ?? []) {
    const value = row.values?.[0]?.value
    if (row.name && (metrics as readonly string[]).includes(row.name) && typeof value === 'number') values[row.name as InstagramInsightMetric] = value
  }
  return { mediaId, metrics: values, usage }
}

// ---- Facebook Pages ----------------------------------------------------------------------------------

export type PagePostInput =
  | { kind: 'feed'; message?: string; link?: string; scheduledAt?: Date }
  | { kind: 'photo'; url: string; caption?: string; scheduledAt?: Date }

/**
 * Posts to a Page's feed, or a photo. With `scheduledAt` (10 minutes to 30 days ahead) Meta holds the post and
 * publishes it then. Answers the post id ({page}_{post}) and, for a photo, the photo id.
 */
export async function publishPagePost(target: GraphTarget, pageId: string, input: PagePostInput): Promise<{ postId: string; photoId: string | null; usage: GraphUsage }> {
  const schedule: Params = input.scheduledAt ? { published: false, scheduled_publish_time: Math.floor(input.scheduledAt.getTime() / 1000) } : {}
  if (input.kind === 'feed') {
    const { body, usage } = await graphCall<{ id?: unknown }>(target, 'POST', `/${encodeURIComponent(pageId)}/feed`, { message: input.message, link: input.link, ...schedule })
    return { postId: requireString(body.id, 'a post id', 200, usage), photoId: null, usage }
  }
  const { body, usage } = await graphCall<{ id?: unknown; post_id?: unknown }>(target, 'POST', `/${encodeURIComponent(pageId)}/photos`, { url: input.url, caption: input.caption, ...schedule })
  return { postId: requireString(body.post_id, 'a post id', 200, usage), photoId: requireString(body.id, 'a photo id', 200, usage), usage }
}

/**
 * Posts a video to a Page from a URL Facebook downloads (`file_url`), with its description. Answers the video id
 * and the post it makes ({page}_{video}).
 */
export async function publishPageVideo(target: GraphTarget, pageId: string, input: { fileUrl: string; description?: string }): Promise<{ videoId: string; postId: string; usage: GraphUsage }> {
  const { body, usage } = await graphCall<{ id?: unknown }>(target, 'POST', `/${encodeURIComponent(pageId)}/videos`, { file_url: input.fileUrl, description: input.description })
  const videoId = requireString(body.id, 'a video id', 200, usage)
  return { videoId, postId: `${pageId}_${videoId}`, usage }
}

/** A Page post's public link and creation time. */
export async function getPagePost(target: GraphTarget, postId: string): Promise<{ postId: string; permalinkUrl: string; createdAt: Date; usage: GraphUsage }> {
  const { body, usage } = await graphCall<{ permalink_url?: unknown; created_time?: unknown }>(target, 'GET', `/${encodeURIComponent(postId)}`, { fields: 'permalink_url,created_time' })
  return {
    postId,
    permalinkUrl: requireString(body.permalink_url, 'a permalink_url', 200, usage),
    createdAt: new Date(requireString(body.created_time, 'a created_time', 200, usage)),
    usage,
  }
}

export interface PagePostSummary {
  postId: string
  /** null for a post without text (a photo without a caption, a bare link). */
  message: string | null
  createdAt: Date
  permalinkUrl: string
}

/** Pages of the list followed at most: enough to find a post made minutes ago on a busy Page, and bounded. */
const PAGE_POST_LIST_MAX_PAGES = 3

/**
 * The Page's published posts, newest first: `limit` per page of Graph's list (25 unless said, at most 100),
 * following the `after` cursor for up to three pages, only those created at or after `since`. Scheduled posts
 * appear once they are live. Used to find out whether a post whose answer was lost went out. `usage` is the
 * last answer's.
 */
export async function listPagePosts(
  target: GraphTarget,
  pageId: string,
  options: { since?: Date; limit?: number } = {},
): Promise<{ posts: PagePostSummary[]; usage: GraphUsage }> {
  type PostRow = { id?: unknown; message?: unknown; created_time?: unknown; permalink_url?: unknown }
  type ListAnswer = { data?: PostRow[]; paging?: { cursors?: { after?: unknown }; next?: unknown } }
  const limit = Math.min(Math.max(Math.floor(options.limit ?? 25), 1), 100)
  const params: Params = {
    fields: 'id,message,created_time,permalink_url',
    limit,
    since: options.since ? Math.floor(options.since.getTime() / 1000) : undefined,
  }
  const posts: PagePostSummary[] = []
  let usage = parseGraphUsage(null)
  let after: string | undefined
  for (let page = 0; page < PAGE_POST_LIST_MAX_PAGES; page++) {
    const answer = await graphCall<ListAnswer>(target, 'GET', `/${encodeURIComponent(pageId)}/published_posts`, { ...params, after })
    usage = answer.usage
    for (const row of answer.body.data ?? []) {
      posts.push({
        postId: requireString(row.id, 'a post id', 200, usage),
        message: typeof row.message === 'string' ? row.message : null,
        createdAt: new Date(requireString(row.created_time, 'a created_time', 200, usage)),
        permalinkUrl: requireString(row.permalink_url, 'a permalink_url', 200, usage),
      })
    }
    // Graph says there is more with paging.next; the cursor, not the URL, is followed so the token stays in a header.
    const cursor = answer.body.paging?.cursors?.after
    if (typeof answer.body.paging?.next !== 'string' || typeof cursor !== 'string' || cursor === '') break
    after = cursor
  }
  return { posts, usage }
}

/** The account's recent media, newest first: how a publication whose answer was lost is found again. */
export async function listInstagramMedia(
  target: GraphTarget,
  igUserId: string,
  options: { limit?: number } = {},
): Promise<{ media: { mediaId: string; caption: string; publishedAt: Date; permalink: string | null }[]; usage: GraphUsage }> {
  type MediaRow = { id?: unknown; caption?: unknown; timestamp?: unknown; permalink?: unknown }
  const { body, usage } = await graphCall<{ data?: MediaRow[] }>(target, 'GET', `/${encodeURIComponent(igUserId)}/media`, { fields: 'id,caption,timestamp,permalink', limit: options.limit ?? 25 })
  const media = (body.data ?? []).flatMap((row) =>
    typeof row.id === 'string' && typeof row.timestamp === 'string'
      ? [{ mediaId: row.id, caption: typeof row.caption === 'string' ? row.caption : '', publishedAt: new Date(row.timestamp), permalink: typeof row.permalink === 'string' ? row.permalink : null }]
      : [],
  )
  return { media, usage }
}

/** The Page post metrics Graph serves since November 2025 (impressions were retired). */
export const PAGE_POST_INSIGHT_METRICS = ['post_media_view', 'post_total_media_view_unique', 'post_reactions_by_type_total', 'post_clicks'] as const

/**
 * A Page post's metrics in snapshot terms: views (post_media_view), reach (post_total_media_view_unique), likes
 * (all reactions), clicks, and the comment and share counts from the post's own fields.
 */
export async function getPagePostInsights(
  target: GraphTarget,
  postId: string,
): Promise<{ metrics: { views: number; reach: number | null; likes: number; comments: number; shares: number; saves: null; clicks: number | null }; usage: GraphUsage }> {
  type InsightRow = { name?: string; values?: { value?: unknown }[] }
  const insights = await graphCall<{ data?: InsightRow[] }>(target, 'GET', `/${encodeURIComponent(postId)}/insights`, { metric: PAGE_POST_INSIGHT_METRICS.join(',') })
  const value = (name: string) => insights.body.data?.find((row) => row.name === name)?.values?.[0]?.value
  const count = (raw: unknown) => (typeof raw === 'number' ? raw : null)
  const reactions = value('post_reactions_by_type_total')
  const likes = reactions && typeof reactions === 'object' ? Object.values(reactions as Record<string, unknown>).reduce<number>((sum, n) => sum + (typeof n === 'number' ? n : 0), 0) : 0
  const fields = await graphCall<{ shares?: { count?: unknown }; comments?: { summary?: { total_count?: unknown } } }>(target, 'GET', `/${encodeURIComponent(postId)}`, { fields: 'shares,comments.summary(true)' })
  return {
    metrics: {
      views: count(value('post_media_view')) ?? 0,
      reach: count(value('post_total_media_view_unique')),
      likes,
      comments: count(fields.body.comments?.summary?.total_count) ?? 0,
      shares: count(fields.body.shares?.count) ?? 0,
      saves: null,
      clicks: count(value('post_clicks')),
    },
    usage: fields.usage,
  }
}
