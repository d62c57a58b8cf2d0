// Approvals through the API on a real PostgreSQL and Temporal dev server with the worker running: policies per
// workspace and campaign, the round a submission opens, decisions and caption edits as Updates with their
// refusals (state unchanged), hand moves held while a required round waits, comments signalled to the round,
// rounds kept across resubmissions, and the sweep that starts a round's missing run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApprovalPolicy } from '../../domain/approvals'
import { startMissingApprovalWorkflows } from '../../api/services/approvals'
import { approvalWorkflowId } from '../../workflows/approval/definitions'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { eventually, linkedCreator, submitAsCreator, type CardRef } from '../support/approvals'
import { apiOk, briefFixture, json, type CampaignFixture } from '../support/campaigns'

let h: ApiHarness
let owner: TestMember
let manager: TestMember
let manager2: TestMember

beforeAll(async () => {
  h = await startApiHarness()
  await h.startWorker()
  owner = await h.newTenant()
  manager = await h.newMember(owner.agencyId, 'manager')
  manager2 = await h.newMember(owner.agencyId, 'manager')
})
afterAll(async () => {
  await h?.stop()
})

interface Round {
  round: number
  status: string
  stepIndex: number
  captionVersion: number
  decisions: { kind: string; by: { userId: string; name: string }; comment: string | null }[]
  comments: { commentId: string }[]
  workflowId: string
}
const deadlines = { dueAfterHours: 48, remindBeforeHours: [24], escalateAfterHours: 24, expireAfterHours: null }
const required: ApprovalPolicy = { mode: 'required', steps: [{ name: 'Account lead', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager'] }], deadlines }

/** A campaign with one card assigned to a creator user, who writes a caption and submits it. */
async function submittedCard(policy: ApprovalPolicy | null): Promise<{ fixture: CampaignFixture; creator: TestMember; card: CardRef }> {
  const fixture = await briefFixture(h, owner, { deliverables: 1 })
  if (policy) await apiOk(h, owner, 'PUT', `/api/workspaces/${fixture.workspaceId}/approval-policy`, { policy })
  const creator = await linkedCreator(h, owner.agencyId, fixture.creatorId)
  const cardRow = await h.db.contentTask.findFirstOrThrow({ where: { campaignId: fixture.campaignId } })
  await apiOk(h, creator, 'POST', `/api/cards/${cardRow.id}/captions`, { text: 'Cold brew, slow mornings.', baseVersion: 0 })
  return { fixture, creator, card: await submitAsCreator(h, creator, cardRow.id) }
}

const decide = (who: TestMember, cardId: string, body: Record<string, unknown>) => h.app.inject({ method: 'POST', url: `/api/cards/${cardId}/approval/decisions`, ...json(who, body) })
const approval = (who: TestMember, cardId: string) => apiOk<{ current: Round | null; rounds: Round[]; canDecide: boolean; refusal: { code: string } | null }>(h, who, 'GET', `/api/cards/${cardId}/approval`)
const rowOf = (cardId: string, round = 1) => h.db.approvalRound.findUniqueOrThrow({ where: { cardId_round: { cardId, round } } })
const columnOf = async (cardId: string) => (await h.db.contentTask.findUniqueOrThrow({ where: { id: cardId } })).column

describe('approval policies', () => {
  it('a workspace sets one, a campaign overrides it, and a bad policy is refused at its paths', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const initial = await apiOk<{ policy: unknown; effective: ApprovalPolicy; inheritedFrom: string }>(h, owner, 'GET', `/api/campaigns/${fixture.campaignId}/approval-policy`)
    expect(initial).toMatchObject({ policy: null, inheritedFrom: 'default', effective: { mode: 'optional' } })
    await apiOk(h, manager, 'PUT', `/api/workspaces/${fixture.workspaceId}/approval-policy`, { policy: required })
    expect(await apiOk(h, owner, 'GET', `/api/campaigns/${fixture.campaignId}/approval-policy`)).toMatchObject({ policy: null, inheritedFrom: 'workspace', effective: { mode: 'required' } })
    const twoLevel: ApprovalPolicy = {
      mode: 'multi_level',
      steps: [required.steps[0]!, { name: 'Client', audience: 'client', rule: 'any', approverUserIds: [], approverRoles: ['client_approver'] }],
      deadlines,
    }
    expect(await apiOk(h, owner, 'PUT', `/api/campaigns/${fixture.campaignId}/approval-policy`, { policy: twoLevel })).toMatchObject({ inheritedFrom: null, effective: { mode: 'multi_level' } })

    const bad = await h.app.inject({
      method: 'PUT',
      url: `/api/campaigns/${fixture.campaignId}/approval-policy`,
      ...json(owner, { policy: { ...required, steps: [{ ...required.steps[0]!, rule: 'all', approverUserIds: [manager.userId, '00000000-0000-4000-8000-000000000000'] }] } }),
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['/policy/steps/0/approverRoles', '/policy/steps/0/approverUserIds/1'])
    // Unchanged by the refused write.
    expect((await apiOk<{ effective: ApprovalPolicy }>(h, owner, 'GET', `/api/campaigns/${fixture.campaignId}/approval-policy`)).effective.mode).toBe('multi_level')
    const editor = await h.newMember(owner.agencyId, 'editor')
    expect((await h.app.inject({ method: 'PUT', url: `/api/workspaces/${fixture.workspaceId}/approval-policy`, ...json(editor, { policy: null }) })).statusCode).toBe(403)
    const audit = await h.db.auditEvent.findMany({ where: { agencyId: owner.agencyId, action: 'approval.policy_changed' } })
    expect(audit.length).toBeGreaterThanOrEqual(2)
  })
})

describe('a submission under a required policy', () => {
  it('opens round 1 with its run; the card is held in review; refusals change nothing; an approval moves the card', async () => {
    const { creator, card } = await submittedCard(required)
    const row = await rowOf(card.id)
    expect(row).toMatchObject({ status: 'pending', captionVersion: 1, submittedById: creator.userId, workflowId: approvalWorkflowId(card.id, 1) })
    expect((await h.env.client.workflow.getHandle(row.workflowId).describe()).status.name).toBe('RUNNING')

    // Held: neither a hand approval nor a new draft while the round waits.
    const handMove = await h.app.inject({ method: 'POST', url: `/api/cards/${card.id}/move`, ...json(manager, { version: card.version, to: 'Approved' }) })
    expect(handMove.statusCode).toBe(409)
    expect(handMove.json().error.code).toBe('APPROVAL_PENDING')
    const draft = await h.app.inject({ method: 'POST', url: `/api/cards/${card.id}/captions`, ...json(creator, { text: 'A late change', baseVersion: 1 }) })
    expect(draft.json().error.code).toBe('APPROVAL_PENDING')

    // Refusals: not in the step, a stale version, a change request without a comment.
    const byCreator = await decide(creator, card.id, { kind: 'approve', captionVersion: 1 })
    expect([byCreator.statusCode, byCreator.json().error.code]).toEqual([403, 'NOT_AN_APPROVER'])
    const stale = await decide(manager, card.id, { kind: 'approve', captionVersion: 0 })
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'STALE_VERSION'])
    const silent = await decide(manager, card.id, { kind: 'request_changes', captionVersion: 1, comment: '  ' })
    expect([silent.statusCode, silent.json().error.code]).toEqual([400, 'COMMENT_REQUIRED'])
    const state = await approval(manager, card.id)
    expect(state.current).toMatchObject({ status: 'pending', decisions: [] })
    expect(state.canDecide).toBe(true)
    expect((await approval(creator, card.id)).refusal?.code).toBe('NOT_AN_APPROVER')

    const approved = await decide(manager, card.id, { kind: 'approve', captionVersion: 1, comment: 'Lovely' })
    expect(approved.statusCode).toBe(200)
    expect(approved.json()).toMatchObject({ status: 'approved', decisions: [{ kind: 'approve', comment: 'Lovely', by: { userId: manager.userId } }] })
    await eventually(() => columnOf(card.id), (column) => column === 'Approved', 'the card to move to Approved')
    const again = await decide(manager2, card.id, { kind: 'approve', captionVersion: 1 })
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'APPROVAL_NOT_PENDING'])
    expect((await rowOf(card.id)).status).toBe('approved')
  })

  it('an all-of step counts each named approver once, then approves', async () => {
    const allOf: ApprovalPolicy = { ...required, steps: [{ name: 'Both leads', audience: 'internal', rule: 'all', approverUserIds: [manager.userId, manager2.userId], approverRoles: [] }] }
    const { card } = await submittedCard(allOf)
    expect((await decide(manager, card.id, { kind: 'approve', captionVersion: 1 })).json()).toMatchObject({ status: 'pending', stepIndex: 0 })
    const twice = await decide(manager, card.id, { kind: 'approve', captionVersion: 1 })
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'ALREADY_DECIDED'])
    const ownerTry = await decide(owner, card.id, { kind: 'approve', captionVersion: 1 })
    expect(ownerTry.json().error.code).toBe('NOT_AN_APPROVER')
    expect((await decide(manager2, card.id, { kind: 'approve', captionVersion: 1 })).json()).toMatchObject({ status: 'approved' })
    expect((await rowOf(card.id)).decisions).toHaveLength(2)
  })

  it('two approvers deciding at once in an any-of step: one decides, the other gets a clear 409', async () => {
    const { card } = await submittedCard(required)
    const [a, b] = await Promise.all([decide(manager, card.id, { kind: 'approve', captionVersion: 1 }), decide(manager2, card.id, { kind: 'reject', captionVersion: 1 })])
    const codes = [a, b].map((res) => (res.statusCode === 200 ? 200 : res.json().error.code)).sort()
    expect(codes).toEqual([200, 'APPROVAL_NOT_PENDING'].sort())
    expect((await rowOf(card.id)).decisions).toHaveLength(1)
  })

  it('an approver’s edit is the version under review from then on; changes requested send the card back, and a resubmission opens round 2', async () => {
    const { creator, card } = await submittedCard(required)
    const edited = await apiOk<Round>(h, manager, 'POST', `/api/cards/${card.id}/approval/caption`, { captionVersion: 1, text: 'Cold brew for slow mornings.' })
    expect(edited.captionVersion).toBe(2)
    const caption = await h.db.captionVersion.findFirstOrThrow({ where: { cardId: card.id, version: 2 } })
    expect(caption).toMatchObject({ source: 'approver', createdById: manager.userId })
    const onOld = await decide(manager2, card.id, { kind: 'approve', captionVersion: 1 })
    expect(onOld.json().error.code).toBe('STALE_VERSION')

    const changes = await apiOk<Round>(h, manager2, 'POST', `/api/cards/${card.id}/approval/decisions`, { kind: 'request_changes', captionVersion: 2, comment: 'Name the roast.' })
    expect(changes.status).toBe('changes_requested')
    await eventually(() => columnOf(card.id), (column) => column === 'Needs_Changes', 'the card to go back to Needs changes')
    // Back to the creator, with what should change.
    const told = await h.db.notification.findMany({ where: { userId: creator.userId, kind: 'approval.changes_requested' } })
    expect(told.map((n) => n.body)).toEqual(['Name the roast.'])

    // The creator writes again and resubmits: the next round, the first kept.
    const current = await h.db.contentTask.findUniqueOrThrow({ where: { id: card.id } })
    await apiOk(h, creator, 'POST', `/api/cards/${card.id}/captions`, { text: 'Ethiopian cold brew for slow mornings.', baseVersion: 2 })
    await apiOk(h, creator, 'POST', `/api/cards/${card.id}/move`, { version: current.version + 1, to: 'Submitted_By_Creator' })
    const both = await approval(manager, card.id)
    expect(both.rounds.map((round) => [round.round, round.status, round.captionVersion])).toEqual([
      [2, 'pending', 3],
      [1, 'changes_requested', 2],
    ])
  })

  it('comments on a card under review reach its round', async () => {
    const { card } = await submittedCard(required)
    await apiOk(h, manager, 'POST', `/api/cards/${card.id}/comments`, { body: 'Checking the product name with the client.' })
    const comment = await h.db.cardComment.findFirstOrThrow({ where: { cardId: card.id } })
    const row = await eventually(() => rowOf(card.id), (r) => (r.comments as unknown[]).length === 1, 'the comment signal to be recorded')
    expect(row.comments).toEqual([expect.objectContaining({ commentId: comment.id })])
  })
})

