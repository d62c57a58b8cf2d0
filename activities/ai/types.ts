// The one interface every AI provider implements (OpenAI, Gemini, the offline generator), and the one error
// type their failures become, so the activities and the workflow treat all providers alike.
import type { AiProvider, ContentFormat, VariantContent, VariationAngle } from '../../domain/ai-content'
import type { RubricName } from '../../domain/rubric'

/** The brand kit as the model sees it. */
export interface BrandContext {
  workspaceName: string
  clientName: string
  voicePrompt: string
  personality: string
  targetAudience: string
  toneAndStyle: string
  preferredPhrases: string[]
  forbiddenPhrases: string[]
  defaultHashtags: string[]
}

export interface CampaignContext {
  name: string
  objective: string
  audience: string
  keyMessages: string[]
}

export interface AssetContext {
  name: string
  kind: 'image' | 'video'
  mimeType: string
  width: number | null
  height: number | null
  durationMs: number | null
  /** A JPEG preview of the asset, sent to providers that read images; null for videos and when unavailable. */
  image: { mimeType: string; base64: string } | null
}

export interface GenerationRequest {
  format: ContentFormat
  angle: VariationAngle
  /** 0-based index of the variation within its item. */
  variantIndex: number
  /** Makes the offline generator deterministic; real providers receive it where they support a seed. */
  seed: number
  brand: BrandContext
  campaign: CampaignContext | null
  /** Asset items; null when repurposing. */
  asset: AssetContext | null
  /** Repurposing items; null for asset items. */
  sourceText: string | null
  /** Sent as request metadata (OpenAI `user`), so a provider-side log can tell calls apart. */
  requestKey: string
}

export interface TokenUsage {
  inputTokens: number
  outputTokens: number
}

export interface GeneratedVariant {
  content: VariantContent
  provider: AiProvider
  model: string
  usage: TokenUsage
  /** Whether the asset's image went to the model (false: only its metadata did). */
  sawImage: boolean
}

export interface JudgeRequest {
  format: ContentFormat
  brand: BrandContext
  /** The sibling variants of one item, judged together so originality can compare them. */
  variants: VariantContent[]
  requestKey: string
}

export interface JudgeVerdict {
  score: number
  reason: string
}

export interface JudgeResult {
  /** One entry per requested variant, in order. */
  verdicts: Record<RubricName, JudgeVerdict>[]
  provider: AiProvider
  model: string
  usage: TokenUsage
}

/** A short task with its own prompt whose answer follows a JSON schema (e.g. a thread summary). */
export interface JsonTaskRequest {
  system: string
  user: string
  /** OpenAI's response_format name; for Gemini the schema carries it as its `title`. */
  schemaName: string
  schema: Record<string, unknown>
  /** Sent as request metadata (OpenAI `user`), so a provider-side log can tell calls apart. */
  requestKey: string
}

export interface JsonTaskAnswer {
  /** The parsed JSON answer, for the caller to check against its own shape. */
  value: unknown
  provider: AiProvider
  model: string
  usage: TokenUsage
}

export interface AiProviderClient {
  readonly id: AiProvider
  readonly model: string
  readonly supportsImages: boolean
  generate(request: GenerationRequest, signal?: AbortSignal): Promise<GeneratedVariant>
  /** The LLM judge with the fixed rubric prompt; null when the provider has no model (offline). */
  judge(request: JudgeRequest, signal?: AbortSignal): Promise<JudgeResult | null>
  /** A JSON answer to a task's own prompt and schema; null when the provider has no model (offline). */
  completeJson(request: JsonTaskRequest, signal?: AbortSignal): Promise<JsonTaskAnswer | null>
}

/**
 * rate_limited: 429 (retry after `retryAfterMs`); unavailable: 5xx, timeouts, connection errors (an outage:
 * retry, then fall back); auth: missing or refused key (fall back at once); bad_request: the provider refused
 * the request itself (fall back at once); bad_output: the answer did not match the schema (retry).
 */
export type ProviderErrorKind = 'rate_limited' | 'unavailable' | 'auth' | 'bad_request' | 'bad_output'

export class ProviderError extends Error {
  constructor(
    readonly provider: AiProvider,
    readonly kind: ProviderErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message)
    this.name = 'ProviderError'
  }
}
