// AI generation through the API: the agency's providers and keys, a campaign's AI settings, and batches —
// started after a plan-limit check (generations already used plus those reserved by running batches), run by
// the workflow batch:<id>, read back from the rows its activities keep current, and cancelled by a signal.
import { randomInt, randomUUID } from 'node:crypto'
import type { Client } from '@temporalio/client'
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client'
import {
  AI_PROVIDER_LABELS,
  FORMAT_SPECS,
  providerChainFor,
  VARIANTS_PER_ITEM_MAX,
  variantCaption,
  type AiProvider,
  type ContentFormat,
  type VariantContent,
} from '../../domain/ai-content'
import { PLATFORM_LABELS, type SocialPlatform } from '../../domain/brand-kit'
import { READ_ONLY_STATUSES, type BriefStatus } from '../../domain/campaign-brief'
import { temporalWebWorkflowUrl } from '../../domain/campaign'
import { DONE_COLUMNS } from '../../domain/content-board'
import { checkLimit } from '../../domain/plans'
import type { AutoApproveRule, VariantScore } from '../../domain/rubric'
import { Prisma, type AiBatch, type AiBatchItem, type AiVariant } from '../../generated/prisma/client'
import { aiKeyHint, openAiKey, sealAiKey } from '../../platform/ai-keys'
import { aiSettings, type AiSettings } from '../../platform/config'
import type { Database } from '../../platform/database'
import { asTransactionClient, type TenantDatabase, type TenantTransaction } from '../../platform/tenant-scope'
import type { TokenCipher } from '../../platform/token-cipher'
import {
  AgencyIdAttribute,
  CampaignIdAttribute,
} from '../../workflows/campaign/definitions'
import {
  BATCH_WORKFLOW_TYPE,
  batchProgressQuery,
  batchWorkflowId,
  cancelBatchSignal,
  type BatchGenerationInput,
  type BatchProgress,
} from '../../workflows/batch-generation/definitions'
import { ApiError, notFound } from '../errors'
import type {
  AiSettingsDto,
  BatchDetailDto,
  BatchSummaryDto,
  CampaignAiSettingsDto,
  StartAssetBatchBody,
  StartRepurposeBody,
  UpdateAiSettingsBody,
} from '../schemas/ai'
import type { ApiSettings, AuthUser } from '../types'
import { recordAudit } from './audit'
import { appendCards } from './cards'
import { currentUsage, lockAgency } from './usage'
import { assertNotArchived, findWorkspace } from './workspaces'

export interface AiDeps {
  db: Database
  temporal: Client
  settings: ApiSettings
  tokenCipher: TokenCipher
}

const providerSettings = (settings: ApiSettings): AiSettings => settings.ai ?? aiSettings()

// ---------------------------------------------------------------------------------------------------------
// Agency settings

export async function getAiSettings(deps: Pick<AiDeps, 'settings'>, db: TenantDatabase, agencyId: string): Promise<AiSettingsDto> {
  const own = await db.agencyAiSettings.findUnique({ where: { agencyId } })
  const env = providerSettings(deps.settings)
  const chain = (own?.providerChain ?? []) as AiProvider[]
  const keyed = (provider: 'openai' | 'gemini') => {
    const hint = provider === 'openai' ? own?.openaiKeyHint : own?.geminiKeyHint
    const ciphertext = provider === 'openai' ? own?.openaiKeyCiphertext : own?.geminiKeyCiphertext
    const model = (provider === 'openai' ? own?.openaiModel : own?.geminiModel) || env[provider].model
    const keySource = ciphertext ? ('agency' as const) : env[provider].apiKey ? ('environment' as const) : ('none' as const)
    return { id: provider, label: AI_PROVIDER_LABELS[provider], model, keySource, keyHint: ciphertext ? (hint ?? null) : null, readsImages: true }
  }
  return {
    providerChain: chain,
    effectiveChain: providerChainFor({ agency: chain }),
    providers: [
      keyed('openai'),
      keyed('gemini'),
      { id: 'offline', label: AI_PROVIDER_LABELS.offline, model: 'greenlight-offline-v1', keySource: 'not_needed', keyHint: null, readsImages: false },
    ],
  }
}

