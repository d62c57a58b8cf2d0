// AI generation: the agency's providers, a campaign's AI settings, batches, their items and scored variants.
import { Type, type Static } from '@fastify/type-provider-typebox'
import {
  AI_PROVIDERS,
  ASSET_FORMATS,
  BATCH_ASSET_LIMIT,
  CTA_CODES,
  REPURPOSE_FORMATS,
  REPURPOSE_SOURCE_MAX,
  REPURPOSE_SOURCE_MIN,
  VARIANTS_PER_ITEM_MAX,
} from '../../domain/ai-content'
import { RUBRICS } from '../../domain/rubric'

const literals = <const T extends string>(values: readonly T[]) => Type.Enum(values as T[])

export const AiProviderId = literals(AI_PROVIDERS)
export const AssetFormatId = literals(ASSET_FORMATS)
export const RepurposeFormatId = literals(REPURPOSE_FORMATS)
export const ProviderChain = Type.Array(AiProviderId, {
  maxItems: AI_PROVIDERS.length,
  uniqueItems: true,
  description: 'Providers in order of preference: the next one writes a variant when the one before cannot (outage, refused key).',
})

const Score = Type.Integer({ minimum: 0, maximum: 100 })

export const AiSettings = Type.Object({
  providerChain: ProviderChain,
  /** The chain batches use when a campaign chose none: the agency's, or the default. */
  effectiveChain: ProviderChain,
  providers: Type.Array(
    Type.Object({
      id: AiProviderId,
      label: Type.String(),
      model: Type.String(),
      /** Where its key comes from: the agency's own, the deployment's environment, or nowhere (not usable). */
      keySource: Type.Union([Type.Literal('agency'), Type.Literal('environment'), Type.Literal('none'), Type.Literal('not_needed')]),
      keyHint: Type.Union([Type.String(), Type.Null()]),
      readsImages: Type.Boolean(),
    }),
  ),
})
export type AiSettingsDto = Static<typeof AiSettings>

const ApiKey = Type.String({ minLength: 8, maxLength: 300, pattern: '^\\S+$' })
export const UpdateAiSettingsBody = Type.Object(
  {
    providerChain: Type.Optional(ProviderChain),
    openaiModel: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' }), Type.Null()])),
    geminiModel: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' }), Type.Null()])),
    /** A new key, or null to remove the agency's own (the deployment's is used again). Never sent back. */
    openaiKey: Type.Optional(Type.Union([ApiKey, Type.Null()])),
    geminiKey: Type.Optional(Type.Union([ApiKey, Type.Null()])),
  },
  { additionalProperties: false },
)
export type UpdateAiSettingsBody = Static<typeof UpdateAiSettingsBody>

export const AutoApprove = Type.Object(
  {
    enabled: Type.Boolean(),
    threshold: Score,
    floor: Score,
  },
  { additionalProperties: false },
)

export const CampaignAiSettings = Type.Object({
  /** Empty: the agency's chain. */
  providerChain: ProviderChain,
  autoApprove: AutoApprove,
})
export type CampaignAiSettingsDto = Static<typeof CampaignAiSettings>

export const UpdateCampaignAiSettingsBody = Type.Object(
  { providerChain: Type.Optional(ProviderChain), autoApprove: Type.Optional(AutoApprove) },
  { additionalProperties: false },
)

const VariantsPerItem = Type.Integer({ minimum: 1, maximum: VARIANTS_PER_ITEM_MAX, description: 'Variations per item (default 3)' })

export const StartAssetBatchBody = Type.Object(
  {
    campaignId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    assetIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: BATCH_ASSET_LIMIT, uniqueItems: true }),
    formats: Type.Array(AssetFormatId, { minItems: 1, uniqueItems: true, description: 'Target platforms' }),
    variantsPerItem: Type.Optional(VariantsPerItem),
    providerChain: Type.Optional(ProviderChain),
  },
  { additionalProperties: false },
)
export type StartAssetBatchBody = Static<typeof StartAssetBatchBody>

export const StartRepurposeBody = Type.Object(
  {
    campaignId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    sourceTitle: Type.Optional(Type.String({ maxLength: 200 })),
    sourceText: Type.String({ minLength: REPURPOSE_SOURCE_MIN, maxLength: REPURPOSE_SOURCE_MAX }),
    formats: Type.Array(RepurposeFormatId, { minItems: 1, uniqueItems: true }),
    variantsPerItem: Type.Optional(VariantsPerItem),
    providerChain: Type.Optional(ProviderChain),
  },
  { additionalProperties: false },
)
export type StartRepurposeBody = Static<typeof StartRepurposeBody>

