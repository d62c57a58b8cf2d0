// The content board end to end in headless Chromium, against the real platform started by the start script
// (tests/support/platform.ts): cards made through the API as the seeded demo owner, then dragged across columns
// with the mouse (dnd-kit's pointer sensor), saved, and still there after a reload; a move made on an
// out-of-date board is refused with the API's reason; another person's move appears live; the "Move to"
// form does the same without JavaScript; and a card's drawer saves a caption, a comment with a mention and a
// draft upload (streamed through the web server to the API).
import path from 'node:path'
import { pngImage } from '../support/media-fixtures.ts'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { BOARD_PAGE_SIZE, checkCardVersion } from '../../domain/content-board.ts'
import { screenshotDir, signIn, textOf, useBrowserPlatform } from '../support/browser.ts'
import { apiSession, newCreatorMember, newDemoCampaign, type ApiSession } from '../support/e2e-api.ts'

const e2e = useBrowserPlatform()

interface CardSummary {
  id: string
  title: string
  column: string
  version: number
}

/** The seeded demo owner's session. */
const ownerApi = () => apiSession(e2e.platform)

/** A campaign in the demo workspace with cards in Backlog, in this order. */
async function campaignWithCards(api: ApiSession, titles: string[], assigneeCreatorId?: string) {
  const { campaignId } = await newDemoCampaign(api, 'Board E2E', ['instagram', 'tiktok'])
  const cards: CardSummary[] = []
  for (const title of titles) {
    const { card } = await api<{ card: CardSummary }>('POST', '/api/cards', { campaignId, title, platform: 'instagram', ...(assigneeCreatorId ? { assigneeCreatorId } : {}) })
    cards.push(card)
  }
  return { campaignId, cards }
}

const column = (page: Page, name: string) => page.locator(`[data-testid="board-column"][data-column="${name}"]`)
const tile = (page: Page, cardId: string) => page.locator(`[data-testid="board-card"][data-card-id="${cardId}"]`)

/** Which column a card's tile is in, or null while it is not on the page. */
function columnOf(page: Page, cardId: string) {
  return () => tile(page, cardId).getAttribute('data-column', { timeout: 1_000 }).catch(() => null)
}

/**
 * Drags a tile by its handle onto another column with the mouse: a few small steps first, so dnd-kit's
 * pointer sensor sees the pointer travel past its activation distance, then on to the target in steps.
 */
async function dragCard(page: Page, cardId: string, targetColumn: string, whileDragging?: () => Promise<void>) {
  const handle = tile(page, cardId).getByTestId('card-drag-handle')
  const from = await handle.boundingBox()
  const to = await column(page, targetColumn).getByTestId('column-cards').boundingBox()
  if (!from || !to) throw new Error('handle or column not on screen')
  const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 }
  await page.mouse.move(start.x, start.y)
  await page.mouse.down()
  await page.mouse.move(start.x + 5, start.y + 5, { steps: 5 })
  await page.mouse.move(start.x + 12, start.y + 12, { steps: 5 })
  await page.mouse.move(to.x + to.width / 2, to.y + 40, { steps: 15 })
  await whileDragging?.()
  await page.mouse.up()
}