export async function updateAiSettings(deps: AiDeps, db: TenantDatabase, user: AuthUser, body: UpdateAiSettingsBody, ip?: string): Promise<AiSettingsDto> {
  const agencyId = user.agency.id
  await db.$transaction(async (tx) => {
    const current = await tx.agencyAiSettings.findUnique({ where: { agencyId } })
    const changed: string[] = []
    const data: Prisma.AgencyAiSettingsUncheckedCreateInput = {
      agencyId,
      providerChain: body.providerChain ?? current?.providerChain ?? [],
      openaiModel: body.openaiModel !== undefined ? body.openaiModel : (current?.openaiModel ?? null),
      geminiModel: body.geminiModel !== undefined ? body.geminiModel : (current?.geminiModel ?? null),
      openaiKeyCiphertext: current?.openaiKeyCiphertext ?? null,
      geminiKeyCiphertext: current?.geminiKeyCiphertext ?? null,
      keyId: current?.keyId ?? null,
      openaiKeyHint: current?.openaiKeyHint ?? null,
      geminiKeyHint: current?.geminiKeyHint ?? null,
    }
    if (body.providerChain) changed.push('provider chain')
    if (body.openaiModel !== undefined) changed.push('OpenAI model')
    if (body.geminiModel !== undefined) changed.push('Gemini model')
    for (const provider of ['openai', 'gemini'] as const) {
      const value = provider === 'openai' ? body.openaiKey : body.geminiKey
      if (value === undefined) continue
      changed.push(`${AI_PROVIDER_LABELS[provider]} key ${value === null ? 'removed' : 'set'}`)
      if (value === null) {
        data[`${provider}KeyCiphertext`] = null
        data[`${provider}KeyHint`] = null
      } else {
        const sealed = sealAiKey(deps.tokenCipher, agencyId, provider, value)
        data[`${provider}KeyCiphertext`] = sealed.ciphertext
        data[`${provider}KeyHint`] = aiKeyHint(value)
        data.keyId = sealed.keyId
      }
    }
    // One token key seals both: a key kept from before is re-sealed when the other was sealed under a newer one.
    for (const provider of ['openai', 'gemini'] as const) {
      const kept = (provider === 'openai' ? body.openaiKey : body.geminiKey) === undefined ? data[`${provider}KeyCiphertext`] : null
      if (kept && current?.keyId && data.keyId !== current.keyId) {
        const plain = openAiKey(deps.tokenCipher, agencyId, provider, { ciphertext: kept, keyId: current.keyId })
        data[`${provider}KeyCiphertext`] = sealAiKey(deps.tokenCipher, agencyId, provider, plain).ciphertext
      }
    }
    if (!data.openaiKeyCiphertext && !data.geminiKeyCiphertext) data.keyId = null
    await tx.agencyAiSettings.upsert({ where: { agencyId }, create: data, update: data })
    await recordAudit(asTransactionClient(tx), {
      agencyId,
      action: 'ai.settings_changed',
      actor: { id: user.id, name: user.name },
      target: { type: 'agency', id: agencyId },
      detail: { changed },
      ...(ip ? { ip } : {}),
    })
  })
  return getAiSettings(deps, db, agencyId)
}

// ---------------------------------------------------------------------------------------------------------
// Campaign settings

function campaignAiSettingsOf(row: { aiProviderChain: string[]; autoApproveEnabled: boolean; autoApproveThreshold: number; autoApproveFloor: number }): CampaignAiSettingsDto {
  return {
    providerChain: row.aiProviderChain as AiProvider[],
    autoApprove: { enabled: row.autoApproveEnabled, threshold: row.autoApproveThreshold, floor: row.autoApproveFloor },
  }
}

