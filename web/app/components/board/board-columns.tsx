// The board's columns with drag-and-drop (dnd-kit): pointer and keyboard sensors, drop targets limited to the
// columns the dragged card may go to, and a marker where it will land. The drop itself is the caller's
// (onDrop): this component only works out where.
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  closestCorners,
  pointerWithin,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragMoveEvent,
  type DragStartEvent,
  type ScreenReaderInstructions,
} from '@dnd-kit/core'
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { useId, useState, type ReactNode } from 'react'
import { BOARD_COLUMNS, BOARD_COLUMN_LABELS, type BoardColumn } from '../../../../domain/content-board.ts'
import { DraggedCardTile, SortableCardTile, type CardDragData } from './card-tile'
import { dropIndex, dropTargets, findCard, type BoardState, type Card, type ColumnState } from '~/lib/board'

interface ColumnDropData {
  type: 'column'
  column: BoardColumn
}

type DropData = CardDragData | ColumnDropData

const columnDropId = (column: BoardColumn) => `column:${column}`

// The pointer decides when there is one: the card under it, else the column under it. The keyboard sensor
// has no pointer, so the nearest corners decide.
const collisionDetection: CollisionDetection = (args) => {
  const underPointer = pointerWithin(args)
  if (underPointer.length > 0) {
    const cards = underPointer.filter((collision) => !String(collision.id).startsWith('column:'))
    return cards.length > 0 ? cards : underPointer
  }
  return closestCorners(args)
}

const screenReaderInstructions: ScreenReaderInstructions = {
  draggable:
    'To pick up the card, press Space or Enter. Use the arrow keys to move it up and down a column or to another column, Space or Enter to drop it, Escape to cancel.',
}

export interface DragRules {
  /** Whether the signed-in user may move this card at all. */
  draggable: boolean
  /** Whether they may reorder it within its own column. */
  mayReorder: boolean
}

interface BoardColumnsProps {
  state: BoardState
  rulesFor: (card: Card) => DragRules
  /** True while a move is being saved: no new drag until it is settled. */
  busy: boolean
  savingCardId: string | null
  onDrop: (cardId: string, to: BoardColumn, index: number) => void
  cardHref: (card: Card) => string
  showCampaign: boolean
  moveFormFor: (card: Card) => ReactNode
  footerFor: (column: ColumnState) => ReactNode
}

interface DropPoint {
  column: BoardColumn
  /** Index among the column's cards without the dragged one. */
  index: number
}

export function BoardColumns({ state, rulesFor, busy, savingCardId, onDrop, cardHref, showCampaign, moveFormFor, footerFor }: BoardColumnsProps) {
  const [activeId, setActiveId] = useState<string | null>(null)
  const [dropPoint, setDropPoint] = useState<DropPoint | null>(null)
  const sensors = useSensors(
    // A few pixels of travel before a drag starts, so a click on the handle stays a click.
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )

  const active = activeId ? findCard(state, activeId) : null
  const targets = active ? dropTargets(active.card, rulesFor(active.card).mayReorder) : null

  function dropPointOf(event: DragMoveEvent | DragEndEvent): DropPoint | null {
    const { active: dragged, over } = event
    const found = findCard(state, String(dragged.id))
    const overData = over?.data.current as DropData | undefined
    if (!found || !over || !overData) return null
    const column = overData.column
    if (!dropTargets(found.card, rulesFor(found.card).mayReorder).has(column)) return null
    const sameColumn = column === found.column
    const targetCards = state[column].cards.filter((card) => card.id !== found.card.id)
    let overIndex: number | null = null
    if (overData.type === 'card') {
      // Within its own column the list shifts as the card is dragged: the index in the full list is where it lands.
      overIndex = (sameColumn ? state[column].cards : targetCards).findIndex((card) => card.id === overData.cardId)
      if (sameColumn && overData.cardId === found.card.id) overIndex = found.index
    }
    const draggedRect = dragged.rect.current.translated
    const pointerBelowCentre = draggedRect ? draggedRect.top + draggedRect.height / 2 > over.rect.top + over.rect.height / 2 : false
    return { column, index: dropIndex({ sameColumn, overIndex, targetLength: targetCards.length, pointerBelowCentre }) }
  }

  function handleDragStart(event: DragStartEvent) {
    setActiveId(String(event.active.id))
  }

  function handleDragMove(event: DragMoveEvent) {
    const point = dropPointOf(event)
    setDropPoint((current) => (current?.column === point?.column && current?.index === point?.index ? current : point))
  }

  function handleDragEnd(event: DragEndEvent) {
    const point = dropPointOf(event)
    setActiveId(null)
    setDropPoint(null)
    if (point) onDrop(String(event.active.id), point.column, point.index)
  }

  function handleDragCancel() {
    setActiveId(null)
    setDropPoint(null)
  }

  const titleOf = (id: string | number) => findCard(state, String(id))?.card.title ?? 'The card'
  const announcements: Announcements = {
    onDragStart({ active: dragged }) {
      const found = findCard(state, String(dragged.id))
      if (!found) return undefined
      const allowed = [...dropTargets(found.card, rulesFor(found.card).mayReorder)].map((column) => BOARD_COLUMN_LABELS[column])
      return `Picked up “${found.card.title}” in ${BOARD_COLUMN_LABELS[found.column]}. It can go to ${allowed.join(', ')}.`
    },
    onDragOver({ active: dragged, over }) {
      const overData = over?.data.current as DropData | undefined
      if (!overData) return `“${titleOf(dragged.id)}” is not over a column.`
      const found = findCard(state, String(dragged.id))
      const accepted = found ? dropTargets(found.card, rulesFor(found.card).mayReorder).has(overData.column) : false
      return accepted
        ? `“${titleOf(dragged.id)}” is over ${BOARD_COLUMN_LABELS[overData.column]}.`
        : `“${titleOf(dragged.id)}” cannot go to ${BOARD_COLUMN_LABELS[overData.column]}.`
    },
    onDragEnd({ active: dragged, over }) {
      const overData = over?.data.current as DropData | undefined
      return overData ? `Dropped “${titleOf(dragged.id)}” in ${BOARD_COLUMN_LABELS[overData.column]}.` : `“${titleOf(dragged.id)}” was dropped where it was.`
    },
    onDragCancel({ active: dragged }) {
      return `Moving “${titleOf(dragged.id)}” was cancelled.`
    },
  }

  return (
    <DndContext
      id="content-board"
      sensors={sensors}
      collisionDetection={collisionDetection}
      onDragStart={handleDragStart}
      onDragMove={handleDragMove}
      onDragEnd={handleDragEnd}
      onDragCancel={handleDragCancel}
      accessibility={{ announcements, screenReaderInstructions }}
    >
      <div className="flex items-start gap-4 overflow-x-auto pb-4" data-testid="board-columns">
        {BOARD_COLUMNS.map((column) => (
          <BoardColumnList
            key={column}
            column={state[column]}
            accepts={targets ? targets.has(column) : null}
            dropIndex={dropPoint?.column === column && active?.column !== column ? dropPoint.index : null}
            activeId={activeId}
            tiles={state[column].cards.map((card) => (
              <SortableCardTile
                key={card.id}
                card={card}
                href={cardHref(card)}
                showCampaign={showCampaign}
                draggable={rulesFor(card).draggable && !busy}
                dropDisabled={targets !== null && !targets.has(column)}
                saving={savingCardId === card.id}
                moveForm={moveFormFor(card)}
              />
            ))}
            footer={footerFor(state[column])}
          />
        ))}
      </div>
      <DragOverlay>{active ? <DraggedCardTile card={active.card} showCampaign={showCampaign} /> : null}</DragOverlay>
    </DndContext>
  )
}

