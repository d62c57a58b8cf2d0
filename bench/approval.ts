// Approval benchmark: the approve round trip — an HTTP request to the API, the decision sent to the round's
// workflow as an Update (validator, handler, the activity that writes the ApprovalRound row), and the answer —
// over 500 decisions on 500 submitted cards, one after another. Real Temporal dev server, embedded PostgreSQL,
// the worker in its own process (`node --import tsx worker.ts`), the API listening on a port in this process.
// Prints the distribution, then `RESULT {json}`.
import { randomUUID } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Client, Connection } from '@temporalio/client'
import { buildApp } from '../api/app'
import { hashPassword } from '../api/services/sessions'
import type { ApprovalPolicy } from '../domain/approvals'
import { positionsForAppend } from '../domain/content-board'
import { aiSettings, temporalSettings } from '../platform/config'
import { createDatabase } from '../platform/database'
import { createMailer } from '../platform/mailer'
import { createStorage } from '../platform/storage'
import { TokenCipher, generateTokenKey, parseTokenKeys } from '../platform/token-cipher'
import { startEmbeddedPostgres } from '../scripts/db/embedded-postgres'
import { deployMigrations } from '../scripts/db/migrate'
import { freePort } from '../scripts/processes'
import { ensureDevServerCli } from '../scripts/temporal-cli'
import { startTemporalDevServer } from '../scripts/temporal-dev-server'
import { startWorkerProcess, type WorkerProcess } from '../tests/support/worker-process'
import { benchApiSettings } from './support/api-settings'

