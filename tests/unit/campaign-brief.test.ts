// Campaign brief rules (domain/campaign-brief.ts): the status graph, deliverables and the cards they create,
// money in minor units, schedules in IANA time zones across daylight-saving changes, brief validation, the
// launch readiness check and the industry templates.
import { describe, expect, it } from 'vitest'
import { SOCIAL_PLATFORMS } from '../../domain/brand-kit'
import {
  planDeliverableCards,
  addDays,
  calendarDayIn,
  dueAtForDay,
  dueDayOf,
  isCalendarDate,
  BRIEF_LIMITS,
  BRIEF_STATUSES,
  BRIEF_STATUS_TRANSITIONS,
  BUDGET_MAX_MINOR,
  CURRENCIES,
  CURRENCY_CODES,
  DELIVERABLE_KINDS,
  DELIVERABLE_LIMITS,
  INDUSTRY_TEMPLATES,
  INDUSTRY_TEMPLATE_IDS,
  OBJECTIVES,
  READINESS_CODES,
  applyTemplate,
  briefIssues,
  briefStatusActionLabel,
  budgetIssues,
  checkBriefStatusChange,
  describeDeliverable,
  expandDeliverables,
  formatMoney,
  isTimeZone,
  parseMoneyAmount,
  readinessCheck,
  resolveBriefSchedule,
  resolveLocalDateTime,
  startOfLocalDay,
  type BriefStatus,
  type CampaignBrief,
  type CurrencyCode,
  type Deliverable,
  type ReadinessInput,
} from '../../domain/campaign-brief'

const brief = (changes: Partial<CampaignBrief> = {}): CampaignBrief => ({
  name: 'Spring menu launch',
  objective: 'traffic',
  audience: 'Locals who eat out twice a month',
  platforms: ['instagram', 'tiktok'],
  startsAtLocal: '2027-03-01T09:00',
  endsAtLocal: '2027-03-31T18:00',
  timeZone: 'Europe/Berlin',
  budgetMinor: 250_000,
  currency: 'EUR',
  contentVolume: 10,
  deliverables: [
    { creatorId: 'creator-ana', platform: 'tiktok', kind: 'video', count: 3 },
    { creatorId: 'creator-ben', platform: 'instagram', kind: 'reel', count: 5 },
  ],
  keyMessages: ['Cooked from scratch every day'],
  references: [
    { kind: 'link', url: 'https://example.com/moodboard', note: 'Colours' },
    { kind: 'example_post', url: 'https://www.instagram.com/p/Cx1/', note: '' },
    { kind: 'upload', fileId: 'file-1', note: 'Logo lockup' },
    { kind: 'idea', note: 'Overhead plating shot' },
  ],
  ...changes,
})
const paths = (content: CampaignBrief) => briefIssues(content).map((issue) => issue.path)
const deliverable = (changes: Partial<Deliverable> = {}): Deliverable => ({ creatorId: 'creator-ana', platform: 'tiktok', kind: 'video', count: 3, ...changes })

describe('brief statuses', () => {
  const allowed: [BriefStatus, BriefStatus][] = [
    ['draft', 'ready'],
    ['draft', 'archived'],
    ['ready', 'draft'],
    ['ready', 'active'],
    ['ready', 'archived'],
    ['active', 'paused'],
    ['active', 'completed'],
    ['paused', 'active'],
    ['paused', 'completed'],
    ['paused', 'archived'],
    ['completed', 'archived'],
    ['archived', 'draft'],
  ]
  const isAllowed = (from: BriefStatus, to: BriefStatus) => allowed.some(([f, t]) => f === from && t === to)

  it.each(BRIEF_STATUSES.flatMap((from) => BRIEF_STATUSES.map((to) => [from, to] as const)))('%s → %s follows the graph', (from, to) => {
    const refusal = checkBriefStatusChange(from, to)
    if (from === to) expect(refusal?.code).toBe('BRIEF_STATUS_UNCHANGED')
    else if (isAllowed(from, to)) expect(refusal).toBeNull()
    else expect(refusal?.code).toBe('BRIEF_STATUS_CHANGE_NOT_ALLOWED')
  })

  it('publishes the same graph as data', () => {
    const fromData = BRIEF_STATUSES.flatMap((from) => BRIEF_STATUS_TRANSITIONS[from].map((to) => `${from}>${to}`)).sort()
    expect(fromData).toEqual(allowed.map(([f, t]) => `${f}>${t}`).sort())
  })

  it.each([
    ['draft', 'active', 'Mark the brief ready (its readiness check must pass) before launching it.'],
    ['archived', 'active', 'Restore the archived brief as a draft before launching it again.'],
    ['completed', 'active', 'A completed brief does not run again: archive it, restore it as a draft and launch it anew.'],
    ['active', 'archived', 'An active brief cannot be archived: pause or complete it first.'],
    ['active', 'draft', 'A brief that has launched cannot go back to draft. This brief is active.'],
    ['draft', 'paused', 'Only an active brief can be paused. This brief is draft.'],
    ['ready', 'completed', 'Only an active or paused brief can be completed. This brief is ready.'],
    ['archived', 'ready', 'Only a draft brief can be marked ready. This brief is archived.'],
    ['paused', 'paused', 'The brief is already paused.'],
  ] as const)('%s → %s is refused with what to do instead', (from, to, message) => {
    expect(checkBriefStatusChange(from, to)?.message).toBe(message)
  })

  it.each([
    ['draft', 'ready', 'Mark ready'],
    ['ready', 'draft', 'Back to draft'],
    ['archived', 'draft', 'Restore'],
    ['ready', 'active', 'Launch'],
    ['paused', 'active', 'Resume'],
    ['active', 'paused', 'Pause'],
    ['paused', 'completed', 'Complete'],
    ['completed', 'archived', 'Archive'],
  ] as const)('%s → %s is labelled %s', (from, to, label) => {
    expect(briefStatusActionLabel(from, to)).toBe(label)
  })
})