describe('content board UI', () => {
  it('drags a card from Backlog to In progress, saves it, and finds it there after a reload', async () => {
    const api = await ownerApi()
    const { campaignId, cards } = await campaignWithCards(api, ['Latte art reel', 'Cold brew carousel', 'Barista story'])
    const moved = cards[1]!
    const page = await e2e.newPage()
    await signIn(page, e2e.platform, `/campaigns/${campaignId}/board`)
    await expect.poll(() => page.getByTestId('board-live').getAttribute('data-status'), { timeout: 15_000 }).toBe('live')
    expect(await page.getByTestId('board-column').count()).toBe(7)
    expect(await textOf(column(page, 'Backlog').getByTestId('column-total'))()).toBe('3')

    await dragCard(page, moved.id, 'In_Progress', async () => {
      // While dragging, only the columns the card may go to take it; the others look disabled.
      expect(await column(page, 'In_Progress').getAttribute('data-drop')).toBe('allowed')
      expect(await column(page, 'Approved').getAttribute('data-drop')).toBe('refused')
      expect(await column(page, 'Published').getAttribute('data-drop')).toBe('refused')
      await page.screenshot({ path: path.join(screenshotDir, 'board-dragging.png') })
    })

    await expect.poll(columnOf(page, moved.id), { timeout: 10_000 }).toBe('In_Progress')
    // Saved: the API has it in the new column with a new version.
    await expect
      .poll(async () => (await api<{ card: CardSummary }>('GET', `/api/cards/${moved.id}`)).card.column, { timeout: 10_000 })
      .toBe('In_Progress')
    expect(await textOf(column(page, 'In_Progress').getByTestId('column-total'))()).toBe('1')
    expect(await textOf(column(page, 'Backlog').getByTestId('column-total'))()).toBe('2')
    expect(await page.getByTestId('board-notice').count()).toBe(0)
    await page.screenshot({ path: path.join(screenshotDir, 'board.png'), fullPage: true })

    await page.reload()
    await page.getByTestId('board-title').waitFor()
    expect(await columnOf(page, moved.id)()).toBe('In_Progress')
    expect(await column(page, 'Backlog').getByTestId('board-card').count()).toBe(2)
    // The other two kept their order.
    const backlogIds = await column(page, 'Backlog').getByTestId('board-card').evaluateAll((tiles) => tiles.map((element) => element.getAttribute('data-card-id')))
    expect(backlogIds).toEqual([cards[0]!.id, cards[2]!.id])
  }, 120_000)

  it('puts a card back and shows the reason when the API refuses the move (someone changed it meanwhile)', async () => {
    const api = await ownerApi()
    const { campaignId, cards } = await campaignWithCards(api, ['Espresso tonic reel'])
    const card = cards[0]!
    const page = await e2e.newPage()
    // This board hears nothing live, so it still shows the card as it was before the change below.
    await page.route('**/board-events**', (route) => route.abort())
    await signIn(page, e2e.platform, `/campaigns/${campaignId}/board`)
    await tile(page, card.id).waitFor()

    await api('PATCH', `/api/cards/${card.id}`, { version: card.version, title: 'Espresso tonic reel (v2)' })
    await dragCard(page, card.id, 'In_Progress')

    const notice = page.getByTestId('board-notice')
    await notice.waitFor({ timeout: 10_000 })
    expect(await notice.getAttribute('data-code')).toBe('CARD_VERSION_CONFLICT')
    expect(await page.getByTestId('board-notice-message').textContent()).toBe(checkCardVersion(card.version, card.version + 1)!.message)
    // Back in Backlog, and the board reloaded with the other person's change.
    await expect.poll(columnOf(page, card.id)).toBe('Backlog')
    await expect.poll(textOf(tile(page, card.id).getByTestId('card-title')), { timeout: 10_000 }).toBe('Espresso tonic reel (v2)')
    expect((await api<{ card: CardSummary }>('GET', `/api/cards/${card.id}`)).card.column).toBe('Backlog')
    await page.screenshot({ path: path.join(screenshotDir, 'board-refused-move.png'), fullPage: true })
  }, 90_000)

  it('moves a card with the keyboard (Space, arrow, Space)', async () => {
    const api = await ownerApi()
    const { campaignId, cards } = await campaignWithCards(api, ['Affogato short'])
    const card = cards[0]!
    const page = await e2e.newPage()
    await signIn(page, e2e.platform, `/campaigns/${campaignId}/board`)
    await tile(page, card.id).getByTestId('card-drag-handle').focus()
    await page.keyboard.press('Space')
    await column(page, 'In_Progress').and(page.locator('[data-drop="allowed"]')).waitFor()
    await page.keyboard.press('ArrowRight')
    await column(page, 'In_Progress').and(page.locator('[data-targeted="true"]')).waitFor()
    await page.keyboard.press('Space')
    await expect.poll(columnOf(page, card.id), { timeout: 10_000 }).toBe('In_Progress')
    await expect
      .poll(async () => (await api<{ card: CardSummary }>('GET', `/api/cards/${card.id}`)).card.column, { timeout: 10_000 })
      .toBe('In_Progress')
  }, 90_000)

  it("shows another person's move without a reload", async () => {
    const api = await ownerApi()
    const { campaignId, cards } = await campaignWithCards(api, ['Pour-over tutorial'])
    const card = cards[0]!
    const page = await e2e.newPage()
    await signIn(page, e2e.platform, `/campaigns/${campaignId}/board`)
    await expect.poll(() => page.getByTestId('board-live').getAttribute('data-status'), { timeout: 15_000 }).toBe('live')

    await api('POST', `/api/cards/${card.id}/move`, { version: card.version, to: 'In_Progress' })
    await expect.poll(columnOf(page, card.id), { timeout: 10_000 }).toBe('In_Progress')
    expect(await textOf(column(page, 'In_Progress').getByTestId('column-total'))()).toBe('1')
  }, 90_000)

  it('moves a card with the "Move to" form without JavaScript', async () => {
    const api = await ownerApi()
    const { campaignId, cards } = await campaignWithCards(api, ['Decaf explainer'])
    const card = cards[0]!
    const page = await e2e.newPage({ javaScriptEnabled: false })
    await signIn(page, e2e.platform, `/campaigns/${campaignId}/board`)
    const form = tile(page, card.id).getByTestId('card-move-form')
    await form.locator('summary').click()
    await form.getByTestId('card-move-select').selectOption('In_Progress')
    await form.getByTestId('card-move-submit').click()
    await page.waitForLoadState()
    await expect.poll(columnOf(page, card.id), { timeout: 10_000 }).toBe('In_Progress')
    expect((await api<{ card: CardSummary }>('GET', `/api/cards/${card.id}`)).card.column).toBe('In_Progress')
  }, 90_000)

  it('opens a card in a drawer, saves a caption version and a draft upload, and closes with Escape', async () => {
    const api = await ownerApi()
    const { campaignId, cards } = await campaignWithCards(api, ['Flat white reel'])
    const card = cards[0]!
    const page = await e2e.newPage()
    await signIn(page, e2e.platform, `/campaigns/${campaignId}/board`)
    await tile(page, card.id).getByTestId('card-title').click()
    const drawer = page.getByRole('dialog')
    await drawer.waitFor()
    expect(await drawer.getAttribute('aria-modal')).toBe('true')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('card-drawer-title')

    await drawer.getByTestId('caption-input').fill('Silky microfoam, double ristretto.')
    await drawer.getByTestId('caption-save').click()
    await expect.poll(textOf(drawer.getByTestId('card-notice')), { timeout: 10_000 }).toBe('Caption saved as a new version.')
    expect(await drawer.getByTestId('caption-version').getAttribute('data-version')).toBe('1')

    // The draft goes through the web server as a stream; the API stores it and makes a thumbnail.
    await drawer.getByTestId('draft-file-input').setInputFiles({ name: 'draft.png', mimeType: 'image/png', buffer: await pngImage(64, 32) })
    await drawer.getByTestId('draft-upload-submit').click()
    await expect.poll(textOf(drawer.getByTestId('draft-upload-notice')), { timeout: 15_000 }).toBe('Draft uploaded.')
    const asset = drawer.getByTestId('card-asset')
    await expect.poll(() => asset.count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => asset.locator('img').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0).catch(() => false), { timeout: 10_000 }).toBe(true)
    await page.screenshot({ path: path.join(screenshotDir, 'board-card-drawer.png') })

    // Escape closes the drawer; the tile shows the new caption and counts.
    await page.keyboard.press('Escape')
    await page.waitForURL((url) => url.pathname === `/campaigns/${campaignId}/board`)
    await expect.poll(() => drawer.count()).toBe(0)
    await expect.poll(textOf(tile(page, card.id).getByTestId('card-asset-count')), { timeout: 10_000 }).toContain('1')
    expect(await textOf(tile(page, card.id).getByTestId('card-caption'))()).toBe('Silky microfoam, double ristretto.')
  }, 120_000)

  it("a creator works on their own card: uploads a draft, submits it, answers feedback and resubmits", async () => {
    const api = await ownerApi()
    const creator = await newCreatorMember(e2e.platform, api)
    const { cards } = await campaignWithCards(api, ['Cortado close-up'], creator.creatorId)
    const card = cards[0]!
    const page = await e2e.newPage()
    await signIn(page, e2e.platform, '/my-cards', creator.login)
    await page.getByRole('link', { name: 'My cards' }).waitFor()
    expect(await textOf(page.getByTestId('board-title'))()).toBe('My cards')
    await expect.poll(() => page.getByTestId('board-live').getAttribute('data-status'), { timeout: 15_000 }).toBe('live')

    // Creators carry their own cards from Backlog to In progress.
    await dragCard(page, card.id, 'In_Progress')
    await expect.poll(columnOf(page, card.id), { timeout: 10_000 }).toBe('In_Progress')

    await tile(page, card.id).getByTestId('card-title').click()
    const drawer = page.getByRole('dialog')
    await drawer.waitFor()
    await drawer.getByTestId('draft-file-input').setInputFiles({ name: 'cortado.png', mimeType: 'image/png', buffer: await pngImage(48, 48) })
    await drawer.getByLabel('Caption (optional)').fill('Cortado, two sips of joy.')
    await drawer.getByTestId('draft-upload-submit').click()
    await expect.poll(textOf(drawer.getByTestId('draft-upload-notice')), { timeout: 15_000 }).toBe('Draft uploaded.')
    await expect.poll(() => drawer.getByTestId('caption-version').count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => drawer.getByTestId('card-asset').count(), { timeout: 10_000 }).toBe(1)

    await drawer.getByTestId('card-move-Submitted_By_Creator').click()
    await expect.poll(textOf(drawer.getByTestId('card-column')), { timeout: 10_000 }).toBe('Submitted by creator')

    // The owner asks for changes.
    const submitted = await api<{ card: CardSummary }>('GET', `/api/cards/${card.id}`)
    await api('POST', `/api/cards/${card.id}/comments`, { body: 'Please show the latte art closer.' })
    await api('POST', `/api/cards/${card.id}/move`, { version: submitted.card.version, to: 'Needs_Changes' })

    await page.reload()
    const feedback = page.getByTestId('card-feedback')
    await feedback.waitFor({ timeout: 10_000 })
    expect(await feedback.textContent()).toContain('Please show the latte art closer.')
    // The answer mentions the owner, who is offered as a mention.
    const handle = await drawer.getByTestId('mention-hints').locator('button').first().textContent()
    expect(handle).toMatch(/^@[a-z0-9._]+$/)
    await drawer.getByTestId('comment-input').fill(`Closer shot uploaded, ${handle}.`)
    await drawer.getByTestId('comment-submit').click()
    await expect.poll(() => drawer.getByTestId('card-comment').count(), { timeout: 10_000 }).toBe(2)
    expect(await drawer.getByTestId('comment-mention').textContent()).toBe(handle)

    await drawer.getByTestId('card-move-Submitted_By_Creator').click()
    await expect.poll(textOf(drawer.getByTestId('card-column')), { timeout: 10_000 }).toBe('Submitted by creator')
    expect((await api<{ card: CardSummary }>('GET', `/api/cards/${card.id}`)).card.column).toBe('Submitted_By_Creator')
    await page.screenshot({ path: path.join(screenshotDir, 'board-creator-drawer.png') })
  }, 150_000)

  it('imports cards from CSV with a per-row report, pages a long column in, and exports the board', async () => {
    const api = await ownerApi()
    const header = 'Title,Platform,Creator,Due date,Caption'

    // A board with more Backlog cards than one page holds.
    const long = await campaignWithCards(api, [])
    const rows = Array.from({ length: 55 }, (_, index) => `Reel ${String(index + 1).padStart(2, '0')},TikTok,,,Caption ${index + 1}`)
    await api('POST', `/api/campaigns/${long.campaignId}/cards/import`, [header, ...rows].join('\n'), { csv: true })
    const page = await e2e.newPage()
    await signIn(page, e2e.platform, `/campaigns/${long.campaignId}/board`)
    const backlog = column(page, 'Backlog')
    expect(await textOf(backlog.getByTestId('column-total'))()).toBe('55')
    expect(await backlog.getByTestId('board-card').count()).toBe(BOARD_PAGE_SIZE)
    for (const shown of [2 * BOARD_PAGE_SIZE, 55]) {
      await backlog.getByTestId('column-show-more').click()
      await expect.poll(() => backlog.getByTestId('board-card').count(), { timeout: 10_000 }).toBe(shown)
    }
    expect(await backlog.getByTestId('column-show-more').count()).toBe(0)
    expect(await backlog.getByTestId('card-title').last().textContent()).toBe('Reel 55')

    // "Export CSV" downloads the board through the web app.
    const href = await page.getByTestId('board-export').getAttribute('href')
    const exported = await page.request.get(`${e2e.platform.webUrl}${href}`)
    expect(exported.status()).toBe(200)
    expect(exported.headers()['content-disposition']).toMatch(/^attachment;/)
    const csv = await exported.text()
    expect(csv.split(/\r?\n/)[0]).toContain(header)
    expect(csv).toContain('Reel 55')

    // Importing through the page: a file with a bad row creates nothing and says which row and why.
    const fresh = await campaignWithCards(api, [])
    await page.goto(`${e2e.platform.webUrl}/campaigns/${fresh.campaignId}/board`)
    const importer = page.getByTestId('csv-import')
    await importer.getByTestId('csv-import-file').setInputFiles({
      name: 'cards.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([header, 'Morning ritual,Instagram,,,Good morning', 'Night owl,MySpace,,,Late'].join('\n')),
    })
    await importer.getByTestId('csv-import-submit').click()
    const problems = importer.getByTestId('csv-import-error-row')
    await problems.first().waitFor({ timeout: 10_000 })
    expect(await problems.count()).toBe(1)
    expect(await problems.first().textContent()).toContain('platform')
    expect(await column(page, 'Backlog').getByTestId('board-card').count()).toBe(0)
    await page.screenshot({ path: path.join(screenshotDir, 'board-csv-import-errors.png'), fullPage: true })

    await importer.getByTestId('csv-import-file').setInputFiles({
      name: 'cards.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([header, 'Morning ritual,Instagram,,,Good morning', 'Night owl,TikTok,,,Late'].join('\n')),
    })
    await importer.getByTestId('csv-import-submit').click()
    await expect.poll(textOf(importer.getByTestId('csv-import-created')), { timeout: 10_000 }).toBe('2 cards created.')
    await expect.poll(() => column(page, 'Backlog').getByTestId('board-card').count(), { timeout: 10_000 }).toBe(2)
    expect(await textOf(column(page, 'Backlog').getByTestId('column-total'))()).toBe('2')

    // The platform filter applies on change.
    await page.getByTestId('filter-platform').selectOption('tiktok')
    await page.waitForURL((url) => url.searchParams.get('platform') === 'tiktok')
    await expect.poll(() => column(page, 'Backlog').getByTestId('board-card').count(), { timeout: 10_000 }).toBe(1)
    expect(await column(page, 'Backlog').getByTestId('card-title').textContent()).toBe('Night owl')
  }, 150_000)
})
