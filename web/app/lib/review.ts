// The review grid's rules, without I/O: its filters as a page address and an API query, what a posted batch
// decision or caption edit means as an API body (checked with the API's limits first, so a mistake is named
// before anything is sent), how a refusal reads in plain words, and how round statuses and due times read.
// Shared by the review route's loader, action and components.
import type { Static } from '@fastify/type-provider-typebox'
import { ROUND_STATUSES, APPROVAL_LIMITS, DECISION_KINDS, roundStatusLabel, type DecisionKind, type RoundStatus } from '../../../domain/approvals.ts'
import { CAPTION_MAX } from '../../../domain/ai-content.ts'
import { SOCIAL_PLATFORMS, type SocialPlatform } from '../../../domain/brand-kit.ts'
import type { ApprovalRoundView } from '../../../api/schemas/approval.ts'
import type { ReviewItem as ReviewItemSchema, ReviewList as ReviewListSchema } from '../../../api/schemas/review.ts'
import { REVIEW_BATCH_MAX } from '../../../api/schemas/review.ts'
import { DECISION_LABELS } from './approvals.ts'

// The API's schemas refer to the round by $ref, which TypeBox types as unknown: put the round back in.
export type RoundView = Static<typeof ApprovalRoundView>
export type ReviewItem = Omit<ReviewItemSchema, 'round'> & { round: RoundView }
export type ReviewList = Omit<ReviewListSchema, 'items'> & { items: ReviewItem[] }
export type ReviewVariant = ReviewItem['variants'][number]
export type BatchResult = { cardId: string; ok: true; round: RoundView } | { cardId: string; ok: false; error: { code: string; message: string } }

export { REVIEW_BATCH_MAX }
export const CAPTION_EDIT_MAX = CAPTION_MAX
export const COMMENT_MAX = APPROVAL_LIMITS.comment

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

// ---------------------------------------------------------------------------------------------------------
// Filters: the page address (?status=&platform=&minScore=&cursor=) and the API's query

export type StatusFilter = RoundStatus | 'all'

export interface ReviewFilters {
  status: StatusFilter
  platform: SocialPlatform | null
  minScore: number | null
  cursor: string | null
}

export const STATUS_FILTERS: readonly StatusFilter[] = [...ROUND_STATUSES, 'all']

export function statusFilterLabel(status: StatusFilter): string {
  return status === 'all' ? 'Any status' : roundStatusLabel(status)
}

/** Filters from a page address; anything unknown falls back to the default (pending, all platforms, any score). */
export function readReviewFilters(search: URLSearchParams): ReviewFilters {
  const status = search.get('status') ?? ''
  const platform = search.get('platform') ?? ''
  const minScore = (search.get('minScore') ?? '').trim()
  const cursor = search.get('cursor') ?? ''
  return {
    status: (STATUS_FILTERS as readonly string[]).includes(status) ? (status as StatusFilter) : 'pending',
    platform: (SOCIAL_PLATFORMS as readonly string[]).includes(platform) ? (platform as SocialPlatform) : null,
    minScore: /^(?:100|[1-9]?[0-9])$/.test(minScore) ? Number(minScore) : null,
    cursor: /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? cursor : null,
  }
}

/** The page address's query for these filters (defaults left out); `cursor: false` leaves the page out too. */
export function reviewSearch(filters: ReviewFilters, { cursor = true }: { cursor?: boolean } = {}): URLSearchParams {
  const query = new URLSearchParams()
  if (filters.status !== 'pending') query.set('status', filters.status)
  if (filters.platform) query.set('platform', filters.platform)
  if (filters.minScore !== null) query.set('minScore', String(filters.minScore))
  if (cursor && filters.cursor) query.set('cursor', filters.cursor)
  return query
}

/** GET /api/reviews's query for a workspace's grid. */
export function reviewApiQuery(workspaceId: string, filters: ReviewFilters): URLSearchParams {
  const query = new URLSearchParams({ workspaceId, status: filters.status })
  if (filters.platform) query.set('platform', filters.platform)
  if (filters.minScore !== null) query.set('minScore', String(filters.minScore))
  if (filters.cursor) query.set('cursor', filters.cursor)
  return query
}

