// AI batch generation benchmark: 30 assets × 1 platform × 3 variations, written and judged through the real
// OpenAI SDK against the OpenAI stand-in (1.0 s per call, provider concurrency 8), on a real Temporal dev server
// and an embedded PostgreSQL. The worker runs as its own process (`node --import tsx worker.ts`) so its memory
// is measured alone; the API runs in this process (app.inject). The ideal is the provider's own bound: every
// call at 8 in flight, the judges after the variants. Prints where the time went, then `RESULT {json}`.
import { randomUUID } from 'node:crypto'
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Client, Connection } from '@temporalio/client'
import sharp from 'sharp'
import { JUDGE_SCHEMA_NAME } from '../activities/ai/schemas'
import { buildApp } from '../api/app'
import { hashPassword } from '../api/services/sessions'
import { integrationModes, temporalSettings, type AiSettings } from '../platform/config'
import { createDatabase } from '../platform/database'
import { createMailer } from '../platform/mailer'
import { createStorage } from '../platform/storage'
import { TokenCipher, generateTokenKey, parseTokenKeys } from '../platform/token-cipher'
import { createOpenAiStandIn } from '../sandbox/openai'
import { createSandboxServer } from '../sandbox/server'
import { startEmbeddedPostgres } from '../scripts/db/embedded-postgres'
import { deployMigrations } from '../scripts/db/migrate'
import { freePort } from '../scripts/processes'
import { ensureDevServerCli } from '../scripts/temporal-cli'
import { startTemporalDevServer } from '../scripts/temporal-dev-server'
import { startWorkerProcess, type WorkerProcess } from '../tests/support/worker-process'
import { benchApiSettings } from './support/api-settings'
import { activityTimeline } from './support/activity-timeline'
import { machineCpuMs, sampleTreeMemory, treeCpuMs, treeResidentMb } from './support/process-stats'

const ASSETS = 30
const VARIATIONS = 3
const VARIANTS = ASSETS * VARIATIONS
const CONCURRENCY = 8
const LATENCY_MS = 1_000
const UPLOAD_FILES_PER_REQUEST = 20
const TASK_QUEUE = 'bench-generation'

const verbose = Boolean(process.env.BENCH_VERBOSE)
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'greenlight-generation-bench-'))
chmodSync(dataDir, 0o755) // PostgreSQL runs as its own user and must reach postgres/ inside
const [pgPort, temporalPort, temporalUiPort] = await Promise.all([freePort(), freePort(), freePort()])

