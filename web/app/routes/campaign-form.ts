// The "new campaign" form's rules, shared by the form (input limits) and the action (validation). The API
// validates again and its answer is shown too; checking here gives field messages without a round trip and
// turns the form's wall-clock times into instants.
import { CAMPAIGN_NAME_MAX, resolveCampaignSchedule } from '../../../domain/campaign.ts'

export { CAMPAIGN_NAME_MAX }

/** The fields the API may name in a 400's details. */
export const CAMPAIGN_FORM_FIELDS = ['name', 'startsAt', 'endsAt'] as const

export interface CampaignFormValues {
  name: string
  /** `datetime-local` values: a wall-clock time in `timeZone`, or empty for the API's default. */
  startsAt: string
  endsAt: string
  timeZone: string
}

export type CampaignFormErrors = Partial<Record<keyof CampaignFormValues | 'form', string>>

export interface CreateCampaignBody {
  name: string
  startsAt?: string
  endsAt?: string
}

export type CampaignFormResult =
  | { ok: true; values: CampaignFormValues; body: CreateCampaignBody }
  | { ok: false; values: CampaignFormValues; errors: CampaignFormErrors }

export function parseCampaignForm(form: FormData): CampaignFormResult {
  const text = (key: string) => {
    const value = form.get(key)
    return typeof value === 'string' ? value.trim() : ''
  }
  const timeZone = isTimeZone(text('timeZone')) ? text('timeZone') : 'UTC'
  const values: CampaignFormValues = { name: text('name'), startsAt: text('startsAt'), endsAt: text('endsAt'), timeZone }
  const errors: CampaignFormErrors = {}

  if (values.name === '') errors.name = 'Give the campaign a name.'
  else if (values.name.length > CAMPAIGN_NAME_MAX) errors.name = `Keep the name to ${CAMPAIGN_NAME_MAX} characters or fewer.`

  const startsAt = values.startsAt === '' ? undefined : wallTimeToInstant(values.startsAt, timeZone)
  const endsAt = values.endsAt === '' ? undefined : wallTimeToInstant(values.endsAt, timeZone)
  if (startsAt === null) errors.startsAt = 'Enter a valid date and time.'
  if (endsAt === null) errors.endsAt = 'Enter a valid date and time.'
  if (startsAt !== null && endsAt !== null) {
    // The same schedule rules the API applies (domain/), so the messages match too.
    const schedule = resolveCampaignSchedule({ startsAt, endsAt }, new Date(), 0)
    if (!schedule.ok) for (const problem of schedule.problems) errors[problem.field] ??= problem.message
  }

  if (Object.keys(errors).length > 0) return { ok: false, values, errors }
  return {
    ok: true,
    values,
    body: { name: values.name, startsAt: startsAt?.toISOString(), endsAt: endsAt?.toISOString() },
  }
}

function isTimeZone(value: string): boolean {
  if (value === '') return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}

/** The instant at which clocks in `timeZone` show `wallTime` ("2026-03-29T09:30"), or null if it is no date. */
export function wallTimeToInstant(wallTime: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wallTime)
  if (!match) return null
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number]
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second)
  const check = new Date(asUtc)
  // Date.UTC rolls 31 April over to 1 May; a real date survives the round trip.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return null
  // The zone's offset depends on the instant (daylight saving), so derive it twice: from the naive guess,
  // then from the corrected instant.
  const firstGuess = asUtc - offsetMs(asUtc, timeZone)
  return new Date(asUtc - offsetMs(firstGuess, timeZone))
}

/** How far `timeZone`'s clocks are ahead of UTC at `instant`. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant)
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value)
  const wallClock = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'))
  return wallClock - Math.floor(instant / 1000) * 1000
}
