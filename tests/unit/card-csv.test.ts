// Card CSV rules (domain/card-csv.ts): headers, what each row means and every way it can be refused (per
// column), and export cells that a spreadsheet will not execute.
import { describe, expect, it } from 'vitest'
import {
  CARD_CSV_HEADERS,
  CARD_CSV_LIMITS,
  cardCsvColumnOf,
  cardCsvRow,
  checkCardCsvHeaders,
  guardCsvCell,
  parsePlatformName,
  validateCardRow,
  type CardCsvContext,
} from '../../domain/card-csv'

const creators = [
  { id: 'c-ana', displayName: 'Ana Souza' },
  { id: 'c-ben', displayName: 'Ben Okafor' },
  { id: 'c-sam-1', displayName: 'Sam Lee' },
  { id: 'c-sam-2', displayName: 'sam lee' },
  { id: 'c-jose', displayName: 'José Ramírez' },
  { id: 'c-sam-o', displayName: 'Sam Ortiz' },
]
const ctx: CardCsvContext = { creators, platforms: ['instagram', 'tiktok'], today: '2027-03-10', timeZone: 'Europe/Berlin' }
const row = (changes: Record<string, string> = {}): Record<string, string> => ({
  title: 'Spring menu reel',
  platform: 'Instagram',
  creator: 'Ana Souza',
  'due date': '2027-03-20',
  caption: 'New season, new plates. Book via the link in bio.',
  ...changes,
})
const errorsOf = (values: Record<string, string>, context: CardCsvContext = ctx) => {
  const result = validateCardRow(values, context)
  return result.ok ? [] : result.errors
}
const columnsOf = (values: Record<string, string>, context: CardCsvContext = ctx) => errorsOf(values, context).map((error) => error.column)

describe('headers', () => {
  it('reads the export headers and common spellings as columns', () => {
    expect(CARD_CSV_HEADERS.map(cardCsvColumnOf)).toEqual(['title', 'platform', 'creator', 'due date', 'caption'])
    expect(['\uFEFFTitle', ' PLATFORM ', 'due_date', 'Due-Date', 'DueDate', 'due'].map(cardCsvColumnOf)).toEqual(['title', 'platform', 'due date', 'due date', 'due date', 'due date'])
    expect(cardCsvColumnOf('assignee')).toBeNull()
  })

  it('reports missing required columns, duplicates and unknown names', () => {
    expect(checkCardCsvHeaders([...CARD_CSV_HEADERS])).toEqual({ missing: [], duplicated: [], unknown: [] })
    expect(checkCardCsvHeaders(['Title', 'Platform'])).toEqual({ missing: [], duplicated: [], unknown: [] })
    expect(checkCardCsvHeaders(['Captoin', 'creator', 'Creator', ''])).toEqual({ missing: ['title', 'platform'], duplicated: ['creator'], unknown: ['Captoin'] })
  })
})

