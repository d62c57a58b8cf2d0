// The whole platform for integration and end-to-end tests, started the way a person starts it: the real
// start script (`npm start`), on free ports, with a data folder and a database of the test's own.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inject } from 'vitest'
import { projectRoot } from '../../platform/config'
import { DEMO_LOGIN } from '../../prisma/seed'
import { readRegistry, type ProcessRegistry } from '../../scripts/process-registry'
import { freePort, spawnService, tsxArgs, waitForHttp, type Service } from '../../scripts/processes'
import { testDatabase } from './database'

export interface PlatformSetup {
  dataDir: string
  env: NodeJS.ProcessEnv
  ports: { api: number; web: number; temporal: number; temporalUi: number; sandbox: number }
  dropDatabase(): Promise<void>
}

export interface RunningPlatform {
  webUrl: string
  apiUrl: string
  temporalUiUrl: string
  demoUser: { email: string; password: string }
  /** The start script's process and everything it printed so far. */
  start: Service
  output: string[]
  /** The processes the start script runs, from its registry. */
  registry(): ProcessRegistry
  /** Ctrl-C, as a person would press it: SIGINT to the start script. Resolves with its exit code. */
  stop(): Promise<number | null>
}

/** A data folder, a database and free ports for one platform (kept across restarts). */
export async function preparePlatform(): Promise<PlatformSetup> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'greenlight-platform-'))
  chmodSync(dataDir, 0o755)
  const database = await testDatabase()
  await database.db.$disconnect()
  const [api = 0, web = 0, temporal = 0, temporalUi = 0, sandbox = 0] = await Promise.all(Array.from({ length: 5 }, () => freePort()))
  const ports = { api, web, temporal, temporalUi, sandbox }
  const env: NodeJS.ProcessEnv = {
    GREENLIGHT_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: '',
    TEMPORAL_CLI: inject('temporalCliPath'),
    TEMPORAL_DEV_PORT: String(temporal),
    TEMPORAL_UI_PORT: String(temporalUi),
    TEMPORAL_UI_URL: `http://localhost:${temporalUi}`,
    API_PORT: String(api),
    API_URL: `http://127.0.0.1:${api}`,
    WEB_PORT: String(web),
    // The address the browser tests use: OAuth dialogs send the browser back here, with its session cookie.
    WEB_URL: `http://127.0.0.1:${web}`,
    SANDBOX_PORT: String(sandbox),
    LOG_LEVEL: 'warn',
  }
  return {
    dataDir,
    env,
    ports,
    async dropDatabase() {
      await database.drop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Runs the start script; `output` collects what it prints (its services' lines included). */
export function spawnStartScript(setup: PlatformSetup): { start: Service; output: string[] } {
  const output: string[] = []
  const start = spawnService({
    name: 'start',
    command: process.execPath,
    args: tsxArgs(path.join(projectRoot, 'scripts', 'start.ts')),
    cwd: projectRoot,
    env: setup.env,
    onLine: (line) => output.push(line),
  })
  return { start, output }
}

/** Runs the start script and waits for its "running" banner. */
export async function startPlatform(setup: PlatformSetup): Promise<RunningPlatform> {
  const { start, output } = spawnStartScript(setup)
  const apiUrl = `http://127.0.0.1:${setup.ports.api}`
  try {
    await waitForHttp(`${apiUrl}/healthz`, { ok: (status) => status === 200, timeoutMs: 120_000, service: start })
    const deadline = Date.now() + 30_000
    while (!output.some((line) => line.startsWith('Greenlight is running')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  } catch (error) {
    await start.stop()
    throw new Error(`${(error as Error).message}\n${output.join('\n')}`, { cause: error })
  }
  return {
    webUrl: `http://127.0.0.1:${setup.ports.web}`,
    apiUrl,
    temporalUiUrl: `http://localhost:${setup.ports.temporalUi}`,
    demoUser: { ...DEMO_LOGIN },
    start,
    output,
    registry: () => {
      const registry = readRegistry(setup.dataDir)
      if (!registry) throw new Error('the start script wrote no process registry')
      return registry
    },
    async stop() {
      if (start.child.exitCode === null) start.child.kill('SIGINT')
      const timer = setTimeout(() => start.child.kill('SIGKILL'), 60_000)
      const code = await start.exited
      clearTimeout(timer)
      return code
    },
  }
}
