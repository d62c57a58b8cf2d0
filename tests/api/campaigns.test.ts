// Campaign briefs through the API on a real PostgreSQL and a real Temporal test server: templates, the
// readiness check, deliverables becoming cards, and the launch → pause → resume → complete lifecycle.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMissingCampaignWorkflows } from '../../api/services/campaigns'
import { campaignWorkflowId } from '../../workflows/campaign/definitions'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { apiOk, briefFixture, json, localInDays } from '../support/campaigns'

let h: ApiHarness
let owner: TestMember

beforeAll(async () => {
  h = await startApiHarness()
  await h.startWorker()
  owner = await h.newTenant()
  // More launched campaigns than the Starter plan allows.
  await h.db.agency.update({ where: { id: owner.agencyId }, data: { plan: 'enterprise' } })
})
afterAll(async () => {
  await h?.stop()
})

const detail = (id: string, who = owner) => apiOk<{ campaign: Record<string, unknown>; readiness: { ready: boolean; missing: { code: string; path?: string }[] }; deliverables: { id: string; cardCount: number }[]; workflow: Record<string, unknown> | null; nextStatuses: { to: string }[] }>(h, who, 'GET', `/api/campaigns/${id}`)
const setStatus = (id: string, to: string, who = owner) => h.app.inject({ method: 'POST', url: `/api/campaigns/${id}/status`, ...json(who, { to }) })

describe('briefs', () => {
  it('a template prefills the brief; the readiness check lists exactly what is missing', async () => {
    const { workspace } = await apiOk<{ workspace: { id: string } }>(h, owner, 'POST', '/api/workspaces', { name: 'Bistro', clientName: 'Bistro Ltd' })
    const created = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(owner, { workspaceId: workspace.id, templateId: 'restaurant' }) })
    expect(created.statusCode).toBe(201)
    const { campaign } = created.json()
    expect(campaign).toMatchObject({ status: 'draft', name: 'Seasonal menu launch', objective: 'traffic', platforms: ['instagram', 'tiktok', 'facebook'], templateId: 'restaurant', temporalWebUrl: null })
    const { readiness, deliverables } = await detail(campaign.id)
    expect(deliverables.length).toBeGreaterThan(0)
    expect(deliverables.every((d) => d.cardCount === 0)).toBe(true)
    // The workspace has its starter kit; no creator is assigned, so no account counts and every deliverable is open.
    const codes = readiness.missing.map((item) => item.code)
    expect(readiness.ready).toBe(false)
    expect(codes).not.toContain('BRAND_KIT_MISSING')
    expect(codes.filter((code) => code === 'ACCOUNT_MISSING')).toHaveLength(3)
    expect(codes.filter((code) => code === 'DELIVERABLE_UNASSIGNED')).toHaveLength(deliverables.length)
    expect(codes.filter((code) => code === 'DATES_MISSING')).toHaveLength(2)
    expect(codes).not.toContain('BUDGET_MISSING')
  })

  it('a blank brief in an archived workspace is refused; bad fields answer 400 at their path and write nothing', async () => {
    const { workspace } = await apiOk<{ workspace: { id: string } }>(h, owner, 'POST', '/api/workspaces', { name: 'Gone', clientName: 'Gone' })
    await apiOk(h, owner, 'POST', `/api/workspaces/${workspace.id}/archive`)
    const archived = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(owner, { workspaceId: workspace.id, name: 'Nope' }) })
    expect(archived.statusCode).toBe(409)
    expect(archived.json().error.code).toBe('WORKSPACE_ARCHIVED')

    const { workspaceId } = await briefFixture(h, owner, { deliverables: 0 })
    const backwards = await h.app.inject({
      method: 'POST',
      url: '/api/campaigns',
      ...json(owner, { workspaceId, name: 'Backwards', platforms: ['instagram'], startsAtLocal: localInDays(20), endsAtLocal: localInDays(10), timeZone: 'UTC' }),
    })
    expect(backwards.statusCode).toBe(400)
    expect(backwards.json().error.details).toEqual([expect.objectContaining({ path: '/endsAtLocal' })])
    const badZone = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(owner, { workspaceId, name: 'Backwards', timeZone: 'Mars/Olympus' }) })
    expect(badZone.statusCode).toBe(400)
    expect(badZone.json().error.details).toEqual([expect.objectContaining({ path: '/timeZone' })])
    const unknownField = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(owner, { workspaceId, name: 'Backwards', budget: 5 }) })
    expect(unknownField.statusCode).toBe(400)
    expect(unknownField.json().error.code).toBe('VALIDATION_FAILED')
    expect(await h.db.campaign.count({ where: { name: 'Backwards' } })).toBe(0)
  })

  it('moodboard references must be the workspace’s own uploads', async () => {
    const { campaignId } = await briefFixture(h, owner, { deliverables: 0 })
    const res = await h.app.inject({ method: 'PATCH', url: `/api/campaigns/${campaignId}`, ...json(owner, { references: [{ kind: 'upload', fileId: randomUUID(), note: 'mood' }] }) })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details).toEqual([{ path: '/references/0/fileId', message: 'is not an asset of this workspace' }])
  })
})

