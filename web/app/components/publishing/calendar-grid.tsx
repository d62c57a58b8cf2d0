// The publishing calendar's grid (dnd-kit): a month of days or a week of day-and-hour slots, each post a chip
// that opens its card. Chips the API allows to move are dragged by their handle (pointer or keyboard) onto
// another day or slot; the drop itself is the caller's (onDrop), this component only works out where.
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  closestCenter,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core'
import { useEffect, useRef, useState } from 'react'
import { Link } from 'react-router'
import { useHydrated } from '../hydration'
import { PlatformMark } from './publishing-bits'
import { dropSlotId, parseDropSlotId, WEEKDAY_HEADINGS, type CalendarEntry, type CalendarView, type DropSlot } from '~/lib/calendar'
import { accountLabel, formatDay, STATUS_TONES, type StatusTone } from '~/lib/publishing'
import { GripIcon } from '~/components/grip-icon'

const CHIP_TONES: Record<StatusTone, string> = {
  sky: 'border-sky-500 bg-sky-50',
  emerald: 'border-emerald-500 bg-emerald-50',
  amber: 'border-amber-500 bg-amber-50',
  red: 'border-red-500 bg-red-50',
  slate: 'border-slate-300 bg-slate-50 text-slate-500',
}

// The pointer decides when there is one; the keyboard sensor has none, so the nearest slot decides.
const collisionDetection: CollisionDetection = (args) => {
  const underPointer = pointerWithin(args)
  return underPointer.length > 0 ? underPointer : closestCenter(args)
}

