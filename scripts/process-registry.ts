// `.data/processes.json`: which processes the running platform consists of. It lets `npm start` refuse to
// start twice, clean up what a killed start script left behind (its children outlive a SIGKILL), and lets
// the startup benchmark find the processes to measure.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export interface ProcessEntry {
  pid: number
  /** The process's command line when it was started: guards against a recycled PID. */
  cmdline: string
}

export interface ProcessRegistry {
  start: ProcessEntry
  services: Record<string, ProcessEntry>
}

export function cmdlineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return null
  }
}

/** Alive and still the same program as when it was recorded. */
export function isRecordedProcessAlive(entry: ProcessEntry): boolean {
  return cmdlineOf(entry.pid) === entry.cmdline
}

export function registryFile(dataDir: string): string {
  return path.join(dataDir, 'processes.json')
}

export function readRegistry(dataDir: string): ProcessRegistry | null {
  const file = registryFile(dataDir)
  if (!existsSync(file)) return null
  try {
    const registry = JSON.parse(readFileSync(file, 'utf8')) as Partial<ProcessRegistry>
    // Anything else (a torn write, an older format) says nothing reliable about running processes.
    return registry.start && registry.services ? (registry as ProcessRegistry) : null
  } catch {
    return null
  }
}

export function writeRegistry(dataDir: string, registry: ProcessRegistry): void {
  writeFileSync(registryFile(dataDir), JSON.stringify(registry, null, 2))
}

export function removeRegistry(dataDir: string): void {
  rmSync(registryFile(dataDir), { force: true })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Ends the services an earlier, killed start script left running. Returns their names. */
export async function stopLeftoverServices(registry: ProcessRegistry): Promise<string[]> {
  const leftovers = Object.entries(registry.services).filter(([, entry]) => isRecordedProcessAlive(entry))
  for (const [, entry] of leftovers) process.kill(entry.pid, 'SIGTERM')
  const deadline = Date.now() + 15_000
  while (leftovers.some(([, entry]) => isRecordedProcessAlive(entry)) && Date.now() < deadline) await sleep(100)
  for (const [, entry] of leftovers) {
    if (isRecordedProcessAlive(entry)) process.kill(entry.pid, 'SIGKILL')
  }
  return leftovers.map(([name]) => name)
}
