// Stand-in for the Gemini Developer API's generateContent (POST /v1beta/models/{model}:generateContent) as
// the official `@google/genai` SDK calls it: the key in `x-goog-api-key` (or `?key=`; keys starting with AIza
// or test- are accepted), Google's error bodies ({"error":{code,message,status,details}}) for a missing key
// (403 PERMISSION_DENIED), a wrong key (400 INVALID_ARGUMENT with ErrorInfo API_KEY_INVALID), unknown fields,
// unknown models, exhausted quota (429 RESOURCE_EXHAUSTED with RetryInfo) and outages (500 INTERNAL,
// 503 UNAVAILABLE). JSON output follows `generationConfig.responseJsonSchema` (JSON Schema) or
// `responseSchema` (Gemini's OpenAPI subset) with `responseMimeType: application/json`; inline images are
// checked and recorded. Faults and the log are in sandbox/llm-traffic.ts (`control`, /gemini/_sandbox).
import { randomBytes } from 'node:crypto'
import type http from 'node:http'
import { sendJson } from './http'
import { conformingValue, estimateTokens, type JsonSchema } from './llm-content'
import { LlmBodyTooLargeError, createLlmTraffic, readJsonRequest, type ChosenFault, type LlmStandInControl } from './llm-traffic'
import type { StandIn } from './server'

export interface GeminiStandIn extends StandIn {
  control: LlmStandInControl
}

export interface GeminiStandInOptions {
  /** Delay before every answer (default 0); tests and demos change it through `control`. */
  latencyMs?: number
}

/** Gemini's label used for the request key (keys and values: lowercase letters, digits, _ and -, <= 63). */

const TROUBLESHOOTING = 'https://developers.generativeai.google/guide/troubleshooting'

class GeminiError extends Error {
  constructor(
    readonly status: number,
    readonly statusName: string,
    message: string,
    readonly details: unknown[] | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }

  body() {
    return { error: { code: this.status, message: this.message, status: this.statusName, ...(this.details ? { details: this.details } : {}) } }
  }
}

const invalidArgument = (message: string, details: unknown[] | null = null) => new GeminiError(400, 'INVALID_ARGUMENT', message, details)

function unknownField(name: string, at: string | null): GeminiError {
  const where = at ? ` at '${at}'` : ''
  return invalidArgument(`Invalid JSON payload received. Unknown name "${name}"${where}: Cannot find field.`, [
    {
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ field: at ?? '', description: `Invalid JSON payload received. Unknown name "${name}"${where}: Cannot find field.` }],
    },
  ])
}

// No `labels`: request labels are Vertex AI's; the Developer API refuses them like any unknown field.
const REQUEST_FIELDS = new Set(['contents', 'systemInstruction', 'system_instruction', 'generationConfig', 'generation_config', 'safetySettings', 'safety_settings', 'tools', 'toolConfig', 'tool_config', 'cachedContent', 'cached_content', 'serviceTier', 'store'])
const GENERATION_CONFIG_FIELDS = new Set([
  'temperature',
  'topP',
  'topK',
  'candidateCount',
  'maxOutputTokens',
  'stopSequences',
  'responseLogprobs',
  'logprobs',
  'presencePenalty',
  'frequencyPenalty',
  'seed',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'responseModalities',
  'mediaResolution',
  'speechConfig',
  'thinkingConfig',
  'imageConfig',
  'enableEnhancedCivicAnswers',
  'audioTranscriptionConfig',
])
const IMAGE_MIME_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'])

interface ParsedGenerateRequest {
  systemText: string
  userText: string
  imageCount: number
  json: boolean
  schema: JsonSchema | null
  maxOutputTokens: number | null
}

function partsOf(content: unknown, at: string): Record<string, unknown>[] {
  if (typeof content !== 'object' || content === null) throw invalidArgument(`* GenerateContentRequest.${at}: must be an object\n`)
  const parts = (content as Record<string, unknown>).parts
  if (!Array.isArray(parts) || parts.length === 0) throw invalidArgument(`* GenerateContentRequest.${at}.parts: contents.parts must not be empty.\n`)
  return parts as Record<string, unknown>[]
}

function isImage(mimeType: string, bytes: Buffer): boolean {
  if (mimeType === 'image/jpeg') return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
  if (mimeType === 'image/png') return bytes.subarray(1, 4).toString('latin1') === 'PNG'
  if (mimeType === 'image/webp') return bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  return bytes.length > 0
}