// ---------------------------------------------------------------------------------------------------------
// Forms

/** A card as a form names it: "<card id>:<caption version it was read at>". */
export function itemValue(item: Pick<ReviewItem, 'card' | 'round'>): string {
  return `${item.card.id}:${item.round.captionVersion}`
}

/** The form field carrying a card's title, so results name cards that left the list meanwhile. */
export const titleField = (cardId: string) => `title:${cardId}`

export interface DecisionForm {
  kind: DecisionKind
  items: { cardId: string; captionVersion: number }[]
  comment: string | null
  titles: Record<string, string>
}

const text = (form: FormData, key: string) => {
  const value = form.get(key)
  return typeof value === 'string' ? value : ''
}

/**
 * A posted decision (the batch form with its checked cards, or one card's own form) as the batch endpoint's
 * body, or why it cannot be sent: nothing selected, too many cards, a change request without a comment.
 */
export function readDecisionForm(form: FormData): { ok: true; decision: DecisionForm } | { ok: false; error: string } {
  const kind = text(form, 'kind')
  if (!(DECISION_KINDS as readonly string[]).includes(kind)) return { ok: false, error: 'Choose Approve, Reject or Request changes.' }
  const items: DecisionForm['items'] = []
  const titles: Record<string, string> = {}
  for (const value of form.getAll('item')) {
    const match = typeof value === 'string' ? /^([0-9a-f-]{36}):(\d{1,9})$/i.exec(value) : null
    if (!match || !UUID.test(match[1]!)) return { ok: false, error: 'The selection is not one this page made: reload it and select again.' }
    const cardId = match[1]!.toLowerCase()
    if (items.some((item) => item.cardId === cardId)) continue
    items.push({ cardId, captionVersion: Number(match[2]) })
    const title = text(form, titleField(cardId)).trim()
    if (title) titles[cardId] = title
  }
  if (items.length === 0) return { ok: false, error: 'Select at least one card first.' }
  if (items.length > REVIEW_BATCH_MAX) return { ok: false, error: `Decide on at most ${REVIEW_BATCH_MAX} cards at once; ${items.length} are selected.` }
  const comment = text(form, 'comment').replace(/\r\n?/g, '\n').trim()
  if (comment.length > COMMENT_MAX) return { ok: false, error: `Keep the comment to ${COMMENT_MAX.toLocaleString('en-US')} characters.` }
  if (kind === 'request_changes' && comment === '') return { ok: false, error: 'Say what should change: requesting changes needs a comment.' }
  return { ok: true, decision: { kind: kind as DecisionKind, items, comment: comment === '' ? null : comment, titles } }
}

/** The batch form's checked cards as the share page's preselection: ?cardId=…&cardId=… (unreadable values left out). */
export function shareSelectionQuery(form: FormData): URLSearchParams {
  const query = new URLSearchParams()
  for (const value of form.getAll('item')) {
    const cardId = typeof value === 'string' ? value.split(':')[0]!.toLowerCase() : ''
    if (UUID.test(cardId) && !query.getAll('cardId').includes(cardId)) query.append('cardId', cardId)
  }
  return query
}

export interface CaptionEditForm {
  cardId: string
  captionVersion: number
  text: string
}

/** A posted caption edit, or why it cannot be sent (the typed text comes back either way). */
export function readCaptionEditForm(form: FormData): { ok: true; edit: CaptionEditForm } | { ok: false; cardId: string; text: string; error: string } {
  const cardId = text(form, 'cardId')
  const version = text(form, 'captionVersion')
  const caption = text(form, 'text').replace(/\r\n?/g, '\n').trim()
  if (!UUID.test(cardId) || !/^\d{1,9}$/.test(version)) return { ok: false, cardId, text: caption, error: 'The edit is incomplete: reload the page and try again.' }
  if (caption === '') return { ok: false, cardId, text: caption, error: 'Write the caption first.' }
  if ([...caption].length > CAPTION_EDIT_MAX) return { ok: false, cardId, text: caption, error: `A caption is at most ${CAPTION_EDIT_MAX.toLocaleString('en-US')} characters.` }
  return { ok: true, edit: { cardId: cardId.toLowerCase(), captionVersion: Number(version), text: caption } }
}

