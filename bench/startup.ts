// Startup benchmark: time from `npm start` (the start script) to every health check green, and the
// resident memory of the worker, API and web processes once idle.
// Runs a separate instance: its own data folder (a first start: initdb, migrations, seed) and its own
// ports, so it does not disturb a platform that is already running.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../platform/config'
import { readRegistry } from '../scripts/process-registry'
import { freePort, spawnService, tsxArgs, waitForHttp } from '../scripts/processes'

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0)
  return Math.round((kb / 1024) * 10) / 10
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'greenlight-bench-'))
chmodSync(dataDir, 0o755) // mkdtemp makes it owner-only; PostgreSQL runs as its own user and must reach postgres/ inside
const [apiPort, webPort, pgPort, temporalPort, uiPort, sandboxPort] = await Promise.all(
  Array.from({ length: 6 }, () => freePort()),
)
const env: NodeJS.ProcessEnv = {
  GREENLIGHT_DATA_DIR: dataDir,
  API_PORT: String(apiPort),
  WEB_PORT: String(webPort),
  EMBEDDED_PG_PORT: String(pgPort),
  TEMPORAL_DEV_PORT: String(temporalPort),
  TEMPORAL_UI_PORT: String(uiPort),
  SANDBOX_PORT: String(sandboxPort),
  DATABASE_URL: '',
  TEMPORAL_ADDRESS: '',
  LOG_LEVEL: 'warn',
}

const started = performance.now()
const platform = spawnService({
  name: 'start',
  command: process.execPath,
  args: tsxArgs(path.join(projectRoot, 'scripts', 'start.ts')),
  cwd: projectRoot,
  env,
  onLine: (line) => process.env.BENCH_VERBOSE && console.log(line),
})
try {
  await waitForHttp(`http://127.0.0.1:${apiPort}/healthz`, { ok: (status) => status === 200, timeoutMs: 180_000, service: platform })
  await waitForHttp(`http://127.0.0.1:${webPort}/login`, { ok: (status) => status === 200, timeoutMs: 60_000, service: platform })
  const readyMs = Math.round(performance.now() - started)
  console.log(`all health checks green after ${readyMs} ms`)

  await new Promise((resolve) => setTimeout(resolve, 5_000)) // let start-up garbage settle: idle figures
  const registry = readRegistry(dataDir)
  if (!registry) throw new Error('the start script wrote no process registry')
  const rssOf = (name: string) => rssMb(registry.services[name]!.pid)
  const rss = { worker: rssOf('worker'), api: rssOf('api'), web: rssOf('web') }
  console.log(`idle resident memory (MB): worker ${rss.worker}, api ${rss.api}, web ${rss.web}`)
  console.log(`RESULT ${JSON.stringify({ ready_ms: readyMs, rss_mb: rss })}`)
} finally {
  await platform.stop(30_000)
  rmSync(dataDir, { recursive: true, force: true })
}
