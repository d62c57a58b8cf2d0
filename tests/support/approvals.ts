// Approvals in tests. Through the API: a creator account linked to a creator profile, a card carried to
// submission by its creator (which opens its approval round), and waiting for the rows the round's workflow keeps
// current. Straight to the database, for workflow tests: an agency with one person per role, and a submitted
// card with its round row and the input that starts the round's workflow.
import { randomUUID } from 'node:crypto'
import type { ApprovalPolicy, Decider } from '../../domain/approvals'
import type { Role } from '../../domain/permissions'
import type { Prisma } from '../../generated/prisma/client'
import type { Database } from '../../platform/database'
import { approvalWorkflowId, type ApprovalWorkflowInput } from '../../workflows/approval/definitions'
import type { ApiHarness, TestMember } from './api'
import { apiOk } from './campaigns'
import { createAgency, createWorkspace } from './database'

const HOUR = 60 * 60 * 1000

export interface CardRef {
  id: string
  version: number
  column: string
}

/** A new creator-role member of the agency, linked to the creator profile `creatorId` (so its cards are theirs). */
export async function linkedCreator(h: ApiHarness, agencyId: string, creatorId: string): Promise<TestMember> {
  const member = await h.newMember(agencyId, 'creator')
  await h.db.creator.update({ where: { id: creatorId }, data: { userId: member.userId } })
  return member
}

/** The creator reads their card and carries it from where it is (Backlog or In progress) to Submitted; returns it as the last move left it. */
export async function submitAsCreator(h: ApiHarness, creator: TestMember, cardId: string): Promise<CardRef> {
  let { card } = await apiOk<{ card: CardRef }>(h, creator, 'GET', `/api/cards/${cardId}`)
  for (const to of card.column === 'Backlog' ? ['In_Progress', 'Submitted_By_Creator'] : ['Submitted_By_Creator']) {
    card = (await apiOk<{ card: CardRef }>(h, creator, 'POST', `/api/cards/${cardId}/move`, { version: card.version, to })).card
  }
  return card
}

/** Reads until `ok` holds (the workflow writes its rows a moment after the answer), for at most 15 s. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const until = Date.now() + 15_000
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export interface ApprovalScope<Person extends string> {
  agencyId: string
  workspaceId: string
  campaignId: string
  /** One user per role asked for, named after its key ("ana" is Ana). */
  people: Record<Person, Decider>
  emails: Record<Person, string>
}

/** A new agency with a workspace, a campaign named `campaignName`, and a user for each entry of `roles`. */
export async function approvalScope<Person extends string>(db: Database, campaignName: string, roles: Record<Person, Role>): Promise<ApprovalScope<Person>> {
  const agencyId = (await createAgency(db)).id
  const people = {} as Record<Person, Decider>
  const emails = {} as Record<Person, string>
  for (const [key, role] of Object.entries(roles) as [Person, Role][]) {
    const email = `${key}-${randomUUID()}@example.test`
    const user = await db.user.create({ data: { agencyId, email, name: key[0]!.toUpperCase() + key.slice(1), role, passwordHash: 'x' } })
    people[key] = { userId: user.id, name: user.name, role }
    emails[key] = email
  }
  const workspaceId = (await createWorkspace(db, agencyId)).id
  const campaignId = (await db.campaign.create({ data: { agencyId, workspaceId, name: campaignName, workflowId: `campaign:${randomUUID()}` } })).id
  return { agencyId, workspaceId, campaignId, people, emails }
}

/** A card in Submitted by creator and its round 1 row, pending since `submittedAt`; `input` starts the round's workflow. */
export async function openApprovalRound(
  db: Database,
  scope: Pick<ApprovalScope<string>, 'agencyId' | 'workspaceId' | 'campaignId'>,
  { policy, submitter, submittedAt, captionVersion }: { policy: ApprovalPolicy; submitter: Decider; submittedAt: Date; captionVersion: number },
) {
  const { agencyId, workspaceId, campaignId } = scope
  const card = await db.contentTask.create({
    data: { agencyId, workspaceId, campaignId, title: `Card ${randomUUID().slice(0, 6)}`, platform: 'instagram', column: 'Submitted_By_Creator', position: 'a0' },
  })
  const round = await db.approvalRound.create({
    data: {
      agencyId,
      cardId: card.id,
      round: 1,
      workflowId: approvalWorkflowId(card.id, 1),
      captionVersion,
      policy: policy as unknown as Prisma.InputJsonObject,
      submittedById: submitter.userId,
      submittedAt,
      dueAt: new Date(submittedAt.getTime() + policy.deadlines.dueAfterHours * HOUR),
    },
  })
  const input: ApprovalWorkflowInput = { roundId: round.id, agencyId, cardId: card.id, round: 1, policy, submitterUserId: submitter.userId, captionVersion, submittedAt: submittedAt.toISOString() }
  return { card, round, input }
}
