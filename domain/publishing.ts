// Publishing rules: how a platform's failure is classified (and so what the publish workflow does with it),
// the states a scheduled post goes through, the window a post may be scheduled in, the default best times to
// post when an account has no history, and the decaying schedule on which a published post's metrics are
// pulled. Pure: the workflows, activities and API apply these.

/**
 * What a platform error means for the post:
 * - retryable: the same call may be made again after a wait (5xx, transient, rate limits);
 * - reauth: the account's token no longer works (Graph 190, TikTok access_token_invalid): the account needs
 *   reconnecting, and the post resumes after it;
 * - bad_input: the post itself is wrong (caption too long, media format): it fails with the reason;
 * - quota: the platform's posting allowance is used up (Instagram's 24-hour limit, TikTok's daily caps): the post
 *   is deferred until the allowance comes back, with the reason shown.
 */
export const PLATFORM_ERROR_KINDS = ['retryable', 'reauth', 'bad_input', 'quota'] as const
export type PlatformErrorKind = (typeof PLATFORM_ERROR_KINDS)[number]

/** A classified platform failure, as clients in activities/platforms report it. */
export interface PlatformFailure {
  kind: PlatformErrorKind
  /** The platform's own code, e.g. "190/463" (Graph code/subcode) or "spam_risk_too_many_posts" (TikTok). */
  code: string
  /** For people: what happened and what to do, in plain words. */
  message: string
  /** When a retry or the deferred post may go again (rate limits, quotas), if the platform said. */
  retryAfterMs: number | null
}

export const SCHEDULED_POST_STATUSES = [
  'scheduled', // waiting for its time
  'publishing', // steps under way
  'deferred', // the platform's quota is used up: waits for it, reason shown
  'needs_reauth', // the account's token stopped working: resumes after reconnecting
  'unconfirmed', // an ambiguous outcome: "verify on platform" reconciles it
  'published',
  'failed',
  'cancelled',
] as const
export type ScheduledPostStatus = (typeof SCHEDULED_POST_STATUSES)[number]

export const SCHEDULED_POST_STATUS_LABELS: Record<ScheduledPostStatus, string> = {
  scheduled: 'Scheduled',
  publishing: 'Publishing',
  deferred: 'Deferred (platform limit)',
  needs_reauth: 'Needs reconnecting',
  unconfirmed: 'Unconfirmed',
  published: 'Published',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

/** How far ahead a post may be scheduled, and how far in the past a "now" still counts as now. */
export const SCHEDULE_LIMITS = { maxAheadMs: 90 * DAY_MS, pastGraceMs: 5 * MINUTE_MS } as const

export interface ScheduleRefusal {
  code: 'SCHEDULE_IN_PAST' | 'SCHEDULE_TOO_FAR'
  message: string
}

/** Whether a post may be scheduled at `at` (null: it may), seen at `now`. */
export function checkScheduleTime(at: Date, now: Date): ScheduleRefusal | null {
  if (at.getTime() < now.getTime() - SCHEDULE_LIMITS.pastGraceMs) {
    return { code: 'SCHEDULE_IN_PAST', message: 'That time has passed: choose a time from now on, or post now.' }
  }
  if (at.getTime() > now.getTime() + SCHEDULE_LIMITS.maxAheadMs) {
    return { code: 'SCHEDULE_TOO_FAR', message: 'Posts can be scheduled up to 90 days ahead.' }
  }
  return null
}

/**
 * The decaying schedule of metric pulls after publication: 1 h, 6 h, 24 h, 3 d, 7 d, then weekly up to 30
 * days. Returns offsets from the publication time in milliseconds, in order; `scale` shrinks the whole
 * schedule (sandbox posts run it in minutes instead of hours: SANDBOX_METRICS_SCALE).
 */
export function metricsPullOffsets(scale = 1): number[] {
  const offsets = [1 * HOUR_MS, 6 * HOUR_MS, 24 * HOUR_MS, 3 * DAY_MS, 7 * DAY_MS]
  for (let day = 14; day <= 30; day += 7) offsets.push(day * DAY_MS)
  if (offsets.at(-1)! < 30 * DAY_MS) offsets.push(30 * DAY_MS)
  return offsets.map((offset) => Math.round(offset * scale))
}

/** Sandbox posts' metrics schedule runs sixty times faster (1 h → 1 min, 30 days → 12 h), so a demo shows it. */
export const SANDBOX_METRICS_SCALE = 1 / 60

/** The metrics a snapshot keeps, whatever the platform calls them. */
export interface PostMetrics {
  views: number
  reach: number | null
  likes: number
  comments: number
  shares: number
  saves: number | null
  clicks: number | null
}

/** Engagement rate: interactions over reach (or views when the platform gives no reach), 0 when neither. */
export function engagementRate(metrics: PostMetrics): number {
  const interactions = metrics.likes + metrics.comments + metrics.shares + (metrics.saves ?? 0) + (metrics.clicks ?? 0)
  const audience = metrics.reach ?? metrics.views
  return audience > 0 ? Math.round((interactions / audience) * 10_000) / 10_000 : 0
}

/** Statuses in which a post still waits to go out (or for a person to verify it). */
export const LIVE_POST_STATUSES = ['scheduled', 'publishing', 'deferred', 'needs_reauth', 'unconfirmed'] as const satisfies readonly ScheduledPostStatus[]
/** A card's post in one of these holds its account: another post of the card to that account is refused. */
export const ACCOUNT_HOLDING_POST_STATUSES = [...LIVE_POST_STATUSES, 'published'] as const satisfies readonly ScheduledPostStatus[]
/** Statuses after which nothing more happens to a post. */
export const FINAL_POST_STATUSES = ['published', 'failed', 'cancelled'] as const satisfies readonly ScheduledPostStatus[]
/** While waiting for its time (or for a quota or a reconnect) a post can be moved or cancelled. */
export const RESCHEDULABLE_POST_STATUSES = ['scheduled', 'deferred', 'needs_reauth'] as const satisfies readonly ScheduledPostStatus[]
/** Cancelling is possible until something was sent, and for an unconfirmed post (its owner checked by hand). */
export const CANCELLABLE_POST_STATUSES = ['scheduled', 'deferred', 'needs_reauth', 'unconfirmed'] as const satisfies readonly ScheduledPostStatus[]

export const isLivePostStatus = (status: string): boolean => (LIVE_POST_STATUSES as readonly string[]).includes(status)

/**
 * Where a card belongs on the board given its posts' statuses: Published once one went live and none still
 * waits, Approved again when none is live and none went out (all cancelled or failed), else Scheduled.
 */
export function boardColumnForPosts(statuses: readonly string[]): 'Scheduled' | 'Published' | 'Approved' {
  if (statuses.some(isLivePostStatus)) return 'Scheduled'
  return statuses.includes('published') ? 'Published' : 'Approved'
}
