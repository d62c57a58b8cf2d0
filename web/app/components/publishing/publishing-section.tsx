// The card drawer's "Publishing" section: for an approved card, one row per target account with a date and
// time in a chosen zone, the best-time suggestions as chips that fill them in, and Schedule / Post now; then
// the card's posts with their status, reason, link and latest metrics, and Reschedule / Cancel / Verify as the
// API allows. Every control is a plain form (the drawer's action answers); chips are links without JavaScript.
import { useRef } from 'react'
import { Form, Link, useLocation, useNavigation } from 'react-router'
import { Button } from '../button'
import { CsrfField } from '../csrf-field'
import { AccountStatusBadge } from '../account-status-badge'
import { FormError } from '../form-error'
import { useHydrated } from '../hydration'
import { PlatformBadge } from '../board/card-bits'
import { DrawerSection } from '../board/card-drawer'
import { LatestMetrics, PostStatusBadge, SandboxBadge, WhenFields } from './publishing-bits'
import {
  formatInZone,
  permalinkLabel,
  slotChipLabel,
  suggestionBasisLine,
  wallClockIn,
  type CardPublishing,
  type PublishingActionResult,
  type PublishingIntent,
  type PublishTarget,
  type ScheduledPostView,
  type SlotPrefill,
  SLOT_ACCOUNT_PARAM,
  SLOT_AT_PARAM,
} from '~/lib/publishing'

interface PublishingSectionProps {
  publishing: CardPublishing
  timeZones: readonly string[]
  result: PublishingActionResult | undefined
  prefill: SlotPrefill | null
}

function useSubmittingFor(intent: PublishingIntent, field: 'socialAccountId' | 'postId', value: string): boolean {
  const navigation = useNavigation()
  return navigation.state === 'submitting' && navigation.formData?.get('intent') === intent && navigation.formData.get(field) === value
}

export function PublishingSection({ publishing, timeZones, result, prefill }: PublishingSectionProps) {
  const { canSchedule, whyNot, targets, posts, timeZone } = publishing
  const scheduled = result?.intent === 'schedule' && result.ok ? result.notice : undefined
  return (
    <DrawerSection title="Publishing" testId="card-publishing" aside={<span className="text-xs text-slate-500">Audience time zone: {timeZone}</span>}>
      <div className="space-y-4">
        {scheduled && (
          <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="publishing-notice">
            {scheduled}
          </p>
        )}
        {!canSchedule && (
          <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 ring-1 ring-slate-200 ring-inset" data-testid="publishing-why-not">
            {whyNot ?? 'This card cannot be scheduled.'}
          </p>
        )}
        {canSchedule &&
          (targets.length === 0 ? (
            <p className="text-sm text-slate-500">The card has no target accounts: choose them on its deliverable first.</p>
          ) : (
            <ul className="space-y-3">
              {targets.map((target) => (
                <TargetRow
                  key={target.socialAccountId}
                  target={target}
                  timeZone={timeZone}
                  timeZones={timeZones}
                  result={result?.intent === 'schedule' && !result.ok && result.accountIds.includes(target.socialAccountId) ? result : undefined}
                  prefillAt={prefill?.accountId === target.socialAccountId ? prefill.at : null}
                  livePostStatus={posts.find((post) => post.id === target.livePostId)?.status ?? null}
                />
              ))}
            </ul>
          ))}
        {posts.length > 0 && (
          <div>
            <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Posts</h4>
            <ul className="mt-2 space-y-3">
              {posts.map((post) => (
                <PostRow key={post.id} post={post} timeZones={timeZones} result={result && result.intent !== 'schedule' && result.postId === post.id ? result : undefined} />
              ))}
            </ul>
          </div>
        )}
      </div>
    </DrawerSection>
  )
}

// ---------------------------------------------------------------------------------------------------------

interface TargetRowProps {
  target: PublishTarget
  timeZone: string
  timeZones: readonly string[]
  result: Extract<PublishingActionResult, { intent: 'schedule'; ok: false }> | undefined
  prefillAt: string | null
  /** The status of the post that holds the account (live or published), if one does. */
  livePostStatus: string | null
}

