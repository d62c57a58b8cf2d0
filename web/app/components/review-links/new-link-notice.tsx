// The link just made, shown this once: only its hash is kept, so it cannot be shown again. The address is a
// selectable field; with JavaScript a button copies it.
import { useRef, useState } from 'react'
import type { ReviewLinkCreated } from '../../../../api/schemas/review-link.ts'
import { Button } from '../button'
import { useHydrated } from '../hydration'
import { LocalTime } from '../local-time'

function emailSentence(created: ReviewLinkCreated): string | null {
  const to = created.link.clientEmail
  if (!to || created.emailStatus === null) return null
  if (created.emailStatus === 'sent') return `We e-mailed it to ${to}.`
  if (created.emailStatus === 'failed') return `The mail server refused the e-mail to ${to}: send them the link yourself.`
  return `No mail server is configured, so the e-mail to ${to} waits in the outbox: send them the link yourself.`
}

export function NewLinkNotice({ created }: { created: ReviewLinkCreated }) {
  const hydrated = useHydrated()
  const [copied, setCopied] = useState(false)
  const field = useRef<HTMLInputElement>(null)
  const email = emailSentence(created)
  return (
    <section role="status" className="space-y-3 rounded-lg bg-emerald-50 p-5 ring-1 ring-emerald-200 ring-inset" data-testid="new-review-link">
      <p className="text-sm text-emerald-900">
        <strong className="font-semibold">Review link for {created.link.clientName} created</strong> ({created.link.cardIds.length} card
        {created.link.cardIds.length === 1 ? '' : 's'}, until <LocalTime iso={created.link.expiresAt} />
        ). Copy it now: it is shown only this once.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="new-review-link-url" className="sr-only">
          Review link
        </label>
        <input
          id="new-review-link-url"
          ref={field}
          readOnly
          value={created.url}
          onFocus={(event) => event.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border-0 bg-white px-3 py-2 font-mono text-xs text-slate-800 shadow-sm ring-1 ring-emerald-300 ring-inset"
          data-testid="new-review-link-url"
        />
        {hydrated && (
          <Button
            variant="secondary"
            onClick={() => {
              // Without clipboard access (a page not served over HTTPS) the address is selected for copying by hand.
              navigator.clipboard.writeText(created.url).then(
                () => setCopied(true),
                () => field.current?.select(),
              )
            }}
            data-testid="new-review-link-copy"
          >
            {copied ? 'Copied' : 'Copy'}
          </Button>
        )}
      </div>
      {email && <p className="text-sm text-emerald-900">{email}</p>}
    </section>
  )
}
