import type { CampaignEvent } from '~/lib/api.server'
import { LocalTime } from './local-time'

export function EventLog({ events }: { events: CampaignEvent[] }) {
  return (
    <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 className="text-base font-semibold">Events</h2>
      {events.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">Nothing has happened yet.</p>
      ) : (
        <ul className="mt-4 divide-y divide-slate-100 text-sm" data-testid="event-log">
          {events.map((event, index) => (
            // Events carry no id; the rows hold no state, so a positional key is harmless.
            <li key={`${index}-${event.createdAt}`} className="grid grid-cols-[13rem_10rem_1fr] gap-4 py-2">
              <span className="whitespace-nowrap text-slate-500">
                <LocalTime iso={event.createdAt} precision="second" />
              </span>
              <span className="font-mono text-xs leading-5 text-slate-700">{event.kind}</span>
              <span className="text-slate-800">{event.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
