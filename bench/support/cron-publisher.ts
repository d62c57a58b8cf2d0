// The baseline the publish-storm benchmark compares with: a naive one-minute database poller, as a scheduler
// without Temporal is usually first written. Every minute it selects the ScheduledPost rows that are due, claims
// them, and publishes each with the same platform clients the activities use (activities/platforms/*), as
// many at once per platform as the worker's publishing queues allow; an Instagram post gets its container
// created and waited for then, since nothing ran ahead of time. No retries, no checks of the platform's state:
// it only has to be honest about when posts go out.
import type { SocialPlatform } from '../../domain/brand-kit'
import { openAccountTokens } from '../../activities/social-accounts'
import { createInstagramContainer, getContainerStatus, publishInstagramContainer, publishPagePost, type GraphTarget } from '../../activities/platforms/meta/publishing'
import { fetchPublishStatus, initPhotoPost, queryCreatorInfo, type TikTokApiContext } from '../../activities/platforms/tiktok/publishing'
import type { Database } from '../../platform/database'
import type { TokenCipher } from '../../platform/token-cipher'
import { TIKTOK_TITLE_CHARS } from './platform-ledger'

export interface CronPublisherOptions {
  db: Database
  cipher: TokenCipher
  /** The versioned Graph base and TikTok's API base. */
  graphBaseUrl: string
  tiktokBaseUrl: string
  /** The public link of a stored file the platforms would download. */
  mediaUrl: (fileId: string) => string
  intervalMs: number
  /** Posts published at once per platform. */
  concurrency: Record<SocialPlatform, number>
  /** How often a container or a TikTok publish is looked at while it processes. */
  pollMs: number
  log: (line: string) => void
}

export interface CronTick {
  atMs: number
  due: number
  published: number
  failed: number
  tookMs: number
}

type DueRow = Awaited<ReturnType<typeof dueRows>>[number]

function dueRows(db: Database, now: Date) {
  return db.scheduledPost.findMany({ where: { status: 'scheduled', scheduledAt: { lte: now } }, include: { socialAccount: true }, orderBy: { scheduledAt: 'asc' } })
}

export function startCronPublisher(options: CronPublisherOptions): { ticks: CronTick[]; stop(): Promise<void> } {
  const { db } = options
  const ticks: CronTick[] = []
  let stopped = false
  let wake: (() => void) | null = null

  async function publish(row: DueRow): Promise<string> {
    const tokens = openAccountTokens(options.cipher, row.socialAccount)
    if (!tokens) throw new Error(`account ${row.socialAccount.handle} has no token`)
    const media = row.mediaFileId ? options.mediaUrl(row.mediaFileId) : null
    const graph: GraphTarget = { baseUrl: options.graphBaseUrl, accessToken: tokens.accessToken }
    const externalId = row.socialAccount.externalId
    if (row.platform === 'instagram') {
      if (!media) throw new Error('Instagram needs media')
      const { containerId } = await createInstagramContainer(graph, externalId, { kind: 'image', imageUrl: media, caption: row.caption })
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, options.pollMs))
        const { statusCode } = await getContainerStatus(graph, containerId)
        if (statusCode === 'FINISHED') break
        if (statusCode !== 'IN_PROGRESS') throw new Error(`container ${containerId} is ${statusCode}`)
      }
      return (await publishInstagramContainer(graph, externalId, containerId)).mediaId
    }
    if (row.platform === 'facebook') {
      return (await publishPagePost(graph, externalId, media ? { kind: 'photo', url: media, caption: row.caption } : { kind: 'feed', message: row.caption })).postId
    }
    if (!media) throw new Error('TikTok needs media')
    const tiktok: TikTokApiContext = { baseUrl: options.tiktokBaseUrl, accessToken: tokens.accessToken }
    const creator = await queryCreatorInfo(tiktok)
    const privacyLevel = creator.privacyLevelOptions.includes('PUBLIC_TO_EVERYONE') ? 'PUBLIC_TO_EVERYONE' : (creator.privacyLevelOptions[0] ?? 'SELF_ONLY')
    const { publishId } = await initPhotoPost(tiktok, { mode: 'DIRECT_POST', title: row.caption.slice(0, TIKTOK_TITLE_CHARS), description: row.caption, privacyLevel, photoUrls: [media] })
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, options.pollMs))
      const status = await fetchPublishStatus(tiktok, publishId)
      if (status.status === 'PUBLISH_COMPLETE') return status.postIds[0] ?? publishId
      if (status.status === 'FAILED') throw new Error(`TikTok failed the post: ${status.failReason ?? 'no reason'}`)
    }
  }

  /** One pass: every due row, claimed so that a slow pass and the next one never take the same row. */
  async function tick(): Promise<void> {
    const startedMs = Date.now()
    const due = await dueRows(db, new Date(startedMs))
    const claimed = await db.scheduledPost.updateMany({ where: { id: { in: due.map((row) => row.id) }, status: 'scheduled' }, data: { status: 'publishing', attempts: { increment: 1 } } })
    let published = 0
    let failed = 0
    const byPlatform = new Map<string, DueRow[]>()
    for (const row of due) byPlatform.set(row.platform, [...(byPlatform.get(row.platform) ?? []), row])
    await Promise.all(
      [...byPlatform.entries()].flatMap(([platform, rows]) =>
        Array.from({ length: Math.min(rows.length, options.concurrency[platform as SocialPlatform] ?? 1) }, async () => {
          for (let row = rows.shift(); row; row = rows.shift()) {
            try {
              const platformPostId = await publish(row)
              await db.scheduledPost.update({ where: { id: row.id }, data: { status: 'published', platformPostId, publishedAt: new Date() } })
              published += 1
            } catch (error) {
              await db.scheduledPost.update({ where: { id: row.id }, data: { status: 'failed', statusReason: error instanceof Error ? error.message.slice(0, 500) : String(error) } })
              failed += 1
            }
          }
        }),
      ),
    )
    const report = { atMs: startedMs, due: claimed.count, published, failed, tookMs: Date.now() - startedMs }
    ticks.push(report)
    options.log(`cron tick: ${report.due} due, ${published} published, ${failed} failed in ${report.tookMs} ms`)
  }

  // Ticks on a fixed minute grid from the start; a pass longer than the interval delays the next one, as a
  // cron job guarded against overlapping itself does.
  const firstTickMs = Date.now()
  const loop = (async () => {
    for (let n = 0; !stopped; n++) {
      const waitMs = firstTickMs + n * options.intervalMs - Date.now()
      if (waitMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        wake = null
      }
      if (stopped) break
      await tick()
    }
  })()
  return {
    ticks,
    async stop() {
      stopped = true
      wake?.()
      await loop
    },
  }
}
