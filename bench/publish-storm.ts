// Publish-storm benchmark: 1,000 approved cards scheduled through the API (the real schedulePosts, so each post
// is its real publishPostWorkflow) to 50 sandbox accounts across Instagram, Facebook and TikTok, all due at the
// same second, published by the real worker (its own process, `node --import tsx worker.ts`) to the Meta and
// TikTok stand-ins over HTTP, on a real Temporal dev server and an embedded PostgreSQL. Lateness is measured on
// the stand-ins' own records: when each publication happened there, minus the time it was scheduled for.
// Then the same kind of posts through a naive one-minute database poller (no Temporal), and Temporal's ceiling
// on this machine with a workflow that returns at once. Prints progress, where the time went, then
// `RESULT {json}`.
//
//   npm run bench -- publish-storm [--posts 1000] [--accounts 50] [--workspaces 1] [--skip noop,baseline]
// (--skip leaves a part out while working on another; its figures are then null in the RESULT line.)
import { randomBytes } from 'node:crypto'
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { Client, Connection } from '@temporalio/client'
import { buildApp } from '../api/app'
import type { Prisma } from '../generated/prisma/client'
import { hashPassword } from '../api/services/sessions'
import { aiSettings, oauthSettings, publishingSettings, temporalSettings } from '../platform/config'
import { createDatabase } from '../platform/database'
import { createMailer } from '../platform/mailer'
import { createMediaLinkSigner, mediaLinkFilename } from '../platform/media-links'
import { createStorage } from '../platform/storage'
import { TokenCipher, generateTokenKey, parseTokenKeys } from '../platform/token-cipher'
import { workflowBundleFile } from '../platform/workflow-bundle'
import { metaGraphBaseUrl } from '../activities/platforms/meta/publishing'
import { startEmbeddedPostgres } from '../scripts/db/embedded-postgres'
import { deployMigrations } from '../scripts/db/migrate'
import { freePort } from '../scripts/processes'
import { ensureDevServerCli } from '../scripts/temporal-cli'
import { startTemporalDevServer } from '../scripts/temporal-dev-server'
import { startWorkerProcess, type WorkerProcess } from '../tests/support/worker-process'
import { PREPARE_LEAD_MS, publishWorkflowId } from '../workflows/publish-post/definitions'
import { benchApiSettings } from './support/api-settings'
import { startCronPublisher } from './support/cron-publisher'
import { sampleDbActivity } from './support/db-activity'
import { measureNoopThroughput } from './support/noop-throughput'
import { checkPosts, createPlatformLedger, percentile, TIKTOK_TITLE_CHARS, type CheckedPost, type Publication, type PostSetOutcome } from './support/platform-ledger'
import { machineCpuMs, treeCpuMs } from './support/process-stats'
import { createApprovedCards, seedStormTenant, startStormStandIns, type StormCard } from './support/storm-tenant'
import { wakeTimeline } from './support/wake-timeline'

const { values: flags } = parseArgs({
  args: process.argv.slice(3),
  options: {
    posts: { type: 'string', default: '1000' },
    accounts: { type: 'string', default: '50' },
    workspaces: { type: 'string', default: '1' },
    skip: { type: 'string', default: '' },
  },
})
const POSTS = positiveInteger('--posts', flags.posts)
const ACCOUNTS = Math.min(positiveInteger('--accounts', flags.accounts), POSTS)
const WORKSPACES = Math.min(positiveInteger('--workspaces', flags.workspaces), ACCOUNTS)
if (ACCOUNTS < 3) throw new Error('--accounts must be at least 3 (one per platform)')
const SKIPPED = new Set(flags.skip.split(',').map((part) => part.trim()).filter(Boolean))
for (const part of SKIPPED) if (part !== 'noop' && part !== 'baseline') throw new Error(`--skip takes noop and/or baseline, got "${part}"`)
const TASK_QUEUE = 'bench-publish-storm'
/** Instagram containers and TikTok posts "process" this long on the stand-ins. */
const PROCESSING_MS = 500
/** Time to create every post before they are due: scheduling ran 18 to 33 posts a second here; with margin. */
const STORM_LEAD_MS = 30_000 + POSTS * 75
/** How long after the due time the storm may take before unsettled posts count as lost. */
const STORM_DEADLINE_MS = 180_000
const CRON_INTERVAL_MS = 60_000
/** The baseline's posts are due within the minute that starts this long after the poller's first tick. */
const CRON_FIRST_DUE_MS = 30_000
const SCHEDULING_IN_FLIGHT = 8
const NOOP_IN_FLIGHT = 50

