import { describe, expect, it } from 'vitest'
import type { Campaign } from '../../api/schemas/campaign.ts'
import { formatBriefDates, formatBudget, timeZoneChoices } from '../../web/app/components/brief-format.ts'
import {
  briefBodyFromValues,
  briefFormValues,
  budgetInputValue,
  campaignListQuery,
  deliverablesBodyFromRows,
  localDateTimeValue,
  placeBriefIssues,
  placeDeliverableIssues,
  readBriefForm,
  readCampaignListFilters,
  readDeliverablesForm,
  readNewCampaignForm,
  readinessTarget,
  type BriefFormValues,
  type DeliverableRow,
} from '../../web/app/routes/campaign-form.ts'

const WORKSPACE = '5b1d0f4e-8c43-4a55-9a38-2f7e1c6b9d10'
const CREATOR = '0f8e2b1c-3d4a-4b5c-8d6e-7f8091a2b3c4'
const DELIVERABLE = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
const FILE = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'

const form = (fields: [string, string][]) => {
  const data = new FormData()
  for (const [key, value] of fields) data.append(key, value)
  return data
}

const campaign: Campaign = {
  id: '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a',
  workspaceId: WORKSPACE,
  workspaceName: 'Luna Coffee',
  name: 'Seasonal menu launch',
  status: 'draft',
  objective: 'traffic',
  audience: 'Locals who eat out',
  platforms: ['instagram', 'tiktok'],
  startsAtLocal: '2027-03-01T09:00',
  endsAtLocal: '2027-03-20T18:00',
  timeZone: 'Europe/Berlin',
  startsAt: '2027-03-01T08:00:00.000Z',
  endsAt: '2027-03-20T17:00:00.000Z',
  budgetMinor: 250_000,
  currency: 'USD',
  contentVolume: 20,
  keyMessages: ['Book a table', 'Cooked from scratch'],
  references: [
    { kind: 'link', url: 'https://example.com/menu', note: 'Competitor menu' },
    { kind: 'upload', fileId: FILE, note: 'Moodboard' },
    { kind: 'idea', note: 'Plating, overhead' },
  ],
  templateId: 'restaurant',
  stage: null,
  brandKitVersion: null,
  launchedAt: null,
  workflowId: 'campaign:7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a',
  temporalWebUrl: null,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
}

/** What the brief editor posts for these values (reference rows as parallel fields). */
function briefForm(values: BriefFormValues): FormData {
  const fields: [string, string][] = [
    ['_csrf', 'token'],
    ['intent', 'save-brief'],
    ['name', values.name],
    ['objective', values.objective],
    ['audience', values.audience],
    ...values.platforms.map((platform): [string, string] => ['platforms', platform]),
    ['startsAtLocal', values.startsAtLocal],
    ['endsAtLocal', values.endsAtLocal],
    ['timeZone', values.timeZone],
    ['budget', values.budget],
    ['currency', values.currency],
    ['contentVolume', values.contentVolume],
    ['keyMessages', values.keyMessages],
  ]
  for (const row of values.references) {
    fields.push(['referenceKind', row.kind], ['referenceUrl', row.url], ['referenceFileId', row.fileId], ['referenceNote', row.note])
  }
  return form(fields)
}

describe('campaign list filters', () => {
  it('passes known filters to the API and drops the rest', () => {
    const filters = readCampaignListFilters(new URLSearchParams({ workspaceId: WORKSPACE, status: 'active' }))
    expect(filters).toEqual({ workspaceId: WORKSPACE, status: 'active' })
    expect(campaignListQuery(filters)).toBe(`?workspaceId=${WORKSPACE}&status=active`)
    const junk = readCampaignListFilters(new URLSearchParams({ workspaceId: 'not-a-uuid', status: 'running' }))
    expect(junk).toEqual({ workspaceId: '', status: '' })
    expect(campaignListQuery(junk)).toBe('')
  })
})

