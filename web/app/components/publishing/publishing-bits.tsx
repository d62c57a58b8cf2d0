// Small pieces shared by the card drawer's publishing section and the calendar: status and sandbox badges, a
// platform's letter mark, a post's latest metrics, and the date-time + time-zone fields of a schedule form.
import { useId, type Ref } from 'react'
import { PLATFORM_LABELS, type SocialPlatform } from '../../../../domain/brand-kit.ts'
import { Badge } from '../badge'
import { controlRing } from '../field'
import { LocalTime } from '../local-time'
import { formatCount, formatRate, STATUS_TONES, type MetricSnapshotView, type ScheduledPostView } from '~/lib/publishing'

export function PostStatusBadge({ post }: { post: Pick<ScheduledPostView, 'status' | 'statusLabel'> }) {
  return (
    <Badge tone={STATUS_TONES[post.status]} data-testid="post-status" data-status={post.status}>
      {post.statusLabel}
    </Badge>
  )
}

/** Sandbox accounts post to the local stand-ins, never to the real platform: said wherever one is shown. */
export function SandboxBadge() {
  return (
    <Badge tone="slate" tooltip="A sandbox account: posts go to Greenlight’s local stand-in of the platform, not to the real one." data-testid="account-sandbox-badge">
      Sandbox
    </Badge>
  )
}

const MARKS: Record<SocialPlatform, { letter: string; className: string }> = {
  instagram: { letter: 'I', className: 'bg-pink-600 text-white' },
  facebook: { letter: 'F', className: 'bg-blue-600 text-white' },
  tiktok: { letter: 'T', className: 'bg-slate-900 text-white' },
}

/** A platform as one letter in a coloured square, for places too small for its name (calendar chips). */
export function PlatformMark({ platform }: { platform: SocialPlatform }) {
  const mark = MARKS[platform]
  return (
    <span
      className={`inline-flex size-4 shrink-0 items-center justify-center rounded text-[10px] leading-none font-bold ${mark.className}`}
      title={PLATFORM_LABELS[platform]}
      data-testid="platform-mark"
      data-platform={platform}
    >
      <span aria-hidden>{mark.letter}</span>
      <span className="sr-only">{PLATFORM_LABELS[platform]}</span>
    </span>
  )
}

/** "1,240 views · 85 likes · 12 comments · 4 shares · 6.2 % engagement", and when they were pulled. */
export function LatestMetrics({ metrics }: { metrics: MetricSnapshotView }) {
  const parts = [
    `${formatCount(metrics.views)} views`,
    metrics.reach === null ? null : `${formatCount(metrics.reach)} reached`,
    `${formatCount(metrics.likes)} likes`,
    `${formatCount(metrics.comments)} comments`,
    `${formatCount(metrics.shares)} shares`,
    metrics.saves === null ? null : `${formatCount(metrics.saves)} saves`,
    metrics.clicks === null ? null : `${formatCount(metrics.clicks)} clicks`,
  ].filter((part) => part !== null)
  return (
    <p className="text-xs text-slate-600" data-testid="post-metrics">
      <span className="font-semibold text-slate-800">{formatRate(metrics.engagementRate)} engagement</span> · {parts.join(' · ')}
      <span className="text-slate-500">
        {' '}
        (as of <LocalTime iso={metrics.capturedAt} />)
      </span>
    </p>
  )
}

interface WhenFieldsProps {
  /** The datetime-local value ("2026-11-17T18:00"), or empty. */
  local: string
  timeZone: string
  timeZones: readonly string[]
  localRef?: Ref<HTMLInputElement>
  zoneRef?: Ref<HTMLSelectElement>
  /** Errors are said next to the whole form; this marks the fields as part of it. */
  invalid?: boolean
}

/**
 * A date and time as clocks show it in the chosen zone (named `local` and `timeZone`); the action turns them
 * into an instant. Not `required`: "Post now" shares the form and needs no time.
 */
export function WhenFields({ local, timeZone, timeZones, localRef, zoneRef, invalid = false }: WhenFieldsProps) {
  const id = useId()
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <div>
        <label htmlFor={`${id}-local`} className="block text-xs font-medium text-slate-700">
          Date and time
        </label>
        <input
          id={`${id}-local`}
          ref={localRef}
          type="datetime-local"
          name="local"
          defaultValue={local}
          aria-invalid={invalid || undefined}
          className={`mt-1 block w-full ${controlRing(invalid)}`}
          data-testid="when-local"
        />
      </div>
      <div>
        <label htmlFor={`${id}-zone`} className="block text-xs font-medium text-slate-700">
          Time zone
        </label>
        <select id={`${id}-zone`} ref={zoneRef} name="timeZone" defaultValue={timeZone} className={`mt-1 block w-full bg-white ${controlRing(false)}`} data-testid="when-zone">
          {timeZones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}
