// The campaign forms' rules: what a posted form means as an API body (new campaign, brief, deliverables, list
// filters), and where the API's (or the domain's) field issues belong on the page. Pure: shared by actions,
// which check with the same domain rules the API applies before sending, and by the editors.
import { SOCIAL_PLATFORMS, type SocialPlatform } from '../../../domain/brand-kit.ts'
import {
  BRIEF_LIMITS,
  BRIEF_REFERENCE_KINDS,
  CURRENCIES,
  DELIVERABLE_KINDS,
  DELIVERABLE_LIMITS,
  briefIssues,
  deliverableIssues,
  isBriefStatus,
  isCurrencyCode,
  isDeliverableKindFor,
  isIndustryTemplateId,
  isObjective,
  isSocialPlatform,
  isTimeZone,
  parseMoneyAmount,
  type BriefReference,
  type BriefStatus,
  type CampaignBrief,
  type CurrencyCode,
  type Deliverable,
  type FieldIssue,
  type IndustryTemplateId,
  type Objective,
} from '../../../domain/campaign-brief.ts'
import type { Campaign, CreateCampaignBody, Deliverable as DeliverableDto, SaveDeliverablesBody, UpdateCampaignBody } from '../../../api/schemas/campaign.ts'

/** Messages by field key ("name", "budget", "references.2.url", "deliverables.1.count", ...) and "form". */
export type FormErrors = Record<string, string>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const text = (form: FormData, key: string) => {
  const value = form.get(key)
  return typeof value === 'string' ? value : ''
}
const texts = (form: FormData, key: string) => form.getAll(key).map((value) => (typeof value === 'string' ? value : ''))

// ---------------------------------------------------------------------------------------------------------
// The campaign list's filters

export interface CampaignListFilters {
  workspaceId: string
  status: BriefStatus | ''
}

/** ?workspaceId=&status= as the page's filters; anything unknown is dropped rather than sent to the API. */
export function readCampaignListFilters(params: URLSearchParams): CampaignListFilters {
  const workspaceId = params.get('workspaceId') ?? ''
  const status = params.get('status') ?? ''
  return { workspaceId: UUID.test(workspaceId) ? workspaceId : '', status: isBriefStatus(status) ? status : '' }
}

/** The API query of GET /api/campaigns for these filters ("" when there are none). */
export function campaignListQuery(filters: CampaignListFilters): string {
  const query = new URLSearchParams()
  if (filters.workspaceId) query.set('workspaceId', filters.workspaceId)
  if (filters.status) query.set('status', filters.status)
  const search = query.toString()
  return search ? `?${search}` : ''
}

// ---------------------------------------------------------------------------------------------------------
// New campaign

export const BLANK_TEMPLATE = 'blank'

export interface NewCampaignValues {
  workspaceId: string
  /** An industry template id, or BLANK_TEMPLATE. */
  templateId: string
  name: string
  timeZone: string
}

export type NewCampaignResult = { ok: true; values: NewCampaignValues; body: CreateCampaignBody } | { ok: false; values: NewCampaignValues; errors: FormErrors }

export const NEW_CAMPAIGN_FIELDS = ['workspaceId', 'templateId', 'name', 'timeZone'] as const

/**
 * The new-campaign form: a workspace, a template (or a blank brief) and an optional name (the template's
 * suggestion otherwise). The browser's time zone rides along, so the brief starts in the zone its author
 * thinks in; the API's default applies when the browser did not say.
 */
export function readNewCampaignForm(form: FormData): NewCampaignResult {
  const values: NewCampaignValues = {
    workspaceId: text(form, 'workspaceId').trim(),
    templateId: text(form, 'templateId').trim() || BLANK_TEMPLATE,
    name: text(form, 'name').trim(),
    timeZone: text(form, 'timeZone').trim(),
  }
  const errors: FormErrors = {}
  if (!UUID.test(values.workspaceId)) errors.workspaceId = 'Choose the workspace the campaign is for.'
  const templateId: IndustryTemplateId | undefined = isIndustryTemplateId(values.templateId) ? values.templateId : undefined
  if (values.templateId !== BLANK_TEMPLATE && !templateId) errors.templateId = 'Choose one of the templates or a blank brief.'
  // A template suggests a name; a blank brief needs one of its own.
  if (values.name === '' && values.templateId === BLANK_TEMPLATE) errors.name = 'Give the blank brief a name.'
  else if (values.name.length > BRIEF_LIMITS.name) errors.name = `Keep the name to ${BRIEF_LIMITS.name} characters or fewer.`
  if (Object.keys(errors).length > 0) return { ok: false, values, errors }

  const body: CreateCampaignBody = {
    workspaceId: values.workspaceId,
    ...(templateId ? { templateId } : {}),
    ...(values.name ? { name: values.name } : {}),
    ...(isTimeZone(values.timeZone) ? { timeZone: values.timeZone } : {}),
  }
  return { ok: true, values, body }
}

