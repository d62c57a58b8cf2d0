// The OpenAI and Gemini stand-ins' protocol, spoken over plain HTTP on a free port: their auth errors and
// error bodies, answers that conform to the requested schema (checked here by an independent validator),
// fault injection through the control API, the request log and the peak of calls in flight. The content
// generator they share is checked directly for the limits it must keep.
import type http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createGeminiStandIn } from '../../sandbox/gemini'
import { conformingValue, topicPhrases, type JsonSchema } from '../../sandbox/llm-content'
import { createOpenAiStandIn, strictSchemaProblem } from '../../sandbox/openai'
import { createSandboxServer } from '../../sandbox/server'
import { jpegImage } from '../support/media-fixtures'

const openai = createOpenAiStandIn()
const gemini = createGeminiStandIn()
let server: http.Server
let base: string

beforeAll(async () => {
  server = createSandboxServer([openai, gemini])
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => {
  openai.control.reset()
  gemini.control.reset()
})

/** Every error in `value` against `schema`, as JSON-pointer-ish paths: an independent check of conformance. */
function schemaErrors(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const types = (Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type]).map((t) => String(t).toLowerCase())
  if (Array.isArray(schema.enum)) return schema.enum.includes(value) ? [] : [`${path}: ${JSON.stringify(value)} not in enum`]
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v)
  const actual = typeOf(value)
  if (types.length > 0 && !types.includes(actual) && !(actual === 'integer' && types.includes('number'))) return [`${path}: ${actual} is not ${types.join('|')}`]
  const errors: string[] = []
  if (typeof value === 'string') {
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) errors.push(`${path}: longer than ${schema.maxLength}`)
    if (value.trim() === '') errors.push(`${path}: empty`)
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${path}: above ${schema.maximum}`)
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`)
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${path}: more than ${schema.maxItems} items`)
    value.forEach((item, index) => errors.push(...schemaErrors((schema.items ?? {}) as JsonSchema, item, `${path}[${index}]`)))
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) errors.push(`${path}.${key}: missing`)
    for (const [key, item] of Object.entries(object)) {
      if (!(key in properties)) {
        if (schema.additionalProperties === false) errors.push(`${path}.${key}: not allowed`)
        continue
      }
      errors.push(...schemaErrors(properties[key]!, item, `${path}.${key}`))
    }
  }
  return errors
}

const POST_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    text: { type: 'string', description: 'The caption. At most 300 characters.' },
    hashtags: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 4 },
    headline: { type: 'string', maxLength: 30 },
    cta: { type: 'string', enum: ['LEARN_MORE', 'SHOP_NOW'] },
    quality: { type: 'object', properties: { score: { type: 'integer', minimum: 0, maximum: 100 }, reason: { type: 'string' } }, required: ['score', 'reason'], additionalProperties: false },
    note: { type: ['string', 'null'] },
    nothing: { type: 'null' },
    posts: { type: 'array', items: { type: 'string', description: 'One post, at most 120 characters.' }, minItems: 5, maxItems: 7 },
  },
  required: ['text', 'hashtags', 'headline', 'cta', 'quality', 'note', 'nothing', 'posts'],
  additionalProperties: false,
}

/** POST_SCHEMA as strict mode takes it: the length keyword said in the description instead. */
const STRICT_POST_SCHEMA: JsonSchema = {
  ...POST_SCHEMA,
  properties: { ...(POST_SCHEMA.properties as Record<string, JsonSchema>), headline: { type: 'string', description: 'At most 30 characters.' } },
}

const chatBody = (overrides: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You write copy for Harbor Coffee Roasters. Answer in JSON.' },
    { role: 'user', content: 'Campaign: Autumn Harvest Blend launch. Key message: the Autumn Harvest Blend is roasted in small batches every Monday.' },
  ],
  response_format: { type: 'json_schema', json_schema: { name: 'post', strict: true, schema: STRICT_POST_SCHEMA } },
  user: 'batch-1:asset-1:instagram:0',
  ...overrides,
})

/** What the two services answer, success or error, as far as these tests read it. */
interface ServiceAnswer {
  error: { message: string; type?: string; param?: string | null; code: string | number | null; status?: string; details?: Record<string, unknown>[] }
  choices: { message: { content: string } }[]
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number }
  candidates: { content: { parts: { text: string }[] } }[]
  usageMetadata: Record<string, number>
}

async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  const text = await response.text()
  return { status: response.status, headers: response.headers, json: JSON.parse(text) as ServiceAnswer }
}
const chat = (body: unknown, key: string | null = 'sk-test-key-1234567890') => postJson('/openai/v1/chat/completions', body, key === null ? {} : { authorization: `Bearer ${key}` })
const generateContent = (body: unknown, key: string | null = 'test-gemini-key', model = 'gemini-2.5-flash') =>
  postJson(`/gemini/v1beta/models/${model}:generateContent`, body, key === null ? {} : { 'x-goog-api-key': key })

const geminiBody = (overrides: Record<string, unknown> = {}) => ({
  contents: [{ role: 'user', parts: [{ text: 'Campaign: Autumn Harvest Blend launch. The Autumn Harvest Blend is roasted in small batches every Monday.' }] }],
  systemInstruction: { role: 'user', parts: [{ text: 'You write copy for Harbor Coffee Roasters.' }] },
  generationConfig: { responseMimeType: 'application/json', responseJsonSchema: { ...POST_SCHEMA, title: 'post' } },
  ...overrides,
})

describe('OpenAI stand-in', () => {
  it('refuses a missing or wrong key with 401 invalid_api_key, never echoing the whole key', async () => {
    const missing = await chat(chatBody(), null)
    expect(missing.status).toBe(401)
    expect(missing.json.error).toMatchObject({ type: 'invalid_request_error', param: null, code: 'invalid_api_key' })
    expect(missing.json.error.message).toMatch(/didn't provide an API key/)

    const wrong = await chat(chatBody(), 'pk-live-0123456789abcdef')
    expect(wrong.status).toBe(401)
    expect(wrong.json).toEqual({ error: { message: expect.stringMatching(/^Incorrect API key provided: pk-\*+cdef\./), type: 'invalid_request_error', param: null, code: 'invalid_api_key' } })
    expect(wrong.json.error.message).not.toContain('0123456789abcdef')
  })

  it('answers a chat.completion whose content conforms to the json_schema, with usage and the same answer for the same prompt', async () => {
    const first = await chat(chatBody())
    expect(first.status).toBe(200)
    expect(first.json).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', refusal: null } }] })
    const content = JSON.parse(first.json.choices[0]!.message.content) as { headline: string; text: string; posts: string[] }
    expect(schemaErrors(STRICT_POST_SCHEMA, content)).toEqual([])
    expect(content.headline.length).toBeLessThanOrEqual(30)
    expect(content.text.length).toBeLessThanOrEqual(300)
    for (const post of content.posts) expect(post.length).toBeLessThanOrEqual(120)
    expect(content.text).toMatch(/Autumn Harvest Blend|small batches/)
    const usage = first.json.usage
    expect(usage.prompt_tokens).toBeGreaterThan(20)
    expect(usage.completion_tokens).toBeGreaterThan(20)
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens)

    const again = await chat(chatBody())
    expect(again.json.choices[0]!.message.content).toBe(first.json.choices[0]!.message.content)
    const otherPrompt = await chat(chatBody({ messages: [{ role: 'user', content: 'A question about the Winter Spice Latte and oat milk, in JSON.' }] }))
    expect(otherPrompt.json.choices[0]!.message.content).not.toBe(first.json.choices[0]!.message.content)
  })

  it('refuses schemas strict mode refuses, unknown models and malformed messages in OpenAI error shape', async () => {
    const noAdditional = await chat(chatBody({ response_format: { type: 'json_schema', json_schema: { name: 'post', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } } } }))
    expect(noAdditional.status).toBe(400)
    expect(noAdditional.json.error).toMatchObject({ type: 'invalid_request_error', param: 'response_format' })
    expect(noAdditional.json.error.message).toMatch(/^Invalid schema for response_format 'post': .*'additionalProperties' is required to be supplied and to be false/)

    const lengthKeyword = await chat(chatBody({ response_format: { type: 'json_schema', json_schema: { name: 'post', strict: true, schema: { ...POST_SCHEMA } } } }))
    expect(lengthKeyword.status).toBe(400)
    expect(lengthKeyword.json.error.message).toMatch(/'maxLength' is not permitted/)

    const badName = await chat(chatBody({ response_format: { type: 'json_schema', json_schema: { name: 'has spaces', schema: { type: 'object' } } } }))
    expect(badName.status).toBe(400)
    expect(badName.json.error.param).toBe('response_format.json_schema.name')

    const unknownModel = await chat(chatBody({ model: 'text-davinci-999' }))
    expect(unknownModel.status).toBe(404)
    expect(unknownModel.json.error).toMatchObject({ code: 'model_not_found', type: 'invalid_request_error' })

    const noMessages = await chat(chatBody({ messages: [] }))
    expect(noMessages.status).toBe(400)
    expect(noMessages.json.error).toMatchObject({ param: 'messages', code: 'empty_array' })

    const notAnImage = await chat(
      chatBody({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Caption this, in JSON.' }, { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${Buffer.from('not an image').toString('base64')}` } }] }] }),
    )
    expect(notAnImage.status).toBe(400)
    expect(notAnImage.json.error.code).toBe('invalid_image_format')

    expect(strictSchemaProblem({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false })).toBeNull()
    expect(strictSchemaProblem({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, required: ['a'], additionalProperties: false })).toMatch(/Missing 'b'/)
  })

  it('records each call: the user field, model, schema name, whether an image came, and the status', async () => {
    const image = (await jpegImage(32, 32)).toString('base64')
    await chat(
      chatBody({
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Caption this photo of the Autumn Harvest Blend, in JSON.' }, { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${image}`, detail: 'low' } }] }],
      }),
    )
    await chat(chatBody({ user: 'batch-1:asset-2:facebook:1' }), 'bad-key')
    const log = await (await fetch(`${base}/openai/_sandbox/requests`)).json()
    expect(log.requests).toEqual([
      { at: expect.any(String), requestKey: 'batch-1:asset-1:instagram:0', model: 'gpt-4o-mini', schemaName: 'post', hadImage: true, status: 200 },
      { at: expect.any(String), requestKey: 'batch-1:asset-2:facebook:1', model: 'gpt-4o-mini', schemaName: 'post', hadImage: false, status: 401 },
    ])
    expect(log.inFlight).toBe(0)
  })

  it('injects rate limits with retry-after and x-ratelimit headers, server errors and outages through the control API', async () => {
    const body = chatBody()
    await postJson('/openai/_sandbox/faults', { rateLimit: { count: 2, retryAfterSeconds: 7 } })
    for (let i = 0; i < 2; i += 1) {
      const limited = await chat(body)
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toBe('7')
      expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0')
      expect(limited.headers.get('x-ratelimit-reset-requests')).toBe('7s')
      expect(limited.json.error).toMatchObject({ type: 'requests', param: null, code: 'rate_limit_exceeded' })
      expect(limited.json.error.message).toMatch(/Please try again in 7s/)
    }
    expect((await chat(body)).status).toBe(200)

    await postJson('/openai/_sandbox/faults', { serverErrors: { count: 1, status: 500 } })
    const failed = await chat(body)
    expect(failed.status).toBe(500)
    expect(failed.json).toEqual({ error: { message: expect.any(String), type: 'server_error', param: null, code: null } })
    expect((await chat(body)).status).toBe(200)

    await postJson('/openai/_sandbox/faults', { down: true })
    expect((await chat(body)).status).toBe(503)
    expect((await chat(body, null)).status).toBe(503)
    await postJson('/openai/_sandbox/faults', { down: false })
    expect((await chat(body)).status).toBe(200)

    await postJson('/openai/_sandbox/reset', {})
    expect(openai.control.traffic().requests).toEqual([])
  })

  it('counts the calls in flight at once under injected latency', async () => {
    openai.control.setFaults({ latencyMs: 150 })
    const body = chatBody()
    const started = Date.now()
    const statuses = await Promise.all(Array.from({ length: 5 }, () => chat(body).then((r) => r.status)))
    expect(statuses).toEqual([200, 200, 200, 200, 200])
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    const traffic = openai.control.traffic()
    expect(traffic.maxConcurrent).toBe(5)
    expect(traffic.inFlight).toBe(0)
    await chat(body)
    expect(openai.control.traffic().maxConcurrent).toBe(5)
  })
})