const verbose = Boolean(process.env.BENCH_VERBOSE)
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 23)}] ${line}`)
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'greenlight-publish-storm-bench-'))
chmodSync(dataDir, 0o755) // PostgreSQL runs as its own user and must reach postgres/ inside

// The sandbox, whatever this shell has configured (the worker inherits this process's environment).
for (const name of ['META_APP_ID', 'META_APP_SECRET', 'TIKTOK_CLIENT_KEY', 'TIKTOK_CLIENT_SECRET', 'META_GRAPH_URL', 'META_DIALOG_URL', 'TIKTOK_API_URL', 'TIKTOK_AUTH_URL']) delete process.env[name]
const postsPerAccount = Math.ceil(POSTS / ACCOUNTS)
// Both sets of posts (the storm's and the baseline's) go to the same accounts.
const standIns = await startStormStandIns({ accounts: ACCOUNTS, postsPerAccount: postsPerAccount * 2, processingMs: PROCESSING_MS })
const [pgPort, temporalPort, temporalUiPort, apiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()])
const reviewLinkSecret = randomBytes(32).toString('base64url')
// Where the platforms are, for this process (the API, the baseline) and for the worker (platform/config.ts).
const platformEnvironment = {
  SANDBOX_URL: standIns.base,
  META_GRAPH_URL: `${standIns.base}/meta`,
  TIKTOK_API_URL: `${standIns.base}/tiktok`,
  REVIEW_LINK_SECRET: reviewLinkSecret,
  // The media links the worker signs point at this process's API (the stand-ins check them, never download).
  PUBLIC_MEDIA_URL: `http://127.0.0.1:${apiPort}`,
}
Object.assign(process.env, platformEnvironment)
const oauth = oauthSettings()
const graphBaseUrl = metaGraphBaseUrl(oauth.meta)

