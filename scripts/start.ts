// `npm start`: brings up the whole platform on this machine and keeps it running until Ctrl-C.
//   PostgreSQL (DATABASE_URL, or embedded with data under .data/postgres)
//   Temporal (TEMPORAL_ADDRESS, or the dev server with its state in .data/temporal.db and Web UI)
//   migrations, demo data (once), the worker, the API, the web UI, and the sandbox stand-ins when no
//   real credentials are configured.
// Stopping and starting again resumes everything, including workflows that were mid-flight.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { Connection } from '@temporalio/client'
import { dataDir, integrationModes, projectRoot, settings, storageSettings } from '../platform/config'
import { createDatabase, redactDatabaseUrl } from '../platform/database'
import { ensureDevTokenKeyFile, loadTokenCipher } from '../platform/token-cipher.ts'
import { ensureSearchAttributes, temporalConnectionOptions } from '../platform/temporal'
import { createStorage } from '../platform/storage'
import { DEMO_LOGIN, seedDemoData } from '../prisma/seed'
import { prepareSandboxDemo } from './sandbox-demo'
import { startEmbeddedPostgres } from './db/embedded-postgres'
import { buildWebServer, webServerBundle } from './build-web-server'
import { deployMigrations } from './db/migrate'
import {
  cmdlineOf,
  isRecordedProcessAlive,
  readRegistry,
  removeRegistry,
  stopLeftoverServices,
  writeRegistry,
  type ProcessRegistry,
} from './process-registry'
import { assertPortFree, spawnService, tsxArgs, waitForHttp, type Service } from './processes'
import { ensureDevServerCli } from './temporal-cli'
import { startTemporalDevServer } from './temporal-dev-server'

const log = (line: string) => console.log(`[start] ${line}`)
const config = settings()
const registry: ProcessRegistry = { start: { pid: process.pid, cmdline: cmdlineOf(process.pid) ?? '' }, services: {} }

function register(service: Service): void {
  const pid = service.child.pid
  if (pid === undefined) return
  registry.services[service.name] = { pid, cmdline: cmdlineOf(pid) ?? '' }
  writeRegistry(dataDir, registry)
}

/** One platform per data folder: refuse a second start, and end what a killed start script left behind. */
async function claimDataDir(): Promise<void> {
  const previous = readRegistry(dataDir)
  if (!previous) return
  if (isRecordedProcessAlive(previous.start)) {
    throw new Error(`Greenlight is already running from ${dataDir} (process ${previous.start.pid}): stop it first (Ctrl-C in its terminal, or kill ${previous.start.pid}).`)
  }
  const stopped = await stopLeftoverServices(previous)
  if (stopped.length) log(`stopped ${stopped.join(', ')} left running by an earlier start that was killed`)
  removeRegistry(dataDir)
}
const stopActions: Array<{ name: string; stop: (signalled: boolean) => Promise<void> }> = []
let stopping = false

async function checkPorts(): Promise<void> {
  const ports: Array<[number, string]> = [
    [config.apiPort, 'API_PORT'],
    [config.webPort, 'WEB_PORT'],
  ]
  // EMBEDDED_PG_PORT is checked by the embedded server itself, after it has stopped a server of ours that
  // a killed start left running on that port.
  if (!config.temporal.address) {
    ports.push([config.temporal.devServerPort, 'TEMPORAL_DEV_PORT'], [config.temporal.devServerUiPort, 'TEMPORAL_UI_PORT'])
  }
  if (usesSandbox()) ports.push([config.sandboxPort, 'SANDBOX_PORT'])
  for (const [port, setting] of ports) await assertPortFree(port, setting)
}

function usesSandbox(): boolean {
  const modes = integrationModes()
  return modes.ai === 'offline' || modes.meta === 'sandbox' || modes.tiktok === 'sandbox'
}

async function startDatabase(): Promise<string> {
  if (config.databaseUrl) {
    log(`PostgreSQL: using DATABASE_URL ${redactDatabaseUrl(config.databaseUrl)}`)
    return config.databaseUrl
  }
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: config.embeddedPostgresPort })
  stopActions.push({ name: 'postgres', stop: () => pg.stop() })
  log(`PostgreSQL: embedded server on port ${config.embeddedPostgresPort}, data in ${path.relative(projectRoot, dataDir)}/postgres`)
  return pg.url
}

