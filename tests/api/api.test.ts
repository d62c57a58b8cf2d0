// The API through app.inject, on a real PostgreSQL and a real Temporal dev server.
import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { greenlightApp } from '../../api/app'
import { startMissingCampaignWorkflows } from '../../api/services/campaigns'
import { campaignWorkflowId } from '../../workflows/campaign/definitions'
import { startApiHarness, testAppOptions, type ApiHarness } from '../support/api'

let h: ApiHarness
let tenant: Awaited<ReturnType<ApiHarness['newTenant']>>

beforeAll(async () => {
  h = await startApiHarness()
  await h.startWorker()
  tenant = await h.newTenant()
  // These tests create more campaigns than the Starter plan's active-campaign limit allows.
  await h.db.agency.update({ where: { id: tenant.agencyId }, data: { plan: 'enterprise' } })
})
afterAll(async () => {
  await h?.stop()
})

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString()

const json = (who: { headers: Record<string, string> }, payload?: unknown) => ({
  headers: { ...who.headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
  ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
})

describe('bad input answers 4xx with a stable code, never 5xx', () => {
  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(tenant, '{"name": "x",') })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('MALFORMED_JSON')
    expect(res.json().requestId).toEqual(expect.any(String))
  })

  it('an unknown field → 400 VALIDATION_FAILED naming the field', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(tenant, { name: 'A', budget: 5 }) })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/budget', message: 'is not a known field' }] })
  })

  it('wrong types → 400 VALIDATION_FAILED', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(tenant, { name: 42, startsAt: 'tomorrow' }) })
    expect(res.statusCode).toBe(400)
    const paths = res.json().error.details.map((detail: { path: string }) => detail.path)
    expect(paths).toEqual(expect.arrayContaining(['/name', '/startsAt']))
  })

  it('an end before the start → 400 with the field', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/campaigns',
      ...json(tenant, { name: 'Backwards', startsAt: inDays(30), endsAt: inDays(20) }),
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details).toEqual([{ path: '/endsAt', message: 'The campaign must end after it starts.' }])
    expect(await h.db.campaign.count({ where: { name: 'Backwards' } })).toBe(0)
  })

  it('a date-time that is no instant (a leap second), or a start years away → 400, nothing written', async () => {
    for (const [body, path] of [
      [{ name: 'Leap', startsAt: '2030-06-30T23:59:60Z' }, '/startsAt'],
      [{ name: 'Leap', startsAt: '9999-12-31T00:00:00Z' }, '/startsAt'],
    ] as const) {
      const res = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(tenant, body) })
      expect(res.statusCode).toBe(400)
      expect(res.json().error.details).toEqual([expect.objectContaining({ path })])
    }
    expect(await h.db.campaign.count({ where: { name: 'Leap' } })).toBe(0)
  })

  it('an unknown id → 404 NOT_FOUND; a malformed id → 400', async () => {
    const unknown = await h.app.inject({ method: 'GET', url: `/api/campaigns/${randomUUID()}`, ...json(tenant) })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('NOT_FOUND')
    const malformed = await h.app.inject({ method: 'GET', url: '/api/campaigns/not-a-uuid', ...json(tenant) })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.code).toBe('VALIDATION_FAILED')
  })

  it('an unknown route → 404 ROUTE_NOT_FOUND; no session → 401', async () => {
    const route = await h.app.inject({ method: 'GET', url: '/api/nothing-here' })
    expect(route.statusCode).toBe(404)
    expect(route.json().error.code).toBe('ROUTE_NOT_FOUND')
    const anonymous = await h.app.inject({ method: 'GET', url: '/api/campaigns' })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED')
  })

  it('a wrong password → 401 INVALID_CREDENTIALS without a cookie', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: tenant.email, password: 'nope' } })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('INVALID_CREDENTIALS')
    expect(res.cookies).toHaveLength(0)
  })
})

describe('sessions', () => {
  it('logs in with an HTTP-only SameSite cookie and logs out by revoking the session row', async () => {
    const other = await h.newTenant()
    const login = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: other.email, password: other.password } })
    const cookie = login.cookies.find((c) => c.name === 'gl_session')!
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(login.body).not.toContain(cookie.value)
    const header = `gl_session=${cookie.value}`
    expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: header } })).json().user.email).toBe(other.email)
    const csrf = login.json().user.csrfToken
    expect((await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: header, 'x-csrf-token': csrf } })).statusCode).toBe(204)
    expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: header } })).statusCode).toBe(401)
  })
})

