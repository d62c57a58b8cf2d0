// The web UI end to end in headless Chromium, against the real platform: PostgreSQL, a Temporal dev
// server, the worker, the API and the built web server, started by the start script (tests/support/platform.ts).
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { UUID, screenshotDir, useBrowserPlatform } from '../support/browser.ts'

const e2e = useBrowserPlatform()
const newPage = () => e2e.newPage({ viewport: { width: 1280, height: 860 } })

async function signIn(page: Page) {
  await page.goto(`${e2e.platform.webUrl}/campaigns`)
  // Not signed in yet: the signed-in layout sends the browser to /login and remembers where it was going.
  await page.waitForURL(`${e2e.platform.webUrl}/login?redirectTo=%2Fcampaigns`)
  await page.getByTestId('login-email').fill(e2e.platform.demoUser.email)
  await page.getByTestId('login-password').fill(e2e.platform.demoUser.password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(`${e2e.platform.webUrl}/campaigns`)
}

/** Creates a campaign through the form; returns its row in the list. */
async function createCampaign(page: Page, name: string) {
  await page.getByTestId('campaign-name-input').fill(name)
  await page.getByTestId('create-campaign').click()
  const row = page.getByTestId('campaign-row').filter({ hasText: name })
  await row.waitFor({ timeout: 20_000 })
  return row
}

/** The element's text once it is there, or null; for expect.poll while the page refreshes itself. */
function textOf(locator: Locator) {
  return () => locator.textContent({ timeout: 1_000 }).catch(() => null)
}

describe('campaign UI', () => {
  it('signs in, creates a campaign and follows its workflow live', async () => {
    const page = await newPage()
    await signIn(page)

    // The top bar shows the agency and, matching /api/meta, which integrations are stand-ins.
    expect(await page.getByTestId('agency-name').textContent()).not.toBe('')
    const meta = (await (await fetch(`${e2e.platform.apiUrl}/api/meta`)).json()) as {
      integrations: { ai: string; meta: string; tiktok: string }
    }
    const sandboxed = meta.integrations.meta === 'sandbox' || meta.integrations.tiktok === 'sandbox'
    expect(await page.getByTestId('sandbox-badge').isVisible()).toBe(sandboxed)
    expect(await page.getByTestId('offline-ai-badge').isVisible()).toBe(meta.integrations.ai === 'offline')

    const name = `E2E launch ${randomUUID().slice(0, 8)}`
    const row = await createCampaign(page, name)
    expect(await row.getByTestId('stage-badge').textContent()).toMatch(/^(scheduled|live)$/)
    expect(await page.getByTestId('campaign-name-input').inputValue()).toBe('')
    await page.screenshot({ path: path.join(screenshotDir, 'campaign-list.png'), fullPage: true })

    await row.getByRole('link', { name }).click()
    await page.waitForURL(new RegExp(`/campaigns/${UUID.source}$`))
    const campaignId = new URL(page.url()).pathname.split('/').at(-1)!
    expect(await page.getByTestId('campaign-name').textContent()).toBe(name)
    await expect.poll(textOf(page.getByTestId('workflow-status')), { timeout: 15_000 }).toBe('RUNNING')

    const temporalHref = await page.getByTestId('temporal-web-link').getAttribute('href')
    expect(temporalHref).toMatch(new RegExp(`campaign(%3A|:)${campaignId}`))
    expect(temporalHref?.startsWith(e2e.platform.temporalUiUrl)).toBe(true)

    // The platform launches campaigns 2 s after creation; the page refreshes itself into the new stage.
    const headerStage = page.getByTestId('campaign-header').getByTestId('stage-badge')
    await expect.poll(textOf(headerStage), { timeout: 30_000 }).toBe('live')
    expect(await page.getByTestId('stage-history').textContent()).toContain('live')
    await page.screenshot({ path: path.join(screenshotDir, 'campaign-detail.png'), fullPage: true })
  }, 90_000)

  it('pauses and resumes a campaign from its page', async () => {
    const page = await newPage()
    await signIn(page)
    const row = await createCampaign(page, `E2E pause ${randomUUID().slice(0, 8)}`)
    await row.getByRole('link').click()
    await page.waitForURL(new RegExp(`/campaigns/${UUID.source}$`))

    await page.getByTestId('pause-campaign').click()
    await expect.poll(textOf(page.getByTestId('workflow-paused')), { timeout: 15_000 }).toBe('Yes')
    await page.getByTestId('resume-campaign').waitFor()

    await page.getByTestId('resume-campaign').click()
    await expect.poll(textOf(page.getByTestId('workflow-paused')), { timeout: 15_000 }).toBe('No')
    await page.getByTestId('pause-campaign').waitFor()
  }, 90_000)
})
