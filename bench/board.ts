// Board benchmark: a campaign board of 5,000 cards, read by 20 concurrent clients through the real API
// (session cookie, agency scope, the board query), against a bare route on the same server as the baseline.
// Runs on a throw-away embedded PostgreSQL; the API runs in a child process so the load generator does not
// share its event loop.
import { randomUUID } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { hashPassword } from '../api/services/sessions'
import { BOARD_COLUMNS, positionsForAppend } from '../domain/content-board'
import { projectRoot } from '../platform/config'
import { createDatabase } from '../platform/database'
import { startEmbeddedPostgres } from '../scripts/db/embedded-postgres'
import { deployMigrations } from '../scripts/db/migrate'
import { freePort, spawnService, tsxArgs, waitForHttp } from '../scripts/processes'

const CARDS = 5000
const CLIENTS = 20
const REQUESTS_PER_CLIENT = 100
const WARMUP_REQUESTS = 200
// How the cards spread over the columns: a board in the middle of a busy campaign.
const SPREAD = [0.3, 0.2, 0.15, 0.05, 0.1, 0.1, 0.1]

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'greenlight-board-bench-'))
chmodSync(dataDir, 0o755)
const [pgPort, apiPort] = await Promise.all([freePort(), freePort()])
const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: pgPort, durable: false })
let server: ReturnType<typeof spawnService> | undefined
try {
  await deployMigrations(pg.url)
  const db = createDatabase(pg.url, { poolSize: 4 })
  const password = 'bench-password'
  const agency = await db.agency.create({ data: { name: 'Bench Agency', slug: `bench-${randomUUID()}`, plan: 'enterprise' } })
  await db.user.create({ data: { agencyId: agency.id, email: 'owner@bench.test', name: 'Bench Owner', role: 'owner', passwordHash: await hashPassword(password) } })
  const workspace = await db.workspace.create({ data: { agencyId: agency.id, name: 'Bench Client', clientName: 'Bench Client' } })
  const campaignId = randomUUID()
  await db.campaign.create({
    data: { id: campaignId, agencyId: agency.id, workspaceId: workspace.id, name: 'Bench campaign', platforms: ['instagram', 'tiktok'], workflowId: `campaign:${campaignId}` },
  })
  const creators = await Promise.all(
    Array.from({ length: 20 }, (_, i) => db.creator.create({ data: { agencyId: agency.id, displayName: `Creator ${i + 1}` } })),
  )
  const seedStarted = performance.now()
  let made = 0
  for (const [c, column] of BOARD_COLUMNS.entries()) {
    const count = c === BOARD_COLUMNS.length - 1 ? CARDS - made : Math.round(CARDS * SPREAD[c]!)
    const positions = positionsForAppend(null, count)
    const rows = positions.map((position, i) => ({
      id: randomUUID(),
      agencyId: agency.id,
      workspaceId: workspace.id,
      campaignId,
      title: `${column} card ${i + 1}`,
      platform: i % 2 ? 'instagram' : 'tiktok',
      column,
      position,
      assigneeCreatorId: creators[i % creators.length]!.id,
      dueAt: new Date(Date.now() + (i % 30) * 86_400_000),
    }))
    for (let start = 0; start < rows.length; start += 1000) {
      const chunk = rows.slice(start, start + 1000)
      await db.contentTask.createMany({ data: chunk })
      // Half the cards have a caption, a comment on every fifth: the board previews and counts them.
      await db.captionVersion.createMany({
        data: chunk.filter((_, i) => i % 2 === 0).map((row) => ({ agencyId: agency.id, cardId: row.id, version: 1, text: `Caption for ${row.title} #launch #brand`, source: 'manual' })),
      })
      await db.cardComment.createMany({
        data: chunk.filter((_, i) => i % 5 === 0).map((row) => ({ agencyId: agency.id, cardId: row.id, authorName: 'Bench Owner', body: 'Looks good', mentions: [] })),
      })
    }
    made += count
  }
  await db.$executeRawUnsafe('ANALYZE')
  console.log(`seeded ${made} cards in ${Math.round(performance.now() - seedStarted)} ms`)
  await db.$disconnect()

  server = spawnService({
    name: 'api',
    command: process.execPath,
    args: [...(process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []), ...tsxArgs(path.join(projectRoot, 'bench', 'support', 'board-server.ts'))],
    cwd: projectRoot,
    env: { DATABASE_URL: pg.url, BENCH_PORT: String(apiPort), LOG_LEVEL: 'warn' },
    onLine: (line) => process.env.BENCH_VERBOSE && console.log(line),
  })
  const base = `http://127.0.0.1:${apiPort}`
  await waitForHttp(`${base}/bench/bare`, { ok: (status) => status === 200, timeoutMs: 60_000, service: server })
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@bench.test', password }) })
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`)
  const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ')
  const boardUrl = `${base}/api/boards?campaignId=${campaignId}`

  const firstText = await (await fetch(boardUrl, { headers: { cookie } })).text()
  const first = JSON.parse(firstText) as { columns: { total: number; cards: unknown[] }[] }
  const total = first.columns.reduce((sum, column) => sum + column.total, 0)
  const shown = first.columns.reduce((sum, column) => sum + column.cards.length, 0)
  if (total !== CARDS) throw new Error(`the board reports ${total} cards, expected ${CARDS}`)
  console.log(`board: ${total} cards, ${shown} on the first page of its ${first.columns.length} columns (${Math.round(firstText.length / 1024)} KB)`)

  // The load generator shares the machine with the server, so it is kept light: node:http over kept-alive
  // connections, one per client, bodies read and dropped.
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS })
  const get = (url: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.get(url, { agent, headers: { cookie } }, (response) => {
        response.on('data', () => undefined)
        response.on('end', () => resolve(response.statusCode ?? 0))
        response.on('error', reject)
      })
      request.on('error', reject)
    })

  /** Latencies of `perClient` sequential requests from each of CLIENTS concurrent clients. */
  async function load(url: string, perClient: number): Promise<number[]> {
    const latencies: number[] = []
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = 0; i < perClient; i++) {
          const started = performance.now()
          const status = await get(url)
          if (status !== 200) throw new Error(`${url} → ${status}`)
          latencies.push(performance.now() - started)
        }
      }),
    )
    return latencies.sort((a, b) => a - b)
  }
  const percentile = (sorted: number[], p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 10) / 10

  await load(`${base}/bench/bare`, WARMUP_REQUESTS / CLIENTS)
  await load(boardUrl, WARMUP_REQUESTS / CLIENTS)
  const bare = await load(`${base}/bench/bare`, REQUESTS_PER_CLIENT)
  const boardStarted = performance.now()
  const boardLatencies = await load(boardUrl, REQUESTS_PER_CLIENT)
  const seconds = (performance.now() - boardStarted) / 1000
  agent.destroy()
  console.log(`bare route: p50 ${percentile(bare, 50)} ms, p99 ${percentile(bare, 99)} ms over ${bare.length} requests`)
  console.log(
    `board: p50 ${percentile(boardLatencies, 50)} ms, p99 ${percentile(boardLatencies, 99)} ms over ${boardLatencies.length} requests ` +
      `(${Math.round(boardLatencies.length / seconds)} req/s, ${CLIENTS} concurrent clients)`,
  )
  console.log(
    `RESULT ${JSON.stringify({ cards: CARDS, p50_ms: percentile(boardLatencies, 50), p99_ms: percentile(boardLatencies, 99), baseline_p99_ms: percentile(bare, 99) })}`,
  )
} finally {
  await server?.stop(10_000)
  await pg.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
