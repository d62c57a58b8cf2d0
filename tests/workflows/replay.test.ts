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
    // Recorded by tests/workflows/token-refresh.test.ts with GREENLIGHT_RECORD_HISTORIES=1. The first was
    // recorded before the periodic re-read while awaiting re-auth (patch token-refresh-reauth-recheck) and
    // stands for runs started earlier; the second goes through the patched wait and its re-read.
    expect(histories).toContain('token-refresh-reauth.json')
    expect(histories).toContain('token-refresh-reauth-recheck.json')
    // Recorded by tests/workflows/batch-generation.test.ts with GREENLIGHT_RECORD_HISTORIES=1: a fallback from a
    // provider that is down to the next, and a cancel mid-batch.
    expect(histories).toContain('batch-generation-fallback.json')
    expect(histories).toContain('batch-generation-cancel.json')
    // Recorded by tests/workflows/approval.test.ts: refused and accepted decisions, a caption edit and a change
    // request; and a round that reminds, escalates and expires on its timers.
    expect(histories).toContain('approval-refusals-edit-changes.json')
    expect(histories).toContain('approval-reminders-expiry.json')
    // Recorded by tests/workflows/thread-summary.test.ts: a summary written by the OpenAI stand-in.
    expect(histories).toContain('thread-summary-openai.json')
    // Recorded by tests/api/publishing.test.ts: an Instagram post published now (container prepared, processed,
    // published, metrics started), a reschedule and a cancel, an unanswered Facebook post verified on the
    // platform, and a refused token waiting for the reconnect. And by tests/workflows/post-metrics.test.ts: the
    // thirty days of metric pulls.
    expect(histories).toContain('publish-instagram-now.json')
    expect(histories).toContain('publish-reschedule-cancel.json')
    expect(histories).toContain('publish-unconfirmed-verify.json')
    expect(histories).toContain('publish-reauth-reconnect.json')
    expect(histories).toContain('post-metrics-30-days.json')
  })

  it('the re-auth histories cover both sides of the token-refresh-reauth-recheck patch', () => {
    const markers = (file: string) =>
      (historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))).events ?? []).filter((event) => event.markerRecordedEventAttributes).length
    expect(markers('token-refresh-reauth.json')).toBe(0)
    expect(markers('token-refresh-reauth-recheck.json')).toBe(1)
  })

  it.each(histories)('%s replays without non-determinism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8')))
    expect(history.events?.length).toBeGreaterThan(10)
    await Worker.runReplayHistory({ workflowBundle: await bundleWorkflows() }, history)
  }, 60_000)
})
