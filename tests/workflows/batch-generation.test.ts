// AI batch generation end to end on a real Temporal dev server and PostgreSQL: the API starts batch:<id>, the
// worker's provider queues call the OpenAI and Gemini stand-ins through the real SDKs, and the rows, cards and
// usage counters are checked. Covers the happy path, a 429 storm, a provider outage and the fallback chain,
// cancelling mid-batch, the monthly limit, and bad requests.
import { randomUUID } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { historyToJSON } from '@temporalio/common/lib/proto-utils'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { JUDGE_SCHEMA_NAME } from '../../activities/ai/schemas'
import { usagePeriod } from '../../domain/plans'
import { AI_GENERATIONS_METRIC } from '../../platform/usage-meter'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { getBatch, standInAiSettings, startLlmStandIns, uploadImages, waitForBatch, type LlmStandIns } from '../support/ai'
import { apiOk, briefFixture, json, type CampaignFixture } from '../support/campaigns'

// Uploaded assets go to a folder of this file's own (the worker reads their previews from it).
vi.hoisted(() => {
  const { mkdtempSync } = process.getBuiltinModule('node:fs')
  const { tmpdir } = process.getBuiltinModule('node:os')
  const { join } = process.getBuiltinModule('node:path')
  process.env.GREENLIGHT_DATA_DIR = mkdtempSync(join(tmpdir(), 'greenlight-ai-batch-'))
  process.env.STORAGE_DRIVER = 'local'
})

let h: ApiHarness
let llm: LlmStandIns
let owner: TestMember
let fixture: CampaignFixture
let assets: string[]
/** newTenant() names its owner after the role. */
const ROLE_NAME_OWNER = 'Owner'

beforeAll(async () => {
  llm = await startLlmStandIns()
  h = await startApiHarness()
  await h.startWorker({ ai: standInAiSettings(llm, { concurrency: 4 }) })
  owner = await h.newTenant()
  fixture = await briefFixture(h, owner, { deliverables: 0 })
  const { brandKit } = await apiOk<{ brandKit: Record<string, unknown> & { version: number } }>(h, owner, 'GET', `/api/workspaces/${fixture.workspaceId}/brand-kit`)
  const { colors, headingFont, bodyFont, logoPosition, targetPlatforms } = brandKit as Record<string, unknown>
  await apiOk(h, owner, 'PUT', `/api/workspaces/${fixture.workspaceId}/brand-kit`, {
    baseVersion: brandKit.version,
    colors,
    headingFont,
    bodyFont,
    logoPosition,
    targetPlatforms,
    voicePrompt: 'Warm, curious and precise about coffee origins.',
    personality: 'A friendly roaster who knows every farm by name.',
    targetAudience: 'Home brewers aged 25-40',
    toneAndStyle: 'Short sentences, sensory words, no hype.',
    preferredPhrases: ['single origin'],
    forbiddenPhrases: ['cheap'],
    defaultHashtags: ['lunacoffee'],
  })
  assets = await uploadImages(h, owner, fixture.workspaceId, 4)
  await apiOk(h, owner, 'PATCH', `/api/campaigns/${fixture.campaignId}`, { platforms: ['instagram', 'facebook', 'tiktok'] })
}, 120_000)

afterAll(async () => {
  await h?.stop()
  await llm?.close()
})

beforeEach(() => {
  llm.openai.control.reset()
  llm.gemini.control.reset()
})

/**
 * With GREENLIGHT_RECORD_HISTORIES=1, writes a finished batch's history for the replay test. A committed history
 * is never overwritten: it stands for the runs in flight when it was recorded (delete it to re-record).
 */
async function recordHistory(batchId: string, file: string): Promise<void> {
  if (process.env.GREENLIGHT_RECORD_HISTORIES !== '1') return
  const target = path.join(import.meta.dirname, 'histories', file)
  const history = await h.env.client.workflow.getHandle(`batch:${batchId}`).fetchHistory()
  if (!existsSync(target)) writeFileSync(target, historyToJSON(history) + '\n')
}

async function startBatch(body: Record<string, unknown>, who: TestMember = owner) {
  const response = await h.app.inject({ method: 'POST', url: `/api/workspaces/${fixture.workspaceId}/ai-batches`, ...json(who, body) })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().batch as { id: string; status: string; plannedVariants: number; workflowId: string }
}