export async function getCampaignAiSettings(db: TenantDatabase, campaignId: string): Promise<CampaignAiSettingsDto> {
  const row = await db.campaign.findUnique({ where: { id: campaignId } })
  if (!row) throw notFound('Campaign')
  return campaignAiSettingsOf(row)
}

export async function updateCampaignAiSettings(
  db: TenantDatabase,
  campaignId: string,
  body: { providerChain?: AiProvider[]; autoApprove?: { enabled: boolean; threshold: number; floor: number } },
): Promise<CampaignAiSettingsDto> {
  if (body.autoApprove && body.autoApprove.floor > body.autoApprove.threshold) {
    throw new ApiError(400, 'VALIDATION_FAILED', 'The floor cannot be above the threshold: no variant could pass.', [
      { path: '/autoApprove/floor', message: 'must not be above the threshold' },
    ])
  }
  const updated = await db.campaign.updateMany({
    where: { id: campaignId },
    data: {
      ...(body.providerChain ? { aiProviderChain: body.providerChain } : {}),
      ...(body.autoApprove
        ? { autoApproveEnabled: body.autoApprove.enabled, autoApproveThreshold: body.autoApprove.threshold, autoApproveFloor: body.autoApprove.floor }
        : {}),
    },
  })
  if (updated.count === 0) throw notFound('Campaign')
  return getCampaignAiSettings(db, campaignId)
}

// ---------------------------------------------------------------------------------------------------------
// Starting a batch

interface PlannedItem {
  format: ContentFormat
  assetId: string | null
  label: string
  /** The card the variants land on: an existing one, or the index of a card to create. */
  card: { existing: string } | { create: { title: string; platform: SocialPlatform; assetId: string | null } } | null
}

/**
 * Refuses with 402 PLAN_LIMIT_REACHED when the batch would take the agency past its monthly generations:
 * those already used plus those that running batches have yet to generate (they are promised).
 */
async function assertGenerationsLeft(tx: TenantTransaction, agencyId: string, requested: number): Promise<void> {
  const plan = await lockAgency(asTransactionClient(tx), agencyId)
  const used = await currentUsage(asTransactionClient(tx), agencyId, 'aiGenerationsPerMonth')
  const running = await tx.aiBatch.findMany({ where: { status: 'running' }, select: { plannedVariants: true, generatedVariants: true } })
  const reserved = running.reduce((sum, batch) => sum + Math.max(0, batch.plannedVariants - batch.generatedVariants), 0)
  const refusal = checkLimit(plan, 'aiGenerationsPerMonth', used + reserved, requested)
  if (!refusal) return
  const left = Math.max(0, refusal.limit - used - reserved)
  throw new ApiError(
    402,
    'PLAN_LIMIT_REACHED',
    `This batch needs ${requested} AI generations, but ${left} of the ${refusal.plan} plan's ${refusal.limit} this month ${left === 1 ? 'is' : 'are'} left ` +
      `(${used} used${reserved ? `, ${reserved} promised to running batches` : ''}). Choose fewer assets, platforms or variations, or upgrade the plan.`,
    [{ path: '/limits/aiGenerationsPerMonth', message: `${refusal.plan} plan: ${used + reserved} of ${refusal.limit} in use, ${requested} requested` }],
  )
}

async function resolveChain(tx: TenantTransaction, agencyId: string, requested: AiProvider[] | undefined, campaignChain: string[] | null): Promise<AiProvider[]> {
  const own = await tx.agencyAiSettings.findUnique({ where: { agencyId }, select: { providerChain: true } })
  return providerChainFor({ requested, campaign: campaignChain, agency: own?.providerChain })
}

