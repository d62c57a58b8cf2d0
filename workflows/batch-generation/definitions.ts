// The batch generation workflow's contract, shared by the workflow, the worker and the API client.
import { defineQuery, defineSignal } from '@temporalio/workflow'
import type { AiProvider, ContentFormat } from '../../domain/ai-content'
import type { AutoApproveRule } from '../../domain/rubric'

export const BATCH_WORKFLOW_TYPE = 'batchGenerationWorkflow'

/** One unit of work: an asset on one platform, or one repurposing format. */
export interface BatchItemPlan {
  index: number
  format: ContentFormat
  /** What the progress shows: the asset's file name and the format. */
  label: string
}

export interface BatchGenerationInput {
  batchId: string
  agencyId: string
  /** Providers in order of preference; the offline generator, when present, never fails. */
  providerChain: AiProvider[]
  variantsPerItem: number
  items: BatchItemPlan[]
  autoApprove: AutoApproveRule | null
}

export type BatchItemStatus = 'queued' | 'generating' | 'scoring' | 'done' | 'failed' | 'cancelled'

export interface BatchItemProgress {
  index: number
  label: string
  format: ContentFormat
  status: BatchItemStatus
  variantsDone: number
  variantsFailed: number
  /** Who wrote each finished variant, by variant index. */
  providers: (AiProvider | null)[]
  /** Why the item (or some of its variants) failed, in plain words. */
  error: string | null
}

export interface SkippedProvider {
  provider: AiProvider
  reason: string
}

export interface BatchProgress {
  status: 'running' | 'completed' | 'cancelled'
  /** Providers of the chain this batch does not use (no key), found before the first call. */
  skippedProviders: SkippedProvider[]
  variantsPlanned: number
  variantsDone: number
  items: BatchItemProgress[]
  cancelledBy: string | null
}

export interface BatchSummary {
  /** failed: not one item could be written (every provider of the chain failed on every item). */
  status: 'completed' | 'cancelled' | 'failed'
  variantsPlanned: number
  variantsGenerated: number
  itemsDone: number
  itemsFailed: number
  itemsCancelled: number
  /** Variants per provider that wrote them. */
  byProvider: Partial<Record<AiProvider, number>>
  failures: { index: number; label: string; reason: string }[]
  skippedProviders: SkippedProvider[]
  cancelledBy: string | null
}

export interface BatchActor {
  userId: string
  name: string
}

export const batchProgressQuery = defineQuery<BatchProgress>('batchProgress')
/** Stops the work not yet done; finished variants are kept, scored and land on their cards. */
export const cancelBatchSignal = defineSignal<[{ by: BatchActor }]>('cancelBatch')

const PREFIX = 'batch:'

export function batchWorkflowId(batchId: string): string {
  return `${PREFIX}${batchId}`
}

export function batchIdFromWorkflowId(workflowId: string): string | null {
  return workflowId.startsWith(PREFIX) ? workflowId.slice(PREFIX.length) : null
}

/** The task queue of a provider's calls: its own queue, so each provider has its own concurrency and rate. */
export function providerTaskQueue(baseTaskQueue: string, provider: Exclude<AiProvider, 'offline'>): string {
  return `${baseTaskQueue}-ai-${provider}`
}

/** Failure types the AI activities throw; the workflow falls back to the next provider on all of them. */
export const PROVIDER_REFUSED = 'ProviderRefused'
export const PROVIDER_NOT_CONFIGURED = 'ProviderNotConfigured'
export const PROVIDER_UNAVAILABLE = 'ProviderUnavailable'
export const PROVIDER_RATE_LIMITED = 'ProviderRateLimited'
