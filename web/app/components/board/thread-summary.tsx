// "Summarize thread" in the card drawer's comments: posts the `summarize` intent to the card's route and shows
// the summary with who wrote it (a model, or the offline extractive summary, said as such). A fetcher keeps
// the drawer as it is; without JavaScript the form posts the page and the answer comes back as its action data.
import { useActionData, useFetcher } from 'react-router'
import type { ThreadSummary } from '../../../../api/schemas/thread-summary.ts'
import { Badge } from '../badge'
import { Button } from '../button'
import { CsrfField } from '../csrf-field'
import { FormError } from '../form-error'

export type ThreadSummaryActionResult = { intent: 'summarize'; ok: true; summary: ThreadSummary } | { intent: 'summarize'; ok: false; error: string }

export function isThreadSummaryResult(value: unknown): value is ThreadSummaryActionResult {
  return typeof value === 'object' && value !== null && (value as { intent?: unknown }).intent === 'summarize'
}

export function ThreadSummaryPanel({ cardId }: { cardId: string }) {
  const fetcher = useFetcher<ThreadSummaryActionResult>({ key: `thread-summary:${cardId}` })
  const posted = useActionData()
  const result = fetcher.data ?? (isThreadSummaryResult(posted) ? posted : undefined)
  const busy = fetcher.state !== 'idle'
  return (
    <div className="mb-4 space-y-3" data-testid="thread-summary">
      <fetcher.Form method="post" preventScrollReset>
        <CsrfField />
        <input type="hidden" name="intent" value="summarize" />
        <Button type="submit" variant="secondary" disabled={busy} data-testid="thread-summary-submit">
          {busy ? 'Summarizing…' : result?.ok ? 'Summarize again' : 'Summarize thread'}
        </Button>
      </fetcher.Form>
      {result && !result.ok && <FormError message={result.error} />}
      {result?.ok && <SummaryView summary={result.summary} />}
    </div>
  )
}

function SummaryView({ summary }: { summary: ThreadSummary }) {
  return (
    <section aria-label="Thread summary" className="space-y-2 rounded-md bg-slate-50 px-3 py-3 ring-1 ring-slate-200 ring-inset" data-testid="thread-summary-result">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={summary.offline ? 'slate' : 'sky'} data-testid="thread-summary-provider">
          {summary.offline ? summary.providerLabel : `${summary.providerLabel} · ${summary.model}`}
        </Badge>
        {summary.offline && (
          <span className="text-xs text-slate-600" data-testid="thread-summary-offline">
            Extractive summary (offline, no AI model)
          </span>
        )}
        <span className="text-xs text-slate-500">
          {summary.commentCount} comment{summary.commentCount === 1 ? '' : 's'} read
        </span>
      </div>
      <p className="text-sm text-slate-800">{summary.summary}</p>
      {summary.bullets.length > 0 && (
        <ul className="list-disc space-y-1 pl-5 text-sm text-slate-700">
          {summary.bullets.map((bullet, index) => (
            <li key={index}>{bullet}</li>
          ))}
        </ul>
      )}
    </section>
  )
}
