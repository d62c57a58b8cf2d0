// The OpenAI and Gemini providers, with the real `openai` and `@google/genai` SDKs, against the sandbox
// stand-ins started in-process on a free port: structured output parsed into VariantContent for an asset
// format and a repurposing format, the image reaching the model, the judge's four rubrics, and every failure
// as the ProviderError the workflow acts on (rate_limited with the wait, unavailable, auth), aborts and
// timeouts. Then the pure parts: the schemas, the output parsers and the retry-after parsing.
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import { APIUserAbortError, RateLimitError } from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CTA_CODES, FORMAT_SPECS, REPURPOSE_FORMATS, ASSET_FORMATS, type ContentFormat, type VariantContent } from '../../domain/ai-content'
import { RUBRICS } from '../../domain/rubric'
import { createGeminiProvider } from '../../activities/ai/gemini'
import { createOpenAiProvider } from '../../activities/ai/openai'
import { generationPrompt, judgePrompt, JUDGE_RUBRIC_PROMPT } from '../../activities/ai/prompts'
import { classifyOpenAiError, redactApiKeys, retryAfterFromHeaders, retryAfterFromMessage } from '../../activities/ai/provider-errors'
import { judgeJsonSchema, parseJudgeOutput, parseVariantOutput, variantJsonSchema } from '../../activities/ai/schemas'
import { ProviderError, type AiProviderClient, type GenerationRequest } from '../../activities/ai/types'
import { createGeminiStandIn } from '../../sandbox/gemini'
import { createOpenAiStandIn, strictSchemaProblem } from '../../sandbox/openai'
import { createSandboxServer } from '../../sandbox/server'
import { jpegImage } from '../support/media-fixtures'

const OPENAI_KEY = 'sk-test-0123456789abcdefghijklmnop'
const GEMINI_KEY = 'AIzaSyTest0123456789abcdefghijklmn'

const openaiStandIn = createOpenAiStandIn()
const geminiStandIn = createGeminiStandIn()
let server: http.Server
let base: string
let imageBase64: string

beforeAll(async () => {
  server = createSandboxServer([openaiStandIn, geminiStandIn])
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  imageBase64 = (await jpegImage(96, 120)).toString('base64')
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => {
  openaiStandIn.control.reset()
  geminiStandIn.control.reset()
})

const openai = (options: { apiKey?: string; timeoutMs?: number } = {}) => createOpenAiProvider({ apiKey: options.apiKey ?? OPENAI_KEY, baseURL: `${base}/openai/v1`, timeoutMs: options.timeoutMs })
const gemini = (options: { apiKey?: string; timeoutMs?: number } = {}) => createGeminiProvider({ apiKey: options.apiKey ?? GEMINI_KEY, baseUrl: `${base}/gemini`, timeoutMs: options.timeoutMs })

const SOURCE_TEXT =
  'Our Autumn Harvest Blend comes from a cooperative of smallholder farmers in Sidama, Ethiopia. The cherries are picked by hand, ' +
  'washed, and dried on raised beds for three weeks. We roast them in small batches every Monday so every bag reaches you within days. ' +
  'Tasting notes: ripe peach, black tea and a honeyed finish. Pre-orders open this Friday for subscribers, who get first pick of the harvest.'

function request(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    format: 'instagram',
    angle: 'story',
    variantIndex: 1,
    seed: 1234,
    brand: {
      workspaceName: 'Northwind Agency',
      clientName: 'Harbor Coffee Roasters',
      voicePrompt: 'Warm, confident and a little playful, like a friendly barista.',
      personality: 'Curious craftsperson',
      targetAudience: 'Urban professionals who care where their coffee comes from',
      toneAndStyle: 'Short sentences, sensory words',
      preferredPhrases: ['small-batch', 'roasted this week'],
      forbiddenPhrases: ['best coffee ever'],
      defaultHashtags: ['HarborCoffee'],
    },
    campaign: { name: 'Autumn Harvest Blend launch', objective: 'Drive pre-orders of the Autumn Harvest Blend', audience: 'Existing subscribers', keyMessages: ['Single-origin Ethiopian beans', 'Roasted in small batches every Monday'] },
    asset: { name: 'autumn-harvest-bag.jpg', kind: 'image', mimeType: 'image/jpeg', width: 1080, height: 1350, durationMs: null, image: { mimeType: 'image/jpeg', base64: imageBase64 } },
    sourceText: null,
    requestKey: `batch-7f3a:asset-12:instagram:1:${Math.random().toString(36).slice(2, 8)}`,
    ...overrides,
  }
}

