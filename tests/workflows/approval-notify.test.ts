// The approval round's notifications beyond the in-app ones: an e-mail per notification through the mailer
// (the development outbox here) and a Slack-compatible webhook post per round event, to a local HTTP server.
// Both go out once however often the activity runs: through a workflow whose activity is retried after a
// failed post, through two attempts of the activity at the same moment, and a refused e-mail or webhook.
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Info } from '@temporalio/activity'
import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createActivities } from '../../activities'
import { createApprovalActivities } from '../../activities/approvals'
import type { ApprovalPolicy } from '../../domain/approvals'
import { oauthSettings } from '../../platform/config'
import type { Database } from '../../platform/database'
import { createMailer } from '../../platform/mailer'
import { approvalWorkflow } from '../../workflows/approval/workflow'
import { approvalScope, openApprovalRound, type ApprovalScope } from '../support/approvals'
import { testDatabase } from '../support/database'
import { startTimeSkippingWorker, type TimeSkippingWorker } from '../support/temporal'

const WEB_URL = 'http://web.test'
/** The path stands for the secret an incoming-webhook URL carries: it must never show up in a failure. */
const WEBHOOK_SECRET = `T0000/B0000/${randomUUID()}`

interface ReceivedPost {
  text: string
  blocks: { type: string; text: { type: string; text: string } }[]
  status: number
}

/** A Slack-style incoming webhook: records every post, and answers the next `refuse` posts with `refuseStatus`. */
const webhook = {
  posts: [] as ReceivedPost[],
  refuse: 0,
  refuseStatus: 500,
  url: '',
  server: http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const status = request.url !== `/services/${WEBHOOK_SECRET}` ? 404 : webhook.refuse > 0 ? webhook.refuseStatus : 200
      if (status !== 200 && request.url === `/services/${WEBHOOK_SECRET}`) webhook.refuse -= 1
      webhook.posts.push({ ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<ReceivedPost, 'status'>), status })
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'invalid_token')
    })
  }),
}

const taskQueue = `approval-notify-test-${randomUUID()}`
let db: Database
let dropDatabase: () => Promise<void>
let temporal: TimeSkippingWorker
let env: TestWorkflowEnvironment
let scope: ApprovalScope<'owner' | 'ana' | 'ben' | 'cleo' | 'maya'>
let agencyId: string
let campaignId: string
let people: typeof scope.people
let emails: typeof scope.emails

beforeAll(async () => {
  await new Promise<void>((resolve) => webhook.server.listen(0, '127.0.0.1', resolve))
  webhook.url = `http://127.0.0.1:${(webhook.server.address() as AddressInfo).port}/services/${WEBHOOK_SECRET}`
  ;({ db, drop: dropDatabase } = await testDatabase())
  scope = await approvalScope(db, 'Notify', { owner: 'owner', ana: 'manager', ben: 'editor', cleo: 'client_approver', maya: 'creator' })
  ;({ agencyId, campaignId, people, emails } = scope)
  temporal = await startTimeSkippingWorker(taskQueue, () =>
    createActivities({ db, mailer: createMailer({ db, from: 'test@greenlight.test' }), notifyWebhookUrl: webhook.url, oauth: { ...oauthSettings(), webUrl: WEB_URL } }),
  )
  env = temporal.env
}, 120_000)

afterAll(async () => {
  await temporal?.stop()
  await dropDatabase?.()
  await new Promise((resolve) => webhook.server.close(resolve))
})

beforeEach(() => {
  webhook.posts = []
  webhook.refuse = 0
  webhook.refuseStatus = 500
})

