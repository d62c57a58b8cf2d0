// The publish and metrics workflows' side effects. The platform activities (prepare, publish, verify, pull
// metrics) run on their platform's task queue; each reads the ScheduledPost row fresh, holds the per-account
// throttle the platform's usage headers ask for, runs one step of platform-steps.ts and records its progress.
// The bookkeeping activities (statuses, notifications, the card's column) run on the main queue. Every activity
// is safe to repeat: progress on the row, idempotency keys on notifications, claims on e-mails and webhook posts.
import { ApplicationFailure, Context } from '@temporalio/activity'
import { PLATFORM_LABELS, type SocialPlatform } from '../../domain/brand-kit'
import { engagementRate, SCHEDULED_POST_STATUS_LABELS, type ScheduledPostStatus } from '../../domain/publishing'
import type { OAuthSettings } from '../../platform/config'
import type { Database } from '../../platform/database'
import type { Mailer } from '../../platform/mailer'
import type { FileStorage } from '../../platform/storage'
import type { TokenCipher } from '../../platform/token-cipher'
import { PLATFORM_UNAVAILABLE, type PublishStepResult, type VerificationResult } from '../../workflows/publish-post/definitions'
import { emailNotificationsOnce, postWebhookEventOnce, webhookMessage } from '../notify'
import { metaGraphBaseUrl } from '../platforms/meta/publishing'
import type { GraphUsage } from '../platforms/meta/errors'
import { markAccountNeedsReauth, openAccountTokens, tokensFingerprint } from '../social-accounts'
import { DuePublications, GIVE_WAY_MAX_MS, Semaphore } from './call-slots'
import { createCardMover } from './card-moves'
import { createProgressWriter, type ProgressWrite } from './progress-writes'
import {
  preparePlatformPost,
  publishPlatformPost,
  readPlatformMetrics,
  readPlatformPermalink,
  readTikTokCreator,
  StepFailure,
  verifyPlatformPost,
  type PostForStep,
  type StepContext,
  type StepProgress,
} from './platform-steps'

export interface PublishingActivityDeps {
  db: Database
  tokenCipher: TokenCipher
  /** Sends the failure notices by e-mail too; without one they stay in-app. */
  mailer?: Mailer
  oauth: OAuthSettings
  storage: FileStorage
  /** Slack-compatible webhook (NOTIFY_WEBHOOK_URL) for failed, unconfirmed and needs-reconnecting posts. */
  notifyWebhookUrl?: string | null
  /** A signed, expiring public URL of a stored file, which the platforms download the media from. */
  mediaUrl: (file: { id: string; originalName: string; mimeType: string }) => string
  /** Per platform call (tests shorten it to provoke timeouts); the clients' 15 s unless said. */
  requestTimeoutMs?: number
  /**
   * Platform calls in flight per platform in this process (PUBLISH_CONCURRENCY_*). The publishing queues' task
   * slots are wider, since a handed-over post holds one while it waits for its instant; this caps the calls.
   */
  callConcurrency?: Partial<Record<SocialPlatform, number>>
  /** Platform calls in flight per account in this process (PUBLISH_CALLS_PER_ACCOUNT); 4 unless said. */
  callsPerAccount?: number
  fetch?: typeof fetch
}

/** Usage above this share of an allowance pauses the account's calls (Meta throttles at 100 %). */
export const THROTTLE_AT_PCT = 90
/** The pause when the platform gives no time to regain access. */
const THROTTLE_PAUSE_MS = 60_000
/** A throttle longer than this defers the post (with its reason) instead of holding an activity retry. */
const THROTTLE_DEFER_AFTER_MS = 2 * 60_000
const REASON_MAX = 500
/** Calls in flight per platform, and per account, when not configured. */
const DEFAULT_CALL_CONCURRENCY = 20
const DEFAULT_CALLS_PER_ACCOUNT = 4
const HEARTBEAT_EVERY_MS = 5_000
/** How long a publish step keeps looking at media the platform is processing before the workflow takes over. */
const IN_STEP_POLL_MS = 10_000
const IN_STEP_POLL_EVERY_MS = 500