const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: pgPort, durable: false })
let temporal: Awaited<ReturnType<typeof startTemporalDevServer>> | undefined
let worker: WorkerProcess | undefined
let connection: Connection | undefined
let app: Awaited<ReturnType<typeof buildApp>> | undefined
const db = createDatabase(pg.url, { poolSize: 10 })
try {
  await deployMigrations(pg.url)
  const cli = await ensureDevServerCli({ log: (line) => verbose && console.log(`[temporal] ${line}`) })
  temporal = await startTemporalDevServer({ cliPath: cli.path, port: temporalPort, uiPort: temporalUiPort, namespace: 'default', onLine: (line) => verbose && console.log(`[temporal] ${line}`) })
  connection = await Connection.connect({ address: temporal.address })
  const client = new Client({ connection, namespace: 'default' })
  const tokenKeys = generateTokenKey('bench')
  const cipher = new TokenCipher(parseTokenKeys(tokenKeys))
  const storage = createStorage({ driver: 'local', rootDir: path.join(dataDir, 'uploads') })
  app = await buildApp({
    db,
    temporal: client,
    settings: benchApiSettings({ ...temporalSettings(), address: temporal.address, namespace: 'default', taskQueue: TASK_QUEUE }, { oauth }),
    mailer: createMailer({ db, from: 'bench@greenlight.test' }),
    tokenCipher: cipher,
    storage,
  })
  await app.listen({ host: '127.0.0.1', port: apiPort })
  log(`postgres on ${pgPort}, temporal on ${temporal.address}, API on ${apiPort}, stand-ins at ${standIns.base}`)

  // The workflow bundle is keyed by the code it holds: one built for this checkout already spares the worker
  // bundling it again in its fresh data folder.
  const bundle = workflowBundleFile()
  if (existsSync(bundle)) {
    mkdirSync(path.join(dataDir, 'cache'), { recursive: true })
    copyFileSync(bundle, path.join(dataDir, 'cache', path.basename(bundle)))
  }
  const workerStarted = performance.now()
  worker = await startWorkerProcess(
    { temporal: { address: temporal.address, namespace: 'default', taskQueue: TASK_QUEUE }, databaseUrl: pg.url, tokenKeys, dataDir, ai: aiSettings(), extraEnvironment: platformEnvironment },
    { readyTimeoutMs: 240_000 },
  )
  const concurrency = publishingSettings().concurrency
  log(`worker process ${worker.pid} polling after ${seconds(performance.now() - workerStarted)}; publishing slots per process: instagram ${concurrency.instagram}, facebook ${concurrency.facebook}, tiktok ${concurrency.tiktok}`)

  // ---- Temporal's ceiling: runs that return at once -------------------------------------------------------
  const postmasterPid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0])
  const cpu = cpuMeter({ worker: worker.pid, temporal: temporal.service.child.pid ?? -1, postgres: postmasterPid })
  let noopPerSecond: number | null = null
  if (!SKIPPED.has('noop')) {
    const noopCpu = cpu.start()
    const noop = await measureNoopThroughput({ address: temporal.address, namespace: 'default', runs: POSTS, inFlight: NOOP_IN_FLIGHT, log })
    log(`no-op workflows: ${noop.runs} started and completed in ${seconds(noop.wallMs)} (${NOOP_IN_FLIGHT} in flight): ${noop.perSecond} per second`)
    log(`  CPU meanwhile: ${noopCpu.finish('this process (client, no-op worker)')}`)
    noopPerSecond = noop.perSecond
  }

  // ---- The tenant: accounts connected, cards approved -------------------------------------------------------
  const password = 'bench-password'
  const tenant = await seedStormTenant(db, { cipher, storage, targets: standIns.targets, workspaces: WORKSPACES, passwordHash: await hashPassword(password), password })
  const tokenOf = new Map(standIns.targets.map((target) => [target.externalId, target.accessToken]))
  const ledger = createPlatformLedger({ meta: standIns.meta, tiktok: standIns.tiktok, graphBaseUrl, tokenOf: (id) => tokenOf.get(id)! })
  const split = countBy(tenant.accounts, (account) => account.platform)
  log(`seeded ${tenant.accounts.length} sandbox accounts (instagram ${split.instagram ?? 0}, facebook ${split.facebook ?? 0}, tiktok ${split.tiktok ?? 0}) in ${WORKSPACES} workspace(s)`)

  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: tenant.ownerEmail, password } })
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`)
  const headers = { cookie: login.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'x-csrf-token': login.json().user.csrfToken as string, 'content-type': 'application/json' }

  // ---- The storm: every post due at the same second ----------------------------------------------------------
  const stormCards = await createApprovedCards(db, tenant, { count: POSTS, label: 'Storm' })
  const dueMs = Math.ceil((Date.now() + STORM_LEAD_MS) / 1000) * 1000
  const due = new Date(dueMs).toISOString()
  log(
    `storm: ${POSTS} approved cards, one post each, all due at ${due} (in ${seconds(dueMs - Date.now())}); Instagram containers are prepared ` +
      `${PREPARE_LEAD_MS / 60_000} min ahead, so here as soon as each run starts`,
  )
  const scheduleStarted = performance.now()
  const stormPostIds: string[] = []
  await inPool(stormCards, SCHEDULING_IN_FLIGHT, async (card: StormCard) => {
    const response = await app!.inject({ method: 'POST', url: `/api/cards/${card.id}/scheduled-posts`, headers, payload: JSON.stringify({ socialAccountIds: [card.account.id], at: due, timeZone: 'UTC' }) })
    if (response.statusCode !== 201) throw new Error(`scheduling ${card.id} → ${response.statusCode}: ${response.body}`)
    stormPostIds.push(...(response.json().posts as { id: string }[]).map((post) => post.id))
  })
  const marginMs = dueMs - Date.now()
  log(`scheduled ${stormPostIds.length} posts through POST /api/cards/:id/scheduled-posts in ${seconds(performance.now() - scheduleStarted)} (${SCHEDULING_IN_FLIGHT} requests at once); ${seconds(marginMs)} left before the time`)
  if (marginMs < 5_000) log(`WARNING: scheduling ended ${seconds(marginMs)} before the due time: the runs' start overlaps the storm`)

  const stormWhere = { id: { in: stormPostIds } }
  const statusLine = async (where: Prisma.ScheduledPostWhereInput) => {
    const groups = await db.scheduledPost.groupBy({ by: ['status'], where, _count: { _all: true } })
    return Object.fromEntries(groups.map((group) => [group.status, group._count._all]))
  }
  while (Date.now() < dueMs - 3_000) {
    const containers = await db.scheduledPost.count({ where: { ...stormWhere, containerId: { not: null } } })
    log(`  waiting: ${seconds(dueMs - Date.now())} to go, ${containers} Instagram containers prepared, rows ${JSON.stringify(await statusLine(stormWhere))}`)
    await sleep(Math.min(10_000, dueMs - 3_000 - Date.now()))
  }
  await sleep(Math.max(0, dueMs - 2_000 - Date.now()))
  const stormCpu = cpu.start()
  const stormDb = await sampleDbActivity(db)

  let settledAtMs: number | null = null
  for (;;) {
    await sleep(1_000)
    const statuses = await statusLine(stormWhere)
    const waiting = (statuses.scheduled ?? 0) + (statuses.publishing ?? 0)
    const sinceDue = Date.now() - dueMs
    if (sinceDue >= 0) log(`  +${seconds(sinceDue)}: ${ledger.count()} publications on the stand-ins, rows ${JSON.stringify(statuses)}`)
    if (sinceDue > 0 && waiting === 0) {
      settledAtMs = Date.now()
      break
    }
    if (sinceDue > STORM_DEADLINE_MS) break
  }
  const stormCpuLine = stormCpu.finish('this process (stand-ins, API)')
  const stormDbActivity = await stormDb.stop()
  await sleep(1_000) // a TikTok post completes on the platform a moment after its status was last read
  const stormRows = await db.scheduledPost.findMany({ where: stormWhere, select: { id: true, platform: true, caption: true, scheduledAt: true, status: true, statusReason: true } })
  const storm = checkPosts(stormRows.map(checkedPost), await ledger.publications())
  report('storm', storm)
  const stormPublications = (await ledger.publications()).filter((each) => each.atMs >= dueMs - 60_000)
  for (const platform of ['instagram', 'facebook', 'tiktok'] as const) {
    const rows = stormRows.filter((row) => row.platform === platform).map(checkedPost)
    const outcome = checkPosts(rows, stormPublications)
    log(`  ${platform}: ${rows.length} posts, lateness p50 ${percentile(outcome.latenessMs, 50)} ms, p99 ${percentile(outcome.latenessMs, 99)} ms, max ${percentile(outcome.latenessMs, 100)} ms`)
  }
  log(`CPU from 2 s before the time until the rows settled: ${stormCpuLine}`)
  const { mean, peak } = stormDbActivity
  log(
    `PostgreSQL meanwhile: about ${stormDbActivity.committed} transactions committed (${(stormDbActivity.committed / POSTS).toFixed(1)} per post); other sessions ` +
      `running a query ${mean.active} on average (peak ${peak.active}), in an open transaction ${mean.inTransaction} (${peak.inTransaction}), waiting for a lock ${mean.lockWaits} (${peak.lockWaits})`,
  )
  await explainLateness(client, stormRows.map(checkedPost), stormPublications, dueMs)
  const publishPerSecond = storm.lastPublicationMs === null ? 0 : Math.round((storm.onPlatform / Math.max(0.001, (storm.lastPublicationMs - storm.firstDueMs) / 1000)) * 10) / 10
  if (settledAtMs === null) log(`WARNING: the storm's rows had not settled ${seconds(STORM_DEADLINE_MS)} after the time`)

  // ---- The baseline: a naive one-minute poller over a second set of posts ---------------------------------------
  let baseline: PostSetOutcome | null = null
  if (!SKIPPED.has('baseline')) {
    // A second set of cards and rows (the storm's rows stay as they ended), written straight to the table as
    // scheduled, with no run: only the poller publishes them. Their times are spread evenly over one minute (as
    // real schedules' seconds are, relative to a poller's ticks) starting 30 s after the poller's first tick, so
    // some are picked by the tick at +60 s and the rest by the one at +120 s.
    const cronCards = await createApprovedCards(db, tenant, { count: POSTS, label: 'Cron' })
    const cronStartMs = Date.now() + 3_000
    const cronDue = (i: number) => new Date(cronStartMs + CRON_FIRST_DUE_MS + Math.floor((i / POSTS) * CRON_INTERVAL_MS))
    const cronRows = cronCards.map((card, i) => ({
      agencyId: tenant.agencyId,
      workspaceId: card.workspaceId,
      campaignId: card.campaignId,
      cardId: card.id,
      socialAccountId: card.account.id,
      platform: card.account.platform,
      scheduledAt: cronDue(i),
      timeZone: 'UTC',
      caption: card.caption,
      captionVersion: 1,
      mediaFileId: tenant.fileId,
    }))
    await db.scheduledPost.createMany({ data: cronRows })
    const cronWhere = { cardId: { in: cronCards.map((card) => card.id) } }
    const signer = createMediaLinkSigner(reviewLinkSecret)
    await sleep(Math.max(0, cronStartMs - Date.now()))
    log(`baseline: ${POSTS} posts due between +${seconds(CRON_FIRST_DUE_MS)} and +${seconds(CRON_FIRST_DUE_MS + CRON_INTERVAL_MS)}; a poller ticking every ${seconds(CRON_INTERVAL_MS)} from now`)
    const cron = startCronPublisher({
      db,
      cipher,
      graphBaseUrl,
      tiktokBaseUrl: oauth.tiktok.apiBaseUrl,
      mediaUrl: (fileId) => `http://127.0.0.1:${apiPort}${signer.sign({ fileId, filename: mediaLinkFilename('launch.jpg'), expiresAt: new Date(Date.now() + 86_400_000) })}`,
      intervalMs: CRON_INTERVAL_MS,
      concurrency,
      pollMs: PROCESSING_MS,
      log,
    })
    const cronDeadlineMs = cronStartMs + CRON_FIRST_DUE_MS + 2 * CRON_INTERVAL_MS + 60_000
    for (;;) {
      await sleep(5_000)
      const statuses = await statusLine(cronWhere)
      log(`  baseline +${seconds(Date.now() - cronStartMs)}: ${JSON.stringify(statuses)}`)
      if ((statuses.scheduled ?? 0) + (statuses.publishing ?? 0) === 0 || Date.now() > cronDeadlineMs) break
    }
    await cron.stop()
    await sleep(1_000)
    const cronChecked = await db.scheduledPost.findMany({ where: cronWhere, select: { id: true, platform: true, caption: true, scheduledAt: true, status: true, statusReason: true } })
    baseline = checkPosts(cronChecked.map(checkedPost), await ledger.publications())
    report('baseline', baseline)
  }

  console.log(
    `RESULT ${JSON.stringify({
      posts: POSTS,
      published: storm.published,
      p50_lateness_ms: percentile(storm.latenessMs, 50),
      p99_lateness_ms: percentile(storm.latenessMs, 99),
      max_lateness_ms: percentile(storm.latenessMs, 100),
      duplicates: storm.duplicates,
      lost: storm.lost,
      cron_baseline_p99_lateness_ms: baseline && percentile(baseline.latenessMs, 99),
      noop_workflows_per_s: noopPerSecond,
      publish_workflows_per_s: publishPerSecond,
    })}`,
  )
} finally {
  await worker?.stop(10_000)
  await app?.close()
  await db.$disconnect()
  await connection?.close()
  await temporal?.service.stop(10_000)
  await pg.stop()
  await standIns.stop()
  rmSync(dataDir, { recursive: true, force: true })
}

