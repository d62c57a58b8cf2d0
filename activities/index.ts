// All activities the worker registers, built once per worker process from injected dependencies.
import { oauthSettings } from '../platform/config'
import { createAiBatchActivities, type AiBatchActivityDeps } from './ai/batch'
import { createApprovalActivities } from './approvals'
import { createCampaignActivities, type CampaignActivityDeps } from './campaign'
import { createPublishingActivities, type PublishingActivityDeps } from './publishing'
import { createSocialAccountActivities, type SocialAccountActivityDeps } from './social-accounts'
import { createThreadSummaryActivities } from './thread-summary'

/**
 * The campaign activities need only the database; the social-account ones also the token cipher and the
 * mailer. The worker always passes them (worker.ts); a test that only drives campaigns may leave them out,
 * and its worker then has no token-refresh activities. Likewise the AI activities need file storage and the
 * provider registry (`ai`).
 */
export type ActivityDeps = CampaignActivityDeps &
  Partial<Omit<SocialAccountActivityDeps, 'db'>> & {
    ai?: Omit<AiBatchActivityDeps, 'db'>
    /** File storage and media links for publishing; without them (and the token cipher) no publishing activities. */
    publishing?: Pick<PublishingActivityDeps, 'storage' | 'mediaUrl' | 'requestTimeoutMs' | 'fetch' | 'callConcurrency' | 'callsPerAccount'>
    /** Slack-compatible webhook for approval events (NOTIFY_WEBHOOK_URL); unset: in-app and e-mail only. */
    notifyWebhookUrl?: string | null
  }

export function createActivities(deps: ActivityDeps) {
  const { tokenCipher, mailer } = deps
  return {
    ...createCampaignActivities(deps),
    ...createApprovalActivities({ db: deps.db, mailer, notifyWebhookUrl: deps.notifyWebhookUrl, webUrl: (deps.oauth ?? oauthSettings()).webUrl }),
    // Without the AI providers a summary is the extractive one.
    ...createThreadSummaryActivities({ db: deps.db, providers: deps.ai?.providers }),
    ...(tokenCipher && mailer
      ? createSocialAccountActivities({ ...deps, tokenCipher, mailer, oauth: deps.oauth ?? oauthSettings() })
      : {}),
    ...(tokenCipher && deps.publishing
      ? createPublishingActivities({ ...deps.publishing, db: deps.db, tokenCipher, mailer, oauth: deps.oauth ?? oauthSettings(), notifyWebhookUrl: deps.notifyWebhookUrl })
      : {}),
    ...(deps.ai ? createAiBatchActivities({ ...deps.ai, db: deps.db }) : {}),
  }
}