const openai = createOpenAiStandIn({ latencyMs: LATENCY_MS })
const standIn = createSandboxServer([openai])
await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve))
const standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`

const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: pgPort, durable: false })
let temporal: Awaited<ReturnType<typeof startTemporalDevServer>> | undefined
let worker: WorkerProcess | undefined
let connection: Connection | undefined
try {
  await deployMigrations(pg.url)
  const cli = await ensureDevServerCli({ log: (line) => verbose && console.log(`[temporal] ${line}`) })
  temporal = await startTemporalDevServer({
    cliPath: cli.path,
    port: temporalPort,
    uiPort: temporalUiPort,
    namespace: 'default',
    onLine: (line) => verbose && console.log(`[temporal] ${line}`),
  })
  console.log(`postgres on ${pgPort}, temporal on ${temporal.address}, OpenAI stand-in at ${standInUrl} (${LATENCY_MS} ms per call)`)

  const db = createDatabase(pg.url, { poolSize: 4 })
  connection = await Connection.connect({ address: temporal.address })
  const tokenKeys = generateTokenKey('bench')
  const client = new Client({ connection, namespace: 'default' })
  const app = await buildApp({
    db,
    temporal: client,
    settings: benchApiSettings({ ...temporalSettings(), address: temporal.address, namespace: 'default', taskQueue: TASK_QUEUE }, { integrations: { ...integrationModes(), ai: 'openai' } }),
    mailer: createMailer({ db, from: 'bench@greenlight.test' }),
    tokenCipher: new TokenCipher(parseTokenKeys(tokenKeys)),
    storage: createStorage({ driver: 'local', rootDir: path.join(dataDir, 'uploads') }),
  })
  await app.ready()

  // An agency with room for the batch, its owner signed in, a workspace, a campaign and 30 images.
  const password = 'bench-password'
  const agency = await db.agency.create({ data: { name: 'Bench Agency', slug: `bench-${randomUUID()}`, plan: 'enterprise' } })
  await db.user.create({ data: { agencyId: agency.id, email: 'owner@bench.test', name: 'Bench Owner', role: 'owner', passwordHash: await hashPassword(password) } })
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'owner@bench.test', password } })
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`)
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  const headers = { cookie, 'x-csrf-token': login.json().user.csrfToken as string }
  async function api<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
    const response = await app.inject({ method, url, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) })
    if (response.statusCode >= 300) throw new Error(`${method} ${url} → ${response.statusCode}: ${response.body}`)
    return response.json() as T
  }
  const { workspace } = await api<{ workspace: { id: string } }>('POST', '/api/workspaces', { name: 'Luna Coffee', clientName: 'Luna Coffee' })
  const day = (offset: number) => `${new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)}T09:00`
  const { campaign } = await api<{ campaign: { id: string } }>('POST', '/api/campaigns', {
    workspaceId: workspace.id,
    name: 'Autumn origins',
    objective: 'engagement',
    platforms: ['instagram'],
    startsAtLocal: day(1),
    endsAtLocal: day(8),
    timeZone: 'Europe/Berlin',
    budgetMinor: 250_000,
    currency: 'EUR',
  })
  const assetIds: string[] = []
  for (let start = 0; start < ASSETS + 1; start += UPLOAD_FILES_PER_REQUEST) {
    const form = new FormData()
    // One more than the batch needs: the warm-up batch takes the last one.
    for (let i = start; i < Math.min(start + UPLOAD_FILES_PER_REQUEST, ASSETS + 1); i++) {
      const png = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 40, g: (i * 37) % 256, b: 120 } } }).png().toBuffer()
      form.append('files', new Blob([new Uint8Array(png)], { type: 'image/png' }), `product-shot-${i + 1}.png`)
    }
    const request = new Request('http://api.bench/', { method: 'POST', body: form })
    const response = await app.inject({
      method: 'POST',
      url: `/api/workspaces/${workspace.id}/assets`,
      headers: { ...headers, 'content-type': request.headers.get('content-type')! },
      payload: Buffer.from(await request.arrayBuffer()),
    })
    if (response.statusCode !== 201) throw new Error(`upload → ${response.statusCode}: ${response.body}`)
    assetIds.push(...(response.json().assets as { asset: { id: string } }[]).map((entry) => entry.asset.id))
  }
  console.log(`seeded: agency, workspace, campaign, ${assetIds.length} images`)

  const ai: AiSettings = {
    openai: { apiKey: 'sk-bench-greenlight', baseUrl: `${standInUrl}/openai/v1`, model: 'gpt-4o-mini', concurrency: CONCURRENCY, ratePerSecond: 1_000 },
    gemini: { apiKey: undefined, baseUrl: undefined, model: 'gemini-2.5-flash', concurrency: 1, ratePerSecond: 1 },
    requestTimeoutMs: 30_000,
    rateLimitPatienceMs: 60_000,
  }
  const workerStarted = performance.now()
  worker = await startWorkerProcess(
    { temporal: { address: temporal.address, namespace: 'default', taskQueue: TASK_QUEUE }, databaseUrl: pg.url, tokenKeys, dataDir, ai },
    { readyTimeoutMs: 180_000 },
  )
  console.log(`worker process ${worker.pid} polling after ${Math.round(performance.now() - workerStarted)} ms (bundling included), ${treeResidentMb(worker.pid)} MB resident`)
  const memory = sampleTreeMemory(worker.pid, 100)

  /** Starts a batch and waits for its row to leave 'running'; returns the batch id and the wall time. */
  async function runBatch(assets: string[], onTick?: (elapsedMs: number) => void) {
    const started = performance.now()
    const startedAtEpoch = Date.now()
    const { batch } = await api<{ batch: { id: string } }>('POST', `/api/workspaces/${workspace.id}/ai-batches`, {
      campaignId: campaign.id,
      assetIds: assets,
      formats: ['instagram'],
      variantsPerItem: VARIATIONS,
      providerChain: ['openai'],
    })
    let lastReport = 0
    for (;;) {
      const row = await db.aiBatch.findUniqueOrThrow({ where: { id: batch.id }, select: { status: true, generatedVariants: true } })
      const elapsed = performance.now() - started
      if (row.status !== 'running') return { id: batch.id, status: row.status, wallMs: Math.round(elapsed), startedAtEpoch }
      onTick?.(elapsed)
      if (elapsed - lastReport >= 2_000) {
        lastReport = elapsed
        console.log(`  ${(elapsed / 1000).toFixed(1)} s: ${row.generatedVariants} variants stored, worker ${memory.lastMb()} MB`)
      }
      if (elapsed > 300_000) throw new Error(`batch ${batch.id} still running after 300 s:\n${worker!.output()}`)
      await sleep(20)
    }
  }

  // Warm-up: the worker's first workflow run and first provider calls pay one-off costs (workflow sandbox,
  // connection pools, the SDK client); one small batch takes them before the measured one.
  const warmUp = await runBatch(assetIds.slice(ASSETS))
  console.log(`warm-up batch (1 asset × ${VARIATIONS}): ${warmUp.status} in ${warmUp.wallMs} ms`)
  openai.control.reset()

  console.log(`batch: ${ASSETS} assets × 1 platform × ${VARIATIONS} variations, chain [openai], ${CONCURRENCY} calls at once`)
  const inFlightSamples: { atMs: number; inFlight: number }[] = []
  const postmasterPid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0])
  const cpuTrees = { worker: worker.pid, temporal: temporal.service.child.pid ?? -1, postgres: postmasterPid }
  const cpuBefore = { trees: Object.fromEntries(Object.entries(cpuTrees).map(([name, pid]) => [name, treeCpuMs(pid)])), bench: process.cpuUsage(), machine: machineCpuMs() }
  const measured = await runBatch(assetIds.slice(0, ASSETS), (elapsedMs) => inFlightSamples.push({ atMs: elapsedMs, inFlight: openai.control.traffic().inFlight }))
  memory.stop()
  const cpuAfter = { trees: Object.fromEntries(Object.entries(cpuTrees).map(([name, pid]) => [name, treeCpuMs(pid)])), bench: process.cpuUsage(cpuBefore.bench), machine: machineCpuMs() }
  const row = await db.aiBatch.findUniqueOrThrow({ where: { id: measured.id }, select: { generatedVariants: true, failedItems: true } })
  const traffic = openai.control.traffic()
  const calls = traffic.requests
    .filter((r) => r.requestKey?.startsWith(`${measured.id}:`))
    .map((r) => ({ ...r, startMs: Date.parse(r.at) - measured.startedAtEpoch }))
    .sort((a, b) => a.startMs - b.startMs)
  const judgeCalls = calls.filter((r) => r.schemaName === JUDGE_SCHEMA_NAME)
  const generationCalls = calls.filter((r) => r.schemaName !== JUDGE_SCHEMA_NAME)
  const notAnswered = calls.filter((r) => r.status !== 200)
  console.log(
    `batch ${measured.status}: ${row.generatedVariants} variants stored, ${row.failedItems} items failed; ` +
      `${generationCalls.length} generation and ${judgeCalls.length} judge calls (${notAnswered.length} not answered 200)`,
  )

  // Where the time went: before the first call, while calls ran, after the last answer.
  if (calls.length > 0) {
    const firstCallMs = calls[0]!.startMs
    const lastAnswerMs = Math.max(...calls.map((r) => r.startMs + LATENCY_MS))
    const lastGenerationAnswerMs = Math.max(...generationCalls.map((r) => r.startMs + LATENCY_MS))
    console.log(
      `timeline: first call at ${firstCallMs} ms, last variant answered at ${lastGenerationAnswerMs} ms, last answer at ${lastAnswerMs} ms, ` +
        `batch row finished at ${measured.wallMs} ms (tail ${measured.wallMs - lastAnswerMs} ms)`,
    )
    // Slot refills: how long a slot stood empty between one call's answer and the next call's arrival.
    const gaps = laneGaps(calls.map((call) => ({ startMs: call.startMs, endMs: call.startMs + LATENCY_MS })))
    const busyMs = calls.length * LATENCY_MS
    console.log(
      `slot refills at OpenAI: ${summary(gaps)}, ${gaps.reduce((sum, gap) => sum + gap, 0)} ms in all over ${CONCURRENCY} slots; ` +
        `slots busy ${((busyMs / (CONCURRENCY * (lastAnswerMs - firstCallMs))) * 100).toFixed(1)}% between the first call and the last answer`,
    )
    // The server's side: when each provider activity reached the worker and finished, against when its call
    // reached OpenAI. Before the call: database reads, the slot lease, the request; after the answer: storing
    // the variant and releasing the slot; between activities on a slot: Temporal's completion and next dispatch.
    const runs = await activityTimeline(client.workflow.getHandle(`batch:${measured.id}`))
    const keyOf = (input: unknown, activityType: string) => {
      const { batchId, itemIndex, variantIndex } = input as { batchId: string; itemIndex: number; variantIndex?: number }
      return activityType === 'judgeVariants' ? `${batchId}:${itemIndex}:judge` : `${batchId}:${itemIndex}:${variantIndex}`
    }
    const providerRuns = runs.filter((run) => run.activityType === 'generateVariant' || run.activityType === 'judgeVariants')
    const arrivals = new Map(calls.map((call) => [call.requestKey!, Date.parse(call.at)]))
    const before: number[] = []
    const after: number[] = []
    for (const run of providerRuns) {
      const arrival = arrivals.get(keyOf(run.input, run.activityType))
      if (arrival === undefined || run.startedMs === null || run.closedMs === null) continue
      before.push(arrival - run.startedMs)
      after.push(run.closedMs - (arrival + LATENCY_MS))
    }
    const handovers = laneGaps(providerRuns.filter((run) => run.startedMs !== null && run.closedMs !== null).map((run) => ({ startMs: run.startedMs!, endMs: run.closedMs! })))
    console.log(`activity to call: ${summary(before)}; answer to activity completed: ${summary(after)}; activity completed to next started on its slot: ${summary(handovers)}`)
    const finishing = runs.filter((run) => run.activityType === 'finishItem' && run.startedMs !== null && run.closedMs !== null).map((run) => run.closedMs! - run.startedMs!)
    console.log(`finishItem (score, land on the card): ${summary(finishing)}`)
    const perSecond = new Map<number, number[]>()
    for (const sample of inFlightSamples) {
      const second = Math.floor(sample.atMs / 1000)
      perSecond.set(second, [...(perSecond.get(second) ?? []), sample.inFlight])
    }
    const profile = [...perSecond.entries()].map(([second, values]) => `${second}s:${(values.reduce((s, v) => s + v, 0) / values.length).toFixed(1)}`)
    console.log(`calls in flight, mean per second of the run: ${profile.join(' ')}`)
  }

  const cpuSeconds = (ms: number) => (ms / 1000).toFixed(1)
  const usedBy = Object.fromEntries(Object.keys(cpuTrees).map((name) => [name, cpuAfter.trees[name]! - cpuBefore.trees[name]!]))
  const benchMs = (cpuAfter.bench.user + cpuAfter.bench.system) / 1000
  const machineBusyMs = cpuAfter.machine.busyMs - cpuBefore.machine.busyMs
  const machineTotalMs = cpuAfter.machine.totalMs - cpuBefore.machine.totalMs
  const othersMs = machineBusyMs - benchMs - Object.values(usedBy).reduce((sum, ms) => sum + ms, 0)
  console.log(
    `CPU during the batch (s): worker ${cpuSeconds(usedBy.worker!)}, temporal ${cpuSeconds(usedBy.temporal!)}, postgres ${cpuSeconds(usedBy.postgres!)}, ` +
      `this process (API, OpenAI stand-in) ${cpuSeconds(benchMs)}, everything else on the machine ${cpuSeconds(Math.max(0, othersMs))}; ` +
      `machine ${((machineBusyMs / machineTotalMs) * 100).toFixed(0)}% busy over ${os.cpus().length} cores`,
  )
  const idealMs = Math.ceil(VARIANTS / CONCURRENCY) * LATENCY_MS + Math.ceil(judgeCalls.length / CONCURRENCY) * LATENCY_MS
  const ratio = Math.round((measured.wallMs / idealMs) * 1000) / 1000
  console.log(`ideal ${idealMs} ms = ceil(${VARIANTS}/${CONCURRENCY}) s of variants + ceil(${judgeCalls.length}/${CONCURRENCY}) s of judges; measured ${measured.wallMs} ms`)
  console.log(`stand-in maxConcurrent: ${traffic.maxConcurrent} (cap ${CONCURRENCY})`)
  console.log(
    `RESULT ${JSON.stringify({ variants: row.generatedVariants, wall_ms: measured.wallMs, ideal_ms: idealMs, ratio, peak_worker_rss_mb: memory.peakMb() })}`,
  )
  await app.close()
  await db.$disconnect()
} finally {
  await worker?.stop(10_000)
  await connection?.close()
  await temporal?.service.stop(10_000)
  await pg.stop()
  await new Promise<void>((resolve) => standIn.close(() => resolve()))
  rmSync(dataDir, { recursive: true, force: true })
}

/** Intervals laid on as few lanes as they need, each taking the lane free the longest: how long lanes stood empty. */
function laneGaps(intervals: { startMs: number; endMs: number }[]): number[] {
  const lanes: number[] = []
  const gaps: number[] = []
  for (const interval of [...intervals].sort((a, b) => a.startMs - b.startMs)) {
    if (lanes.length < CONCURRENCY) {
      lanes.push(interval.endMs)
      continue
    }
    let lane = 0
    for (let i = 1; i < lanes.length; i++) if (lanes[i]! < lanes[lane]!) lane = i
    gaps.push(Math.max(0, interval.startMs - lanes[lane]!))
    lanes[lane] = Math.max(interval.endMs, lanes[lane]!)
  }
  return gaps
}

function summary(values: number[]): string {
  if (values.length === 0) return 'none'
  const sorted = [...values].sort((a, b) => a - b)
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!)
  return `p50 ${at(50)} ms, p90 ${at(90)} ms, max ${at(100)} ms (${values.length})`
}