async function openCampaign(tx: TenantTransaction, workspaceId: string, campaignId: string | null | undefined) {
  if (!campaignId) return null
  const campaign = await tx.campaign.findUnique({ where: { id: campaignId } })
  if (!campaign || campaign.workspaceId !== workspaceId) {
    throw new ApiError(400, 'VALIDATION_FAILED', 'That campaign is not in this workspace.', [{ path: '/campaignId', message: 'is not a campaign of this workspace' }])
  }
  if ((READ_ONLY_STATUSES as readonly BriefStatus[]).includes(campaign.status as BriefStatus)) {
    throw new ApiError(409, 'CAMPAIGN_READ_ONLY', `“${campaign.name}” is ${campaign.status}: its cards take no new captions.`)
  }
  return campaign
}

/** For an asset on a platform: the campaign's open card that already carries it, if there is one. */
async function existingCardFor(tx: TenantTransaction, campaignId: string, assetId: string, platform: string): Promise<string | null> {
  const card = await tx.contentTask.findFirst({
    where: { campaignId, platform, column: { notIn: [...DONE_COLUMNS] }, assets: { some: { fileId: assetId } } },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  })
  return card?.id ?? null
}

async function createBatch(
  deps: AiDeps,
  db: TenantDatabase,
  user: AuthUser,
  workspaceId: string,
  spec: {
    kind: 'assets' | 'repurpose'
    campaignId: string | null | undefined
    variantsPerItem: number
    providerChain: AiProvider[] | undefined
    sourceText: string | null
    sourceTitle: string | null
    plan: (tx: TenantTransaction, campaign: Awaited<ReturnType<typeof openCampaign>>) => Promise<PlannedItem[]>
  },
): Promise<BatchDetailDto> {
  const workspace = await findWorkspace(db, workspaceId)
  assertNotArchived(workspace)
  const agencyId = user.agency.id
  const { batch, input, campaignId, createdCardIds } = await db.$transaction(async (tx) => {
    const campaign = await openCampaign(tx, workspaceId, spec.campaignId)
    const items = await spec.plan(tx, campaign)
    const planned = items.length * spec.variantsPerItem
    await assertGenerationsLeft(tx, agencyId, planned)
    const chain = await resolveChain(tx, agencyId, spec.providerChain, campaign?.aiProviderChain ?? null)
    const autoApprove: AutoApproveRule | null = campaign?.autoApproveEnabled ? { threshold: campaign.autoApproveThreshold, floor: campaign.autoApproveFloor } : null

    // Cards for items that have none yet: one append, so an import-sized batch is one board reload.
    const toCreate = items.flatMap((item) => (item.card && 'create' in item.card ? [item.card.create] : []))
    const created = campaign && toCreate.length
      ? await appendCards(tx, user, campaign, toCreate.map((card) => ({ title: card.title, platform: card.platform, kind: 'post' })), 'ai')
      : []
    let next = 0
    const cardIds = items.map((item) => (item.card === null ? null : 'existing' in item.card ? item.card.existing : created[next++]!.id))
    const references = items.flatMap((item, i) => (item.card && 'create' in item.card && item.card.create.assetId ? [{ cardId: cardIds[i]!, fileId: item.card.create.assetId }] : []))
    if (references.length) {
      await tx.cardAsset.createMany({ data: references.map((ref) => ({ agencyId, ...ref, role: 'reference', addedById: user.id })), skipDuplicates: true })
    }

    const id = randomUUID()
    const row = await tx.aiBatch.create({
      data: {
        id,
        agencyId,
        workspaceId,
        campaignId: campaign?.id ?? null,
        kind: spec.kind,
        providerChain: chain,
        variantsPerItem: spec.variantsPerItem,
        seed: randomInt(0, 2 ** 31),
        sourceText: spec.sourceText,
        sourceTitle: spec.sourceTitle,
        autoApprove: autoApprove ? { ...autoApprove } : Prisma.DbNull,
        plannedVariants: planned,
        workflowId: batchWorkflowId(id),
        createdById: user.id,
        createdByName: user.name,
      },
    })
    await tx.aiBatchItem.createMany({
      data: items.map((item, index) => ({ agencyId, batchId: id, index, format: item.format, assetId: item.assetId, cardId: cardIds[index] })),
    })
    await recordAudit(asTransactionClient(tx), {
      agencyId,
      action: 'ai.batch_started',
      actor: { id: user.id, name: user.name },
      target: { type: 'ai_batch', id },
      detail: { kind: spec.kind, items: items.length, variants: planned, providers: chain },
    })
    const input: BatchGenerationInput = {
      batchId: id,
      agencyId,
      providerChain: chain,
      variantsPerItem: spec.variantsPerItem,
      items: items.map((item, index) => ({ index, format: item.format, label: item.label })),
      autoApprove,
    }
    return { batch: row, input, campaignId: campaign?.id ?? null, createdCardIds: created.map((card) => card.id) }
  })

  try {
    await startBatchWorkflow(deps, batch, input, campaignId)
  } catch (error) {
    // Nothing half-made: without its workflow the batch and the cards made for it go again.
    await db.$transaction(async (tx) => {
      await tx.aiBatch.delete({ where: { id: batch.id } })
      if (createdCardIds.length) await tx.contentTask.deleteMany({ where: { id: { in: createdCardIds } } })
    })
    throw new ApiError(503, 'TEMPORAL_UNAVAILABLE', 'Temporal did not take the batch. Nothing was started; try again in a moment.', undefined, { cause: error })
  }
  return getBatch(deps, db, batch.id)
}

