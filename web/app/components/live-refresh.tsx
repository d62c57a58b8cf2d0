import { useEffect } from 'react'
import { useRevalidator } from 'react-router'
import { LocalTime } from './local-time'

interface LiveRefreshProps {
  /** Keep refreshing only while there is something that can still change. */
  active: boolean
  intervalMs: number
  /** When the data on screen was fetched. */
  fetchedAt: string
}

/** Reloads the route's data every `intervalMs` while active, and says so. */
export function LiveRefresh({ active, intervalMs, fetchedAt }: LiveRefreshProps) {
  const { revalidate, state } = useRevalidator()

  // A timeout re-armed each time a refresh settles, so a slow API never gets overlapping refreshes.
  useEffect(() => {
    if (!active || state !== 'idle') return
    const timer = setTimeout(() => void revalidate(), intervalMs)
    return () => clearTimeout(timer)
  }, [active, state, intervalMs, revalidate])

  return (
    <p className="flex items-center gap-2 text-xs text-slate-500" data-testid="live-refresh">
      <span aria-hidden className={`size-2 rounded-full ${active ? 'animate-pulse bg-emerald-500' : 'bg-slate-300'}`} />
      <span>
        {active ? `Live, refreshing every ${intervalMs / 1000} s` : 'Not refreshing'} · updated{' '}
        <LocalTime iso={fetchedAt} precision="second" />
      </span>
    </p>
  )
}