const repurposeRequest = (format: ContentFormat, overrides: Partial<GenerationRequest> = {}) => request({ format, asset: null, sourceText: SOURCE_TEXT, angle: 'question', variantIndex: 2, ...overrides })

function expectWellFormed(content: VariantContent, format: ContentFormat) {
  const spec = FORMAT_SPECS[format]
  expect(content.text.trim().length).toBeGreaterThan(20)
  for (const tag of content.hashtags) expect(tag).toMatch(/^[^#\s]+$/)
  expect(content.hashtags.length).toBeLessThanOrEqual(spec.hashtagsMax)
  if (spec.adCopy) {
    expect(content.adCopy).not.toBeNull()
    expect(CTA_CODES).toContain(content.adCopy!.cta)
    expect(content.adCopy!.headline.length).toBeGreaterThan(0)
  } else expect(content.adCopy).toBeNull()
  if (spec.segments) {
    expect(content.segments.length).toBeGreaterThanOrEqual(spec.segments.min)
    expect(content.segments.length).toBeLessThanOrEqual(spec.segments.max)
  } else expect(content.segments).toEqual([])
  if (spec.subjectMax) expect(content.subject).toEqual(expect.any(String))
  else expect(content.subject).toBeNull()
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail')
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await rejection(promise)
  expect(error).toBeInstanceOf(ProviderError)
  return error as ProviderError
}

describe.each([
  // The SDKs' own abort errors: openai's APIUserAbortError, fetch's DOMException AbortError.
  { name: 'openai', make: openai, standIn: () => openaiStandIn, requestKeyOf: (key: string) => key, isAbort: (error: unknown) => error instanceof APIUserAbortError },
  { name: 'gemini', make: gemini, standIn: () => geminiStandIn, requestKeyOf: () => null, isAbort: (error: unknown) => (error as Error).name === 'AbortError' },
] as const)('$name provider with the real SDK', ({ name, make, standIn, requestKeyOf, isAbort }) => {
  const schemaOf = (format: ContentFormat) => `variant_${format}`
  it('writes an asset caption with hashtags and ad copy from structured output, and the image reaches the model', async () => {
    const provider: AiProviderClient = make()
    expect(provider.supportsImages).toBe(true)
    const input = request()
    const result = await provider.generate(input)
    expect(result.provider).toBe(name)
    expect(result.sawImage).toBe(true)
    expectWellFormed(result.content, 'instagram')
    expect(result.content.text).toContain('Autumn Harvest Blend')
    expect(result.usage.inputTokens).toBeGreaterThan(100)
    expect(result.usage.outputTokens).toBeGreaterThan(10)

    const [record] = standIn().control.traffic().requests
    expect(record).toMatchObject({ requestKey: requestKeyOf(input.requestKey), schemaName: schemaOf('instagram'), hadImage: true, status: 200, model: provider.model })
  })

  it('sends only the metadata when there is no image, and says so', async () => {
    const input = request({ format: 'tiktok', asset: { ...request().asset!, name: 'harvest-reel.mp4', kind: 'video', mimeType: 'video/mp4', durationMs: 21_500, image: null } })
    const result = await make().generate(input)
    expect(result.sawImage).toBe(false)
    expectWellFormed(result.content, 'tiktok')
    expect(standIn().control.traffic().requests[0]).toMatchObject({ hadImage: false, schemaName: schemaOf('tiktok') })
  })

  it.each(['x_thread', 'email_newsletter', 'tiktok_script'] as const)('repurposes a source text into %s', async (format) => {
    const result = await make().generate(repurposeRequest(format))
    expectWellFormed(result.content, format)
    expect(result.sawImage).toBe(false)
    if (format === 'x_thread') {
      expect(result.content.text).toBe(result.content.segments.join('\n\n'))
      for (const post of result.content.segments) expect(post.length).toBeLessThanOrEqual(280)
    }
    expect(standIn().control.traffic().requests[0]).toMatchObject({ hadImage: false, schemaName: schemaOf(format), status: 200 })
  })

  it('judges sibling variants: four rubrics per variant, integer scores 0-100 with one-line reasons', async () => {
    const provider = make()
    standIn().control.setFaults({ latencyMs: 100 })
    const variants = await Promise.all((['benefit', 'story', 'question'] as const).map((angle, variantIndex) => provider.generate(request({ angle, variantIndex }))))
    const result = await provider.judge({ format: 'instagram', brand: request().brand, variants: variants.map((v) => v.content), requestKey: 'judge:batch-7f3a:asset-12:instagram' })
    expect(result).not.toBeNull()
    expect(result!.provider).toBe(name)
    expect(result!.verdicts).toHaveLength(3)
    for (const verdict of result!.verdicts) {
      expect(Object.keys(verdict).sort()).toEqual([...RUBRICS].sort())
      for (const rubric of RUBRICS) {
        expect(Number.isInteger(verdict[rubric].score)).toBe(true)
        expect(verdict[rubric].score).toBeGreaterThanOrEqual(0)
        expect(verdict[rubric].score).toBeLessThanOrEqual(100)
        expect(verdict[rubric].reason).not.toMatch(/\n/)
      }
    }
    expect(standIn().control.traffic().requests.at(-1)).toMatchObject({ schemaName: 'judge_verdicts', status: 200 })
    // The three parallel generations were in flight together.
    expect(standIn().control.traffic().maxConcurrent).toBe(3)
  })

  it('turns a 429 into rate_limited with the wait the provider asked for', async () => {
    standIn().control.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 7 } })
    const error = await providerError(make().generate(request()))
    expect(error).toMatchObject({ provider: name, kind: 'rate_limited', details: { status: 429, retryAfterMs: 7000 } })
    // No retries inside the SDK: exactly one call reached the provider, and the next one succeeds.
    expect(standIn().control.traffic().requests.map((r) => r.status)).toEqual([429])
    await expect(make().generate(request())).resolves.toMatchObject({ provider: name })
  })

  it('turns 500, 503 and an outage into unavailable, without retrying inside the SDK', async () => {
    standIn().control.setFaults({ serverErrors: { count: 1, status: 500 } })
    expect(await providerError(make().generate(request()))).toMatchObject({ kind: 'unavailable', details: { status: 500 } })
    standIn().control.setFaults({ serverErrors: { count: 1, status: 503 } })
    expect(await providerError(make().generate(request()))).toMatchObject({ kind: 'unavailable', details: { status: 503 } })
    standIn().control.setFaults({ down: true })
    expect(await providerError(make().judge({ format: 'facebook', brand: request().brand, variants: [], requestKey: 'judge-down' }))).toMatchObject({ kind: 'unavailable' })
    expect(standIn().control.traffic().requests.map((r) => r.status)).toEqual([500, 503, 503])
  })

  it('turns a refused key into auth, and never puts the key in the message', async () => {
    const badKey = name === 'openai' ? 'pk-live-secret-0123456789abcdefghij' : 'wrong-secret-0123456789abcdefghij'
    const error = await providerError(make({ apiKey: badKey }).generate(request()))
    expect(error.kind).toBe('auth')
    expect(error.message).not.toContain(badKey)
    expect(error.message).not.toContain('0123456789abcdefghij')
  })

  it('rethrows the caller abort as an abort, not as a provider failure', async () => {
    standIn().control.setFaults({ latencyMs: 3000 })
    const controller = new AbortController()
    const started = Date.now()
    const pending = make().generate(request(), controller.signal)
    setTimeout(() => controller.abort(), 100)
    const error = await rejection(pending)
    expect(error).not.toBeInstanceOf(ProviderError)
    expect(isAbort(error)).toBe(true)
    expect(Date.now() - started).toBeLessThan(2000)
    // The stand-in saw the caller go away before it answered.
    await expect.poll(() => standIn().control.traffic().inFlight).toBe(0)
    expect(standIn().control.traffic().requests[0]!.status).toBeNull()
  })

  it('turns its own timeout into unavailable', async () => {
    standIn().control.setFaults({ latencyMs: 2000 })
    const started = Date.now()
    const error = await providerError(make({ timeoutMs: 200 }).generate(request()))
    expect(error.kind).toBe('unavailable')
    expect(error.message).toMatch(/timed out/)
    expect(Date.now() - started).toBeLessThan(1500)
  })
})

