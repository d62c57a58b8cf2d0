import type { Route } from './+types/settings-outbox'
import type { OutboxEmail, OutboxResponse } from '../../../api/schemas/agency.ts'
import { Badge, type BadgeTone } from '~/components/badge'
import { ErrorPanel } from '~/components/error-panel'
import { LocalTime } from '~/components/local-time'
import { rethrowAsRouteError } from '~/lib/api.server'
import { callApiAsUser } from '~/lib/session.server'

export const meta: Route.MetaFunction = () => [{ title: 'Outbox · Greenlight' }]

export async function loader({ request, url }: Route.LoaderArgs) {
  const response = await callApiAsUser<OutboxResponse>({ request, url }, '/api/agency/outbox').catch(rethrowAsRouteError)
  return response.data
}

const STATUS: Record<OutboxEmail['status'], { label: string; tone: BadgeTone }> = {
  outbox: { label: 'Not sent', tone: 'amber' },
  sent: { label: 'Sent', tone: 'emerald' },
  failed: { label: 'Failed', tone: 'red' },
}

// A sentence's closing punctuation is not part of the address.
const URL_PATTERN = /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)])/

/** The e-mail's text with its web addresses as links, so an invite or reset link can be followed from here. */
function TextWithLinks({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN)
  return (
    <pre className="mt-3 overflow-x-auto rounded-md bg-slate-50 p-4 font-sans text-sm leading-relaxed whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200 ring-inset">
      {parts.map((part, i) =>
        // split() with a capturing group puts the matches at the odd positions.
        i % 2 === 1 ? (
          <a key={i} href={part} className="font-medium break-all text-emerald-700 underline hover:text-emerald-600" data-testid="outbox-link">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </pre>
  )
}

export default function SettingsOutbox({ loaderData }: Route.ComponentProps) {
  const { mode, emails } = loaderData
  return (
    <div className="space-y-4">
      <header>
        <h2 className="text-lg font-semibold">Outbox</h2>
        <p className="mt-1 text-sm text-slate-500">E-mails Greenlight sent for this agency, newest first.</p>
      </header>
      {mode === 'outbox' && (
        <p role="note" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset" data-testid="outbox-dev-banner">
          <strong className="font-semibold">Development outbox</strong> — no mail server is configured; these e-mails were not sent. Follow their links
          from here.
        </p>
      )}
      {emails.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500" data-testid="outbox-empty">
          No e-mails yet. Invitations and password resets appear here.
        </p>
      ) : (
        <ul className="space-y-2">
          {emails.map((email) => (
            <li key={email.id} className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="outbox-email">
              <details className="group p-4">
                <summary className="flex cursor-pointer list-none flex-wrap items-center gap-3 text-sm">
                  <span aria-hidden className="text-slate-400 transition-transform group-open:rotate-90">
                    ▸
                  </span>
                  <span className="font-medium text-slate-900">{email.subject}</span>
                  <span className="text-slate-500">to {email.to}</span>
                  <Badge tone={STATUS[email.status].tone}>{STATUS[email.status].label}</Badge>
                  <span className="ml-auto text-slate-500">
                    <LocalTime iso={email.createdAt} />
                  </span>
                </summary>
                {email.error && <p className="mt-3 text-sm text-red-700">The mail server refused it: {email.error}</p>}
                {email.textWithheld ? (
                  <p className="mt-3 text-sm text-slate-500">Only {email.to} can read this e-mail here: it carries a password-reset link.</p>
                ) : email.text === null ? (
                  <p className="mt-3 text-sm text-slate-500">The text is not kept for e-mails sent through the mail server.</p>
                ) : (
                  <TextWithLinks text={email.text} />
                )}
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
