// The AI batch's side effects: generating one variant with one provider, judging an item's variants, and
// storing scores, cards' caption versions and the batch's outcome in PostgreSQL. Every activity is safe to run
// again: a variant is stored once under its key (batch:item:variant), and an activity that finds its variant
// already stored returns it without calling the provider, so a retry after a worker's death neither loses nor
// duplicates work.
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity'
import {
  AI_PROVIDER_LABELS,
  variantCaption,
  VARIATION_ANGLES,
  fitToFormat,
  type AiProvider,
  type ContentFormat,
  type VariantContent,
} from '../../domain/ai-content'
import { estimateCostMicros, splitEvenly } from '../../domain/ai-pricing'
import { DONE_COLUMNS, nextCaptionVersion, type BoardColumn } from '../../domain/content-board'
import { landingOrder, pickAutoApproved, scoreVariants, type AutoApproveRule, type RubricName } from '../../domain/rubric'
import { Prisma } from '../../generated/prisma/client'
import { beginBoardChange, publishBoardChange } from '../../platform/board-changes'
import type { AiSettings } from '../../platform/config'
import type { Database } from '../../platform/database'
import type { FileStorage } from '../../platform/storage'
import { addMeteredUsage } from '../../platform/usage-meter'
import {
  PROVIDER_NOT_CONFIGURED,
  PROVIDER_RATE_LIMITED,
  PROVIDER_REFUSED,
  PROVIDER_UNAVAILABLE,
  type BatchItemStatus,
  type BatchSummary,
} from '../../workflows/batch-generation/definitions'
import { acquireProviderSlot, coolDownProvider, releaseProviderSlot, renewProviderSlot, SLOT_RENEW_MS } from './provider-slots'
import type { AiProviderRegistry } from './providers'
import { ProviderError, type AssetContext, type BrandContext, type CampaignContext, type JudgeResult } from './types'

export interface AiBatchActivityDeps {
  db: Database
  storage: FileStorage
  providers: AiProviderRegistry
  settings: Pick<AiSettings, 'requestTimeoutMs' | 'rateLimitPatienceMs'>
}

export interface JudgeVerdicts {
  provider: AiProvider
  model: string
  /** Verdicts by variant index. */
  byVariant: Record<number, Record<RubricName, { score: number; reason: string }>>
  inputTokens: number
  outputTokens: number
}

const HEARTBEAT_MS = 2_000
/** Most of an asset preview the models read; larger previews are sent as metadata only. */
const IMAGE_BYTES_MAX = 4 * 1024 * 1024

function notConfigured(provider: AiProvider): string {
  const variable = provider === 'openai' ? 'OPENAI_API_KEY' : 'GEMINI_API_KEY'
  return `No ${AI_PROVIDER_LABELS[provider]} API key: add one in Settings → AI, or set ${variable} for the worker.`
}

export function variantKey(batchId: string, itemIndex: number, variantIndex: number): string {
  return `${batchId}:${itemIndex}:${variantIndex}`
}

