// The whole platform as real processes for integration and end-to-end tests: a Temporal dev server,
// a database of this test file's own, the worker, the API and (optionally) the built web UI, each on
// free ports. It mirrors what `npm start` runs.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { inject } from 'vitest'
import { projectRoot } from '../../platform/config'
import { createDatabase } from '../../platform/database'
import { DEMO_LOGIN, seedDemoData } from '../../prisma/seed'
import { freePort, spawnService, tsxArgs, waitForHttp, type Service } from '../../scripts/processes'
import { startTemporalDevServer } from '../../scripts/temporal-dev-server'
import { testDatabase } from './database'

export interface RunningPlatform {
  webUrl: string
  apiUrl: string
  temporalUiUrl: string
  temporalAddress: string
  databaseUrl: string
  taskQueue: string
  demoUser: { email: string; password: string }
  /** Starts the worker (again); the platform starts one itself. */
  startWorker(): Promise<Service>
  worker: Service
  stop(): Promise<void>
}

export async function buildWeb(): Promise<void> {
  const build = spawnService({
    name: 'web-build',
    command: path.join(projectRoot, 'node_modules', '.bin', 'react-router'),
    args: ['build'],
    cwd: projectRoot,
    onLine: () => {},
  })
  if ((await build.exited) !== 0) throw new Error('react-router build failed: run `npm run web:build` to see why')
}

export async function startPlatform(options: { web?: boolean; quiet?: boolean } = {}): Promise<RunningPlatform> {
  const withWeb = options.web ?? true
  const onLine = options.quiet === false ? undefined : () => {}
  const services: Service[] = []
  const database = await testDatabase()
  const seeding = createDatabase(database.url, { poolSize: 1 })
  await seedDemoData(seeding)
  await seeding.$disconnect()

  const [temporalPort, temporalUiPort, apiPort, webPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()])
  const temporal = await startTemporalDevServer({
    cliPath: inject('temporalCliPath'),
    port: temporalPort,
    uiPort: temporalUiPort,
    namespace: 'default',
    onLine: () => {},
  })
  services.push(temporal.service)

  const taskQueue = `greenlight-${randomUUID().slice(0, 8)}`
  const temporalUiUrl = `http://localhost:${temporalUiPort}`
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_UI_URL: temporalUiUrl,
    API_PORT: String(apiPort),
    API_URL: `http://127.0.0.1:${apiPort}`,
    LOG_LEVEL: 'warn',
    CAMPAIGN_DEFAULT_LAUNCH_DELAY_SECONDS: '2',
  }
  const spawnNode = (name: string, file: string) => {
    const service = spawnService({ name, command: process.execPath, args: tsxArgs(file), env, cwd: projectRoot, ...(onLine ? { onLine } : {}) })
    services.push(service)
    return service
  }

  const startWorker = async () => spawnNode('worker', 'worker.ts')
  const worker = await startWorker()
  const api = spawnNode('api', 'api/server.ts')
  const apiUrl = `http://127.0.0.1:${apiPort}`
  await waitForHttp(`${apiUrl}/healthz`, { ok: (status) => status === 200, timeoutMs: 90_000, service: api })

  let webUrl = ''
  if (withWeb) {
    // Always from the current sources: a stale build would test yesterday's UI.
    await buildWeb()
    const web = spawnService({
      name: 'web',
      command: process.execPath,
      args: [path.join(projectRoot, 'node_modules', '@react-router', 'serve', 'bin.js'), 'build/server/index.js'],
      cwd: projectRoot,
      env: { ...env, NODE_ENV: 'production', PORT: String(webPort) },
      ...(onLine ? { onLine } : {}),
    })
    services.push(web)
    webUrl = `http://127.0.0.1:${webPort}`
    await waitForHttp(`${webUrl}/login`, { ok: (status) => status === 200, service: web })
  }

  return {
    webUrl,
    apiUrl,
    temporalUiUrl,
    temporalAddress: temporal.address,
    databaseUrl: database.url,
    taskQueue,
    demoUser: { ...DEMO_LOGIN },
    startWorker,
    worker,
    async stop() {
      for (const service of services.reverse()) await service.stop(5_000)
      await database.drop()
    },
  }
}
