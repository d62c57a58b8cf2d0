import { describe, expect, it } from 'vitest'
import { parseCampaignForm, wallTimeToInstant } from '../../web/app/routes/campaign-form.ts'

// Next year's July: always ahead of today and within how far ahead a campaign may start.
const Y = new Date().getUTCFullYear() + 1

const form = (fields: Record<string, string>) => {
  const data = new FormData()
  for (const [key, value] of Object.entries(fields)) data.set(key, value)
  return data
}

describe('wallTimeToInstant', () => {
  it('reads a wall-clock time in the given zone, summer and winter', () => {
    expect(wallTimeToInstant(`${Y}-07-01T09:30`, 'Europe/Berlin')?.toISOString()).toBe(`${Y}-07-01T07:30:00.000Z`)
    expect(wallTimeToInstant('2026-01-15T09:30', 'Europe/Berlin')?.toISOString()).toBe('2026-01-15T08:30:00.000Z')
  })

  it('uses the offset of the instant itself right after a daylight-saving switch', () => {
    // New York moves to EDT at 07:00 UTC on 8 March 2026. The offset at the naive guess is still EST's,
    // which alone would give 08:30 UTC, an hour late.
    expect(wallTimeToInstant('2026-03-08T03:30', 'America/New_York')?.toISOString()).toBe('2026-03-08T07:30:00.000Z')
  })

  it('rejects what is not a date', () => {
    expect(wallTimeToInstant('2026-02-30T10:00', 'UTC')).toBeNull()
    expect(wallTimeToInstant('2026-01-01T24:00', 'UTC')).toBeNull()
    expect(wallTimeToInstant('tomorrow', 'UTC')).toBeNull()
  })
})

describe('parseCampaignForm', () => {
  it('accepts a bare name, leaving the dates to the API defaults', () => {
    const result = parseCampaignForm(form({ name: '  Spring launch ', startsAt: '', endsAt: '', timeZone: 'Europe/Berlin' }))
    expect(result).toMatchObject({ ok: true, body: { name: 'Spring launch' } })
    expect(result.ok && JSON.parse(JSON.stringify(result.body))).toEqual({ name: 'Spring launch' })
  })

  it('turns local dates into instants in the browser zone', () => {
    const result = parseCampaignForm(
      form({ name: 'Launch', startsAt: `${Y}-07-01T09:00`, endsAt: `${Y}-07-08T18:00`, timeZone: 'Europe/Berlin' }),
    )
    expect(result).toMatchObject({
      ok: true,
      body: { startsAt: `${Y}-07-01T07:00:00.000Z`, endsAt: `${Y}-07-08T16:00:00.000Z` },
    })
  })

  it('falls back to UTC for a zone it does not know', () => {
    const result = parseCampaignForm(form({ name: 'Launch', startsAt: `${Y}-07-01T09:00`, timeZone: 'Mars/Olympus' }))
    expect(result).toMatchObject({ ok: true, values: { timeZone: 'UTC' }, body: { startsAt: `${Y}-07-01T09:00:00.000Z` } })
  })

  it('names each field that is wrong', () => {
    const result = parseCampaignForm(form({ name: ' ', startsAt: `${Y}-07-08T09:00`, endsAt: `${Y}-07-01T09:00`, timeZone: 'UTC' }))
    expect(result).toMatchObject({
      ok: false,
      errors: { name: 'Give the campaign a name.', endsAt: 'The campaign must end after it starts.' },
    })
    expect(parseCampaignForm(form({ name: 'x'.repeat(121) }))).toMatchObject({ ok: false, errors: { name: expect.stringContaining('120') } })
    expect(parseCampaignForm(form({ name: 'A', startsAt: '2026-13-01T00:00' }))).toMatchObject({ ok: false, errors: { startsAt: expect.any(String) } })
  })
})
