import { useHydrated } from './hydration'

const formats = {
  minute: { dateStyle: 'medium', timeStyle: 'short' },
  second: { dateStyle: 'medium', timeStyle: 'medium' },
} satisfies Record<string, Intl.DateTimeFormatOptions>

/**
 * A timestamp in the viewer's time zone. The server does not know that zone, so it renders UTC (labelled)
 * and the browser switches to local time once hydrated.
 */
export function LocalTime({ iso, precision = 'minute' }: { iso: string; precision?: keyof typeof formats }) {
  const hydrated = useHydrated()
  const date = new Date(iso)
  const text = hydrated
    ? date.toLocaleString(undefined, formats[precision])
    : `${date.toLocaleString(undefined, { ...formats[precision], timeZone: 'UTC' })} UTC`
  return (
    <time dateTime={iso} title={iso}>
      {text}
    </time>
  )
}