describe('schemas', () => {
  it.each([...ASSET_FORMATS, ...REPURPOSE_FORMATS])('the %s schema is accepted by strict Structured Outputs and states its limits', (format) => {
    const schema = variantJsonSchema(format, 'openai')
    expect(strictSchemaProblem(schema)).toBeNull()
    expect(JSON.stringify(schema)).not.toContain('maxLength')
    const gemini = variantJsonSchema(format, 'gemini') as { properties: { text: { maxLength: number } } }
    expect(gemini.properties.text.maxLength).toBe(FORMAT_SPECS[format].textMax)
    expect(JSON.stringify(schema)).toContain(`At most ${FORMAT_SPECS[format].textMax.toLocaleString('en-US')} characters`)
  })

  it('the judge schema asks for exactly one verdict per variant', () => {
    const schema = judgeJsonSchema(3) as { properties: { verdicts: { minItems: number; maxItems: number; items: { required: string[] } } } }
    expect(strictSchemaProblem(schema)).toBeNull()
    expect(schema.properties.verdicts).toMatchObject({ minItems: 3, maxItems: 3 })
    expect(schema.properties.verdicts.items.required).toEqual([...RUBRICS])
  })

  it('parses and cleans a variant, and refuses malformed answers as bad_output', () => {
    const good = { text: ' A caption. ', hashtags: ['#Coffee', 'coffee', 'Small Batch', ''], adCopy: { headline: 'Meet the blend', body: 'Roasted Monday.', cta: 'SHOP_NOW' }, segments: [], subject: null, preheader: null }
    expect(parseVariantOutput('openai', 'instagram', good)).toEqual({
      text: 'A caption.',
      hashtags: ['Coffee', 'SmallBatch'],
      adCopy: { headline: 'Meet the blend', body: 'Roasted Monday.', cta: 'SHOP_NOW' },
      segments: [],
      subject: null,
      preheader: null,
    })
    const bad = (value: unknown, format: ContentFormat = 'instagram') => {
      try {
        parseVariantOutput('gemini', format, value)
      } catch (error) {
        return error
      }
      return null
    }
    for (const value of [null, [], { ...good, text: 3 }, { ...good, text: '  ' }, { ...good, hashtags: 'Coffee' }, { ...good, adCopy: null }, { ...good, adCopy: { ...good.adCopy, cta: 'BUY_IT' } }]) {
      expect(bad(value)).toMatchObject({ kind: 'bad_output', provider: 'gemini' })
    }
    expect(bad({ ...good, segments: [] }, 'x_thread')).toMatchObject({ kind: 'bad_output' })
    expect(bad({ ...good, adCopy: null, subject: null, preheader: 'Hi' }, 'email_newsletter')).toMatchObject({ kind: 'bad_output' })
    expect(parseVariantOutput('openai', 'linkedin_post', good).adCopy).toBeNull()
  })

  it('parses judge verdicts, clamping scores to integers 0-100, and refuses a wrong count', () => {
    const verdict = (score: unknown) => Object.fromEntries(RUBRICS.map((rubric) => [rubric, { score, reason: 'Clear\nand short.' }]))
    expect(parseJudgeOutput('openai', { verdicts: [verdict(104.6), verdict(-3), verdict(71.4)] }, 3).map((v) => v.clarity)).toEqual([
      { score: 100, reason: 'Clear and short.' },
      { score: 0, reason: 'Clear and short.' },
      { score: 71, reason: 'Clear and short.' },
    ])
    expect(() => parseJudgeOutput('openai', { verdicts: [verdict(50)] }, 2)).toThrow(ProviderError)
    expect(() => parseJudgeOutput('openai', { verdicts: [verdict('high')] }, 1)).toThrow(/score is not a number/)
    expect(() => parseJudgeOutput('openai', { verdicts: [{ clarity: { score: 50, reason: 'ok' } }] }, 1)).toThrow(/originality is missing/)
  })
})