function report(name: string, outcome: PostSetOutcome): void {
  const lateness = outcome.latenessMs
  log(
    `${name}: ${outcome.published}/${outcome.posts} rows published, ${outcome.onPlatform} posts on the stand-ins; lateness p50 ${percentile(lateness, 50)} ms, ` +
      `p90 ${percentile(lateness, 90)} ms, p99 ${percentile(lateness, 99)} ms, max ${percentile(lateness, 100)} ms; duplicates ${outcome.duplicates} by caption ` +
      `(${outcome.duplicateIds} by id), lost ${outcome.lost}; explained ${JSON.stringify(outcome.explained)}, unsettled ${JSON.stringify(outcome.unsettled)}`,
  )
}

function checkedPost(row: { id: string; platform: string; caption: string; scheduledAt: Date; status: string; statusReason: string | null }): CheckedPost {
  return { id: row.id, platform: row.platform, caption: row.caption, scheduledAtMs: row.scheduledAt.getTime(), status: row.status, statusReason: row.statusReason }
}

/**
 * Where each post's lateness went, from its run's history beside the stand-in's record: the timer of its time
 * firing on the server; the workflow task that followed, waiting for the worker and run by it; the publish
 * activity it scheduled, waiting on its platform's queue (the worker's slots); and from the activity's start to
 * the publication on the platform (the activity's reads and writes, the account's turn, the calls).
 */