type PostRow = NonNullable<Awaited<ReturnType<ReturnType<typeof loadPost>>>>

function loadPost(db: Database) {
  return (postId: string) =>
    db.scheduledPost.findUnique({
      where: { id: postId },
      include: {
        socialAccount: true,
        card: { select: { title: true, campaignId: true } },
      },
    })
}

export function createPublishingActivities(deps: PublishingActivityDeps) {
  const { db } = deps
  const readPost = loadPost(db)
  const cards = createCardMover(db, { actorLabel: 'Publishing' })
  const due = new DuePublications()
  const progressWrites = createProgressWriter(db)
  const graphBase = metaGraphBaseUrl(deps.oauth.meta)
  // Calls in flight per platform and per account in this process. The account's throttle is kept here too, so a
  // call queued behind the one whose usage headers set it sees it; the account row holds the other processes back.
  const platformSlots = new Map<string, Semaphore>()
  const slotsOf = (platform: string) => {
    let slots = platformSlots.get(platform)
    if (!slots) platformSlots.set(platform, (slots = new Semaphore(deps.callConcurrency?.[platform as SocialPlatform] ?? DEFAULT_CALL_CONCURRENCY)))
    return slots
  }
  const accountSlots = new Map<string, Semaphore>()
  const perAccount = async <T>(accountId: string, work: () => Promise<T>): Promise<T> => {
    let slots = accountSlots.get(accountId)
    if (!slots) accountSlots.set(accountId, (slots = new Semaphore(deps.callsPerAccount ?? DEFAULT_CALLS_PER_ACCOUNT)))
    try {
      return await slots.run(work)
    } finally {
      if (slots.idle && accountSlots.get(accountId) === slots) accountSlots.delete(accountId)
    }
  }
  const throttledUntil = new Map<string, number>()

  async function requirePost(postId: string): Promise<PostRow> {
    const row = await readPost(postId)
    if (!row) throw postGone(postId)
    return row
  }

  async function record(postId: string, progress: StepProgress): Promise<void> {
    const data: ProgressWrite = {}
    if (progress.containerId !== undefined) data.containerId = progress.containerId
    if (progress.pendingCall !== undefined) {
      data.pendingCall = progress.pendingCall?.call ?? null
      data.pendingCallAt = progress.pendingCall?.at ?? null
    }
    if (progress.published) {
      Object.assign(data, {
        status: 'published',
        platformPostId: progress.published.platformPostId,
        permalink: progress.published.permalink,
        publishedAt: progress.published.publishedAt,
        statusReason: null,
        failureCode: null,
        deferredUntil: null,
      } satisfies ProgressWrite)
    }
    if (Object.keys(data).length === 0) return
    if (!(await progressWrites.write(postId, data))) {
      throw postGone(postId)
    }
  }

  /** Slows the account down when the platform's usage headers near the limit, for every worker (the row). */
  async function reportUsage(accountId: string, usage: GraphUsage): Promise<void> {
    if (usage.maxPct < THROTTLE_AT_PCT && usage.regainAccessMs === null) return
    const until = new Date(Date.now() + Math.max(usage.regainAccessMs ?? 0, THROTTLE_PAUSE_MS))
    throttledUntil.set(accountId, Math.max(throttledUntil.get(accountId) ?? 0, until.getTime()))
    // Never shortens a longer throttle another call (or process) recorded meanwhile.
    await db.$executeRaw`
      UPDATE "SocialAccount" SET
        "throttledUntil" = GREATEST(COALESCE("throttledUntil", '-infinity'::timestamp), (${until.toISOString()}::timestamptz AT TIME ZONE 'UTC')),
        "lastUsage" = ${JSON.stringify(usage)}::jsonb,
        "updatedAt" = (now() AT TIME ZONE 'UTC')
      WHERE "id" = ${accountId}::uuid`
  }

  async function stepContext(row: PostRow): Promise<StepContext> {
    const account = row.socialAccount
    const tokens = openAccountTokens(deps.tokenCipher, account)
    if (!tokens) throw ApplicationFailure.nonRetryable(`The account ${account.handle} has no stored token.`, 'AccountHasNoToken')
    const file = row.mediaFileId ? await db.storedFile.findUnique({ where: { id: row.mediaFileId } }) : null
    const post: PostForStep = {
      id: row.id,
      platform: row.platform as SocialPlatform,
      caption: row.caption,
      containerId: row.containerId,
      pendingCall: row.pendingCall,
      pendingCallAt: row.pendingCallAt,
      platformPostId: row.platformPostId,
      account: { id: account.id, externalId: account.externalId, handle: account.handle },
      media: file
        ? {
            kind: file.kind === 'video' ? 'video' : 'image',
            url: deps.mediaUrl(file),
            mimeType: file.mimeType,
            read: async () => {
              const chunks: Buffer[] = []
              for await (const chunk of await deps.storage.get(file.storageKey)) chunks.push(Buffer.from(chunk as Uint8Array))
              return Buffer.concat(chunks)
            },
          }
        : null,
    }
    return {
      post,
      record: async (progress) => {
        await record(row.id, progress)
        // Later reads in the same step see what was recorded.
        if (progress.containerId !== undefined) post.containerId = progress.containerId
        if (progress.pendingCall !== undefined) {
          post.pendingCall = progress.pendingCall?.call ?? null
          post.pendingCallAt = progress.pendingCall?.at ?? null
        }
        if (progress.published) post.platformPostId = progress.published.platformPostId
      },
      reportUsage: (usage) => reportUsage(account.id, usage),
      now: () => new Date(),
      preparedAhead: false,
      meta: { baseUrl: graphBase, accessToken: tokens.accessToken, timeoutMs: deps.requestTimeoutMs, fetchImpl: deps.fetch },
      tiktok: { baseUrl: deps.oauth.tiktok.apiBaseUrl, accessToken: tokens.accessToken, timeoutMs: deps.requestTimeoutMs, fetchImpl: deps.fetch },
    }
  }

  /**
   * Holds a step back while its account is throttled (the row's throttle, or one set in this process since the
   * row was read): a short throttle retries the activity after it, a long one defers the post.
   */
  function throttleHold(row: PostRow): PublishStepResult | null {
    const account = row.socialAccount
    const local = throttledUntil.get(account.id) ?? 0
    if (local && local <= Date.now()) throttledUntil.delete(account.id)
    const until = Math.max(account.throttledUntil?.getTime() ?? 0, local)
    const waitMs = until - Date.now()
    if (waitMs > THROTTLE_DEFER_AFTER_MS) {
      return slowedDown(row, until)
    }
    if (waitMs > 0) {
      throw ApplicationFailure.create({ type: PLATFORM_UNAVAILABLE, message: `${platformLabel(row)} asked Greenlight to slow down for ${account.handle}; waiting ${Math.ceil(waitMs / 1000)} s.`, nextRetryDelay: waitMs })
    }
    return null
  }

  /**
   * Runs a step for the post's account (with the context read ahead, when the caller prepared one): refuses to
   * call a throttled account, and turns a classified failure into the workflow's result: retryable ones retry the
   * activity (after the platform's wait, if it gave one), the others are answers.
   */
  async function platformStep<T>(row: PostRow, step: (context: StepContext) => Promise<T>, prepared?: StepContext): Promise<T | PublishStepResult> {
    const account = row.socialAccount
    if (account.status !== 'active') {
      return { kind: 'needs_reauth', reason: account.statusReason ?? `The ${PLATFORM_LABELS[row.platform as SocialPlatform]} account ${account.handle} needs reconnecting.`, tokensFingerprint: tokensFingerprint(account.accessTokenCiphertext) }
    }
    const held = throttleHold(row)
    if (held) return held
    const context = prepared ?? (await stepContext(row))
    // Heartbeats while the step waits its turn and calls: a worker that dies is noticed within the heartbeat timeout.
    const activity = Context.current()
    const beat = setInterval(() => activity.heartbeat(), HEARTBEAT_EVERY_MS)
    return perAccount(account.id, async (): Promise<T | PublishStepResult> => {
      try {
        return await slotsOf(row.platform).run(async () => {
          // A call of this account that went before may have been told to slow down meanwhile.
          const heldNow = throttleHold(row)
          if (heldNow) return heldNow
          return step(context)
        })
      } catch (error) {
        if (!(error instanceof StepFailure)) throw error
        const { failure, ambiguous } = error
        // A refusal is an answer: the call did nothing, so its pending mark goes (an upload in flight keeps its own).
        if (!ambiguous && context.post.pendingCall && context.post.pendingCall !== 'tiktok.upload') await context.record({ pendingCall: null })
        const reason = failure.message.slice(0, REASON_MAX)
        switch (failure.kind) {
          case 'reauth':
            return { kind: 'needs_reauth', reason, tokensFingerprint: tokensFingerprint(account.accessTokenCiphertext) }
          case 'quota':
            return { kind: 'deferred', until: new Date(Date.now() + (failure.retryAfterMs ?? 60 * 60_000)).toISOString(), reason }
          case 'bad_input':
            return { kind: 'failed', reason, code: failure.code }
          case 'retryable':
            if (isRateLimit(failure.code)) {
              const pauseMs = failure.retryAfterMs ?? THROTTLE_PAUSE_MS
              await reportUsage(account.id, { appPct: null, accounts: [], maxPct: 100, regainAccessMs: pauseMs })
              // A long throttle defers the post with its reason rather than holding a retry for minutes.
              if (!ambiguous && pauseMs > THROTTLE_DEFER_AFTER_MS) {
                return slowedDown(row, Date.now() + pauseMs)
              }
            }
            throw ApplicationFailure.create({
              type: PLATFORM_UNAVAILABLE,
              message: `${platformLabel(row)}: ${reason} (${failure.code})${ambiguous ? '; the call may have gone through, so its outcome is checked on the platform first' : ''}`,
              ...(failure.retryAfterMs ? { nextRetryDelay: failure.retryAfterMs } : {}),
            })
        }
      }
    }).finally(() => clearInterval(beat))
  }

  async function notifyPost(row: PostRow, event: 'failed' | 'unconfirmed' | 'needs_reauth', reason: string): Promise<void> {
    const title = {
      failed: `Post failed: “${row.card.title}” on ${platformLabel(row)} ${row.socialAccount.handle}`,
      unconfirmed: `Post unconfirmed: “${row.card.title}” on ${platformLabel(row)} ${row.socialAccount.handle}`,
      needs_reauth: `Post waiting for a reconnect: “${row.card.title}” on ${platformLabel(row)} ${row.socialAccount.handle}`,
    }[event]
    const body = {
      failed: `${reason}`,
      unconfirmed: `${reason} Open the card and choose “Verify on platform”.`,
      needs_reauth: `${reason} The post goes out once the account is reconnected.`,
    }[event]
    const members = await db.user.findMany({ where: { agencyId: row.agencyId }, select: { id: true, name: true, email: true, role: true } })
    const recipients = members.filter((member) => member.id === row.createdById || member.role === 'owner' || member.role === 'manager')
    const link = `/campaigns/${row.card.campaignId}/board/cards/${row.cardId}`
    // Per attempt: a post that fails again after a verify is news again.
    const event_ = `${event}-${row.attempts}`
    const keyOf = (userId: string) => `post:${row.id}:${event_}:${userId}`
    await db.notification.createMany({
      data: recipients.map((member) => ({ agencyId: row.agencyId, userId: member.id, kind: `post.${event}`, title, body, link, idempotencyKey: keyOf(member.id) })),
      skipDuplicates: true,
    })
    if (deps.mailer) {
      await emailNotificationsOnce(db, deps.mailer, {
        agencyId: row.agencyId,
        recipients: recipients.map((member) => ({ ...member, idempotencyKey: keyOf(member.id) })),
        subject: `Greenlight: ${title}`,
        text: (name) => `Hello ${name},\n\n${body}\n\nOpen ${deps.oauth.webUrl}${link} to see the post.\n`,
      })
    }
    if (deps.notifyWebhookUrl) {
      await postWebhookEventOnce(
        deps.notifyWebhookUrl,
        {
          describe: `“${event_}” of scheduled post ${row.id}`,
          claim: async () =>
            (await db.$executeRaw`
              UPDATE "ScheduledPost" SET "webhookSent" = array_append("webhookSent", ${event_}::text)
              WHERE "id" = ${row.id}::uuid AND NOT (${event_}::text = ANY("webhookSent"))`) > 0,
          release: async () => {
            await db.$executeRaw`UPDATE "ScheduledPost" SET "webhookSent" = array_remove("webhookSent", ${event_}::text) WHERE "id" = ${row.id}::uuid`
          },
        },
        webhookMessage({ title, body, url: `${deps.oauth.webUrl}${link}`, linkText: 'Open the card' }),
      )
    }
  }

  return {
    /** Instagram: creates the container ahead of the time (and reports its processing); others: nothing. */
    async preparePost(input: { scheduledPostId: string }): Promise<PublishStepResult | { kind: 'ready' } | null> {
      const row = await requirePost(input.scheduledPostId)
      if (row.status !== 'scheduled') return null
      const result = await platformStep(row, preparePlatformPost)
      return result && result.kind === 'ready' ? { kind: 'ready' } : result
    },

    /**
     * The publication itself, from wherever the row says it got to. Handed over before the time with
     * `notBefore`: everything is read and ready, and the call goes out at that instant.
     */
    async publishPost(input: { scheduledPostId: string; notBefore?: string }): Promise<PublishStepResult> {
      const row = await requirePost(input.scheduledPostId)
      if (row.status === 'published') return { kind: 'published', platformPostId: row.platformPostId ?? '', permalink: row.permalink }
      if (row.status === 'cancelled' || row.status === 'failed') return { kind: 'skipped', reason: `the post is ${row.status}` }
      // Entering publishing counts an attempt (polls of a post already publishing do not).
      if (row.status !== 'publishing') {
        const started = await db.scheduledPost.updateMany({
          where: { id: row.id, status: { in: ['scheduled', 'deferred', 'needs_reauth'] } },
          data: { status: 'publishing', statusReason: null, deferredUntil: null, attempts: { increment: 1 } },
        })
        if (started.count === 0) return { kind: 'skipped', reason: `the post is ${row.status}` }
      }
      // Heartbeats for the whole step (the wait, and a long upload): a worker that dies is noticed in seconds.
      const context = Context.current()
      const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS)
      try {
        const waitMs = input.notBefore ? Date.parse(input.notBefore) - Date.now() : 0
        // Handed over early: the token, the file and its link (and TikTok's creator info) are read before the
        // instant, so only the publishing calls remain.
        const prepared = waitMs > 0 && row.socialAccount.status === 'active' ? await stepContext(row) : undefined
        if (prepared) prepared.preparedAhead = Context.current().info.attempt === 1
        if (prepared && row.platform === 'tiktok' && !row.containerId && !row.pendingCall) {
          const creator = await platformStep(row, readTikTokCreator, prepared).catch(() => null)
          // A refusal here is met again, and answered, by the step itself.
          if (creator && !('kind' in creator)) prepared.tiktokCreator = creator
        }
        if (waitMs > 0) await context.sleep(Math.max(0, Date.parse(input.notBefore!) - Date.now()))
        let result = await due.run(() => platformStep(row, publishPlatformPost, prepared))
        // What this step gives way to due posts, in all, and how long it looks at processing media itself.
        const giveWayUntil = Date.now() + GIVE_WAY_MAX_MS
        const giveWay = () => due.giveWay(giveWayUntil - Date.now())
        const pollUntil = Date.now() + IN_STEP_POLL_MS
        // The platform is processing (a TikTok upload, an Instagram container): look again here for a few seconds,
        // outside the account's turn and after any post that is due, before handing the wait back to the workflow.
        while (result.kind === 'processing' && Date.now() < pollUntil) {
          await context.sleep(IN_STEP_POLL_EVERY_MS)
          await giveWay()
          const fresh = await readPost(row.id)
          if (!fresh || fresh.status !== 'publishing') break
          result = await platformStep(fresh, publishPlatformPost)
        }
        if (result.kind !== 'published') return result
        // After the account's turn, and after the posts that are due: the link (a safe read, again with the
        // metrics if it fails) and the card.
        await giveWay()
        const published = await readPost(row.id)
        let permalink = published?.permalink ?? result.permalink
        if (published && !permalink) {
          permalink = await platformStep(published, readPlatformPermalink).then((link) => (typeof link === 'string' ? link : null), () => null)
          if (permalink) await db.scheduledPost.update({ where: { id: row.id }, data: { permalink } })
        }
        await cards.move({ agencyId: row.agencyId, cardId: row.cardId, reason: SCHEDULED_POST_STATUS_LABELS.published })
        return { ...result, permalink, settled: true, sandbox: row.socialAccount.sandbox }
      } finally {
        clearInterval(beat)
      }
    },

    /** "Verify on platform" for an unconfirmed post. */
    async verifyPost(input: { scheduledPostId: string }): Promise<VerificationResult> {
      const row = await requirePost(input.scheduledPostId)
      if (row.status === 'published') return { outcome: 'published', message: 'The post is published.' }
      const result = await platformStep(row, verifyPlatformPost)
      if ('outcome' in result) return result
      return { outcome: 'unknown', message: 'reason' in result ? result.reason : 'The platform could not be asked.' }
    },

    /** One pull of the metrics schedule: a snapshot row per pull, written once. False when the post is gone. */
    async pullPostMetrics(input: { scheduledPostId: string; pullIndex: number }): Promise<boolean> {
      const row = await readPost(input.scheduledPostId)
      if (!row || row.status !== 'published') return false
      if (!row.permalink) {
        const permalink = await platformStep(row, readPlatformPermalink).catch(() => null)
        if (typeof permalink === 'string') await db.scheduledPost.update({ where: { id: row.id }, data: { permalink } })
      }
      const metrics = await platformStep(row, readPlatformMetrics)
      if (metrics === null || 'kind' in metrics) return metrics !== null
      await db.postMetricSnapshot.upsert({
        where: { scheduledPostId_pullIndex: { scheduledPostId: row.id, pullIndex: input.pullIndex } },
        create: { agencyId: row.agencyId, scheduledPostId: row.id, pullIndex: input.pullIndex, capturedAt: new Date(), ...metrics, engagementRate: engagementRate(metrics) },
        update: {},
      })
      return true
    },

    /** Whether the post's account works again (a reconnect whose signal was lost is found this way). */
    async accountActiveForPost(input: { scheduledPostId: string }): Promise<boolean> {
      const row = await readPost(input.scheduledPostId)
      return row?.socialAccount.status === 'active'
    },

    /** Writes a waiting status (scheduled at a new time, deferred) unless the post has moved on. */
    async recordPostStatus(input: { scheduledPostId: string; status: Extract<ScheduledPostStatus, 'scheduled' | 'deferred' | 'cancelled'>; scheduledAt?: string; deferredUntil?: string | null; reason?: string | null }): Promise<void> {
      await db.scheduledPost.updateMany({
        where: { id: input.scheduledPostId, status: { in: ['scheduled', 'deferred', 'needs_reauth', 'unconfirmed', 'publishing'] } },
        data: {
          status: input.status,
          statusReason: input.reason ?? null,
          deferredUntil: input.deferredUntil ? new Date(input.deferredUntil) : null,
          ...(input.scheduledAt ? { scheduledAt: new Date(input.scheduledAt) } : {}),
        },
      })
    },

    /**
     * What follows a step's outcome: the row's status and reason, the notices (failed, unconfirmed, waiting for a
     * reconnect: in-app, e-mail, webhook), the account marked for reconnecting, and the card's column.
     */
    async settlePost(input: { scheduledPostId: string; result: PublishStepResult | { kind: 'cancelled'; by: string } }): Promise<{ sandbox: boolean } | null> {
      const row = await readPost(input.scheduledPostId)
      if (!row) return null
      const { result } = input
      if (result.kind === 'failed' || result.kind === 'unconfirmed' || result.kind === 'needs_reauth') {
        const reason = result.reason.slice(0, REASON_MAX)
        // The account first: whoever sees the post waiting for a reconnect finds the account marked.
        if (result.kind === 'needs_reauth') {
          // One notice per account and refused token, however many of its posts wait.
          await markAccountNeedsReauth(
            { db, mailer: deps.mailer, webUrl: deps.oauth.webUrl },
            { socialAccountId: row.socialAccountId, reason, tokensFingerprint: result.tokensFingerprint ?? tokensFingerprint(row.socialAccount.accessTokenCiphertext), idempotencyKey: `account:${row.socialAccountId}:${result.tokensFingerprint ?? tokensFingerprint(row.socialAccount.accessTokenCiphertext)}` },
          )
        }
        await db.scheduledPost.updateMany({
          where: { id: row.id, status: { in: ['scheduled', 'publishing', 'deferred', 'needs_reauth', 'unconfirmed'] } },
          data: { status: result.kind, statusReason: reason, ...(result.kind === 'failed' ? { failureCode: result.code } : {}) },
        })
        await notifyPost({ ...row, attempts: row.attempts }, result.kind, reason)
      } else if (result.kind === 'deferred') {
        await db.scheduledPost.updateMany({
          where: { id: row.id, status: { in: ['scheduled', 'publishing', 'deferred'] } },
          data: { status: 'deferred', statusReason: result.reason.slice(0, REASON_MAX), deferredUntil: new Date(result.until) },
        })
      } else if (result.kind === 'cancelled') {
        await db.scheduledPost.updateMany({ where: { id: row.id, status: { notIn: ['published', 'failed'] } }, data: { status: 'cancelled', statusReason: `Cancelled by ${result.by}.` } })
      }
      await cards.move({ agencyId: row.agencyId, cardId: row.cardId, reason: SCHEDULED_POST_STATUS_LABELS[statusAfter(result, row.status as ScheduledPostStatus)] })
      return { sandbox: row.socialAccount.sandbox }
    },
  }
}

