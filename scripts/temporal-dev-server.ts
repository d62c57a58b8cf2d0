// The Temporal dev server (`temporal server start-dev`): a complete single-process Temporal with its Web
// UI. Its state lives in one SQLite file, so workflows survive a restart of the platform.
import { spawnService, waitForTcp, type Service } from './processes'
import { devServerSearchAttributeFlags } from '../platform/temporal'

export interface DevServerOptions {
  cliPath: string
  /** SQLite file; omit for an in-memory server (tests). */
  dbFile?: string
  port: number
  uiPort: number
  namespace: string
  onLine?: (line: string) => void
}

export async function startTemporalDevServer(options: DevServerOptions): Promise<{ service: Service; address: string }> {
  const args = [
    'server',
    'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    '--namespace', options.namespace,
    '--log-level', 'error',
    ...devServerSearchAttributeFlags(),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
  ]
  const service = spawnService({
    name: 'temporal',
    command: options.cliPath,
    args,
    ...(options.onLine ? { onLine: options.onLine } : {}),
  })
  const ready = waitForTcp('127.0.0.1', options.port, 60_000)
  const exited = service.exited.then((code) => {
    throw new Error(`the Temporal dev server exited early (code ${code}); see its output above`)
  })
  await Promise.race([ready, exited])
  return { service, address: `127.0.0.1:${options.port}` }
}