const HOURS = Array.from({ length: 24 }, (_, hour) => hour)
const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`

interface CalendarGridProps {
  view: CalendarView
  days: readonly string[]
  /** The month on screen ("2026-11"), so days around it are shown muted; null in week view. */
  month: string | null
  today: string
  byDay: ReadonlyMap<string, CalendarEntry[]>
  cardHref: (entry: CalendarEntry) => string
  /** The post being saved, shown where it was dropped until the API answers. */
  savingPostId: string | null
  busy: boolean
  onDrop: (entry: CalendarEntry, slot: DropSlot) => void
}

export function CalendarGrid({ view, days, month, today, byDay, cardHref, savingPostId, busy, onDrop }: CalendarGridProps) {
  const [active, setActive] = useState<CalendarEntry | null>(null)
  const weekScroller = useRef<HTMLDivElement>(null)
  // A week opens at its first post's hour, or at 08:00 when that is earlier: the night hours are above.
  const firstHour = Math.min(8, ...[...byDay.values()].flat().map((entry) => entry.clock.hour))
  const firstDay = days[0]
  useEffect(() => {
    const scroller = weekScroller.current
    const row = firstDay ? scroller?.querySelector<HTMLElement>(`[data-slot="${dropSlotId({ date: firstDay, hour: firstHour })}"]`) : null
    if (scroller && row) scroller.scrollTop = row.offsetTop - (scroller.querySelector<HTMLElement>('[data-week-head]')?.offsetHeight ?? 0)
    // Once per week shown (firstHour is left out on purpose: a saved move must not scroll the page away).
  }, [firstDay, view])
  const sensors = useSensors(
    // A few pixels of travel before a drag starts, so a click on the handle stays a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor),
  )
  const entryOf = (id: string | number) => [...byDay.values()].flat().find((entry) => entry.post.id === String(id)) ?? null

  function handleDragStart(event: DragStartEvent) {
    setActive(entryOf(event.active.id))
  }

  function handleDragEnd(event: DragEndEvent) {
    setActive(null)
    const entry = entryOf(event.active.id)
    const slot = event.over ? parseDropSlotId(String(event.over.id)) : null
    if (entry && slot) onDrop(entry, slot)
  }

  const slotText = (id: string | number | undefined) => {
    const slot = id === undefined ? null : parseDropSlotId(String(id))
    if (!slot) return 'nowhere'
    return slot.hour === null ? formatDay(slot.date) : `${formatDay(slot.date)}, ${hourLabel(slot.hour)}`
  }
  const titleOf = (id: string | number) => entryOf(id)?.post.cardTitle ?? 'The post'
  const announcements: Announcements = {
    onDragStart: ({ active: dragged }) => `Picked up “${titleOf(dragged.id)}”. Move it to another ${view === 'month' ? 'day' : 'day and hour'}, then press Space or Enter.`,
    onDragOver: ({ active: dragged, over }) => `“${titleOf(dragged.id)}” is over ${slotText(over?.id)}.`,
    onDragEnd: ({ active: dragged, over }) => (over ? `Dropped “${titleOf(dragged.id)}” on ${slotText(over.id)}.` : `“${titleOf(dragged.id)}” stays where it was.`),
    onDragCancel: ({ active: dragged }) => `Moving “${titleOf(dragged.id)}” was cancelled.`,
  }

  const chipFor = (entry: CalendarEntry) => (
    <CalendarChip key={entry.post.id} entry={entry} href={cardHref(entry)} draggable={entry.post.canReschedule && !busy} saving={savingPostId === entry.post.id} />
  )

  return (
    <DndContext
      id="publishing-calendar"
      sensors={sensors}
      collisionDetection={collisionDetection}
      onDragStart={handleDragStart}
      onDragEnd={handleDragEnd}
      onDragCancel={() => setActive(null)}
      accessibility={{ announcements, screenReaderInstructions: { draggable: 'To move the post, press Space or Enter, use the arrow keys, then Space or Enter to drop it, Escape to cancel.' } }}
    >
      {view === 'month' ? (
        <div className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="calendar-month">
          <div className="grid grid-cols-7 border-b border-slate-200 bg-slate-50 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            {WEEKDAY_HEADINGS.map((weekday) => (
              <div key={weekday} className="px-2 py-2">
                {weekday}
              </div>
            ))}
          </div>
          <div className="grid grid-cols-7">
            {days.map((date) => (
              <DropCell key={date} slot={{ date, hour: null }} className={`min-h-28 border-r border-b border-slate-100 p-1.5 ${date.slice(0, 7) === month ? '' : 'bg-slate-50/70'}`}>
                <p className={`mb-1 text-xs font-medium ${date === today ? 'inline-flex size-5 items-center justify-center rounded-full bg-emerald-600 text-white' : date.slice(0, 7) === month ? 'text-slate-700' : 'text-slate-400'}`}>
                  <span className="sr-only">{formatDay(date)}</span>
                  <span aria-hidden>{Number(date.slice(8, 10))}</span>
                </p>
                <ul className="space-y-1">{(byDay.get(date) ?? []).map(chipFor)}</ul>
              </DropCell>
            ))}
          </div>
        </div>
      ) : (
        <div ref={weekScroller} className="relative max-h-[70vh] overflow-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="calendar-week">
          <div className="grid min-w-[56rem] grid-cols-[4rem_repeat(7,minmax(0,1fr))]">
            <div className="sticky top-0 z-10 border-b border-slate-200 bg-slate-50" data-week-head="" />
            {days.map((date, index) => (
              <div key={date} className={`sticky top-0 z-10 border-b border-l border-slate-200 bg-slate-50 px-2 py-2 text-xs font-semibold ${date === today ? 'text-emerald-700' : 'text-slate-600'}`}>
                {WEEKDAY_HEADINGS[index]} {Number(date.slice(8, 10))}
              </div>
            ))}
            {HOURS.map((hour) => (
              <WeekRow key={hour} hour={hour} days={days} byDay={byDay} chipFor={chipFor} />
            ))}
          </div>
        </div>
      )}
      <DragOverlay>{active ? <ChipBody entry={active} className="w-48 shadow-lg ring-2 ring-emerald-500" /> : null}</DragOverlay>
    </DndContext>
  )
}

function WeekRow({ hour, days, byDay, chipFor }: { hour: number; days: readonly string[]; byDay: ReadonlyMap<string, CalendarEntry[]>; chipFor: (entry: CalendarEntry) => React.ReactNode }) {
  return (
    <>
      <div className="border-b border-slate-100 px-2 py-1 text-right text-[11px] text-slate-400">{hourLabel(hour)}</div>
      {days.map((date) => (
        <DropCell key={date} slot={{ date, hour }} className="min-h-10 border-b border-l border-slate-100 p-1">
          <ul className="space-y-1">{(byDay.get(date) ?? []).filter((entry) => entry.clock.hour === hour).map(chipFor)}</ul>
        </DropCell>
      ))}
    </>
  )
}

function DropCell({ slot, className, children }: { slot: DropSlot; className: string; children: React.ReactNode }) {
  const id = dropSlotId(slot)
  const { setNodeRef, isOver, active } = useDroppable({ id })
  return (
    <div ref={setNodeRef} className={`${className} ${isOver ? 'bg-emerald-50 ring-2 ring-emerald-400 ring-inset' : ''} ${active ? 'transition-colors' : ''}`} data-testid="calendar-slot" data-slot={id}>
      {children}
    </div>
  )
}

function ChipBody({ entry, className = '', handle, href }: { entry: CalendarEntry; className?: string; handle?: React.ReactNode; href?: string }) {
  const { post, clock } = entry
  const title = href ? (
    <Link to={href} className="block min-w-0 truncate font-medium text-slate-900 hover:text-emerald-700" data-testid="calendar-chip-link">
      {post.cardTitle}
    </Link>
  ) : (
    <span className="block min-w-0 truncate font-medium text-slate-900">{post.cardTitle}</span>
  )
  // Two lines: when, where and the handle; then the card's title, as wide as the cell allows.
  return (
    <div className={`rounded border-l-4 px-1.5 py-1 text-xs ${CHIP_TONES[STATUS_TONES[post.status]]} ${className}`} title={`${post.cardTitle} · ${accountLabel(post)} · ${post.statusLabel}`}>
      <div className="flex items-center gap-1">
        <PlatformMark platform={post.platform} />
        <span className="shrink-0 font-mono text-[11px] text-slate-600" data-testid="calendar-chip-time">
          {clock.time}
        </span>
        {post.sandbox && (
          <span className="shrink-0 rounded bg-slate-200 px-1 text-[10px] font-semibold text-slate-600" title="Sandbox account" data-testid="calendar-chip-sandbox">
            Sandbox
          </span>
        )}
        <span className="sr-only">· {post.statusLabel}</span>
        {handle}
      </div>
      <div className="mt-0.5 flex min-w-0">{title}</div>
    </div>
  )
}

function CalendarChip({ entry, href, draggable, saving }: { entry: CalendarEntry; href: string; draggable: boolean; saving: boolean }) {
  const hydrated = useHydrated()
  // The overlay follows the pointer; the chip stays in place, faded, until it is dropped.
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({ id: entry.post.id, disabled: !draggable })
  const handle =
    hydrated && draggable ? (
      <button
        type="button"
        ref={setActivatorNodeRef}
        {...attributes}
        {...listeners}
        aria-label={`Move “${entry.post.cardTitle}”, ${accountLabel(entry.post)}`}
        className="ml-auto shrink-0 cursor-grab touch-none rounded px-0.5 text-slate-400 hover:bg-white hover:text-slate-600 focus-visible:outline-2 focus-visible:outline-emerald-600 active:cursor-grabbing"
        data-testid="calendar-chip-handle"
      >
        <GripIcon className="size-3.5" />
      </button>
    ) : null
  return (
    <li
      ref={setNodeRef}
      className={`${isDragging ? 'opacity-40' : ''} ${saving ? 'animate-pulse' : ''}`}
      aria-busy={saving || undefined}
      data-testid="calendar-chip"
      data-post-id={entry.post.id}
      data-status={entry.post.status}
      data-draggable={draggable || undefined}
    >
      <ChipBody entry={entry} href={href} handle={handle} />
    </li>
  )
}