/** Graph's rate-limit codes (app, user, page, custom, business use case) and TikTok's. */
function isRateLimit(code: string): boolean {
  const graphCode = Number(code.split('/')[0])
  return [4, 17, 32, 613].includes(graphCode) || (graphCode >= 80000 && graphCode <= 80014) || code === 'rate_limit_exceeded'
}

/** The step's row is gone (deleted with its card or account): nothing is left to publish. */
function postGone(postId: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`Scheduled post ${postId} has no row (it was deleted with its card or account).`, 'ScheduledPostNotFound')
}

/** A post deferred until the account's throttle ends, with the reason shown. */
function slowedDown(row: PostRow, until: number): PublishStepResult {
  return { kind: 'deferred', until: new Date(until).toISOString(), reason: `${platformLabel(row)} asked Greenlight to slow down for ${row.socialAccount.handle}: the post goes out when its allowance is back.` }
}

function platformLabel(row: { platform: string }): string {
  return PLATFORM_LABELS[row.platform as SocialPlatform] ?? row.platform
}

function statusAfter(result: PublishStepResult | { kind: 'cancelled' }, current: ScheduledPostStatus): ScheduledPostStatus {
  switch (result.kind) {
    case 'published':
    case 'deferred':
    case 'needs_reauth':
    case 'unconfirmed':
    case 'failed':
    case 'cancelled':
      return result.kind
    default:
      return current
  }
}

export type PublishingActivities = ReturnType<typeof createPublishingActivities>
