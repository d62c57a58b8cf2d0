// The approval workflow's side effects: the ApprovalRound row kept current, notifications (in-app, e-mail and
// a webhook post) for reminders, escalation and expiry, an approver's caption edit, and the card's move when a
// round ends. Each is safe to repeat (idempotency keys, claims, or a check of what is already there).
import { ApplicationFailure } from '@temporalio/activity'
import { isApproverOf, outcomeColumn, roundRecord, type ApprovalPolicy, type ApprovalRound, type Decider, type RoundStatus } from '../domain/approvals'
import { READ_ONLY_STATUSES } from '../domain/campaign-brief'
import { nextCaptionVersion, positionsForAppend, BOARD_COLUMN_LABELS, type BoardColumn } from '../domain/content-board'
import { Prisma } from '../generated/prisma/client'
import { beginBoardChange, lastPosition, publishBoardChange } from '../platform/board-changes'
import type { Database } from '../platform/database'
import type { Mailer } from '../platform/mailer'
import { emailNotificationsOnce, postWebhookEventOnce, webhookMessage } from './notify'

export interface ApprovalActivityDeps {
  db: Database
  /** Sends the notifications by e-mail too; without one (a worker that only drives workflows) they stay in-app. */
  mailer?: Mailer
  /** Slack-compatible incoming webhook (NOTIFY_WEBHOOK_URL) that gets one post per round event; unset: none. */
  notifyWebhookUrl?: string | null
  /** The web app's public address, for links in e-mails and webhook posts. */
  webUrl?: string
}

