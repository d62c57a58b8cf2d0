// Bulk card import from CSV and board export to CSV. The row rules (headers, platforms, creators, due dates,
// formula-injection guard) are domain/card-csv.ts; parsing and writing CSV is csv-parse and csv-stringify.
import { Readable } from 'node:stream'
import { CsvError, parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify'
import type { SocialPlatform } from '../../domain/brand-kit'
import { calendarDayIn, dueDayOf } from '../../domain/campaign-brief'
import {
  CARD_CSV_HEADERS,
  cardCsvRow,
  checkCardCsvHeaders,
  guardCsvCell,
  validateCardRow,
  type ImportedCard,
} from '../../domain/card-csv'
import { BOARD_COLUMN_LABELS, type BoardColumn } from '../../domain/content-board'
import type { TenantDatabase } from '../../platform/tenant-scope'
import { ApiError, notFound } from '../errors'
import { appendCards, boardRowsInOrder, resolveBoardScope, type BoardScopeFilter, type Viewer } from './cards'

/** Largest CSV accepted in one request, and most cards: enough for a season's plan, small enough to check whole. */
export const CSV_IMPORT_MAX_BYTES = 1024 * 1024
export const CSV_IMPORT_MAX_ROWS = 1000

function parseCsv(text: string): string[][] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: false }) as string[][]
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines
      throw new ApiError(400, 'CSV_MALFORMED', `The file is not valid CSV${line ? ` (near line ${line})` : ''}: ${error.message.replace(/^Invalid \w+:\s*/, '')}`)
    }
    throw error
  }
}

/**
 * Imports every row as a card in the campaign's Backlog, or none: a file with any bad row answers 400
 * CSV_INVALID listing each problem at /rows/<spreadsheet row>/<column>, and nothing is written.
 */
export async function importCardsCsv(db: TenantDatabase, viewer: Viewer, campaignId: string, text: string) {
  const campaign = await db.campaign.findUnique({ where: { id: campaignId } })
  if (!campaign) throw notFound('Campaign')
  if (campaign.status === 'completed' || campaign.status === 'archived') {
    throw new ApiError(409, 'CAMPAIGN_READ_ONLY', `“${campaign.name}” is ${campaign.status}: its board takes no new cards.`)
  }
  const [headers, ...rows] = parseCsv(text)
  if (!headers || rows.length === 0) {
    throw new ApiError(400, 'CSV_EMPTY', `The file has no cards: the first line names the columns (${CARD_CSV_HEADERS.join(', ')}) and each line after it is a card.`)
  }
  if (rows.length > CSV_IMPORT_MAX_ROWS) {
    throw new ApiError(400, 'CSV_TOO_MANY_ROWS', `The file has ${rows.length} cards; import at most ${CSV_IMPORT_MAX_ROWS} at a time.`)
  }
  const { missing, duplicated } = checkCardCsvHeaders(headers)
  if (missing.length || duplicated.length) {
    const problems = [
      ...missing.map((column) => ({ path: '/header', message: `has no “${column}” column` })),
      ...duplicated.map((column) => ({ path: '/header', message: `names the “${column}” column twice` })),
    ]
    throw new ApiError(400, 'CSV_HEADER_INVALID', `The first line must name the columns ${CARD_CSV_HEADERS.join(', ')}: it ${problems.map((p) => p.message).join(' and ')}.`, problems)
  }
  const creators = await db.creator.findMany({ select: { id: true, displayName: true } })
  const context = {
    creators,
    platforms: campaign.platforms as SocialPlatform[],
    today: calendarDayIn(new Date(), campaign.timeZone),
    timeZone: campaign.timeZone,
  }
  const cards: ImportedCard[] = []
  const problems: { path: string; message: string }[] = []
  rows.forEach((cells, i) => {
    // Row numbers as a spreadsheet shows them: the header is row 1.
    const rowNumber = i + 2
    const record = Object.fromEntries(headers.map((header, column) => [header, cells[column] ?? '']))
    const result = validateCardRow(record, context)
    if (result.ok) cards.push(result.card)
    else for (const error of result.errors) problems.push({ path: `/rows/${rowNumber}/${error.column}`, message: error.message })
  })
  if (problems.length) {
    const badRows = new Set(problems.map((p) => p.path.split('/')[2])).size
    throw new ApiError(400, 'CSV_INVALID', `${badRows} of ${rows.length} rows have problems, so nothing was imported. Fix them and import the file again.`, problems)
  }
  const created = await db.$transaction((tx) =>
    appendCards(
      tx,
      viewer.user,
      campaign,
      cards.map((card) => ({
        title: card.title,
        platform: card.platform,
        assigneeCreatorId: card.creatorId,
        dueAt: card.overdueAt,
        caption: card.caption || null,
      })),
      'import',
    ),
  )
  return { rows: rows.length, created: created.length, cards: created }
}

/** The board's cards as a CSV stream, in board order, with the import's columns first so a file round-trips. */
export async function exportBoardCsv(db: TenantDatabase, viewer: Viewer, filter: BoardScopeFilter) {
  const { scope } = await resolveBoardScope(db, viewer, filter)
  async function* records() {
    yield [...CARD_CSV_HEADERS, 'Column', 'Campaign']
    for await (const row of boardRowsInOrder(db, viewer, filter)) {
      const dueDate = row.dueAt ? dueDayOf(row.dueAt, row.campaignTimeZone) : null
      yield [
        ...cardCsvRow({ title: row.title, platform: row.platform as SocialPlatform, creatorName: row.assigneeName, dueDate, caption: row.captionText ?? '' }),
        guardCsvCell(BOARD_COLUMN_LABELS[row.column as BoardColumn] ?? row.column),
        guardCsvCell(row.campaignName),
      ]
    }
  }
  const slug = scope.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'board'
  return { filename: `${slug}-cards.csv`, stream: Readable.from(records()).pipe(stringify({ bom: true })) }
}
