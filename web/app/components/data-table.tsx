import type { ReactNode } from 'react'

/** The white card a table sits in; scrolls sideways on narrow screens instead of overflowing the page. */
export const TABLE_CARD_CLASS = 'overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200'

/** A column heading; `hidden` headings are read by screen readers only (e.g. an actions column). */
export type TableHeader = string | { label: string; hidden: true }

/** The list tables of the app: one header row in the house style, and the rows the caller renders. */
export function DataTable({
  headers,
  children,
  cellPadding = 'px-4',
  className = '',
}: {
  headers: TableHeader[]
  children: ReactNode
  /** Horizontal padding of the header cells, matching the body cells. */
  cellPadding?: 'px-4' | 'px-5'
  className?: string
}) {
  return (
    <table className={`min-w-full divide-y divide-slate-200 text-sm ${className}`}>
      <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
        <tr>
          {headers.map((header) => (
            <th key={typeof header === 'string' ? header : header.label} scope="col" className={`${cellPadding} py-3`}>
              {typeof header === 'string' ? header : <span className="sr-only">{header.label}</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">{children}</tbody>
    </table>
  )
}