async function startTemporal(): Promise<string> {
  if (config.temporal.address) {
    log(`Temporal: using ${config.temporal.address} (namespace ${config.temporal.namespace})`)
    const connection = await Connection.connect({ ...temporalConnectionOptions(config.temporal), connectTimeout: '15s' })
    const { added, missing } = await ensureSearchAttributes(connection, config.temporal.namespace)
    if (added.length) log(`Temporal: registered search attributes ${added.join(', ')}`)
    if (missing.length) {
      // Starting a campaign workflow sets them, so without them every campaign creation would fail.
      throw new Error(
        `Temporal namespace ${config.temporal.namespace} lacks the search attributes ${missing.join(', ')} (Keyword) and refused to add them: add them (Temporal Cloud: in its UI or with tcld), then start again.`,
      )
    }
    await connection.close()
    return config.temporal.address
  }
  const cli = await ensureDevServerCli({ log: (line) => log(`Temporal CLI: ${line}`) })
  const { service, address } = await startTemporalDevServer({
    cliPath: cli.path,
    dbFile: path.join(dataDir, 'temporal.db'),
    port: config.temporal.devServerPort,
    uiPort: config.temporal.devServerUiPort,
    namespace: config.temporal.namespace,
    // Its shutdown chatter (connection refused while its own services stop) is noise.
    onLine: (line) => {
      if (!stopping) console.log(`[temporal] ${line}`)
    },
  })
  watch(service)
  register(service)
  stopActions.push({ name: 'temporal', stop: (signalled) => stopService(service, signalled) })
  log(`Temporal: dev server ${cli.version} at ${address}, state in ${path.relative(projectRoot, dataDir)}/temporal.db`)
  return address
}

function newestMtime(target: string): number {
  const stat = statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(target).reduce((newest, entry) => Math.max(newest, newestMtime(path.join(target, entry))), stat.mtimeMs)
}

/** Builds the web UI when its sources are newer than the last build (a fresh clone has none). */
async function buildWebIfStale(): Promise<void> {
  const built = webServerBundle
  // The server bundle also takes code from domain/, platform/ and api/ (shared rules, settings, schemas).
  const sources = ['web', 'domain', 'platform', 'api', 'react-router.config.ts', 'vite.config.ts', 'package-lock.json'].map(
    (entry) => path.join(projectRoot, entry),
  )
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return
  log('web UI: building (sources changed since the last build)')
  const build = spawnService({
    name: 'web-build',
    command: path.join(projectRoot, 'node_modules', '.bin', 'react-router'),
    args: ['build'],
    cwd: projectRoot,
    onLine: () => {},
  })
  const code = await build.exited
  if (code !== 0) throw new Error('the web UI did not build: run `npm run web:build` to see why')
  await buildWebServer()
}

/** A service that dies on its own takes the platform down with a clear message (no half-running platform). */
function watch(service: Service): void {
  void service.exited.then((code) => {
    if (stopping) return
    console.error(`[start] ${service.name} exited unexpectedly (code ${code}); stopping the platform`)
    void shutdown(1)
  })
}