async function startBatchWorkflow(deps: Pick<AiDeps, 'temporal' | 'settings'>, batch: AiBatch, input: BatchGenerationInput, campaignId: string | null): Promise<void> {
  try {
    await deps.temporal.workflow.start(BATCH_WORKFLOW_TYPE, {
      workflowId: batch.workflowId,
      taskQueue: deps.settings.temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `AI ${batch.kind === 'repurpose' ? 'repurposing' : 'captions'}: ${input.items.length} item(s) × ${input.variantsPerItem} by ${input.providerChain.join(' → ')}`,
      typedSearchAttributes: [
        { key: AgencyIdAttribute, value: batch.agencyId },
        ...(campaignId ? [{ key: CampaignIdAttribute, value: campaignId }] : []),
      ],
    })
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error
  }
}

/** What progress and the batch page call an item: the asset's file name and the format, or the format. */
function itemLabel(assetName: string | null | undefined, format: ContentFormat): string {
  return assetName ? `${assetName} · ${FORMAT_SPECS[format].label}` : FORMAT_SPECS[format].label
}

export async function startAssetBatch(deps: AiDeps, db: TenantDatabase, user: AuthUser, workspaceId: string, body: StartAssetBatchBody): Promise<BatchDetailDto> {
  return createBatch(deps, db, user, workspaceId, {
    kind: 'assets',
    campaignId: body.campaignId,
    variantsPerItem: body.variantsPerItem ?? VARIANTS_PER_ITEM_MAX,
    providerChain: body.providerChain,
    sourceText: null,
    sourceTitle: null,
    async plan(tx, campaign) {
      const files = await tx.storedFile.findMany({ where: { id: { in: body.assetIds }, workspaceId } })
      const byId = new Map(files.map((file) => [file.id, file]))
      const missing = body.assetIds.flatMap((id, i) => (byId.has(id) ? [] : [{ path: `/assetIds/${i}`, message: 'is not an asset of this workspace' }]))
      if (missing.length) throw new ApiError(400, 'VALIDATION_FAILED', 'Some of the chosen assets are not in this workspace’s library.', missing)
      if (campaign) {
        const outside = body.formats.flatMap((format, i) => (campaign.platforms.includes(format) ? [] : [{ path: `/formats/${i}`, message: `is not a platform of “${campaign.name}”` }]))
        if (outside.length) {
          throw new ApiError(400, 'VALIDATION_FAILED', `“${campaign.name}” runs on ${campaign.platforms.join(', ') || 'no platform yet'}: its cards take captions for those only.`, outside)
        }
      }
      const items: PlannedItem[] = []
      for (const assetId of body.assetIds) {
        const file = byId.get(assetId)!
        for (const format of body.formats) {
          const existing = campaign ? await existingCardFor(tx, campaign.id, assetId, format) : null
          items.push({
            format,
            assetId,
            label: itemLabel(file.originalName, format),
            card: !campaign ? null : existing ? { existing } : { create: { title: `${PLATFORM_LABELS[format]} caption: ${file.originalName}`.slice(0, 200), platform: format, assetId } },
          })
        }
      }
      return items
    },
  })
}

