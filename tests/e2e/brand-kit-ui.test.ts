// Workspaces and the brand-kit editor end to end in headless Chromium, against the real platform started by
// the start script (tests/support/platform.ts): sign up, create a workspace, edit its brand kit with the live
// preview, save, see the new version; upload a logo; and the same edit with JavaScript switched off.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { pngImage } from '../support/media-fixtures.ts'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { UUID, screenshotDir, textOf, useBrowserPlatform } from '../support/browser.ts'

const e2e = useBrowserPlatform()
const newPage = (options: { javaScriptEnabled?: boolean } = {}) => e2e.newPage(options)

/** A new agency through the sign-up page; its owner stays signed in. */
async function signUp(page: Page) {
  const id = randomUUID().slice(0, 8)
  await page.goto(`${e2e.platform.webUrl}/signup`)
  await page.locator('input[name="agencyName"]').fill(`E2E Agency ${id}`)
  await page.locator('input[name="name"]').fill('Erin Editor')
  await page.locator('input[name="email"]').fill(`e2e-${id}@example.test`)
  await page.locator('input[name="password"]').fill(`long-password-${id}`)
  await page.getByTestId('signup-submit').click()
  await page.waitForURL((url) => !url.pathname.startsWith('/signup'), { timeout: 20_000 })
}

async function createWorkspace(page: Page, name: string) {
  await page.goto(`${e2e.platform.webUrl}/workspaces`)
  await page.getByTestId('workspace-name-input').fill(name)
  await page.getByTestId('workspace-client-input').fill(`${name} Ltd`)
  await page.getByTestId('create-workspace').click()
  await page.waitForURL(new RegExp(`/workspaces/${UUID.source}$`), { timeout: 20_000 })
  expect(await page.getByTestId('workspace-name').textContent()).toBe(name)
  expect(await page.getByTestId('current-version').textContent()).toBe('Version 1')
}

function styleOf(locator: Locator, property: 'fontFamily' | 'backgroundColor') {
  return () => locator.evaluate((element, name) => getComputedStyle(element)[name], property).catch(() => null)
}


describe('brand-kit UI', () => {
  it('signs up, creates a workspace, edits the brand kit with a live preview and sees the new version', async () => {
    const page = await newPage()
    await signUp(page)
    await createWorkspace(page, `Oat Milk ${randomUUID().slice(0, 6)}`)

    // The preview follows the typing before anything is saved.
    const canvas = page.getByTestId('preview-canvas')
    const heading = page.getByTestId('preview-heading')
    await page.getByTestId('color-hex-0').fill('#c0392b')
    await expect.poll(styleOf(canvas, 'backgroundColor')).toBe('rgb(192, 57, 43)')
    await page.getByTestId('heading-font-input').fill('Courier New')
    await expect.poll(styleOf(heading, 'fontFamily')).toContain('Courier New')

    // An invalid color is flagged in place, live.
    await page.getByTestId('color-hex-1').fill('gold')
    await expect.poll(textOf(page.getByTestId('color-error-1'))).toContain('"gold" is not a hex color')
    await page.getByTestId('color-hex-1').fill('#f2b134')
    await expect.poll(() => page.getByTestId('color-error-1').count()).toBe(0)
    await page.screenshot({ path: path.join(screenshotDir, 'brand-kit-editor.png'), fullPage: true })

    await page.getByTestId('save-brand-kit').click()
    await expect.poll(textOf(page.getByTestId('current-version')), { timeout: 15_000 }).toBe('Version 2')
    expect(await page.getByTestId('workspace-notice').textContent()).toBe('Saved as version 2.')
    const newest = page.getByTestId('brand-kit-version').first()
    expect(await newest.getAttribute('data-version')).toBe('2')
    expect(await newest.getByTestId('brand-kit-version-summary').textContent()).toBe('Changed colors and heading font')
    expect(await newest.textContent()).toContain('Erin Editor')
    expect(await page.getByTestId('brand-kit-version').count()).toBe(2)
    // Saved values come back into the editor and the preview.
    expect(await page.getByTestId('color-hex-0').inputValue()).toBe('#c0392b')
    expect(await styleOf(heading, 'fontFamily')()).toContain('Courier New')

    // A logo, placed where the kit says.
    await page.getByTestId('logo-position-select').selectOption('bottom-right')
    await page.getByTestId('save-brand-kit').click()
    await expect.poll(textOf(page.getByTestId('current-version')), { timeout: 15_000 }).toBe('Version 3')
    await page.getByTestId('logo-file-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: await pngImage(64, 32) })
    await page.getByTestId('upload-logo').click()
    await expect.poll(textOf(page.getByTestId('current-version')), { timeout: 15_000 }).toBe('Version 4')
    const logo = page.getByTestId('preview-logo')
    await expect.poll(() => logo.getAttribute('data-position').catch(() => null)).toBe('bottom-right')
    await expect.poll(() => logo.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth).catch(() => 0)).toBe(64)
    expect(await page.getByTestId('brand-kit-version-summary').first().textContent()).toBe('Uploaded a new logo')
    await page.screenshot({ path: path.join(screenshotDir, 'brand-kit-saved.png'), fullPage: true })

    // The workspace list shows the new palette.
    await page.goto(`${e2e.platform.webUrl}/workspaces`)
    expect(await page.getByTestId('workspace-row').first().textContent()).toContain('v4')
  }, 120_000)

  it('saves an edit without JavaScript (a plain form post)', async () => {
    const page = await newPage({ javaScriptEnabled: false })
    await signUp(page)
    await createWorkspace(page, `No JS ${randomUUID().slice(0, 6)}`)
    await page.getByTestId('body-font-input').fill('Verdana')
    await page.getByTestId('save-brand-kit').click()
    await page.waitForLoadState()
    await expect.poll(textOf(page.getByTestId('current-version')), { timeout: 15_000 }).toBe('Version 2')
    expect(await page.getByTestId('brand-kit-version-summary').first().textContent()).toBe('Changed body font')
    expect(await page.getByTestId('body-font-input').inputValue()).toBe('Verdana')
  }, 90_000)
})