const internalReview: ApprovalPolicy = {
  mode: 'required',
  steps: [{ name: 'Internal review', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager', 'editor'] }],
  deadlines: { dueAfterHours: 48, remindBeforeHours: [24], escalateAfterHours: 12, expireAfterHours: 24 },
}

/** A submitted card and its round row under the internal review policy, submitted by Maya at `submittedAt`. */
const openRound = (submittedAt: Date) => openApprovalRound(db, scope, { policy: internalReview, submitter: people.maya, submittedAt, captionVersion: 1 })

/** E-mails in the outbox about a card, as "address subject" strings, sorted. */
async function outboxFor(cardTitle: string) {
  const rows = await db.emailOutbox.findMany({ where: { agencyId, subject: { contains: cardTitle } } })
  return rows.map((row) => `${row.toAddress} ${row.subject}`).sort()
}

const accepted = (kind: string) => webhook.posts.filter((post) => post.status === 200 && post.text.startsWith(kind))

describe('approval notifications by e-mail and webhook', () => {
  it('a retried activity posts each round event once and e-mails each recipient once', async () => {
    const submittedAt = new Date(await env.currentTimeMs())
    const { card, round, input } = await openRound(submittedAt)
    // The first post (the reminder) is refused: the activity fails after its e-mails went out, and is retried.
    webhook.refuse = 1
    const handle = await env.client.workflow.start(approvalWorkflow, { workflowId: round.workflowId, taskQueue, args: [input] })
    expect((await handle.result()).status).toBe('expired')

    // The reminder's activity really ran twice (the time-skipping server keeps no last failure: the activity
    // tier below reads the failure itself).
    const history = await handle.fetchHistory()
    const attempts = history.events!.flatMap((event) => (event.activityTaskStartedEventAttributes ? [event.activityTaskStartedEventAttributes.attempt ?? 1] : []))
    expect(attempts.filter((attempt) => attempt > 1)).toEqual([2])

    // One accepted post per event; the refused reminder was posted again, once.
    expect(webhook.posts.map((post) => post.status)).toEqual([500, 200, 200, 200])
    expect(accepted(`Approval due in 24 h: “${card.title}”`)).toHaveLength(1)
    expect(accepted(`Approval overdue: “${card.title}”`)).toHaveLength(1)
    expect(accepted(`Approval expired: “${card.title}”`)).toHaveLength(1)
    const link = `${WEB_URL}/campaigns/${campaignId}/board/cards/${card.id}`
    expect(webhook.posts[1]!.text).toContain(`<${link}|Open the card>`)
    expect(webhook.posts[1]!.blocks[0]!).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } })
    expect(webhook.posts[1]!.blocks[0]!.text.text).toContain(`*Approval due in 24 h: “${card.title}”*`)
    expect((await db.approvalRound.findUniqueOrThrow({ where: { id: round.id } })).webhookSent).toEqual(['reminder-24', 'escalation', 'expiry'])

    // Reminder: the step's approvers (a manager and an editor); escalation: owner and manager; expiry: the
    // approvers and the submitter. Each once, though the reminder's activity ran twice.
    const reminder = `Greenlight: Approval due in 24 h: “${card.title}”`
    const escalation = `Greenlight: Approval overdue: “${card.title}” (Internal review)`
    const expiry = `Greenlight: Approval expired: “${card.title}”`
    expect(await outboxFor(card.title)).toEqual(
      [
        `${emails.ana} ${reminder}`,
        `${emails.ben} ${reminder}`,
        `${emails.owner} ${escalation}`,
        `${emails.ana} ${escalation}`,
        `${emails.ana} ${expiry}`,
        `${emails.ben} ${expiry}`,
        `${emails.maya} ${expiry}`,
      ].sort(),
    )
    const notifications = await db.notification.findMany({ where: { idempotencyKey: { startsWith: `approval:${round.id}:` } } })
    expect(notifications).toHaveLength(7)
    expect(notifications.every((notification) => notification.emailedAt !== null)).toBe(true)
    const mail = await db.emailOutbox.findFirstOrThrow({ where: { toAddress: emails.ben, subject: { startsWith: 'Greenlight: Approval due in 24 h' } } })
    expect(mail.text).toContain(`Hello Ben,`)
    expect(mail.text).toContain(link)
    // Counted once, though the activity ran twice.
    expect((await db.approvalRound.findUniqueOrThrow({ where: { id: round.id } })).remindersSent).toBe(1)
  }, 120_000)
})

