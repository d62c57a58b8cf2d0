// The API in-process (app.inject) on a real PostgreSQL database and a real Temporal dev server, with
// the real worker polling in the same process (with its heartbeat, as worker.ts's main() runs it).
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import type { TestWorkflowEnvironment } from '@temporalio/testing'
import type { Worker } from '@temporalio/worker'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../api/app'
import { hashPassword } from '../../api/services/sessions'
import { temporalSettings } from '../../platform/config'
import type { Database } from '../../platform/database'
import { startWorkerHeartbeat, type WorkerHeartbeatHandle } from '../../platform/worker-heartbeat'
import { createGreenlightWorker } from '../../worker'
import { createAgency, testDatabase } from './database'
import { localEnvironment } from './temporal'

export interface ApiHarness {
  app: FastifyInstance
  db: Database
  env: TestWorkflowEnvironment
  taskQueue: string
  startWorker(): Promise<void>
  stopWorker(): Promise<void>
  /** A new agency with one owner; returns the session cookie header for that user. */
  newTenant(): Promise<{ agencyId: string; email: string; password: string; cookie: string }>
  stop(): Promise<void>
}

export async function startApiHarness(): Promise<ApiHarness> {
  const [database, env] = await Promise.all([testDatabase(), localEnvironment()])
  const taskQueue = `api-test-${randomUUID().slice(0, 8)}`
  const temporal = { ...temporalSettings(), taskQueue, uiUrl: 'http://localhost:8233' }
  const app = await buildApp({
    db: database.db,
    temporal: env.client,
    settings: { temporal, integrations: { ai: 'offline', meta: 'sandbox', tiktok: 'sandbox' }, sessionTtlDays: 1, cookieSecure: false },
    defaultLaunchDelaySeconds: 60,
  })
  await app.ready()

  let running: { worker: Worker; done: Promise<void>; heartbeat: WorkerHeartbeatHandle } | null = null
  const harness: ApiHarness = {
    app,
    db: database.db,
    env,
    taskQueue,
    async startWorker() {
      const { worker } = await createGreenlightWorker({ temporal, db: database.db, connection: env.nativeConnection })
      const heartbeat = startWorkerHeartbeat({ db: database.db, identity: `${worker.options.identity}@${os.hostname()}`, taskQueue })
      running = { worker, done: worker.run(), heartbeat }
    },
    async stopWorker() {
      if (!running) return
      running.worker.shutdown()
      await running.done
      await running.heartbeat.stop()
      running = null
    },
    async newTenant() {
      const agency = await createAgency(database.db)
      const email = `owner-${randomUUID()}@example.test`
      const password = `pw-${randomUUID()}`
      await database.db.user.create({
        data: { agencyId: agency.id, email, name: 'Owner', passwordHash: await hashPassword(password) },
      })
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
      if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`)
      const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
      return { agencyId: agency.id, email, password, cookie }
    },
    async stop() {
      await harness.stopWorker()
      await app.close()
      await env.teardown()
      await database.drop()
    },
  }
  return harness
}