describe('validateCardRow', () => {
  it('turns a good row into a card', () => {
    expect(validateCardRow(row(), ctx)).toEqual({
      ok: true,
      card: {
        title: 'Spring menu reel',
        platform: 'instagram',
        creatorId: 'c-ana',
        dueDate: '2027-03-20',
        // The due day ends at midnight in Berlin (UTC+1 in March before the change).
        overdueAt: new Date('2027-03-20T23:00:00Z'),
        caption: 'New season, new plates. Book via the link in bio.',
      },
    })
  })

  it('ends a due day at the zone’s midnight, across daylight saving', () => {
    const overdue = (dueDate: string, timeZone: string) => {
      const result = validateCardRow(row({ 'due date': dueDate }), { ...ctx, timeZone })
      return result.ok ? result.card.overdueAt?.toISOString() : result.errors
    }
    // 28 March 2027 is the changeover: the next midnight is already summer time (UTC+2).
    expect(overdue('2027-03-27', 'Europe/Berlin')).toBe('2027-03-27T23:00:00.000Z')
    expect(overdue('2027-03-28', 'Europe/Berlin')).toBe('2027-03-28T22:00:00.000Z')
    expect(overdue('2027-03-20', 'America/New_York')).toBe('2027-03-21T04:00:00.000Z')
    // Chile skips midnight on 5 September 2027: the 4th ends when the 5th starts, at 01:00 local.
    expect(overdue('2027-09-04', 'America/Santiago')).toBe('2027-09-05T04:00:00.000Z')
  })

  it('reads headers in any case and spelling, and trims cells', () => {
    const result = validateCardRow({ '\uFEFFTitle': '  Reel  ', PLATFORM: ' tiktok ', Creator: '  ben   okafor ', Due_Date: '', Caption: '' }, ctx)
    expect(result).toEqual({ ok: true, card: { title: 'Reel', platform: 'tiktok', creatorId: 'c-ben', dueDate: null, overdueAt: null, caption: '' } })
  })

  it.each([
    ['Instagram', 'instagram'],
    ['instagram', 'instagram'],
    ['IG', 'instagram'],
    ['ig', 'instagram'],
    ['Insta', 'instagram'],
    ['tiktok', 'tiktok'],
    ['TikTok', 'tiktok'],
    ['Tik Tok', 'tiktok'],
    ['tik-tok', 'tiktok'],
    ['TT', 'tiktok'],
  ])('accepts platform "%s" as %s', (written, platform) => {
    const result = validateCardRow(row({ platform: written }), ctx)
    expect(result.ok && result.card.platform).toBe(platform)
  })

  it('knows Facebook by name and as FB', () => {
    expect(parsePlatformName('Facebook')).toBe('facebook')
    expect(parsePlatformName('FB')).toBe('facebook')
    expect(parsePlatformName('Snapchat')).toBeNull()
  })

  it.each([
    ['', 'is empty: write Instagram or TikTok'],
    ['Snapchat', '"Snapchat" is not a platform we publish to: write Instagram, Facebook or TikTok'],
    ['Facebook', "Facebook is not one of this brief's platforms (Instagram or TikTok)"],
  ])('refuses platform "%s"', (written, message) => {
    expect(errorsOf(row({ platform: written }))).toEqual([{ column: 'platform', message }])
  })

  it.each([
    ['ANA SOUZA', 'c-ana'],
    ['  ana   souza ', 'c-ana'],
    ['José Ramírez', 'c-jose'],
    ['josé ramírez', 'c-jose'],
    // An id is exact and settles what a shared name cannot.
    ['c-sam-2', 'c-sam-2'],
    ['', null],
  ])('matches creator "%s" to %s', (written, creatorId) => {
    const result = validateCardRow(row({ creator: written }), ctx)
    expect(result.ok && result.card.creatorId).toBe(creatorId)
  })

  it.each([
    ['Sam Lee', '2 creators are called "Sam Lee": write the creator\'s id instead (c-sam-1 or c-sam-2)'],
    ['Sam', 'No creator is called "Sam"; did you mean Sam Lee, sam lee or Sam Ortiz?'],
    ['Jose Ramirez', 'No creator is called "Jose Ramirez"; did you mean José Ramírez?'],
    ['Ben Okafur', 'No creator is called "Ben Okafur"; did you mean Ben Okafor?'],
    ['Priya', 'No creator is called "Priya". Creators: Ana Souza, Ben Okafor, Sam Lee, sam lee, José Ramírez, Sam Ortiz'],
  ])('refuses creator "%s", naming the candidates', (written, message) => {
    expect(errorsOf(row({ creator: written }))).toEqual([{ column: 'creator', message }])
  })

  it('lists at most ten creators when none is close', () => {
    const many = Array.from({ length: 14 }, (_, i) => ({ id: `c${i}`, displayName: `Creator ${String.fromCharCode(65 + i)}` }))
    expect(errorsOf(row({ creator: 'Priya' }), { ...ctx, creators: many })).toEqual([
      { column: 'creator', message: 'No creator is called "Priya". Creators: Creator A, Creator B, Creator C, Creator D, Creator E, Creator F, Creator G, Creator H, Creator I, Creator J and 4 more' },
    ])
    expect(errorsOf(row({ creator: 'Priya' }), { ...ctx, creators: [] })).toEqual([{ column: 'creator', message: 'No creator is called "Priya": this workspace has no creators yet' }])
  })

  it.each([
    ['2027-03-10', null],
    ['2029-03-09', null],
    ['2027-03-09', '2027-03-09 is in the past (today is 2027-03-10)'],
    ['2029-03-11', '2029-03-11 is more than 730 days ahead: check the year'],
    ['03/20/2027', '"03/20/2027" is not a date: write it as YYYY-MM-DD, like 2027-03-10'],
    ['2027-02-30', '"2027-02-30" is not a date: write it as YYYY-MM-DD, like 2027-03-10'],
    ['2027-3-20', '"2027-3-20" is not a date: write it as YYYY-MM-DD, like 2027-03-10'],
    ['tomorrow', '"tomorrow" is not a date: write it as YYYY-MM-DD, like 2027-03-10'],
  ])('due date %s: %s', (dueDate, message) => {
    expect(errorsOf(row({ 'due date': dueDate }))).toEqual(message === null ? [] : [{ column: 'due date', message }])
  })

  it.each([
    ['', 'is empty: every card needs a title'],
    ['   ', 'is empty: every card needs a title'],
    ['t'.repeat(CARD_CSV_LIMITS.title + 1), 'is 201 characters long; the limit is 200'],
  ])('refuses title %j', (title, message) => {
    expect(errorsOf(row({ title }))).toEqual([{ column: 'title', message }])
  })

  it('measures titles and captions in characters as people count them', () => {
    expect(errorsOf(row({ title: 't'.repeat(CARD_CSV_LIMITS.title) }))).toEqual([])
    expect(errorsOf(row({ caption: 'c'.repeat(CARD_CSV_LIMITS.caption) }))).toEqual([])
    // 2,200 emoji are 4,400 UTF-16 units but 2,200 characters.
    expect(errorsOf(row({ caption: '🌿'.repeat(CARD_CSV_LIMITS.caption) }))).toEqual([])
    expect(errorsOf(row({ caption: 'c'.repeat(CARD_CSV_LIMITS.caption + 1) }))).toEqual([
      { column: 'caption', message: 'is 2201 characters long; Instagram and TikTok allow 2200' },
    ])
  })

  it('reports every bad column of a row, in column order', () => {
    expect(columnsOf(row({ title: '', platform: 'MySpace', creator: 'Nobody', 'due date': '2020-01-01', caption: 'c'.repeat(2201) }))).toEqual([
      'title',
      'platform',
      'creator',
      'due date',
      'caption',
    ])
  })

  it('treats a missing title or platform column as empty', () => {
    expect(columnsOf({ creator: 'Ana Souza' })).toEqual(['title', 'platform'])
  })

  it('refuses a context that is not a workspace’s, loudly', () => {
    expect(() => validateCardRow(row(), { ...ctx, timeZone: 'Nowhere/Land' })).toThrow(RangeError)
    expect(() => validateCardRow(row(), { ...ctx, today: '10.03.2027' })).toThrow(RangeError)
  })
})

