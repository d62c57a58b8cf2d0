// The AI pages' rules, without I/O: what a posted generate, repurpose or settings form means as an API body
// (checked with the same limits the API applies, so a mistake is named before anything is sent), how a
// provider chain reads, how far a batch has come, and how statuses, keys and scores read on screen. Shared by
// the actions, the components and the tests.
import type { Static } from '@fastify/type-provider-typebox'
import type {
  AiSettingsDto,
  BatchDetailDto,
  BatchProgressResponse,
  StartAssetBatchBody,
  StartRepurposeBody,
  UpdateAiSettingsBody,
  UpdateCampaignAiSettingsBody,
} from '../../../api/schemas/ai.ts'
import {
  AI_PROVIDERS,
  AI_PROVIDER_LABELS,
  ASSET_FORMATS,
  BATCH_ASSET_LIMIT,
  REPURPOSE_FORMATS,
  REPURPOSE_SOURCE_MAX,
  REPURPOSE_SOURCE_MIN,
  VARIANTS_PER_ITEM_MAX,
  charCount,
  type AiProvider,
  type AssetFormat,
  type RepurposeFormat,
} from '../../../domain/ai-content.ts'

export type BatchDetail = BatchDetailDto
export type BatchItem = BatchDetail['items'][number]
export type BatchVariant = BatchItem['variants'][number]
export type BatchProgress = Static<typeof BatchProgressResponse>
export type AiSettings = AiSettingsDto
export type ProviderSettings = AiSettings['providers'][number]
export type CampaignAiSettingsBody = Static<typeof UpdateCampaignAiSettingsBody>

/** A campaign a batch's variants can land on, with the platforms its brief names. */
export interface CampaignOption {
  id: string
  name: string
  platforms: readonly string[]
}

/** Messages by field name, and "form" for the whole form. */
export type AiFormErrors = Partial<Record<string, string>>

export type FormReading<Values, Body> = { ok: true; values: Values; body: Body } | { ok: false; values: Values; errors: AiFormErrors }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const API_KEY = /^\S{8,300}$/
const MODEL_NAME = /^[A-Za-z0-9._:-]{1,100}$/
export const SOURCE_TITLE_MAX = 200
export const DEFAULT_VARIANTS_PER_ITEM = VARIANTS_PER_ITEM_MAX

const text = (form: FormData, key: string) => {
  const value = form.get(key)
  return typeof value === 'string' ? value : ''
}
const texts = (form: FormData, key: string) => form.getAll(key).map((value) => (typeof value === 'string' ? value : ''))

export function isAiProvider(value: string): value is AiProvider {
  return (AI_PROVIDERS as readonly string[]).includes(value)
}

