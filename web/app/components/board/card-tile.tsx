import { useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { Form, Link } from 'react-router'
import { BOARD_COLUMN_LABELS, type BoardColumn } from '../../../../domain/content-board.ts'
import { CsrfField } from '../csrf-field'
import { useHydrated } from '../hydration'
import { DueDate, PlatformBadge } from './card-bits'
import { webAssetUrl, type Card } from '~/lib/board'
import { GripIcon } from '~/components/grip-icon'

/** What a tile's drag payload says about it, for the board's drop logic. */
export interface CardDragData {
  type: 'card'
  cardId: string
  column: BoardColumn
}

interface CardTileProps {
  card: Card
  href: string
  /** Also name the campaign (boards that show more than one). */
  showCampaign: boolean
}

/** A card as the board shows it: title, platform, assignee, due date, caption preview, counts, thumbnail. */
export function CardTileBody({ card, href, showCampaign, handle }: CardTileProps & { handle?: React.ReactNode }) {
  const thumbnail = webAssetUrl(card.thumbnailUrl)
  return (
    <>
      <div className="flex items-start gap-3">
        {thumbnail && <img src={thumbnail} alt="" loading="lazy" className="size-12 shrink-0 rounded object-cover ring-1 ring-slate-200" data-testid="card-thumbnail" />}
        <div className="min-w-0 flex-1">
          <Link to={href} preventScrollReset className="text-sm font-semibold text-slate-900 hover:text-emerald-700" data-testid="card-title">
            {card.title}
          </Link>
          {showCampaign && <p className="truncate text-xs text-slate-500">{card.campaignName}</p>}
        </div>
        {handle}
      </div>
      <div className="mt-2 flex flex-wrap items-center gap-1.5">
        <PlatformBadge platform={card.platform} />
        {card.kind && <span className="text-xs text-slate-500 capitalize">{card.kind}</span>}
      </div>
      {card.captionPreview && <p className="mt-2 line-clamp-2 text-xs text-slate-600" data-testid="card-caption">{card.captionPreview}</p>}
      <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
        <span data-testid="card-assignee">{card.assignee?.name ?? 'Unassigned'}</span>
        {card.dueDate && card.dueAt && <DueDate dueDate={card.dueDate} dueAt={card.dueAt} column={card.column} />}
        <span className="inline-flex items-center gap-1" title={`${card.commentCount} comment${card.commentCount === 1 ? '' : 's'}`} data-testid="card-comment-count">
          <svg aria-hidden viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.5">
            <path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z" strokeLinejoin="round" />
          </svg>
          {card.commentCount}
          <span className="sr-only"> comments</span>
        </span>
        <span className="inline-flex items-center gap-1" title={`${card.assetCount} asset${card.assetCount === 1 ? '' : 's'}`} data-testid="card-asset-count">
          <svg aria-hidden viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.5">
            <rect x="2.5" y="3" width="11" height="10" rx="1.5" />
            <path d="M2.5 11l3.5-3.5 3 3 2-2 2.5 2.5" strokeLinejoin="round" />
          </svg>
          {card.assetCount}
          <span className="sr-only"> assets</span>
        </span>
      </div>
    </>
  )
}

// Tiles far outside the viewport are not laid out or painted (a long column stays cheap); the intrinsic size
// keeps the scroll height honest until they are.
const TILE_CLASS = 'rounded-md bg-white p-3 shadow-sm ring-1 ring-slate-200 [contain-intrinsic-size:auto_8rem] [content-visibility:auto]'

interface SortableCardTileProps extends CardTileProps {
  draggable: boolean
  /** While another card is dragged: its column does not take that card, so this tile is no drop target. */
  dropDisabled: boolean
  saving: boolean
  /** The "Move to" form (works without JavaScript too). */
  moveForm: React.ReactNode
}

/** A tile in a column's sortable list, dragged by its handle (pointer or keyboard). */
export function SortableCardTile({ card, href, showCampaign, draggable, dropDisabled, saving, moveForm }: SortableCardTileProps) {
  const hydrated = useHydrated()
  const data: CardDragData = { type: 'card', cardId: card.id, column: card.column }
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: card.id,
    data,
    disabled: { draggable: !draggable, droppable: dropDisabled },
  })
  const handle =
    hydrated && draggable ? (
      <button
        type="button"
        ref={setActivatorNodeRef}
        {...attributes}
        {...listeners}
        aria-label={`Move “${card.title}”`}
        className="-m-1 shrink-0 cursor-grab touch-none rounded p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-600 focus-visible:outline-2 focus-visible:outline-emerald-600 active:cursor-grabbing"
        data-testid="card-drag-handle"
      >
        <GripIcon className="size-4" />
      </button>
    ) : null
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={`${TILE_CLASS} ${isDragging ? 'opacity-40' : ''} ${saving ? 'animate-pulse' : ''}`}
      data-testid="board-card"
      data-card-id={card.id}
      data-column={card.column}
      aria-busy={saving || undefined}
    >
      <CardTileBody card={card} href={href} showCampaign={showCampaign} handle={handle} />
      {moveForm}
    </li>
  )
}

/** The tile that follows the pointer while dragging (drawn above every column). */
export function DraggedCardTile({ card, showCampaign }: { card: Card; showCampaign: boolean }) {
  return (
    <div className={`${TILE_CLASS} w-72 rotate-1 shadow-lg ring-2 ring-emerald-500`}>
      <CardTileBody card={card} href="#" showCampaign={showCampaign} />
    </div>
  )
}

interface MoveToFormProps {
  card: Card
  /** The board route's address (with its filters), where the move is posted. */
  action: string
  /** Shared with the board's drag-and-drop moves, so results are handled in one place. */
  fetcherKey: string
  disabled: boolean
}

/**
 * "Move to" for one card: a select of the columns the card may go to and a button. A plain form post
 * without JavaScript; with it, the same move through the board's fetcher. The card goes to the top of the
 * chosen column.
 */
export function MoveToForm({ card, action, fetcherKey, disabled }: MoveToFormProps) {
  if (card.allowedTargets.length === 0) return null
  const selectId = `move-to-${card.id}`
  return (
    <details className="group mt-2 text-xs" data-testid="card-move-form">
      <summary className="cursor-pointer text-slate-500 select-none hover:text-slate-700">Move to…</summary>
      <Form method="post" action={action} navigate={false} fetcherKey={fetcherKey} preventScrollReset className="mt-2 flex items-center gap-2">
        <CsrfField />
        <input type="hidden" name="intent" value="move-card" />
        <input type="hidden" name="cardId" value={card.id} />
        <input type="hidden" name="version" value={card.version} />
        <label htmlFor={selectId} className="sr-only">
          Move “{card.title}” to
        </label>
        <select id={selectId} name="to" className="min-w-0 flex-1 rounded-md border-0 bg-white py-1 pr-7 pl-2 text-xs ring-1 ring-slate-300 ring-inset" data-testid="card-move-select">
          {card.allowedTargets.map((column) => (
            <option key={column} value={column}>
              {BOARD_COLUMN_LABELS[column]}
            </option>
          ))}
        </select>
        <button
          type="submit"
          disabled={disabled}
          className="rounded-md bg-white px-2 py-1 font-semibold text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 disabled:opacity-60"
          data-testid="card-move-submit"
        >
          Move
        </button>
      </Form>
    </details>
  )
}
