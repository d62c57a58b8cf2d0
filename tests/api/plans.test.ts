// Plans and usage through app.inject on a real PostgreSQL: the usage report, plan changes by owners, and
// downgrades refused while usage does not fit.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMeteredUsage } from '../../platform/usage-meter'
import { PLAN_CATALOG, usagePeriod } from '../../domain/plans'
import { startApiHarness, type ApiHarness } from '../support/api'
import { createWorkspace } from '../support/database'

let h: ApiHarness

beforeAll(async () => {
  h = await startApiHarness()
})
afterAll(async () => {
  await h?.stop()
})

type Who = { headers: Record<string, string> }

const send = (who: Who, method: 'GET' | 'PUT', url: string, payload?: unknown) =>
  h.app.inject({
    method,
    url,
    headers: { ...who.headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  })

/** A campaign row in a given brief status; the plan counts rows, so no workflow is needed here. */
async function campaignRow(agencyId: string, status: string) {
  const id = randomUUID()
  const workspace = await createWorkspace(h.db, agencyId)
  return h.db.campaign.create({
    data: { id, agencyId, workspaceId: workspace.id, name: `Campaign ${id.slice(0, 6)}`, status, startsAt: new Date(), endsAt: new Date(Date.now() + 86_400_000), workflowId: `campaign:${id}` },
  })
}

describe('plan and usage', () => {
  it('reports the plan, the catalog and live usage to every role that may read it', async () => {
    const owner = await h.newTenant()
    const analyst = await h.newMember(owner.agencyId, 'analyst')
    await h.db.invite.create({
      data: { agencyId: owner.agencyId, email: `pending-${randomUUID()}@example.test`, role: 'editor', tokenHash: randomUUID(), expiresAt: new Date(Date.now() + 86_400_000) },
    })
    // An expired invite holds no seat.
    await h.db.invite.create({
      data: { agencyId: owner.agencyId, email: `old-${randomUUID()}@example.test`, role: 'editor', tokenHash: randomUUID(), expiresAt: new Date(Date.now() - 1_000) },
    })
    await campaignRow(owner.agencyId, 'active')
    await campaignRow(owner.agencyId, 'completed')
    // A draft holds no slot: only launched campaigns do.
    await campaignRow(owner.agencyId, 'draft')
    await addMeteredUsage(h.db, owner.agencyId, 42)

    const res = await send(analyst, 'GET', '/api/agency/plan')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      plan: PLAN_CATALOG.starter,
      catalog: [PLAN_CATALOG.starter, PLAN_CATALOG.professional, PLAN_CATALOG.enterprise],
      usage: { seats: 3, activeCampaigns: 1, aiGenerationsPerMonth: 42, connectedAccounts: 0 },
      period: usagePeriod(new Date()),
    })

    const creator = await h.newMember(owner.agencyId, 'creator')
    const denied = await send(creator, 'GET', '/api/agency/plan')
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'FORBIDDEN'])
  })

  it('an owner changes the plan; the change is audited and only owners may make it', async () => {
    const owner = await h.newTenant()
    const manager = await h.newMember(owner.agencyId, 'manager')
    const refused = await send(manager, 'PUT', '/api/agency/plan', { plan: 'enterprise' })
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'FORBIDDEN'])

    const res = await send(owner, 'PUT', '/api/agency/plan', { plan: 'professional' })
    expect(res.statusCode).toBe(200)
    expect(res.json().plan.id).toBe('professional')
    expect((await h.db.agency.findUniqueOrThrow({ where: { id: owner.agencyId } })).plan).toBe('professional')
    expect((await send(owner, 'GET', '/api/auth/me')).json().user.agency.plan).toBe('professional')

    // The same plan again changes nothing and records nothing.
    expect((await send(owner, 'PUT', '/api/agency/plan', { plan: 'professional' })).statusCode).toBe(200)

    const audit = (await send(owner, 'GET', '/api/agency/audit?action=plan.changed')).json()
    expect(audit.events).toHaveLength(1)
    expect(audit.events[0]).toMatchObject({ action: 'plan.changed', actorUserId: owner.userId, detail: { from: 'starter', to: 'professional' } })
    expect((await send(manager, 'GET', '/api/agency/audit')).statusCode).toBe(403)

    const unknown = await send(owner, 'PUT', '/api/agency/plan', { plan: 'platinum' })
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, 'VALIDATION_FAILED'])
  })

  it('a downgrade below current usage → 409 PLAN_TOO_SMALL naming every limit it would break', async () => {
    const owner = await h.newTenant()
    await h.db.agency.update({ where: { id: owner.agencyId }, data: { plan: 'professional' } })
    const members = []
    for (let i = 0; i < 5; i++) members.push(await h.newMember(owner.agencyId, 'analyst'))
    const campaigns = []
    for (let i = 0; i < 4; i++) campaigns.push(await campaignRow(owner.agencyId, i === 0 ? 'paused' : 'active'))

    const res = await send(owner, 'PUT', '/api/agency/plan', { plan: 'starter' })
    expect(res.statusCode).toBe(409)
    const { error } = res.json()
    expect(error.code).toBe('PLAN_TOO_SMALL')
    expect(error.message).toContain('Starter')
    expect(error.message).toContain('5 seats (6 in use)')
    expect(error.message).toContain('3 active campaigns (4 in use)')
    expect(error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/limits/activeCampaigns', '/limits/seats'])
    expect((await h.db.agency.findUniqueOrThrow({ where: { id: owner.agencyId } })).plan).toBe('professional')
    expect(await h.db.auditEvent.count({ where: { agencyId: owner.agencyId, action: 'plan.changed' } })).toBe(0)

    // Once usage fits, the same downgrade goes through.
    await h.db.user.delete({ where: { id: members[0]!.userId } })
    await h.db.campaign.update({ where: { id: campaigns[0]!.id }, data: { status: 'completed' } })
    const ok = await send(owner, 'PUT', '/api/agency/plan', { plan: 'starter' })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ plan: { id: 'starter' }, usage: { seats: 5, activeCampaigns: 3 } })
    // Full now: the next invite is refused with the plan named.
    const invite = await h.app.inject({
      method: 'POST',
      url: '/api/team/invites',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ email: `late-${randomUUID()}@example.test`, role: 'analyst' }),
    })
    expect(invite.statusCode).toBe(402)
    expect(invite.json().error).toMatchObject({ code: 'PLAN_LIMIT_REACHED', message: expect.stringContaining('Starter plan') })
  })
})
