// The AI pages' rules (web/app/lib/ai.ts: the generate, repurpose and settings forms as API bodies, provider
// chains, progress, key status) and their actions against a tiny real HTTP server standing in for the API:
// what they send, where they go after a start, and how refusals come back to the page.
import { describe, expect, it } from 'vitest'
import { useScriptedApi } from '../support/scripted-api'
import { BATCH_ASSET_LIMIT, REPURPOSE_SOURCE_MAX, REPURPOSE_SOURCE_MIN } from '../../domain/ai-content.ts'
import {
  assetGenerationsLine,
  batchListQuery,
  batchOutcome,
  chainAvailability,
  chainLabel,
  chainNeverFails,
  chainPositions,
  generationsLeft,
  keyStatusLabel,
  newestFirst,
  parseProviderChain,
  plannedGenerations,
  progressPercent,
  readAiSettingsForm,
  readBatchListFilters,
  readCampaignAiForm,
  readGenerateForm,
  readRepurposeForm,
  repurposeGenerationsLine,
  sourceTextCount,
  type BatchDetail,
  type ProviderSettings,
} from '../../web/app/lib/ai.ts'
import { action as batchAction } from '../../web/app/routes/ai-batch.tsx'
import { action as generateAction } from '../../web/app/routes/ai-generate.tsx'
import { action as repurposeAction } from '../../web/app/routes/ai-repurpose.tsx'
import { action as settingsAction } from '../../web/app/routes/settings-ai.tsx'

const WORKSPACE = '5b1d0f4e-8c43-4a55-9a38-2f7e1c6b9d10'
const CAMPAIGN = '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a'
const BATCH = '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b'
const ASSET_A = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'
const ASSET_B = '0f8e2b1c-3d4a-4b5c-8d6e-7f8091a2b3c4'

const form = (fields: [string, string][]) => {
  const data = new FormData()
  for (const [key, value] of fields) data.append(key, value)
  return data
}

/** A text of `length` characters made of words, as a person would paste. */
const prose = (length: number) => 'Our roastery opens at seven. '.repeat(Math.ceil(length / 29)).slice(0, length)

const providers: ProviderSettings[] = [
  { id: 'openai', label: 'OpenAI', model: 'gpt-4o-mini', keySource: 'none', keyHint: null, readsImages: true },
  { id: 'gemini', label: 'Google Gemini', model: 'gemini-2.5-flash', keySource: 'agency', keyHint: '…wxyz', readsImages: true },
  { id: 'offline', label: 'Offline generator', model: 'greenlight-offline-v1', keySource: 'not_needed', keyHint: null, readsImages: false },
]

describe('provider chains', () => {
  it('reads the ordered selects, skipping empty positions', () => {
    expect(parseProviderChain(['gemini', '', 'offline'])).toEqual({ ok: true, chain: ['gemini', 'offline'] })
    expect(parseProviderChain(['', '', ''])).toEqual({ ok: true, chain: [] })
  })

  it('names a provider chosen twice and one it does not know', () => {
    expect(parseProviderChain(['openai', 'openai'])).toEqual({ ok: false, error: 'OpenAI is chosen twice: each provider can be in the chain once.' })
    expect(parseProviderChain(['claude'])).toMatchObject({ ok: false, error: expect.stringContaining('claude') })
  })

  it('fills the selects to one per provider, labels the chain and knows when it never fails', () => {
    expect(chainPositions(['gemini'])).toEqual(['gemini', '', ''])
    expect(chainLabel(['openai', 'gemini', 'offline'])).toBe('OpenAI → Google Gemini → Offline generator')
    expect(chainNeverFails(['openai', 'offline'])).toBe(true)
    expect(chainNeverFails(['offline', 'openai'])).toBe(false)
  })

  it('says which links have no key and will be skipped', () => {
    expect(chainAvailability(['openai', 'gemini', 'offline'], providers)).toEqual([
      { id: 'openai', label: 'OpenAI', usable: false, note: 'no key, will be skipped' },
      { id: 'gemini', label: 'Google Gemini', usable: true, note: 'model gemini-2.5-flash' },
      { id: 'offline', label: 'Offline generator', usable: true, note: 'template-based, needs no key' },
    ])
    // Without the settings (a role that cannot read them) nothing is claimed either way.
    expect(chainAvailability(['openai'], null)).toEqual([{ id: 'openai', label: 'OpenAI', usable: true, note: '' }])
  })

  it('shows where a key comes from, never the key', () => {
    expect(keyStatusLabel({ keySource: 'agency', keyHint: '…abcd' })).toBe('Set (…abcd)')
    expect(keyStatusLabel({ keySource: 'agency', keyHint: '…' })).toBe('Set')
    expect(keyStatusLabel({ keySource: 'environment', keyHint: null })).toBe('From the environment')
    expect(keyStatusLabel({ keySource: 'none', keyHint: null })).toBe('Not set')
    expect(keyStatusLabel({ keySource: 'not_needed', keyHint: null })).toBe('No key needed')
  })
})

