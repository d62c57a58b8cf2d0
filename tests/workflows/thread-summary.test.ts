// The thread summary end to end on a real Temporal dev server and PostgreSQL: POST /api/cards/:id/thread-summary
// executes thread-summary:<cardId>:<uuid>, whose activity reads the card's comments and approval decisions and
// asks the agency's provider chain (the OpenAI and Gemini stand-ins, through the real SDKs), ending with the
// extractive summary. Covers the offline provider, the OpenAI stand-in, a fallback along the chain, a model
// that takes too long, an empty thread, and who may ask.
import { randomUUID } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { historyToJSON } from '@temporalio/common/lib/proto-utils'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EXTRACTIVE_SUMMARY_MODEL, THREAD_SUMMARY_LIMITS, THREAD_SUMMARY_SCHEMA_NAME } from '../../domain/thread-summary'
import { Prisma } from '../../generated/prisma/client'
import { AgencyIdAttribute, CampaignIdAttribute } from '../../workflows/campaign/definitions'
import { THREAD_SUMMARY_MODEL_BUDGET_MS } from '../../workflows/thread-summary/definitions'
import { standInAiSettings, startLlmStandIns, type LlmStandIns } from '../support/ai'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { apiOk, briefFixture, json } from '../support/campaigns'

interface ThreadSummaryView {
  summary: string
  bullets: string[]
  provider: string
  providerLabel: string
  offline: boolean
  model: string
  commentCount: number
  workflowId: string
}

let h: ApiHarness
let llm: LlmStandIns

beforeAll(async () => {
  llm = await startLlmStandIns()
  h = await startApiHarness()
  await h.startWorker({ ai: standInAiSettings(llm) })
}, 120_000)

afterAll(async () => {
  await h?.stop()
  await llm?.close()
})

beforeEach(() => {
  llm.openai.control.reset()
  llm.gemini.control.reset()
})

/** A tenant whose first card carries a short review thread: comments by two people and a request for changes. */
async function cardWithThread(options: { chain?: string[] } = {}) {
  const owner = await h.newTenant()
  const manager = await h.newMember(owner.agencyId, 'manager')
  if (options.chain) await apiOk(h, owner, 'PUT', '/api/agency/ai-settings', { providerChain: options.chain })
  const fixture = await briefFixture(h, owner, { deliverables: 1 })
  const card = await h.db.contentTask.findFirstOrThrow({ where: { campaignId: fixture.campaignId } })
  await apiOk(h, owner, 'POST', `/api/cards/${card.id}/comments`, { body: 'First cut is up. The farm footage runs 40 seconds and the caption names the harvest festival.' })
  await apiOk(h, manager, 'POST', `/api/cards/${card.id}/comments`, { body: 'The farm footage is lovely. Can you swap the hero image for the orchard photo? Thanks!' })
  await apiOk(h, owner, 'POST', `/api/cards/${card.id}/comments`, { body: 'Swapped the hero image for the orchard photo.' })
  const submittedAt = new Date()
  await h.db.approvalRound.create({
    data: {
      agencyId: owner.agencyId,
      cardId: card.id,
      round: 1,
      workflowId: `approval:${card.id}:1`,
      status: 'changes_requested',
      captionVersion: 2,
      policy: {} as Prisma.InputJsonObject,
      submittedAt,
      dueAt: new Date(submittedAt.getTime() + 48 * 3600_000),
      decisions: [
        { kind: 'request_changes', by: { userId: randomUUID(), name: 'Cleo Client', role: 'client_approver' }, stepIndex: 0, captionVersion: 2, comment: 'Name the farm in the caption.', at: new Date().toISOString() },
      ] as unknown as Prisma.InputJsonArray,
    },
  })
  return { owner, manager, fixture, cardId: card.id }
}

