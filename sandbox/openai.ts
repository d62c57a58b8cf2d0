// Stand-in for OpenAI's Chat Completions API (POST /v1/chat/completions) as the official `openai` SDK calls
// it: Bearer keys (any key starting with sk-), OpenAI's error bodies ({"error":{message,type,param,code}})
// for a missing or wrong key, a malformed request, an unknown model, a schema that strict Structured Outputs
// would refuse, rate limits (429 with retry-after and x-ratelimit-* headers) and server errors. Answers are
// `chat.completion` objects whose message is JSON conforming to the requested schema (sandbox/llm-content.ts),
// with usage estimated from lengths. Faults and the request log are in sandbox/llm-traffic.ts, reachable as
// `control` in-process and under /openai/_sandbox over HTTP. Every createOpenAiStandIn() is a fresh OpenAI.
import { randomBytes } from 'node:crypto'
import type http from 'node:http'
import { sendJson } from './http'
import { conformingValue, estimateTokens, type JsonSchema } from './llm-content'
import { LlmBodyTooLargeError, createLlmTraffic, readJsonRequest, type ChosenFault, type LlmStandInControl } from './llm-traffic'
import type { StandIn } from './server'

export interface OpenAiStandIn extends StandIn {
  control: LlmStandInControl
}

export interface OpenAiStandInOptions {
  /** Delay before every answer (default 0); tests and demos change it through `control`. */
  latencyMs?: number
}

class OpenAiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }

  body() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } }
  }
}

const invalidRequest = (message: string, param: string | null = null, code: string | null = null) => new OpenAiError(400, message, 'invalid_request_error', param, code)

/** The model families the real API serves for chat completions; anything else is "does not exist". */
const CHAT_MODEL = /^(gpt-[0-9a-z.-]+|o[1-9][a-z0-9.-]*|chatgpt-[0-9a-z.-]+)$/

/** JSON Schema keywords strict Structured Outputs refuses ("'<keyword>' is not permitted"). */
const STRICT_UNSUPPORTED = [
  'minLength',
  'maxLength',
  'patternProperties',
  'unevaluatedProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'unevaluatedItems',
  'contains',
  'minContains',
  'maxContains',
  'uniqueItems',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
]
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'])

/** Why strict mode would refuse `schema`, in OpenAI's wording; null when it is acceptable. */
export function strictSchemaProblem(schema: unknown): string | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return "schema must be a JSON Schema of 'type: \"object\"'."
  const root = schema as JsonSchema
  if (root.type !== 'object') return `schema must be a JSON Schema of 'type: "object"', got 'type: "${String(root.type ?? 'None')}"'.`
  let propertyCount = 0
  const visit = (node: JsonSchema, context: string[], depth: number): string | null => {
    const where = `In context=(${context.map((part) => `'${part}'`).join(', ')}${context.length === 1 ? ',' : ''})`
    if (depth > 10) return `${where}, the schema exceeds the maximum nesting depth of 10.`
    for (const keyword of STRICT_UNSUPPORTED) if (keyword in node) return `${where}, '${keyword}' is not permitted.`
    const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type]
    for (const type of types) if (typeof type !== 'string' || !JSON_TYPES.has(type)) return `${where}, '${String(type)}' is not a valid type.`
    if (types.length === 0 && !node.anyOf && !node.$ref && !('enum' in node) && !('const' in node)) return `${where}, schema must have a 'type' key.`
    if (types.includes('object')) {
      const properties = (node.properties ?? {}) as Record<string, JsonSchema>
      if (node.additionalProperties !== false) return `${where}, 'additionalProperties' is required to be supplied and to be false.`
      const required = Array.isArray(node.required) ? node.required : []
      const missing = Object.keys(properties).filter((key) => !required.includes(key))
      if (missing.length > 0) return `${where}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`
      for (const [key, property] of Object.entries(properties)) {
        propertyCount += 1
        const problem = visit(property, [...context, 'properties', key], depth + 1)
        if (problem) return problem
      }
    }
    if (node.items && typeof node.items === 'object') {
      const problem = visit(node.items as JsonSchema, [...context, 'items'], depth + 1)
      if (problem) return problem
    }
    if (Array.isArray(node.anyOf)) {
      for (const [index, branch] of node.anyOf.entries()) {
        const problem = visit(branch as JsonSchema, [...context, 'anyOf', String(index)], depth + 1)
        if (problem) return problem
      }
    }
    for (const defsKey of ['$defs', 'definitions'] as const) {
      const defs = node[defsKey]
      if (defs && typeof defs === 'object') {
        for (const [key, definition] of Object.entries(defs as Record<string, JsonSchema>)) {
          const problem = visit(definition, [...context, defsKey, key], depth + 1)
          if (problem) return problem
        }
      }
    }
    return null
  }
  return visit(root, [], 1) ?? (propertyCount > 5000 ? 'the schema has more than 5000 object properties.' : null)
}