describe('the generate form', () => {
  const fields: [string, string][] = [
    ['assetIds', ASSET_A],
    ['assetIds', ASSET_B],
    ['formats', 'tiktok'],
    ['formats', 'instagram'],
    ['variantsPerItem', '2'],
    ['providerChain', 'gemini'],
    ['providerChain', ''],
    ['providerChain', 'offline'],
    ['campaignId', CAMPAIGN],
  ]

  it('becomes a StartAssetBatchBody with the platforms in the page’s order', () => {
    const reading = readGenerateForm(form(fields))
    expect(reading).toMatchObject({ ok: true })
    if (!reading.ok) return
    expect(reading.body).toEqual({ assetIds: [ASSET_A, ASSET_B], formats: ['instagram', 'tiktok'], variantsPerItem: 2, providerChain: ['gemini', 'offline'], campaignId: CAMPAIGN })
  })

  it('leaves the chain to the API when every position is empty, and sends no campaign as null', () => {
    const reading = readGenerateForm(form([['assetIds', ASSET_A], ['formats', 'facebook'], ['variantsPerItem', ''], ['providerChain', ''], ['campaignId', '']]))
    expect(reading.ok && reading.body).toEqual({ assetIds: [ASSET_A], formats: ['facebook'], variantsPerItem: 3, campaignId: null })
  })

  it('names each mistake and keeps what was picked', () => {
    const reading = readGenerateForm(form([['formats', 'myspace'], ['variantsPerItem', '4'], ['providerChain', 'openai'], ['providerChain', 'openai'], ['campaignId', 'campaign-1']]))
    expect(reading).toMatchObject({
      ok: false,
      errors: {
        assetIds: 'Pick at least one asset from the library.',
        formats: 'Greenlight does not write for “myspace”.',
        variantsPerItem: 'Choose 1 to 3 variations per item.',
        providerChain: expect.stringContaining('chosen twice'),
        campaignId: 'Choose a campaign from the list, or none.',
      },
      values: { providerChain: ['openai', 'openai'] },
    })
    expect(readGenerateForm(form([['assetIds', ASSET_A]]))).toMatchObject({ ok: false, errors: { formats: 'Pick at least one platform.' } })
  })

  it('refuses more assets than a batch takes', () => {
    const ids = Array.from({ length: BATCH_ASSET_LIMIT + 1 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
    const reading = readGenerateForm(form([...ids.map((id): [string, string] => ['assetIds', id]), ['formats', 'instagram']]))
    expect(reading).toMatchObject({ ok: false, errors: { assetIds: `A batch takes at most ${BATCH_ASSET_LIMIT} assets; ${BATCH_ASSET_LIMIT + 1} are picked.` } })
    const exactly = readGenerateForm(form([...ids.slice(0, BATCH_ASSET_LIMIT).map((id): [string, string] => ['assetIds', id]), ['formats', 'instagram']]))
    expect(exactly.ok).toBe(true)
  })

  it('says how many generations the batch uses', () => {
    expect(plannedGenerations(2 * 2, 3)).toBe(12)
    expect(assetGenerationsLine(2, 2, 3)).toBe('2 assets × 2 platforms × 3 variations = 12 generations')
    expect(assetGenerationsLine(1, 1, 1)).toBe('1 asset × 1 platform × 1 variation = 1 generation')
    expect(repurposeGenerationsLine(6, 3)).toBe('6 formats × 3 variations = 18 generations')
    expect(generationsLeft({ plan: { limits: { aiGenerationsPerMonth: 300 } }, usage: { aiGenerationsPerMonth: 290 } })).toEqual({ left: 10, limit: 300 })
    expect(generationsLeft({ plan: { limits: { aiGenerationsPerMonth: 300 } }, usage: { aiGenerationsPerMonth: 310 } })).toEqual({ left: 0, limit: 300 })
  })
})

describe('the repurpose form', () => {
  it('counts characters as the API does (an emoji is one) against the limits', () => {
    expect(sourceTextCount('')).toMatchObject({ length: 0, state: 'short' })
    expect(sourceTextCount('🙂'.repeat(REPURPOSE_SOURCE_MIN))).toMatchObject({ length: REPURPOSE_SOURCE_MIN, state: 'ok' })
    expect(sourceTextCount('x'.repeat(REPURPOSE_SOURCE_MAX + 1))).toMatchObject({ state: 'long', message: expect.stringContaining('at most 20,000') })
  })

  it('becomes a StartRepurposeBody with the text as typed (line endings as one character)', () => {
    const text = `${prose(300)}\r\n\r\n${prose(300)}`
    const reading = readRepurposeForm(form([['sourceTitle', '  Harvest notes '], ['sourceText', text], ['formats', 'x_thread'], ['formats', 'instagram_caption'], ['variantsPerItem', '3'], ['providerChain', 'offline']]))
    expect(reading.ok).toBe(true)
    if (!reading.ok) return
    expect(reading.body).toEqual({
      sourceTitle: 'Harvest notes',
      sourceText: `${prose(300)}\n\n${prose(300)}`.trim(),
      formats: ['instagram_caption', 'x_thread'],
      variantsPerItem: 3,
      providerChain: ['offline'],
      campaignId: null,
    })
  })

  it('refuses a text too short, and no format', () => {
    const reading = readRepurposeForm(form([['sourceText', prose(REPURPOSE_SOURCE_MIN - 1)]]))
    expect(reading).toMatchObject({ ok: false, errors: { sourceText: expect.stringContaining(`at least ${REPURPOSE_SOURCE_MIN} needed`), formats: 'Pick at least one format.' } })
    expect('sourceTitle' in (reading.ok ? {} : reading.errors)).toBe(false)
  })
})

describe('the settings forms', () => {
  it('sends a model only when it changed, an empty one as the default, and a key only when typed', () => {
    const reading = readAiSettingsForm(
      form([
        ['providerChain', 'gemini'], ['providerChain', 'offline'], ['providerChain', ''],
        ['openaiModelWas', 'gpt-4o-mini'], ['openaiModel', 'gpt-4o-mini'], ['openaiKey', ''],
        ['geminiModelWas', 'gemini-2.5-flash'], ['geminiModel', ''], ['geminiKey', ' AIzaSyExampleKey123 '],
      ]),
    )
    expect(reading).toEqual({ ok: true, values: { providerChain: ['gemini', 'offline', ''] }, body: { providerChain: ['gemini', 'offline'], geminiModel: null, geminiKey: 'AIzaSyExampleKey123' } })
  })

  it('refuses a key with spaces or too short, a model name with odd characters and an empty chain', () => {
    const reading = readAiSettingsForm(form([['providerChain', ''], ['openaiModelWas', 'gpt-4o-mini'], ['openaiModel', 'gpt 4o'], ['openaiKey', 'sk-1'], ['geminiKey', 'two words here']]))
    expect(reading).toMatchObject({
      ok: false,
      errors: {
        providerChain: 'Choose at least one provider.',
        openaiModel: expect.stringContaining('letters, digits'),
        openaiKey: 'A OpenAI key is 8 to 300 characters without spaces.',
        geminiKey: 'A Google Gemini key is 8 to 300 characters without spaces.',
      },
    })
  })

  it('reads a campaign’s chain (empty: the agency’s) and its auto-approval', () => {
    const on = readCampaignAiForm(form([['providerChain', ''], ['providerChain', ''], ['autoApproveEnabled', 'on'], ['autoApproveThreshold', '85'], ['autoApproveFloor', '55']]))
    expect(on).toMatchObject({ ok: true, body: { providerChain: [], autoApprove: { enabled: true, threshold: 85, floor: 55 } } })
    const off = readCampaignAiForm(form([['providerChain', 'openai'], ['autoApproveThreshold', '80'], ['autoApproveFloor', '60']]))
    expect(off).toMatchObject({ ok: true, body: { providerChain: ['openai'], autoApprove: { enabled: false, threshold: 80, floor: 60 } } })
    const wrong = readCampaignAiForm(form([['autoApproveThreshold', '101'], ['autoApproveFloor', '6.5']]))
    expect(wrong).toMatchObject({ ok: false, errors: { autoApproveThreshold: 'The threshold is a whole number from 0 to 100.', autoApproveFloor: 'The floor is a whole number from 0 to 100.' } })
  })
})

describe('batches', () => {
  it('measures progress in whole percent of planned variants', () => {
    expect(progressPercent(0, 12)).toBe(0)
    expect(progressPercent(5, 12)).toBe(41)
    expect(progressPercent(12, 12)).toBe(100)
    expect(progressPercent(13, 12)).toBe(100)
    expect(progressPercent(3, 0)).toBe(0)
    expect(progressPercent(Number.NaN, 12)).toBe(0)
  })

  it('says what a cancelled batch kept', () => {
    const variant = { provider: 'offline' }
    const items = [
      { status: 'done', variants: [variant, variant, variant] },
      { status: 'done', variants: [variant, variant] },
      { status: 'cancelled', variants: [] },
      { status: 'failed', variants: [] },
    ] as unknown as BatchDetail['items']
    expect(batchOutcome({ items, plannedVariants: 12, summary: { status: 'cancelled', cancelledBy: 'Dana Owner' } })).toEqual({
      variantsKept: 5,
      variantsPlanned: 12,
      itemsDone: 2,
      itemsCancelled: 1,
      itemsFailed: 1,
      cancelledBy: 'Dana Owner',
    })
    expect(batchOutcome({ items: [], plannedVariants: 3, summary: null }).cancelledBy).toBeNull()
  })

  it('filters the list by workspace and campaign ids only, newest first', () => {
    const filters = readBatchListFilters(new URLSearchParams({ workspaceId: WORKSPACE, campaignId: 'drop table' }))
    expect(filters).toEqual({ workspaceId: WORKSPACE, campaignId: '' })
    expect(batchListQuery(filters)).toBe(`?workspaceId=${WORKSPACE}`)
    expect(batchListQuery({ workspaceId: '', campaignId: '' })).toBe('')
    const rows = [{ createdAt: '2026-11-01T10:00:00.000Z' }, { createdAt: '2026-11-03T10:00:00.000Z' }, { createdAt: '2026-11-02T10:00:00.000Z' }]
    expect(newestFirst(rows).map((row) => row.createdAt.slice(8, 10))).toEqual(['03', '02', '01'])
  })
})

// ---------------------------------------------------------------------------------------------------------
// The actions, against a stand-in API

const api = useScriptedApi()

// The actions only read request, url and params.
function post<Args>(path: string, fields: [string, string][], params: Record<string, string>): Args {
  const request = new Request(`http://web.test${path}`, { method: 'POST', body: new URLSearchParams([['_csrf', 'tok'], ...fields]), headers: { cookie: 'gl_session=abc' } })
  return { request, url: new URL(request.url), params, context: {} } as unknown as Args
}

function outcomeOf(result: unknown): { data: unknown; status: number | undefined } {
  const wrapped = result as { data?: unknown; init?: { status?: number } | null }
  return 'init' in (result as object) ? { data: wrapped.data, status: wrapped.init?.status ?? undefined } : { data: result, status: undefined }
}

const errorBody = (code: string, message: string, details?: { path: string; message: string }[]) => ({ error: { code, message, ...(details ? { details } : {}) }, requestId: 'req-1' })

describe('generate action', () => {
  const generate = (fields: [string, string][]) => generateAction(post<Parameters<typeof generateAction>[0]>(`/workspaces/${WORKSPACE}/generate`, fields, { workspaceId: WORKSPACE }))
  const picked: [string, string][] = [['assetIds', ASSET_A], ['assetIds', ASSET_B], ['formats', 'instagram'], ['formats', 'tiktok'], ['variantsPerItem', '3'], ['providerChain', 'offline'], ['campaignId', '']]

  it('starts the batch with the CSRF token and goes to its page', async () => {
    api.queue({ status: 201, body: { batch: { id: BATCH } } })
    const response = await generate(picked)
    expect(response).toBeInstanceOf(Response)
    expect((response as Response).headers.get('location')).toBe(`/ai/batches/${BATCH}`)
    expect(api.seen[0]).toMatchObject({ method: 'POST', url: `/api/workspaces/${WORKSPACE}/ai-batches`, headers: { 'x-csrf-token': 'tok' } })
    expect(JSON.parse(api.seen[0]!.body)).toEqual({ assetIds: [ASSET_A, ASSET_B], formats: ['instagram', 'tiktok'], variantsPerItem: 3, providerChain: ['offline'], campaignId: null })
  })

  it('shows the plan’s refusal next to the form and keeps what was picked', async () => {
    const message = 'This batch needs 12 AI generations; 4 are left this month on the Starter plan.'
    api.queue({ status: 402, body: errorBody('PLAN_LIMIT_REACHED', message) })
    const result = outcomeOf(await generate(picked))
    expect(result).toEqual({
      status: 402,
      data: { values: { assetIds: [ASSET_A, ASSET_B], formats: ['instagram', 'tiktok'], variantsPerItem: 3, providerChain: ['offline'], campaignId: '' }, errors: { form: message }, code: 'PLAN_LIMIT_REACHED' },
    })
  })

  it('puts the API’s validation details next to their fields', async () => {
    api.queue({ status: 400, body: errorBody('VALIDATION_FAILED', 'The batch is not valid.', [{ path: '/assetIds/1', message: 'This asset is a video without a readable frame.' }]) })
    const result = outcomeOf(await generate(picked))
    expect(result).toMatchObject({ status: 400, data: { errors: { assetIds: 'This asset is a video without a readable frame.' }, code: 'VALIDATION_FAILED' } })
  })

  it('checks the form before calling the API', async () => {
    const result = outcomeOf(await generate([['formats', 'instagram']]))
    expect(result).toMatchObject({ status: 400, data: { errors: { assetIds: 'Pick at least one asset from the library.' } } })
    expect(api.seen).toEqual([])
  })
})

describe('repurpose action', () => {
  it('starts the batch and goes to its page; a workflow service that is down is said in place', async () => {
    const repurpose = () =>
      repurposeAction(post<Parameters<typeof repurposeAction>[0]>(`/workspaces/${WORKSPACE}/repurpose`, [['sourceText', prose(600)], ['formats', 'x_thread'], ['campaignId', CAMPAIGN]], { workspaceId: WORKSPACE }))
    api.queue({ status: 201, body: { batch: { id: BATCH } } })
    const started = await repurpose()
    expect((started as Response).headers.get('location')).toBe(`/ai/batches/${BATCH}`)
    expect(api.seen[0]).toMatchObject({ method: 'POST', url: `/api/workspaces/${WORKSPACE}/repurpose` })
    expect(JSON.parse(api.seen[0]!.body)).toEqual({ sourceText: prose(600).trim(), formats: ['x_thread'], variantsPerItem: 3, campaignId: CAMPAIGN })

    api.queue({ status: 503, body: errorBody('TEMPORAL_UNAVAILABLE', 'The workflow service is not reachable; try again in a minute.') })
    expect(outcomeOf(await repurpose())).toMatchObject({ status: 503, data: { errors: { form: 'The workflow service is not reachable; try again in a minute.' }, code: 'TEMPORAL_UNAVAILABLE' } })
  })
})

describe('batch page action', () => {
  const cancel = (fields: [string, string][]) => batchAction(post<Parameters<typeof batchAction>[0]>(`/ai/batches/${BATCH}`, fields, { batchId: BATCH }))

  it('cancels through the API, and says so when the batch had already finished', async () => {
    api.queue({ status: 200, body: { batch: { id: BATCH, status: 'running' } } })
    expect(outcomeOf(await cancel([['intent', 'cancel']])).data).toMatchObject({ notice: expect.stringContaining('what was written is kept') })
    expect(api.seen[0]).toMatchObject({ method: 'POST', url: `/api/ai-batches/${BATCH}/cancel`, headers: { 'x-csrf-token': 'tok' } })

    api.queue({ status: 409, body: errorBody('BATCH_NOT_RUNNING', 'The batch has finished; there is nothing to cancel.') })
    expect(outcomeOf(await cancel([['intent', 'cancel']]))).toEqual({ status: 409, data: { error: 'The batch has finished; there is nothing to cancel.', code: 'BATCH_NOT_RUNNING' } })
  })

  it('does nothing for an action it does not know', async () => {
    expect(outcomeOf(await cancel([['intent', 'delete']]))).toMatchObject({ status: 400 })
    expect(api.seen).toEqual([])
  })
})

describe('settings action', () => {
  const save = (fields: [string, string][]) => settingsAction(post<Parameters<typeof settingsAction>[0]>('/settings/ai', fields, {}))

  it('removes the agency’s own key with null, and never sends an empty key', async () => {
    api.queue({ status: 200, body: {} })
    expect(outcomeOf(await save([['intent', 'remove-key'], ['provider', 'openai']])).data).toEqual({ notice: 'OpenAI: the agency’s key is removed.', savedAt: expect.any(Number) })
    expect(api.seen[0]).toMatchObject({ method: 'PUT', url: '/api/agency/ai-settings' })
    expect(JSON.parse(api.seen[0]!.body)).toEqual({ openaiKey: null })

    api.queue({ status: 200, body: {} })
    await save([['intent', 'save'], ['providerChain', 'openai'], ['providerChain', 'offline'], ['openaiModelWas', 'gpt-4o-mini'], ['openaiModel', 'gpt-4o-mini'], ['openaiKey', ''], ['geminiKey', '']])
    expect(JSON.parse(api.seen[1]!.body)).toEqual({ providerChain: ['openai', 'offline'] })
  })

  it('refuses to remove the key of a provider that has none to set', async () => {
    expect(outcomeOf(await save([['intent', 'remove-key'], ['provider', 'offline']]))).toMatchObject({ status: 400 })
    expect(api.seen).toEqual([])
  })
})
