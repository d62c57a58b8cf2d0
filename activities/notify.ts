// Notification delivery shared by the workflows' activities (approval rounds, scheduled posts): e-mail and the
// Slack-compatible webhook, each at most once per notification or event, however often an activity is retried.
// The in-app rows themselves are written by each activity with an idempotency key.
import { ApplicationFailure, Context } from '@temporalio/activity'
import type { Database } from '../platform/database'
import type { Mailer } from '../platform/mailer'

/**
 * E-mails each recipient's notification of an event whose row has not gone out yet. The row is claimed
 * (emailedAt set where it is still null, one atomic update) before sending, so two attempts of the activity
 * never both send it. A mailer that throws could not record the message (the SMTP mailer reports a refused
 * delivery as status "failed" rather than throwing): the claim is released and the error retries the
 * activity, which sends again only if the mail server took the message before the outbox write failed. A
 * delivery the mail server refused is released too, but does not hold anything up: the outbox page shows why.
 */
export async function emailNotificationsOnce(
  db: Database,
  mailer: Mailer,
  input: { agencyId: string; recipients: { id: string; name: string; email: string; idempotencyKey: string }[]; subject: string; text: (name: string) => string },
): Promise<void> {
  const byKey = new Map(input.recipients.map((recipient) => [recipient.idempotencyKey, recipient]))
  const pending = await db.notification.findMany({ where: { idempotencyKey: { in: [...byKey.keys()] }, emailedAt: null }, select: { id: true, idempotencyKey: true } })
  for (const notification of pending) {
    const recipient = byKey.get(notification.idempotencyKey!)
    if (!recipient) continue
    const claimed = await db.notification.updateMany({ where: { id: notification.id, emailedAt: null }, data: { emailedAt: new Date() } })
    if (claimed.count === 0) continue
    const release = () => db.notification.update({ where: { id: notification.id }, data: { emailedAt: null } })
    let status: string
    try {
      ;({ status } = await mailer.send({ agencyId: input.agencyId, to: recipient.email, subject: input.subject, text: input.text(recipient.name) }))
    } catch (error) {
      await release()
      throw error
    }
    if (status === 'failed') await release()
  }
}

/** The post's body as Slack's incoming webhooks take it: `text` for clients that read only that, and one block. */
export function webhookMessage(input: { title: string; body: string; url: string; linkText: string }): { text: string; blocks: unknown[] } {
  // Slack's mrkdwn reads &, < and > as markup.
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return {
    text: `${escape(input.title)}. ${escape(input.body)} <${input.url}|${escape(input.linkText)}>`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${escape(input.title)}*\n${escape(input.body)}\n<${input.url}|${escape(input.linkText)} in Greenlight>` } }],
  }
}

const WEBHOOK_TIMEOUT_MS = 10_000
/**
 * Attempts of the activity after which a webhook that keeps failing is given up on (about four minutes of
 * retries): later steps of the workflow wait for this activity, and a chat channel that is down must not hold
 * up approvals or publishing.
 */
const WEBHOOK_ATTEMPTS_MAX = 10

/** Claims an event for posting (true: this attempt posts it) and releases the claim when the post failed. */
export interface WebhookClaim {
  claim(): Promise<boolean>
  release(): Promise<void>
  /** For log lines and failures: the event and what it is about, e.g. `“expiry” of approval round <id>`. */
  describe: string
}

/**
 * Posts an event to the webhook once: the event is claimed (an atomic update on its row) before posting, so two
 * attempts never both post it. A failed post releases the claim and throws, so the retry posts again; a 4xx
 * other than 408 and 429 (the webhook was removed or refuses the body) and the last attempt give up with a log
 * line instead. The URL is never logged or put in a failure: an incoming-webhook URL is itself the credential.
 */
export async function postWebhookEventOnce(url: string, claim: WebhookClaim, message: unknown): Promise<void> {
  if (!(await claim.claim())) return
  let failure: string | null = null
  let permanent = false
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    })
    await response.arrayBuffer().catch(() => undefined)
    if (!response.ok) {
      failure = `answered HTTP ${response.status}`
      permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429
    }
  } catch (error) {
    failure = webhookFailure(error)
  }
  if (failure === null) return
  await claim.release()
  const context = Context.current()
  const what = `The notification webhook (NOTIFY_WEBHOOK_URL) ${failure} for the event ${claim.describe}`
  if (permanent || context.info.attempt >= WEBHOOK_ATTEMPTS_MAX) {
    context.log.warn(`${what}; not posted (${permanent ? 'refused' : `${context.info.attempt} attempts`}). Check the URL and the receiving service.`)
    return
  }
  throw ApplicationFailure.retryable(`${what}; retrying. Check the URL and the receiving service if this repeats.`, 'NotifyWebhookFailed')
}

/** Why a post did not arrive, without the URL (fetch's messages and causes may name it). */
function webhookFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `did not answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`
  const code = error instanceof Error ? (error.cause as { code?: unknown } | undefined)?.code : undefined
  return `could not be reached${typeof code === 'string' ? ` (${code})` : ''}`
}
