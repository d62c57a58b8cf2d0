import { describe, expect, it } from 'vitest'
import {
  CAMPAIGN_STAGES,
  campaignStageAt,
  nextCampaignStage,
  nextCampaignWakeAt,
  resolveCampaignSchedule,
  temporalWebWorkflowUrl,
} from '../../domain/campaign'
import { Stage } from '../../api/schemas/campaign'

const now = new Date('2030-05-01T12:00:00Z')
const at = (iso: string) => new Date(iso)

describe('resolveCampaignSchedule', () => {
  it('defaults the start to shortly from now and the end to a week later', () => {
    const result = resolveCampaignSchedule({}, now, 60)
    expect(result).toEqual({
      ok: true,
      schedule: { startsAt: at('2030-05-01T12:01:00Z'), endsAt: at('2030-05-08T12:01:00Z') },
    })
  })

  it('keeps explicit dates', () => {
    const result = resolveCampaignSchedule({ startsAt: at('2030-06-01T00:00:00Z'), endsAt: at('2030-06-30T00:00:00Z') }, now, 60)
    expect(result).toEqual({ ok: true, schedule: { startsAt: at('2030-06-01T00:00:00Z'), endsAt: at('2030-06-30T00:00:00Z') } })
  })

  it('refuses an end at or before the start', () => {
    const result = resolveCampaignSchedule({ startsAt: at('2030-06-01T00:00:00Z'), endsAt: at('2030-06-01T00:00:00Z') }, now, 60)
    expect(result).toEqual({ ok: false, problems: [{ field: 'endsAt', message: 'The campaign must end after it starts.' }] })
  })

  it('refuses dates that are no instant, and starts too far ahead', () => {
    const leapSecond = resolveCampaignSchedule({ startsAt: new Date('2030-06-30T23:59:60Z') }, now, 60)
    expect(leapSecond).toEqual({ ok: false, problems: [{ field: 'startsAt', message: 'This is not a date and time we can use.' }] })
    const farAhead = resolveCampaignSchedule({ startsAt: at('9999-12-31T00:00:00Z') }, now, 60)
    expect(farAhead).toMatchObject({ ok: false, problems: [{ field: 'startsAt', message: expect.stringContaining('730 days ahead') }] })
  })

  it('refuses a campaign that is already over or absurdly long', () => {
    const past = resolveCampaignSchedule({ startsAt: at('2030-01-01T00:00:00Z'), endsAt: at('2030-02-01T00:00:00Z') }, now, 60)
    expect(past.ok).toBe(false)
    const long = resolveCampaignSchedule({ startsAt: at('2030-06-01T00:00:00Z'), endsAt: at('2032-06-01T00:00:00Z') }, now, 60)
    expect(long).toMatchObject({ ok: false, problems: [{ field: 'endsAt', message: expect.stringContaining('366 days') }] })
  })
})

describe('campaignStageAt and nextCampaignWakeAt', () => {
  const schedule = { startsAt: at('2030-05-02T00:00:00Z'), endsAt: at('2030-05-09T00:00:00Z') }

  it('is scheduled before the start, live until the end, then completed', () => {
    expect(campaignStageAt(schedule, now, false)).toBe('scheduled')
    expect(campaignStageAt(schedule, at('2030-05-02T00:00:00Z'), false)).toBe('live')
    expect(campaignStageAt(schedule, at('2030-05-09T00:00:00Z'), false)).toBe('completed')
  })

  it('lets a pause override scheduled and live, but not completed', () => {
    expect(campaignStageAt(schedule, now, true)).toBe('paused')
    expect(campaignStageAt(schedule, at('2030-05-03T00:00:00Z'), true)).toBe('paused')
    expect(campaignStageAt(schedule, at('2030-05-10T00:00:00Z'), true)).toBe('completed')
  })

  it('never skips going live, unless the campaign was paused through its whole window', () => {
    const afterEnd = at('2030-05-10T00:00:00Z')
    expect(nextCampaignStage('scheduled', schedule, afterEnd, false)).toBe('live')
    expect(nextCampaignStage(null, schedule, afterEnd, false)).toBe('live')
    expect(nextCampaignStage('live', schedule, afterEnd, false)).toBe('completed')
    expect(nextCampaignStage('paused', schedule, afterEnd, false)).toBe('completed')
    expect(nextCampaignStage('scheduled', schedule, afterEnd, true)).toBe('completed')
    expect(nextCampaignStage('scheduled', schedule, at('2030-05-03T00:00:00Z'), false)).toBe('live')
  })

  it('wakes at the next boundary, and never after the end', () => {
    expect(nextCampaignWakeAt(schedule, now)).toEqual(schedule.startsAt)
    expect(nextCampaignWakeAt(schedule, at('2030-05-05T00:00:00Z'))).toEqual(schedule.endsAt)
    expect(nextCampaignWakeAt(schedule, at('2030-05-09T00:00:00Z'))).toBeNull()
  })
})

describe('temporalWebWorkflowUrl', () => {
  it('links to the run, escaping the colon of campaign:<id>', () => {
    expect(temporalWebWorkflowUrl('http://localhost:8233/', 'default', 'campaign:abc')).toBe(
      'http://localhost:8233/namespaces/default/workflows/campaign%3Aabc',
    )
  })
})

it('the API schema lists exactly the domain stages', () => {
  const literals = Stage.anyOf.map((schema: { const: string }) => schema.const)
  expect(literals).toEqual([...CAMPAIGN_STAGES])
})
