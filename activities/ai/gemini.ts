// The Gemini provider: the official `@google/genai` SDK against the Gemini Developer API, JSON output through
// responseMimeType + responseJsonSchema, the asset's JPEG preview as an inline image part, the variation's
// seed as `seed`. No request labels: the Developer API does not take them (they are Vertex AI's), so the
// request key is not sent. The SDK retries nothing unless retryOptions is set, and it is not: Temporal
// retries the activity.
import { GoogleGenAI, type GenerateContentConfig, type GenerateContentResponse, type Part } from '@google/genai'
import { generationPrompt, judgePrompt } from './prompts'
import { classifyGeminiError } from './provider-errors'
import { judgeJsonSchema, parseJudgeOutput, parseVariantOutput, variantJsonSchema, type JsonSchema } from './schemas'
import { ProviderError, type AiProviderClient, type TokenUsage } from './types'

export interface GeminiProviderOptions {
  apiKey: string
  /** Overrides https://generativelanguage.googleapis.com (a proxy, or the sandbox stand-in at <sandbox>/gemini). */
  baseUrl?: string
  model?: string
  /** Longest one call may take (default 60 s). */
  timeoutMs?: number
}

export const GEMINI_DEFAULT_MODEL = 'gemini-2.5-flash'

/** The label that carries the request key. */

/** Finish reasons that mean Google would not answer this request, however often it is asked. */
const REFUSED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE'])

function answerOf(response: GenerateContentResponse): unknown {
  const blocked = response.promptFeedback?.blockReason
  if (blocked) throw new ProviderError('gemini', 'bad_request', `Gemini: the prompt was blocked (${blocked}).`)
  const candidate = response.candidates?.[0]
  if (!candidate) throw new ProviderError('gemini', 'bad_output', 'Gemini: the answer has no candidates.')
  const finishReason = candidate.finishReason ?? 'STOP'
  if (REFUSED.has(finishReason)) throw new ProviderError('gemini', 'bad_request', `Gemini: the answer was stopped (${finishReason}).`)
  if (finishReason === 'MAX_TOKENS') throw new ProviderError('gemini', 'bad_output', 'Gemini: the answer was cut off at the token limit.')
  // Thought parts (thinking models) are not the answer.
  const text = (candidate.content?.parts ?? [])
    .filter((part) => !part.thought && typeof part.text === 'string')
    .map((part) => part.text)
    .join('')
  if (text.trim() === '') throw new ProviderError('gemini', 'bad_output', 'Gemini: the answer is empty.')
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ProviderError('gemini', 'bad_output', 'Gemini: the answer is not valid JSON.')
  }
}

function usageOf(response: GenerateContentResponse): TokenUsage {
  const usage = response.usageMetadata
  // Thinking tokens are billed as output.
  return { inputTokens: usage?.promptTokenCount ?? 0, outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0) }
}

export function createGeminiProvider(options: GeminiProviderOptions): AiProviderClient {
  const model = options.model ?? GEMINI_DEFAULT_MODEL
  const ai = new GoogleGenAI({
    apiKey: options.apiKey,
    httpOptions: { timeout: options.timeoutMs ?? 60_000, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) },
  })

  async function generateJson(parts: Part[], system: string, schema: JsonSchema, extra: Partial<GenerateContentConfig>, signal?: AbortSignal) {
    try {
      return await ai.models.generateContent({
        model,
        contents: [{ role: 'user', parts }],
        config: {
          ...extra,
          systemInstruction: system,
          responseMimeType: 'application/json',
          responseJsonSchema: schema,
          abortSignal: signal,
        },
      })
    } catch (error) {
      throw classifyGeminiError(error, { signal, apiKey: options.apiKey })
    }
  }

  return {
    id: 'gemini',
    model,
    supportsImages: true,

    async generate(request, signal) {
      const prompt = generationPrompt(request)
      const image = request.asset?.image ?? null
      const parts: Part[] = [{ text: prompt.user }]
      if (image) parts.push({ inlineData: { mimeType: image.mimeType, data: image.base64 } })
      const response = await generateJson(parts, prompt.system, variantJsonSchema(request.format, 'gemini'), { seed: Math.trunc(request.seed) }, signal)
      return {
        content: parseVariantOutput('gemini', request.format, answerOf(response)),
        provider: 'gemini',
        model: response.modelVersion ?? model,
        usage: usageOf(response),
        sawImage: image !== null,
      }
    },

    async judge(request, signal) {
      const prompt = judgePrompt(request)
      const response = await generateJson([{ text: prompt.user }], prompt.system, judgeJsonSchema(request.variants.length), {}, signal)
      return {
        verdicts: parseJudgeOutput('gemini', answerOf(response), request.variants.length),
        provider: 'gemini',
        model: response.modelVersion ?? model,
        usage: usageOf(response),
      }
    },

    async completeJson(request, signal) {
      const response = await generateJson([{ text: request.user }], request.system, { title: request.schemaName, ...request.schema }, {}, signal)
      return { value: answerOf(response), provider: 'gemini', model: response.modelVersion ?? model, usage: usageOf(response) }
    },
  }
}
