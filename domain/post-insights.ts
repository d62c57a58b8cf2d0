// What the publishing dashboards say about published posts: totals and a daily series per creator, campaign or
// platform over the last days, and the best posts with the reasons they stand out, each reason computed from the
// posts at hand and stated only when it holds and there is something to compare against. Pure: the API reads the
// posts and their metrics snapshots and hands them here.
import { PLATFORM_LABELS, type SocialPlatform } from './brand-kit'
import { engagementRate, type PostMetrics } from './publishing'

export type MediaKind = 'image' | 'video' | 'none'

/** A published post as the dashboards see it: who, where, what, and its metrics. */
export interface PublishedPostFacts {
  postId: string
  platform: SocialPlatform
  creatorId: string
  creatorName: string
  campaignId: string
  campaignName: string
  publishedAt: Date
  /** The zone the post was scheduled in: its audience's local time. */
  timeZone: string
  mediaKind: MediaKind
  captionLength: number
  hashtagCount: number
  /** Its latest metrics snapshot, null before the first pull. */
  latest: (PostMetrics & { engagementRate: number }) | null
  /** Every snapshot so far, in any order. */
  snapshots: { capturedAt: Date; views: number; engagementRate: number }[]
}

export const GROUP_BYS = ['creator', 'campaign', 'platform'] as const
export type GroupBy = (typeof GROUP_BYS)[number]

export interface GroupMetrics {
  posts: number
  views: number
  /** Summed where the platform reports reach (TikTok does not): see engagementRate for how those posts count. */
  reach: number
  likes: number
  comments: number
  shares: number
  saves: number
  clicks: number
  /** Summed interactions over the summed audience (each post's reach, or its views when it has no reach). */
  engagementRate: number
}

export interface DailyPoint {
  /** A UTC day, YYYY-MM-DD. */
  date: string
  /** The group's views as of the end of that day: each post's latest snapshot captured by then, summed. */
  views: number
  /** The views-weighted mean of those snapshots' engagement rates (0 when they have no views). */
  engagementRate: number
}

export interface GroupSummary extends GroupMetrics {
  key: string
  label: string
  /** One point per day of the window, oldest first. */
  series: DailyPoint[]
}

export interface GroupsSummary {
  groupBy: GroupBy
  days: number
  totals: GroupMetrics
  /** By views, most first; then by label. */
  groups: GroupSummary[]
}

/** The longest window a dashboard asks for. */
export const MAX_SUMMARY_DAYS = 366

const DAY_MS = 86_400_000

/** Rates are kept to four decimals (0.0123 = 1.23 %), as engagementRate keeps them. */
const roundRate = (rate: number) => Math.round(rate * 10_000) / 10_000

const audienceOf = (metrics: PostMetrics) => metrics.reach ?? metrics.views

/**
 * The metrics of several posts added up. `audience` sums each post's reach, or its views when it has no reach
 * (as engagementRate counts one post); `reportedReach` sums only the reach platforms reported.
 */
function summedMetrics(posts: readonly PublishedPostFacts[]): { metrics: PostMetrics & { reach: number; saves: number; clicks: number }; reportedReach: number } {
  let views = 0, audience = 0, reportedReach = 0, likes = 0, comments = 0, shares = 0, saves = 0, clicks = 0
  for (const { latest } of posts) {
    if (!latest) continue
    views += latest.views
    audience += audienceOf(latest)
    reportedReach += latest.reach ?? 0
    likes += latest.likes
    comments += latest.comments
    shares += latest.shares
    saves += latest.saves ?? 0
    clicks += latest.clicks ?? 0
  }
  return { metrics: { views, reach: audience, likes, comments, shares, saves, clicks }, reportedReach }
}

function groupMetricsOf(posts: readonly PublishedPostFacts[]): GroupMetrics {
  const { metrics, reportedReach } = summedMetrics(posts)
  const { views, likes, comments, shares, saves, clicks } = metrics
  return { posts: posts.length, views, reach: reportedReach, likes, comments, shares, saves, clicks, engagementRate: engagementRate(metrics) }
}

const utcDate = (time: number) => new Date(time).toISOString().slice(0, 10)

function dailySeries(posts: readonly PublishedPostFacts[], dayStarts: readonly number[], now: Date): DailyPoint[] {
  return dayStarts.map((dayStart) => {
    const cutoff = Math.min(dayStart + DAY_MS - 1, now.getTime())
    let views = 0
    let weightedRate = 0
    for (const post of posts) {
      let asOf: PublishedPostFacts['snapshots'][number] | null = null
      for (const snapshot of post.snapshots) {
        const at = snapshot.capturedAt.getTime()
        if (at <= cutoff && (!asOf || at > asOf.capturedAt.getTime())) asOf = snapshot
      }
      if (!asOf) continue
      views += asOf.views
      weightedRate += asOf.engagementRate * asOf.views
    }
    return { date: utcDate(dayStart), views, engagementRate: views > 0 ? roundRate(weightedRate / views) : 0 }
  })
}