function parseGenerateRequest(body: Record<string, unknown>): ParsedGenerateRequest {
  for (const key of Object.keys(body)) if (!REQUEST_FIELDS.has(key)) throw unknownField(key, null)
  const contents = body.contents
  if (!Array.isArray(contents) || contents.length === 0) throw invalidArgument('* GenerateContentRequest.contents: contents is not specified\n')
  const user: string[] = []
  const system: string[] = []
  let imageCount = 0
  for (const [index, content] of contents.entries()) {
    const role = (content as Record<string, unknown> | null)?.role
    if (role !== undefined && role !== 'user' && role !== 'model') {
      throw invalidArgument(`Please use a valid role: user, model.`)
    }
    for (const [partIndex, part] of partsOf(content, `contents[${index}]`).entries()) {
      if (typeof part.text === 'string') user.push(part.text)
      else if (part.inlineData && typeof part.inlineData === 'object') {
        const { mimeType, data } = part.inlineData as Record<string, unknown>
        if (typeof mimeType !== 'string' || mimeType === '') throw invalidArgument(`* GenerateContentRequest.contents[${index}].parts[${partIndex}].inline_data.mime_type: mime_type must be specified\n`)
        if (typeof data !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(data)) {
          throw invalidArgument(`Invalid value at 'contents[${index}].parts[${partIndex}].inline_data.data' (TYPE_BYTES), Base64 decoding failed for "${String(data).slice(0, 40)}"`)
        }
        if (mimeType.startsWith('image/')) {
          if (!IMAGE_MIME_TYPES.has(mimeType)) throw invalidArgument(`Unsupported MIME type: ${mimeType}`)
          if (!isImage(mimeType, Buffer.from(data, 'base64'))) throw invalidArgument(`Unable to process input image. Please retry or report in ${TROUBLESHOOTING}`)
          imageCount += 1
        }
      } else if (!part.fileData && !part.functionCall && !part.functionResponse) {
        throw invalidArgument(`* GenerateContentRequest.contents[${index}].parts[${partIndex}].data: required oneof field 'data' must have one initialized field\n`)
      }
    }
  }
  const systemInstruction = body.systemInstruction ?? body.system_instruction
  if (systemInstruction !== undefined) {
    for (const part of partsOf(systemInstruction, 'system_instruction')) if (typeof part.text === 'string') system.push(part.text)
  }

  const config = (body.generationConfig ?? body.generation_config ?? {}) as Record<string, unknown>
  for (const key of Object.keys(config)) if (!GENERATION_CONFIG_FIELDS.has(key)) throw unknownField(key, 'generation_config')
  const mimeType = config.responseMimeType ?? 'text/plain'
  if (!['text/plain', 'application/json', 'text/x.enum'].includes(String(mimeType))) {
    throw invalidArgument(`* GenerateContentRequest.generation_config.response_mime_type: allowed mimetypes are \`text/plain\`, \`application/json\` and \`text/x.enum\`.\n`)
  }
  const hasSchema = config.responseSchema !== undefined
  const hasJsonSchema = config.responseJsonSchema !== undefined
  if (hasSchema && hasJsonSchema) throw invalidArgument('* GenerateContentRequest.generation_config: response_schema and response_json_schema cannot both be set.\n')
  if ((hasSchema || hasJsonSchema) && mimeType !== 'application/json' && mimeType !== 'text/x.enum') {
    throw invalidArgument('* GenerateContentRequest.generation_config.response_mime_type: allowed mimetypes are `application/json` and `text/x.enum` when response_schema is set.\n')
  }
  const schema = (config.responseJsonSchema ?? config.responseSchema ?? null) as JsonSchema | null
  if (schema !== null && (typeof schema !== 'object' || Array.isArray(schema))) throw invalidArgument(`Invalid value at 'generation_config.response_schema': expected an object.`)

  const maxOutputTokens = typeof config.maxOutputTokens === 'number' ? config.maxOutputTokens : null
  return { systemText: system.join('\n'), userText: user.join('\n'), imageCount, json: mimeType === 'application/json', schema, maxOutputTokens }
}

