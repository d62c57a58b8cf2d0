// The web UI end to end in headless Chromium, against the real platform: PostgreSQL, a Temporal dev
// server, the worker, the API and the built web server, started by the start script (tests/support/platform.ts).
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../platform/config.ts'
import { preparePlatform, startPlatform, type PlatformSetup, type RunningPlatform } from '../support/platform.ts'

const CHROMIUM_PATH = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const screenshotDir = path.join(projectRoot, 'test-results')
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/

let setup: PlatformSetup
let platform: RunningPlatform
let browser: Browser

beforeAll(async () => {
  // Fail, never skip: a missing browser must not turn this suite green.
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`No Chromium at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\``)
  await mkdir(screenshotDir, { recursive: true })
  setup = await preparePlatform()
  platform = await startPlatform(setup)
  // A temporary profile per launch, so no state leaks between runs.
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await platform?.stop()
  await setup?.dropDatabase()
}, 60_000)

/** Uncaught errors in the browser (a failed hydration, say), checked after each test. */
let pageErrors: string[] = []

afterEach(() => {
  expect(pageErrors).toEqual([])
  pageErrors = []
})

/** A page in a context of its own: no cookies from another test. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
  return page
}

async function signIn(page: Page) {
  await page.goto(`${platform.webUrl}/campaigns`)
  // Not signed in yet: the signed-in layout sends the browser to /login and remembers where it was going.
  await page.waitForURL(`${platform.webUrl}/login?redirectTo=%2Fcampaigns`)
  await page.getByTestId('login-email').fill(platform.demoUser.email)
  await page.getByTestId('login-password').fill(platform.demoUser.password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(`${platform.webUrl}/campaigns`)
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
    const meta = (await (await fetch(`${platform.apiUrl}/api/meta`)).json()) as {
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
    expect(temporalHref?.startsWith(platform.temporalUiUrl)).toBe(true)

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