describe('notifyApproval, attempt by attempt', () => {
  const activities = () => createApprovalActivities({ db, mailer: createMailer({ db, from: 'test@greenlight.test' }), notifyWebhookUrl: webhook.url, webUrl: WEB_URL })
  type NotifyInput = Parameters<ReturnType<typeof createApprovalActivities>['notifyApproval']>[0]
  const run = (activities: ReturnType<typeof createApprovalActivities>, info: Partial<Info>, input: NotifyInput) =>
    new MockActivityEnvironment(info).run(activities.notifyApproval, input) as Promise<number>
  const attempt = (attemptNumber = 1): Partial<Info> => ({ workflowExecution: { workflowId: `approval-notify-test:${randomUUID()}`, runId: randomUUID() }, activityId: '1', attempt: attemptNumber })

  it('two attempts at the same moment, then a third: one post, one e-mail per recipient', async () => {
    const { card, round } = await openRound(new Date())
    const notify = activities()
    const input: NotifyInput = { roundId: round.id, kind: 'reminder', stepIndex: 0, hoursBefore: 2 }
    const [first, second] = await Promise.all([run(notify, attempt(), input), run(notify, attempt(2), input)])
    expect(first + second).toBe(2)
    expect(await run(notify, attempt(3), input)).toBe(0)
    expect(webhook.posts.map((post) => post.status)).toEqual([200])
    const reminder = `Greenlight: Approval due in 2 h: “${card.title}”`
    expect(await outboxFor(card.title)).toEqual([`${emails.ana} ${reminder}`, `${emails.ben} ${reminder}`].sort())
    expect((await db.approvalRound.findUniqueOrThrow({ where: { id: round.id } })).webhookSent).toEqual(['reminder-2'])
  })

  it('a webhook that refuses for good (404) is given up on without failing the round; a transient failure retries', async () => {
    const { round } = await openRound(new Date())
    const notify = activities()
    webhook.refuse = 1
    webhook.refuseStatus = 404
    await run(notify, attempt(), { roundId: round.id, kind: 'escalation', stepIndex: 0 })
    expect(webhook.posts.map((post) => post.status)).toEqual([404])
    // Released: a later run of the event may post it.
    expect((await db.approvalRound.findUniqueOrThrow({ where: { id: round.id } })).webhookSent).toEqual([])

    webhook.refuse = 1
    webhook.refuseStatus = 503
    const failure = await run(notify, attempt(), { roundId: round.id, kind: 'expiry', stepIndex: 0 }).then(
      () => null,
      (error: unknown) => error as Error & { type?: string },
    )
    expect(failure?.type).toBe('NotifyWebhookFailed')
    expect(failure?.message).toBe(
      `The notification webhook (NOTIFY_WEBHOOK_URL) answered HTTP 503 for the event “expiry” of approval round ${round.id}; retrying. Check the URL and the receiving service if this repeats.`,
    )
    expect((await db.approvalRound.findUniqueOrThrow({ where: { id: round.id } })).webhookSent).toEqual([])
    // The retry posts it; its e-mails went out with the first attempt and are not sent again.
    const mailsBefore = await db.emailOutbox.count({ where: { agencyId } })
    await run(notify, attempt(2), { roundId: round.id, kind: 'expiry', stepIndex: 0 })
    expect(await db.emailOutbox.count({ where: { agencyId } })).toBe(mailsBefore)
    expect(webhook.posts.map((post) => post.status)).toEqual([404, 503, 200])
    expect((await db.approvalRound.findUniqueOrThrow({ where: { id: round.id } })).webhookSent).toEqual(['expiry'])
  })

  it('an e-mail the mail server refused stays unsent (outbox says failed) and does not fail the activity', async () => {
    const { card, round } = await openRound(new Date())
    // Nothing listens on port 1: every delivery is refused.
    const smtp = createApprovalActivities({ db, mailer: createMailer({ db, smtpUrl: 'smtp://127.0.0.1:1', from: 'test@greenlight.test' }), webUrl: WEB_URL })
    expect(await run(smtp, attempt(), { roundId: round.id, kind: 'reminder', stepIndex: 0, hoursBefore: 24 })).toBe(2)
    const notifications = await db.notification.findMany({ where: { idempotencyKey: { startsWith: `approval:${round.id}:` } } })
    expect(notifications.map((notification) => notification.emailedAt)).toEqual([null, null])
    const failed = await db.emailOutbox.findMany({ where: { agencyId, status: 'failed', subject: { contains: card.title } } })
    expect(failed.map((row) => row.toAddress).sort()).toEqual([emails.ana, emails.ben].sort())
    // Without a webhook configured nothing is posted or claimed.
    expect(webhook.posts).toEqual([])
    expect((await db.approvalRound.findUniqueOrThrow({ where: { id: round.id } })).webhookSent).toEqual([])
  })
})