describe('readNewCampaignForm', () => {
  it('creates from a template with its suggested name and the browser zone', () => {
    const result = readNewCampaignForm(form([['workspaceId', WORKSPACE], ['templateId', 'fitness'], ['name', ' '], ['timeZone', 'America/New_York']]))
    expect(result).toEqual({ ok: true, values: expect.anything(), body: { workspaceId: WORKSPACE, templateId: 'fitness', timeZone: 'America/New_York' } })
  })

  it('needs a name for a blank brief, a workspace, and a known template', () => {
    expect(readNewCampaignForm(form([['workspaceId', WORKSPACE], ['templateId', 'blank'], ['name', 'Spring']]))).toMatchObject({
      ok: true,
      body: { workspaceId: WORKSPACE, name: 'Spring' },
    })
    const refused = readNewCampaignForm(form([['workspaceId', ''], ['templateId', 'blank'], ['name', '']]))
    expect(refused).toMatchObject({ ok: false, errors: { workspaceId: expect.any(String), name: 'Give the blank brief a name.' } })
    expect(readNewCampaignForm(form([['workspaceId', WORKSPACE], ['templateId', 'bakery']]))).toMatchObject({ ok: false, errors: { templateId: expect.any(String) } })
  })

  it('leaves out a time zone that is no IANA zone', () => {
    const result = readNewCampaignForm(form([['workspaceId', WORKSPACE], ['templateId', 'saas'], ['timeZone', 'Mars/Olympus']]))
    expect(result.ok && result.body).toEqual({ workspaceId: WORKSPACE, templateId: 'saas' })
  })
})

describe('brief form', () => {
  it('round-trips a saved brief into the same PATCH body', () => {
    const values = briefFormValues(campaign)
    expect(values.budget).toBe('2500.00')
    // Two spare rows after the three references, for adding without JavaScript.
    expect(values.references).toHaveLength(5)
    const result = briefBodyFromValues(readBriefForm(briefForm(values)))
    expect(result).toEqual({
      ok: true,
      referenceRows: [0, 1, 2],
      body: {
        name: campaign.name,
        objective: 'traffic',
        audience: campaign.audience,
        platforms: ['instagram', 'tiktok'],
        startsAtLocal: '2027-03-01T09:00',
        endsAtLocal: '2027-03-20T18:00',
        timeZone: 'Europe/Berlin',
        budgetMinor: 250_000,
        currency: 'USD',
        contentVolume: 20,
        keyMessages: ['Book a table', 'Cooked from scratch'],
        references: campaign.references,
      },
    })
  })

  it('reads amounts in the currency, key messages per line, empty dates as none', () => {
    const values: BriefFormValues = {
      ...briefFormValues(campaign),
      budget: '1,250.5',
      keyMessages: 'First\r\n\r\n  Second  \n',
      startsAtLocal: '',
      endsAtLocal: '2027-03-20T18:00:00',
      references: [],
    }
    const result = briefBodyFromValues(values)
    expect(result).toMatchObject({ ok: true, body: { budgetMinor: 125_050, keyMessages: ['First', 'Second'], startsAtLocal: null, endsAtLocal: '2027-03-20T18:00', references: [] } })
    expect(briefBodyFromValues({ ...values, currency: 'JPY', budget: '5,000' })).toMatchObject({ ok: true, body: { budgetMinor: 5000 } })
    expect(briefBodyFromValues({ ...values, budget: '' })).toMatchObject({ ok: true, body: { budgetMinor: 0 } })
  })

  it('names what it cannot read and what the domain rules refuse, at the form rows', () => {
    const values: BriefFormValues = {
      ...briefFormValues(campaign),
      budget: '12.345',
      contentVolume: 'lots',
    }
    expect(briefBodyFromValues(values)).toEqual({
      ok: false,
      errors: { budget: 'Enter an amount like 2,500.00, with at most 2 decimals.', contentVolume: expect.any(String) },
    })
    expect(briefBodyFromValues({ ...values, budget: '1.5', currency: 'JPY', contentVolume: '3' })).toMatchObject({ ok: false, errors: { budget: expect.stringContaining('at most 0 decimals') } })

    // A blank row in between: the bad link is the body's reference 1 but the form's row 2.
    const rows = [
      { kind: 'idea', url: '', fileId: '', note: 'Overhead plating' },
      { kind: 'link', url: '', fileId: '', note: '' },
      { kind: 'link', url: 'not a link', fileId: '', note: '' },
    ]
    const refused = briefBodyFromValues({ ...briefFormValues(campaign), platforms: [], endsAtLocal: '2027-02-01T09:00', references: rows })
    expect(refused).toEqual({
      ok: false,
      errors: {
        platforms: 'needs at least one platform',
        endsAtLocal: 'must be after the start',
        'references.2.url': '"not a link" is not an http(s) link',
      },
    })
  })

  it('places the API’s details next to their fields', () => {
    const errors = placeBriefIssues(
      [
        { path: '/budgetMinor', message: 'is above the maximum' },
        { path: '/references/1/fileId', message: 'is not an asset of this workspace' },
        { path: '/keyMessages/3', message: 'must be 1–280 characters' },
        { path: '/deliverables/0/platform', message: 'TikTok is not one of this brief’s platforms' },
      ],
      [0, 2],
      'The brief is not valid.',
    )
    expect(errors).toEqual({
      budget: 'is above the maximum',
      'references.2.fileId': 'is not an asset of this workspace',
      keyMessages: 'Line 4: must be 1–280 characters',
      form: 'The brief is not valid. Deliverable 1: TikTok is not one of this brief’s platforms',
    })
    expect(placeBriefIssues([], [], 'This campaign is archived.')).toEqual({ form: 'This campaign is archived.' })
  })

  it('formats budgets for the input and keeps datetime-local values to minutes', () => {
    expect(budgetInputValue(0, 'USD')).toBe('')
    expect(budgetInputValue(5, 'EUR')).toBe('0.05')
    expect(budgetInputValue(5000, 'JPY')).toBe('5000')
    expect(localDateTimeValue(' 2027-03-01T09:00:00.000 ')).toBe('2027-03-01T09:00')
    expect(localDateTimeValue('')).toBeNull()
    expect(localDateTimeValue('tomorrow')).toBe('tomorrow')
  })
})