function TargetRow({ target, timeZone, timeZones, result, prefillAt, livePostStatus }: TargetRowProps) {
  const localInput = useRef<HTMLInputElement>(null)
  const zoneSelect = useRef<HTMLSelectElement>(null)
  const hydrated = useHydrated()
  const location = useLocation()
  const busy = useSubmittingFor('schedule', 'socialAccountId', target.socialAccountId)
  const active = target.accountStatus === 'active'
  const values = result?.values ?? { local: prefillAt ? wallClockIn(prefillAt, timeZone).local : '', timeZone }

  /** Without JavaScript a chip is a link back to this drawer with the slot in the address. */
  function chipHref(at: string): string {
    const query = new URLSearchParams(location.search)
    query.set(SLOT_ACCOUNT_PARAM, target.socialAccountId)
    query.set(SLOT_AT_PARAM, at)
    return `${location.pathname}?${query}`
  }

  /** With JavaScript a chip fills in the slot's next time as clocks in the chosen zone show it. */
  function fillIn(at: string) {
    const input = localInput.current
    if (!input) return
    input.value = wallClockIn(at, zoneSelect.current?.value || timeZone).local
    input.focus()
  }

  return (
    <li className="rounded-md p-3 ring-1 ring-slate-200" data-testid="publish-target" data-account-id={target.socialAccountId}>
      <div className="flex flex-wrap items-center gap-2">
        <PlatformBadge platform={target.platform} />
        <span className="text-sm font-medium text-slate-900">@{target.handle}</span>
        {target.sandbox && <SandboxBadge />}
        <AccountStatusBadge status={target.accountStatus} />
      </div>
      {target.livePostId !== null ? (
        <p className="mt-2 text-sm text-slate-600" data-testid="target-live">
          {livePostStatus === 'published' ? 'Published to this account: see the post below.' : 'A post for this account is already under way: see it below.'}
        </p>
      ) : (
        <Form method="post" preventScrollReset className="mt-3 space-y-3" data-testid="schedule-form">
          <CsrfField />
          <input type="hidden" name="intent" value="schedule" />
          <input type="hidden" name="socialAccountId" value={target.socialAccountId} />
          <WhenFields local={values.local} timeZone={values.timeZone} timeZones={timeZones} localRef={localInput} zoneRef={zoneSelect} invalid={result !== undefined} />
          {target.suggestion.slots.length > 0 && (
            <div className="space-y-1.5" data-testid="best-times">
              <p className="text-xs text-slate-500" data-testid="best-times-basis">
                {suggestionBasisLine(target, timeZone)}
              </p>
              <ul className="flex flex-wrap gap-1.5">
                {target.suggestion.slots.map((slot) => (
                  <li key={`${slot.weekday}:${slot.hour}`}>
                    <Link
                      to={chipHref(slot.next)}
                      preventScrollReset
                      replace
                      onClick={(event) => {
                        if (!hydrated) return
                        event.preventDefault()
                        fillIn(slot.next)
                      }}
                      title={`Next: ${formatInZone(slot.next, timeZone)}`}
                      className="inline-flex rounded-full bg-emerald-50 px-2.5 py-1 text-xs font-medium text-emerald-800 ring-1 ring-emerald-200 ring-inset hover:bg-emerald-100"
                      data-testid="best-time-chip"
                    >
                      {slotChipLabel(slot, target.suggestion.basis)}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {!active && (
            <p className="text-xs text-amber-800" data-testid="target-reconnect">
              Reconnect @{target.handle} on its creator’s page before posting to it.
            </p>
          )}
          <FormError message={result?.error} />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" name="when" value="at" disabled={busy || !active} data-testid="schedule-submit">
              {busy ? 'Saving…' : 'Schedule'}
            </Button>
            <Button type="submit" name="when" value="now" variant="secondary" disabled={busy || !active} data-testid="post-now-submit">
              Post now
            </Button>
          </div>
        </Form>
      )}
    </li>
  )
}

// ---------------------------------------------------------------------------------------------------------

type PostResult = Exclude<PublishingActionResult, { intent: 'schedule' }>

function PostRow({ post, timeZones, result }: { post: ScheduledPostView; timeZones: readonly string[]; result: PostResult | undefined }) {
  const error = result && !result.ok ? result : undefined
  const notice = result?.ok ? result.notice : undefined
  const rescheduling = useSubmittingFor('reschedule-post', 'postId', post.id)
  const cancelling = useSubmittingFor('cancel-post', 'postId', post.id)
  const verifying = useSubmittingFor('verify-post', 'postId', post.id)
  const acting = cancelling || verifying
  const when = post.publishedAt ? `Published ${formatInZone(post.publishedAt, post.timeZone)}` : formatInZone(post.scheduledAt, post.timeZone)
  return (
    <li className="rounded-md p-3 ring-1 ring-slate-200" data-testid="card-post" data-post-id={post.id} data-status={post.status}>
      <div className="flex flex-wrap items-center gap-2">
        <PlatformBadge platform={post.platform} />
        <span className="text-sm font-medium text-slate-900">@{post.handle}</span>
        {post.sandbox && <SandboxBadge />}
        <PostStatusBadge post={post} />
      </div>
      <p className="mt-1.5 text-sm text-slate-700" data-testid="post-when">
        {when}
      </p>
      {post.statusReason && (
        <p className="mt-1 text-sm text-slate-600" data-testid="post-reason">
          {post.statusReason}
        </p>
      )}
      {post.deferredUntil && (
        <p className="mt-1 text-sm text-amber-800" data-testid="post-deferred">
          Tries again after {formatInZone(post.deferredUntil, post.timeZone)}.
        </p>
      )}
      {post.permalink && (
        <a href={post.permalink} target="_blank" rel="noreferrer" className="mt-1 inline-block text-sm font-semibold text-emerald-700 hover:text-emerald-600" data-testid="post-permalink">
          {permalinkLabel(post.platform)} ↗
        </a>
      )}
      {post.latest && (
        <div className="mt-1.5">
          <LatestMetrics metrics={post.latest} />
        </div>
      )}
      {notice && (
        <p role="status" className="mt-2 text-sm text-emerald-700" data-testid="post-notice">
          {notice}
        </p>
      )}
      {(post.canVerify || post.canCancel) && (
        <Form method="post" preventScrollReset className="mt-2 flex flex-wrap gap-2">
          <CsrfField />
          <input type="hidden" name="postId" value={post.id} />
          {post.canVerify && (
            <Button type="submit" name="intent" value="verify-post" variant="secondary" disabled={acting} data-testid="post-verify">
              Verify on platform
            </Button>
          )}
          {post.canCancel && (
            <Button type="submit" name="intent" value="cancel-post" variant="secondary" disabled={acting} data-testid="post-cancel">
              Cancel post
            </Button>
          )}
        </Form>
      )}
      {post.canReschedule && (
        <details className="mt-2" open={error?.intent === 'reschedule-post' || undefined} data-testid="post-reschedule">
          <summary className="cursor-pointer text-sm font-medium text-slate-600">Reschedule</summary>
          <Form method="post" preventScrollReset className="mt-2 space-y-2">
            <CsrfField />
            <input type="hidden" name="intent" value="reschedule-post" />
            <input type="hidden" name="postId" value={post.id} />
            <WhenFields
              local={error?.values?.local ?? wallClockIn(post.scheduledAt, post.timeZone).local}
              timeZone={error?.values?.timeZone ?? post.timeZone}
              timeZones={timeZones}
              invalid={error?.intent === 'reschedule-post'}
            />
            <Button type="submit" disabled={rescheduling} data-testid="post-reschedule-submit">
              {rescheduling ? 'Saving…' : 'Save new time'}
            </Button>
          </Form>
        </details>
      )}
      {error && (
        <div className="mt-2">
          <FormError message={error.error} />
        </div>
      )}
    </li>
  )
}