describe('export', () => {
  it('writes cells in header order with labels and names', () => {
    expect(cardCsvRow({ title: 'Spring menu reel', platform: 'tiktok', creatorName: 'Ana Souza', dueDate: '2027-03-20', caption: 'Book now' })).toEqual([
      'Spring menu reel',
      'TikTok',
      'Ana Souza',
      '2027-03-20',
      'Book now',
    ])
    expect(cardCsvRow({ title: 'Unassigned', platform: 'instagram', creatorName: null, dueDate: null, caption: '' })).toEqual(['Unassigned', 'Instagram', '', '', ''])
  })

  it.each([
    ['=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'],
    ['+1 555 0100', "'+1 555 0100"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['Safe caption', 'Safe caption'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('guards %j as %j', (value, written) => {
    expect(guardCsvCell(value)).toBe(written)
  })

  it('guards every column, creator names included', () => {
    expect(cardCsvRow({ title: '=cmd', platform: 'facebook', creatorName: '@ana', dueDate: null, caption: '-sale-' })).toEqual(["'=cmd", 'Facebook', "'@ana", '', "'-sale-"])
  })

  it('re-imports an exported row as the same card, without the guard apostrophes', () => {
    const exported = cardCsvRow({ title: '=Top 5 dishes', platform: 'instagram', creatorName: 'Ben Okafor', dueDate: '2027-03-20', caption: '+ new menu @oatandember' })
    const values = Object.fromEntries(CARD_CSV_HEADERS.map((header, i) => [header, exported[i] ?? '']))
    expect(validateCardRow(values, ctx)).toMatchObject({
      ok: true,
      card: { title: '=Top 5 dishes', platform: 'instagram', creatorId: 'c-ben', dueDate: '2027-03-20', caption: '+ new menu @oatandember' },
    })
    // An apostrophe before ordinary text is the writer's own and stays.
    const own = validateCardRow(row({ title: "'Tis the season" }), ctx)
    expect(own.ok && own.card.title).toBe("'Tis the season")
  })
})
