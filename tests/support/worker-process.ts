// The real worker in a child process (`node --import tsx worker.ts`), configured only through its environment
// as a deployment configures it: for tests that kill it (a crash is a SIGKILL of a process, not a call) and
// for benchmarks that measure its memory apart from the code driving it. Every process started here is killed
// when the starting process exits, whatever the test did.
import { spawn } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'
import type { AiProviderSettings, AiSettings } from '../../platform/config'
import { projectRoot } from '../../platform/config'
import type { ApiHarness } from './api'

export interface WorkerProcessSettings {
  temporal: { address: string; namespace: string; taskQueue: string }
  databaseUrl: string
  /** GREENLIGHT_TOKEN_KEYS: the same keys as the API's, so both open the same sealed values. */
  tokenKeys: string
  /** GREENLIGHT_DATA_DIR: where local storage keeps uploads (the worker reads previews from it). */
  dataDir: string
  ai: AiSettings
  /** More variables over the ones above (where the platforms are, say); none unless given. */
  extraEnvironment?: Record<string, string>
}

export interface WorkerProcessExit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface WorkerProcess {
  readonly pid: number
  /** Settles when the process has ended, however it ended. */
  readonly exited: Promise<WorkerProcessExit>
  /** Sends `signal`; SIGKILL is a crash: nothing in the worker runs after it. */
  kill(signal: NodeJS.Signals): void
  /** The process's stdout and stderr so far (the last lines), for failure messages. */
  output(): string
  /** SIGTERM (the worker's graceful shutdown), SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>
}

/** What the worker prints once every task queue is polled (worker.ts main()). */
const READY_LINE = 'polling task queues'
const OUTPUT_LINES_KEPT = 400

const running = new Set<WorkerProcess>()
let killOnExitInstalled = false

function providerEnvironment(prefix: 'OPENAI' | 'GEMINI', provider: AiProviderSettings): Record<string, string> {
  return {
    [`${prefix}_API_KEY`]: provider.apiKey ?? '',
    [`${prefix}_BASE_URL`]: provider.baseUrl ?? '',
    [`${prefix}_MODEL`]: provider.model,
    [`AI_${prefix}_CONCURRENCY`]: String(provider.concurrency),
    [`AI_${prefix}_RATE_PER_SECOND`]: String(provider.ratePerSecond),
  }
}

/** The variables platform/config.ts reads for these settings; empty values mean "unset" there. */
export function workerProcessEnvironment(settings: WorkerProcessSettings): Record<string, string> {
  return {
    DATABASE_URL: settings.databaseUrl,
    TEMPORAL_ADDRESS: settings.temporal.address,
    TEMPORAL_NAMESPACE: settings.temporal.namespace,
    TEMPORAL_TASK_QUEUE: settings.temporal.taskQueue,
    TEMPORAL_TLS: 'false',
    TEMPORAL_API_KEY: '',
    GREENLIGHT_TOKEN_KEYS: settings.tokenKeys,
    GREENLIGHT_DATA_DIR: settings.dataDir,
    STORAGE_DRIVER: 'local',
    SMTP_URL: '',
    ...providerEnvironment('OPENAI', settings.ai.openai),
    ...providerEnvironment('GEMINI', settings.ai.gemini),
    AI_REQUEST_TIMEOUT_MS: String(settings.ai.requestTimeoutMs),
    AI_RATE_LIMIT_PATIENCE_MS: String(settings.ai.rateLimitPatienceMs),
    LOG_LEVEL: 'warn',
    ...settings.extraEnvironment,
  }
}

/** Starts `node --import tsx worker.ts` and resolves once it polls its task queues. */
export async function startWorkerProcess(settings: WorkerProcessSettings, options: { readyTimeoutMs?: number } = {}): Promise<WorkerProcess> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'worker.ts')], {
    cwd: projectRoot,
    env: { ...process.env, ...workerProcessEnvironment(settings) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let onReadyLine: (() => void) | null = null
  const keep = (stream: string) => (line: string) => {
    lines.push(`[worker ${child.pid} ${stream}] ${line}`)
    if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT)
    if (stream === 'stdout' && line.includes(READY_LINE)) onReadyLine?.()
  }
  readline.createInterface({ input: child.stdout }).on('line', keep('stdout'))
  readline.createInterface({ input: child.stderr }).on('line', keep('stderr'))

  const exited = new Promise<WorkerProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
    child.once('error', (error) => {
      lines.push(`[worker] could not start: ${error.message}`)
      resolve({ code: 127, signal: null })
    })
  })
  const alive = () => child.exitCode === null && child.signalCode === null
  const handle: WorkerProcess = {
    pid: child.pid ?? -1,
    exited,
    kill(signal) {
      if (alive()) child.kill(signal)
    },
    output: () => lines.join('\n'),
    async stop(graceMs = 10_000) {
      if (!alive()) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
  running.add(handle)
  void exited.then(() => running.delete(handle))
  if (!killOnExitInstalled) {
    killOnExitInstalled = true
    // A test process that dies (or forgets its afterAll) must not leave workers polling a dead server.
    process.once('exit', () => {
      for (const each of running) each.kill('SIGKILL')
    })
  }

  let timer: NodeJS.Timeout | undefined
  const outcome = await Promise.race([
    new Promise<'ready'>((resolve) => {
      onReadyLine = () => resolve('ready')
    }),
    exited.then((exit) => exit),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), readyTimeoutMs)
    }),
  ])
  clearTimeout(timer)
  onReadyLine = null
  if (outcome === 'ready') return handle
  handle.kill('SIGKILL')
  await exited
  const why = outcome === 'timeout' ? `did not poll within ${readyTimeoutMs / 1000} s` : `exited (code ${outcome.code}, signal ${outcome.signal}) before polling`
  throw new Error(`the worker process ${why}:\n${handle.output()}`)
}

/** Stops every worker process this process started and that still runs (for afterAll). */
export async function stopWorkerProcesses(graceMs = 10_000): Promise<void> {
  await Promise.all([...running].map((each) => each.stop(graceMs)))
}

/**
 * Settings for a worker process that serves an API harness: its Temporal server and task queue, its database
 * (the harness's own copy of the template, on the server at `serverUrl`), with the given AI settings.
 */
export async function harnessWorkerSettings(
  h: Pick<ApiHarness, 'db' | 'env' | 'taskQueue'>,
  options: { serverUrl: string; tokenKeys: string; dataDir: string; ai: AiSettings },
): Promise<WorkerProcessSettings> {
  const [row] = await h.db.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`
  if (!row) throw new Error('PostgreSQL did not name the current database')
  const databaseUrl = new URL(options.serverUrl)
  databaseUrl.pathname = `/${encodeURIComponent(row.name)}`
  return {
    temporal: { address: h.env.address, namespace: h.env.namespace ?? 'default', taskQueue: h.taskQueue },
    databaseUrl: databaseUrl.href,
    tokenKeys: options.tokenKeys,
    dataDir: options.dataDir,
    ai: options.ai,
  }
}