async function summarize(who: TestMember, cardId: string): Promise<ThreadSummaryView> {
  const response = await h.app.inject({ method: 'POST', url: `/api/cards/${cardId}/thread-summary`, headers: who.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

const summaryCalls = (standIn: LlmStandIns['openai'] | LlmStandIns['gemini']) => standIn.control.traffic().requests.filter((request) => request.schemaName === THREAD_SUMMARY_SCHEMA_NAME)

/**
 * With GREENLIGHT_RECORD_HISTORIES=1, writes a finished run's history for the replay test. A committed history
 * is never overwritten: it stands for the runs in flight when it was recorded (delete it to re-record).
 */
async function recordHistory(workflowId: string, file: string): Promise<void> {
  if (process.env.GREENLIGHT_RECORD_HISTORIES !== '1') return
  const target = path.join(import.meta.dirname, 'histories', file)
  const history = await h.env.client.workflow.getHandle(workflowId).fetchHistory()
  if (!existsSync(target)) writeFileSync(target, historyToJSON(history) + '\n')
}

describe('POST /api/cards/:id/thread-summary', () => {
  it('with the offline provider: an extractive summary that says so, keeping the decision and who asked for what', async () => {
    const { owner, fixture, cardId } = await cardWithThread({ chain: ['offline'] })
    const result = await summarize(owner, cardId)
    expect(result).toMatchObject({ provider: 'offline', providerLabel: 'Offline generator', offline: true, model: EXTRACTIVE_SUMMARY_MODEL, commentCount: 3 })
    expect(result.summary).toBe('3 comments and 1 approval decision from Owner, Manager and Cleo Client. Latest decision: Cleo Client requested changes to caption version 2 (round 1). Most discussed: farm, footage, hero.')
    expect(result.bullets).toContain('Manager asked: Can you swap the hero image for the orchard photo?')
    expect(result.bullets.at(-1)).toBe('Cleo Client requested changes to caption version 2: Name the farm in the caption.')
    expect(result.bullets.join('\n')).not.toContain('Thanks!')
    // No model was asked.
    expect(llm.openai.control.traffic().requests).toEqual([])
    expect(llm.gemini.control.traffic().requests).toEqual([])

    // One short run per request, visible in Temporal with the agency and campaign.
    expect(result.workflowId).toMatch(new RegExp(`^thread-summary:${cardId}:[0-9a-f-]{36}$`))
    const run = await h.env.client.workflow.getHandle(result.workflowId).describe()
    expect(run.status.name).toBe('COMPLETED')
    expect(run.type).toBe('threadSummaryWorkflow')
    expect(run.typedSearchAttributes.get(AgencyIdAttribute)).toBe(owner.agencyId)
    expect(run.typedSearchAttributes.get(CampaignIdAttribute)).toBe(fixture.campaignId)
    const again = await summarize(owner, cardId)
    expect(again.workflowId).not.toBe(result.workflowId)
    expect({ ...again, workflowId: '' }).toEqual({ ...result, workflowId: '' })
  })

  it('with the OpenAI stand-in: the model’s summary through the real SDK, held to the bounds', async () => {
    const { owner, cardId } = await cardWithThread()
    const result = await summarize(owner, cardId)
    expect(result).toMatchObject({ provider: 'openai', providerLabel: 'OpenAI', offline: false, model: 'gpt-4o-mini', commentCount: 3 })
    expect(result.summary.length).toBeGreaterThan(0)
    expect(result.summary.length).toBeLessThanOrEqual(THREAD_SUMMARY_LIMITS.summaryChars)
    expect(result.bullets.length).toBeGreaterThan(0)
    expect(result.bullets.length).toBeLessThanOrEqual(THREAD_SUMMARY_LIMITS.bullets)
    for (const bullet of result.bullets) expect(bullet.length).toBeLessThanOrEqual(THREAD_SUMMARY_LIMITS.bulletChars)
    // One strict json_schema call, tagged with the run that made it; Gemini is not asked.
    const calls = summaryCalls(llm.openai)
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ model: 'gpt-4o-mini', requestKey: result.workflowId, status: 200 })
    expect(llm.gemini.control.traffic().requests).toEqual([])
    await recordHistory(result.workflowId, 'thread-summary-openai.json')
  })

  it('falls back along the chain: Gemini when OpenAI is down, the extractive summary when both are', async () => {
    const { owner, cardId } = await cardWithThread()
    llm.openai.control.setFaults({ down: true })
    const byGemini = await summarize(owner, cardId)
    expect(byGemini).toMatchObject({ provider: 'gemini', offline: false, model: 'gemini-2.5-flash' })
    expect(summaryCalls(llm.openai).map((call) => call.status)).toEqual([503])
    expect(summaryCalls(llm.gemini).map((call) => call.status)).toEqual([200])

    llm.gemini.control.setFaults({ down: true })
    const extractive = await summarize(owner, cardId)
    expect(extractive).toMatchObject({ provider: 'offline', offline: true, model: EXTRACTIVE_SUMMARY_MODEL })
    expect(extractive.bullets.at(-1)).toBe('Cleo Client requested changes to caption version 2: Name the farm in the caption.')
  })

  it('answers extractively when the model takes longer than the budget, within the time the web server waits', async () => {
    const { owner, cardId } = await cardWithThread({ chain: ['openai', 'offline'] })
    llm.openai.control.setFaults({ latencyMs: THREAD_SUMMARY_MODEL_BUDGET_MS + 5_000 })
    const started = Date.now()
    const result = await summarize(owner, cardId)
    const took = Date.now() - started
    expect(result).toMatchObject({ provider: 'offline', offline: true })
    expect(took).toBeGreaterThanOrEqual(THREAD_SUMMARY_MODEL_BUDGET_MS)
    expect(took).toBeLessThan(10_000)
    expect(summaryCalls(llm.openai)).toHaveLength(1)
  }, 30_000)

  it('asks no model about an empty thread', async () => {
    const owner = await h.newTenant()
    const fixture = await briefFixture(h, owner, { deliverables: 1 })
    const card = await h.db.contentTask.findFirstOrThrow({ where: { campaignId: fixture.campaignId } })
    const result = await summarize(owner, card.id)
    expect(result).toMatchObject({ summary: 'No comments or approval decisions on this card yet.', bullets: [], provider: 'offline', offline: true, commentCount: 0 })
    expect(llm.openai.control.traffic().requests).toEqual([])
  })

  it('only for those who may read the card: 404 for another agency or a creator not on it, 401 signed out, 400 a bad id', async () => {
    const { owner, cardId } = await cardWithThread({ chain: ['offline'] })
    const stranger = await h.newTenant()
    const other = await h.app.inject({ method: 'POST', url: `/api/cards/${cardId}/thread-summary`, headers: stranger.headers })
    expect(other.statusCode).toBe(404)
    expect(other.json().error.code).toBe('NOT_FOUND')
    const creator = await h.newMember(owner.agencyId, 'creator')
    expect((await h.app.inject({ method: 'POST', url: `/api/cards/${cardId}/thread-summary`, headers: creator.headers })).statusCode).toBe(404)
    const clientApprover = await h.newMember(owner.agencyId, 'client_approver')
    expect((await summarize(clientApprover, cardId)).offline).toBe(true)
    expect((await h.app.inject({ method: 'POST', url: `/api/cards/${cardId}/thread-summary` })).statusCode).toBe(401)
    const malformed = await h.app.inject({ method: 'POST', url: '/api/cards/not-a-card/thread-summary', ...json(owner) })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.code).toBe('VALIDATION_FAILED')
    // No run was started for the refused requests: only the client approver's is there.
    const runs = []
    for await (const run of h.env.client.workflow.list({ query: `WorkflowType = 'threadSummaryWorkflow' AND AgencyId = '${owner.agencyId}'` })) runs.push(run.workflowId)
    expect(runs).toHaveLength(1)
  })
})
