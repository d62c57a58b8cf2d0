import { useEffect, useId, useRef, type ReactNode } from 'react'
import { Link, useNavigate } from 'react-router'

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])'

interface CardDrawerProps {
  title: string
  /** Where closing goes: the board, with its filters. */
  closeHref: string
  children: ReactNode
}

/**
 * A card opened over the board: a modal dialog on the right. Focus moves to its heading when it opens, stays
 * inside while it is open (Tab wraps; the board behind is inert), and returns to where it was when it closes
 * (Escape, the close button, or a click beside it).
 */
export function CardDrawer({ title, closeHref, children }: CardDrawerProps) {
  const headingId = useId()
  const dialog = useRef<HTMLElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const navigate = useNavigate()

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    heading.current?.focus()
    return () => {
      // Back to the card's link on the board, if it is still there.
      if (opener?.isConnected) opener.focus({ preventScroll: true })
    }
  }, [])

  // On the document, not the dialog: a form that was replaced after saving takes the focus with it to <body>,
  // and Escape and Tab must still work then.
  useEffect(() => {
    function handleKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault()
        void navigate(closeHref, { preventScrollReset: true })
        return
      }
      if (event.key !== 'Tab' || !dialog.current) return
      const focusable = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => element.offsetParent !== null)
      const first = focusable[0]
      const last = focusable.at(-1)
      if (!first || !last) return
      const inside = dialog.current.contains(document.activeElement)
      if (!inside) {
        event.preventDefault()
        ;(event.shiftKey ? last : first).focus()
      } else if (event.shiftKey && (document.activeElement === first || document.activeElement === heading.current)) {
        event.preventDefault()
        last.focus()
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault()
        first.focus()
      }
    }
    document.addEventListener('keydown', handleKeyDown)
    return () => document.removeEventListener('keydown', handleKeyDown)
  }, [closeHref, navigate])

  return (
    <div className="fixed inset-0 z-40 flex justify-end">
      <Link to={closeHref} preventScrollReset tabIndex={-1} aria-hidden className="absolute inset-0 bg-slate-900/30" />
      <section
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby={headingId}
        className="relative flex h-full w-full max-w-2xl flex-col bg-slate-50 shadow-xl"
        data-testid="card-drawer"
      >
        <header className="flex items-start justify-between gap-4 border-b border-slate-200 bg-white px-6 py-4">
          <h2 id={headingId} ref={heading} tabIndex={-1} className="text-lg font-semibold tracking-tight outline-none" data-testid="card-drawer-title">
            {title}
          </h2>
          <Link
            to={closeHref}
            preventScrollReset
            className="rounded-md px-2 py-1 text-sm font-medium text-slate-500 ring-1 ring-slate-200 hover:bg-slate-50 hover:text-slate-700"
            data-testid="card-drawer-close"
          >
            Close
          </Link>
        </header>
        <div className="flex-1 space-y-5 overflow-y-auto px-6 py-5">{children}</div>
      </section>
    </div>
  )
}

/** One titled part of the drawer. */
export function DrawerSection({ title, children, testId, aside }: { title: string; children: ReactNode; testId?: string; aside?: ReactNode }) {
  const headingId = useId()
  return (
    <section aria-labelledby={headingId} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid={testId}>
      <div className="flex items-baseline justify-between gap-3">
        <h3 id={headingId} className="text-sm font-semibold text-slate-900">
          {title}
        </h3>
        {aside}
      </div>
      <div className="mt-3">{children}</div>
    </section>
  )
}