// ---------------------------------------------------------------------------------------------------------
// The brief

export interface ReferenceRow {
  kind: string
  url: string
  fileId: string
  note: string
}

export interface BriefFormValues {
  name: string
  objective: string
  audience: string
  platforms: string[]
  /** `datetime-local` values: wall-clock times in `timeZone`, empty while unset. */
  startsAtLocal: string
  endsAtLocal: string
  timeZone: string
  /** The amount as typed ("2,500.00"), in `currency`; empty means no budget yet. */
  budget: string
  currency: string
  contentVolume: string
  /** One per line. */
  keyMessages: string
  references: ReferenceRow[]
}

/** The brief field keys of the form, in page order; anchors and messages use them. */
export const BRIEF_FORM_FIELDS = [
  'name',
  'objective',
  'audience',
  'platforms',
  'startsAtLocal',
  'endsAtLocal',
  'timeZone',
  'budget',
  'currency',
  'contentVolume',
  'keyMessages',
  'references',
] as const
export type BriefFormField = (typeof BRIEF_FORM_FIELDS)[number]

/** API paths whose field has another name in the form. */
const FORM_FIELD_OF: Record<string, BriefFormField> = { budgetMinor: 'budget' }

/** Minor units as the amount a person types: 250000 USD → "2500.00", 0 → "" (no budget yet). */
export function budgetInputValue(minor: number, currency: string): string {
  if (minor === 0) return ''
  const exponent = isCurrencyCode(currency) ? CURRENCIES[currency].exponent : 2
  const digits = String(minor).padStart(exponent + 1, '0')
  return exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`
}

export const blankReferenceRow = (): ReferenceRow => ({ kind: 'link', url: '', fileId: '', note: '' })
const isBlankReference = (row: ReferenceRow) => row.url.trim() === '' && row.fileId.trim() === '' && row.note.trim() === ''

/** Blank rows at the end (while there is room): filling one in is how a reference is added without JavaScript. */
export function withSpareReferenceRows(rows: ReferenceRow[], spare = 2): ReferenceRow[] {
  const filled = rows.filter((row) => !isBlankReference(row))
  const room = Math.max(0, Math.min(spare, BRIEF_LIMITS.references - filled.length))
  return [...filled, ...Array.from({ length: room }, blankReferenceRow)]
}

function referenceRow(reference: BriefReference): ReferenceRow {
  switch (reference.kind) {
    case 'link':
    case 'example_post':
      return { kind: reference.kind, url: reference.url, fileId: '', note: reference.note }
    case 'upload':
      return { kind: 'upload', url: '', fileId: reference.fileId, note: reference.note }
    case 'idea':
      return { kind: 'idea', url: '', fileId: '', note: reference.note }
  }
}

export function briefFormValues(campaign: Campaign): BriefFormValues {
  return {
    name: campaign.name,
    objective: campaign.objective,
    audience: campaign.audience,
    platforms: [...campaign.platforms],
    startsAtLocal: campaign.startsAtLocal ?? '',
    endsAtLocal: campaign.endsAtLocal ?? '',
    timeZone: campaign.timeZone,
    budget: budgetInputValue(campaign.budgetMinor, campaign.currency),
    currency: campaign.currency,
    contentVolume: String(campaign.contentVolume),
    keyMessages: campaign.keyMessages.join('\n'),
    references: withSpareReferenceRows(campaign.references.map(referenceRow)),
  }
}

/** The posted brief form: plain fields, platform checkboxes, and reference rows as parallel repeated fields. */
export function readBriefForm(form: FormData): BriefFormValues {
  const kinds = texts(form, 'referenceKind')
  const urls = texts(form, 'referenceUrl')
  const fileIds = texts(form, 'referenceFileId')
  const notes = texts(form, 'referenceNote')
  // A few spare rows beyond the limit, so too many references is reported rather than silently cut.
  const rows = Math.min(Math.max(kinds.length, urls.length, fileIds.length, notes.length), BRIEF_LIMITS.references + 5)
  return {
    name: text(form, 'name'),
    objective: text(form, 'objective'),
    audience: text(form, 'audience'),
    platforms: texts(form, 'platforms'),
    startsAtLocal: text(form, 'startsAtLocal'),
    endsAtLocal: text(form, 'endsAtLocal'),
    timeZone: text(form, 'timeZone'),
    budget: text(form, 'budget'),
    currency: text(form, 'currency'),
    contentVolume: text(form, 'contentVolume'),
    keyMessages: text(form, 'keyMessages'),
    references: Array.from({ length: rows }, (_, i) => ({ kind: kinds[i] ?? 'link', url: urls[i] ?? '', fileId: fileIds[i] ?? '', note: notes[i] ?? '' })),
  }
}

const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')

/**
 * A `datetime-local` value as the API's wall-clock format: browsers may add ":00" seconds, which the
 * contract does not take; null when empty. Anything else is passed on for the rules to name.
 */
export function localDateTimeValue(value: string): string | null {
  const trimmed = value.trim()
  if (trimmed === '') return null
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::00(?:\.0+)?)?$/.exec(trimmed)
  return match ? match[1]! : trimmed
}

export type BriefFormResult =
  | { ok: true; body: UpdateCampaignBody; referenceRows: number[] }
  | { ok: false; errors: FormErrors }

/**
 * The brief the values describe, as the PATCH body, or the field messages that stop it: what cannot be read
 * (an amount, a count) first, then the domain's brief rules (the API's own). `referenceRows[i]` is the form
 * row of the body's reference i (blank rows are left out), for placing the API's answer.
 */
export function briefBodyFromValues(values: BriefFormValues): BriefFormResult {
  const errors: FormErrors = {}

  const currency = values.currency.trim()
  let budgetMinor = 0
  if (!isCurrencyCode(currency)) {
    errors.currency = 'Choose a currency.'
  } else if (values.budget.trim() !== '') {
    const parsed = parseMoneyAmount(values.budget, currency)
    if (parsed === null) {
      const example = CURRENCIES[currency].exponent === 0 ? '2,500' : '2,500.00'
      errors.budget = `Enter an amount like ${example}, with at most ${CURRENCIES[currency].exponent} decimals.`
    } else {
      budgetMinor = parsed
    }
  }

  const volume = values.contentVolume.trim()
  const contentVolume = /^\d{1,6}$/.test(volume) ? Number(volume) : Number.NaN
  if (Number.isNaN(contentVolume)) errors.contentVolume = 'Enter how many pieces of content the campaign plans, as a whole number.'

  const referenceRows: number[] = []
  const references: BriefReference[] = []
  values.references.forEach((row, index) => {
    if (isBlankReference(row)) return
    const note = row.note.trim()
    let reference: BriefReference
    switch (row.kind) {
      case 'link':
      case 'example_post':
        reference = { kind: row.kind, url: row.url.trim(), note }
        break
      case 'upload':
        reference = { kind: 'upload', fileId: row.fileId.trim(), note }
        break
      case 'idea':
        reference = { kind: 'idea', note }
        break
      default:
        errors[`references.${index}.kind`] = `Choose what the reference is: ${BRIEF_REFERENCE_KINDS.join(', ')}.`
        return
    }
    referenceRows.push(index)
    references.push(reference)
  })

  if (!isObjective(values.objective)) errors.objective = 'Choose an objective.'
  if (Object.keys(errors).length > 0) return { ok: false, errors }

  const body = {
    name: values.name.trim(),
    objective: values.objective as Objective,
    audience: values.audience.trim(),
    platforms: values.platforms as SocialPlatform[],
    startsAtLocal: localDateTimeValue(values.startsAtLocal),
    endsAtLocal: localDateTimeValue(values.endsAtLocal),
    timeZone: values.timeZone.trim(),
    budgetMinor,
    currency: currency as CurrencyCode,
    contentVolume,
    keyMessages: lines(values.keyMessages),
    references,
  } satisfies UpdateCampaignBody
  // Deliverables are saved by their own form; the brief's rules for them are checked there.
  const brief: CampaignBrief = { ...body, deliverables: [] }
  const issues = briefIssues(brief)
  if (issues.length > 0) return { ok: false, errors: placeBriefIssues(issues, referenceRows) }
  return { ok: true, body, referenceRows }
}

/**
 * Issues (the domain's, or the API's 400 details) next to their fields: "/budgetMinor" → budget,
 * "/references/2/url" → that reference's row (through `referenceRows`), "/keyMessages/3" → the key messages
 * with the line named. What has no field here, and the API's own sentence, go to "form".
 */
export function placeBriefIssues(issues: readonly FieldIssue[], referenceRows: readonly number[], apiMessage?: string): FormErrors {
  const errors: FormErrors = {}
  const unplaced: string[] = []
  for (const { path, message } of issues) {
    const [top = '', index, part] = path.split('/').slice(1)
    const field = FORM_FIELD_OF[top] ?? (BRIEF_FORM_FIELDS as readonly string[]).find((name) => name === top)
    if (field === 'references' && index !== undefined) {
      const row = referenceRows[Number(index)] ?? Number(index)
      errors[`references.${row}.${part === 'url' || part === 'fileId' || part === 'kind' ? part : 'note'}`] ??= message
    } else if (field === 'keyMessages' && index !== undefined) {
      errors.keyMessages ??= `Line ${Number(index) + 1}: ${message}`
    } else if (field) {
      errors[field] ??= message
    } else {
      unplaced.push(top === 'deliverables' && index !== undefined ? `Deliverable ${Number(index) + 1}: ${message}` : message)
    }
  }
  if (apiMessage !== undefined && (unplaced.length > 0 || issues.length === 0)) errors.form = [apiMessage, ...unplaced].join(' ')
  else if (unplaced.length > 0) errors.form = unplaced.join(' ')
  return errors
}

// ---------------------------------------------------------------------------------------------------------
// Deliverables

/** The platform and kind in one value, "instagram/reel": one select offers only the kinds a platform has. */
export const deliverableType = (platform: string, kind: string) => `${platform}/${kind}`

export interface DeliverableRow {
  /** The saved deliverable's id; empty for a new row. */
  id: string
  creatorId: string
  /** deliverableType(platform, kind), or empty while not chosen. */
  type: string
  count: string
  /** Ticked "remove" (the form without JavaScript); the editor drops such rows itself. */
  remove: boolean
}

export const blankDeliverableRow = (): DeliverableRow => ({ id: '', creatorId: '', type: '', count: '1', remove: false })
const isBlankDeliverable = (row: DeliverableRow) => row.id === '' && row.type === '' && row.creatorId === ''

export function deliverableRows(deliverables: readonly DeliverableDto[]): DeliverableRow[] {
  return deliverables.map((d) => ({ id: d.id, creatorId: d.creatorId ?? '', type: deliverableType(d.platform, d.kind), count: String(d.count), remove: false }))
}

/** Spare blank rows after the saved ones, as the form without JavaScript offers them. */
export function withSpareDeliverableRows(rows: DeliverableRow[], spare = 2): DeliverableRow[] {
  const filled = rows.filter((row) => !isBlankDeliverable(row))
  return [...filled, ...Array.from({ length: spare }, blankDeliverableRow)]
}

/** The posted deliverables: parallel repeated fields per row, and "deliverableRemove" naming rows by index. */
export function readDeliverablesForm(form: FormData): DeliverableRow[] {
  const ids = texts(form, 'deliverableId')
  const creators = texts(form, 'deliverableCreatorId')
  const types = texts(form, 'deliverableType')
  const counts = texts(form, 'deliverableCount')
  const removed = new Set(texts(form, 'deliverableRemove'))
  const rows = Math.min(Math.max(ids.length, creators.length, types.length, counts.length), 60)
  return Array.from({ length: rows }, (_, i) => ({
    id: ids[i] ?? '',
    creatorId: creators[i] ?? '',
    type: types[i] ?? '',
    count: counts[i] ?? '',
    remove: removed.has(String(i)),
  }))
}

export type DeliverablesFormResult =
  | { ok: true; body: SaveDeliverablesBody; deliverableRows: number[] }
  | { ok: false; errors: FormErrors }

/**
 * The PUT body for the rows that stay (blank and removed rows left out), or the row messages that stop it.
 * `deliverableRows[i]` is the form row of the body's deliverable i. Whether a platform is one of the brief's
 * is the API's call (it knows the saved brief); kinds, counts and repeats are checked here with the domain.
 */
export function deliverablesBodyFromRows(rows: readonly DeliverableRow[]): DeliverablesFormResult {
  const errors: FormErrors = {}
  const deliverableRows: number[] = []
  const body: SaveDeliverablesBody = { deliverables: [] }
  const checked: Deliverable[] = []
  rows.forEach((row, index) => {
    if (row.remove || isBlankDeliverable(row)) return
    const [platform = '', kind = ''] = row.type.split('/')
    if (!isSocialPlatform(platform) || !isDeliverableKindFor(platform, kind)) {
      errors[`deliverables.${index}.type`] = 'Choose what to make: a platform and a format.'
      return
    }
    const countText = row.count.trim()
    const count = /^\d{1,4}$/.test(countText) ? Number(countText) : Number.NaN
    if (!Number.isInteger(count) || count < DELIVERABLE_LIMITS.minCount || count > DELIVERABLE_LIMITS.maxCount) {
      errors[`deliverables.${index}.count`] = `Enter a whole number from ${DELIVERABLE_LIMITS.minCount} to ${DELIVERABLE_LIMITS.maxCount}.`
      return
    }
    const creatorId = row.creatorId.trim() === '' ? null : row.creatorId.trim()
    if (creatorId !== null && !UUID.test(creatorId)) {
      errors[`deliverables.${index}.creatorId`] = 'Choose a creator from the list, or leave it unassigned.'
      return
    }
    deliverableRows.push(index)
    checked.push({ creatorId, platform, kind, count })
    body.deliverables.push({ ...(UUID.test(row.id) ? { id: row.id } : {}), creatorId, platform, kind, count })
  })
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  const issues = deliverableIssues(checked, SOCIAL_PLATFORMS)
  if (issues.length > 0) return { ok: false, errors: placeDeliverableIssues(issues, deliverableRows) }
  return { ok: true, body, deliverableRows }
}

/** "/deliverables/2/count" → that row's count (through `deliverableRows`); the rest to "deliverables" or "form". */
export function placeDeliverableIssues(issues: readonly FieldIssue[], deliverableRows: readonly number[], apiMessage?: string): FormErrors {
  const errors: FormErrors = {}
  const unplaced: string[] = []
  for (const { path, message } of issues) {
    const [top = '', index, part] = path.split('/').slice(1)
    if (top !== 'deliverables') {
      unplaced.push(message)
    } else if (index === undefined) {
      errors.deliverables ??= message
    } else {
      const row = deliverableRows[Number(index)] ?? Number(index)
      const field = part === 'platform' || part === 'kind' ? 'type' : part === 'count' || part === 'creatorId' ? part : 'row'
      errors[`deliverables.${row}.${field}`] ??= message
    }
  }
  if (apiMessage !== undefined && (unplaced.length > 0 || issues.length === 0)) errors.form = [apiMessage, ...unplaced].join(' ')
  else if (unplaced.length > 0) errors.form = unplaced.join(' ')
  return errors
}

/** Every platform/kind pair, grouped by platform, for the "what to make" select. */
export const DELIVERABLE_TYPE_GROUPS = SOCIAL_PLATFORMS.map((platform) => ({ platform, kinds: [...DELIVERABLE_KINDS[platform]] }))

// ---------------------------------------------------------------------------------------------------------
// Where to fix what the readiness check (or a refused launch) names

/** The element id of a brief field on the campaign page, the target of readiness links. */
export const briefFieldAnchor = (field: BriefFormField) => `brief-${field}`
export const deliverableAnchor = (index: number) => `deliverable-${index}`
export const DELIVERABLES_ANCHOR = 'deliverables'

export interface ReadinessTarget {
  href: string
  label: string
}

/**
 * Where a missing item is fixed: a field of this page (its path), the workspace's brand kit, or the creators
 * page where accounts are connected.
 */
export function readinessTarget(item: { code: string; path?: string | undefined }, workspaceId: string): ReadinessTarget | null {
  if (item.code === 'BRAND_KIT_MISSING') return { href: `/workspaces/${workspaceId}`, label: 'Open the brand kit' }
  if (item.code === 'ACCOUNT_MISSING' || item.code === 'ACCOUNT_NEEDS_REAUTH') {
    return { href: '/creators', label: item.code === 'ACCOUNT_MISSING' ? 'Connect an account' : 'Reconnect' }
  }
  if (!item.path) return null
  const [top = '', index] = item.path.split('/').slice(1)
  if (top === 'deliverables') {
    return { href: `#${index === undefined ? DELIVERABLES_ANCHOR : deliverableAnchor(Number(index))}`, label: 'Fix' }
  }
  const field = FORM_FIELD_OF[top] ?? (BRIEF_FORM_FIELDS as readonly string[]).find((name) => name === top)
  return field ? { href: `#${briefFieldAnchor(field as BriefFormField)}`, label: 'Fix' } : null
}