describe('deliverables', () => {
  it('offers the kinds each platform publishes', () => {
    expect(DELIVERABLE_KINDS).toEqual({
      instagram: ['post', 'reel', 'story', 'carousel'],
      tiktok: ['video', 'photo'],
      facebook: ['post', 'video', 'reel'],
    })
  })

  it('expands into one titled card per piece, in deliverable order', () => {
    const result = expandDeliverables(
      [deliverable(), deliverable({ creatorId: 'creator-ben', platform: 'instagram', kind: 'story', count: 1 }), deliverable({ creatorId: null, platform: 'instagram', kind: 'carousel', count: 2 })],
      ['instagram', 'tiktok'],
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.cards.map((card) => card.title)).toEqual([
      'TikTok video 1 of 3',
      'TikTok video 2 of 3',
      'TikTok video 3 of 3',
      'Instagram story',
      'Instagram carousel 1 of 2',
      'Instagram carousel 2 of 2',
    ])
    expect(result.cards[1]).toEqual({ deliverableIndex: 0, creatorId: 'creator-ana', platform: 'tiktok', kind: 'video', sequence: 2, of: 3, title: 'TikTok video 2 of 3' })
    expect(result.cards[4]).toMatchObject({ deliverableIndex: 2, creatorId: null, sequence: 1, of: 2 })
  })

  it.each([
    ['a count of 0', [deliverable({ count: 0 })], ['/deliverables/0/count']],
    ['a count of 51', [deliverable({ count: 51 })], ['/deliverables/0/count']],
    ['a fractional count', [deliverable({ count: 2.5 })], ['/deliverables/0/count']],
    ['a kind the platform lacks', [deliverable({ platform: 'tiktok', kind: 'reel' })], ['/deliverables/0/kind']],
    ['a platform outside the brief', [deliverable({ platform: 'facebook', kind: 'post' })], ['/deliverables/0/platform']],
    ['an unknown platform', [deliverable({ platform: 'myspace' as never })], ['/deliverables/0/platform']],
    ['an empty creator id', [deliverable({ creatorId: ' ' })], ['/deliverables/0/creatorId']],
    ['the same creator, platform and kind twice', [deliverable(), deliverable({ count: 2 })], ['/deliverables/1']],
    ['more than 200 cards', Array.from({ length: 5 }, (_, i) => deliverable({ creatorId: `c${i}`, count: 50 })), ['/deliverables']],
  ])('refuses %s, creating no card', (_case, list, expected) => {
    const result = expandDeliverables(list, ['instagram', 'tiktok'])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues.map((issue) => issue.path)).toEqual(expected)
  })

  it('says what is wrong in words', () => {
    const result = expandDeliverables(
      [deliverable({ platform: 'tiktok', kind: 'story' as never }), deliverable({ platform: 'facebook', kind: 'post' }), deliverable({ creatorId: 'c', count: 2 }), deliverable({ creatorId: 'c', count: 1 })],
      ['instagram', 'tiktok'],
    )
    expect(result.ok ? [] : result.issues).toEqual([
      { path: '/deliverables/0/kind', message: 'TikTok has no "story": choose video, photo' },
      { path: '/deliverables/1/platform', message: "Facebook is not one of this brief's platforms: add it to the platforms first" },
      { path: '/deliverables/3', message: 'repeats deliverable 3 (same creator, platform and kind): combine their counts' },
    ])
  })

  it('allows exactly the card cap', () => {
    const atCap = Array.from({ length: 4 }, (_, i) => deliverable({ creatorId: `c${i}`, count: DELIVERABLE_LIMITS.maxCount }))
    const result = expandDeliverables(atCap, ['tiktok'])
    expect(result.ok && result.cards.length).toBe(DELIVERABLE_LIMITS.maxCards)
    const over = expandDeliverables([...atCap, deliverable({ creatorId: 'c9', count: 1 })], ['tiktok'])
    expect(over.ok ? [] : over.issues).toEqual([{ path: '/deliverables', message: 'add up to 201 cards; a brief takes at most 200' }])
  })

  describe('planDeliverableCards', () => {
    const reel = (count: number, creatorId: string | null = 'maya') => ({ creatorId, platform: 'instagram' as const, kind: 'reel' as const, count })
    const card = (sequence: number, column = 'Backlog', title = `Instagram reel ${sequence} of 3`, assigneeCreatorId: string | null = 'maya') => ({ id: `card-${sequence}`, column, sequence, title, assigneeCreatorId })

    it('creates one card per unit of a newly assigned deliverable', () => {
      expect(planDeliverableCards(null, reel(2), [])).toEqual({
        blocked: false,
        remove: [],
        update: [],
        create: [{ sequence: 1, title: 'Instagram reel 1 of 2' }, { sequence: 2, title: 'Instagram reel 2 of 2' }],
      })
    })

    it('saving the same deliverable again changes nothing', () => {
      expect(planDeliverableCards(reel(3), reel(3), [card(1), card(2), card(3)])).toEqual({ blocked: false, remove: [], update: [], create: [] })
    })

    it('fewer units remove the last Backlog cards and renumber generated titles, not edited ones', () => {
      const plan = planDeliverableCards(reel(3), reel(2), [card(1), card(2, 'Backlog', 'Our hero shot'), card(3)])
      expect(plan).toEqual({ blocked: false, remove: ['card-3'], update: [{ id: 'card-1', title: 'Instagram reel 1 of 2' }], create: [] })
    })

    it('never deletes started work: removing or unassigning a deliverable with a card in progress is blocked', () => {
      const cards = [card(1, 'In_Progress'), card(2)]
      expect(planDeliverableCards(reel(3), null, cards).blocked).toBe(true)
      expect(planDeliverableCards(reel(3), reel(3, null), cards).blocked).toBe(true)
      expect(planDeliverableCards(reel(3), reel(1), cards)).toMatchObject({ blocked: false, remove: ['card-2'] })
    })

    it('a new creator takes over the cards still in Backlog; started ones stay with who is working on them', () => {
      const plan = planDeliverableCards(reel(2), reel(2, 'sam'), [card(1, 'In_Progress', 'Instagram reel 1 of 2'), card(2, 'Backlog', 'Instagram reel 2 of 2')])
      expect(plan.update).toEqual([{ id: 'card-2', assigneeCreatorId: 'sam' }])
    })
  })

  it('describes a deliverable for messages', () => {
    expect(describeDeliverable({ platform: 'tiktok', kind: 'video', count: 3 })).toBe('3 TikTok videos')
    expect(describeDeliverable({ platform: 'instagram', kind: 'story', count: 2 })).toBe('2 Instagram stories')
    expect(describeDeliverable({ platform: 'facebook', kind: 'reel', count: 1 })).toBe('1 Facebook reel')
  })
})