function groupKeyAndLabel(post: PublishedPostFacts, groupBy: GroupBy): { key: string; label: string } {
  switch (groupBy) {
    case 'creator':
      return { key: post.creatorId, label: post.creatorName }
    case 'campaign':
      return { key: post.campaignId, label: post.campaignName }
    case 'platform':
      return { key: post.platform, label: PLATFORM_LABELS[post.platform] }
  }
}

/**
 * Totals and daily series of the posts published in the last `days` UTC days (today included, up to `now`),
 * grouped by creator, campaign or platform. A post counts in `posts` from its publication on; its metrics are
 * those of its latest snapshot (a post not yet measured adds nothing but its count). The daily series reads each
 * post's snapshots as of the end of each day, so it shows how views built up.
 */
export function summarizeGroups(posts: readonly PublishedPostFacts[], groupBy: GroupBy, days: number, now: Date): GroupsSummary {
  if (!Number.isInteger(days) || days < 1 || days > MAX_SUMMARY_DAYS) throw new RangeError(`days is a whole number from 1 to ${MAX_SUMMARY_DAYS}`)
  const todayStart = Math.floor(now.getTime() / DAY_MS) * DAY_MS
  const windowStart = todayStart - (days - 1) * DAY_MS
  const dayStarts = Array.from({ length: days }, (_, i) => windowStart + i * DAY_MS)
  const inWindow = posts.filter((post) => post.publishedAt.getTime() >= windowStart && post.publishedAt.getTime() <= now.getTime())

  const grouped = new Map<string, { label: string; posts: PublishedPostFacts[] }>()
  for (const post of inWindow) {
    const { key, label } = groupKeyAndLabel(post, groupBy)
    const group = grouped.get(key) ?? { label, posts: [] }
    group.posts.push(post)
    grouped.set(key, group)
  }
  const groups = [...grouped.entries()]
    .map(([key, group]): GroupSummary => ({ key, label: group.label, ...groupMetricsOf(group.posts), series: dailySeries(group.posts, dayStarts, now) }))
    .sort((a, b) => b.views - a.views || a.label.localeCompare(b.label) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return { groupBy, days, totals: groupMetricsOf(inWindow), groups }
}

// ---------------------------------------------------------------------------------------------------------
// Top posts

/**
 * A post ranks only when its rate rests on at least this many people (its reach, or its views where the
 * platform gives no reach): 2 interactions from 3 viewers are 67 %, and say nothing.
 */
export const MIN_TOP_POST_AUDIENCE = 100
/** A comparison needs at least this many other posts behind it. */
export const MIN_OTHER_POSTS_TO_COMPARE = 3
/** Each side of a "posts like this average …" comparison has at least this many posts. */
export const MIN_POSTS_PER_SIDE = 3
/** Instagram shows about this many characters of a caption in the feed before "more". */
export const SHORT_CAPTION_CHARACTERS = 125

export interface TopPost {
  post: PublishedPostFacts
  /** 2 to 4 short sentences, each computed from these posts. */
  reasons: string[]
}

/** A post with a latest snapshot and an audience, the only posts comparisons are made between. */
type MeasuredPost = PublishedPostFacts & { latest: NonNullable<PublishedPostFacts['latest']> }

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`
const formatNumber = (value: number) => value.toLocaleString('en-US')
const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`
const times = (ratio: number) => `${ratio.toFixed(1)}×`

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Pooled rate of several posts: their interactions over their audience, as the group totals compute it. */
const pooledRate = (posts: readonly PublishedPostFacts[]) => engagementRate(summedMetrics(posts).metrics)

/** Two rates that print differently at one decimal of a percent: a difference worth a sentence. */
const clearlyAbove = (rate: number, than: number) => Math.round(rate * 1000) > Math.round(than * 1000)

function rateReason(post: MeasuredPost, pool: readonly MeasuredPost[]): string {
  const rate = post.latest.engagementRate
  const base = `Engagement rate ${percent(rate)}`
  if (pool.length - 1 < MIN_OTHER_POSTS_TO_COMPARE) return base
  const middle = median(pool.map((entry) => entry.latest.engagementRate))
  const shown = `the ${pool.length} measured posts`
  if (middle > 0 && rate / middle >= 1.1) return `${base}, ${times(rate / middle)} the median of ${shown}`
  if (middle === 0 && rate > 0) return `${base}, where the median of ${shown} is 0.0 %`
  if (clearlyAbove(rate, middle)) return `${base}, above the median of ${shown} (${percent(middle)})`
  return base
}

const INTERACTIONS = [
  { field: 'saves', did: 'Saved', none: 'saved' },
  { field: 'shares', did: 'Shared', none: 'shared' },
  { field: 'comments', did: 'Commented on', none: 'commented on' },
] as const

/** The interaction this post drew far more of than the others, for its audience (at least 1.5×). */
function interactionReason(post: MeasuredPost, others: readonly MeasuredPost[]): string | null {
  let best: { ratio: number; sentence: string } | null = null
  for (const { field, did, none } of INTERACTIONS) {
    const own = post.latest[field]
    if (own === null || own === 0) continue
    const comparable = others.filter((other) => other.latest[field] !== null)
    if (comparable.length < MIN_OTHER_POSTS_TO_COMPARE) continue
    const othersTotal = comparable.reduce((sum, other) => sum + (other.latest[field] ?? 0), 0)
    const othersAudience = comparable.reduce((sum, other) => sum + audienceOf(other.latest), 0)
    const ownRate = own / audienceOf(post.latest)
    if (othersTotal === 0) {
      const sentence = `${did} ${plural(own, 'time')}, where the other ${comparable.length} posts were not ${none} at all`
      if (!best || best.ratio < Infinity) best = { ratio: Infinity, sentence }
      continue
    }
    const ratio = ownRate / (othersTotal / othersAudience)
    if (ratio >= 1.5 && (!best || ratio > best.ratio)) best = { ratio, sentence: `${did} ${times(ratio)} as often as the average post, for its audience` }
  }
  return best?.sentence ?? null
}

/**
 * "Posts like this one average X % against Y % for …": the post's own bucket must be the best of the buckets
 * with enough posts, and is compared with the next best.
 */
function bucketReason<Bucket extends string>(
  post: MeasuredPost,
  pool: readonly MeasuredPost[],
  bucketOf: (post: MeasuredPost) => Bucket,
  sentence: (own: Bucket, ownRate: string, other: Bucket, otherRate: string) => string,
): string | null {
  const buckets = new Map<Bucket, MeasuredPost[]>()
  for (const entry of pool) buckets.set(bucketOf(entry), [...(buckets.get(bucketOf(entry)) ?? []), entry])
  const own = bucketOf(post)
  const ranked = [...buckets.entries()]
    .filter(([, members]) => members.length >= MIN_POSTS_PER_SIDE)
    .map(([bucket, members]) => ({ bucket, rate: pooledRate(members) }))
    .sort((a, b) => b.rate - a.rate)
  const [first, second] = ranked
  if (!first || !second || first.bucket !== own || !clearlyAbove(first.rate, second.rate)) return null
  return sentence(own, percent(first.rate), second.bucket, percent(second.rate))
}

const MEDIA_LABELS: Record<MediaKind, { one: string; many: string }> = {
  image: { one: 'An image', many: 'images' },
  video: { one: 'A video', many: 'videos' },
  none: { one: 'A text-only post', many: 'text-only posts' },
}

function mediaReason(post: MeasuredPost, pool: readonly MeasuredPost[]): string | null {
  return bucketReason(post, pool, (entry) => entry.mediaKind, (own, ownRate, other, otherRate) =>
    `${MEDIA_LABELS[own].one}: ${MEDIA_LABELS[own].many} here average ${ownRate} against ${otherRate} for ${MEDIA_LABELS[other].many}`)
}

function captionReason(post: MeasuredPost, pool: readonly MeasuredPost[]): string | null {
  const short = (entry: MeasuredPost) => (entry.captionLength <= SHORT_CAPTION_CHARACTERS ? 'short' : 'long')
  return bucketReason(post, pool, short, (own, ownRate, _other, otherRate) =>
    own === 'short'
      ? `A short caption (${plural(post.captionLength, 'character')}): captions of up to ${SHORT_CAPTION_CHARACTERS} characters average ${ownRate} here against ${otherRate} for longer ones`
      : `A longer caption (${plural(post.captionLength, 'character')}): captions over ${SHORT_CAPTION_CHARACTERS} characters average ${ownRate} here against ${otherRate} for shorter ones`)
}

function hashtagReason(post: MeasuredPost, pool: readonly MeasuredPost[]): string | null {
  return bucketReason(post, pool, (entry) => (entry.hashtagCount > 0 ? 'with' : 'without'), (own, ownRate, _other, otherRate) =>
    own === 'with'
      ? `${plural(post.hashtagCount, 'hashtag')}: posts with hashtags average ${ownRate} here against ${otherRate} without`
      : `No hashtags: posts without them average ${ownRate} here against ${otherRate} with hashtags`)
}

/** Compared with the creator's other measured posts on average: reach when all of them report it, else views. */
function creatorReason(post: MeasuredPost, pool: readonly MeasuredPost[]): string | null {
  const theirs = pool.filter((entry) => entry.creatorId === post.creatorId && entry.postId !== post.postId)
  if (theirs.length < MIN_OTHER_POSTS_TO_COMPARE) return null
  const byReach = post.latest.reach !== null && theirs.every((entry) => entry.latest.reach !== null)
  const measure = (entry: MeasuredPost) => (byReach ? entry.latest.reach! : entry.latest.views)
  const average = theirs.reduce((sum, entry) => sum + measure(entry), 0) / theirs.length
  if (average <= 0) return null
  const ratio = measure(post) / average
  if (ratio < 1.1) return null
  const what = byReach ? 'people' : 'views'
  const compared = ratio >= 2 ? `${times(ratio)} as many ${what} as` : `${Math.round((ratio - 1) * 100)} % more ${what} than`
  return `${byReach ? 'Reached' : 'Drew'} ${compared} ${post.creatorName}'s other ${theirs.length} posts on average`
}

interface LocalTime {
  weekday: string
  hour: number
  minute: number
}

function localTime(at: Date, timeZone: string): LocalTime | null {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(at)
    const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? ''
    return { weekday: part('weekday'), hour: Number(part('hour')), minute: Number(part('minute')) }
  } catch {
    // A zone this runtime does not know: the post's hour cannot be told, so nothing is said about it.
    return null
  }
}