describe('Gemini stand-in', () => {
  it('refuses a missing key with 403 PERMISSION_DENIED and a wrong one with 400 API_KEY_INVALID', async () => {
    const missing = await generateContent(geminiBody(), null)
    expect(missing.status).toBe(403)
    expect(missing.json).toEqual({ error: { code: 403, message: expect.stringMatching(/^Method doesn't allow unregistered callers/), status: 'PERMISSION_DENIED' } })

    const wrong = await generateContent(geminiBody(), 'sk-not-a-google-key')
    expect(wrong.status).toBe(400)
    expect(wrong.json.error).toMatchObject({ code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' })
    expect(wrong.json.error.details?.[0]).toMatchObject({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' })

    expect((await generateContent(geminiBody(), 'AIzaSyTestKeyForTheSandbox000')).status).toBe(200)
  })

  it('answers JSON conforming to responseJsonSchema, or to an OpenAPI-style responseSchema, with usageMetadata', async () => {
    const answer = await generateContent(geminiBody())
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({ candidates: [{ content: { role: 'model' }, finishReason: 'STOP', index: 0 }], modelVersion: 'gemini-2.5-flash' })
    const content = JSON.parse(answer.json.candidates[0]!.content.parts[0]!.text) as unknown
    expect(schemaErrors(POST_SCHEMA, content)).toEqual([])
    const usage = answer.json.usageMetadata
    expect(usage.promptTokenCount).toBeGreaterThan(10)
    expect(usage.totalTokenCount).toBe(usage.promptTokenCount! + usage.candidatesTokenCount! + (usage.thoughtsTokenCount ?? 0))

    const openApiSchema = {
      type: 'OBJECT',
      properties: { headline: { type: 'STRING', maxLength: '25' }, score: { type: 'INTEGER', minimum: 0, maximum: 100 }, tags: { type: 'ARRAY', items: { type: 'STRING' }, maxItems: '3' } },
      required: ['headline', 'score', 'tags'],
    }
    const legacy = await generateContent(geminiBody({ generationConfig: { responseMimeType: 'application/json', responseSchema: openApiSchema } }))
    expect(legacy.status).toBe(200)
    const legacyContent = JSON.parse(legacy.json.candidates[0]!.content.parts[0]!.text) as { headline: string; score: number; tags: string[] }
    expect(legacyContent.headline.length).toBeGreaterThan(0)
    expect(Number.isInteger(legacyContent.score)).toBe(true)
  })

  it('refuses unknown fields (labels too: they are Vertex AI’s), a schema without the JSON mime type and unknown models', async () => {
    const unknown = await generateContent({ ...geminiBody(), user: 'someone' })
    expect(unknown.status).toBe(400)
    expect(unknown.json.error).toMatchObject({ status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received. Unknown name "user": Cannot find field.' })

    const noMime = await generateContent(geminiBody({ generationConfig: { responseJsonSchema: POST_SCHEMA } }))
    expect(noMime.status).toBe(400)
    expect(noMime.json.error.message).toMatch(/response_mime_type/)

    const model = await generateContent(geminiBody(), 'test-gemini-key', 'gpt-4o')
    expect(model.status).toBe(404)
    expect(model.json.error.status).toBe('NOT_FOUND')

    const labels = await generateContent(geminiBody({ labels: { request_key: 'batch-1' } }))
    expect(labels.status).toBe(400)
    expect(labels.json.error.message).toBe('Invalid JSON payload received. Unknown name "labels": Cannot find field.')
  })

  it('records inline images, and injects 429 RESOURCE_EXHAUSTED with RetryInfo, 500 and 503', async () => {
    const image = (await jpegImage(32, 32)).toString('base64')
    const withImage = geminiBody({ contents: [{ role: 'user', parts: [{ text: 'Caption this photo of the Autumn Harvest Blend.' }, { inlineData: { mimeType: 'image/jpeg', data: image } }] }] })
    expect((await generateContent(withImage)).status).toBe(200)

    await postJson('/gemini/_sandbox/faults', { rateLimit: { count: 1, retryAfterSeconds: 7 } })
    const limited = await generateContent(geminiBody())
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')
    expect(limited.json.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/^Resource has been exhausted/) })
    expect(limited.json.error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' })

    gemini.control.setFaults({ serverErrors: { count: 2, status: 500 } })
    for (let i = 0; i < 2; i += 1) expect((await generateContent(geminiBody())).json.error).toMatchObject({ code: 500, status: 'INTERNAL' })
    gemini.control.setFaults({ serverErrors: { count: 1, status: 503 } })
    expect((await generateContent(geminiBody())).json.error).toMatchObject({ code: 503, status: 'UNAVAILABLE' })
    gemini.control.setFaults({ down: true })
    expect((await generateContent(geminiBody())).status).toBe(503)
    gemini.control.setFaults({ down: false })

    const log = gemini.control.traffic().requests
    expect(log.map((record) => record.status)).toEqual([200, 429, 500, 500, 503, 503])
    expect(log[0]).toEqual({ at: expect.any(String), requestKey: null, model: 'gemini-2.5-flash', schemaName: 'post', hadImage: true, status: 200 })
    expect(log[1]!.hadImage).toBe(false)
  })
})

describe('the content the stand-ins write', () => {
  const prompt = {
    focus: 'Campaign: Autumn Harvest Blend launch\nKey messages:\n- Single-origin Ethiopian beans\n- Roasted in small batches every Monday\nObjective: pre-orders of the Autumn Harvest Blend',
    rest: 'Brand voice: warm and playful.',
  }

  it('finds the subject of the prompt, not its instructions', () => {
    const phrases = topicPhrases(prompt.focus, prompt.rest).map(({ prose }) => prose)
    expect(phrases[0]).toBe('Autumn Harvest Blend')
    expect(phrases).not.toContain('campaign')
    expect(topicPhrases(prompt.focus, prompt.rest)[0]!.tag).toBe('AutumnHarvestBlend')
  })

  it('keeps every limit the schema states, in keywords or in descriptions', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        hashtags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
        noHashtags: { type: 'array', items: { type: 'string' }, maxItems: 0 },
        headline: { type: 'string', maxLength: 12 },
        body: { type: 'string', description: 'At most 60 characters.' },
        script: { type: 'string', description: 'The spoken script, 75-150 spoken words.' },
        verdict: { type: 'object', properties: { score: { type: 'integer', minimum: 0, maximum: 100 }, reason: { type: 'string' } } },
        size: { type: 'integer', minimum: 3, maximum: 4 },
        tone: { enum: ['warm', 'bold'] },
        nothing: { type: 'null' },
        maybe: { anyOf: [{ type: 'string', maxLength: 20 }, { type: 'null' }] },
      },
    }
    for (const focus of [prompt.focus, 'Winter Spice Latte with oat milk', '']) {
      const value = conformingValue(schema, { focus }) as {
        hashtags: string[]
        noHashtags: string[]
        headline: string
        body: string
        script: string
        verdict: { score: number; reason: string }
        size: number
        tone: string
        nothing: null
        maybe: string
      }
      expect(value.hashtags.length).toBeLessThanOrEqual(3)
      for (const tag of value.hashtags) expect(tag).toMatch(/^[A-Za-z0-9]+$/)
      expect(value.noHashtags).toEqual([])
      expect(value.headline.length).toBeLessThanOrEqual(12)
      expect(value.headline.length).toBeGreaterThan(0)
      expect(value.body.length).toBeLessThanOrEqual(60)
      const words = value.script.split(/\s+/).length
      expect(words).toBeGreaterThanOrEqual(75)
      expect(words).toBeLessThanOrEqual(150)
      expect(value.verdict.score).toBeGreaterThanOrEqual(55)
      expect(value.verdict.score).toBeLessThanOrEqual(95)
      expect(value.verdict.reason).toMatch(/\.$/)
      expect([3, 4]).toContain(value.size)
      expect(['warm', 'bold']).toContain(value.tone)
      expect(value.nothing).toBeNull()
      expect(typeof value.maybe).toBe('string')
      expect(value.maybe.length).toBeLessThanOrEqual(20)
    }
    expect(conformingValue(schema, prompt)).toEqual(conformingValue(schema, prompt))
    expect(conformingValue(schema, { ...prompt, salt: 'gemini' })).not.toEqual(conformingValue(schema, { ...prompt, salt: 'openai' }))
  })

  it('writes in the angle the prompt asks for', () => {
    const text = (angle: string) => conformingValue({ type: 'string', description: 'At most 200 characters.' }, { focus: `${prompt.focus}\nVariation angle: ${angle}.` }) as string
    expect(text('question').split(/(?<=[.?!])\s/)[0]).toMatch(/\?$/)
    expect(text('story')).not.toBe(text('benefit'))
  })
})