const RubricScore = Type.Object({
  score: Score,
  reason: Type.String(),
  parts: Type.Array(
    Type.Object({
      source: Type.Union([Type.Literal('rule'), Type.Literal('judge')]),
      check: Type.String(),
      score: Score,
      note: Type.String(),
      provider: Type.Optional(AiProviderId),
    }),
  ),
})

export const Variant = Type.Object({
  id: Type.String(),
  variantIndex: Type.Integer(),
  angle: Type.String(),
  provider: AiProviderId,
  model: Type.String(),
  /** True when the asset's image went to the model, false when only its metadata did. */
  sawImage: Type.Boolean(),
  content: Type.Object({
    text: Type.String(),
    hashtags: Type.Array(Type.String()),
    adCopy: Type.Union([Type.Object({ headline: Type.String(), body: Type.String(), cta: literals(CTA_CODES) }), Type.Null()]),
    segments: Type.Array(Type.String()),
    subject: Type.Union([Type.String(), Type.Null()]),
    preheader: Type.Union([Type.String(), Type.Null()]),
  }),
  /** The caption as it lands on the card (text and hashtags). */
  caption: Type.String(),
  adjustments: Type.Array(Type.String()),
  status: Type.String({ description: 'generated | in_review | approved | rejected' }),
  overall: Type.Union([Score, Type.Null()]),
  rubrics: Type.Union([Type.Object(Object.fromEntries(RUBRICS.map((rubric) => [rubric, RubricScore]))), Type.Null()]),
  judged: Type.Boolean(),
  judgeNote: Type.Union([Type.String(), Type.Null()]),
  inputTokens: Type.Integer(),
  outputTokens: Type.Integer(),
  costMicros: Type.Integer(),
  captionVersion: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})

export const BatchItem = Type.Object({
  index: Type.Integer(),
  label: Type.String(),
  format: Type.String(),
  formatLabel: Type.String(),
  status: Type.String({ description: 'queued | generating | scoring | done | failed | cancelled' }),
  error: Type.Union([Type.String(), Type.Null()]),
  asset: Type.Union([
    Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), thumbnailUrl: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  card: Type.Union([Type.Object({ id: Type.String(), title: Type.String(), campaignId: Type.String() }), Type.Null()]),
  approvedVariantIndex: Type.Union([Type.Integer(), Type.Null()]),
  variants: Type.Array(Variant),
})

export const BatchSummaryRow = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('assets'), Type.Literal('repurpose')]),
  status: Type.String({ description: 'running | completed | cancelled | failed' }),
  workspace: Type.Object({ id: Type.String(), name: Type.String() }),
  campaign: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  sourceTitle: Type.Union([Type.String(), Type.Null()]),
  providerChain: ProviderChain,
  itemCount: Type.Integer(),
  variantsPerItem: Type.Integer(),
  plannedVariants: Type.Integer(),
  generatedVariants: Type.Integer(),
  failedItems: Type.Integer(),
  costMicros: Type.Integer(),
  createdByName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

export const BatchDetail = Type.Object({
    ...BatchSummaryRow.properties,
    autoApprove: Type.Union([Type.Object({ threshold: Score, floor: Score }), Type.Null()]),
    inputTokens: Type.Integer(),
    outputTokens: Type.Integer(),
    /** Variants per provider that wrote them. */
    byProvider: Type.Record(Type.String(), Type.Integer()),
    summary: Type.Union([Type.Unknown(), Type.Null()]),
    items: Type.Array(BatchItem),
    temporalWebUrl: Type.String(),
    workflowId: Type.String(),
    canCancel: Type.Boolean(),
})
export type BatchDetailDto = Static<typeof BatchDetail>
export type BatchSummaryDto = Static<typeof BatchSummaryRow>

export const BatchListQuery = Type.Object(
  {
    workspaceId: Type.Optional(Type.String({ format: 'uuid' })),
    campaignId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
)

export const BatchProgressResponse = Type.Object({
  status: Type.String(),
  skippedProviders: Type.Array(Type.Object({ provider: AiProviderId, reason: Type.String() }), {
    description: 'Providers of the chain left out because they have no key',
  }),
  variantsPlanned: Type.Integer(),
  variantsDone: Type.Integer(),
  cancelledBy: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(
    Type.Object({
      index: Type.Integer(),
      label: Type.String(),
      format: Type.String(),
      status: Type.String(),
      variantsDone: Type.Integer(),
      variantsFailed: Type.Integer(),
      providers: Type.Array(Type.Union([AiProviderId, Type.Null()])),
      error: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
})
