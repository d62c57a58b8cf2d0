// The publish workflow's contract, shared by the workflow, its activities, the worker and the API. One run per
// scheduled post: `publish:<scheduledPostId>`. Its platform activities run on the platform's own task queue,
// whose workers cap the calls in flight (worker.ts).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow'
import type { SocialPlatform } from '../../domain/brand-kit'
import type { ScheduledPostStatus } from '../../domain/publishing'

export { AgencyIdAttribute } from '../campaign/definitions'

export const PUBLISH_POST_WORKFLOW_TYPE = 'publishPostWorkflow'

export interface PublishPostWorkflowInput {
  scheduledPostId: string
  agencyId: string
  platform: SocialPlatform
  /** The time to publish at, as scheduled; a reschedule Update moves it. */
  scheduledAt: string
  /**
   * A run started again for a post that was waiting for a person (the sweep, after the earlier run was
   * terminated): it goes on waiting for that rather than publishing.
   */
  resumeAs?: 'unconfirmed' | 'needs_reauth'
}

/**
 * What one step of publishing came to. The activity has already written the row (progress, status, reason);
 * the workflow decides what comes next from this.
 */
export type PublishStepResult =
  /**
   * `settled`: the activity already moved the card (the publish step does, to spare the run a task); `sandbox`:
   * the account is a sandbox one (its metrics run on the faster schedule).
   */
  | { kind: 'published'; platformPostId: string; permalink: string | null; settled?: boolean; sandbox?: boolean }
  /** The platform is still processing the media: come back in a moment. */
  | { kind: 'processing'; retryInMs: number }
  /** The platform's posting allowance is used up: go again at `until`. */
  | { kind: 'deferred'; until: string; reason: string }
  /** `tokensFingerprint` names the tokens the platform refused, so a reconnect meanwhile is not undone. */
  | { kind: 'needs_reauth'; reason: string; tokensFingerprint?: string | null }
  /** A call got no answer and the platform's state cannot tell whether it took effect: a person verifies. */
  | { kind: 'unconfirmed'; reason: string }
  | { kind: 'failed'; reason: string; code: string | null }
  /** The row is gone or no longer publishable (cancelled meanwhile): nothing was sent. */
  | { kind: 'skipped'; reason: string }

export type VerificationOutcome = 'published' | 'absent' | 'unknown'

export interface VerificationResult {
  outcome: VerificationOutcome
  message: string
}

export interface PublishPostState {
  status: ScheduledPostStatus
  scheduledAt: string
  deferredUntil: string | null
  reason: string | null
}

export interface Actor {
  /** Who asked, for the run's history in Temporal Web ("Dana Lee", "system"). */
  by: string
}

/** Moves the time while the post still waits for it; refused once publishing has begun. */
export const rescheduleUpdate = defineUpdate<PublishPostState, [Actor & { at: string }]>('reschedule')
/** Cancels the post while nothing has been sent; refused once publishing has begun. */
export const cancelUpdate = defineUpdate<PublishPostState, [Actor]>('cancel')
/** "Verify on platform": reconciles an unconfirmed post against the platform; absent means it publishes again. */
export const verifyUpdate = defineUpdate<VerificationResult, [Actor]>('verify')
/** The post's account was reconnected: a post waiting for that goes again. */
export const accountReconnectedSignal = defineSignal<[Actor]>('accountReconnected')
export const publishPostStateQuery = defineQuery<PublishPostState>('publishPostState')

/**
 * How long before its time an Instagram post's container is created, so the platform has processed the media
 * when the time comes and publishing is a single call. Facebook and TikTok have nothing to prepare: their create
 * call is the publication.
 */
export const PREPARE_LEAD_MS = 5 * 60 * 1000

/**
 * How long before its time a post's publish activity is handed to the worker, which waits for the exact instant
 * and then calls the platform: the workflow's own work (its timer, its task, the activity's dispatch) is done
 * before the time, so a thousand posts due at one second are not queued behind each other's workflow tasks. Each
 * post adds a spread of up to PUBLISH_HANDOVER_SPREAD_MS (fixed by its id) so the hand-overs do not all land at
 * once either. Within this window the post can no longer be rescheduled or cancelled: it is going out.
 */
export const PUBLISH_HANDOVER_MS = 15_000
export const PUBLISH_HANDOVER_SPREAD_MS = 45_000

/** The post's hand-over lead: PUBLISH_HANDOVER_MS plus its share of the spread (deterministic: from its id). */
export function publishHandoverLeadMs(scheduledPostId: string): number {
  let hash = 0
  for (const char of scheduledPostId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return PUBLISH_HANDOVER_MS + (hash % PUBLISH_HANDOVER_SPREAD_MS)
}

/** While an account waits for a reconnect, the row is read again this often, in case the signal was lost. */
export const REAUTH_RECHECK_MS = 15 * 60 * 1000

/** A post whose platform kept failing is failed after this many tries of a step (about five minutes). */
export const PUBLISH_STEP_ATTEMPTS = 8

/** Failure type of a retryable platform error (5xx, rate limits, timeouts before anything was sent). */
export const PLATFORM_UNAVAILABLE = 'PlatformUnavailable'

const PREFIX = 'publish:'

export function publishWorkflowId(scheduledPostId: string): string {
  return `${PREFIX}${scheduledPostId}`
}

export function scheduledPostIdFromWorkflowId(workflowId: string): string | null {
  return workflowId.startsWith(PREFIX) ? workflowId.slice(PREFIX.length) : null
}

/** The task queue of one platform's publishing activities: `<main queue>-publish-<platform>`. */
export function publishTaskQueue(baseTaskQueue: string, platform: SocialPlatform): string {
  return `${baseTaskQueue}-publish-${platform}`
}

export const POST_METRICS_WORKFLOW_TYPE = 'postMetricsWorkflow'

export interface PostMetricsWorkflowInput {
  scheduledPostId: string
  agencyId: string
  platform: SocialPlatform
  publishedAt: string
  /**
   * Shrinks the schedule (domain/publishing.ts metricsPullOffsets): 1 for real accounts, SANDBOX_METRICS_SCALE
   * for sandbox ones. Absent from runs started before it existed: 1.
   */
  scheduleScale?: number
}

export function postMetricsWorkflowId(scheduledPostId: string): string {
  return `post-metrics:${scheduledPostId}`
}
