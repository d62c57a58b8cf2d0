// `npm start` as a person uses it: the start script brings up PostgreSQL (here: a database of this test's
// own through DATABASE_URL), the Temporal dev server, the worker, the API and the web UI; a killed worker
// takes the platform down without losing anything; starting again resumes the campaign's workflow; a
// killed start script's leftovers are cleaned up; Ctrl-C stops everything; a busy port is one clear line.
import { randomUUID } from 'node:crypto'
import net from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createDatabase } from '../../platform/database'
import { isRecordedProcessAlive } from '../../scripts/process-registry'
import { preparePlatform, spawnStartScript, startPlatform, type PlatformSetup, type RunningPlatform } from '../support/platform'

let setup: PlatformSetup
let platform: RunningPlatform | undefined
let cookie = ''
let csrfToken = ''

beforeAll(async () => {
  setup = await preparePlatform()
})
afterAll(async () => {
  await platform?.stop()
  await setup?.dropDatabase()
})

async function login(apiUrl: string) {
  const response = await fetch(`${apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@greenlight.test', password: 'greenlight-demo' }),
  })
  expect(response.status).toBe(200)
  cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  csrfToken = ((await response.json()) as { user: { csrfToken: string } }).user.csrfToken
}

async function api(path: string, init: RequestInit = {}) {
  const response = await fetch(`${platform!.apiUrl}${path}`, {
    ...init,
    headers: { cookie, 'x-csrf-token': csrfToken, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  })
  return { status: response.status, body: await response.json() }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

it('says in one line which port is taken, and starts nothing', async () => {
  const blocker = net.createServer()
  await new Promise<void>((resolve) => blocker.listen(setup.ports.api, resolve))
  try {
    const { start, output } = spawnStartScript(setup)
    expect(await start.exited).toBe(1)
    expect(output).toEqual([
      `[start] Port ${setup.ports.api} is already in use (API_PORT): stop the process using it, or set API_PORT to a free port.`,
    ])
  } finally {
    blocker.close()
  }
})

/** "2026-11-22T18:30:05": wall-clock time in UTC, to the second. */
const utcLocal = (at: Date) => at.toISOString().slice(0, 19)

const stageEvents = (body: { events: { kind: string; detail: string }[] }) => body.events.filter((event) => event.kind === 'stage_changed')

it('runs a campaign across a killed worker and a restart, recording each stage exactly once', async () => {
  platform = await startPlatform(setup)
  expect(platform.output).toContain('[start] demo data seeded')
  await login(platform.apiUrl)

  // The demo's creator gets a connected Instagram account (as the sandbox's OAuth dialog would give her),
  // so a brief of the demo workspace passes its readiness check.
  const { workspaces } = (await api('/api/workspaces')).body as { workspaces: { workspace: { id: string; name: string } }[] }
  const workspaceId = workspaces.find((item) => item.workspace.name === 'Luna Coffee')!.workspace.id
  const { creators } = (await api('/api/creators')).body as { creators: { id: string; displayName: string }[] }
  const creatorId = creators.find((creator) => creator.displayName === 'Maya Chen')!.id
  const db = createDatabase(setup.env.DATABASE_URL!, { poolSize: 1 })
  try {
    const creator = await db.creator.findUniqueOrThrow({ where: { id: creatorId } })
    await db.socialAccount.create({
      data: { agencyId: creator.agencyId, creatorId, platform: 'instagram', handle: '@maya.sandbox', externalId: randomUUID(), status: 'active', sandbox: true },
    })
  } finally {
    await db.$disconnect()
  }

  const startsAt = new Date(Date.now() + 8_000)
  const endsAt = new Date(startsAt.getTime() + 3_000)
  const created = await api('/api/campaigns', {
    method: 'POST',
    body: JSON.stringify({ workspaceId, name: 'Durable launch', platforms: ['instagram'], timeZone: 'UTC', startsAtLocal: utcLocal(startsAt), endsAtLocal: utcLocal(endsAt), budgetMinor: 100_000 }),
  })
  expect(created.status).toBe(201)
  const id = created.body.campaign.id as string
  const deliverables = await api(`/api/campaigns/${id}/deliverables`, {
    method: 'PUT',
    body: JSON.stringify({ deliverables: [{ creatorId, platform: 'instagram', kind: 'reel', count: 1 }] }),
  })
  expect(deliverables.status).toBe(200)
  expect((await api(`/api/campaigns/${id}/status`, { method: 'POST', body: JSON.stringify({ to: 'ready' }) })).status).toBe(200)
  expect((await api(`/api/campaigns/${id}/status`, { method: 'POST', body: JSON.stringify({ to: 'active' }) })).status).toBe(200)
  await expect.poll(async () => stageEvents((await api(`/api/campaigns/${id}`)).body).length, { timeout: 15_000 }).toBe(1)

  // Kill the worker hard while the workflow sleeps on its durable timer: the platform goes down with it.
  const worker = platform.registry().services.worker!
  process.kill(worker.pid, 'SIGKILL')
  expect(await platform.start.exited).toBe(1)
  expect(platform.output.join('\n')).toMatch(/worker exited unexpectedly/)
  platform = undefined

  // Stay down past the start time; then start again from the same data folder and database.
  await sleep(Math.max(0, startsAt.getTime() - Date.now()) + 1_000)
  platform = await startPlatform(setup)
  expect(platform.output).not.toContain('[start] demo data seeded') // seeded once
  await login(platform.apiUrl)
  await expect.poll(async () => (await api(`/api/campaigns/${id}`)).body.campaign.stage, { timeout: 45_000, interval: 500 }).toBe('completed')

  const detail = await api(`/api/campaigns/${id}`)
  expect(detail.body.workflow).toMatchObject({ status: 'COMPLETED', stage: 'completed' })
  expect(detail.body.campaign.status).toBe('completed')
  expect(stageEvents(detail.body).map((event) => event.detail).sort()).toEqual([
    'Stage is now completed',
    'Stage is now live',
    'Stage is now scheduled',
  ])
}, 120_000)

it('cleans up after a killed start script, and stops everything on Ctrl-C', async () => {
  const orphaned = platform!.registry()
  process.kill(orphaned.start.pid, 'SIGKILL') // its services outlive it
  await platform!.start.exited
  expect(isRecordedProcessAlive(orphaned.services.api!)).toBe(true)

  platform = await startPlatform(setup)
  expect(platform.output.join('\n')).toMatch(/stopped .*api.* left running by an earlier start that was killed/)
  for (const entry of Object.values(orphaned.services)) expect(isRecordedProcessAlive(entry)).toBe(false)

  const running = platform.registry()
  expect(await platform.stop()).toBe(0)
  expect(platform.output).toContain('[start] stopped')
  for (const entry of Object.values(running.services)) expect(isRecordedProcessAlive(entry)).toBe(false)
  platform = undefined
}, 120_000)