describe('deliverables become cards', () => {
  it('one card per unit, created once; fewer units remove Backlog cards; started work is never deleted', async () => {
    const fixture = await briefFixture(h, owner)
    const cards = () => h.db.contentTask.findMany({ where: { campaignId: fixture.campaignId }, orderBy: { sequence: 'asc' } })
    expect((await cards()).map((card) => [card.title, card.column, card.assigneeCreatorId, card.targetAccountIds])).toEqual([
      ['Instagram reel 1 of 3', 'Backlog', fixture.creatorId, [fixture.accountId]],
      ['Instagram reel 2 of 3', 'Backlog', fixture.creatorId, [fixture.accountId]],
      ['Instagram reel 3 of 3', 'Backlog', fixture.creatorId, [fixture.accountId]],
    ])
    const [deliverable] = (await detail(fixture.campaignId)).deliverables
    expect(deliverable).toMatchObject({ cardCount: 3 })

    // Saving the same list again creates nothing new.
    await apiOk(h, owner, 'PUT', `/api/campaigns/${fixture.campaignId}/deliverables`, { deliverables: [{ id: deliverable!.id, creatorId: fixture.creatorId, platform: 'instagram', kind: 'reel', count: 3 }] })
    expect(await cards()).toHaveLength(3)

    // Two units: the third card goes, the titles are renumbered.
    await apiOk(h, owner, 'PUT', `/api/campaigns/${fixture.campaignId}/deliverables`, { deliverables: [{ id: deliverable!.id, creatorId: fixture.creatorId, platform: 'instagram', kind: 'reel', count: 2 }] })
    expect((await cards()).map((card) => card.title)).toEqual(['Instagram reel 1 of 2', 'Instagram reel 2 of 2'])

    // Once a card is in progress, removing the deliverable is refused and nothing changes.
    const [first] = await cards()
    await h.db.contentTask.update({ where: { id: first!.id }, data: { column: 'In_Progress' } })
    const refused = await h.app.inject({ method: 'PUT', url: `/api/campaigns/${fixture.campaignId}/deliverables`, ...json(owner, { deliverables: [] }) })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('DELIVERABLE_IN_USE')
    expect(await cards()).toHaveLength(2)
    expect(await h.db.campaignDeliverable.count({ where: { campaignId: fixture.campaignId } })).toBe(1)
  })

  it('a ready brief that loses its deliverables goes back to draft', async () => {
    const fixture = await briefFixture(h, owner)
    expect((await setStatus(fixture.campaignId, 'ready')).statusCode).toBe(200)
    const detail = await apiOk<{ campaign: { status: string } }>(h, owner, 'PUT', `/api/campaigns/${fixture.campaignId}/deliverables`, { deliverables: [] })
    expect(detail.campaign.status).toBe('draft')
  })

  it('refuses a creator of another agency and a kind the platform does not have', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const other = await h.newTenant()
    const stranger = await h.db.creator.create({ data: { agencyId: other.agencyId, displayName: 'Stranger' } })
    const res = await h.app.inject({
      method: 'PUT',
      url: `/api/campaigns/${fixture.campaignId}/deliverables`,
      ...json(owner, { deliverables: [{ creatorId: stranger.id, platform: 'instagram', kind: 'reel', count: 1 }, { creatorId: fixture.creatorId, platform: 'instagram', kind: 'video', count: 1 }] }),
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/deliverables/0/creatorId', '/deliverables/1/kind'])
    expect(await h.db.contentTask.count({ where: { campaignId: fixture.campaignId } })).toBe(0)
  })
})

describe('launch and lifecycle', () => {
  it('refuses to mark ready or launch what is not ready, naming every missing item', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const res = await setStatus(fixture.campaignId, 'ready')
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'CAMPAIGN_NOT_READY', details: [{ path: '/platforms/0' }, { path: '/deliverables' }].map((d) => expect.objectContaining(d)) })
    const launch = await setStatus(fixture.campaignId, 'active')
    expect(launch.statusCode).toBe(409)
    expect(launch.json().error.code).toBe('BRIEF_STATUS_CHANGE_NOT_ALLOWED')
    expect((await h.db.campaign.findUniqueOrThrow({ where: { id: fixture.campaignId } })).status).toBe('draft')
  })

  it('ready → launch starts campaign:<id>; pause and resume signal it; complete ends it', async () => {
    const { campaignId } = await briefFixture(h, owner)
    expect((await setStatus(campaignId, 'ready')).statusCode).toBe(200)
    const launched = await setStatus(campaignId, 'active')
    expect(launched.statusCode).toBe(200)
    const body = launched.json()
    expect(body.campaign).toMatchObject({ status: 'active', stage: 'scheduled', brandKitVersion: 1, workflowId: campaignWorkflowId(campaignId) })
    expect(body.campaign.temporalWebUrl).toBe(`http://localhost:8233/namespaces/default/workflows/campaign%3A${campaignId}`)
    const handle = h.env.client.workflow.getHandle(campaignWorkflowId(campaignId))
    expect((await handle.describe()).status.name).toBe('RUNNING')

    const paused = await setStatus(campaignId, 'paused')
    expect(paused.json()).toMatchObject({ campaign: { status: 'paused' }, workflow: { paused: true } })
    await expect.poll(async () => (await h.db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).stage).toBe('paused')
    const resumed = await setStatus(campaignId, 'active')
    expect(resumed.json()).toMatchObject({ campaign: { status: 'active' }, workflow: { paused: false } })

    const completed = await setStatus(campaignId, 'completed')
    expect(completed.statusCode).toBe(200)
    expect(completed.json().campaign.status).toBe('completed')
    await expect.poll(async () => (await handle.describe()).status.name).toBe('COMPLETED')
    await expect.poll(async () => (await h.db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).stage).toBe('completed')
    // A completed brief is read-only.
    const edit = await h.app.inject({ method: 'PATCH', url: `/api/campaigns/${campaignId}`, ...json(owner, { name: 'Changed' }) })
    expect(edit.statusCode).toBe(409)
    expect(edit.json().error.code).toBe('CAMPAIGN_READ_ONLY')
  })

  it('a plan without a free active-campaign slot refuses the launch with 402 and leaves the brief ready', async () => {
    const tenant = await h.newTenant()
    const fixtures = []
    for (let i = 0; i < 4; i++) fixtures.push(await briefFixture(h, tenant))
    for (const fixture of fixtures.slice(0, 3)) {
      expect((await setStatus(fixture.campaignId, 'ready', tenant)).statusCode).toBe(200)
      expect((await setStatus(fixture.campaignId, 'active', tenant)).statusCode).toBe(200)
    }
    const last = fixtures[3]!
    expect((await setStatus(last.campaignId, 'ready', tenant)).statusCode).toBe(200)
    const refused = await setStatus(last.campaignId, 'active', tenant)
    expect(refused.statusCode).toBe(402)
    expect(refused.json().error.code).toBe('PLAN_LIMIT_REACHED')
    expect((await h.db.campaign.findUniqueOrThrow({ where: { id: last.campaignId } })).status).toBe('ready')
  })

  it('starts the workflow of a launch that was cut short, once', async () => {
    const { campaignId } = await briefFixture(h, owner)
    expect((await setStatus(campaignId, 'ready')).statusCode).toBe(200)
    // As if the API died between marking the brief active and starting the workflow.
    await h.db.campaign.update({ where: { id: campaignId }, data: { status: 'active', stage: 'scheduled', launchedAt: new Date(Date.now() - 5 * 60_000) } })
    const deps = { db: h.db, temporal: h.env.client, settings: h.app.settings }
    expect(await startMissingCampaignWorkflows(deps)).toContain(campaignId)
    expect((await h.env.client.workflow.getHandle(campaignWorkflowId(campaignId)).describe()).status.name).toBe('RUNNING')
    await expect.poll(async () => h.db.campaignEvent.count({ where: { campaignId, kind: 'stage_changed' } })).toBe(1)
    expect(await startMissingCampaignWorkflows(deps)).not.toContain(campaignId)
  })

  it('never shows or changes another agency’s campaign', async () => {
    const { campaignId } = await briefFixture(h, owner)
    const intruder = await h.newTenant()
    for (const [method, url, payload] of [
      ['GET', `/api/campaigns/${campaignId}`, undefined],
      ['PATCH', `/api/campaigns/${campaignId}`, { name: 'Mine now' }],
      ['POST', `/api/campaigns/${campaignId}/status`, { to: 'ready' }],
    ] as const) {
      const res = await h.app.inject({ method, url, ...json(intruder, payload) })
      expect(res.statusCode).toBe(404)
    }
    expect((await apiOk<{ campaigns: unknown[] }>(h, intruder, 'GET', '/api/campaigns')).campaigns).toEqual([])
  })
})