describe('money', () => {
  it.each([
    [123405, 'USD', '$1,234.05'],
    [5, 'USD', '$0.05'],
    [0, 'EUR', '€0.00'],
    [99, 'GBP', '£0.99'],
    [5000, 'JPY', '¥5,000'],
    [150000, 'CHF', 'CHF\u00a01,500.00'],
    [1999, 'SEK', 'SEK\u00a019.99'],
    [100, 'AUD', 'A$1.00'],
    [100, 'CAD', 'CA$1.00'],
    [123456, 'BRL', 'R$1,234.56'],
    [10000000, 'INR', '₹100,000.00'],
    [-250, 'USD', '-$2.50'],
    // Exact at the top of the range: no binary-fraction rounding.
    [BUDGET_MAX_MINOR - 1, 'USD', '$9,999,999,999.99'],
  ] as const)('formats %i %s as %s', (minor, currency, text) => {
    expect(formatMoney(minor, currency)).toBe(text)
  })

  it('formats for other locales and refuses fractional minor units', () => {
    expect(formatMoney(123405, 'EUR', 'de-DE')).toBe('1.234,05\u00a0€')
    expect(() => formatMoney(1.5, 'USD')).toThrow(RangeError)
  })

  it('knows every currency’s exponent', () => {
    expect(CURRENCY_CODES).toEqual(['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'SEK', 'AUD', 'CAD', 'BRL', 'INR'])
    expect(CURRENCY_CODES.filter((code) => CURRENCIES[code].exponent !== 2)).toEqual(['JPY'])
  })

  it.each([
    ['1,250.50', 'USD', 125050],
    ['1250.5', 'USD', 125050],
    [' 980 ', 'EUR', 98000],
    ['0.07', 'GBP', 7],
    ['12.', 'USD', 1200],
    ['12500', 'JPY', 12500],
    ['12.5', 'JPY', null],
    ['1.999', 'USD', null],
    ['-5', 'USD', null],
    ['1,25', 'USD', null],
    ['12,5000', 'USD', null],
    ['$12', 'USD', null],
    ['', 'USD', null],
  ] as const)('reads "%s" %s as %s minor units', (text, currency, minor) => {
    expect(parseMoneyAmount(text, currency as CurrencyCode)).toBe(minor)
  })

  it.each([
    [0, 'USD', []],
    [BUDGET_MAX_MINOR, 'USD', []],
    [BUDGET_MAX_MINOR + 1, 'USD', ['/budgetMinor']],
    [-1, 'USD', ['/budgetMinor']],
    [10.5, 'USD', ['/budgetMinor']],
    [100, 'XBT', ['/currency']],
    [100, 'usd', ['/currency']],
  ] as const)('budget %s %s has issues at %j', (minor, currency, expected) => {
    expect(budgetIssues(minor, currency).map((issue) => issue.path)).toEqual(expected)
  })
})

describe('local date-times in time zones', () => {
  it.each([
    // Winter and summer in Berlin: UTC+1 then UTC+2.
    ['2027-01-15T09:00', 'Europe/Berlin', '2027-01-15T08:00:00.000Z'],
    ['2027-07-15T09:00', 'Europe/Berlin', '2027-07-15T07:00:00.000Z'],
    // Either side of the spring-forward gap (02:00–03:00 on 28 March 2027).
    ['2027-03-28T01:59', 'Europe/Berlin', '2027-03-28T00:59:00.000Z'],
    ['2027-03-28T03:00', 'Europe/Berlin', '2027-03-28T01:00:00.000Z'],
    ['2027-03-01T09:00:30', 'America/New_York', '2027-03-01T14:00:30.000Z'],
    ['2027-03-01T09:00', 'Asia/Kolkata', '2027-03-01T03:30:00.000Z'],
    ['2027-03-01T09:00', 'UTC', '2027-03-01T09:00:00.000Z'],
  ])('%s in %s is %s', (local, zone, instant) => {
    expect(resolveLocalDateTime(local, zone)).toEqual({ kind: 'exact', instant: new Date(instant) })
  })

  it.each([
    ['2027-03-28T02:30', 'Europe/Berlin', '2027-03-28T02:00', '2027-03-28T03:00'],
    ['2027-03-28T02:00', 'Europe/Berlin', '2027-03-28T02:00', '2027-03-28T03:00'],
    ['2027-03-14T02:15', 'America/New_York', '2027-03-14T02:00', '2027-03-14T03:00'],
    // Lord Howe Island moves its clocks by half an hour.
    ['2027-10-03T02:10', 'Australia/Lord_Howe', '2027-10-03T02:00', '2027-10-03T02:30'],
    // Samoa skipped 30 December 2011 when it crossed the date line.
    ['2011-12-30T12:00', 'Pacific/Apia', '2011-12-30T00:00', '2011-12-31T00:00'],
  ])('%s in %s never happens (clocks jump %s → %s)', (local, zone, gapStartsLocal, gapEndsLocal) => {
    expect(resolveLocalDateTime(local, zone)).toEqual({ kind: 'gap', gapStartsLocal, gapEndsLocal })
  })

  it.each([
    // New York falls back at 02:00 EDT on 7 November 2027: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    ['2027-11-07T01:30', 'America/New_York', '2027-11-07T05:30:00.000Z', '2027-11-07T06:30:00.000Z'],
    ['2027-10-31T02:30', 'Europe/Berlin', '2027-10-31T00:30:00.000Z', '2027-10-31T01:30:00.000Z'],
  ])('%s in %s happens twice: the earlier instant is chosen', (local, zone, earlier, later) => {
    expect(resolveLocalDateTime(local, zone)).toEqual({ kind: 'ambiguous', instant: new Date(earlier), later: new Date(later) })
  })

  it.each([
    ['2027-02-29T09:00', 'UTC'],
    ['2027-04-31T09:00', 'UTC'],
    ['2027-03-01T24:00', 'UTC'],
    ['2027-03-01T09:60', 'UTC'],
    ['2027-3-1T09:00', 'UTC'],
    ['2027-03-01 09:00', 'UTC'],
    ['0099-03-01T09:00', 'UTC'],
    ['', 'UTC'],
    ['2027-03-01T09:00', 'Mars/Olympus_Mons'],
  ])('%s in %s is no date and time', (local, zone) => {
    expect(resolveLocalDateTime(local, zone)).toEqual({ kind: 'invalid' })
  })

  it.each([
    ['Europe/Berlin', true],
    ['America/Argentina/Buenos_Aires', true],
    ['Etc/GMT+5', true],
    ['UTC', true],
    ['+01:00', false],
    ['Europe/Atlantis', false],
    ['', false],
    ['Europe/Berlin; drop', false],
  ])('%s is a time zone: %s', (zone, expected) => {
    expect(isTimeZone(zone)).toBe(expected)
  })

  it('finds where a day starts, even when clocks skip midnight', () => {
    expect(startOfLocalDay('2027-03-28', 'Europe/Berlin')).toEqual(new Date('2027-03-27T23:00:00Z'))
    expect(startOfLocalDay('2027-03-29', 'Europe/Berlin')).toEqual(new Date('2027-03-28T22:00:00Z'))
    // Chile springs forward at midnight: 5 September 2027 starts at 01:00 local (UTC-3).
    expect(startOfLocalDay('2027-09-05', 'America/Santiago')).toEqual(new Date('2027-09-05T04:00:00Z'))
    expect(startOfLocalDay('2027-02-30', 'Europe/Berlin')).toBeNull()
  })
})

describe('due days', () => {
  it('a due day ends at midnight in the campaign’s time zone, and reads back as the same day', () => {
    // 5 March ends at midnight in Berlin: 23:00 UTC.
    expect(dueAtForDay('2027-03-05', 'Europe/Berlin')?.toISOString()).toBe('2027-03-05T23:00:00.000Z')
    expect(dueDayOf(new Date('2027-03-05T23:00:00.000Z'), 'Europe/Berlin')).toBe('2027-03-05')
    expect(dueDayOf(new Date('2027-03-06T00:00:00.000Z'), 'UTC')).toBe('2027-03-05')
    // The day before spring-forward in New York ends at 05:00 UTC.
    expect(dueAtForDay('2027-03-13', 'America/New_York')?.toISOString()).toBe('2027-03-14T05:00:00.000Z')
    expect(dueAtForDay('2027-02-30', 'UTC')).toBeNull()
  })

  it('knows calendar dates and counts days by the calendar', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true)
    expect(isCalendarDate('2027-02-29')).toBe(false)
    expect(isCalendarDate('2027-3-1')).toBe(false)
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(calendarDayIn(new Date('2027-03-05T23:30:00Z'), 'Europe/Berlin')).toBe('2027-03-06')
  })
})

