import { describe, expect, it } from 'vitest'
import {
  CAMPAIGN_STAGES,
  campaignStageAt,
  nextCampaignStage,
  nextCampaignWakeAt,
  temporalWebWorkflowUrl,
} from '../../domain/campaign'
import { Stage } from '../../api/schemas/campaign'

const now = new Date('2030-05-01T12:00:00Z')
const at = (iso: string) => new Date(iso)

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
