import type { ReactNode } from 'react'

/** The frame of the pages a visitor sees before signing in: the mark, a line of purpose, one card. */
export function AuthShell({ subtitle, children, footer }: { subtitle: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="flex min-h-full items-center justify-center px-6 py-16">
      <div className="w-full max-w-sm">
        <p className="flex items-center justify-center gap-2 text-2xl font-semibold tracking-tight">
          <span aria-hidden className="size-3 rounded-full bg-emerald-500 ring-4 ring-emerald-100" />
          Greenlight
        </p>
        <p className="mt-2 text-center text-sm text-slate-500">{subtitle}</p>
        <div className="mt-8 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">{children}</div>
        {footer ? <div className="mt-4 text-center text-sm text-slate-600">{footer}</div> : null}
      </div>
    </main>
  )
}