describe('resolveBriefSchedule', () => {
  it('turns local start and end into UTC instants', () => {
    expect(resolveBriefSchedule({ startsAtLocal: '2027-03-01T09:00', endsAtLocal: '2027-04-01T18:00', timeZone: 'Europe/Berlin' })).toEqual({
      ok: true,
      schedule: { startsAt: new Date('2027-03-01T08:00:00Z'), endsAt: new Date('2027-04-01T16:00:00Z') },
      notes: [],
    })
  })

  it('explains a start inside the spring-forward gap', () => {
    expect(resolveBriefSchedule({ startsAtLocal: '2027-03-28T02:30', endsAtLocal: '2027-04-28T09:00', timeZone: 'Europe/Berlin' })).toEqual({
      ok: false,
      issues: [
        {
          path: '/startsAtLocal',
          message: '2027-03-28 02:30 does not exist in Europe/Berlin: clocks jump from 02:00 to 03:00 that day, so this time never happens. Pick 03:00 or later.',
        },
      ],
    })
  })

  it('names both dates of a skipped day', () => {
    const result = resolveBriefSchedule({ startsAtLocal: '2011-12-30T12:00', endsAtLocal: '2012-01-30T12:00', timeZone: 'Pacific/Apia' })
    expect(result.ok ? '' : result.issues[0]?.message).toBe(
      '2011-12-30 12:00 does not exist in Pacific/Apia: clocks jump from 2011-12-30 00:00 to 2011-12-31 00:00, so this time never happens. Pick 2011-12-31 00:00 or later.',
    )
  })

  it('resolves an end in the fall-back hour to the first 01:30 and says so', () => {
    expect(resolveBriefSchedule({ startsAtLocal: '2027-10-01T09:00', endsAtLocal: '2027-11-07T01:30', timeZone: 'America/New_York' })).toEqual({
      ok: true,
      schedule: { startsAt: new Date('2027-10-01T13:00:00Z'), endsAt: new Date('2027-11-07T05:30:00Z') },
      notes: [
        {
          path: '/endsAtLocal',
          message: '2027-11-07 01:30 happens twice in America/New_York (clocks go back that night); the first one is used (05:30 UTC).',
        },
      ],
    })
  })

  it('measures spans in real time around the fall-back hour', () => {
    // Both local times fall in the repeated hour and resolve to their first pass: 05:10Z and 05:50Z.
    const result = resolveBriefSchedule({ startsAtLocal: '2027-11-07T01:10', endsAtLocal: '2027-11-07T01:50', timeZone: 'America/New_York' })
    expect(result.ok && result.schedule.endsAt.getTime() - result.schedule.startsAt.getTime()).toBe(40 * 60 * 1000)
    // Across the change a one-hour wall-clock span is two hours of real time.
    const span = resolveBriefSchedule({ startsAtLocal: '2027-11-07T00:30', endsAtLocal: '2027-11-07T02:30', timeZone: 'America/New_York' })
    expect(span.ok && span.schedule.endsAt.getTime() - span.schedule.startsAt.getTime()).toBe(3 * 60 * 60 * 1000)
  })

  it.each([
    [{ startsAtLocal: '2027-03-01T09:00', endsAtLocal: '2027-03-01T09:00', timeZone: 'UTC' }, [{ path: '/endsAtLocal', message: 'must be after the start' }]],
    [{ startsAtLocal: '2027-03-02T09:00', endsAtLocal: '2027-03-01T09:00', timeZone: 'UTC' }, [{ path: '/endsAtLocal', message: 'must be after the start' }]],
    [{ startsAtLocal: '2027-03-01T09:00', endsAtLocal: '2028-03-02T09:00', timeZone: 'UTC' }, [{ path: '/endsAtLocal', message: 'is more than 366 days after the start' }]],
    [
      { startsAtLocal: '2027-03-01T09:00', endsAtLocal: '2027-04-01T09:00', timeZone: 'Berlin' },
      [{ path: '/timeZone', message: '"Berlin" is not a time zone: use an IANA name like Europe/Berlin' }],
    ],
    [
      { startsAtLocal: 'next monday', endsAtLocal: '2027-03-14T02:30', timeZone: 'America/New_York' },
      [
        { path: '/startsAtLocal', message: '"next monday" is not a date and time like 2027-03-01T09:00' },
        { path: '/endsAtLocal', message: expect.stringContaining('does not exist in America/New_York') },
      ],
    ],
  ])('refuses %j', (input, issues) => {
    expect(resolveBriefSchedule(input)).toEqual({ ok: false, issues })
  })

  it('accepts exactly 366 days', () => {
    expect(resolveBriefSchedule({ startsAtLocal: '2027-03-01T09:00', endsAtLocal: '2028-03-01T09:00', timeZone: 'UTC' }).ok).toBe(true)
  })
})