const usage = async (agencyId: string) =>
  (await h.db.usageCounter.findUnique({ where: { agencyId_metric_period: { agencyId, metric: AI_GENERATIONS_METRIC, period: usagePeriod(new Date()) } } }))?.count ?? 0

describe('batch generation', () => {
  it('writes three judged variants per asset and platform with OpenAI, reads the images, and lands them on the cards', async () => {
    llm.openai.control.setFaults({ latencyMs: 150 })
    const before = await usage(owner.agencyId)
    const started = await startBatch({ campaignId: fixture.campaignId, assetIds: assets.slice(0, 2), formats: ['instagram', 'tiktok'], providerChain: ['openai', 'gemini', 'offline'] })
    expect(started).toMatchObject({ status: 'running', plannedVariants: 12, workflowId: `batch:${started.id}` })

    // The live query answers while the batch runs.
    const progress = await h.app.inject({ method: 'GET', url: `/api/ai-batches/${started.id}/progress`, headers: owner.headers })
    expect(progress.statusCode, progress.body).toBe(200)
    expect(progress.json().items).toHaveLength(4)

    const batch = await waitForBatch(h, owner, started.id)
    expect(batch.status).toBe('completed')
    expect(batch.generatedVariants).toBe(12)
    expect(batch.byProvider).toEqual({ openai: 12 })
    expect(await usage(owner.agencyId)).toBe(before + 12)

    for (const item of batch.items) {
      expect(item.status).toBe('done')
      expect(item.variants).toHaveLength(3)
      for (const variant of item.variants) {
        expect(variant.provider).toBe('openai')
        expect(variant.sawImage).toBe(true)
        expect(variant.judged).toBe(true)
        expect(variant.overall).toEqual(expect.any(Number))
        expect(variant.inputTokens).toBeGreaterThan(0)
        expect(variant.costMicros).toBeGreaterThan(0)
        expect(variant.status).toBe('in_review')
        for (const rubric of Object.values(variant.rubrics!)) {
          expect(rubric.parts.map((part) => part.source).sort()).toContain('judge')
          expect(rubric.parts.map((part) => part.source)).toContain('rule')
        }
      }
      // The card holds the three as caption versions; the best is the current one.
      expect(item.card).not.toBeNull()
      const captions = await h.db.captionVersion.findMany({ where: { cardId: item.card!.id }, orderBy: { version: 'asc' } })
      expect(captions.map((c) => c.source)).toEqual(['ai', 'ai', 'ai'])
      const best = Math.max(...item.variants.map((v) => v.overall!))
      const current = item.variants.find((v) => v.captionVersion === captions.at(-1)!.version)!
      expect(current.overall).toBe(best)
    }
    // The card drawer says what wrote its AI captions.
    const card = await apiOk<{ captions: { source: string; createdBy: string | null }[] }>(h, owner, 'GET', `/api/cards/${batch.items[0]!.card!.id}`)
    expect(card.captions.map((c) => [c.source, c.createdBy])).toEqual([['ai', 'AI: OpenAI'], ['ai', 'AI: OpenAI'], ['ai', 'AI: OpenAI']])

    const traffic = llm.openai.control.traffic()
    const generations = traffic.requests.filter((r) => r.status === 200 && r.schemaName !== JUDGE_SCHEMA_NAME)
    expect(generations).toHaveLength(12)
    expect(generations.every((r) => r.hadImage)).toBe(true)
    expect(new Set(generations.map((r) => r.requestKey)).size).toBe(12)
    expect(traffic.requests.filter((r) => r.schemaName === JUDGE_SCHEMA_NAME)).toHaveLength(4)
    expect(traffic.maxConcurrent).toBeLessThanOrEqual(4)
  })

  it('waits out a 429 storm: every worker pauses for retry-after, and OpenAI still writes every variant', async () => {
    llm.openai.control.setFaults({ rateLimit: { count: 6, retryAfterSeconds: 1 } })
    const started = await startBatch({ assetIds: assets.slice(0, 2), formats: ['facebook'], providerChain: ['openai', 'offline'] })
    const batch = await waitForBatch(h, owner, started.id)
    expect(batch.status).toBe('completed')
    expect(batch.byProvider).toEqual({ openai: 6 })
    const requests = llm.openai.control.traffic().requests
    const limited = requests.filter((r) => r.status === 429)
    expect(limited).toHaveLength(6)
    // No call started within the retry-after of the first 429 (the cool-down is shared through PostgreSQL).
    const firstLimited = Date.parse(limited[0]!.at)
    const tooSoon = requests.filter((r) => r.status === 200 && Date.parse(r.at) > firstLimited && Date.parse(r.at) < firstLimited + 900)
    expect(tooSoon).toEqual([])
  })

  it('falls back to Gemini while OpenAI is down, and to the offline generator when both are, recording who wrote what', async () => {
    llm.openai.control.setFaults({ down: true })
    const geminiBatch = await waitForBatch(h, owner, (await startBatch({ assetIds: [assets[0]], formats: ['instagram'], providerChain: ['openai', 'gemini', 'offline'] })).id)
    expect(geminiBatch.status).toBe('completed')
    expect(geminiBatch.byProvider).toEqual({ gemini: 3 })
    expect(geminiBatch.items[0]!.variants.every((v) => v.sawImage && v.judged)).toBe(true)
    expect(llm.gemini.control.traffic().requests.filter((r) => r.status === 200).every((r) => r.model === 'gemini-2.5-flash')).toBe(true)
    await recordHistory(geminiBatch.id, 'batch-generation-fallback.json')

    llm.gemini.control.setFaults({ down: true })
    const offlineBatch = await waitForBatch(h, owner, (await startBatch({ assetIds: [assets[1]], formats: ['instagram'], providerChain: ['openai', 'gemini', 'offline'] })).id)
    expect(offlineBatch.status).toBe('completed')
    expect(offlineBatch.byProvider).toEqual({ offline: 3 })
    for (const variant of offlineBatch.items[0]!.variants) {
      expect(variant).toMatchObject({ provider: 'offline', sawImage: false, judged: false, costMicros: 0 })
      expect(variant.overall).toEqual(expect.any(Number))
    }

    // Without the offline generator at the end, an item nobody could write is marked failed with its reasons.
    // A batch whose every item failed is failed, and so is its run (it stands out in Temporal Web).
    const failed = await waitForBatch(h, owner, (await startBatch({ assetIds: [assets[2]], formats: ['tiktok'], providerChain: ['openai', 'gemini'] })).id)
    expect(failed.status).toBe('failed')
    expect(failed.items[0]).toMatchObject({ status: 'failed', variants: [] })
    expect(failed.items[0]!.error).toMatch(/openai: .*gemini: /s)
    expect(failed.summary!.failures).toHaveLength(1)
  }, 120_000)

  it('stops on cancel, keeps and scores what finished, and calls the provider no more', async () => {
    llm.openai.control.setFaults({ latencyMs: 1_000 })
    const started = await startBatch({ campaignId: fixture.campaignId, assetIds: assets, formats: ['instagram', 'facebook'], providerChain: ['openai'] })
    // Wait for the first finished variants, then cancel.
    await vi.waitFor(async () => expect((await getBatch(h, owner, started.id)).generatedVariants).toBeGreaterThanOrEqual(2), { timeout: 30_000, interval: 100 })
    const cancel = await h.app.inject({ method: 'POST', url: `/api/ai-batches/${started.id}/cancel`, headers: owner.headers })
    expect(cancel.statusCode, cancel.body).toBe(200)

    const batch = await waitForBatch(h, owner, started.id)
    expect(batch.status).toBe('cancelled')
    expect(batch.summary!.cancelledBy).toBe(ROLE_NAME_OWNER)
    expect(batch.generatedVariants).toBeLessThan(24)
    const kept = batch.items.flatMap((item) => item.variants)
    expect(kept.length).toBe(batch.generatedVariants)
    expect(kept.every((v) => v.overall !== null)).toBe(true)
    expect(batch.items.some((item) => item.status === 'cancelled')).toBe(true)
    const stored = await h.db.aiVariant.count({ where: { batchId: started.id } })
    expect(stored).toBe(kept.length)

    const after = llm.openai.control.traffic().requests.length
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    expect(llm.openai.control.traffic().requests.length).toBe(after)
    await recordHistory(started.id, 'batch-generation-cancel.json')
    const again = await h.app.inject({ method: 'POST', url: `/api/ai-batches/${started.id}/cancel`, headers: owner.headers })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('BATCH_NOT_RUNNING')
  }, 90_000)
})

