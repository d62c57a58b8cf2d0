// The OpenAI provider: the official `openai` SDK, Chat Completions with strict Structured Outputs
// (response_format json_schema), the asset's JPEG preview as a low-detail image part, the request key as
// `user` and the variation's seed as `seed`. The SDK's own retries are off (maxRetries 0): Temporal retries
// the activity, honouring the retry-after a 429 carries, so one place decides how long to wait.
import OpenAI from 'openai'
import type { ChatCompletion, ChatCompletionContentPart, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions'
import { generationPrompt, judgePrompt } from './prompts'
import { classifyOpenAiError } from './provider-errors'
import { JUDGE_SCHEMA_NAME, judgeJsonSchema, parseJudgeOutput, parseVariantOutput, variantJsonSchema, variantSchemaName, type JsonSchema } from './schemas'
import { ProviderError, type AiProviderClient, type TokenUsage } from './types'

export interface OpenAiProviderOptions {
  apiKey: string
  /** Overrides https://api.openai.com/v1 (a proxy, or the sandbox stand-in at <sandbox>/openai/v1). */
  baseURL?: string
  model?: string
  /** Longest one call may take (default 60 s). */
  timeoutMs?: number
}

export const OPENAI_DEFAULT_MODEL = 'gpt-4o-mini'

/** The completion's JSON answer; refusals and cut-off answers are errors of their own kind. */
function answerOf(completion: ChatCompletion): unknown {
  const choice = completion.choices[0]
  if (!choice) throw new ProviderError('openai', 'bad_output', 'OpenAI: the completion has no choices.')
  if (choice.message.refusal) throw new ProviderError('openai', 'bad_request', `OpenAI: the model refused: ${choice.message.refusal}`)
  if (choice.finish_reason === 'content_filter') throw new ProviderError('openai', 'bad_request', 'OpenAI: the answer was stopped by the content filter.')
  if (choice.finish_reason === 'length') throw new ProviderError('openai', 'bad_output', 'OpenAI: the answer was cut off at the token limit.')
  const content = choice.message.content
  if (!content) throw new ProviderError('openai', 'bad_output', 'OpenAI: the answer is empty.')
  try {
    return JSON.parse(content) as unknown
  } catch {
    throw new ProviderError('openai', 'bad_output', 'OpenAI: the answer is not valid JSON.')
  }
}

function usageOf(completion: ChatCompletion): TokenUsage {
  return { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 }
}

export function createOpenAiProvider(options: OpenAiProviderOptions): AiProviderClient {
  const model = options.model ?? OPENAI_DEFAULT_MODEL
  const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0, timeout: options.timeoutMs ?? 60_000 })

  async function complete(params: Omit<ChatCompletionCreateParamsNonStreaming, 'model' | 'response_format'>, schemaName: string, schema: JsonSchema, signal?: AbortSignal) {
    try {
      return await client.chat.completions.create(
        { ...params, model, response_format: { type: 'json_schema', json_schema: { name: schemaName, strict: true, schema } } },
        { signal },
      )
    } catch (error) {
      throw classifyOpenAiError(error, { signal, apiKey: options.apiKey })
    }
  }

  return {
    id: 'openai',
    model,
    supportsImages: true,

    async generate(request, signal) {
      const prompt = generationPrompt(request)
      const image = request.asset?.image ?? null
      const userContent: string | ChatCompletionContentPart[] = image
        ? [
            { type: 'text', text: prompt.user },
            // Low detail: a fixed, small token cost per image, plenty to caption a preview.
            { type: 'image_url', image_url: { url: `data:${image.mimeType};base64,${image.base64}`, detail: 'low' } },
          ]
        : prompt.user
      const completion = await complete(
        {
          messages: [
            { role: 'system', content: prompt.system },
            { role: 'user', content: userContent },
          ],
          user: request.requestKey,
          seed: Math.trunc(request.seed),
        },
        variantSchemaName(request.format),
        variantJsonSchema(request.format, 'openai'),
        signal,
      )
      return {
        content: parseVariantOutput('openai', request.format, answerOf(completion)),
        provider: 'openai',
        model: completion.model || model,
        usage: usageOf(completion),
        sawImage: image !== null,
      }
    },

    async judge(request, signal) {
      const prompt = judgePrompt(request)
      const completion = await complete(
        {
          messages: [
            { role: 'system', content: prompt.system },
            { role: 'user', content: prompt.user },
          ],
          // No temperature: reasoning models accept only the default, and the rubric anchors keep grades steady.
          user: request.requestKey,
        },
        JUDGE_SCHEMA_NAME,
        judgeJsonSchema(request.variants.length),
        signal,
      )
      return {
        verdicts: parseJudgeOutput('openai', answerOf(completion), request.variants.length),
        provider: 'openai',
        model: completion.model || model,
        usage: usageOf(completion),
      }
    },

    async completeJson(request, signal) {
      const completion = await complete(
        {
          messages: [
            { role: 'system', content: request.system },
            { role: 'user', content: request.user },
          ],
          user: request.requestKey,
        },
        request.schemaName,
        request.schema,
        signal,
      )
      return { value: answerOf(completion), provider: 'openai', model: completion.model || model, usage: usageOf(completion) }
    },
  }
}