describe('deliverables form', () => {
  const row = (fields: Partial<DeliverableRow>): DeliverableRow => ({ id: '', creatorId: '', type: '', count: '1', remove: false, ...fields })

  it('reads parallel rows and the removed ones', () => {
    const rows = readDeliverablesForm(
      form([
        ['deliverableId', DELIVERABLE], ['deliverableCreatorId', CREATOR], ['deliverableType', 'tiktok/video'], ['deliverableCount', '3'],
        ['deliverableId', ''], ['deliverableCreatorId', ''], ['deliverableType', 'instagram/reel'], ['deliverableCount', '5'],
        ['deliverableRemove', '1'],
      ]),
    )
    expect(rows).toEqual([
      { id: DELIVERABLE, creatorId: CREATOR, type: 'tiktok/video', count: '3', remove: false },
      { id: '', creatorId: '', type: 'instagram/reel', count: '5', remove: true },
    ])
  })

  it('builds the PUT body from the rows that stay', () => {
    const result = deliverablesBodyFromRows([
      row({ id: DELIVERABLE, creatorId: CREATOR, type: 'tiktok/video', count: '3' }),
      row({}),
      row({ type: 'instagram/story', count: '2', remove: true }),
      row({ type: 'instagram/reel', count: '5' }),
    ])
    expect(result).toEqual({
      ok: true,
      deliverableRows: [0, 3],
      body: {
        deliverables: [
          { id: DELIVERABLE, creatorId: CREATOR, platform: 'tiktok', kind: 'video', count: 3 },
          { creatorId: null, platform: 'instagram', kind: 'reel', count: 5 },
        ],
      },
    })
  })

  it('refuses what it cannot send, per row', () => {
    expect(deliverablesBodyFromRows([row({ type: 'tiktok/reel' }), row({ type: 'instagram/post', count: '0' }), row({ creatorId: CREATOR })])).toEqual({
      ok: false,
      errors: {
        'deliverables.0.type': expect.any(String),
        'deliverables.1.count': 'Enter a whole number from 1 to 50.',
        'deliverables.2.type': expect.any(String),
      },
    })
    // The domain's rule against two rows numbering the same cards, placed on the second row.
    const repeated = deliverablesBodyFromRows([row({ creatorId: CREATOR, type: 'tiktok/video' }), row({}), row({ creatorId: CREATOR, type: 'tiktok/video', count: '2' })])
    expect(repeated).toMatchObject({ ok: false, errors: { 'deliverables.2.row': expect.stringContaining('repeats deliverable 1') } })
  })

  it('places the API’s details on the rows posted', () => {
    expect(
      placeDeliverableIssues(
        [
          { path: '/deliverables/1/platform', message: 'Facebook is not one of this brief’s platforms' },
          { path: '/deliverables', message: 'add up to 240 cards' },
        ],
        [0, 3],
        'The deliverables are not valid.',
      ),
    ).toEqual({ 'deliverables.3.type': 'Facebook is not one of this brief’s platforms', deliverables: 'add up to 240 cards' })
    expect(placeDeliverableIssues([], [0], '2 cards of this deliverable are already in progress.')).toEqual({ form: '2 cards of this deliverable are already in progress.' })
  })
})