describe('limits and bad requests', () => {
  it('refuses a batch that would exceed the month’s generations, and creates nothing', async () => {
    const tenant = await h.newTenant()
    const own = await briefFixture(h, tenant, { deliverables: 0 })
    const images = await uploadImages(h, tenant, own.workspaceId, 2)
    // Starter: 300 a month; 295 used leaves 5, and 2 assets × 1 platform × 3 variations need 6.
    await h.db.usageCounter.create({ data: { agencyId: tenant.agencyId, metric: AI_GENERATIONS_METRIC, period: usagePeriod(new Date()), count: 295 } })
    const cardsBefore = await h.db.contentTask.count({ where: { campaignId: own.campaignId } })
    const refused = await h.app.inject({
      method: 'POST',
      url: `/api/workspaces/${own.workspaceId}/ai-batches`,
      ...json(tenant, { campaignId: own.campaignId, assetIds: images, formats: ['instagram'] }),
    })
    expect(refused.statusCode).toBe(402)
    expect(refused.json().error.code).toBe('PLAN_LIMIT_REACHED')
    expect(refused.json().error.message).toMatch(/needs 6 AI generations, but 5 .* left/)
    expect(await h.db.aiBatch.count({ where: { agencyId: tenant.agencyId } })).toBe(0)
    expect(await h.db.contentTask.count({ where: { campaignId: own.campaignId } })).toBe(cardsBefore)

    // Five fit.
    const fits = await h.app.inject({
      method: 'POST',
      url: `/api/workspaces/${own.workspaceId}/ai-batches`,
      ...json(tenant, { assetIds: [images[0]], formats: ['instagram'], variantsPerItem: 3, providerChain: ['offline'] }),
    })
    expect(fits.statusCode, fits.body).toBe(201)
    // While it runs, its generations are promised: another batch of 3 does not fit in the 2 left.
    const second = await h.app.inject({
      method: 'POST',
      url: `/api/workspaces/${own.workspaceId}/ai-batches`,
      ...json(tenant, { assetIds: [images[1]], formats: ['instagram'], providerChain: ['offline'] }),
    })
    const finished = await waitForBatch(h, tenant, fits.json().batch.id)
    expect(finished.generatedVariants).toBe(3)
    expect(second.statusCode).toBe(402)
    expect(await usage(tenant.agencyId)).toBe(298)
  })

  it('answers bad requests with 4xx and a stable code', async () => {
    const other = await h.newTenant()
    const theirs = await briefFixture(h, other, { deliverables: 0 })
    const post = (workspaceId: string, body: unknown, who: TestMember = owner) =>
      h.app.inject({ method: 'POST', url: `/api/workspaces/${workspaceId}/ai-batches`, ...json(who, body) })

    const tooMany = await post(fixture.workspaceId, { assetIds: Array.from({ length: 31 }, () => randomUUID()), formats: ['instagram'] })
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json().error.code).toBe('VALIDATION_FAILED')

    const foreignAsset = await post(fixture.workspaceId, { assetIds: [(await uploadImages(h, other, theirs.workspaceId, 1))[0]], formats: ['instagram'] })
    expect(foreignAsset.statusCode).toBe(400)
    expect(foreignAsset.json().error.details[0].path).toBe('/assetIds/0')

    const foreignCampaign = await post(fixture.workspaceId, { campaignId: theirs.campaignId, assetIds: [assets[0]], formats: ['instagram'] })
    expect(foreignCampaign.statusCode).toBe(400)
    expect(foreignCampaign.json().error.details[0].path).toBe('/campaignId')

    const foreignWorkspace = await post(theirs.workspaceId, { assetIds: [assets[0]], formats: ['instagram'] })
    expect(foreignWorkspace.statusCode).toBe(404)

    const badFormat = await post(fixture.workspaceId, { assetIds: [assets[0]], formats: ['myspace'] })
    expect(badFormat.statusCode).toBe(400)

    const limited = await briefFixture(h, owner, { deliverables: 0 })
    const notOnCampaign = await h.app.inject({
      method: 'POST',
      url: `/api/workspaces/${limited.workspaceId}/ai-batches`,
      ...json(owner, { campaignId: limited.campaignId, assetIds: await uploadImages(h, owner, limited.workspaceId, 1), formats: ['instagram', 'tiktok'] }),
    })
    expect(notOnCampaign.statusCode).toBe(400)
    expect(notOnCampaign.json().error.details).toEqual([{ path: '/formats/1', message: expect.stringContaining('is not a platform of') }])
    expect(await h.db.contentTask.count({ where: { campaignId: limited.campaignId } })).toBe(0)

    const badChain = await post(fixture.workspaceId, { assetIds: [assets[0]], formats: ['instagram'], providerChain: ['openai', 'openai'] })
    expect(badChain.statusCode).toBe(400)

    const analyst = await h.newMember(owner.agencyId, 'analyst')
    expect((await post(fixture.workspaceId, { assetIds: [assets[0]], formats: ['instagram'] }, analyst)).statusCode).toBe(403)

    const shortText = await h.app.inject({ method: 'POST', url: `/api/workspaces/${fixture.workspaceId}/repurpose`, ...json(owner, { sourceText: 'Too short.', formats: ['x_thread'] }) })
    expect(shortText.statusCode).toBe(400)

    const missing = await h.app.inject({ method: 'GET', url: `/api/ai-batches/${randomUUID()}`, headers: owner.headers })
    expect(missing.statusCode).toBe(404)
    expect(await h.db.aiBatch.count({ where: { agencyId: other.agencyId } })).toBe(0)
  })
})