const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`

// ---------------------------------------------------------------------------------------------------------
// Provider chains

/**
 * The chain as picked in the form's ordered selects (`providerChain`, one per position; "" leaves a position
 * empty). Empty positions are skipped, so "—, OpenAI" is simply OpenAI; a provider picked twice is a mistake
 * worth naming rather than silently dropping. An empty chain means "the default" to the API.
 */
export function parseProviderChain(positions: readonly string[]): { ok: true; chain: AiProvider[] } | { ok: false; error: string } {
  const chain: AiProvider[] = []
  for (const raw of positions) {
    const value = raw.trim()
    if (value === '') continue
    if (!isAiProvider(value)) return { ok: false, error: `“${value}” is not a provider Greenlight knows.` }
    if (chain.includes(value)) return { ok: false, error: `${AI_PROVIDER_LABELS[value]} is chosen twice: each provider can be in the chain once.` }
    chain.push(value)
  }
  return { ok: true, chain }
}

/** "OpenAI → Google Gemini → Offline generator"; "" for an empty chain. */
export function chainLabel(chain: readonly string[]): string {
  return chain.map((id) => (isAiProvider(id) ? AI_PROVIDER_LABELS[id] : id)).join(' → ')
}

/** The chain's positions for the form's selects: the chain, then empty positions up to one per provider. */
export function chainPositions(chain: readonly string[]): string[] {
  return Array.from({ length: AI_PROVIDERS.length }, (_, i) => chain[i] ?? '')
}

/** Whether a batch on this chain can always finish: the offline generator needs no key and never fails. */
export function chainNeverFails(chain: readonly string[]): boolean {
  return chain.at(-1) === 'offline'
}

/** What the providers' keys say about a chain, link by link: who will write, who will be skipped. */
export interface ChainLink {
  id: AiProvider
  label: string
  usable: boolean
  /** "will be used", "no key, will be skipped", or, without settings to go by, "". */
  note: string
}

export function chainAvailability(chain: readonly AiProvider[], providers: readonly ProviderSettings[] | null): ChainLink[] {
  return chain.map((id) => {
    const settings = providers?.find((provider) => provider.id === id)
    const label = AI_PROVIDER_LABELS[id]
    if (!settings) return { id, label, usable: true, note: '' }
    const usable = settings.keySource !== 'none'
    const note = !usable ? 'no key, will be skipped' : settings.keySource === 'not_needed' ? 'template-based, needs no key' : `model ${settings.model}`
    return { id, label, usable, note }
  })
}

// ---------------------------------------------------------------------------------------------------------
// Keys

/** How a provider's key reads on the settings page; the key itself never comes back from the API. */
export function keyStatusLabel(provider: Pick<ProviderSettings, 'keySource' | 'keyHint'>): string {
  switch (provider.keySource) {
    case 'agency': {
      const hint = provider.keyHint?.replace(/^(?:…|\.\.\.)/, '') ?? ''
      return hint ? `Set (…${hint})` : 'Set'
    }
    case 'environment':
      return 'From the environment'
    case 'not_needed':
      return 'No key needed'
    default:
      return 'Not set'
  }
}

// ---------------------------------------------------------------------------------------------------------
// Shared fields of both batch forms

function readVariantsPerItem(raw: string): { value: number; error?: string } {
  if (raw.trim() === '') return { value: DEFAULT_VARIANTS_PER_ITEM }
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 1 || value > VARIANTS_PER_ITEM_MAX) {
    return { value: DEFAULT_VARIANTS_PER_ITEM, error: `Choose 1 to ${VARIANTS_PER_ITEM_MAX} variations per item.` }
  }
  return { value }
}

function readCampaignId(raw: string): { value: string; error?: string } {
  const value = raw.trim()
  if (value === '' || UUID.test(value)) return { value }
  return { value: '', error: 'Choose a campaign from the list, or none.' }
}

function uniqueFormats<F extends string>(picked: readonly string[], allowed: readonly F[]): { formats: F[]; unknown: string[] } {
  const formats: F[] = []
  const unknown: string[] = []
  for (const value of picked) {
    if ((allowed as readonly string[]).includes(value)) {
      if (!formats.includes(value as F)) formats.push(value as F)
    } else unknown.push(value)
  }
  // In the order the page lists them, whatever order the browser posted.
  return { formats: allowed.filter((format) => formats.includes(format)), unknown }
}

// ---------------------------------------------------------------------------------------------------------
// Generate captions for assets

export interface GenerateFormValues {
  assetIds: string[]
  formats: string[]
  variantsPerItem: number
  /** The selects' positions as posted ("" for an empty one). */
  providerChain: string[]
  campaignId: string
}

/** Generations a batch uses: one per variant, so items (assets × platforms, or formats) × variations. */
export function plannedGenerations(items: number, variantsPerItem: number): number {
  return Math.max(0, items) * Math.max(0, variantsPerItem)
}

/** "2 assets × 2 platforms × 3 variations = 12 generations". */
export function assetGenerationsLine(assets: number, platforms: number, variantsPerItem: number): string {
  const total = plannedGenerations(assets * platforms, variantsPerItem)
  return `${plural(assets, 'asset')} × ${plural(platforms, 'platform')} × ${plural(variantsPerItem, 'variation')} = ${plural(total, 'generation')}`
}

/** "2 formats × 3 variations = 6 generations". */
export function repurposeGenerationsLine(formats: number, variantsPerItem: number): string {
  const total = plannedGenerations(formats, variantsPerItem)
  return `${plural(formats, 'format')} × ${plural(variantsPerItem, 'variation')} = ${plural(total, 'generation')}`
}

export function readGenerateForm(form: FormData): FormReading<GenerateFormValues, StartAssetBatchBody> {
  const errors: AiFormErrors = {}
  const assetIds = [...new Set(texts(form, 'assetIds').map((id) => id.trim()).filter((id) => id !== ''))]
  const { formats, unknown } = uniqueFormats<AssetFormat>(texts(form, 'formats'), ASSET_FORMATS)
  const variants = readVariantsPerItem(text(form, 'variantsPerItem'))
  const positions = texts(form, 'providerChain')
  const chain = parseProviderChain(positions)
  const campaign = readCampaignId(text(form, 'campaignId'))
  const values: GenerateFormValues = { assetIds, formats, variantsPerItem: variants.value, providerChain: positions, campaignId: campaign.value }

  if (assetIds.length === 0) errors.assetIds = 'Pick at least one asset from the library.'
  else if (assetIds.length > BATCH_ASSET_LIMIT) errors.assetIds = `A batch takes at most ${BATCH_ASSET_LIMIT} assets; ${assetIds.length} are picked.`
  else if (assetIds.some((id) => !UUID.test(id))) errors.assetIds = 'Pick the assets from the library shown here.'
  if (unknown.length > 0) errors.formats = `Greenlight does not write for “${unknown[0]}”.`
  else if (formats.length === 0) errors.formats = 'Pick at least one platform.'
  if (variants.error) errors.variantsPerItem = variants.error
  if (!chain.ok) errors.providerChain = chain.error
  if (campaign.error) errors.campaignId = campaign.error
  if (Object.keys(errors).length > 0 || !chain.ok) return { ok: false, values, errors }

  const body: StartAssetBatchBody = {
    assetIds,
    formats,
    variantsPerItem: variants.value,
    ...(chain.chain.length > 0 ? { providerChain: chain.chain } : {}),
    campaignId: campaign.value === '' ? null : campaign.value,
  }
  return { ok: true, values, body }
}

// ---------------------------------------------------------------------------------------------------------
// Repurpose a long text

export interface RepurposeFormValues {
  sourceTitle: string
  sourceText: string
  formats: string[]
  variantsPerItem: number
  providerChain: string[]
  campaignId: string
}

/** What the text's counter says: its length in characters (as the API counts them) against the limits. */
export function sourceTextCount(value: string): { length: number; state: 'short' | 'ok' | 'long'; message: string } {
  const length = charCount(value)
  const limits = `${REPURPOSE_SOURCE_MIN.toLocaleString('en-US')}–${REPURPOSE_SOURCE_MAX.toLocaleString('en-US')}`
  const count = `${length.toLocaleString('en-US')} ${length === 1 ? 'character' : 'characters'}`
  if (length < REPURPOSE_SOURCE_MIN) return { length, state: 'short', message: `${count}: at least ${REPURPOSE_SOURCE_MIN.toLocaleString('en-US')} needed (${limits}).` }
  if (length > REPURPOSE_SOURCE_MAX) return { length, state: 'long', message: `${count}: at most ${REPURPOSE_SOURCE_MAX.toLocaleString('en-US')} (${limits}).` }
  return { length, state: 'ok', message: `${count} of ${REPURPOSE_SOURCE_MAX.toLocaleString('en-US')}.` }
}

export function readRepurposeForm(form: FormData): FormReading<RepurposeFormValues, StartRepurposeBody> {
  const errors: AiFormErrors = {}
  const sourceTitle = text(form, 'sourceTitle').trim()
  // Line endings as the browser posts them (CRLF) would count twice; the text is what the person typed.
  const sourceText = text(form, 'sourceText').replace(/\r\n?/g, '\n').trim()
  const { formats, unknown } = uniqueFormats<RepurposeFormat>(texts(form, 'formats'), REPURPOSE_FORMATS)
  const variants = readVariantsPerItem(text(form, 'variantsPerItem'))
  const positions = texts(form, 'providerChain')
  const chain = parseProviderChain(positions)
  const campaign = readCampaignId(text(form, 'campaignId'))
  const values: RepurposeFormValues = { sourceTitle, sourceText, formats, variantsPerItem: variants.value, providerChain: positions, campaignId: campaign.value }

  if (charCount(sourceTitle) > SOURCE_TITLE_MAX) errors.sourceTitle = `Keep the title to ${SOURCE_TITLE_MAX} characters.`
  const count = sourceTextCount(sourceText)
  if (count.length === 0) errors.sourceText = 'Paste the text to repurpose.'
  else if (count.state !== 'ok') errors.sourceText = `The text has ${count.message}`
  if (unknown.length > 0) errors.formats = `Greenlight does not write “${unknown[0]}”.`
  else if (formats.length === 0) errors.formats = 'Pick at least one format.'
  if (variants.error) errors.variantsPerItem = variants.error
  if (!chain.ok) errors.providerChain = chain.error
  if (campaign.error) errors.campaignId = campaign.error
  if (Object.keys(errors).length > 0 || !chain.ok) return { ok: false, values, errors }

  const body: StartRepurposeBody = {
    ...(sourceTitle !== '' ? { sourceTitle } : {}),
    sourceText,
    formats,
    variantsPerItem: variants.value,
    ...(chain.chain.length > 0 ? { providerChain: chain.chain } : {}),
    campaignId: campaign.value === '' ? null : campaign.value,
  }
  return { ok: true, values, body }
}

// ---------------------------------------------------------------------------------------------------------
// Settings → AI, and a campaign's AI settings

/** The providers whose model and key the agency sets (the offline generator has neither). */
export const KEYED_PROVIDERS = ['openai', 'gemini'] as const satisfies readonly AiProvider[]
export type KeyedProvider = (typeof KEYED_PROVIDERS)[number]

export function isKeyedProvider(value: string): value is KeyedProvider {
  return (KEYED_PROVIDERS as readonly string[]).includes(value)
}

/**
 * Settings → AI as an update: the chain, a model only when it was changed from what the page showed (empty
 * goes back to the default model), and a key only when one was typed. Keys are never shown, so an empty key
 * field means "keep the one there is".
 */
export function readAiSettingsForm(form: FormData): FormReading<{ providerChain: string[] }, UpdateAiSettingsBody> {
  const errors: AiFormErrors = {}
  const positions = texts(form, 'providerChain')
  const chain = parseProviderChain(positions)
  if (!chain.ok) errors.providerChain = chain.error
  else if (chain.chain.length === 0) errors.providerChain = 'Choose at least one provider.'
  const body: UpdateAiSettingsBody = chain.ok && chain.chain.length > 0 ? { providerChain: chain.chain } : {}

  for (const provider of KEYED_PROVIDERS) {
    const label = AI_PROVIDER_LABELS[provider]
    const model = text(form, `${provider}Model`).trim()
    if (model !== text(form, `${provider}ModelWas`).trim()) {
      if (model !== '' && !MODEL_NAME.test(model)) errors[`${provider}Model`] = `A ${label} model name is letters, digits and . _ : - (at most 100).`
      else body[`${provider}Model`] = model === '' ? null : model
    }
    const key = text(form, `${provider}Key`).trim()
    if (key !== '') {
      if (!API_KEY.test(key)) errors[`${provider}Key`] = `A ${label} key is 8 to 300 characters without spaces.`
      else body[`${provider}Key`] = key
    }
  }
  const values = { providerChain: positions }
  return Object.keys(errors).length > 0 ? { ok: false, values, errors } : { ok: true, values, body }
}

export interface CampaignAiFormValues {
  providerChain: string[]
  enabled: boolean
  threshold: string
  floor: string
}

function readScore(raw: string, what: string): { value: number; error?: string } {
  const trimmed = raw.trim()
  const value = Number(trimmed)
  if (trimmed === '' || !Number.isInteger(value) || value < 0 || value > 100) return { value: 0, error: `The ${what} is a whole number from 0 to 100.` }
  return { value }
}

/** A campaign's AI settings: its chain (none: the agency's) and when a variant is approved without review. */
export function readCampaignAiForm(form: FormData): FormReading<CampaignAiFormValues, CampaignAiSettingsBody> {
  const errors: AiFormErrors = {}
  const positions = texts(form, 'providerChain')
  const chain = parseProviderChain(positions)
  const values: CampaignAiFormValues = {
    providerChain: positions,
    enabled: text(form, 'autoApproveEnabled') === 'on',
    threshold: text(form, 'autoApproveThreshold'),
    floor: text(form, 'autoApproveFloor'),
  }
  if (!chain.ok) errors.providerChain = chain.error
  const threshold = readScore(values.threshold, 'threshold')
  const floor = readScore(values.floor, 'floor')
  if (threshold.error) errors.autoApproveThreshold = threshold.error
  if (floor.error) errors.autoApproveFloor = floor.error
  if (Object.keys(errors).length > 0 || !chain.ok) return { ok: false, values, errors }
  return {
    ok: true,
    values,
    body: { providerChain: chain.chain, autoApprove: { enabled: values.enabled, threshold: threshold.value, floor: floor.value } },
  }
}

// ---------------------------------------------------------------------------------------------------------
// Batches: progress, statuses, what a cancelled batch kept

/** Whole percent of planned variants done, 0–100 (a batch that plans none is at 0). */
export function progressPercent(done: number, planned: number): number {
  if (!Number.isFinite(done) || !Number.isFinite(planned) || planned <= 0) return 0
  return Math.min(100, Math.max(0, Math.floor((done / planned) * 100)))
}

export const BATCH_STATUS_LABELS: Record<string, string> = {
  running: 'Running',
  completed: 'Completed',
  cancelled: 'Cancelled',
  failed: 'Failed',
}

export const ITEM_STATUS_LABELS: Record<string, string> = {
  queued: 'Queued',
  generating: 'Writing',
  scoring: 'Scoring',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

export type StatusTone = 'sky' | 'emerald' | 'amber' | 'red' | 'slate'

const STATUS_TONES: Record<string, StatusTone> = {
  running: 'sky',
  generating: 'sky',
  scoring: 'sky',
  completed: 'emerald',
  done: 'emerald',
  approved: 'emerald',
  cancelled: 'amber',
  failed: 'red',
  rejected: 'red',
  queued: 'slate',
}

export function statusTone(status: string): StatusTone {
  return STATUS_TONES[status] ?? 'slate'
}

/** "Running", or the status as the API said it when it is one this page does not know yet. */
export const batchStatusLabel = (status: string) => BATCH_STATUS_LABELS[status] ?? status
export const itemStatusLabel = (status: string) => ITEM_STATUS_LABELS[status] ?? status

export const BATCH_KIND_LABELS: Record<BatchDetail['kind'], string> = { assets: 'Captions for assets', repurpose: 'Repurposed text' }

/** The score's colour: good enough to post, worth a look, or needs work. */
export function scoreTone(score: number | null): StatusTone {
  if (score === null) return 'slate'
  return score >= 80 ? 'emerald' : score >= 60 ? 'amber' : 'red'
}

/** The board card a variant landed on. */
export function cardHref(card: { id: string; campaignId: string }): string {
  return `/campaigns/${encodeURIComponent(card.campaignId)}/board/cards/${encodeURIComponent(card.id)}`
}

export function offlineVariantCount(items: readonly Pick<BatchItem, 'variants'>[]): number {
  return items.reduce((sum, item) => sum + item.variants.filter((variant) => variant.provider === 'offline').length, 0)
}

/** A cancelled (or finished) batch in numbers: what is kept and what was never written. */
export interface BatchOutcome {
  variantsKept: number
  variantsPlanned: number
  itemsDone: number
  itemsCancelled: number
  itemsFailed: number
  cancelledBy: string | null
}

export function batchOutcome(batch: Pick<BatchDetail, 'items' | 'plannedVariants' | 'summary'>): BatchOutcome {
  const count = (status: string) => batch.items.filter((item) => item.status === status).length
  const summary = batch.summary as { cancelledBy?: unknown } | null
  return {
    variantsKept: batch.items.reduce((sum, item) => sum + item.variants.length, 0),
    variantsPlanned: batch.plannedVariants,
    itemsDone: count('done'),
    itemsCancelled: count('cancelled'),
    itemsFailed: count('failed'),
    cancelledBy: typeof summary?.cancelledBy === 'string' ? summary.cancelledBy : null,
  }
}

/** "12,345 tokens in · 2,345 out". */
export function tokensLine(inputTokens: number, outputTokens: number): string {
  return `${inputTokens.toLocaleString('en-US')} tokens in · ${outputTokens.toLocaleString('en-US')} out`
}

/** LEARN_MORE → "Learn more". */
export function ctaLabel(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A score part's check as a name: sibling_similarity → "Sibling similarity"; the judge reads as "Model judge". */
export function scoreCheckLabel(check: string): string {
  if (check === 'llm_judge') return 'Model judge'
  const words = check.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

// ---------------------------------------------------------------------------------------------------------
// The batch list's filters

export interface BatchListFilters {
  workspaceId: string
  campaignId: string
}

/** ?workspaceId=&campaignId= as the list's filters; anything that is no id is dropped, not sent to the API. */
export function readBatchListFilters(params: URLSearchParams): BatchListFilters {
  const id = (key: string) => {
    const value = params.get(key) ?? ''
    return UUID.test(value) ? value : ''
  }
  return { workspaceId: id('workspaceId'), campaignId: id('campaignId') }
}

/** The API query of GET /api/ai-batches ("" without filters). */
export function batchListQuery(filters: BatchListFilters): string {
  const query = new URLSearchParams()
  if (filters.workspaceId) query.set('workspaceId', filters.workspaceId)
  if (filters.campaignId) query.set('campaignId', filters.campaignId)
  const search = query.toString()
  return search ? `?${search}` : ''
}

/** Newest first, whatever order the rows came in. */
export function newestFirst<T extends { createdAt: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => b.createdAt.localeCompare(a.createdAt))
}

/** What the plan leaves of this month's generations; null when this role cannot read the plan. */
export function generationsLeft(plan: { plan: { limits: { aiGenerationsPerMonth: number } }; usage: { aiGenerationsPerMonth: number } } | null): { left: number; limit: number } | null {
  if (!plan) return null
  const limit = plan.plan.limits.aiGenerationsPerMonth
  return { left: Math.max(0, limit - plan.usage.aiGenerationsPerMonth), limit }
}
