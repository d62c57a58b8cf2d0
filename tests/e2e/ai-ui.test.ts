// AI drafts end to end in headless Chromium, against the real platform started by the start script
// (tests/support/platform.ts): the demo workspace's library, the generate page, a batch written and scored by
// the offline generator (the platform runs without AI keys, so the provider chain ends there), its live page,
// and a long text repurposed into an X thread.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { UUID, screenshotDir, signIn, textOf, useBrowserPlatform } from '../support/browser.ts'
import { pngImage } from '../support/media-fixtures.ts'

const e2e = useBrowserPlatform()
const newPage = (options: { javaScriptEnabled?: boolean } = {}) => e2e.newPage({ viewport: { width: 1440, height: 1000 }, ...options })
/** A batch of a few items by the offline generator finishes in seconds; this is room for a slow machine. */
const BATCH_TIMEOUT_MS = 120_000

/** The demo workspace's page; returns its id. */
async function openDemoWorkspace(page: Page): Promise<string> {
  await page.goto(`${e2e.platform.webUrl}/workspaces`)
  await page.getByRole('link', { name: 'Luna Coffee', exact: true }).first().click()
  await page.waitForURL(new RegExp(`/workspaces/${UUID.source}$`))
  return new URL(page.url()).pathname.split('/').at(-1)!
}

/** New images in the open workspace's library, through its upload zone; returns their file names. */
async function uploadImages(page: Page, prefixes: string[]): Promise<string[]> {
  await page.getByTestId('workspace-assets-link').click()
  await page.getByText('Drop images and videos here, or click to choose').waitFor()
  const id = randomUUID().slice(0, 6)
  const names = prefixes.map((prefix) => `${prefix}-${id}.png`)
  await page.getByTestId('asset-file-input').setInputFiles(
    await Promise.all(names.map(async (name, i) => ({ name, mimeType: 'image/png', buffer: await pngImage(64 + i * 8, 48, Math.floor(Math.random() * 200)) }))),
  )
  for (const name of names) {
    await expect.poll(() => page.locator(`[data-testid="asset-upload-row"][data-file="${name}"]`).getAttribute('data-state'), { timeout: 20_000 }).toBe('stored')
  }
  return names
}

/** Ticks assets on the generate page until it counts them (a click before the page's script runs is not). */
async function pickAssets(page: Page, names: string[]) {
  for (const [index, name] of names.entries()) {
    const box = page.locator(`[data-testid="asset-option"][data-asset-name="${name}"]`).getByTestId('asset-checkbox')
    await expect.poll(async () => {
      await box.check()
      return page.getByTestId('asset-picked-count').textContent()
    }).toContain(`${index + 1} of at most 30 picked`)
  }
}

/** Waits on the batch's own page (which reloads itself while it runs) until it has finished. */
async function waitForBatchEnd(page: Page) {
  await page.waitForURL(new RegExp(`/ai/batches/${UUID.source}$`), { timeout: 30_000 })
  await expect.poll(textOf(page.getByTestId('batch-status')), { timeout: BATCH_TIMEOUT_MS, interval: 1_000 }).toBe('Completed')
}