export async function startRepurposeBatch(deps: AiDeps, db: TenantDatabase, user: AuthUser, workspaceId: string, body: StartRepurposeBody): Promise<BatchDetailDto> {
  const title = body.sourceTitle?.trim() || null
  return createBatch(deps, db, user, workspaceId, {
    kind: 'repurpose',
    campaignId: body.campaignId,
    variantsPerItem: body.variantsPerItem ?? VARIANTS_PER_ITEM_MAX,
    providerChain: body.providerChain,
    sourceText: body.sourceText.trim(),
    sourceTitle: title,
    async plan(_tx, campaign) {
      return body.formats.map((format) => {
        const spec = FORMAT_SPECS[format]
        // Only formats for a platform the campaign publishes to become cards; the others stay in the batch.
        const platform = (['instagram', 'facebook', 'tiktok'] as const).find((p) => p === spec.channel && campaign?.platforms.includes(p))
        return {
          format,
          assetId: null,
          label: itemLabel(null, format),
          card: campaign && platform ? { create: { title: `${spec.label}: ${title ?? 'repurposed text'}`.slice(0, 200), platform, assetId: null } } : null,
        }
      })
    },
  })
}

// ---------------------------------------------------------------------------------------------------------
// Reading and cancelling

type BatchRow = AiBatch & { workspace: { id: string; name: string }; campaign: { id: string; name: string } | null; _count: { items: number } }

function summaryOf(row: BatchRow): BatchSummaryDto {
  return {
    id: row.id,
    kind: row.kind as 'assets' | 'repurpose',
    status: row.status,
    workspace: row.workspace,
    campaign: row.campaign,
    sourceTitle: row.sourceTitle,
    providerChain: row.providerChain as AiProvider[],
    itemCount: row._count.items,
    variantsPerItem: row.variantsPerItem,
    plannedVariants: row.plannedVariants,
    generatedVariants: row.generatedVariants,
    failedItems: row.failedItems,
    costMicros: Number(row.costMicros),
    createdByName: row.createdByName,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  }
}

const summaryInclude = {
  workspace: { select: { id: true, name: true } },
  campaign: { select: { id: true, name: true } },
  _count: { select: { items: true } },
} as const

export async function listBatches(db: TenantDatabase, query: { workspaceId?: string; campaignId?: string }): Promise<BatchSummaryDto[]> {
  const rows = await db.aiBatch.findMany({
    where: { ...(query.workspaceId ? { workspaceId: query.workspaceId } : {}), ...(query.campaignId ? { campaignId: query.campaignId } : {}) },
    include: summaryInclude,
    orderBy: { createdAt: 'desc' },
    take: 100,
  })
  // A running batch's cost is summed from its variants so far; a finished one's is stored.
  const running = rows.filter((row) => row.status === 'running').map((row) => row.id)
  const costs = running.length
    ? await db.aiVariant.groupBy({ by: ['batchId'], where: { batchId: { in: running } }, _sum: { costMicros: true } })
    : []
  const costOf = new Map(costs.map((c) => [c.batchId, c._sum.costMicros ?? 0]))
  return rows.map((row) => ({ ...summaryOf(row), ...(costOf.has(row.id) ? { costMicros: costOf.get(row.id)! } : {}) }))
}