describe('prompts', () => {
  it('carry the brand, the limits, the asset and the angle', () => {
    const { system, user } = generationPrompt(request())
    expect(system).toContain('Warm, confident and a little playful')
    expect(system).toContain('"small-batch"')
    expect(system).toMatch(/Forbidden phrases.*"best coffee ever"/)
    expect(system).toContain('#HarborCoffee')
    expect(user).toContain('at most 2,200 characters')
    expect(user).toMatch(/Hashtags: at most 30/)
    expect(user).toMatch(/headline at most 40 characters/)
    expect(user).toContain('autumn-harvest-bag.jpg')
    expect(user).toContain('The image is attached')
    expect(user).toMatch(/Variation angle: story\. Tell a short story/)

    const video = generationPrompt(request({ asset: { ...request().asset!, kind: 'video', image: null, durationMs: 21_500 } })).user
    expect(video).toContain('21.5 s long')
    expect(video).toMatch(/not attached/)

    const script = generationPrompt(repurposeRequest('tiktok_script')).user
    expect(script).toMatch(/75-150 words, 30-60 seconds/)
    expect(script).toContain('<source_text>')
    expect(script).toContain('raised beds')
    expect(generationPrompt(repurposeRequest('x_thread')).user).toMatch(/5-7 posts, each at most 280 characters/)
  })

  it('judge with the fixed rubric and the numbered variants', () => {
    const variant: VariantContent = { text: 'Meet the blend.', hashtags: ['Coffee'], adCopy: null, segments: [], subject: null, preheader: null }
    const { system, user } = judgePrompt({ format: 'linkedin_post', brand: request().brand, variants: [variant, variant], requestKey: 'j' })
    expect(system).toBe(JUDGE_RUBRIC_PROMPT)
    for (const rubric of RUBRICS) expect(JUDGE_RUBRIC_PROMPT).toContain(`${rubric} -`)
    expect(user).toContain('Variant 2:')
    expect(user).toContain('LinkedIn post')
  })
})

describe('provider errors', () => {
  it('read retry-after as milliseconds, seconds or an HTTP date, and from the message when headers are silent', () => {
    const now = Date.parse('2026-11-20T10:00:00Z')
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), now)).toBe(1500)
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '2' }), now)).toBe(2000)
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': 'Fri, 20 Nov 2026 10:00:30 GMT' }), now)).toBe(30_000)
    expect(retryAfterFromHeaders(new Headers({}), now)).toBeUndefined()
    expect(retryAfterFromMessage('Rate limit reached ... Please try again in 1m30s. Visit ...')).toBe(90_000)
    expect(retryAfterFromMessage('Please try again in 350ms.')).toBe(350)
  })

  it('redact keys from messages and treat insufficient_quota as a refused account', () => {
    expect(redactApiKeys('Incorrect API key provided: sk-abc*****wxyz. Also AIzaSyAbcdefghijklmnop and ?key=secret', 'not-there')).toBe(
      'Incorrect API key provided: [redacted]. Also [redacted] and ?key=[redacted]',
    )
    const quota = new RateLimitError(429, { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota', param: null }, undefined, new Headers())
    expect(classifyOpenAiError(quota)).toMatchObject({ kind: 'auth', details: { status: 429 } })
  })
})
