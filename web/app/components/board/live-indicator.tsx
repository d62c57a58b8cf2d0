export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'off'

const looks: Record<LiveStatus, { dot: string; text: string }> = {
  connecting: { dot: 'bg-slate-300', text: 'Connecting…' },
  live: { dot: 'animate-pulse bg-emerald-500', text: 'Live' },
  reconnecting: { dot: 'bg-amber-400', text: 'Reconnecting…' },
  off: { dot: 'bg-slate-300', text: 'Not live' },
}

/** Whether the board is receiving other people's changes as they happen. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  const { dot, text } = looks[status]
  return (
    <p
      className="flex items-center gap-2 text-xs font-medium text-slate-600"
      data-testid="board-live"
      data-status={status}
      title={status === 'live' ? 'Changes by others appear here without reloading.' : undefined}
    >
      <span aria-hidden className={`size-2 rounded-full ${dot}`} />
      {text}
    </p>
  )
}