type ItemRow = AiBatchItem & {
  asset: { id: string; originalName: string; kind: string; thumbnailKey: string | null } | null
  card: { id: string; title: string; campaignId: string } | null
  variants: (AiVariant & { captionVersion: { version: number } | null })[]
}

function variantOf(format: ContentFormat, row: ItemRow['variants'][number]) {
  const scores = row.scores as (VariantScore & { judgeNote?: string | null }) | null
  const content = row.content as unknown as VariantContent
  return {
    id: row.id,
    variantIndex: row.variantIndex,
    angle: row.angle,
    provider: row.provider as AiProvider,
    model: row.model,
    sawImage: row.sawImage,
    content,
    caption: variantCaption(format, content),
    adjustments: row.adjustments,
    status: row.status,
    overall: row.overall,
    rubrics: scores?.rubrics ?? null,
    judged: scores?.judged ?? false,
    judgeNote: scores?.judgeNote ?? null,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costMicros: row.costMicros,
    captionVersion: row.captionVersion?.version ?? null,
    createdAt: row.createdAt.toISOString(),
  }
}

export async function getBatch(deps: Pick<AiDeps, 'settings'>, db: TenantDatabase, id: string): Promise<BatchDetailDto> {
  const row = await db.aiBatch.findUnique({
    where: { id },
    include: {
      ...summaryInclude,
      items: {
        orderBy: { index: 'asc' },
        include: {
          asset: { select: { id: true, originalName: true, kind: true, thumbnailKey: true } },
          card: { select: { id: true, title: true, campaignId: true } },
          variants: { orderBy: { variantIndex: 'asc' }, include: { captionVersion: { select: { version: true } } } },
        },
      },
    },
  })
  if (!row) throw notFound('Batch')
  const byProvider: Record<string, number> = {}
  let inputTokens = row.inputTokens
  let outputTokens = row.outputTokens
  let costMicros = Number(row.costMicros)
  if (row.status === 'running') {
    inputTokens = outputTokens = costMicros = 0
    for (const variant of row.items.flatMap((item) => item.variants)) {
      inputTokens += variant.inputTokens
      outputTokens += variant.outputTokens
      costMicros += variant.costMicros
    }
  }
  for (const variant of row.items.flatMap((item) => item.variants)) byProvider[variant.provider] = (byProvider[variant.provider] ?? 0) + 1
  const { temporal } = deps.settings
  return {
    ...summaryOf(row),
    costMicros,
    autoApprove: (row.autoApprove as AutoApproveRule | null) ?? null,
    inputTokens,
    outputTokens,
    byProvider,
    summary: row.summary ?? null,
    items: row.items.map((item) => ({
      index: item.index,
      label: itemLabel(item.asset?.originalName, item.format as ContentFormat),
      format: item.format,
      formatLabel: FORMAT_SPECS[item.format as ContentFormat].label,
      status: item.status,
      error: item.error,
      asset: item.asset
        ? { id: item.asset.id, name: item.asset.originalName, kind: item.asset.kind, thumbnailUrl: item.asset.thumbnailKey ? `/api/assets/${item.asset.id}/thumbnail` : null }
        : null,
      card: item.card,
      approvedVariantIndex: item.approvedVariantIndex,
      variants: item.variants.map((variant) => variantOf(item.format as ContentFormat, variant)),
    })),
    temporalWebUrl: temporalWebWorkflowUrl(temporal.uiUrl, temporal.namespace, row.workflowId),
    workflowId: row.workflowId,
    canCancel: row.status === 'running',
  }
}

const QUERY_TIMEOUT_MS = 3_000

