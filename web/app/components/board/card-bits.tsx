// Small pieces of a card shared by the board's tiles and the card drawer.
import { PLATFORM_LABELS } from '../../../../domain/brand-kit.ts'
import { Badge, type BadgeTone } from '../badge'
import { useHydrated } from '../hydration'
import { dueDay, type Card } from '~/lib/board'

const platformTones: Record<Card['platform'], BadgeTone> = { instagram: 'amber', facebook: 'sky', tiktok: 'slate' }

export function PlatformBadge({ platform }: { platform: Card['platform'] }) {
  return (
    <Badge tone={platformTones[platform]} data-testid="platform-badge">
      {PLATFORM_LABELS[platform]}
    </Badge>
  )
}

/** The browser's time zone once hydrated; UTC while rendering on the server, which cannot know it. */
export function useViewerTimeZone(): string {
  const hydrated = useHydrated()
  return hydrated ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC'
}

// Columns where a passed due date no longer matters: the work is done.
const DONE_COLUMNS: readonly Card['column'][] = ['Approved', 'Scheduled', 'Published']

/** "Due 5 Mar 2027", red once overdue (known only in the browser, where the time is the viewer's). */
export function DueDate({ dueAt, column }: { dueAt: string; column: Card['column'] }) {
  const hydrated = useHydrated()
  const timeZone = useViewerTimeZone()
  const day = dueDay(dueAt, timeZone)
  const label = new Date(`${day}T12:00:00Z`).toLocaleDateString(hydrated ? undefined : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
  const overdue = hydrated && !DONE_COLUMNS.includes(column) && new Date(dueAt).getTime() < Date.now()
  return (
    <time dateTime={day} title={hydrated ? undefined : `${day} (UTC)`} className={overdue ? 'font-medium text-red-700' : undefined} data-testid="card-due">
      {overdue ? `Overdue · ${label}` : `Due ${label}`}
    </time>
  )
}

/** "0:42" for a video's length. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
