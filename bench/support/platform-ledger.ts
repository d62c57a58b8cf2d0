// What the platforms saw, read from the stand-ins' own records rather than from Greenlight's rows: every
// publication (Meta's publish log of media_publish, feed and photos calls that created something; TikTok's log
// of posts that reached PUBLISH_COMPLETE) with when it happened and the caption it carries. Meta's log names the
// created media or post, so its caption is read back through the Graph API with the account's token; TikTok's
// keeps the title (the caption's first 90 characters). Then, per set of posts: lateness, duplicates, and the
// posts that went missing.
import type { MetaStandIn } from '../../sandbox/meta'
import type { TikTokStandIn } from '../../sandbox/tiktok'

export interface Publication {
  platform: 'instagram' | 'facebook' | 'tiktok'
  /** The IG user, Page or TikTok open id it was published on. */
  account: string
  /** The media, post or TikTok publish id created. */
  createdId: string
  /** The Instagram container or the TikTok publish id it came from (null for Facebook). */
  sourceId: string | null
  /** The caption (TikTok: the title, the caption's first 90 characters). */
  text: string
  atMs: number
}

/** The TikTok title Greenlight sends for a caption (platform-steps.ts: the first 90 characters). */
export const TIKTOK_TITLE_CHARS = 90

export function createPlatformLedger(options: { meta: MetaStandIn; tiktok: TikTokStandIn; graphBaseUrl: string; tokenOf: (externalId: string) => string }) {
  // A created media or post keeps its caption: read once, across the benchmark's phases.
  const texts = new Map<string, string>()

  async function graphText(account: string, createdId: string, field: 'caption' | 'message'): Promise<string> {
    const url = `${options.graphBaseUrl}/${encodeURIComponent(createdId)}?fields=${field}`
    const response = await fetch(url, { headers: { authorization: `Bearer ${options.tokenOf(account)}` } })
    const body = (await response.json()) as Record<string, unknown>
    if (!response.ok) throw new Error(`reading ${createdId} back from the Meta stand-in: ${response.status} ${JSON.stringify(body)}`)
    return typeof body[field] === 'string' ? body[field] : ''
  }

  return {
    /** Every publication so far, oldest first. */
    async publications(): Promise<Publication[]> {
      const created = options.meta.publishing.createdPublishes()
      const unread = created.filter((entry) => entry.createdId && !texts.has(entry.createdId))
      for (let start = 0; start < unread.length; start += 32) {
        await Promise.all(
          unread.slice(start, start + 32).map(async (entry) => {
            texts.set(entry.createdId!, await graphText(entry.account, entry.createdId!, entry.platform === 'instagram' ? 'caption' : 'message'))
          }),
        )
      }
      const meta: Publication[] = created.map((entry) => ({
        platform: entry.platform,
        account: entry.account,
        createdId: entry.createdId!,
        sourceId: entry.containerId,
        text: texts.get(entry.createdId!) ?? '',
        atMs: Date.parse(entry.at),
      }))
      const tiktok: Publication[] = options.tiktok.publishLog().map((entry) => ({
        platform: 'tiktok',
        account: entry.openId,
        createdId: entry.postId,
        sourceId: entry.publishId,
        text: entry.title,
        atMs: entry.completedAt,
      }))
      return [...meta, ...tiktok].sort((a, b) => a.atMs - b.atMs)
    },
    /** Publications so far, cheaply (no reads back): for progress lines. */
    count(): number {
      return options.meta.publishing.createdPublishes().length + options.tiktok.publishLog().length
    },
  }
}

/** A post as the benchmark checks it: its row's outcome, and the caption that finds it on the platform. */
export interface CheckedPost {
  id: string
  platform: string
  caption: string
  scheduledAtMs: number
  status: string
  statusReason: string | null
}

/** Final states a person is told about (with the reason): the post is accounted for, though not published. */
const EXPLAINED_STATUSES = new Set(['failed', 'unconfirmed', 'needs_reauth', 'deferred', 'cancelled'])

export interface PostSetOutcome {
  posts: number
  /** Rows whose status is published. */
  published: number
  /** Posts with at least one publication on a stand-in. */
  onPlatform: number
  /** First publication minus scheduled time, per post that went out, ascending. */
  latenessMs: number[]
  /** Publications beyond one per post, by caption. */
  duplicates: number
  /** Publications beyond one per created id and per container / publish id (a subset of `duplicates`' causes). */
  duplicateIds: number
  /** Rows published with nothing on the platform, or neither published nor in an explained final state. */
  lost: number
  /** Rows in an explained final state other than published, by status. */
  explained: Record<string, number>
  /** Rows still waiting or publishing, by status. */
  unsettled: Record<string, number>
  firstDueMs: number
  lastPublicationMs: number | null
}

export function checkPosts(posts: CheckedPost[], publications: Publication[]): PostSetOutcome {
  const keyOf = (platform: string, text: string) => `${platform}\n${platform === 'tiktok' ? text.slice(0, TIKTOK_TITLE_CHARS) : text}`
  const byText = new Map<string, Publication[]>()
  for (const publication of publications) {
    const key = keyOf(publication.platform, publication.text)
    byText.set(key, [...(byText.get(key) ?? []), publication])
  }
  const latenessMs: number[] = []
  let duplicates = 0
  let onPlatform = 0
  let published = 0
  let lost = 0
  let lastPublicationMs: number | null = null
  const ids = new Map<string, number>()
  const explained: Record<string, number> = {}
  const unsettled: Record<string, number> = {}
  for (const post of posts) {
    const found = byText.get(keyOf(post.platform, post.caption)) ?? []
    if (found.length > 0) {
      onPlatform += 1
      duplicates += found.length - 1
      latenessMs.push(found[0]!.atMs - post.scheduledAtMs)
      lastPublicationMs = Math.max(lastPublicationMs ?? 0, ...found.map((each) => each.atMs))
      for (const each of found) {
        for (const id of [`created:${each.createdId}`, ...(each.sourceId ? [`source:${each.sourceId}`] : [])]) ids.set(id, (ids.get(id) ?? 0) + 1)
      }
    }
    if (post.status === 'published') {
      published += 1
      if (found.length === 0) lost += 1
    } else if (EXPLAINED_STATUSES.has(post.status) && post.statusReason) {
      explained[post.status] = (explained[post.status] ?? 0) + 1
    } else {
      lost += 1
      unsettled[post.status] = (unsettled[post.status] ?? 0) + 1
    }
  }
  const duplicateIds = [...ids.values()].reduce((sum, count) => sum + count - 1, 0)
  return {
    posts: posts.length,
    published,
    onPlatform,
    latenessMs: latenessMs.sort((a, b) => a - b),
    duplicates,
    duplicateIds,
    lost,
    explained,
    unsettled,
    firstDueMs: Math.min(...posts.map((post) => post.scheduledAtMs)),
    lastPublicationMs,
  }
}

/** The p-th percentile (nearest rank) of ascending values, rounded to the millisecond; null when empty. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null
  return Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!)
}