async function explainLateness(client: Client, posts: CheckedPost[], publications: Publication[], dueMs: number): Promise<void> {
  const firstAt = new Map<string, number>()
  for (const publication of publications) {
    const key = `${publication.platform}\n${publication.text}`
    if (!firstAt.has(key)) firstAt.set(key, publication.atMs)
  }
  type Phases = Record<'fired' | 'taskQueued' | 'taskRun' | 'activityQueued' | 'toPlatform', number[]> & { timedOut: number }
  const empty = (): Phases => ({ fired: [], taskQueued: [], taskRun: [], activityQueued: [], toPlatform: [], timedOut: 0 })
  const all = empty()
  const byPlatform = new Map<string, Phases>()
  await inPool(posts, 16, async (post) => {
    const at = firstAt.get(`${post.platform}\n${post.platform === 'tiktok' ? post.caption.slice(0, TIKTOK_TITLE_CHARS) : post.caption}`)
    const wake = await wakeTimeline(client.workflow.getHandle(publishWorkflowId(post.id)), 'publishPost')
    if (at === undefined || !wake || wake.activityStartedMs === null) return
    const mine = byPlatform.get(post.platform) ?? empty()
    byPlatform.set(post.platform, mine)
    for (const phases of [all, mine]) {
      phases.fired.push(wake.timerFiredMs - dueMs)
      phases.taskQueued.push(wake.taskStartedMs - wake.timerFiredMs)
      phases.taskRun.push(wake.taskCompletedMs - wake.taskStartedMs)
      phases.activityQueued.push(wake.activityStartedMs - wake.activityScheduledMs)
      phases.toPlatform.push(at - wake.activityStartedMs)
      if (wake.taskTimeouts > 0) phases.timedOut += 1
    }
  })
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b)
    return `${percentile(sorted, 50)} / ${percentile(sorted, 99)} / ${percentile(sorted, 100)}`
  }
  const line = (phases: Phases) =>
    `timer fired ${summary(phases.fired)}; workflow task waited ${summary(phases.taskQueued)}, ran ${summary(phases.taskRun)}; ` +
    `publishPost waited for a slot ${summary(phases.activityQueued)}; started → on the platform ${summary(phases.toPlatform)} (p50 / p99 / max ms); ` +
    `${phases.timedOut} runs had a workflow task time out`
  log(`where the time went (${all.fired.length} runs, after the time): ${line(all)}`)
  for (const [platform, phases] of byPlatform) log(`  ${platform}: ${line(phases)}`)
}