describe('repurposing', () => {
  it('turns a long text into an X thread and a TikTok script within their limits, on the campaign’s cards where they publish', async () => {
    const sourceText = Array.from(
      { length: 8 },
      (_, i) =>
        `Our ${['Huila', 'Yirgacheffe', 'Cerrado', 'Antigua', 'Kona', 'Sidamo', 'Nariño', 'Tarrazú'][i]} lot was picked by hand at altitude and rested for three weeks. ` +
        'We roast it light to keep the fruit and the sweetness, and we publish the farm gate price we paid.',
    ).join(' ')
    const response = await h.app.inject({
      method: 'POST',
      url: `/api/workspaces/${fixture.workspaceId}/repurpose`,
      ...json(owner, { campaignId: fixture.campaignId, sourceTitle: 'Origin notes', sourceText, formats: ['x_thread', 'tiktok_script', 'linkedin_post'], providerChain: ['offline'] }),
    })
    expect(response.statusCode, response.body).toBe(201)
    const batch = await waitForBatch(h, owner, response.json().batch.id)
    expect(batch.status).toBe('completed')
    const full = (await h.app.inject({ method: 'GET', url: `/api/ai-batches/${batch.id}`, headers: owner.headers })).json().batch
    const thread = full.items.find((item: { format: string }) => item.format === 'x_thread')
    for (const variant of thread.variants) {
      expect(variant.content.segments.length).toBeGreaterThanOrEqual(5)
      expect(variant.content.segments.length).toBeLessThanOrEqual(7)
      expect(variant.content.segments.every((post: string) => [...post].length <= 280)).toBe(true)
      expect(variant.provider).toBe('offline')
    }
    // TikTok publishes, so its script lands on a card; LinkedIn is not a platform Greenlight posts to.
    expect(full.items.find((item: { format: string }) => item.format === 'tiktok_script').card).not.toBeNull()
    expect(full.items.find((item: { format: string }) => item.format === 'linkedin_post').card).toBeNull()
  })
})

