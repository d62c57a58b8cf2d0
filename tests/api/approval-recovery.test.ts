// Rows and runs kept in step when something goes wrong: a resubmission closes a round left pending, a run that
// ended without its row knowing (terminated by hand) is answered 409 and closed by the sweep, and a run that
// completed while its row missed the last write takes the run's result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApprovalPolicy } from '../../domain/approvals'
import { startMissingApprovalWorkflows } from '../../api/services/approvals'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { eventually, linkedCreator, submitAsCreator } from '../support/approvals'
import { apiOk, briefFixture, json } from '../support/campaigns'

let h: ApiHarness
let owner: TestMember
let manager: TestMember

const deadlines = { dueAfterHours: 48, remindBeforeHours: [], escalateAfterHours: null, expireAfterHours: null }
const optional: ApprovalPolicy = { mode: 'optional', steps: [{ name: 'Account lead', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager'] }], deadlines }
const required: ApprovalPolicy = { ...optional, mode: 'required' }

beforeAll(async () => {
  h = await startApiHarness()
  await h.startWorker()
  owner = await h.newTenant()
  manager = await h.newMember(owner.agencyId, 'manager')
})
afterAll(async () => {
  await h?.stop()
})

async function submitted(policy: ApprovalPolicy) {
  const fixture = await briefFixture(h, owner, { deliverables: 1 })
  await apiOk(h, owner, 'PUT', `/api/workspaces/${fixture.workspaceId}/approval-policy`, { policy })
  const creator = await linkedCreator(h, owner.agencyId, fixture.creatorId)
  const { id } = await h.db.contentTask.findFirstOrThrow({ where: { campaignId: fixture.campaignId } })
  await apiOk(h, creator, 'POST', `/api/cards/${id}/captions`, { text: 'Cold brew, slow mornings.', baseVersion: 0 })
  const card = await submitAsCreator(h, creator, id)
  return { creator, card }
}

const rows = (cardId: string) => h.db.approvalRound.findMany({ where: { cardId }, orderBy: { round: 'asc' } })
const sweepDeps = () => ({ db: h.db, temporal: h.env.client, settings: { temporal: { taskQueue: h.taskQueue } } }) as Parameters<typeof startMissingApprovalWorkflows>[0]
const later = () => new Date(Date.now() + 5 * 60_000)

describe('keeping rounds and runs in step', () => {
  it('a hand move out of an optional review closes the round in the same transaction; the run hears it and reminds nobody', async () => {
    const { card } = await submitted(optional)
    await apiOk(h, manager, 'POST', `/api/cards/${card.id}/move`, { version: card.version, to: 'Approved' })
    const [round] = await rows(card.id)
    // Already closed when the move answered, not a moment later.
    expect(round).toMatchObject({ status: 'withdrawn' })
    expect(round!.decidedAt).not.toBeNull()
    const handle = h.env.client.workflow.getHandle(round!.workflowId)
    await eventually(() => handle.describe().then((d) => d.status.name), (status) => status === 'COMPLETED', 'the run to end on the withdrawal')
    expect(await handle.result()).toMatchObject({ status: 'withdrawn' })
    expect((await rows(card.id))[0]!.status).toBe('withdrawn')
  })

  it('a card held in review offers no hand moves and no draft forms; an optional round holds nothing', async () => {
    const held = await submitted(required)
    const detail = await apiOk<{ card: { allowedTargets: string[] }; can: { caption: boolean; attach: boolean } }>(h, held.creator, 'GET', `/api/cards/${held.card.id}`)
    expect(detail.card.allowedTargets).toEqual([])
    expect(detail.can).toMatchObject({ caption: false, attach: false })
    const open = await submitted(optional)
    const reviewer = await apiOk<{ card: { allowedTargets: string[] } }>(h, manager, 'GET', `/api/cards/${open.card.id}`)
    expect(reviewer.card.allowedTargets).toEqual(expect.arrayContaining(['Approved', 'Needs_Changes']))
  })

  it('a run terminated by hand: a decision is 409 APPROVAL_NOT_PENDING, and the sweep closes the row so the card is no longer held', async () => {
    const { card } = await submitted(required)
    const [round] = await rows(card.id)
    await h.env.client.workflow.getHandle(round!.workflowId).terminate('an engineer ended it')
    const decided = await h.app.inject({ method: 'POST', url: `/api/cards/${card.id}/approval/decisions`, ...json(manager, { kind: 'approve', captionVersion: 1 }) })
    expect([decided.statusCode, decided.json().error.code]).toEqual([409, 'APPROVAL_NOT_PENDING'])
    const held = await h.app.inject({ method: 'POST', url: `/api/cards/${card.id}/move`, ...json(manager, { version: card.version, to: 'Approved' }) })
    expect(held.json().error.code).toBe('APPROVAL_PENDING')

    await startMissingApprovalWorkflows(sweepDeps(), later())
    expect((await rows(card.id))[0]).toMatchObject({ status: 'withdrawn' })
    const moved = await h.app.inject({ method: 'POST', url: `/api/cards/${card.id}/move`, ...json(manager, { version: card.version, to: 'Approved' }) })
    expect(moved.statusCode).toBe(200)
  })

  it('a run that completed while its row missed the last write: the sweep writes the run’s result', async () => {
    const { card } = await submitted(required)
    await apiOk(h, manager, 'POST', `/api/cards/${card.id}/approval/decisions`, { kind: 'approve', captionVersion: 1 })
    const [round] = await rows(card.id)
    await eventually(() => h.env.client.workflow.getHandle(round!.workflowId).describe().then((d) => d.status.name), (status) => status === 'COMPLETED', 'the run to end')
    // As if the activity's write had been lost.
    await h.db.approvalRound.update({ where: { id: round!.id }, data: { status: 'pending', decisions: [], decidedAt: null } })
    await startMissingApprovalWorkflows(sweepDeps(), later())
    const [fixed] = await rows(card.id)
    expect(fixed).toMatchObject({ status: 'approved', decisions: [expect.objectContaining({ kind: 'approve' })] })
  })

  it('a resubmission closes any round the card still had pending: only the newest is decided', async () => {
    const { creator, card } = await submitted(required)
    // As if a hand move had got the card out of review without closing its round (an older release did).
    await h.db.contentTask.update({ where: { id: card.id }, data: { column: 'In_Progress', version: { increment: 1 } } })
    const current = await h.db.contentTask.findUniqueOrThrow({ where: { id: card.id } })
    await apiOk(h, creator, 'POST', `/api/cards/${card.id}/move`, { version: current.version, to: 'Submitted_By_Creator' })
    expect((await rows(card.id)).map((r) => [r.round, r.status])).toEqual([
      [1, 'withdrawn'],
      [2, 'pending'],
    ])
    const first = (await rows(card.id))[0]!
    await eventually(() => h.env.client.workflow.getHandle(first.workflowId).describe().then((d) => d.status.name), (status) => status === 'COMPLETED', 'round 1’s run to end')
  })
})
