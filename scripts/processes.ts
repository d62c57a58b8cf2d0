// Helpers the start script, the end-to-end tests and the benchmarks share to run Greenlight's
// processes: spawn with prefixed output, wait for HTTP readiness, stop in order, check ports.
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import readline from 'node:readline'

export interface Service {
  name: string
  child: ChildProcess
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>
  stop(graceMs?: number): Promise<void>
}

export interface SpawnOptions {
  name: string
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Where each output line goes; default: stdout with a [name] prefix. */
  onLine?: (line: string) => void
}

export function spawnService({ name, command, args, env, cwd, onLine }: SpawnOptions): Service {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const print = onLine ?? ((line: string) => console.log(`[${name}] ${line}`))
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) readline.createInterface({ input: stream }).on('line', print)
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)))
    child.once('error', (error) => {
      print(`could not start ${command}: ${error.message}`)
      resolve(127)
    })
  })
  return {
    name,
    child,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Node with tsx's loader, in one process (the tsx CLI would add a second one). */
export function tsxArgs(file: string): string[] {
  return ['--import', 'tsx', file]
}

export async function waitForHttp(
  url: string,
  { timeoutMs = 60_000, ok = (status: number) => status < 500, service }: { timeoutMs?: number; ok?: (status: number) => boolean; service?: Service } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer yet'
  while (Date.now() < deadline) {
    if (service && service.child.exitCode !== null) throw new Error(`${service.name} exited (code ${service.child.exitCode}) before ${url} answered`)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      if (ok(response.status)) return
      last = `HTTP ${response.status}`
    } catch (error) {
      last = error instanceof Error ? error.message : String(error)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`${url} was not ready within ${Math.round(timeoutMs / 1000)} s (last: ${last})`)
}

export async function waitForTcp(host: string, port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => {
        socket.end()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
  throw new Error(`nothing listened on ${host}:${port} within ${Math.round(timeoutMs / 1000)} s`)
}

/** Resolves when nothing listens on the port; otherwise rejects with one line naming the setting. */
export async function assertPortFree(port: number, setting: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer()
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} is already in use (${setting}): stop the process using it, or set ${setting} to a free port.`
            : `Port ${port} (${setting}) cannot be used: ${error.message}`,
        ),
      ),
    )
    server.listen(port, () => server.close(() => resolve()))
  })
}

/**
 * A port free now, for a service started a moment later. Taken below the kernel's ephemeral range (32768 and up
 * on Linux): a port the kernel handed out for `listen(0)` goes back to that pool when released, and any outgoing
 * connection or another `listen(0)` may take it before the service binds it; ports below the range are only
 * ever taken by a process that asks for them by number.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = FIXED_PORT_LOW + Math.floor(Math.random() * (FIXED_PORT_HIGH - FIXED_PORT_LOW))
    if (await listenOnce(port)) return port
  }
  const any = await listenOnce(0)
  if (!any) throw new Error('no free TCP port on 127.0.0.1')
  return any
}

const FIXED_PORT_LOW = 20_000
const FIXED_PORT_HIGH = 32_000

/** Listens on `port` (0: any) on 127.0.0.1 and lets it go: the port listened on, or 0 when it was taken. */
function listenOnce(port: number): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(0))
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      const bound = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(bound))
    })
  })
}
