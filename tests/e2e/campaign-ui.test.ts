// Campaign briefs and the asset library end to end in headless Chromium, against the real platform:
// PostgreSQL, a Temporal dev server, the worker, the API, the sandbox and the built web server, started by the
// start script (tests/support/platform.ts). The demo agency brings a workspace with a brand kit (Luna Coffee)
// and a creator (Maya Chen) without accounts.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { pngImage } from '../support/media-fixtures.ts'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { UUID, screenshotDir, signIn, textOf, useBrowserPlatform } from '../support/browser.ts'

const e2e = useBrowserPlatform()
const newPage = (options: { javaScriptEnabled?: boolean } = {}) => e2e.newPage({ viewport: { width: 1280, height: 900 }, ...options })
const DEMO_WORKSPACE = 'Luna Coffee (Luna Coffee Roasters)'

/**
 * A new draft through the new-campaign page; ends on its brief, hydrated when JavaScript runs (the editors
 * then swap their spare rows for add buttons). Returns the campaign id.
 */
async function createDraft(page: Page, name: string, template: string, { javaScript = true } = {}) {
  await page.goto(`${e2e.platform.webUrl}/campaigns`)
  await page.getByTestId('new-campaign').click()
  await page.waitForURL(`${e2e.platform.webUrl}/campaigns/new`)
  await page.getByTestId('new-campaign-workspace').selectOption({ label: DEMO_WORKSPACE })
  await page.getByTestId(`template-${template}`).click()
  await page.getByTestId('new-campaign-name').fill(name)
  await page.getByTestId('create-campaign').click()
  await page.waitForURL(new RegExp(`/campaigns/${UUID.source}$`), { timeout: 20_000 })
  expect(await page.getByTestId('campaign-name').textContent()).toBe(name)
  if (javaScript) await page.getByTestId('add-reference').waitFor()
  return new URL(page.url()).pathname.split('/').at(-1)!
}

const missingCodes = (page: Page) => () => page.getByTestId('readiness-missing').getByTestId('missing-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-code'))).catch(() => null)

/** "2027-04-01T09:00" for `datetime-local`, as UTC wall-clock time. */
const utcLocal = (date: Date) => date.toISOString().slice(0, 16)


