import { useFetcher } from 'react-router'
import { Button } from '../button'
import { CsrfField } from '../csrf-field'
import { DataTable, TABLE_CARD_CLASS } from '../data-table'
import { FormError } from '../form-error'
import type { ImportResult } from '~/lib/board'

interface CsvImportProps {
  /** The board route's address, where the file is posted. */
  action: string
  /** The answer of a plain form post (without JavaScript). */
  submitted: ImportResult | undefined
}

/**
 * "Import CSV" on a campaign board: the file goes to the API as it is (title, platform, creator, due date,
 * caption); either every row becomes a card or none does, and then each bad row is listed with its reason.
 */
export function CsvImport({ action, submitted }: CsvImportProps) {
  const fetcher = useFetcher({ key: 'board-csv-import' })
  const result = (fetcher.data as ImportResult | undefined) ?? submitted
  const busy = fetcher.state !== 'idle'
  return (
    <section className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-labelledby="csv-import-heading" data-testid="csv-import">
      <h2 id="csv-import-heading" className="text-sm font-semibold">
        Import cards from CSV
      </h2>
      <p className="mt-1 text-xs text-slate-500">
        Columns: Title, Platform, Creator, Due date (YYYY-MM-DD), Caption. Up to 1 MB; if any row is wrong, nothing is imported.
      </p>
      <fetcher.Form method="post" action={action} encType="multipart/form-data" className="mt-3 flex flex-wrap items-center gap-3">
        <CsrfField />
        <input type="hidden" name="intent" value="import-csv" />
        <label className="sr-only" htmlFor="csv-import-file">
          CSV file
        </label>
        <input
          id="csv-import-file"
          type="file"
          name="file"
          accept=".csv,text/csv"
          required
          className="text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200"
          data-testid="csv-import-file"
        />
        <Button type="submit" variant="secondary" disabled={busy} data-testid="csv-import-submit">
          {busy ? 'Importing…' : 'Import CSV'}
        </Button>
      </fetcher.Form>
      {result?.ok === true && (
        <p role="status" className="mt-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="csv-import-created">
          {result.report.created} card{result.report.created === 1 ? '' : 's'} created.
        </p>
      )}
      {result?.ok === false && (
        <div className="mt-3 space-y-3" data-testid="csv-import-errors">
          <FormError message={result.message} />
          {result.rows.length > 0 && (
            <div className={TABLE_CARD_CLASS}>
              <DataTable headers={['Row', 'Column', 'Problem']}>
                {result.rows.map((row, index) => (
                  <tr key={index} data-testid="csv-import-error-row">
                    <td className="px-4 py-2 font-mono text-slate-700">{row.row ?? '—'}</td>
                    <td className="px-4 py-2 text-slate-700">{row.column ?? '—'}</td>
                    <td className="px-4 py-2 text-slate-700">{row.message}</td>
                  </tr>
                ))}
              </DataTable>
            </div>
          )}
        </div>
      )}
    </section>
  )
}