describe('briefIssues', () => {
  it('accepts a complete brief, and a draft with nothing scheduled', () => {
    expect(briefIssues(brief())).toEqual([])
    expect(briefIssues(brief({ startsAtLocal: null, endsAtLocal: null, budgetMinor: 0, deliverables: [], keyMessages: [], references: [] }))).toEqual([])
  })

  it.each([
    ['an empty name', { name: '   ' }, ['/name']],
    ['a 121-character name', { name: 'n'.repeat(BRIEF_LIMITS.name + 1) }, ['/name']],
    ['an unknown objective', { objective: 'virality' as never }, ['/objective']],
    ['a 1001-character audience', { audience: 'a'.repeat(BRIEF_LIMITS.audience + 1) }, ['/audience']],
    ['no platforms', { platforms: [], deliverables: [] }, ['/platforms']],
    ['a platform twice', { platforms: ['tiktok', 'instagram', 'tiktok'] as CampaignBrief['platforms'] }, ['/platforms']],
    ['an unknown platform', { platforms: ['instagram', 'tiktok', 'snapchat' as never] }, ['/platforms/2']],
    ['an unknown time zone', { timeZone: 'Moon/Base' }, ['/timeZone']],
    ['a start in a DST gap', { startsAtLocal: '2027-03-28T02:30', endsAtLocal: '2027-04-28T09:00' }, ['/startsAtLocal']],
    ['an end before the start', { endsAtLocal: '2027-02-01T09:00' }, ['/endsAtLocal']],
    ['only a start, and it is no date', { startsAtLocal: '2027-13-01T09:00', endsAtLocal: null }, ['/startsAtLocal']],
    ['only an end, in a DST gap', { startsAtLocal: null, endsAtLocal: '2027-03-28T02:30' }, ['/endsAtLocal']],
    ['a negative budget', { budgetMinor: -100 }, ['/budgetMinor']],
    ['a budget above 10^12', { budgetMinor: BUDGET_MAX_MINOR + 1 }, ['/budgetMinor']],
    ['an unsupported currency', { currency: 'DOGE' as never }, ['/currency']],
    ['a content volume of 0', { contentVolume: 0 }, ['/contentVolume']],
    ['a content volume of 501', { contentVolume: 501 }, ['/contentVolume']],
    ['a deliverable on a platform the brief lacks', { platforms: ['instagram'] as CampaignBrief['platforms'] }, ['/deliverables/0/platform']],
    ['21 key messages', { keyMessages: Array.from({ length: 21 }, (_, i) => `Message ${i}`) }, ['/keyMessages']],
    ['an empty key message', { keyMessages: ['Fine', ' '] }, ['/keyMessages/1']],
    ['a 281-character key message', { keyMessages: ['k'.repeat(BRIEF_LIMITS.keyMessage + 1)] }, ['/keyMessages/0']],
    ['31 references', { references: Array.from({ length: 31 }, (_, i) => ({ kind: 'idea' as const, note: `Idea ${i}` })) }, ['/references']],
    ['a javascript: link', { references: [{ kind: 'link', url: 'javascript:alert(1)', note: '' }] }, ['/references/0/url']],
    ['an ftp link', { references: [{ kind: 'example_post', url: 'ftp://example.com/post', note: '' }] }, ['/references/0/url']],
    ['a link with spaces', { references: [{ kind: 'link', url: 'https://example.com/a b', note: '' }] }, ['/references/0/url']],
    ['a relative link', { references: [{ kind: 'link', url: '/moodboard', note: '' }] }, ['/references/0/url']],
    ['a 2001-character link', { references: [{ kind: 'link', url: `https://example.com/${'p'.repeat(1982)}`, note: '' }] }, ['/references/0/url']],
    ['an upload without a file', { references: [{ kind: 'upload', fileId: '', note: 'Moodboard' }] }, ['/references/0/fileId']],
    ['an empty idea', { references: [{ kind: 'idea', note: '  ' }] }, ['/references/0/note']],
    ['a 501-character note', { references: [{ kind: 'idea', note: 'i'.repeat(BRIEF_LIMITS.referenceNote + 1) }] }, ['/references/0/note']],
    ['an unknown reference kind', { references: [{ kind: 'tweet', note: '' } as never] }, ['/references/0/kind']],
  ] as [string, Partial<CampaignBrief>, string[]][])('flags %s', (_case, changes, expected) => {
    expect(paths(brief(changes))).toEqual(expected)
  })

  it('takes a 2000-character link and a 120-character name', () => {
    const url = `https://example.com/${'p'.repeat(2000 - 'https://example.com/'.length)}`
    expect(url).toHaveLength(BRIEF_LIMITS.referenceUrl)
    expect(briefIssues(brief({ name: 'n'.repeat(120), references: [{ kind: 'link', url, note: '' }] }))).toEqual([])
  })

  it('reports every problem at once', () => {
    expect(paths(brief({ name: '', contentVolume: 0, budgetMinor: -1, keyMessages: [''] }))).toEqual(['/name', '/budgetMinor', '/contentVolume', '/keyMessages/0'])
  })
})

