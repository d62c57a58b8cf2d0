// Replays committed histories against the current workflow code: a change that would break runs in
// flight (a non-determinism error) fails here before it reaches a real worker.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { historyFromJSON } from '@temporalio/common/lib/proto-utils'
import { Worker } from '@temporalio/worker'
import { describe, expect, it } from 'vitest'
import { bundleWorkflows } from '../../platform/workflow-bundle'

const dir = path.join(import.meta.dirname, 'histories')
const histories = readdirSync(dir).filter((file) => file.endsWith('.json'))

describe('replay of committed histories', () => {
  it('has at least one history per workflow type', () => {
    expect(histories).toContain('campaign-pause-resume.json')
    // Recorded by tests/workflows/token-refresh.test.ts with GREENLIGHT_RECORD_HISTORIES=1.
    expect(histories).toContain('token-refresh-reauth.json')
  })

  it.each(histories)('%s replays without non-determinism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')))
    expect(history.events?.length).toBeGreaterThan(10)
    await Worker.runReplayHistory({ workflowBundle: await bundleWorkflows() }, history)
  }, 60_000)
})