const IMAGE_SIGNATURES: [string, (bytes: Buffer) => boolean][] = [
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['image/gif', (b) => b.subarray(0, 4).toString('latin1') === 'GIF8'],
  ['image/webp', (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'],
]

interface ParsedChatRequest {
  model: string
  systemText: string
  userText: string
  imageCount: number
  schema: JsonSchema | null
  schemaName: string | null
  responseType: 'text' | 'json_object' | 'json_schema'
  user: string | null
  maxTokens: number | null
  choices: number
}

function validateImageUrl(url: unknown, param: string): void {
  if (typeof url !== 'string') throw invalidRequest(`Invalid type for '${param}': expected a string, but got ${url === null ? 'null' : typeof url} instead.`, param, 'invalid_type')
  if (/^https?:\/\//.test(url)) return
  const match = /^data:(image\/[a-z+.-]+);base64,([A-Za-z0-9+/=\s]*)$/.exec(url)
  if (!match) {
    throw invalidRequest(`Invalid '${param}'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got an invalid data URL.`, param, 'invalid_value')
  }
  const bytes = Buffer.from(match[2]!, 'base64')
  if (!IMAGE_SIGNATURES.some(([, test]) => test(bytes))) {
    throw invalidRequest("You uploaded an unsupported image. Please make sure your image is below 20 MB in size and is of one the following formats: ['png', 'jpeg', 'gif', 'webp'].", null, 'invalid_image_format')
  }
}

function parseChatRequest(body: Record<string, unknown>): ParsedChatRequest {
  const model = body.model
  if (model === undefined) throw invalidRequest('you must provide a model parameter')
  if (typeof model !== 'string') throw invalidRequest(`Invalid type for 'model': expected a string, but got ${typeof model} instead.`, 'model', 'invalid_type')
  if (!CHAT_MODEL.test(model)) throw new OpenAiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found')

  const messages = body.messages
  if (messages === undefined) throw invalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter')
  if (!Array.isArray(messages)) throw invalidRequest(`Invalid type for 'messages': expected an array of objects, but got ${typeof messages} instead.`, 'messages', 'invalid_type')
  if (messages.length === 0) throw invalidRequest("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array')
  const system: string[] = []
  const user: string[] = []
  let imageCount = 0
  for (const [index, message] of messages.entries()) {
    const at = `messages[${index}]`
    if (typeof message !== 'object' || message === null) throw invalidRequest(`Invalid type for '${at}': expected an object, but got ${typeof message} instead.`, at, 'invalid_type')
    const { role, content } = message as Record<string, unknown>
    if (!['system', 'developer', 'user', 'assistant', 'tool', 'function'].includes(String(role))) {
      throw invalidRequest(`Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`, `${at}.role`, 'invalid_value')
    }
    const texts = role === 'system' || role === 'developer' ? system : user
    if (typeof content === 'string') texts.push(content)
    else if (Array.isArray(content)) {
      for (const [partIndex, part] of content.entries()) {
        const partAt = `${at}.content[${partIndex}]`
        const type = (part as Record<string, unknown> | null)?.type
        if (type === 'text') {
          const text = (part as Record<string, unknown>).text
          if (typeof text !== 'string') throw invalidRequest(`Missing required parameter: '${partAt}.text'.`, `${partAt}.text`, 'missing_required_parameter')
          texts.push(text)
        } else if (type === 'image_url') {
          if (role !== 'user') throw invalidRequest(`Invalid '${at}'. Image URLs are only allowed for messages with role 'user', but this message with role '${String(role)}' contains an image URL.`, at, 'invalid_value')
          const imageUrl = (part as Record<string, unknown>).image_url as Record<string, unknown> | undefined
          validateImageUrl(imageUrl?.url, `${partAt}.image_url.url`)
          if (imageUrl?.detail !== undefined && !['auto', 'low', 'high'].includes(String(imageUrl.detail))) {
            throw invalidRequest(`Invalid value: '${String(imageUrl.detail)}'. Supported values are: 'auto', 'low', and 'high'.`, `${partAt}.image_url.detail`, 'invalid_value')
          }
          imageCount += 1
        } else {
          throw invalidRequest(`Invalid value: '${String(type)}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', and 'file'.`, `${partAt}.type`, 'invalid_value')
        }
      }
    } else if (content !== null || role !== 'assistant') {
      throw invalidRequest(`Invalid type for '${at}.content': expected one of a string or array of objects, but got ${content === null ? 'null' : typeof content} instead.`, `${at}.content`, 'invalid_type')
    }
  }

  let responseType: ParsedChatRequest['responseType'] = 'text'
  let schema: JsonSchema | null = null
  let schemaName: string | null = null
  const format = body.response_format as Record<string, unknown> | undefined
  if (format !== undefined) {
    if (typeof format !== 'object' || format === null) throw invalidRequest("Invalid type for 'response_format': expected an object.", 'response_format', 'invalid_type')
    if (!['text', 'json_object', 'json_schema'].includes(String(format.type))) {
      throw invalidRequest(`Invalid value: '${String(format.type)}'. Supported values are: 'text', 'json_object', and 'json_schema'.`, 'response_format.type', 'invalid_value')
    }
    responseType = format.type as ParsedChatRequest['responseType']
    if (responseType === 'json_object' && ![...system, ...user].some((text) => /json/i.test(text))) {
      throw invalidRequest("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages', null)
    }
    if (responseType === 'json_schema') {
      const spec = format.json_schema as Record<string, unknown> | undefined
      if (!spec || typeof spec !== 'object') throw invalidRequest("Missing required parameter: 'response_format.json_schema'.", 'response_format.json_schema', 'missing_required_parameter')
      if (typeof spec.name !== 'string') throw invalidRequest("Missing required parameter: 'response_format.json_schema.name'.", 'response_format.json_schema.name', 'missing_required_parameter')
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
        throw invalidRequest("Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", 'response_format.json_schema.name', 'invalid_value')
      }
      schemaName = spec.name
      if (spec.strict !== undefined && spec.strict !== null && typeof spec.strict !== 'boolean') {
        throw invalidRequest("Invalid type for 'response_format.json_schema.strict': expected a boolean.", 'response_format.json_schema.strict', 'invalid_type')
      }
      if (spec.schema !== undefined && (typeof spec.schema !== 'object' || spec.schema === null)) {
        throw invalidRequest("Invalid type for 'response_format.json_schema.schema': expected an object.", 'response_format.json_schema.schema', 'invalid_type')
      }
      schema = (spec.schema as JsonSchema | undefined) ?? { type: 'object', properties: {} }
      if (spec.strict === true) {
        const problem = strictSchemaProblem(schema)
        if (problem) throw invalidRequest(`Invalid schema for response_format '${spec.name}': ${problem}`, 'response_format', 'invalid_json_schema')
      }
    }
  }

  if (body.user !== undefined && typeof body.user !== 'string') throw invalidRequest(`Invalid type for 'user': expected a string, but got ${typeof body.user} instead.`, 'user', 'invalid_type')
  if (typeof body.user === 'string' && body.user.length > 512) throw invalidRequest("Invalid 'user': string too long. Expected a string with maximum length 512.", 'user', 'string_above_max_length')
  if (body.seed !== undefined && body.seed !== null && !Number.isInteger(body.seed)) throw invalidRequest(`Invalid type for 'seed': expected an integer, but got ${typeof body.seed} instead.`, 'seed', 'invalid_type')
  const maxTokens = body.max_completion_tokens ?? body.max_tokens
  if (maxTokens !== undefined && maxTokens !== null && (!Number.isInteger(maxTokens) || (maxTokens as number) < 1)) {
    throw invalidRequest(`Invalid 'max_completion_tokens': expected an integer of at least 1.`, 'max_completion_tokens', 'invalid_value')
  }
  const n = body.n ?? 1
  if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 128) throw invalidRequest("Invalid 'n': expected an integer between 1 and 128.", 'n', 'invalid_value')

  return {
    model,
    systemText: system.join('\n'),
    userText: user.join('\n'),
    imageCount,
    schema,
    schemaName,
    responseType,
    user: typeof body.user === 'string' ? body.user : null,
    maxTokens: typeof maxTokens === 'number' ? maxTokens : null,
    choices: n as number,
  }
}

/** What OpenAI shows of a wrong key: its start and end, the rest masked. */
function maskKey(key: string): string {
  return key.length <= 8 ? `${key.slice(0, 2)}****` : `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 40))}${key.slice(-4)}`
}

function authenticate(request: http.IncomingMessage): void {
  const header = request.headers.authorization
  const key = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : ''
  if (!key) {
    throw new OpenAiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
      'invalid_request_error',
      null,
      'invalid_api_key',
    )
  }
  if (!key.startsWith('sk-')) {
    throw new OpenAiError(401, `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key')
  }
}

const requestId = () => `req_${randomBytes(16).toString('hex')}`

function faultError(fault: ChosenFault, model: string | null): OpenAiError {
  if (fault.kind === 'rate_limited') {
    const seconds = fault.retryAfterSeconds
    return new OpenAiError(
      429,
      `Rate limit reached for ${model ?? 'gpt-4o-mini'} in organization org-sandbox on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${seconds}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      'requests',
      null,
      'rate_limit_exceeded',
      {
        'retry-after': String(Math.ceil(seconds)),
        'retry-after-ms': String(Math.round(seconds * 1000)),
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': `${seconds}s`,
        'x-ratelimit-limit-tokens': '200000',
        'x-ratelimit-remaining-tokens': '199000',
        'x-ratelimit-reset-tokens': '300ms',
      },
    )
  }
  if (fault.kind === 'server_error' && fault.status !== 503) {
    return new OpenAiError(fault.status, 'The server had an error while processing your request. Sorry about that!', 'server_error')
  }
  return new OpenAiError(503, 'The server is overloaded or not ready yet.', 'server_error')
}

export function createOpenAiStandIn(options: OpenAiStandInOptions = {}): OpenAiStandIn {
  const traffic = createLlmTraffic({ latencyMs: options.latencyMs })

  function completion(parsed: ParsedChatRequest) {
    const promptTokens = estimateTokens(parsed.systemText) + estimateTokens(parsed.userText) + parsed.imageCount * 85 + 7
    const choices = Array.from({ length: parsed.choices }, (_, index) => {
      const focus = index === 0 ? parsed.userText : `${parsed.userText}\n(choice ${index})`
      let content =
        parsed.responseType === 'text'
          ? String(conformingValue({ type: 'string', description: 'at most 1200 characters' }, { focus, rest: parsed.systemText, salt: 'openai' }))
          : JSON.stringify(conformingValue(parsed.schema ?? { type: 'object', properties: { text: { type: 'string' } } }, { focus, rest: parsed.systemText, salt: 'openai' }))
      let finishReason = 'stop'
      if (parsed.maxTokens !== null && estimateTokens(content) > parsed.maxTokens) {
        content = content.slice(0, parsed.maxTokens * 4)
        finishReason = 'length'
      }
      return { index, message: { role: 'assistant', content, refusal: null, annotations: [] }, logprobs: null, finish_reason: finishReason }
    })
    const completionTokens = choices.reduce((sum, choice) => sum + estimateTokens(choice.message.content), 0)
    return {
      id: `chatcmpl-${randomBytes(15).toString('base64url')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: parsed.model,
      choices,
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_sandbox',
    }
  }

  function sendError(response: http.ServerResponse, error: OpenAiError) {
    for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value)
    response.setHeader('x-request-id', requestId())
    sendJson(response, error.status, error.body())
  }

  async function chatCompletions(request: http.IncomingMessage, response: http.ServerResponse) {
    await traffic.track(response, async (record, wait) => {
      let parsed: ParsedChatRequest | null = null
      let error: OpenAiError | null = null
      try {
        const object = await readJsonRequest(request)
        // The log keeps what the call said even when it is refused.
        record.model = typeof object?.model === 'string' ? object.model : null
        record.requestKey = typeof object?.user === 'string' ? object.user : null
        const format = object?.response_format as { json_schema?: { name?: unknown } } | undefined
        record.schemaName = typeof format?.json_schema?.name === 'string' ? format.json_schema.name : null
        record.hadImage = JSON.stringify(object?.messages ?? []).includes('"image_url"')
        if (traffic.isDown()) throw faultError({ kind: 'down' }, record.model)
        authenticate(request)
        const fault = traffic.takeFault()
        if (fault) throw faultError(fault, record.model)
        if (!object) {
          throw invalidRequest(
            "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
          )
        }
        parsed = parseChatRequest(object)
        record.hadImage = parsed.imageCount > 0
      } catch (caught) {
        if (caught instanceof LlmBodyTooLargeError) error = new OpenAiError(413, caught.message, 'invalid_request_error')
        else if (caught instanceof OpenAiError) error = caught
        else throw caught
      }
      if (!(await wait())) return
      if (error || !parsed) return sendError(response, error ?? invalidRequest('The request could not be read.'))
      const started = Date.now()
      const body = completion(parsed)
      response.setHeader('x-request-id', requestId())
      response.setHeader('openai-processing-ms', String(Date.now() - started))
      response.setHeader('x-ratelimit-limit-requests', '500')
      response.setHeader('x-ratelimit-remaining-requests', '499')
      response.setHeader('x-ratelimit-reset-requests', '120ms')
      sendJson(response, 200, body)
    })
  }

  return {
    prefix: '/openai',
    imitates: 'OpenAI API (api.openai.com/v1/chat/completions, structured outputs)',
    control: traffic.control,
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://sandbox.local')
      const path = url.pathname.slice('/openai'.length) || '/'
      const method = request.method ?? 'GET'
      if (await traffic.handleControl(path, method, request, response)) return
      if (path === '/v1/chat/completions' && method === 'POST') return chatCompletions(request, response)
      sendError(response, new OpenAiError(404, `Invalid URL (${method} ${path})`, 'invalid_request_error'))
    },
  }
}