describe('readinessCheck', () => {
  const now = new Date('2027-02-15T12:00:00Z')
  const ready = (changes: Partial<ReadinessInput> = {}, briefChanges: Partial<CampaignBrief> = {}): ReadinessInput => ({
    brief: brief(briefChanges),
    brandKit: { version: 4 },
    accounts: [
      { platform: 'instagram', status: 'active', handle: 'oatandember' },
      { platform: 'tiktok', status: 'active', handle: 'oatandember.tt' },
    ],
    now,
    ...changes,
  })
  const codes = (input: ReadinessInput) => readinessCheck(input).missing.map((item) => item.code)

  it('is ready when nothing is missing, and pins the kit version it saw', () => {
    expect(readinessCheck(ready())).toEqual({ ready: true, missing: [], brandKitVersion: 4 })
  })

  const onlyOneMissing = [
    ['BRAND_KIT_MISSING', ready({ brandKit: null }), [{ code: 'BRAND_KIT_MISSING', message: 'The workspace has no brand kit: create one so every draft follows the brand.' }]],
    [
      'ACCOUNT_MISSING',
      ready({ accounts: [{ platform: 'instagram', status: 'active', handle: 'oat' }] }),
      [{ code: 'ACCOUNT_MISSING', platform: 'tiktok', path: '/platforms/1', message: 'No TikTok account is connected: connect one to publish there.' }],
    ],
    [
      'ACCOUNT_NEEDS_REAUTH',
      ready({ accounts: [{ platform: 'instagram', status: 'active', handle: 'oat' }, { platform: 'tiktok', status: 'needs_reauth', handle: 'oat.tt' }] }),
      [
        {
          code: 'ACCOUNT_NEEDS_REAUTH',
          platform: 'tiktok',
          path: '/platforms/1',
          message: 'The TikTok account @oat.tt needs to be reconnected: its authorisation expired, so it does not count as connected.',
        },
      ],
    ],
    ['NO_DELIVERABLES', ready({}, { deliverables: [] }), [{ code: 'NO_DELIVERABLES', path: '/deliverables', message: 'Add at least one deliverable, for example 3 TikTok videos from a creator.' }]],
    [
      'DELIVERABLE_UNASSIGNED',
      ready({}, { deliverables: [deliverable(), deliverable({ creatorId: null, platform: 'instagram', kind: 'reel', count: 5 })] }),
      [{ code: 'DELIVERABLE_UNASSIGNED', path: '/deliverables/1/creatorId', message: '5 Instagram reels have no creator: assign one.' }],
    ],
    ['BUDGET_MISSING', ready({}, { budgetMinor: 0 }), [{ code: 'BUDGET_MISSING', path: '/budgetMinor', message: 'Set a budget above zero.' }]],
    ['DATES_MISSING', ready({}, { endsAtLocal: null }), [{ code: 'DATES_MISSING', path: '/endsAtLocal', message: 'Set when the campaign ends.' }]],
    [
      'SCHEDULE_INVALID',
      ready({}, { startsAtLocal: '2027-03-28T02:30', endsAtLocal: '2027-04-28T09:00' }),
      [{ code: 'SCHEDULE_INVALID', path: '/startsAtLocal', message: expect.stringMatching(/^The schedule is not usable: 2027-03-28 02:30 does not exist in Europe\/Berlin/) }],
    ],
    [
      'ENDS_IN_PAST',
      ready({ now: new Date('2027-04-01T00:00:00Z') }),
      [{ code: 'ENDS_IN_PAST', path: '/endsAtLocal', message: 'The campaign ended at 2027-03-31 18:00 (Europe/Berlin): move the end into the future.' }],
    ],
  ] as const

  it.each(onlyOneMissing)('lists %s alone when only that is missing', (_code, input, missing) => {
    expect(readinessCheck(input)).toEqual({ ready: false, missing, brandKitVersion: input.brandKit?.version ?? null })
  })

  it('has a case above for every readiness code', () => {
    expect(onlyOneMissing.map(([code]) => code)).toEqual([...READINESS_CODES])
  })

  it('names every account that needs reconnecting on a platform', () => {
    const result = readinessCheck(
      ready({
        accounts: [
          { platform: 'instagram', status: 'needs_reauth', handle: '@oat' },
          { platform: 'instagram', status: 'needs_reauth', handle: 'oat.eu' },
          { platform: 'tiktok', status: 'active', handle: 'oat.tt' },
        ],
      }),
    )
    expect(result.missing).toEqual([
      {
        code: 'ACCOUNT_NEEDS_REAUTH',
        platform: 'instagram',
        path: '/platforms/0',
        message: 'The Instagram accounts @oat and @oat.eu need to be reconnected: their authorisation expired, so they do not count as connected.',
      },
    ])
  })

  it('counts only active accounts on the brief’s own platforms', () => {
    // A disconnected account is no account; an active one elsewhere does not help; one active account is enough.
    expect(codes(ready({ accounts: [{ platform: 'instagram', status: 'disconnected', handle: 'a' }, { platform: 'facebook', status: 'active', handle: 'b' }, { platform: 'tiktok', status: 'active', handle: 'c' }] }))).toEqual([
      'ACCOUNT_MISSING',
    ])
    expect(codes(ready({ accounts: [{ platform: 'instagram', status: 'needs_reauth', handle: 'a' }, { platform: 'instagram', status: 'active', handle: 'b' }, { platform: 'tiktok', status: 'active', handle: 'c' }] }))).toEqual([])
  })

  it('treats an end exactly now as past, and one minute later as future', () => {
    const endsAt = new Date('2027-03-31T16:00:00Z')
    expect(codes(ready({ now: endsAt }))).toEqual(['ENDS_IN_PAST'])
    expect(codes(ready({ now: new Date(endsAt.getTime() - 60_000) }))).toEqual([])
  })

  it('lists everything missing at once, in the order to fix it', () => {
    const result = readinessCheck({
      brief: brief({ platforms: ['instagram', 'tiktok', 'facebook'], deliverables: [deliverable({ creatorId: null })], budgetMinor: 0, startsAtLocal: null, endsAtLocal: null }),
      brandKit: null,
      accounts: [{ platform: 'tiktok', status: 'needs_reauth', handle: 'x' }],
      now,
    })
    expect(result.ready).toBe(false)
    expect(result.brandKitVersion).toBeNull()
    expect(result.missing.map((item) => [item.code, item.platform ?? item.path ?? ''])).toEqual([
      ['BRAND_KIT_MISSING', ''],
      ['ACCOUNT_MISSING', 'instagram'],
      ['ACCOUNT_NEEDS_REAUTH', 'tiktok'],
      ['ACCOUNT_MISSING', 'facebook'],
      ['DELIVERABLE_UNASSIGNED', '/deliverables/0/creatorId'],
      ['BUDGET_MISSING', '/budgetMinor'],
      ['DATES_MISSING', '/startsAtLocal'],
      ['DATES_MISSING', '/endsAtLocal'],
    ])
  })
})

