// The API in-process (app.inject) on a real PostgreSQL database and a real Temporal dev server, with
// the real worker polling in the same process (with its heartbeat, as worker.ts's main() runs it).
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import type { TestWorkflowEnvironment } from '@temporalio/testing'
import type { FastifyInstance } from 'fastify'
import type { Client } from '@temporalio/client'
import { buildApp, type AppOptions } from '../../api/app'
import { hashPassword } from '../../api/services/sessions'
import type { ApiSettings } from '../../api/types'
import { ROLE_LABELS, type Role } from '../../domain/permissions'
import { oauthSettings, temporalSettings, type AiSettings, type OAuthSettings } from '../../platform/config'
import type { Database } from '../../platform/database'
import { createMailer } from '../../platform/mailer'
import { TokenCipher, generateTokenKey, parseTokenKeys } from '../../platform/token-cipher'
import { startWorkerHeartbeat, type WorkerHeartbeatHandle } from '../../platform/worker-heartbeat'
import { createGreenlightWorker, type GreenlightWorker } from '../../worker'
import { createAgency, testDatabase } from './database'
import { localEnvironment } from './temporal'

/** A signed-in user of a test agency: send `headers` with app.inject (cookie and CSRF token). */
export interface TestMember {
  agencyId: string
  userId: string
  email: string
  password: string
  role: Role
  cookie: string
  csrfToken: string
  headers: { cookie: string; 'x-csrf-token': string }
}

/** One key per test process: tests never share or need the development key file. */
export const testTokenKeys = generateTokenKey('test-k1')
/** The cipher of `testTokenKeys`; a worker in a child process gets the same key as GREENLIGHT_TOKEN_KEYS. */
export const testTokenCipher = new TokenCipher(parseTokenKeys(testTokenKeys))

export function testApiSettings(taskQueue: string, overrides: Partial<ApiSettings> = {}): ApiSettings {
  return {
    temporal: { ...temporalSettings(), taskQueue, uiUrl: 'http://localhost:8233' },
    integrations: { ai: 'offline', meta: 'sandbox', tiktok: 'sandbox' },
    sessionTtlDays: 1,
    cookieSecure: false,
    webUrl: 'http://web.test',
    oauth: oauthSettings(),
    loginLimits: { perAccount: 5, perIp: 1000, windowSeconds: 900 },
    ...overrides,
  }
}

export function testAppOptions(db: Database, temporal: Client, settings: ApiSettings): AppOptions {
  return {
    db,
    temporal,
    settings,
    mailer: createMailer({ db, from: 'test@greenlight.test' }),
    tokenCipher: testTokenCipher,
  }
}

/** Logs a user in through the API and returns the headers a browser (through the web app) would send. */
export async function loginAs(app: FastifyInstance, email: string, password: string) {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`)
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  const csrfToken = login.json().user.csrfToken as string
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } }
}

export interface ApiHarness {
  app: FastifyInstance
  db: Database
  env: TestWorkflowEnvironment
  taskQueue: string
  /** Starts the worker; `ai` points its AI providers somewhere (the stand-ins), else the environment's. */
  startWorker(options?: { ai?: AiSettings }): Promise<void>
  stopWorker(): Promise<void>
  /** A new agency with one owner, signed in. */
  newTenant(): Promise<TestMember>
  /** Another member of an existing agency with the given role, signed in. */
  newMember(agencyId: string, role: Role): Promise<TestMember>
  stop(): Promise<void>
}

export async function startApiHarness(harnessOptions: { oauth?: OAuthSettings; platformRequestTimeoutMs?: number; notifyWebhookUrl?: string | null } = {}): Promise<ApiHarness> {
  const [database, env] = await Promise.all([testDatabase(), localEnvironment()])
  const taskQueue = `api-test-${randomUUID().slice(0, 8)}`
  const settings = testApiSettings(taskQueue, harnessOptions.oauth ? { oauth: harnessOptions.oauth } : {})
  const temporal = settings.temporal
  const app = await buildApp({ ...testAppOptions(database.db, env.client, settings), databaseUrl: database.url })
  await app.ready()

  async function member(agencyId: string, role: Role): Promise<TestMember> {
    const email = `${role}-${randomUUID()}@example.test`
    const password = `pw-${randomUUID()}`
    const user = await database.db.user.create({
      data: { agencyId, email, name: ROLE_LABELS[role], role, passwordHash: await hashPassword(password) },
    })
    return { agencyId, userId: user.id, email, password, role, ...(await loginAs(app, email, password)) }
  }

  let running: { worker: GreenlightWorker; done: Promise<void>; heartbeat: WorkerHeartbeatHandle } | null = null
  const harness: ApiHarness = {
    app,
    db: database.db,
    env,
    taskQueue,
    async startWorker(options: { ai?: AiSettings } = {}) {
      const greenlight = await createGreenlightWorker({
        ...options,
        temporal,
        db: database.db,
        connection: env.nativeConnection,
        tokenCipher: testTokenCipher,
        mailer: createMailer({ db: database.db, from: 'test@greenlight.test' }),
        oauth: settings.oauth,
        storage: app.storage,
        platformRequestTimeoutMs: harnessOptions.platformRequestTimeoutMs,
        notifyWebhookUrl: harnessOptions.notifyWebhookUrl ?? null,
      })
      const heartbeat = startWorkerHeartbeat({ db: database.db, identity: `${greenlight.worker.options.identity}@${os.hostname()}`, taskQueue })
      running = { worker: greenlight, done: greenlight.run(), heartbeat }
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
      return member(agency.id, 'owner')
    },
    newMember: member,
    async stop() {
      await harness.stopWorker()
      await app.close()
      await env.teardown()
      await database.drop()
    },
  }
  return harness
}