describe('campaigns', () => {
  it('creates the row, starts campaign:<id> and returns live workflow state', async () => {
    const created = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(tenant, { name: '  Spring launch  ' }) })
    expect(created.statusCode).toBe(201)
    const { campaign } = created.json()
    expect(campaign).toMatchObject({ name: 'Spring launch', stage: 'scheduled', workflowId: campaignWorkflowId(campaign.id) })
    expect(campaign.temporalWebUrl).toBe(`http://localhost:8233/namespaces/default/workflows/campaign%3A${campaign.id}`)

    const description = await h.env.client.workflow.getHandle(campaign.workflowId).describe()
    expect(description.status.name).toBe('RUNNING')
    expect(description.taskQueue).toBe(h.taskQueue)

    const detail = await h.app.inject({ method: 'GET', url: `/api/campaigns/${campaign.id}`, ...json(tenant) })
    expect(detail.statusCode).toBe(200)
    expect(detail.json().workflow).toMatchObject({ status: 'RUNNING', stage: 'scheduled', paused: false })
    await expect
      .poll(async () => (await h.app.inject({ method: 'GET', url: `/api/campaigns/${campaign.id}`, ...json(tenant) })).json().events)
      .toEqual([expect.objectContaining({ kind: 'stage_changed', detail: 'Stage is now scheduled' })])

    const list = await h.app.inject({ method: 'GET', url: '/api/campaigns', ...json(tenant) })
    expect(list.json().campaigns.map((c: { id: string }) => c.id)).toContain(campaign.id)
  })

  it('pauses and resumes through signals', async () => {
    const { campaign } = (await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(tenant, { name: 'Pausable' }) })).json()
    const paused = await h.app.inject({ method: 'POST', url: `/api/campaigns/${campaign.id}/pause`, ...json(tenant) })
    expect(paused.statusCode).toBe(200)
    expect(paused.json().workflow).toMatchObject({ paused: true })
    await expect.poll(async () => (await h.db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).stage).toBe('paused')
    const resumed = await h.app.inject({ method: 'POST', url: `/api/campaigns/${campaign.id}/resume`, ...json(tenant) })
    expect(resumed.json().workflow).toMatchObject({ paused: false, stage: 'scheduled' })
    expect(resumed.json().workflow.history).toEqual([
      expect.objectContaining({ stage: 'scheduled' }),
      expect.objectContaining({ stage: 'paused', by: 'Owner' }),
      expect.objectContaining({ stage: 'scheduled', by: 'Owner' }),
    ])
    await expect
      .poll(async () => (await h.db.campaignEvent.findMany({ where: { campaignId: campaign.id } })).map((event) => event.detail).sort())
      .toEqual(['Stage is now paused (by Owner)', 'Stage is now scheduled', 'Stage is now scheduled (by Owner)'])
  })

  it('answers 409 CAMPAIGN_NOT_RUNNING when the workflow has ended under a campaign that is not completed', async () => {
    const { campaign } = (await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(tenant, { name: 'Terminated' }) })).json()
    await h.env.client.workflow.getHandle(campaign.workflowId).terminate('operator stopped it')
    const res = await h.app.inject({ method: 'POST', url: `/api/campaigns/${campaign.id}/pause`, ...json(tenant) })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('CAMPAIGN_NOT_RUNNING')
  })

  it('starts the workflow of a campaign whose creation was cut short, once', async () => {
    // As if the API died between inserting the row and starting the workflow.
    const id = randomUUID()
    await h.db.campaign.create({
      data: {
        id,
        agencyId: tenant.agencyId,
        name: 'Cut short',
        startsAt: new Date(Date.now() + 3_600_000),
        endsAt: new Date(Date.now() + 7_200_000),
        workflowId: campaignWorkflowId(id),
        createdAt: new Date(Date.now() - 5 * 60_000),
      },
    })
    const deps = { db: h.db, temporal: h.env.client, settings: h.app.settings, defaultLaunchDelaySeconds: 60 }
    expect(await startMissingCampaignWorkflows(deps)).toContain(id)
    expect((await h.env.client.workflow.getHandle(campaignWorkflowId(id)).describe()).status.name).toBe('RUNNING')
    await expect.poll(async () => h.db.campaignEvent.count({ where: { campaignId: id } })).toBe(1)
    expect(await startMissingCampaignWorkflows(deps)).not.toContain(id)
  })

  it('never shows or changes another agency’s campaign', async () => {
    const { campaign } = (await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(tenant, { name: 'Private' }) })).json()
    const intruder = await h.newTenant()
    for (const [method, url] of [['GET', `/api/campaigns/${campaign.id}`], ['POST', `/api/campaigns/${campaign.id}/pause`]] as const) {
      const res = await h.app.inject({ method, url, ...json(intruder) })
      expect(res.statusCode).toBe(404)
    }
    const list = await h.app.inject({ method: 'GET', url: '/api/campaigns', ...json(intruder) })
    expect(list.json().campaigns).toEqual([])
  })
})

describe('GET /openapi.json', () => {
  it('is generated from the route schemas and covers every route the app registers', async () => {
    // The same app plugin on a fresh instance, with a hook that records every route as it is added.
    const registered: string[] = []
    const probe = Fastify()
    probe.addHook('onRoute', (route) => {
      const methods = [route.method].flat().filter((method) => method !== 'HEAD')
      if (!route.schema?.hide) registered.push(...methods.map((method) => `${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`))
    })
    await greenlightApp(probe, testAppOptions(h.db, h.env.client, h.app.settings))
    await probe.ready()
    await probe.close()

    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    expect(doc.openapi).toBe('3.1.0')
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([url, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${url}`),
    )
    expect(registered).toContain('POST /api/campaigns/{id}/resume')
    expect(documented.sort()).toEqual(registered.sort())
    for (const [url, operations] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys(operation.responses), `${method} ${url} documents its responses`).not.toHaveLength(0)
      }
    }
    expect(doc.paths['/api/campaigns'].post.responses['400']).toBeDefined()
  })
})
