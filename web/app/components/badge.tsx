import { useId } from 'react'

const tones = {
  amber: 'bg-amber-50 text-amber-800 ring-amber-600/25',
  emerald: 'bg-emerald-50 text-emerald-800 ring-emerald-600/25',
  sky: 'bg-sky-50 text-sky-800 ring-sky-600/25',
  slate: 'bg-slate-100 text-slate-700 ring-slate-500/25',
  red: 'bg-red-50 text-red-800 ring-red-600/25',
}

export type BadgeTone = keyof typeof tones

interface BadgeProps extends React.HTMLAttributes<HTMLSpanElement> {
  tone: BadgeTone
  /** Shown on hover and keyboard focus. */
  tooltip?: string
}

export function Badge({ tone, tooltip, children, className = '', ...rest }: BadgeProps) {
  const tooltipId = useId()
  const badge = (
    <span
      className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]} ${className}`}
      {...rest}
      {...(tooltip ? { tabIndex: 0, 'aria-describedby': tooltipId } : {})}
    >
      {children}
    </span>
  )
  if (!tooltip) return badge
  return (
    <span className="group relative inline-flex">
      {badge}
      <span
        id={tooltipId}
        role="tooltip"
        className="invisible absolute top-full left-0 z-10 mt-2 w-72 rounded-md bg-slate-900 px-3 py-2 text-xs leading-relaxed font-normal text-white opacity-0 shadow-lg transition-opacity group-focus-within:visible group-focus-within:opacity-100 group-hover:visible group-hover:opacity-100"
      >
        {tooltip}
      </span>
    </span>
  )
}