export function createAiBatchActivities(deps: AiBatchActivityDeps) {
  const { db, storage, providers, settings } = deps

  async function loadItem(batchId: string, itemIndex: number) {
    const item = await db.aiBatchItem.findUnique({
      where: { batchId_index: { batchId, index: itemIndex } },
      include: { batch: { include: { workspace: true, campaign: true } }, asset: true },
    })
    if (!item) {
      throw ApplicationFailure.nonRetryable(
        `Batch ${batchId} has no item ${itemIndex} in PostgreSQL (deleted, or the worker reads another database than the API): check DATABASE_URL of the worker.`,
        'BatchItemNotFound',
      )
    }
    return item
  }

  async function brandOf(agencyId: string, workspace: { id: string; name: string; clientName: string }): Promise<BrandContext> {
    const kit = await db.brandKitVersion.findFirst({ where: { agencyId, workspaceId: workspace.id }, orderBy: { version: 'desc' } })
    return {
      workspaceName: workspace.name,
      clientName: workspace.clientName,
      voicePrompt: kit?.voicePrompt ?? '',
      personality: kit?.personality ?? '',
      targetAudience: kit?.targetAudience ?? '',
      toneAndStyle: kit?.toneAndStyle ?? '',
      preferredPhrases: kit?.preferredPhrases ?? [],
      forbiddenPhrases: kit?.forbiddenPhrases ?? [],
      defaultHashtags: kit?.defaultHashtags ?? [],
    }
  }

  async function assetOf(
    asset: { originalName: string; kind: string; mimeType: string; width: number | null; height: number | null; durationMs: number | null; thumbnailKey: string | null },
    withImage: boolean,
  ): Promise<AssetContext> {
    let image: AssetContext['image'] = null
    if (withImage && asset.kind === 'image' && asset.thumbnailKey) {
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of await storage.get(asset.thumbnailKey)) {
        size += (chunk as Buffer).length
        if (size > IMAGE_BYTES_MAX) break
        chunks.push(chunk as Buffer)
      }
      if (size <= IMAGE_BYTES_MAX) image = { mimeType: 'image/jpeg', base64: Buffer.concat(chunks).toString('base64') }
    }
    return {
      name: asset.originalName,
      kind: asset.kind === 'video' ? 'video' : 'image',
      mimeType: asset.mimeType,
      width: asset.width,
      height: asset.height,
      durationMs: asset.durationMs,
      image,
    }
  }

  /**
   * One provider call under the provider's concurrency slot, heartbeating throughout (a dead worker is noticed,
   * a cancellation arrives). A 429 pauses every worker's calls to the provider for its retry-after and is
   * waited out here, for up to `rateLimitPatienceMs`; other failures become Temporal failures whose type tells
   * the workflow whether to retry or fall back.
   */
  async function callProvider<T>(provider: AiProvider, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const context = Context.current()
    const signal = context.cancellationSignal
    const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_MS)
    const startedAt = Date.now()
    try {
      for (;;) {
        const lease = provider === 'offline' ? null : await acquireProviderSlot(db, provider, { signal, onWait: () => context.heartbeat() })
        // Renewed while the call runs: a dead worker's slot frees itself within one short lease.
        const renewal = lease
          ? setInterval(() => void renewProviderSlot(db, lease).catch(() => undefined), SLOT_RENEW_MS)
          : null
        try {
          return await call(signal)
        } catch (error) {
          if (signal.aborted) throw new CancelledFailure('The batch was cancelled while this call ran.')
          if (!(error instanceof ProviderError)) throw error
          const label = AI_PROVIDER_LABELS[provider]
          switch (error.kind) {
            case 'rate_limited': {
              const waitMs = error.details.retryAfterMs ?? 1_000
              await coolDownProvider(db, provider, new Date(Date.now() + waitMs))
              if (Date.now() - startedAt + waitMs <= settings.rateLimitPatienceMs) continue
              throw ApplicationFailure.create({
                message: `${label} kept answering 429 (rate limited) for ${Math.round((Date.now() - startedAt) / 1000)} s: ${error.message}`,
                type: PROVIDER_RATE_LIMITED,
                nextRetryDelay: waitMs,
              })
            }
            case 'unavailable':
            case 'bad_output':
              throw ApplicationFailure.retryable(`${label}: ${error.message}`, PROVIDER_UNAVAILABLE)
            case 'auth':
            case 'bad_request':
              throw ApplicationFailure.nonRetryable(`${label} refused the request: ${error.message}`, PROVIDER_REFUSED)
          }
        } finally {
          if (renewal) clearInterval(renewal)
          if (lease) await releaseProviderSlot(db, lease)
        }
      }
    } finally {
      clearInterval(heartbeat)
    }
  }

  /** The agency's client for the provider, or why there is none (no key, or a key that cannot be opened). */
  async function resolveClient(agencyId: string, provider: AiProvider) {
    try {
      const client = await providers.forAgency(agencyId, provider)
      return client ? { client } : { reason: notConfigured(provider) }
    } catch (error) {
      return { reason: `The agency's ${AI_PROVIDER_LABELS[provider]} key cannot be opened (${error instanceof Error ? error.message : String(error)}): set it again in Settings → AI.` }
    }
  }

  async function clientFor(agencyId: string, provider: AiProvider) {
    const resolved = await resolveClient(agencyId, provider)
    if ('reason' in resolved) throw ApplicationFailure.nonRetryable(resolved.reason, PROVIDER_NOT_CONFIGURED)
    return resolved.client
  }

  /**
   * A database write after a paid provider call: retried here (heartbeating) rather than by Temporal, which
   * would call the provider again. Gives up after about two minutes; then the activity's retry takes over.
   */
  async function storeWithRetries<T>(write: () => Promise<T>): Promise<T> {
    const context = Context.current()
    for (let attempt = 1; ; attempt++) {
      try {
        return await write()
      } catch (error) {
        if (attempt >= 8) throw error
        context.heartbeat()
        await context.sleep(Math.min(500 * 2 ** attempt, 30_000))
      }
    }
  }

  async function setItemStatus(batchId: string, itemIndex: number, from: BatchItemStatus[], to: BatchItemStatus) {
    await db.aiBatchItem.updateMany({ where: { batchId, index: itemIndex, status: { in: from } }, data: { status: to } })
  }

  return {
    /**
     * The chain without the providers this agency has no key for (its own or the deployment's): a batch does
     * not spend a failed call per variant to learn that a key is missing.
     */
    async usableProviders(input: { agencyId: string; chain: AiProvider[] }): Promise<{ usable: AiProvider[]; skipped: { provider: AiProvider; reason: string }[] }> {
      const usable: AiProvider[] = []
      const skipped: { provider: AiProvider; reason: string }[] = []
      for (const provider of input.chain) {
        const resolved = await resolveClient(input.agencyId, provider)
        if ('client' in resolved) usable.push(provider)
        else skipped.push({ provider, reason: resolved.reason })
      }
      return { usable, skipped }
    },

    /** Writes variant `variantIndex` of an item with `provider` and stores it, or returns the one already stored. */
    async generateVariant(input: { batchId: string; itemIndex: number; variantIndex: number; provider: AiProvider }): Promise<{ provider: AiProvider; variantId: string; reused: boolean }> {
      const key = variantKey(input.batchId, input.itemIndex, input.variantIndex)
      const stored = await db.aiVariant.findUnique({ where: { key }, select: { id: true, provider: true } })
      if (stored) return { provider: stored.provider as AiProvider, variantId: stored.id, reused: true }

      const item = await loadItem(input.batchId, input.itemIndex)
      const { batch } = item
      const client = await clientFor(batch.agencyId, input.provider)
      await setItemStatus(input.batchId, input.itemIndex, ['queued'], 'generating')
      const format = item.format as ContentFormat
      const angle = VARIATION_ANGLES[input.variantIndex % VARIATION_ANGLES.length]!
      const campaign: CampaignContext | null = batch.campaign
        ? { name: batch.campaign.name, objective: batch.campaign.objective, audience: batch.campaign.audience, keyMessages: batch.campaign.keyMessages }
        : null
      const request = {
        format,
        angle,
        variantIndex: input.variantIndex,
        seed: (batch.seed + input.itemIndex * 7919) >>> 0,
        brand: await brandOf(batch.agencyId, batch.workspace),
        campaign,
        asset: item.asset ? await assetOf(item.asset, client.supportsImages) : null,
        sourceText: batch.sourceText,
        requestKey: key,
      }
      const generated = await callProvider(input.provider, (signal) => client.generate(request, signal))
      const { content, adjustments } = fitToFormat(format, generated.content)
      const costMicros = estimateCostMicros(generated.provider, generated.model, generated.usage)

      await storeWithRetries(() => db.$transaction(async (tx) => {
        // Under the item's lock: an item already finished (a cancel finished it while this call ran) takes no
        // more variants, so nothing is stored, billed or counted that would never be scored or landed.
        const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT "status" FROM "AiBatchItem" WHERE "id" = ${item.id}::uuid FOR UPDATE`
        if (!locked || ['done', 'failed', 'cancelled'].includes(locked.status)) return
        const created = await tx.aiVariant.createMany({
          data: [
            {
              agencyId: batch.agencyId,
              batchId: batch.id,
              itemId: item.id,
              variantIndex: input.variantIndex,
              key,
              format,
              angle,
              provider: generated.provider,
              model: generated.model,
              sawImage: generated.sawImage,
              content: content as unknown as Prisma.InputJsonObject,
              adjustments,
              inputTokens: generated.usage.inputTokens,
              outputTokens: generated.usage.outputTokens,
              costMicros,
            },
          ],
          skipDuplicates: true,
        })
        // Counted once, with the row: a retry that finds the key taken counts nothing.
        if (created.count === 1) {
          await addMeteredUsage(tx, batch.agencyId, 1)
          await tx.aiBatch.update({ where: { id: batch.id }, data: { generatedVariants: { increment: 1 } } })
        }
      }))
      const row = await db.aiVariant.findUnique({ where: { key }, select: { id: true, provider: true } })
      if (!row) throw ApplicationFailure.nonRetryable('The item was already finished (cancelled) when this variant arrived; it was not kept.', 'ItemFinished')
      return { provider: row.provider as AiProvider, variantId: row.id, reused: false }
    },

    /** The LLM judge's verdicts on an item's stored variants, with the fixed rubric prompt. */
    async judgeVariants(input: { batchId: string; itemIndex: number; provider: AiProvider }): Promise<JudgeVerdicts | null> {
      const item = await loadItem(input.batchId, input.itemIndex)
      const variants = await db.aiVariant.findMany({ where: { itemId: item.id }, orderBy: { variantIndex: 'asc' } })
      if (variants.length === 0) return null
      const client = await clientFor(item.batch.agencyId, input.provider)
      await setItemStatus(input.batchId, input.itemIndex, ['queued', 'generating'], 'scoring')
      const request = {
        format: item.format as ContentFormat,
        brand: await brandOf(item.batch.agencyId, item.batch.workspace),
        variants: variants.map((variant) => variant.content as unknown as VariantContent),
        requestKey: `${input.batchId}:${input.itemIndex}:judge`,
      }
      const result: JudgeResult | null = await callProvider(input.provider, (signal) => client.judge(request, signal))
      if (!result) return null
      return {
        provider: result.provider,
        model: result.model,
        byVariant: Object.fromEntries(variants.map((variant, i) => [variant.variantIndex, result.verdicts[i]!])),
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
      }
    },

    /**
     * Scores an item's stored variants (rule checks, plus the judge's verdicts when there are any), marks the
     * best approved when the auto-approve rule holds, and lands the variants on the item's card as caption
     * versions, best last so it is the card's current caption. An item without variants is marked `ifEmpty`.
     * Safe to repeat: a finished item is not scored or landed again.
     */
    async finishItem(input: {
      batchId: string
      itemIndex: number
      judge: JudgeVerdicts | null
      judgeNote: string | null
      autoApprove: AutoApproveRule | null
      error: string | null
      ifEmpty: 'failed' | 'cancelled'
    }): Promise<{ status: 'done' | 'failed' | 'cancelled'; providers: (AiProvider | null)[] }> {
      const item = await loadItem(input.batchId, input.itemIndex)
      const { batch } = item
      const brand = await brandOf(batch.agencyId, batch.workspace)
      const format = item.format as ContentFormat
      const judge = input.judge
      const providersOf = (variants: { variantIndex: number; provider: string }[]) =>
        Array.from({ length: batch.variantsPerItem }, (_, i) => (variants.find((v) => v.variantIndex === i)?.provider as AiProvider | undefined) ?? null)

      return storeWithRetries(() =>
        db.$transaction(async (tx) => {
          // The item's row lock, then its variants: a retry racing a slow first attempt lands once, and no variant
          // stored meanwhile is missed (generateVariant stores under the same lock).
          const [locked] = await tx.$queryRaw<{ status: string }[]>`SELECT "status" FROM "AiBatchItem" WHERE "id" = ${item.id}::uuid FOR UPDATE`
          const variants = await tx.aiVariant.findMany({ where: { itemId: item.id }, orderBy: { variantIndex: 'asc' } })
          const providersByIndex = providersOf(variants)
          if (locked?.status === 'done') return { status: 'done' as const, providers: providersByIndex }
          if (variants.length === 0) {
            await tx.aiBatchItem.update({ where: { id: item.id }, data: { status: input.ifEmpty, error: input.error } })
            return { status: input.ifEmpty, providers: providersByIndex }
          }
          const scores = scoreVariants({
            format,
            variants: variants.map((variant) => variant.content as unknown as VariantContent),
            brand: { forbiddenPhrases: brand.forbiddenPhrases, preferredPhrases: brand.preferredPhrases },
            judge: judge ? { provider: judge.provider, verdicts: variants.map((variant) => judge.byVariant[variant.variantIndex] ?? null) } : null,
          })
          const approved = input.autoApprove ? pickAutoApproved(scores, input.autoApprove) : null
          const judgeInput = splitEvenly(judge?.inputTokens ?? 0, variants.length)
          const judgeOutput = splitEvenly(judge?.outputTokens ?? 0, variants.length)
          const judgeCost = splitEvenly(judge ? estimateCostMicros(judge.provider, judge.model, judge) : 0, variants.length)
          for (const [i, variant] of variants.entries()) {
            const score = scores[i]!
            await tx.aiVariant.update({
              where: { id: variant.id },
              data: {
                scores: {
                  ...score,
                  judge: judge ? { provider: judge.provider, model: judge.model, inputTokens: judgeInput[i], outputTokens: judgeOutput[i], costMicros: judgeCost[i] } : null,
                  judgeNote: input.judgeNote,
                } as unknown as Prisma.InputJsonObject,
                overall: score.overall,
                status: approved === i ? 'approved' : 'in_review',
                costMicros: estimateCostMicros(variant.provider as AiProvider, variant.model, variant) + judgeCost[i]!,
                scoredAt: new Date(),
              },
            })
          }
          if (item.cardId) await landOnCard(tx, { ...item, batch }, variants, scores.map((score) => score.overall), approved)
          await tx.aiBatchItem.update({
            where: { id: item.id },
            data: { status: 'done', error: input.error, approvedVariantIndex: approved === null ? null : variants[approved]!.variantIndex },
          })
          return { status: 'done' as const, providers: providersByIndex }
        }),
      )
    },

    /** The batch's end: its status, totals and summary, for lists and the batch page. */
    async finishBatch(input: { batchId: string; summary: BatchSummary }): Promise<void> {
      const totals = await db.aiVariant.aggregate({ where: { batchId: input.batchId }, _sum: { inputTokens: true, outputTokens: true, costMicros: true } })
      await db.aiBatch.update({
        where: { id: input.batchId },
        data: {
          status: input.summary.status,
          failedItems: input.summary.itemsFailed,
          inputTokens: totals._sum.inputTokens ?? 0,
          outputTokens: totals._sum.outputTokens ?? 0,
          costMicros: BigInt(totals._sum.costMicros ?? 0),
          summary: input.summary as unknown as Prisma.InputJsonObject,
          finishedAt: new Date(),
        },
      })
    },
  }
}

/**
 * The variants become caption versions of the card, worst first, so the best (or the approved one) is the
 * current caption. A card that has meanwhile reached a done column (approved, scheduled, published), or is
 * waiting for an approval decision, keeps its caption: the variants stay in the batch.
 */
async function landOnCard(
  tx: Prisma.TransactionClient,
  item: { id: string; cardId: string | null; format: string; batch: { id: string; agencyId: string; workspaceId: string } },
  variants: { id: string; variantIndex: number; provider: string; content: unknown }[],
  overall: number[],
  approved: number | null,
): Promise<void> {
  const { agencyId, workspaceId } = item.batch
  await beginBoardChange(tx, agencyId, workspaceId)
  const [card] = await tx.$queryRaw<{ id: string; campaignId: string; column: string; assigneeCreatorId: string | null }[]>`
    SELECT "id", "campaignId", "column", "assigneeCreatorId" FROM "ContentTask" WHERE "id" = ${item.cardId}::uuid AND "agencyId" = ${agencyId}::uuid FOR UPDATE`
  if (!card || (DONE_COLUMNS as readonly BoardColumn[]).includes(card.column as BoardColumn)) return
  // Under review the caption is what the approvers are deciding on: the variants wait in the batch.
  if (await tx.approvalRound.findFirst({ where: { cardId: card.id, status: 'pending' }, select: { id: true } })) return
  const order = landingOrder(overall, approved)
  const existing = await tx.captionVersion.findMany({ where: { cardId: card.id }, select: { version: true } })
  let version = nextCaptionVersion(existing.map((v) => v.version))
  const landed: number[] = []
  for (const i of order) {
    const variant = variants[i]!
    const caption = await tx.captionVersion.create({
      data: { agencyId, cardId: card.id, version, text: variantCaption(item.format as ContentFormat, variant.content as VariantContent), source: 'ai' },
    })
    await tx.aiVariant.update({ where: { id: variant.id }, data: { captionVersionId: caption.id } })
    landed.push(version)
    version += 1
  }
  await tx.contentTask.update({ where: { id: card.id }, data: { version: { increment: 1 } } })
  const best = order.at(-1)!
  await tx.cardActivity.create({
    data: {
      agencyId,
      cardId: card.id,
      actorLabel: 'AI generation',
      kind: 'ai_variants',
      detail: {
        batchId: item.batch.id,
        versions: landed,
        providers: [...new Set(variants.map((v) => v.provider))],
        bestScore: overall[best]!,
        autoApproved: approved === null ? null : { variantIndex: variants[approved]!.variantIndex, score: overall[approved]! },
      },
    },
  })
  await publishBoardChange(tx, {
    type: 'card.upserted',
    agencyId,
    cardId: card.id,
    workspaceId,
    campaignId: card.campaignId,
    assigneeCreatorIds: [card.assigneeCreatorId],
    by: { userId: null, name: 'AI generation' },
  })
}