describe('campaign UI', () => {
  it('creates a brief from a template, fixes what the readiness check names and refuses to mark it ready too early', async () => {
    const page = await newPage()
    await signIn(page, e2e.platform, '/campaigns')

    // The top bar shows the agency and, matching /api/meta, which integrations are stand-ins.
    expect(await page.getByTestId('agency-name').textContent()).not.toBe('')
    const meta = (await (await fetch(`${e2e.platform.apiUrl}/api/meta`)).json()) as { integrations: { ai: string; meta: string; tiktok: string } }
    expect(await page.getByTestId('sandbox-badge').isVisible()).toBe(meta.integrations.meta === 'sandbox' || meta.integrations.tiktok === 'sandbox')
    expect(await page.getByTestId('offline-ai-badge').isVisible()).toBe(meta.integrations.ai === 'offline')

    const name = `E2E restaurant ${randomUUID().slice(0, 8)}`
    await page.goto(`${e2e.platform.webUrl}/campaigns/new`)
    expect(await page.getByTestId('template-picker').getByRole('radio').count()).toBe(7)
    await page.screenshot({ path: path.join(screenshotDir, 'campaign-new.png'), fullPage: true })
    await createDraft(page, name, 'restaurant')

    // The template filled the brief: objective, platforms, budget, four idea references, and its deliverable
    // mix, still without creators.
    expect(await page.getByTestId('brief-status').textContent()).toBe('Draft')
    expect(await page.getByTestId('brief-objective').inputValue()).toBe('traffic')
    expect(await page.getByTestId('brief-platform-tiktok').isChecked()).toBe(true)
    expect(await page.getByTestId('brief-budget').inputValue()).toBe('2500.00')
    expect(await page.getByTestId('reference-row').count()).toBe(4)
    expect(await page.getByTestId('deliverable-row').count()).toBe(5)
    expect(await page.getByTestId('deliverable-creator-0').inputValue()).toBe('')
    // What is missing, exactly: dates, creators for the deliverables, accounts for the template's platforms.
    const codes = await missingCodes(page)()
    expect(codes).toEqual(expect.arrayContaining(['ACCOUNT_MISSING', 'DELIVERABLE_UNASSIGNED', 'DATES_MISSING']))
    expect(codes).not.toContain('BRAND_KIT_MISSING')
    expect(codes).not.toContain('BUDGET_MISSING')

    // A budget that is no amount is named next to its field, and nothing is saved.
    await page.getByTestId('brief-budget').fill('12.345')
    await page.getByTestId('save-brief').click()
    await expect.poll(textOf(page.getByTestId('budget-error')), { timeout: 15_000 }).toContain('at most 2 decimals')

    // Dates in the brief's zone; the list shows them as written, with the zone.
    const start = new Date(Date.now() + 3 * 24 * 3600_000)
    const end = new Date(Date.now() + 10 * 24 * 3600_000)
    await page.getByTestId('brief-budget').fill('3,000')
    await page.getByTestId('brief-time-zone').selectOption('UTC')
    await page.getByTestId('brief-starts').fill(utcLocal(start))
    await page.getByTestId('brief-ends').fill(utcLocal(end))
    await page.getByTestId('save-brief').click()
    await expect.poll(textOf(page.getByTestId('campaign-notice')), { timeout: 15_000 }).toBe('Brief saved.')
    // The saved amount comes back from the API, written the brief's way.
    await expect.poll(() => page.getByTestId('brief-budget').inputValue(), { timeout: 10_000 }).toBe('3000.00')
    await expect.poll(missingCodes(page)).not.toContain('DATES_MISSING')

    // One more deliverable, still without a creator: saved, and no card yet.
    await page.getByTestId('add-deliverable').click()
    await page.getByTestId('deliverable-type-5').selectOption('tiktok/photo')
    await page.getByTestId('deliverable-count-5').fill('3')
    await page.getByTestId('save-deliverables').click()
    await expect.poll(textOf(page.getByTestId('campaign-notice')), { timeout: 15_000 }).toBe('Deliverables saved: 6 deliverables, 0 cards on the board.')
    expect(await page.getByTestId('deliverable-row').count()).toBe(6)

    // The readiness links lead to the field to fix.
    const fixDates = page.getByTestId('readiness-missing').getByRole('link', { name: /Fix/ }).first()
    expect(await fixDates.getAttribute('href')).toMatch(/^#(deliverable-\d+|brief-\w+)$/)

    // Marking it ready now is refused with the list of what is missing, each with a way to fix it.
    await page.getByTestId('status-ready').click()
    const refusal = page.getByTestId('status-error')
    await refusal.waitFor({ timeout: 15_000 })
    expect(await refusal.getByTestId('missing-item').count()).toBeGreaterThan(0)
    expect(await refusal.textContent()).toContain('no creator')
    expect(await page.getByTestId('brief-status').textContent()).toBe('Draft')
    await page.screenshot({ path: path.join(screenshotDir, 'campaign-brief.png'), fullPage: true })

    // The list, filtered to drafts of the demo workspace, has it with its budget and dates.
    await page.goto(`${e2e.platform.webUrl}/campaigns`)
    await page.getByTestId('filter-status').selectOption('draft')
    await page.waitForURL(/status=draft/)
    const row = page.getByTestId('campaign-row').filter({ hasText: name })
    expect(await row.getByTestId('campaign-budget').textContent()).toBe('$3,000.00')
    expect(await row.getByTestId('campaign-dates').textContent()).toContain('UTC')
    expect(await row.getByTestId('campaign-board-link').getAttribute('href')).toMatch(new RegExp(`/campaigns/${UUID.source}/board$`))
  }, 120_000)

  it('assigns deliverables to a creator with a connected account, launches, pauses and resumes', async () => {
    const page = await newPage()
    await signIn(page, e2e.platform, '/campaigns')

    // Maya connects her sandbox Instagram (through Meta's stand-in login dialog).
    await page.goto(`${e2e.platform.webUrl}/creators`)
    await page.getByTestId('creator-row').filter({ hasText: 'Maya Chen' }).getByRole('link').click()
    await page.waitForURL(new RegExp(`/creators/${UUID.source}$`))
    if ((await page.locator('[data-testid="account-card"][data-platform="instagram"]').count()) === 0) {
      await page.getByTestId('connect-meta').click()
      await page.getByTestId('sandbox-approve').click()
      await page.locator('[data-testid="account-card"][data-platform="instagram"]').first().waitFor({ timeout: 20_000 })
    }

    const name = `E2E launch ${randomUUID().slice(0, 8)}`
    const campaignId = await createDraft(page, name, 'blank')
    // Started an hour ago, so the workflow goes live as soon as it is launched.
    await page.getByTestId('brief-platform-instagram').check()
    await page.getByTestId('brief-time-zone').selectOption('UTC')
    await page.getByTestId('brief-starts').fill(utcLocal(new Date(Date.now() - 3600_000)))
    await page.getByTestId('brief-ends').fill(utcLocal(new Date(Date.now() + 7 * 24 * 3600_000)))
    await page.getByTestId('brief-budget').fill('1,200.50')
    await page.getByTestId('save-brief').click()
    await expect.poll(textOf(page.getByTestId('campaign-notice')), { timeout: 15_000 }).toBe('Brief saved.')

    await page.getByTestId('deliverable-creator-0').selectOption({ label: 'Maya Chen' })
    await page.getByTestId('deliverable-type-0').selectOption('instagram/reel')
    await page.getByTestId('deliverable-count-0').fill('2')
    await page.getByTestId('save-deliverables').click()
    await expect.poll(textOf(page.getByTestId('campaign-notice')), { timeout: 15_000 }).toBe('Deliverables saved: 1 deliverable, 2 cards on the board.')
    await expect.poll(() => page.getByTestId('deliverable-card-total').getAttribute('data-cards'), { timeout: 10_000 }).toBe('2')
    await expect.poll(() => page.getByTestId('readiness-panel').getAttribute('data-ready'), { timeout: 15_000 }).toBe('true')

    await page.getByTestId('status-ready').click()
    await expect.poll(textOf(page.getByTestId('brief-status')), { timeout: 15_000 }).toBe('Ready')
    await page.getByTestId('status-active').click()
    await expect.poll(textOf(page.getByTestId('brief-status')), { timeout: 20_000 }).toBe('Active')
    await expect.poll(textOf(page.getByTestId('workflow-status')), { timeout: 20_000 }).toBe('RUNNING')
    const temporalHref = await page.getByTestId('temporal-web-link').getAttribute('href')
    expect(temporalHref).toMatch(new RegExp(`campaign(%3A|:)${campaignId}`))
    expect(temporalHref?.startsWith(e2e.platform.temporalUiUrl)).toBe(true)
    // The page refreshes itself into the workflow's stage.
    const headerStage = page.getByTestId('campaign-header').getByTestId('stage-badge')
    await expect.poll(textOf(headerStage), { timeout: 30_000 }).toBe('live')
    expect(await page.getByTestId('brief-schedule-locked').isVisible()).toBe(true)
    await page.screenshot({ path: path.join(screenshotDir, 'campaign-detail.png'), fullPage: true })

    await page.getByTestId('status-paused').click()
    await expect.poll(textOf(page.getByTestId('workflow-paused')), { timeout: 20_000 }).toBe('Yes')
    expect(await page.getByTestId('brief-status').textContent()).toBe('Paused')
    await page.getByTestId('status-active').click()
    await expect.poll(textOf(page.getByTestId('workflow-paused')), { timeout: 20_000 }).toBe('No')
    expect(await page.getByTestId('brief-status').textContent()).toBe('Active')
  }, 150_000)

  it('edits a brief and its deliverables without JavaScript', async () => {
    const page = await newPage({ javaScriptEnabled: false })
    await signIn(page, e2e.platform, '/campaigns')
    const name = `E2E no JS ${randomUUID().slice(0, 8)}`
    await createDraft(page, name, 'saas', { javaScript: false })

    await page.getByTestId('brief-budget').fill('4,500')
    await page.getByTestId('brief-key-messages').fill('First line\nSecond line')
    await page.getByTestId('save-brief').click()
    await page.waitForLoadState()
    expect(await page.getByTestId('campaign-notice').textContent()).toBe('Brief saved.')
    expect(await page.getByTestId('brief-key-messages').inputValue()).toBe('First line\nSecond line')

    // The SaaS template brought four deliverables; a spare row after them adds one. A refused row keeps what
    // was typed, with its message.
    expect(await page.locator('[data-testid="deliverable-row"][data-deliverable-id]').count()).toBe(4)
    expect(await page.getByTestId('deliverable-type-0').inputValue()).toBe('instagram/reel')
    // Another unassigned Instagram reel row would number the same cards twice.
    await page.getByTestId('deliverable-type-4').selectOption('instagram/reel')
    await page.getByTestId('deliverable-count-4').fill('2')
    await page.getByTestId('save-deliverables').click()
    await page.waitForLoadState()
    expect(await page.getByTestId('deliverable-error-4').textContent()).toContain('repeats deliverable 1')
    expect(await page.getByTestId('deliverable-type-4').inputValue()).toBe('instagram/reel')
    await page.getByTestId('deliverable-type-4').selectOption('instagram/story')
    await page.getByTestId('save-deliverables').click()
    await page.waitForLoadState()
    expect(await page.getByTestId('campaign-notice').textContent()).toBe('Deliverables saved: 5 deliverables, 0 cards on the board.')
    expect(await page.locator('[data-testid="deliverable-row"][data-deliverable-id]').count()).toBe(5)
  }, 90_000)
})

describe('asset library UI', () => {
  async function openLibrary(page: Page) {
    await page.goto(`${e2e.platform.webUrl}/workspaces`)
    await page.getByRole('link', { name: 'Luna Coffee', exact: true }).first().click()
    await page.waitForURL(new RegExp(`/workspaces/${UUID.source}$`))
    await page.getByTestId('workspace-assets-link').click()
    await page.waitForURL(new RegExp(`/workspaces/${UUID.source}/assets$`))
  }

  it('uploads by file choice with a result per file, recognises a duplicate, and deletes', async () => {
    const page = await newPage()
    await signIn(page, e2e.platform, '/campaigns')
    await openLibrary(page)
    // Hydrated: choosing files now queues one request per file instead of waiting for a form post.
    await page.getByText('Drop images and videos here, or click to choose').waitFor()

    const name = `moodboard-${randomUUID().slice(0, 6)}.png`
    const image = await pngImage(40, 30, Math.floor(Math.random() * 200))
    await page.getByTestId('asset-file-input').setInputFiles([
      { name, mimeType: 'image/png', buffer: image },
      { name: 'not-really.png', mimeType: 'image/png', buffer: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n') },
    ])
    const stored = page.locator(`[data-testid="asset-upload-row"][data-file="${name}"]`)
    const refused = page.locator('[data-testid="asset-upload-row"][data-file="not-really.png"]')
    await expect.poll(() => stored.getAttribute('data-state'), { timeout: 20_000 }).toBe('stored')
    await expect.poll(() => refused.getAttribute('data-state'), { timeout: 20_000 }).toBe('refused')
    expect(await refused.textContent()).toContain('415')
    expect(await refused.textContent()).toContain('not-really.png')

    const card = page.getByTestId('asset-card').filter({ hasText: name })
    await card.waitFor({ timeout: 15_000 })
    expect(await card.textContent()).toContain('40 × 30')
    await expect.poll(() => card.getByTestId('asset-thumbnail').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0).catch(() => false)).toBe(true)

    // The same bytes under another name: recognised, nothing new stored.
    await page.getByTestId('asset-file-input').setInputFiles([{ name: 'copy.png', mimeType: 'image/png', buffer: image }])
    const copy = page.locator('[data-testid="asset-upload-row"][data-file="copy.png"]')
    await expect.poll(() => copy.getAttribute('data-state'), { timeout: 20_000 }).toBe('duplicate')
    expect(await copy.textContent()).toContain(name)
    expect(await page.getByTestId('asset-card').filter({ hasText: 'copy.png' }).count()).toBe(0)
    await page.screenshot({ path: path.join(screenshotDir, 'asset-library.png'), fullPage: true })

    await card.getByTestId('asset-delete').click()
    await expect.poll(textOf(page.getByTestId('asset-notice')), { timeout: 15_000 }).toBe(`Deleted “${name}”.`)
    await expect.poll(() => page.getByTestId('asset-card').filter({ hasText: name }).count(), { timeout: 10_000 }).toBe(0)
  }, 90_000)

  it('uploads with a plain form post without JavaScript', async () => {
    const page = await newPage({ javaScriptEnabled: false })
    await signIn(page, e2e.platform, '/campaigns')
    await openLibrary(page)
    const name = `plain-${randomUUID().slice(0, 6)}.png`
    await page.getByTestId('asset-file-input').setInputFiles([{ name, mimeType: 'image/png', buffer: await pngImage(24, 24, Math.floor(Math.random() * 200)) }])
    await page.getByTestId('asset-upload-submit').click()
    await page.waitForLoadState()
    expect(await page.getByTestId('asset-upload-result').textContent()).toContain('Stored 1 new file.')
    expect(await page.getByTestId('asset-card').filter({ hasText: name }).count()).toBe(1)
  }, 90_000)
})
