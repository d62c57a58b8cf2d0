// Temporal for tests: the time-skipping test server, or a real dev server (in memory) for tests that
// need the full server (the API's health check, Temporal Web links).
import { TestWorkflowEnvironment } from '@temporalio/testing'
import { inject } from 'vitest'
import { SEARCH_ATTRIBUTES, ensureSearchAttributes } from '../../platform/temporal'

export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = inject('temporalTestServerPath')
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
  })
  const { missing } = await ensureSearchAttributes(env.connection, env.namespace ?? 'default')
  if (missing.length) throw new Error(`the test server refused search attributes ${missing.join(', ')}`)
  return env
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
