// Temporal for tests: the time-skipping test server (alone, or with a worker for a whole test file), or a real
// dev server (in memory) for tests that need the full server (the API's health check, Temporal Web links).
import { TestWorkflowEnvironment } from '@temporalio/testing'
import { Worker } from '@temporalio/worker'
import { inject } from 'vitest'
import { SEARCH_ATTRIBUTES, ensureSearchAttributes } from '../../platform/temporal'
import { bundleWorkflows } from '../../platform/workflow-bundle'

export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = inject('temporalTestServerPath')
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
  })
  const { missing } = await ensureSearchAttributes(env.connection, env.namespace ?? 'default')
  if (missing.length) throw new Error(`the test server refused search attributes ${missing.join(', ')}`)
  return env
}

export interface TimeSkippingWorker {
  env: TestWorkflowEnvironment
  /** Shuts the worker down, waits for it to stop, then tears the test server down. */
  stop(): Promise<void>
}

/**
 * The time-skipping test server with one worker polling `taskQueue`, for a whole test file: the server can hold a
 * worker's shutdown until a long poll times out, so starting and stopping one per test makes tests slow and
 * flaky. `activities` is given the environment, for activities that read its clock.
 */
export async function startTimeSkippingWorker(taskQueue: string, activities: (env: TestWorkflowEnvironment) => object): Promise<TimeSkippingWorker> {
  const [env, workflowBundle] = await Promise.all([timeSkippingEnvironment(), bundleWorkflows()])
  let worker: Worker
  try {
    worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities: activities(env) })
  } catch (error) {
    await env.teardown()
    throw error
  }
  const running = worker.run()
  return {
    env,
    async stop() {
      worker.shutdown()
      await running
      await env.teardown()
    },
  }
}

export function localEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = inject('temporalCliPath')
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: path ? { type: 'existing-path', path } : { type: 'cached-download' },
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: ['--log-level', 'error'],
    },
  })
}
