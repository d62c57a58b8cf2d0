// Worker, API, Temporal and PostgreSQL together as real processes, the way `npm start` runs them:
// a campaign created over HTTP runs its workflow, and killing the worker mid-run loses nothing.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startPlatform, type RunningPlatform } from '../support/platform'

let platform: RunningPlatform
let cookie: string

beforeAll(async () => {
  platform = await startPlatform({ web: false })
  const login = await fetch(`${platform.apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(platform.demoUser),
  })
  expect(login.status).toBe(200)
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
})
afterAll(async () => {
  await platform?.stop()
})

async function api(path: string, init: RequestInit = {}) {
  const response = await fetch(`${platform.apiUrl}${path}`, { ...init, headers: { cookie, ...(init.body ? { 'content-type': 'application/json' } : {}) } })
  return { status: response.status, body: await response.json() }
}

it('runs a campaign to completion across a killed and restarted worker, recording each stage once', async () => {
  const startsAt = new Date(Date.now() + 6_000)
  const endsAt = new Date(startsAt.getTime() + 4_000)
  const created = await api('/api/campaigns', { method: 'POST', body: JSON.stringify({ name: 'Durable launch', startsAt, endsAt }) })
  expect(created.status).toBe(201)
  const id = created.body.campaign.id as string

  await expect.poll(async () => (await api(`/api/campaigns/${id}`)).body.campaign.stage, { timeout: 15_000 }).toBe('scheduled')
  await expect.poll(async () => (await api(`/api/campaigns/${id}`)).body.events.length, { timeout: 15_000 }).toBe(1)

  // Kill the worker hard while the workflow sleeps on its durable timer, and keep it down past the start.
  platform.worker.child.kill('SIGKILL')
  await platform.worker.exited
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startsAt.getTime() - Date.now()) + 1_500))
  expect((await api(`/api/campaigns/${id}`)).body.campaign.stage).toBe('scheduled')

  platform.worker = await platform.startWorker()
  await expect.poll(async () => (await api(`/api/campaigns/${id}`)).body.campaign.stage, { timeout: 45_000, interval: 500 }).toBe('completed')

  const detail = await api(`/api/campaigns/${id}`)
  expect(detail.body.workflow).toMatchObject({ status: 'COMPLETED', stage: 'completed' })
  expect(detail.body.events.map((event: { detail: string }) => event.detail).sort()).toEqual([
    'Stage is now completed',
    'Stage is now live',
    'Stage is now scheduled',
  ])
})

it('reports the worker in /healthz', async () => {
  await expect.poll(async () => (await fetch(`${platform.apiUrl}/healthz`)).status, { timeout: 20_000 }).toBe(200)
  const health = await (await fetch(`${platform.apiUrl}/healthz`)).json()
  expect(health.checks.worker.detail).toMatch(/greenlight-worker@\d+/)
})