/** CPU used by the worker, Temporal and PostgreSQL (each with its children) and this process over a window. */
function cpuMeter(trees: Record<string, number>) {
  return {
    start() {
      const before = { trees: mapValues(trees, treeCpuMs), self: process.cpuUsage(), machine: machineCpuMs(), atMs: Date.now() }
      return {
        finish(selfLabel: string): string {
          const used = mapValues(trees, (pid, name) => treeCpuMs(pid) - before.trees[name]!)
          const self = process.cpuUsage(before.self)
          const machine = machineCpuMs()
          const busy = (machine.busyMs - before.machine.busyMs) / Math.max(1, machine.totalMs - before.machine.totalMs)
          return (
            `${Object.entries(used).map(([name, ms]) => `${name} ${seconds(ms)}`).join(', ')}, ${selfLabel} ${seconds((self.user + self.system) / 1000)} ` +
            `over ${seconds(Date.now() - before.atMs)}; machine ${(busy * 100).toFixed(0)}% busy over ${os.cpus().length} cores`
          )
        },
      }
    },
  }
}

async function inPool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1
  return counts
}

function mapValues<V, R>(object: Record<string, V>, map: (value: V, key: string) => R): Record<string, R> {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value, key)]))
}

function positiveInteger(name: string, raw: string | undefined): number {
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a whole number ≥ 1, got "${raw}"`)
  return value
}