describe('industry templates', () => {
  it('covers restaurant, real estate, fitness, beauty, e-commerce and SaaS', () => {
    expect(INDUSTRY_TEMPLATE_IDS).toEqual(['restaurant', 'real-estate', 'fitness', 'beauty', 'e-commerce', 'saas'])
    for (const id of INDUSTRY_TEMPLATE_IDS) expect(INDUSTRY_TEMPLATES[id].id).toBe(id)
    // Between them the templates use every objective.
    expect(new Set(INDUSTRY_TEMPLATE_IDS.map((id) => INDUSTRY_TEMPLATES[id].objective))).toEqual(new Set(OBJECTIVES))
  })

  describe.each(INDUSTRY_TEMPLATE_IDS)('%s', (id) => {
    const template = INDUSTRY_TEMPLATES[id]
    const draft = applyTemplate(id)

    it('prefills a valid brief', () => {
      expect(briefIssues(draft)).toEqual([])
      expect(draft).toMatchObject({
        objective: template.objective,
        platforms: template.platforms,
        audience: template.audience,
        keyMessages: template.keyMessages,
        contentVolume: template.contentVolume,
        budgetMinor: template.suggestedBudgetMinor,
        currency: 'USD',
        startsAtLocal: null,
        endsAtLocal: null,
      })
      expect(draft.references).toEqual(template.referenceIdeas.map((note) => ({ kind: 'idea', note })))
    })

    it('suggests a deliverable mix that expands into cards within the content volume', () => {
      expect(draft.deliverables.every((d) => d.creatorId === null)).toBe(true)
      const result = expandDeliverables(draft.deliverables, draft.platforms)
      expect(result.ok).toBe(true)
      const cards = result.ok ? result.cards.length : 0
      expect(cards).toBe(template.deliverableMix.reduce((sum, d) => sum + d.count, 0))
      expect(cards).toBeGreaterThan(0)
      expect(cards).toBeLessThanOrEqual(template.contentVolume)
      // Every platform of the template gets some content.
      expect(new Set(template.deliverableMix.map((d) => d.platform))).toEqual(new Set(template.platforms))
    })

    it('reads like a real brief', () => {
      expect(template.audience.length).toBeGreaterThan(80)
      expect(template.keyMessages.length).toBeGreaterThanOrEqual(3)
      expect(template.referenceIdeas.length).toBeGreaterThanOrEqual(3)
      expect(template.suggestedBudgetMinor).toBeGreaterThan(0)
      const text = [template.audience, ...template.keyMessages, ...template.referenceIdeas].join(' ').toLowerCase()
      expect(text).not.toMatch(/lorem|ipsum|todo|tbd|xxx/)
    })

    it('needs only creators, dates and connected accounts before launch', () => {
      const result = readinessCheck({ brief: draft, brandKit: { version: 1 }, accounts: [], now: new Date('2027-01-01T00:00:00Z') })
      expect(new Set(result.missing.map((item) => item.code))).toEqual(new Set(['ACCOUNT_MISSING', 'DELIVERABLE_UNASSIGNED', 'DATES_MISSING']))
    })
  })

  it('applies overrides on top of the template', () => {
    const draft = applyTemplate('restaurant', { name: 'Oat & Ember spring menu', timeZone: 'Europe/Berlin', startsAtLocal: '2027-03-01T09:00', endsAtLocal: undefined })
    expect(draft).toMatchObject({ name: 'Oat & Ember spring menu', timeZone: 'Europe/Berlin', startsAtLocal: '2027-03-01T09:00', endsAtLocal: null })
    expect(briefIssues(draft)).toEqual([])
  })

  it('does not carry a USD budget into another currency', () => {
    expect(applyTemplate('beauty', { currency: 'EUR' })).toMatchObject({ currency: 'EUR', budgetMinor: 0 })
    expect(applyTemplate('beauty', { currency: 'EUR', budgetMinor: 450_000 })).toMatchObject({ currency: 'EUR', budgetMinor: 450_000 })
  })

  it('drops suggested deliverables on platforms the overrides leave out', () => {
    const draft = applyTemplate('e-commerce', { platforms: ['tiktok'] })
    expect(draft.deliverables).toEqual([{ creatorId: null, platform: 'tiktok', kind: 'video', count: 6 }])
    expect(briefIssues(draft)).toEqual([])
  })

  it('keeps templates independent of the drafts made from them', () => {
    const draft = applyTemplate('fitness')
    draft.keyMessages.push('Changed')
    draft.platforms.push('facebook')
    expect(INDUSTRY_TEMPLATES.fitness.keyMessages).not.toContain('Changed')
    expect(INDUSTRY_TEMPLATES.fitness.platforms).toEqual(['instagram', 'tiktok'])
    expect(SOCIAL_PLATFORMS).toContain('facebook')
  })
})