interface BoardColumnListProps {
  column: ColumnState
  /** While dragging: whether this column takes the dragged card; null when nothing is dragged. */
  accepts: boolean | null
  /** Where the dragged card from another column would land, for the marker. */
  dropIndex: number | null
  activeId: string | null
  /** One tile per card of the column, in the same order. */
  tiles: ReactNode[]
  footer: ReactNode
}

function BoardColumnList({ column, accepts, dropIndex: markerIndex, activeId, tiles, footer }: BoardColumnListProps) {
  const headingId = useId()
  const data: ColumnDropData = { type: 'column', column: column.column }
  const { setNodeRef, isOver } = useDroppable({ id: columnDropId(column.column), data, disabled: accepts === false })
  const ids = column.cards.map((card) => card.id)
  const marker = (
    <li key="drop-marker" aria-hidden className="h-1 rounded-full bg-emerald-500" data-testid="board-drop-marker" />
  )
  // The marker goes among the tiles other than the dragged one.
  const withMarker: ReactNode[] = []
  let position = 0
  column.cards.forEach((card, index) => {
    if (card.id !== activeId) {
      if (markerIndex === position) withMarker.push(marker)
      position += 1
    }
    withMarker.push(tiles[index])
  })
  if (markerIndex !== null && markerIndex >= position) withMarker.push(marker)

  const targeted = accepts === true && (isOver || markerIndex !== null)
  const ring = accepts === null ? 'ring-slate-200' : accepts ? (targeted ? 'ring-2 ring-emerald-500' : 'ring-2 ring-emerald-300') : 'ring-slate-200 opacity-50'
  return (
    <section
      aria-labelledby={headingId}
      className={`flex max-h-[calc(100vh-14rem)] w-72 shrink-0 flex-col rounded-lg bg-slate-100 ring-1 transition-opacity ${ring}`}
      data-testid="board-column"
      data-column={column.column}
      data-drop={accepts === null ? undefined : accepts ? 'allowed' : 'refused'}
      data-targeted={targeted || undefined}
    >
      <header className="flex items-baseline justify-between gap-2 px-3 pt-3 pb-2">
        <h2 id={headingId} className="text-sm font-semibold text-slate-800">
          {column.label}
        </h2>
        <span className="text-xs font-medium text-slate-500" data-testid="column-total" aria-label={`${column.total} cards`}>
          {column.total}
        </span>
      </header>
      {accepts === false && <p className="px-3 pb-2 text-xs text-slate-500">This card cannot go here.</p>}
      <SortableContext id={column.column} items={ids} strategy={verticalListSortingStrategy}>
        <ul ref={setNodeRef} aria-labelledby={headingId} className="flex min-h-24 flex-1 flex-col gap-2 overflow-y-auto px-3 pb-3" data-testid="column-cards">
          {withMarker}
          {column.cards.length === 0 && markerIndex === null && <li className="py-6 text-center text-xs text-slate-400">No cards</li>}
        </ul>
      </SortableContext>
      {footer}
    </section>
  )
}
