// GET /healthz on a real PostgreSQL and a real Temporal dev server, with the real worker and its heartbeat
// running in-process.
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../api/app'
import { createDatabase, type Database } from '../../platform/database'
import { WORKER_HEARTBEAT_FRESH_MS } from '../../platform/worker-heartbeat'
import { freePort } from '../../scripts/processes'
import { startApiHarness, testAppOptions, type ApiHarness } from '../support/api'

let h: ApiHarness

beforeAll(async () => {
  h = await startApiHarness()
  await h.startWorker()
})
afterAll(async () => {
  await h?.stop()
})

const healthz = (app: FastifyInstance = h.app) => app.inject({ method: 'GET', url: '/healthz' })

/** The same app on the harness's Temporal client, with another database or task queue. */
async function otherApp(options: { db?: Database; taskQueue?: string }): Promise<FastifyInstance> {
  const settings = h.app.settings
  const app = await buildApp(
    testAppOptions(options.db ?? h.db, h.env.client, { ...settings, temporal: { ...settings.temporal, taskQueue: options.taskQueue ?? h.taskQueue } }),
  )
  await app.ready()
  return app
}

describe('GET /healthz', () => {
  it('is 200 while the worker polls and its heartbeat is fresh', async () => {
    await expect.poll(async () => (await healthz()).statusCode, { timeout: 20_000 }).toBe(200)
    const { status, checks } = (await healthz()).json()
    expect(status).toBe('ok')
    expect(checks.database.ok).toBe(true)
    expect(checks.temporal.ok).toBe(true)
    expect(checks.worker.ok).toBe(true)
    expect(checks.worker.detail).toMatch(/polled by greenlight-worker@/)
    expect(checks.worker.detail).toMatch(/heartbeat from greenlight-worker@\d+@/)
  })

  it('is 503 naming the heartbeat as soon as the worker is gone, although Temporal still lists its poller', async () => {
    await expect.poll(async () => (await healthz()).statusCode, { timeout: 20_000 }).toBe(200)
    await h.stopWorker()
    try {
      // Graceful stop: the worker deleted its row.
      const stopped = await healthz()
      expect(stopped.statusCode).toBe(503)
      expect(stopped.json().checks.worker.ok).toBe(false)
      expect(stopped.json().checks.worker.detail).toBe(
        `no worker heartbeat for task queue "${h.taskQueue}" in the last ${WORKER_HEARTBEAT_FRESH_MS / 1000} s (none recorded)`,
      )

      // SIGKILL: the row stays behind and ages. Temporal keeps listing the dead poller as fresh, which is
      // exactly what the heartbeat is for: the detail names only the heartbeat.
      const lastSeenAt = new Date(Date.now() - WORKER_HEARTBEAT_FRESH_MS - 15_000)
      await h.db.workerHeartbeat.create({
        data: { identity: `killed-${randomUUID()}`, taskQueue: h.taskQueue, pid: 4242, hostname: 'gone', lastSeenAt },
      })
      const killed = await healthz()
      expect(killed.statusCode).toBe(503)
      const { detail } = killed.json().checks.worker
      expect(detail).toContain(
        `no worker heartbeat for task queue "${h.taskQueue}" in the last ${WORKER_HEARTBEAT_FRESH_MS / 1000} s (last seen ${lastSeenAt.toISOString()} from killed-`,
      )
      expect(detail).not.toContain('no worker is polling')
      expect(killed.json().checks.database.ok).toBe(true)
    } finally {
      await h.db.workerHeartbeat.deleteMany({ where: { taskQueue: h.taskQueue } })
      await h.startWorker()
    }
    await expect.poll(async () => (await healthz()).statusCode, { timeout: 20_000 }).toBe(200)
  })

  it('is 503 naming polling when no worker ever polled the task queue, even with a fresh heartbeat', async () => {
    // A worker process that wrote its heartbeat but never connected to Temporal.
    const taskQueue = `nobody-${randomUUID()}`
    await h.db.workerHeartbeat.create({
      data: { identity: `unconnected-${randomUUID()}`, taskQueue, pid: 4243, hostname: 'here', lastSeenAt: new Date() },
    })
    const app = await otherApp({ taskQueue })
    try {
      const res = await healthz(app)
      expect(res.statusCode).toBe(503)
      expect(res.json().checks.worker).toMatchObject({
        ok: false,
        detail: `no worker is polling the workflow task queue "${taskQueue}"`,
      })
      expect(res.json().checks.database.ok).toBe(true)
      expect(res.json().checks.temporal.ok).toBe(true)
    } finally {
      await app.close()
    }
  })

  it('is 503 (not 500) with the database check failing when PostgreSQL is unreachable', async () => {
    const db = createDatabase(`postgres://x:y@127.0.0.1:${await freePort()}/none`, { poolSize: 1 })
    const app = await otherApp({ db })
    try {
      const res = await healthz(app)
      expect(res.statusCode).toBe(503)
      const { status, checks } = res.json()
      expect(status).toBe('unavailable')
      expect(checks.database.ok).toBe(false)
      expect(checks.database.detail).not.toBe('')
      expect(checks.temporal.ok).toBe(true)
      // The heartbeat cannot be read either; the worker still polls, so only the heartbeat is blamed.
      expect(checks.worker.ok).toBe(false)
      expect(checks.worker.detail).toMatch(/^could not read worker heartbeats: /)
      expect(checks.worker.detail).not.toContain('no worker is polling')
    } finally {
      await app.close()
      await db.$disconnect()
    }
  })
})