describe('the agency’s AI settings', () => {
  it('keeps its own keys sealed and write-only, and the worker uses them before the deployment’s', async () => {
    const tenant = await h.newTenant()
    const own = await briefFixture(h, tenant, { deliverables: 0 })
    const [image] = await uploadImages(h, tenant, own.workspaceId, 1)
    const initial = await apiOk<{ providerChain: string[]; effectiveChain: string[]; providers: { id: string; keySource: string }[] }>(h, tenant, 'GET', '/api/agency/ai-settings')
    expect(initial.providerChain).toEqual([])
    expect(initial.effectiveChain).toEqual(['openai', 'gemini', 'offline'])

    // A key the provider refuses (the OpenAI stand-in takes only sk- keys): refused at once, Gemini writes.
    const ownKey = 'wrong-key-for-openai-1234'
    const saved = await apiOk<{ providerChain: string[]; providers: { id: string; keySource: string; keyHint: string | null }[] }>(h, tenant, 'PUT', '/api/agency/ai-settings', {
      providerChain: ['openai', 'gemini'],
      openaiKey: ownKey,
    })
    expect(saved.providerChain).toEqual(['openai', 'gemini'])
    expect(saved.providers.find((p) => p.id === 'openai')).toMatchObject({ keySource: 'agency', keyHint: '…1234' })
    expect(JSON.stringify(saved)).not.toContain(ownKey)
    const row = await h.db.agencyAiSettings.findUniqueOrThrow({ where: { agencyId: tenant.agencyId } })
    expect(row.openaiKeyCiphertext).not.toContain(ownKey)
    const audit = await apiOk<{ events: { action: string }[] }>(h, tenant, 'GET', '/api/agency/audit')
    expect(JSON.stringify(audit)).not.toContain(ownKey)

    const started = await h.app.inject({ method: 'POST', url: `/api/workspaces/${own.workspaceId}/ai-batches`, ...json(tenant, { assetIds: [image], formats: ['instagram'], variantsPerItem: 1 }) })
    expect(started.statusCode, started.body).toBe(201)
    const batch = await waitForBatch(h, tenant, started.json().batch.id)
    expect(batch.byProvider).toEqual({ gemini: 1 })
    // One refused call per provider use: an auth failure is not retried.
    expect(llm.openai.control.traffic().requests.filter((r) => r.status === 401)).toHaveLength(2)

    // Removing the key falls back to the deployment's (this test's API process has none in its environment).
    const removed = await apiOk<{ providers: { id: string; keySource: string }[] }>(h, tenant, 'PUT', '/api/agency/ai-settings', { openaiKey: null })
    expect(removed.providers.find((p) => p.id === 'openai')!.keySource).toBe('none')
    expect((await h.db.agencyAiSettings.findUniqueOrThrow({ where: { agencyId: tenant.agencyId } })).openaiKeyCiphertext).toBeNull()

    const editor = await h.newMember(tenant.agencyId, 'editor')
    expect((await h.app.inject({ method: 'PUT', url: '/api/agency/ai-settings', ...json(editor, { providerChain: ['offline'] }) })).statusCode).toBe(403)
    const badChain = await h.app.inject({ method: 'PUT', url: '/api/agency/ai-settings', ...json(tenant, { providerChain: ['openai', 'skynet'] }) })
    expect(badChain.statusCode).toBe(400)
    const floorAbove = await h.app.inject({ method: 'PUT', url: `/api/campaigns/${own.campaignId}/ai-settings`, ...json(tenant, { autoApprove: { enabled: true, threshold: 60, floor: 70 } }) })
    expect(floorAbove.statusCode).toBe(400)
  })

  it('auto-approves the best variant of an item when it clears the campaign’s threshold and floor', async () => {
    await apiOk(h, owner, 'PUT', `/api/campaigns/${fixture.campaignId}/ai-settings`, { providerChain: ['offline'], autoApprove: { enabled: true, threshold: 1, floor: 0 } })
    const approved = await waitForBatch(h, owner, (await startBatch({ campaignId: fixture.campaignId, assetIds: [assets[3]], formats: ['facebook'] })).id)
    const item = approved.items[0]!
    expect(approved.byProvider).toEqual({ offline: 3 })
    const best = [...item.variants].sort((x, y) => y.overall! - x.overall! || x.variantIndex - y.variantIndex)[0]!
    expect(item.approvedVariantIndex).toBe(best.variantIndex)
    expect(item.variants.filter((v) => v.status === 'approved').map((v) => v.variantIndex)).toEqual([best.variantIndex])
    const current = await h.db.captionVersion.findFirstOrThrow({ where: { cardId: item.card!.id }, orderBy: { version: 'desc' } })
    expect(current.version).toBe(best.captionVersion)

    // An unreachable threshold sends every variant to review.
    await apiOk(h, owner, 'PUT', `/api/campaigns/${fixture.campaignId}/ai-settings`, { autoApprove: { enabled: true, threshold: 100, floor: 100 } })
    const review = await waitForBatch(h, owner, (await startBatch({ campaignId: fixture.campaignId, assetIds: [assets[3]], formats: ['tiktok'] })).id)
    expect(review.items[0]!.approvedVariantIndex).toBeNull()
    expect(review.items[0]!.variants.every((v) => v.status === 'in_review')).toBe(true)
    await apiOk(h, owner, 'PUT', `/api/campaigns/${fixture.campaignId}/ai-settings`, { providerChain: [], autoApprove: { enabled: false, threshold: 80, floor: 60 } })
  })
})