describe('optional and no approval', () => {
  it('optional (the default): a reviewer may move the card on by hand, which withdraws the round', async () => {
    const { card } = await submittedCard(null)
    expect((await rowOf(card.id)).status).toBe('pending')
    const moved = await apiOk<{ card: CardRef }>(h, manager, 'POST', `/api/cards/${card.id}/move`, { version: card.version, to: 'Approved' })
    expect(moved.card.column).toBe('Approved')
    await eventually(() => rowOf(card.id), (r) => r.status === 'withdrawn', 'the round to be withdrawn')
  })

  it('none: a submission opens no round', async () => {
    const { card } = await submittedCard({ mode: 'none', steps: [], deadlines })
    expect(await h.db.approvalRound.count({ where: { cardId: card.id } })).toBe(0)
    const res = await decide(manager, card.id, { kind: 'approve', captionVersion: 1 })
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'NO_APPROVAL_ROUND'])
  })
})

describe('robustness', () => {
  it('the sweep starts a round whose run never started, once', async () => {
    const { card } = await submittedCard(required)
    const row = await rowOf(card.id)
    // As if the API had stopped between committing round 2 and starting its run.
    const orphan = await h.db.approvalRound.create({
      data: { ...row, id: undefined, round: 2, workflowId: approvalWorkflowId(card.id, 2), submittedAt: new Date(Date.now() - 5 * 60_000), decisions: [], comments: [], policy: row.policy as object, updatedAt: undefined },
    })
    const deps = { db: h.db, temporal: h.env.client, settings: { temporal: { taskQueue: h.taskQueue } } } as Parameters<typeof startMissingApprovalWorkflows>[0]
    const started = await startMissingApprovalWorkflows(deps)
    expect(started).toContain(orphan.id)
    expect(started).not.toContain(row.id)
    expect((await h.env.client.workflow.getHandle(orphan.workflowId).describe()).status.name).toBe('RUNNING')
    expect(await startMissingApprovalWorkflows(deps)).not.toContain(orphan.id)
  })

  it('another agency sees no approval of this one, and cannot decide on it', async () => {
    const { card } = await submittedCard(required)
    const stranger = await h.newTenant()
    expect((await h.app.inject({ method: 'GET', url: `/api/cards/${card.id}/approval`, ...json(stranger) })).statusCode).toBe(404)
    expect((await decide(stranger, card.id, { kind: 'approve', captionVersion: 1 })).statusCode).toBe(404)
    expect((await rowOf(card.id)).decisions).toEqual([])
  })
})
