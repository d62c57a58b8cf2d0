// Temporal's ceiling on this machine: how many runs of a workflow that returns at once are started and completed
// per second, with a worker of their own in this process (bench/support/noop-workflows.ts, bundled here) on the
// same server as the system under test. Several runs are kept in flight, each started and awaited by the client.
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { Client, Connection } from '@temporalio/client'
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker'

const NOOP_WORKFLOWS_PATH = fileURLToPath(new URL('./noop-workflows.ts', import.meta.url))

export interface NoopThroughput {
  runs: number
  wallMs: number
  perSecond: number
}

let runtimeInstalled = false

export async function measureNoopThroughput(options: { address: string; namespace: string; runs: number; inFlight: number; log: (line: string) => void }): Promise<NoopThroughput> {
  if (!runtimeInstalled) {
    // Quiet: the bundler's and the worker's own lines (such as "no activities registered") would drown the benchmark's.
    Runtime.install({ logger: new DefaultLogger('ERROR') })
    runtimeInstalled = true
  }
  const taskQueue = `bench-noop-${randomUUID().slice(0, 8)}`
  const workerConnection = await NativeConnection.connect({ address: options.address })
  const connection = await Connection.connect({ address: options.address })
  try {
    const bundlingStarted = performance.now()
    const worker = await Worker.create({ connection: workerConnection, namespace: options.namespace, taskQueue, workflowsPath: NOOP_WORKFLOWS_PATH })
    options.log(`no-op worker ready on "${taskQueue}" (bundled in ${Math.round(performance.now() - bundlingStarted)} ms)`)
    const client = new Client({ connection, namespace: options.namespace })
    const runOne = (index: number) => client.workflow.execute('noopWorkflow', { taskQueue, workflowId: `noop-${taskQueue}-${index}`, args: [] })
    return await worker.runUntil(async () => {
      // A few runs first, so the first measured ones do not pay the worker's start (sticky queue, first poll).
      await Promise.all(Array.from({ length: Math.min(options.inFlight, 20) }, (_, i) => runOne(-1 - i)))
      let next = 0
      const started = performance.now()
      const lanes = Array.from({ length: options.inFlight }, async () => {
        while (next < options.runs) await runOne(next++)
      })
      await Promise.all(lanes)
      const wallMs = performance.now() - started
      return { runs: options.runs, wallMs: Math.round(wallMs), perSecond: Math.round((options.runs / (wallMs / 1000)) * 10) / 10 }
    })
  } finally {
    await connection.close()
    await workerConnection.close()
  }
}
