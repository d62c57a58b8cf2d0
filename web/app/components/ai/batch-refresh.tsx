// Keeps a running batch's page current: the route's data is reloaded every `intervalMs` while the batch runs
// and the page is visible, so variants appear as they finish. A hidden tab asks nothing of the API; it catches
// up as soon as it is shown again.
import { useEffect, useState } from 'react'
import { Link, useRevalidator } from 'react-router'
import { LocalTime } from '../local-time'

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(true)
  useEffect(() => {
    const update = () => setVisible(document.visibilityState !== 'hidden')
    update()
    document.addEventListener('visibilitychange', update)
    return () => document.removeEventListener('visibilitychange', update)
  }, [])
  return visible
}

/** Reloads the route's data while `active`; returns whether it is refreshing now. */
export function useBatchRefresh(active: boolean, intervalMs: number): boolean {
  const { revalidate, state } = useRevalidator()
  const visible = usePageVisible()
  const [wasHidden, setWasHidden] = useState(false)
  const refreshing = active && visible

  useEffect(() => {
    if (!visible) setWasHidden(true)
  }, [visible])

  // A timeout re-armed each time a reload settles, so a slow API never gets overlapping reloads; after the tab
  // was hidden, the first reload comes at once.
  useEffect(() => {
    if (!refreshing || state !== 'idle') return
    const delay = wasHidden ? 0 : intervalMs
    const timer = setTimeout(() => {
      setWasHidden(false)
      void revalidate()
    }, delay)
    return () => clearTimeout(timer)
  }, [refreshing, state, intervalMs, revalidate, wasHidden])

  return refreshing
}

/** Says whether the page is live; without JavaScript, a link reloads it. */
export function BatchRefreshNote({ active, refreshing, intervalMs, fetchedAt }: { active: boolean; refreshing: boolean; intervalMs: number; fetchedAt: string }) {
  return (
    <p className="flex flex-wrap items-center gap-2 text-xs text-slate-500" data-testid="batch-refresh">
      <span aria-hidden className={`size-2 rounded-full ${refreshing ? 'animate-pulse bg-emerald-500' : 'bg-slate-300'}`} />
      <span>
        {refreshing ? `Live, refreshing every ${intervalMs / 1000} s` : active ? 'Paused while the page is hidden' : 'Finished: not refreshing'} · updated{' '}
        <LocalTime iso={fetchedAt} precision="second" />
      </span>
      {active && (
        <Link to="." reloadDocument className="font-semibold text-emerald-700 hover:text-emerald-600">
          Refresh now
        </Link>
      )}
    </p>
  )
}