const DECISIONS = 500
const WARMUP = 20
const TASK_QUEUE = 'bench-approval'
const POLICY: ApprovalPolicy = {
  mode: 'required',
  steps: [{ name: 'Account lead', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager'] }],
  deadlines: { dueAfterHours: 48, remindBeforeHours: [24], escalateAfterHours: 24, expireAfterHours: null },
}

const verbose = Boolean(process.env.BENCH_VERBOSE)
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'greenlight-approval-bench-'))
chmodSync(dataDir, 0o755) // PostgreSQL runs as its own user and must reach postgres/ inside
const [pgPort, temporalPort, temporalUiPort, apiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()])
const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: pgPort, durable: false })
let temporal: Awaited<ReturnType<typeof startTemporalDevServer>> | undefined
let worker: WorkerProcess | undefined
let connection: Connection | undefined
let app: Awaited<ReturnType<typeof buildApp>> | undefined
try {
  await deployMigrations(pg.url)
  const cli = await ensureDevServerCli({ log: (line) => verbose && console.log(`[temporal] ${line}`) })
  temporal = await startTemporalDevServer({ cliPath: cli.path, port: temporalPort, uiPort: temporalUiPort, namespace: 'default', onLine: (line) => verbose && console.log(`[temporal] ${line}`) })
  const db = createDatabase(pg.url, { poolSize: 8 })
  connection = await Connection.connect({ address: temporal.address })
  const tokenKeys = generateTokenKey('bench')
  app = await buildApp({
    db,
    temporal: new Client({ connection, namespace: 'default' }),
    settings: benchApiSettings({ ...temporalSettings(), address: temporal.address, namespace: 'default', taskQueue: TASK_QUEUE }),
    mailer: createMailer({ db, from: 'bench@greenlight.test' }),
    tokenCipher: new TokenCipher(parseTokenKeys(tokenKeys)),
    storage: createStorage({ driver: 'local', rootDir: path.join(dataDir, 'uploads') }),
  })
  await app.listen({ host: '127.0.0.1', port: apiPort })
  const base = `http://127.0.0.1:${apiPort}`
  worker = await startWorkerProcess(
    { temporal: { address: temporal.address, namespace: 'default', taskQueue: TASK_QUEUE }, databaseUrl: pg.url, tokenKeys, dataDir, ai: aiSettings() },
    { readyTimeoutMs: 180_000 },
  )

  // An agency with a manager (the approver) and a creator (the submitter), a workspace that requires approval,
  // and the creator's cards in progress, each with a caption.
  const password = 'bench-password'
  const agency = await db.agency.create({ data: { name: 'Bench Agency', slug: `bench-${randomUUID()}`, plan: 'enterprise' } })
  const passwordHash = await hashPassword(password)
  await db.user.create({ data: { agencyId: agency.id, email: 'manager@bench.test', name: 'Bench Manager', role: 'manager', passwordHash } })
  const creatorUser = await db.user.create({ data: { agencyId: agency.id, email: 'creator@bench.test', name: 'Bench Creator', role: 'creator', passwordHash } })
  const creator = await db.creator.create({ data: { agencyId: agency.id, displayName: 'Bench Creator', userId: creatorUser.id } })
  const workspace = await db.workspace.create({ data: { agencyId: agency.id, name: 'Bench Client', clientName: 'Bench Client', approvalPolicy: POLICY as object } })
  const campaignId = randomUUID()
  await db.campaign.create({ data: { id: campaignId, agencyId: agency.id, workspaceId: workspace.id, name: 'Bench campaign', platforms: ['instagram'], workflowId: `campaign:${campaignId}` } })
  const total = DECISIONS + WARMUP
  const cards = positionsForAppend(null, total).map((position, i) => ({
    id: randomUUID(),
    agencyId: agency.id,
    workspaceId: workspace.id,
    campaignId,
    title: `Post ${i + 1}`,
    platform: 'instagram',
    column: 'In_Progress',
    position,
    version: 1,
    assigneeCreatorId: creator.id,
  }))
  await db.contentTask.createMany({ data: cards })
  await db.captionVersion.createMany({ data: cards.map((card) => ({ agencyId: agency.id, cardId: card.id, version: 1, text: `Caption for ${card.title}`, source: 'creator', createdById: creatorUser.id })) })

  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 })
  async function signIn(email: string) {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`)
    const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ')
    return { cookie, 'x-csrf-token': ((await login.json()) as { user: { csrfToken: string } }).user.csrfToken }
  }
  const post = (headers: Record<string, string>, url: string, body: unknown) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = JSON.stringify(body)
      const request = http.request(`${base}${url}`, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
        response.on('error', reject)
      })
      request.on('error', reject)
      request.end(payload)
    })

  // The creator submits every card: each move opens a round and starts its run.
  const creatorHeaders = await signIn('creator@bench.test')
  const submitStarted = performance.now()
  for (const card of cards) {
    const moved = await post(creatorHeaders, `/api/cards/${card.id}/move`, { version: 1, to: 'Submitted_By_Creator' })
    if (moved.status !== 200) throw new Error(`submit → ${moved.status}: ${moved.body}`)
  }
  console.log(`submitted ${cards.length} cards (rounds opened, runs started) in ${Math.round(performance.now() - submitStarted)} ms`)
  // Let every run take its first workflow task, so the decisions measure the Update and not a run's start.
  await sleep(3_000)

  const managerHeaders = await signIn('manager@bench.test')
  const latencies: number[] = []
  for (const [i, card] of cards.entries()) {
    const started = performance.now()
    const decided = await post(managerHeaders, `/api/cards/${card.id}/approval/decisions`, { kind: 'approve', captionVersion: 1 })
    const elapsed = performance.now() - started
    if (decided.status !== 200 || (JSON.parse(decided.body) as { status: string }).status !== 'approved') throw new Error(`decision → ${decided.status}: ${decided.body}`)
    if (i >= WARMUP) latencies.push(elapsed)
  }
  agent.destroy()

  // Every decision is in its row and every card reaches Approved (the move runs after the Update answered).
  const approvedRounds = await db.approvalRound.count({ where: { status: 'approved' } })
  let approvedCards = 0
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
    approvedCards = await db.contentTask.count({ where: { campaignId, column: 'Approved' } })
    if (approvedCards === total) break
  }
  if (approvedRounds !== total || approvedCards !== total) throw new Error(`expected ${total} approved rounds and cards, found ${approvedRounds} and ${approvedCards}`)

  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10
  console.log(`approve round trip over ${sorted.length} decisions (after ${WARMUP} warm-up): p50 ${at(50)} ms, p90 ${at(90)} ms, p99 ${at(99)} ms, max ${at(100)} ms`)
  console.log(`${approvedRounds} rounds approved in PostgreSQL, ${approvedCards} cards in Approved`)
  console.log(`RESULT ${JSON.stringify({ decisions: sorted.length, p50_ms: at(50), p99_ms: at(99) })}`)
} finally {
  await worker?.stop(10_000)
  await app?.close()
  await connection?.close()
  await temporal?.service.stop(10_000)
  await pg.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