function faultError(fault: ChosenFault, model: string): GeminiError {
  if (fault.kind === 'rate_limited') {
    const seconds = fault.retryAfterSeconds
    return new GeminiError(
      429,
      'RESOURCE_EXHAUSTED',
      'Resource has been exhausted (e.g. check quota).',
      [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            {
              quotaMetric: 'generativelanguage.googleapis.com/generate_content_requests',
              quotaId: 'GenerateRequestsPerMinutePerProjectPerModel',
              quotaDimensions: { location: 'global', model },
              quotaValue: '1000',
            },
          ],
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${seconds}s` },
      ],
      { 'retry-after': String(Math.ceil(seconds)) },
    )
  }
  if (fault.kind === 'server_error' && fault.status !== 503) {
    return new GeminiError(fault.status, fault.status === 504 ? 'DEADLINE_EXCEEDED' : 'INTERNAL', `An internal error has occurred. Please retry or report in ${TROUBLESHOOTING}`)
  }
  return new GeminiError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')
}

function authenticate(request: http.IncomingMessage, url: URL): void {
  const header = request.headers['x-goog-api-key']
  const key = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('key') ?? ''
  if (!key) {
    throw new GeminiError(
      403,
      'PERMISSION_DENIED',
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    )
  }
  if (!key.startsWith('AIza') && !key.startsWith('test-')) {
    throw invalidArgument('API key not valid. Please pass a valid API key.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: 'API key not valid. Please pass a valid API key.' },
    ])
  }
}

/** Token cost of one image for Gemini 2.x models (an image up to 384 px on both sides). */
const IMAGE_TOKENS = 258

export function createGeminiStandIn(options: GeminiStandInOptions = {}): GeminiStandIn {
  const traffic = createLlmTraffic({ latencyMs: options.latencyMs })

  function generate(model: string, parsed: ParsedGenerateRequest) {
    const prompt = { focus: parsed.userText, rest: parsed.systemText, salt: 'gemini' }
    let text = parsed.json
      ? JSON.stringify(conformingValue(parsed.schema ?? { type: 'object', properties: { text: { type: 'string' } } }, prompt))
      : String(conformingValue({ type: 'string', description: 'at most 1200 characters' }, prompt))
    let finishReason = 'STOP'
    if (parsed.maxOutputTokens !== null && estimateTokens(text) > parsed.maxOutputTokens) {
      text = text.slice(0, parsed.maxOutputTokens * 4)
      finishReason = 'MAX_TOKENS'
    }
    const textTokens = estimateTokens(parsed.systemText) + estimateTokens(parsed.userText)
    const promptTokenCount = textTokens + parsed.imageCount * IMAGE_TOKENS
    const candidatesTokenCount = estimateTokens(text)
    // 2.5 models think before answering, and bill those tokens as output.
    const thoughtsTokenCount = /^gemini-2\.5/.test(model) ? Math.ceil(candidatesTokenCount / 2) : 0
    return {
      candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason, index: 0 }],
      usageMetadata: {
        promptTokenCount,
        candidatesTokenCount,
        totalTokenCount: promptTokenCount + candidatesTokenCount + thoughtsTokenCount,
        ...(thoughtsTokenCount > 0 ? { thoughtsTokenCount } : {}),
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: textTokens }, ...(parsed.imageCount > 0 ? [{ modality: 'IMAGE', tokenCount: parsed.imageCount * IMAGE_TOKENS }] : [])],
      },
      modelVersion: model,
      responseId: randomBytes(12).toString('base64url'),
    }
  }

  function sendError(response: http.ServerResponse, error: GeminiError) {
    for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value)
    sendJson(response, error.status, error.body())
  }

  async function generateContent(model: string, url: URL, request: http.IncomingMessage, response: http.ServerResponse) {
    await traffic.track(response, async (record, wait) => {
      record.model = model
      let parsed: ParsedGenerateRequest | null = null
      let error: GeminiError | null = null
      try {
        const object = await readJsonRequest(request)
        // The log keeps what the call said even when it is refused.
        // Gemini calls carry no caller key (no labels on the Developer API).
        record.requestKey = null
        const config = object?.generationConfig as Record<string, unknown> | undefined
        const schema = (config?.responseJsonSchema ?? config?.responseSchema) as Record<string, unknown> | undefined
        record.schemaName = typeof schema?.title === 'string' ? schema.title : null
        record.hadImage = JSON.stringify(object?.contents ?? []).includes('"inlineData"')
        if (traffic.isDown()) throw faultError({ kind: 'down' }, model)
        authenticate(request, url)
        const fault = traffic.takeFault()
        if (fault) throw faultError(fault, model)
        if (!/^(gemini|gemma)-[0-9a-z.-]+$/.test(model)) {
          throw new GeminiError(404, 'NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`)
        }
        if (!object) throw invalidArgument('Invalid JSON payload received. Expected an object.')
        parsed = parseGenerateRequest(object)
        record.hadImage = parsed.imageCount > 0
      } catch (caught) {
        if (caught instanceof LlmBodyTooLargeError) error = new GeminiError(413, 'INVALID_ARGUMENT', caught.message)
        else if (caught instanceof GeminiError) error = caught
        else throw caught
      }
      if (!(await wait())) return
      if (error || !parsed) return sendError(response, error ?? invalidArgument('The request could not be read.'))
      sendJson(response, 200, generate(model, parsed))
    })
  }

  return {
    prefix: '/gemini',
    imitates: 'Google Gemini API (generativelanguage.googleapis.com/v1beta/models/{model}:generateContent)',
    control: traffic.control,
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://sandbox.local')
      const path = url.pathname.slice('/gemini'.length) || '/'
      const method = request.method ?? 'GET'
      if (await traffic.handleControl(path, method, request, response)) return
      const match = /^\/v1(?:beta)?\/models\/([^/:]+):generateContent$/.exec(decodeURIComponent(path))
      if (match && method === 'POST') return generateContent(match[1]!, url, request, response)
      sendError(response, new GeminiError(404, 'NOT_FOUND', `The requested URL ${path} was not found on this server.`))
    },
  }
}