/** The workflow's own per-item progress (the live detail; lists and the batch page read the rows). */
export async function batchProgress(deps: Pick<AiDeps, 'temporal'>, db: TenantDatabase, id: string): Promise<BatchProgress> {
  const row = await db.aiBatch.findUnique({ where: { id }, select: { workflowId: true, status: true } })
  if (!row) throw notFound('Batch')
  try {
    return await deps.temporal.withAbortSignal(AbortSignal.timeout(QUERY_TIMEOUT_MS), () => deps.temporal.workflow.getHandle(row.workflowId).query(batchProgressQuery))
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ApiError(409, 'BATCH_NOT_RUNNING', 'This batch has no workflow to ask any more; its rows hold the outcome.')
    throw new ApiError(503, 'TEMPORAL_UNAVAILABLE', 'Temporal did not answer the progress query. Try again in a moment.', undefined, { cause: error })
  }
}

export async function cancelBatch(deps: AiDeps, db: TenantDatabase, user: AuthUser, id: string): Promise<BatchDetailDto> {
  const row = await db.aiBatch.findUnique({ where: { id }, select: { workflowId: true, status: true } })
  if (!row) throw notFound('Batch')
  if (row.status !== 'running') throw new ApiError(409, 'BATCH_NOT_RUNNING', `This batch is already ${row.status}.`)
  try {
    await deps.temporal.workflow.getHandle(row.workflowId).signal(cancelBatchSignal, { by: { userId: user.id, name: user.name } })
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new ApiError(409, 'BATCH_NOT_RUNNING', 'This batch has already finished.')
    throw new ApiError(503, 'TEMPORAL_UNAVAILABLE', 'Temporal did not take the cancel request. Try again in a moment.', undefined, { cause: error })
  }
  await recordAudit(db, { agencyId: user.agency.id, action: 'ai.batch_cancelled', actor: { id: user.id, name: user.name }, target: { type: 'ai_batch', id } })
  return getBatch(deps, db, id)
}

/**
 * Batches whose workflow never started (the API stopped between committing the batch and starting its run):
 * started now. Called at API start-up; `USE_EXISTING` makes a batch that does have its run a no-op.
 */
export async function startMissingBatchWorkflows(deps: Pick<AiDeps, 'db' | 'temporal' | 'settings'>, now = new Date()): Promise<string[]> {
  // A minute's grace: a batch younger than that may be between its commit and its start in another process.
  const rows = await deps.db.aiBatch.findMany({
    where: { status: 'running', createdAt: { lt: new Date(now.getTime() - 60_000) } },     include: { items: { orderBy: { index: 'asc' }, include: { asset: { select: { originalName: true } } } } },
  })
  const started: string[] = []
  for (const row of rows) {
    try {
      const description = await deps.temporal.workflow.getHandle(row.workflowId).describe()
      if (description.status.name !== 'RUNNING') {
        // The run ended without reporting (terminated, timed out, or failed before its last activity): the row
        // is closed as failed, so it stops holding its share of the month's generations.
        await deps.db.aiBatch.updateMany({
          where: { id: row.id, status: 'running' },
          data: { status: 'failed', finishedAt: new Date(), summary: { status: 'failed', reason: `The run ended ${description.status.name.toLowerCase()} without reporting its outcome.` } },
        })
      }
      continue
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error
    }
    const input: BatchGenerationInput = {
      batchId: row.id,
      agencyId: row.agencyId,
      providerChain: row.providerChain as AiProvider[],
      variantsPerItem: row.variantsPerItem,
      items: row.items.map((item) => ({
        index: item.index,
        format: item.format as ContentFormat,
        label: itemLabel(item.asset?.originalName, item.format as ContentFormat),
      })),
      autoApprove: (row.autoApprove as AutoApproveRule | null) ?? null,
    }
    await startBatchWorkflow(deps, row, input, row.campaignId)
    started.push(row.id)
  }
  return started
}