const clock = (hour: number, minute: number) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`

/**
 * The local hour (in each post's own zone) this post went out in, when that hour's posts have the best pooled
 * rate of all hours with at least two posts, and there is another such hour to compare with.
 */
function hourReason(post: MeasuredPost, pool: readonly MeasuredPost[]): string | null {
  const own = localTime(post.publishedAt, post.timeZone)
  if (!own || pool.length - 1 < MIN_OTHER_POSTS_TO_COMPARE) return null
  const byHour = new Map<number, MeasuredPost[]>()
  for (const entry of pool) {
    const at = localTime(entry.publishedAt, entry.timeZone)
    if (at) byHour.set(at.hour, [...(byHour.get(at.hour) ?? []), entry])
  }
  const ranked = [...byHour.entries()]
    .filter(([, members]) => members.length >= 2)
    .map(([hour, members]) => ({ hour, rate: pooledRate(members) }))
    .sort((a, b) => b.rate - a.rate)
  const [first, second] = ranked
  if (!first || !second || first.hour !== own.hour || !clearlyAbove(first.rate, second.rate)) return null
  return `Posted on ${own.weekday} at ${clock(own.hour, own.minute)} (${post.timeZone}); posts in the ${clock(own.hour, 0)} hour average ${percent(first.rate)}, the best hour among these posts`
}

/** What the post drew, in numbers: true of any measured post, said when fewer than two comparisons hold. */
function countsReason(post: MeasuredPost): string {
  const { latest } = post
  const audience = latest.reach !== null ? `${plural(latest.reach, 'person', 'people')} reached, ${plural(latest.views, 'view')}` : plural(latest.views, 'view')
  const drew = [plural(latest.likes, 'like'), plural(latest.comments, 'comment'), plural(latest.shares, 'share')]
  if (latest.saves !== null) drew.push(plural(latest.saves, 'save'))
  if (latest.clicks !== null) drew.push(plural(latest.clicks, 'click'))
  return `${audience}: ${drew.join(', ')}`
}

/**
 * The `count` best posts by engagement rate (ties: more views first, then the earlier post), among posts
 * with a latest snapshot and an audience of at least MIN_TOP_POST_AUDIENCE. Comparisons are made against the
 * measured posts given (those with a snapshot and an audience above zero), each only when it holds and has
 * at least MIN_OTHER_POSTS_TO_COMPARE other posts behind it.
 */
export function topPosts(posts: readonly PublishedPostFacts[], count = 3): TopPost[] {
  const pool = posts.filter((post): post is MeasuredPost => post.latest !== null && audienceOf(post.latest) > 0)
  const ranked = pool
    .filter((post) => audienceOf(post.latest) >= MIN_TOP_POST_AUDIENCE)
    .sort(
      (a, b) =>
        b.latest.engagementRate - a.latest.engagementRate ||
        b.latest.views - a.latest.views ||
        a.publishedAt.getTime() - b.publishedAt.getTime() ||
        (a.postId < b.postId ? -1 : a.postId > b.postId ? 1 : 0),
    )
    .slice(0, Math.max(0, count))

  return ranked.map((post) => {
    const others = pool.filter((entry) => entry.postId !== post.postId)
    const comparisons = [
      interactionReason(post, others),
      mediaReason(post, pool),
      creatorReason(post, pool),
      hourReason(post, pool),
      captionReason(post, pool),
      hashtagReason(post, pool),
    ].filter((reason): reason is string => reason !== null)
    const reasons = [rateReason(post, pool), ...comparisons].slice(0, 4)
    if (reasons.length < 2) reasons.push(countsReason(post))
    return { post, reasons }
  })
}