describe('AI drafts UI', () => {
  it('writes captions for two library images on Instagram and TikTok, scored and labelled as offline', async () => {
    const page = await newPage()
    await signIn(page, e2e.platform, '/campaigns')
    await openDemoWorkspace(page)
    const names = await uploadImages(page, ['latte-art', 'beans'])

    // The generate page, from the library's link.
    await page.getByTestId('assets-generate-link').click()
    await page.waitForURL(new RegExp(`/workspaces/${UUID.source}/generate$`))
    expect(await page.getByTestId('format-instagram').isChecked()).toBe(true)
    // No key in this installation: the chain's model providers are named as skipped before anything starts.
    expect(await page.locator('[data-testid="provider-chain-availability"] [data-provider="offline"]').count()).toBe(1)
    await pickAssets(page, names)
    await page.getByTestId('format-tiktok').check()
    await expect.poll(textOf(page.getByTestId('generations-line'))).toBe('2 assets × 2 platforms × 3 variations = 12 generations')
    await page.screenshot({ path: path.join(screenshotDir, 'ai-generate.png'), fullPage: true })
    await page.getByTestId('start-batch').click()

    await waitForBatchEnd(page)
    const variants = page.getByTestId('variant')
    await expect.poll(() => variants.count()).toBe(12)
    expect(await page.getByTestId('batch-item').count()).toBe(4)
    expect(await page.getByTestId('batch-progress').getAttribute('data-done')).toBe('12')
    // Every variant says it came from the offline generator, and the page says what that means.
    expect(await page.locator('[data-testid="variant"] [data-testid="offline-badge"]').count()).toBe(12)
    expect(await page.getByTestId('offline-note').textContent()).toContain('Written by the offline generator: template-based, no AI model was used')
    // Each is scored: an overall score and the four rubrics, each with its reason.
    const overall = await page.getByTestId('variant-overall').allTextContents()
    expect(overall).toHaveLength(12)
    for (const score of overall) expect(Number(score)).toBeGreaterThanOrEqual(0)
    for (const score of overall) expect(Number(score)).toBeLessThanOrEqual(100)
    expect(await page.getByTestId('rubric-score').count()).toBe(48)
    expect((await page.getByTestId('rubric-reason').first().textContent())?.length).toBeGreaterThan(5)
    // Captions for assets come with hashtags and ad copy; the offline generator worked from the file's details.
    expect(await page.getByTestId('variant-ad-copy').count()).toBe(12)
    expect(await page.locator('[data-testid="saw-image"][data-saw-image="false"]').count()).toBe(12)
    expect(await page.getByTestId('item-thumbnail').count()).toBe(4)
    expect(await page.getByTestId('temporal-link').getAttribute('href')).toMatch(/^http/)
    expect(await page.getByTestId('cancel-batch').count()).toBe(0)

    // How the first variant was scored opens in place.
    await page.getByTestId('score-details').first().locator('summary').click()
    expect(await page.getByTestId('score-details').first().getByTestId('score-part').count()).toBeGreaterThan(4)
    await page.screenshot({ path: path.join(screenshotDir, 'ai-batch.png'), fullPage: true })

    // The list has it, newest first, with its progress.
    await page.goto(`${e2e.platform.webUrl}/ai/batches`)
    const row = page.getByTestId('batch-row').first()
    expect(await row.getAttribute('data-status')).toBe('completed')
    expect(await row.getByTestId('batch-progress-cell').textContent()).toBe('12/12')
  }, 240_000)

  it('repurposes a long text into an X thread of 5 to 7 posts per variant', async () => {
    const page = await newPage()
    await signIn(page, e2e.platform, '/campaigns')
    const workspaceId = await openDemoWorkspace(page)
    await page.getByTestId('workspace-repurpose-link').click()
    await page.waitForURL(`${e2e.platform.webUrl}/workspaces/${workspaceId}/repurpose`)

    const text = [
      'Luna Coffee roasts every bean in small batches at our shop on Harbour Street, three mornings a week.',
      'This autumn we are bringing back the Harvest Blend: a washed Ethiopian for brightness, a natural Brazil for body,',
      'and a touch of Guatemalan for a cocoa finish. We cup each roast before it leaves the drum, and we write the roast',
      'date on every bag so you know how fresh it is. Regulars tell us it tastes like baked apples and dark chocolate.',
      'Come in on Saturday for a free tasting flight, meet the roasters, and learn how to brew it at home with a simple',
      'pour-over. Bring your own cup and we will take fifty cents off any drink all season long.',
    ].join(' ')
    expect(text.length).toBeGreaterThan(550)
    const source = page.getByTestId('source-text')
    // Typed until the counter follows (the page's script may still be starting).
    await expect.poll(async () => {
      await source.fill(text)
      return page.getByTestId('source-text-count').getAttribute('data-state')
    }).toBe('ok')
    expect(await page.getByTestId('source-text-count').textContent()).toContain(`${text.length} characters`)
    await page.getByTestId('source-title').fill('Harvest Blend is back')
    await page.getByTestId('format-x_thread').check()
    await expect.poll(textOf(page.getByTestId('generations-line'))).toBe('1 format × 3 variations = 3 generations')
    await page.getByTestId('start-batch').click()

    await waitForBatchEnd(page)
    const variants = page.getByTestId('variant')
    await expect.poll(() => variants.count()).toBe(3)
    for (const variant of await variants.all()) {
      const posts = await variant.getByTestId('variant-segment').count()
      expect(posts).toBeGreaterThanOrEqual(5)
      expect(posts).toBeLessThanOrEqual(7)
      expect(await variant.getByTestId('offline-badge').count()).toBe(1)
      expect(Number(await variant.getByTestId('variant-overall').textContent())).toBeGreaterThan(0)
    }
    expect(await page.getByTestId('batch-kind').textContent()).toBe('Repurposed text')
    await page.screenshot({ path: path.join(screenshotDir, 'ai-repurpose.png'), fullPage: true })
  }, 240_000)

  it('starts from a campaign’s AI panel: its platforms, its auto-approval, and variants on its cards', async () => {
    const page = await newPage()
    await signIn(page, e2e.platform, '/campaigns')
    await openDemoWorkspace(page)
    const [name] = await uploadImages(page, ['pour-over'])

    await page.goto(`${e2e.platform.webUrl}/campaigns`)
    await page.getByTestId('campaign-row').filter({ hasText: 'Autumn single-origin launch' }).getByRole('link').first().click()
    await page.waitForURL(new RegExp(`/campaigns/${UUID.source}$`))
    const campaignId = new URL(page.url()).pathname.split('/').at(-1)!
    const panel = page.getByTestId('campaign-ai-panel')
    await page.getByTestId('auto-approve-enabled').check()
    await page.getByTestId('auto-approve-threshold').fill('50')
    await page.getByTestId('auto-approve-floor').fill('10')
    await page.getByTestId('save-campaign-ai').click()
    await expect.poll(textOf(page.getByTestId('campaign-notice')), { timeout: 15_000 }).toBe('AI settings saved.')
    expect(await page.getByTestId('auto-approve-threshold').inputValue()).toBe('50')

    await panel.getByTestId('campaign-generate-link').click()
    await page.waitForURL(new RegExp(`/workspaces/${UUID.source}/generate\\?campaign=${campaignId}$`))
    // The brief's platforms are ticked, and the campaign is chosen.
    expect(await page.getByTestId('format-instagram').isChecked()).toBe(true)
    expect(await page.getByTestId('format-tiktok').isChecked()).toBe(true)
    expect(await page.getByTestId('format-facebook').isChecked()).toBe(false)
    expect(await page.getByTestId('batch-campaign').inputValue()).toBe(campaignId)
    await pickAssets(page, [name!])
    await page.getByTestId('variants-per-item').selectOption('1')
    await expect.poll(textOf(page.getByTestId('generations-line'))).toBe('1 asset × 2 platforms × 1 variation = 2 generations')
    await page.getByTestId('start-batch').click()

    await waitForBatchEnd(page)
    expect(await page.getByTestId('batch-auto-approve').textContent()).toBe('Overall ≥ 50, no rubric < 10')
    expect(await page.getByTestId('variant').count()).toBe(2)
    // Each item's variant landed on a card of the campaign, and the best one was approved without review.
    const cardLinks = await page.getByTestId('item-card-link').evaluateAll((links) => links.map((link) => link.getAttribute('href')))
    expect(cardLinks).toHaveLength(2)
    for (const href of cardLinks) expect(href).toMatch(new RegExp(`^/campaigns/${campaignId}/board/cards/${UUID.source}$`))
    expect(await page.getByTestId('approved-badge').allTextContents()).toEqual(['✓ Auto-approved', '✓ Auto-approved'])

    // The campaign's panel lists the batch.
    await page.getByTestId('batch-campaign-link').click()
    await page.waitForURL(`${e2e.platform.webUrl}/campaigns/${campaignId}`)
    await expect.poll(() => panel.getByTestId('batch-row').count()).toBeGreaterThan(0)
    expect(await panel.getByTestId('batch-row').first().getByTestId('batch-progress-cell').textContent()).toBe('2/2')
    await panel.screenshot({ path: path.join(screenshotDir, 'ai-campaign-panel.png') })
  }, 240_000)

  it('starts a batch with plain form posts when JavaScript is off', async () => {
    const page = await newPage({ javaScriptEnabled: false })
    await signIn(page, e2e.platform, '/campaigns')
    await openDemoWorkspace(page)
    await page.getByTestId('workspace-assets-link').click()
    const name = `plain-${randomUUID().slice(0, 6)}.png`
    await page.getByTestId('asset-file-input').setInputFiles([{ name, mimeType: 'image/png', buffer: await pngImage(32, 32, Math.floor(Math.random() * 200)) }])
    await page.getByTestId('asset-upload-submit').click()
    await page.waitForLoadState()
    expect(await page.getByTestId('asset-upload-result').textContent()).toContain('Stored 1 new file.')

    await page.getByTestId('assets-generate-link').click()
    await page.waitForURL(new RegExp(`/workspaces/${UUID.source}/generate$`))
    // Nothing picked: the server names it next to the library and keeps the rest of the form.
    await page.getByTestId('variants-per-item').selectOption('1')
    await page.getByTestId('start-batch').click()
    await page.waitForLoadState()
    expect(await page.getByTestId('assetIds-error').textContent()).toBe('Pick at least one asset from the library.')
    expect(await page.getByTestId('variants-per-item').inputValue()).toBe('1')

    await page.locator(`[data-testid="asset-option"][data-asset-name="${name}"]`).getByTestId('asset-checkbox').check()
    await page.getByTestId('start-batch').click()
    await page.waitForURL(new RegExp(`/ai/batches/${UUID.source}$`), { timeout: 30_000 })
    // Without the page's script it does not refresh itself; reloading shows the finished batch.
    await expect
      .poll(
        async () => {
          await page.reload()
          return page.getByTestId('batch-status').textContent()
        },
        { timeout: BATCH_TIMEOUT_MS, interval: 1_000 },
      )
      .toBe('Completed')
    expect(await page.getByTestId('variant').count()).toBe(1)
    expect(await page.getByTestId('offline-badge').count()).toBe(1)
  }, 240_000)

  it('shows the agency’s providers in Settings → AI without any key', async () => {
    const page = await newPage()
    await signIn(page, e2e.platform, '/campaigns')
    await page.goto(`${e2e.platform.webUrl}/settings`)
    await page.getByRole('link', { name: 'AI', exact: true }).click()
    await page.waitForURL(`${e2e.platform.webUrl}/settings/ai`)
    await page.getByTestId('ai-settings-form').waitFor()
    expect(await page.getByTestId('ai-provider').count()).toBe(3)
    expect(await page.locator('[data-testid="ai-provider"][data-provider="offline"]').getByTestId('key-status').textContent()).toBe('No key needed')
    // Keys are write-only: the fields are empty password inputs.
    expect(await page.getByTestId('openai-key').getAttribute('type')).toBe('password')
    expect(await page.getByTestId('openai-key').inputValue()).toBe('')
    expect(await page.getByTestId('effective-chain').textContent()).toContain('Offline generator')
    await page.screenshot({ path: path.join(screenshotDir, 'ai-settings.png'), fullPage: true })

    // A key is set, then shown only by its last characters; removing it goes back to "Not set". (Last in this
    // file: no batch runs while the agency has a key that no provider would accept.)
    const openai = page.locator('[data-testid="ai-provider"][data-provider="openai"]')
    expect(await openai.getByTestId('key-status').textContent()).toBe('Not set')
    await page.getByTestId('openai-key').fill('sk-e2e-not-a-real-key-wxyz')
    await page.getByTestId('save-ai-settings').click()
    await expect.poll(textOf(page.getByTestId('ai-settings-notice')), { timeout: 15_000 }).toBe('Saved, with a new key.')
    await expect.poll(textOf(openai.getByTestId('key-status'))).toBe('Set (…wxyz)')
    expect(await page.getByTestId('openai-key').inputValue()).toBe('')
    expect(await page.content()).not.toContain('sk-e2e-not-a-real-key')
    await page.getByTestId('openai-remove-key').click()
    await expect.poll(textOf(page.getByTestId('ai-settings-notice')), { timeout: 15_000 }).toBe('OpenAI: the agency’s key is removed.')
    await expect.poll(textOf(openai.getByTestId('key-status'))).toBe('Not set')
  }, 90_000)
})