export function createApprovalActivities({ db, mailer, notifyWebhookUrl = null, webUrl = '' }: ApprovalActivityDeps) {
  async function loadRound(roundId: string) {
    const row = await db.approvalRound.findUnique({ where: { id: roundId }, include: { card: { select: { id: true, title: true, campaignId: true, workspaceId: true } } } })
    if (!row) {
      throw ApplicationFailure.nonRetryable(
        `Approval round ${roundId} has no row in PostgreSQL (the card was deleted, or the worker reads another database than the API): check DATABASE_URL of the worker, then terminate this run.`,
        'ApprovalRoundNotFound',
      )
    }
    return row
  }

  return {
    /** Writes the round's state (status, step, version under review, decisions) to its row. */
    async recordApprovalRound(input: { roundId: string; state: ApprovalRound }): Promise<void> {
      const { state } = input
      // Only a pending row changes: a round's end is final, so a late write of an earlier state (or of the run's
      // state after the API closed the round on a hand move) never reopens it.
      await db.approvalRound.updateMany({
        where: { id: input.roundId, status: 'pending' },
        data: rowData(roundRecord(state, new Date())),
      })
    },

    /**
     * Tells people about a deadline event: a reminder to the current step's approvers, an escalation to the
     * agency's owners and managers, or the expiry to the approvers and the submitter. In-app once per person
     * and event; by e-mail once per notification (its row is claimed before sending); and, with a notification
     * webhook configured, one post per round and event (the round claims the event before posting). A retry
     * repeats nothing an earlier attempt finished.
     */
    async notifyApproval(input: { roundId: string; kind: 'reminder' | 'escalation' | 'expiry'; stepIndex: number; hoursBefore?: number }): Promise<number> {
      const row = await loadRound(input.roundId)
      // A round closed on the board (withdrawn) while its run still waited reminds nobody.
      if (input.kind !== 'expiry' && row.status !== 'pending') return 0
      const policy = row.policy as unknown as ApprovalPolicy
      const step = policy.steps[input.stepIndex]
      const members = await db.user.findMany({ where: { agencyId: row.agencyId }, select: { id: true, role: true, name: true, email: true } })
      const approvers = step ? members.filter((member) => isApproverOf(step, { userId: member.id, role: member.role as Decider['role'] })) : []
      const recipients =
        input.kind === 'escalation'
          ? members.filter((member) => member.role === 'owner' || member.role === 'manager')
          : input.kind === 'expiry'
            ? [...approvers, ...members.filter((member) => member.id === row.submittedById)]
            : approvers
      const title = {
        reminder: `Approval due in ${input.hoursBefore ?? 0} h: “${row.card.title}”`,
        escalation: `Approval overdue: “${row.card.title}” (${step?.name ?? 'review'})`,
        expiry: `Approval expired: “${row.card.title}”`,
      }[input.kind]
      const body = {
        reminder: `Round ${row.round} waits for ${step?.name ?? 'a decision'}; it is due ${row.dueAt.toISOString()}.`,
        escalation: `Round ${row.round} has waited past its due time (${row.dueAt.toISOString()}) in the step “${step?.name ?? 'review'}”.`,
        expiry: `Round ${row.round} expired without a decision. Submit the card again to start a new round.`,
      }[input.kind]
      const link = `/campaigns/${row.card.campaignId}/board/cards/${row.card.id}`
      const unique = [...new Map(recipients.map((member) => [member.id, member])).values()]
      const event = input.kind === 'reminder' ? `reminder-${input.hoursBefore ?? 0}` : input.kind
      const keyOf = (userId: string) => `approval:${row.id}:${event}:${userId}`
      // The rows and the round's count together: a retry finds both written and counts nothing twice.
      const created = await db.$transaction(async (tx) => {
        const inserted = await tx.notification.createMany({
          data: unique.map((member) => ({
            agencyId: row.agencyId,
            userId: member.id,
            kind: `approval.${input.kind}`,
            title,
            body,
            link,
            idempotencyKey: keyOf(member.id),
          })),
          skipDuplicates: true,
        })
        await tx.approvalRound.update({
          where: { id: row.id },
          data: input.kind === 'reminder' ? { remindersSent: { increment: inserted.count > 0 ? 1 : 0 } } : input.kind === 'escalation' ? { escalatedAt: new Date() } : {},
        })
        return inserted
      })
      const url = `${webUrl}${link}`
      if (mailer) {
        await emailNotificationsOnce(db, mailer, {
          agencyId: row.agencyId,
          recipients: unique.map((member) => ({ ...member, idempotencyKey: keyOf(member.id) })),
          subject: `Greenlight: ${title}`,
          text: (name) => `Hello ${name},\n\n${body}\n\nOpen ${url} to see the card and its approval.\n`,
        })
      }
      if (notifyWebhookUrl) {
        await postWebhookEventOnce(
          notifyWebhookUrl,
          {
            describe: `“${event}” of approval round ${row.id}`,
            // The event is appended to the round's webhookSent where it is not there yet: one atomic update.
            claim: async () =>
              (await db.$executeRaw`
                UPDATE "ApprovalRound" SET "webhookSent" = array_append("webhookSent", ${event}::text)
                WHERE "id" = ${row.id}::uuid AND NOT (${event}::text = ANY("webhookSent"))`) > 0,
            release: async () => {
              await db.$executeRaw`UPDATE "ApprovalRound" SET "webhookSent" = array_remove("webhookSent", ${event}::text) WHERE "id" = ${row.id}::uuid`
            },
          },
          webhookMessage({ title, body, url, linkText: 'Open the card' }),
        )
      }
      return created.count
    },

    /**
     * An approver's edit of the caption under review: the next caption version of the card. A retry finds the
     * version it already wrote (same author and text, after the base) and returns it.
     */
    async saveApproverCaption(input: { cardId: string; agencyId: string; by: Decider; baseVersion: number; text: string }): Promise<number> {
      return db.$transaction(async (tx) => {
        const card = await tx.contentTask.findFirst({ where: { id: input.cardId, agencyId: input.agencyId }, select: { workspaceId: true, campaignId: true, assigneeCreatorId: true } })
        if (!card) throw ApplicationFailure.nonRetryable(`Card ${input.cardId} is gone.`, 'CardNotFound')
        await beginBoardChange(tx, input.agencyId, card.workspaceId)
        const versions = await tx.captionVersion.findMany({ where: { cardId: input.cardId }, orderBy: { version: 'desc' } })
        const mine = versions.find((v) => v.version > input.baseVersion && v.createdById === input.by.userId && v.text === input.text.trim())
        if (mine) return mine.version
        const version = nextCaptionVersion(versions.map((v) => v.version))
        await tx.captionVersion.create({ data: { agencyId: input.agencyId, cardId: input.cardId, version, text: input.text.trim(), source: 'approver', createdById: input.by.userId } })
        await tx.contentTask.update({ where: { id: input.cardId }, data: { version: { increment: 1 } } })
        await tx.cardActivity.create({ data: { agencyId: input.agencyId, cardId: input.cardId, actorUserId: input.by.userId, actorLabel: input.by.name, kind: 'caption', detail: { version, during: 'approval' } } })
        await publishBoardChange(tx, {
          type: 'card.upserted',
          agencyId: input.agencyId,
          cardId: input.cardId,
          workspaceId: card.workspaceId,
          campaignId: card.campaignId,
          assigneeCreatorIds: [card.assigneeCreatorId],
          by: { userId: input.by.userId, name: input.by.name },
        })
        return version
      })
    },

    /**
     * The card's move when a round ends (Approved, or back to Needs changes), made only from "Submitted by
     * creator": a card someone already moved by hand stays where they put it.
     */
    async moveCardForOutcome(input: { roundId: string; status: RoundStatus; decidedBy: Decider | null }): Promise<BoardColumn | null> {
      const to = outcomeColumn(input.status)
      if (!to) return null
      const row = await loadRound(input.roundId)
      return db.$transaction(async (tx) => {
        await beginBoardChange(tx, row.agencyId, row.card.workspaceId)
        const [card] = await tx.$queryRaw<{ column: string; assigneeCreatorId: string | null }[]>`
          SELECT "column", "assigneeCreatorId" FROM "ContentTask" WHERE "id" = ${row.cardId}::uuid FOR UPDATE`
        if (!card || card.column !== 'Submitted_By_Creator') return null
        // A completed or archived campaign's board is read-only for everyone: the decision stands, the card stays.
        const campaign = await tx.campaign.findUnique({ where: { id: row.card.campaignId }, select: { status: true } })
        if (!campaign || (READ_ONLY_STATUSES as readonly string[]).includes(campaign.status)) return null
        const [position] = positionsForAppend(await lastPosition(tx, row.agencyId, row.card.workspaceId, to), 1)
        await tx.contentTask.update({ where: { id: row.cardId }, data: { column: to, position: position!, version: { increment: 1 } } })
        const label = input.decidedBy ? `${input.decidedBy.name} (approval)` : 'Approval'
        // A client deciding through a review link has no account: the link names them, not a user id.
        const deciderIsMember = input.decidedBy ? (await tx.user.count({ where: { id: input.decidedBy.userId, agencyId: row.agencyId } })) > 0 : false
        await tx.cardActivity.create({
          data: {
            agencyId: row.agencyId,
            cardId: row.cardId,
            actorUserId: deciderIsMember ? input.decidedBy!.userId : null,
            actorLabel: label,
            kind: 'moved',
            detail: { from: 'Submitted_By_Creator', to, round: row.round, outcome: input.status, toLabel: BOARD_COLUMN_LABELS[to] },
          },
        })
        await publishBoardChange(tx, {
          type: 'card.upserted',
          agencyId: row.agencyId,
          cardId: row.cardId,
          workspaceId: row.card.workspaceId,
          campaignId: row.card.campaignId,
          assigneeCreatorIds: [card.assigneeCreatorId],
          by: input.decidedBy ? { userId: input.decidedBy.userId, name: input.decidedBy.name } : null,
        })
        // The submitter hears the outcome: approved, or back to them with what should change.
        if (row.submittedById && row.submittedById !== input.decidedBy?.userId) {
          const comment = input.decidedBy ? ((row.decisions as unknown as { comment: string | null }[]).at(-1)?.comment ?? null) : null
          const outcome = { approved: 'approved', rejected: 'rejected', changes_requested: 'sent back for changes' }[input.status as 'approved' | 'rejected' | 'changes_requested']
          await tx.notification.createMany({
            data: [
              {
                agencyId: row.agencyId,
                userId: row.submittedById,
                kind: `approval.${input.status}`,
                title: `“${row.card.title}” was ${outcome}${input.decidedBy ? ` by ${input.decidedBy.name}` : ''}`,
                body: comment ?? `Round ${row.round} ended: the card is now in ${BOARD_COLUMN_LABELS[to]}.`,
                link: `/campaigns/${row.card.campaignId}/board/cards/${row.card.id}`,
                idempotencyKey: `approval:${row.id}:outcome:${row.submittedById}`,
              },
            ],
            skipDuplicates: true,
          })
        }
        return to
      })
    },
  }
}

/** A round record as Prisma writes it (its lists are JSON columns). */
function rowData(record: ReturnType<typeof roundRecord>) {
  return { ...record, decisions: record.decisions as unknown as Prisma.InputJsonArray, comments: record.comments as unknown as Prisma.InputJsonArray }
}