// ---------------------------------------------------------------------------------------------------------
// Results and refusals in words

/** What a refusal means, as a heading above the API's own sentence. */
const REFUSAL_HEADINGS: Record<string, string> = {
  SELF_APPROVAL: 'Your own submission',
  STALE_VERSION: 'The caption changed since you read it',
  ALREADY_DECIDED: 'You already decided on this version',
  APPROVAL_NOT_PENDING: 'Already decided',
  NOT_AN_APPROVER: 'Not yours to decide',
  COMMENT_REQUIRED: 'A comment is needed',
  NOT_FOUND: 'Not found',
  NO_APPROVAL_ROUND: 'Not submitted for approval',
  APPROVAL_RUN_STARTING: 'Still starting',
}

export function refusalHeading(code: string): string {
  return REFUSAL_HEADINGS[code] ?? 'Not decided'
}

export interface ResultLine {
  cardId: string
  title: string
  ok: boolean
  /** "Approved", or the refusal's heading. */
  heading: string
  /** The round's new state ("Step 2 of 2 next"), or the API's reason. */
  detail: string
  code: string | null
}

/** Each card's result of a batch, in the order sent, named by title where the form gave one. */
export function resultLines(kind: DecisionKind, results: readonly BatchResult[], titles: Record<string, string>): ResultLine[] {
  return results.map((result) => {
    const title = titles[result.cardId] ?? 'A card'
    if (!result.ok) return { cardId: result.cardId, title, ok: false, heading: refusalHeading(result.error.code), detail: result.error.message, code: result.error.code }
    const { round } = result
    const detail =
      round.status === 'pending'
        ? `Your ${kind === 'approve' ? 'approval' : 'decision'} is recorded; the round now waits for ${round.steps[round.stepIndex]?.name ?? 'the next step'}.`
        : `Round ${round.round} is ${round.statusLabel.toLowerCase()}.`
    return { cardId: result.cardId, title, ok: true, heading: DECISION_LABELS[kind].done, detail, code: null }
  })
}

/** "2 approved, 1 not decided". */
export function resultSummary(kind: DecisionKind, lines: readonly ResultLine[]): string {
  const done = lines.filter((line) => line.ok).length
  const refused = lines.length - done
  const parts = [done > 0 ? `${done} ${DECISION_LABELS[kind].done.toLowerCase()}` : '', refused > 0 ? `${refused} not decided` : ''].filter(Boolean)
  return parts.join(', ')
}

// ---------------------------------------------------------------------------------------------------------
// Rounds on screen

/** "Step 1 of 2 · Internal review", or the step's name alone in a one-step round. */
export function stepLabel(round: Pick<RoundView, 'steps' | 'stepIndex'>): string {
  const step = round.steps[round.stepIndex]
  if (!step) return ''
  const audience = step.audience === 'client' ? ' (client)' : ''
  return round.steps.length > 1 ? `Step ${round.stepIndex + 1} of ${round.steps.length} · ${step.name}${audience}` : `${step.name}${audience}`
}

/** Whether a pending round is past its due time at `now`. */
export function isOverdue(round: Pick<RoundView, 'status' | 'dueAt'>, now: number): boolean {
  return round.status === 'pending' && new Date(round.dueAt).getTime() < now
}

/** The keyboard shortcuts, for the help dialog (the keys are handled in components/review/shortcuts). */
export const REVIEW_SHORTCUTS: readonly { keys: string; action: string }[] = [
  { keys: 'j / k', action: 'Next / previous card' },
  { keys: 'x', action: 'Select or unselect the card' },
  { keys: 'a', action: 'Approve the card' },
  { keys: 'r', action: 'Request changes (asks for the comment)' },
  { keys: 'e', action: 'Edit the caption under review' },
  { keys: '?', action: 'Show or hide these shortcuts' },
]
