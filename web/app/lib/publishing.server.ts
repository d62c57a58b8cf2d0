// Publishing on the web server: the card drawer's publishing data, a workspace's name for the calendar and
// analytics headings, and the publishing forms' one action, shared by the card drawer and the calendar:
// schedule a card for its accounts (at a time or now), and reschedule, cancel or verify a post. Whatever the API
// answers instead of a success comes back as its message for the form it belongs to, with what was typed.
import { data } from 'react-router'
import type { Workspace } from '../../../api/schemas/workspace.ts'
import { ApiError } from './api.server.ts'
import { CSRF_FIELD } from './csrf.ts'
import {
  accountLabel,
  formatInZone,
  isUuid,
  readRescheduleForm,
  readScheduleForm,
  readWhenValues,
  type CardPublishing,
  type PostIntent,
  type PublishingActionResult,
  type PublishingIntent,
  type ScheduledPostView,
  type VerifyAnswer,
} from './publishing.ts'
import { callApiAsUser, type RequestArgs } from './session.server.ts'

/**
 * GET /api/cards/:cardId/publishing for the drawer; null for roles that may not see publishing (client
 * approvers), whose drawer simply has no such section.
 */
export async function loadCardPublishing(args: RequestArgs, cardId: string): Promise<CardPublishing | null> {
  try {
    const { data: publishing } = await callApiAsUser<CardPublishing>(args, `/api/cards/${encodeURIComponent(cardId)}/publishing`)
    return publishing
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return null
    throw error
  }
}

/** The workspace's name for a page heading; null when the API would not say (the page stands without it). */
export async function readWorkspaceName(args: RequestArgs, workspaceId: string): Promise<string | null> {
  try {
    const { data: answer } = await callApiAsUser<{ workspace: Workspace }>(args, `/api/workspaces/${encodeURIComponent(workspaceId)}`)
    return answer.workspace.name
  } catch (error) {
    if (error instanceof ApiError) return null
    throw error
  }
}

/**
 * Whatever the API answered (a refusal, a workflow service that is down) is said next to the form, with what
 * was typed; only an API that cannot be reached at all, or a lost session, leaves the page.
 */
function refusalOf(error: unknown): ApiError {
  if (error instanceof ApiError) return error
  throw error
}

const refused = (result: PublishingActionResult, status: number) => data<PublishingActionResult>(result, { status })

/** "Scheduled for Instagram @luna on Tue 17 Nov 2026, 18:00 (Europe/Berlin)." or "Posting now to …". */
export function scheduledNotice(posts: readonly ScheduledPostView[], postNow: boolean): string {
  const accounts = posts.map(accountLabel).join(', ')
  if (postNow) return `Posting now to ${accounts}: the status below follows it.`
  const first = posts[0]
  return first ? `Scheduled for ${accounts} on ${formatInZone(first.scheduledAt, first.timeZone)}.` : 'Scheduled.'
}

/**
 * Runs one publishing form. `cardId` is the drawer's card (schedule needs it); `csrf` comes from the form.
 * Returns the result for the page: plain on success, with the API's status on a refusal.
 */
export async function runPublishingAction(args: RequestArgs, intent: PublishingIntent, form: FormData, cardId: string | null) {
  const csrf = form.get(CSRF_FIELD)
  if (intent === 'schedule') {
    const accountIds = form.getAll('socialAccountId').map(String)
    const values = readWhenValues(form)
    if (cardId === null) return refused({ intent, ok: false, accountIds, code: 'VALIDATION_FAILED', error: 'Open the card to schedule it.', values }, 400)
    const reading = readScheduleForm(form)
    if (!reading.ok) return refused({ intent, ok: false, accountIds, code: 'VALIDATION_FAILED', error: reading.error, values }, 400)
    try {
      const { data: answer } = await callApiAsUser<{ posts: ScheduledPostView[] }>(args, `/api/cards/${encodeURIComponent(cardId)}/scheduled-posts`, {
        method: 'POST',
        body: reading.body,
        csrf,
      })
      const notice = [scheduledNotice(answer.posts, reading.body.at === null), reading.note].filter(Boolean).join(' ')
      return { intent, ok: true, accountIds, notice } satisfies PublishingActionResult
    } catch (error) {
      const refusal = refusalOf(error)
      return refused({ intent, ok: false, accountIds, code: refusal.code, error: refusal.message, values }, refusal.status)
    }
  }

  const postId = String(form.get('postId') ?? '')
  const values = intent === 'reschedule-post' ? readWhenValues(form) : null
  if (!isUuid(postId)) return refused({ intent, ok: false, postId, code: 'VALIDATION_FAILED', error: 'That post is not on this page any more: reload it.', values }, 400)
  const base = `/api/scheduled-posts/${encodeURIComponent(postId)}`
  try {
    return await runPostIntent(args, intent, base, postId, form, csrf)
  } catch (error) {
    const refusal = refusalOf(error)
    return refused({ intent, ok: false, postId, code: refusal.code, error: refusal.message, values }, refusal.status)
  }
}

async function runPostIntent(args: RequestArgs, intent: PostIntent, base: string, postId: string, form: FormData, csrf: FormDataEntryValue | null) {
  switch (intent) {
    case 'reschedule-post': {
      const reading = readRescheduleForm(form)
      if (!reading.ok) return refused({ intent, ok: false, postId, code: 'VALIDATION_FAILED', error: reading.error, values: readWhenValues(form) }, 400)
      const { data: answer } = await callApiAsUser<{ post: ScheduledPostView }>(args, `${base}/reschedule`, { method: 'POST', body: reading.body, csrf })
      const notice = [`Moved to ${formatInZone(answer.post.scheduledAt, answer.post.timeZone)}.`, reading.note].filter(Boolean).join(' ')
      return { intent, ok: true, postId, notice } satisfies PublishingActionResult
    }
    case 'cancel-post':
      await callApiAsUser<{ post: ScheduledPostView }>(args, `${base}/cancel`, { method: 'POST', csrf })
      return { intent, ok: true, postId, notice: 'Cancelled: it will not be posted.' } satisfies PublishingActionResult
    case 'verify-post': {
      const { data: answer } = await callApiAsUser<VerifyAnswer>(args, `${base}/verify`, { method: 'POST', csrf })
      return { intent, ok: true, postId, notice: answer.verification.message } satisfies PublishingActionResult
    }
  }
}