async function stopService(service: Service, signalled: boolean): Promise<void> {
  if (signalled) {
    const exitedAlone = await Promise.race([service.exited.then(() => true), delay(1_500).then(() => false)])
    if (exitedAlone) return
  }
  await service.stop()
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function startNodeService(name: string, file: string, env: NodeJS.ProcessEnv): Service {
  const service = spawnService({ name, command: process.execPath, args: tsxArgs(file), env, cwd: projectRoot })
  watch(service)
  register(service)
  stopActions.push({ name, stop: (signalled) => stopService(service, signalled) })
  return service
}

let shuttingDown: Promise<never> | null = null

/**
 * Stops every service in reverse start order. Ctrl-C reaches the whole process group, so the services
 * are usually already on their way out: give each a moment to exit on its own before signalling it
 * (a second signal makes some servers complain). Repeated signals join the first shutdown.
 */
function shutdown(exitCode: number, signalled = false): Promise<never> {
  shuttingDown ??= (async () => {
    stopping = true
    if (stopActions.length === 0) process.exit(exitCode)
    log('stopping…')
    for (const { name, stop } of stopActions.reverse()) {
      log(`stopping ${name}`)
      await stop(signalled).catch((error: unknown) => console.error(`[start] ${name} did not stop cleanly: ${String(error)}`))
    }
    removeRegistry(dataDir)
    log('stopped')
    process.exit(exitCode)
  })()
  return shuttingDown
}

async function main(): Promise<void> {
  const started = performance.now()
  process.on('SIGINT', () => void shutdown(0, true))
  process.on('SIGTERM', () => void shutdown(0))
  mkdirSync(dataDir, { recursive: true })
  await claimDataDir()
  await checkPorts()
  writeRegistry(dataDir, registry)

  const databaseUrl = await startDatabase()
  const temporalAddress = await startTemporal()

  const applied = await deployMigrations(databaseUrl)
  log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: database is up to date')
  const db = createDatabase(databaseUrl, { poolSize: 1 })
  const { created } = await seedDemoData(db)
  await db.$disconnect()
  if (created) log('demo data seeded')

  await buildWebIfStale()
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    API_URL: config.apiUrl,
    // Without configured keys, the development key in the data folder (made once, here, before the API and
    // the worker both need it) encrypts OAuth tokens at rest.
    GREENLIGHT_TOKEN_KEYS: config.tokenKeys ?? ensureDevTokenKeyFile(dataDir),
  }
  if (usesSandbox()) {
    const sandbox = startNodeService('sandbox', 'sandbox/server.ts', { ...env, SANDBOX_PORT: String(config.sandboxPort) })
    await waitForHttp(`http://127.0.0.1:${config.sandboxPort}/healthz`, { service: sandbox })
    // The stand-ins' tokens live in their memory: the sandbox accounts get fresh ones on every start.
    const demoDb = createDatabase(databaseUrl, { poolSize: 1 })
    try {
      const demo = await prepareSandboxDemo({
        db: demoDb,
        cipher: loadTokenCipher({ tokenKeys: env.GREENLIGHT_TOKEN_KEYS, dataDir }),
        storage: createStorage(storageSettings()),
        sandboxUrl: `http://127.0.0.1:${config.sandboxPort}`,
      })
      log(`sandbox accounts: ${demo.accounts} connected to the stand-ins${demo.cardCreated ? ', demo card “Sandbox launch teaser” ready to schedule' : ''}`)
    } finally {
      await demoDb.$disconnect()
    }
  }
  startNodeService('worker', 'worker.ts', env)
  const api = startNodeService('api', 'api/server.ts', env)
  // Plain Node on the bundled server (see scripts/build-web-server.ts), not tsx.
  const web = spawnService({
    name: 'web',
    command: process.execPath,
    args: [webServerBundle],
    cwd: projectRoot,
    env: { ...env, NODE_ENV: 'production', PORT: String(config.webPort), HOST: config.webHost },
  })
  watch(web)
  register(web)
  stopActions.push({ name: 'web', stop: (signalled) => stopService(web, signalled) })

  await waitForHttp(`http://127.0.0.1:${config.apiPort}/healthz`, { ok: (status) => status === 200, timeoutMs: 90_000, service: api })
  await waitForHttp(`http://127.0.0.1:${config.webPort}/login`, { ok: (status) => status === 200, service: web })

  const modes = integrationModes()
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(
    [
      '',
      `Greenlight is running (ready in ${seconds} s)`,
      `  Web UI         ${config.webUrl}`,
      `  API            http://localhost:${config.apiPort}   (OpenAPI: http://localhost:${config.apiPort}/openapi.json)`,
      `  Temporal Web   ${config.temporal.uiUrl}`,
      `  Demo login     ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`,
      `  Integrations   AI: ${modes.ai}, Meta: ${modes.meta}, TikTok: ${modes.tiktok}${usesSandbox() ? ` (sandbox stand-ins on http://127.0.0.1:${config.sandboxPort})` : ''}`,
      'Press Ctrl-C to stop; `npm start` again resumes where it stopped.',
      '',
    ].join('\n'),
  )
}

main().catch((error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`)
  void shutdown(1)
})