describe('readinessTarget', () => {
  it('links each missing item to where it is fixed', () => {
    expect(readinessTarget({ code: 'BRAND_KIT_MISSING' }, WORKSPACE)).toEqual({ href: `/workspaces/${WORKSPACE}`, label: 'Open the brand kit' })
    expect(readinessTarget({ code: 'ACCOUNT_MISSING', path: '/platforms/1' }, WORKSPACE)).toEqual({ href: '/creators', label: 'Connect an account' })
    expect(readinessTarget({ code: 'DELIVERABLE_UNASSIGNED', path: '/deliverables/2/creatorId' }, WORKSPACE)?.href).toBe('#deliverable-2')
    expect(readinessTarget({ code: 'NO_DELIVERABLES', path: '/deliverables' }, WORKSPACE)?.href).toBe('#deliverables')
    expect(readinessTarget({ code: 'BUDGET_MISSING', path: '/budgetMinor' }, WORKSPACE)?.href).toBe('#brief-budget')
    expect(readinessTarget({ code: 'DATES_MISSING', path: '/endsAtLocal' }, WORKSPACE)?.href).toBe('#brief-endsAtLocal')
    // Details of a refused launch carry no code, only the path.
    expect(readinessTarget({ code: '', path: '/startsAtLocal' }, WORKSPACE)?.href).toBe('#brief-startsAtLocal')
    expect(readinessTarget({ code: '' }, WORKSPACE)).toBeNull()
  })
})

describe('brief formatting', () => {
  it('shows dates as written in the brief’s zone, and budgets in their currency', () => {
    expect(formatBriefDates(campaign)).toBe('Mar 1, 2027, 9:00 AM – Mar 20, 2027, 6:00 PM')
    expect(formatBriefDates({ startsAtLocal: '2027-03-01T09:00', endsAtLocal: '2027-03-01T17:30' })).toBe('Mar 1, 2027, 9:00 AM – 5:30 PM')
    expect(formatBriefDates({ startsAtLocal: null, endsAtLocal: null })).toBe('No dates yet')
    expect(formatBriefDates({ startsAtLocal: '2027-03-01T09:00', endsAtLocal: null })).toBe('Starts Mar 1, 2027, 9:00 AM')
    expect(formatBudget(123_405, 'USD')).toBe('$1,234.05')
    expect(formatBudget(5000, 'JPY')).toBe('¥5,000')
    expect(formatBudget(0, 'EUR')).toBe('No budget')
  })

  it('offers UTC first and keeps a saved zone the list leaves out', () => {
    // An alias ICU accepts but does not list (its canonical name is listed instead).
    const zones = timeZoneChoices(['US/Pacific'])
    expect(zones.slice(0, 2)).toEqual(['UTC', 'US/Pacific'])
    expect(zones).toContain('Europe/Berlin')
    expect(new Set(zones).size).toBe(zones.length)
  })
})
