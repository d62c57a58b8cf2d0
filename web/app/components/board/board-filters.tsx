import { Form, Link, useSubmit } from 'react-router'
import { PLATFORM_LABELS, SOCIAL_PLATFORMS } from '../../../../domain/brand-kit.ts'
import { Button } from '../button'
import { useHydrated } from '../hydration'
import type { BoardFilters as Filters } from '~/lib/board'

interface BoardFiltersProps {
  filters: Filters
  /** Creators to filter by; none on a creator's own board. */
  assignees: readonly { id: string; name: string }[]
  /** The board's address without filters. */
  clearHref: string
}

const selectClass = 'mt-1 block rounded-md border-0 bg-white py-1.5 pr-8 pl-3 text-sm shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-emerald-600'

/** Platform and assignee filters: a GET form (applied on change with JavaScript, with a button without). */
export function BoardFilters({ filters, assignees, clearHref }: BoardFiltersProps) {
  const submit = useSubmit()
  const hydrated = useHydrated()
  const active = filters.platform !== null || filters.assigneeCreatorId !== null
  return (
    <Form
      method="get"
      className="flex flex-wrap items-end gap-3"
      aria-label="Filter cards"
      onChange={(event) => void submit(event.currentTarget, { preventScrollReset: true, replace: true })}
      data-testid="board-filters"
    >
      <div>
        <label htmlFor="board-platform" className="block text-xs font-medium text-slate-600">
          Platform
        </label>
        <select id="board-platform" name="platform" defaultValue={filters.platform ?? ''} className={selectClass} data-testid="filter-platform">
          <option value="">All platforms</option>
          {SOCIAL_PLATFORMS.map((platform) => (
            <option key={platform} value={platform}>
              {PLATFORM_LABELS[platform]}
            </option>
          ))}
        </select>
      </div>
      {assignees.length > 0 && (
        <div>
          <label htmlFor="board-assignee" className="block text-xs font-medium text-slate-600">
            Assignee
          </label>
          <select id="board-assignee" name="assignee" defaultValue={filters.assigneeCreatorId ?? ''} className={selectClass} data-testid="filter-assignee">
            <option value="">Everyone</option>
            {assignees.map((creator) => (
              <option key={creator.id} value={creator.id}>
                {creator.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {!hydrated && (
        <Button type="submit" variant="secondary">
          Apply
        </Button>
      )}
      {active && (
        <Link to={clearHref} className="pb-2 text-sm font-medium text-emerald-700 hover:text-emerald-600" data-testid="filter-clear">
          Clear filters
        </Link>
      )}
    </Form>
  )
}
