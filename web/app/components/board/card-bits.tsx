// Small pieces of a card shared by the board's tiles and the card drawer.
import { PLATFORM_LABELS } from '../../../../domain/brand-kit.ts'
import { Badge, type BadgeTone } from '../badge'
import { useHydrated } from '../hydration'
import { DONE_COLUMNS } from '../../../../domain/content-board.ts'
import type { Card } from '~/lib/board'

const platformTones: Record<Card['platform'], BadgeTone> = { instagram: 'amber', facebook: 'sky', tiktok: 'slate' }

export function PlatformBadge({ platform }: { platform: Card['platform'] }) {
  return (
    <Badge tone={platformTones[platform]} data-testid="platform-badge">
      {PLATFORM_LABELS[platform]}
    </Badge>
  )
}

/**
 * "Due 5 Mar 2027": the day in the campaign's time zone, as the API gives it; red once overdue (known only in
 * the browser, where the clock is the viewer's).
 */
export function DueDate({ dueDate, dueAt, column }: { dueDate: string; dueAt: string; column: Card['column'] }) {
  const hydrated = useHydrated()
  const label = new Date(`${dueDate}T12:00:00Z`).toLocaleDateString(hydrated ? undefined : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
  const overdue = hydrated && !(DONE_COLUMNS as readonly string[]).includes(column) && new Date(dueAt).getTime() < Date.now()
  return (
    <time dateTime={dueDate} className={overdue ? 'font-medium text-red-700' : undefined} data-testid="card-due">
      {overdue ? `Overdue · ${label}` : `Due ${label}`}
    </time>
  )
}

/** "0:42" for a video's length. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
