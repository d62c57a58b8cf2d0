// Browser tests in headless Chromium against the real platform, started by the start script
// (tests/support/platform.ts). `useBrowserPlatform()` registers the suite's hooks: start the platform and the
// browser once, stop both after, and fail any test in which the page threw (a failed hydration, say).
// `signIn` goes through the login page as a person would; `textOf` reads an element for expect.poll.
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { projectRoot } from '../../platform/config.ts'
import type { Login } from './e2e-api.ts'
import { preparePlatform, startPlatform, type PlatformSetup, type RunningPlatform } from './platform.ts'

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

/** Where browser tests leave their screenshots. */
export const screenshotDir = path.join(projectRoot, 'test-results')
export const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/

export interface BrowserPlatform {
  /** The running platform (available inside tests). */
  readonly platform: RunningPlatform
  /** A page in a browser context of its own: no cookies from another test. */
  newPage(options?: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } }): Promise<Page>
}

export function useBrowserPlatform(): BrowserPlatform {
  let setup: PlatformSetup | undefined
  let platform: RunningPlatform | undefined
  let browser: Browser | undefined
  let pageErrors: string[] = []

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

  afterEach(() => {
    expect(pageErrors).toEqual([])
    pageErrors = []
  })

  return {
    get platform() {
      if (!platform) throw new Error('the platform is not running (is this inside a test?)')
      return platform
    },
    async newPage({ javaScriptEnabled, viewport = { width: 1280, height: 900 } } = {}) {
      const context = await browser!.newContext({ viewport, ...(javaScriptEnabled === undefined ? {} : { javaScriptEnabled }) })
      const page = await context.newPage()
      page.on('pageerror', (error) => pageErrors.push(error.message))
      return page
    },
  }
}

/**
 * Opens `next` (a path, with its query if any) signed out, is sent to the login page, which remembers where it
 * was going, signs in as `login` (the seeded demo owner unless given) and lands back on `next`.
 */
export async function signIn(page: Page, platform: Pick<RunningPlatform, 'webUrl' | 'demoUser'>, next: string, login: Login = platform.demoUser) {
  const pathOf = (url: URL) => `${url.pathname}${url.search}`
  const loginPath = `/login?${new URLSearchParams({ redirectTo: next })}`
  await page.goto(`${platform.webUrl}${next}`)
  await page.waitForURL((url) => pathOf(url) === loginPath)
  await page.getByTestId('login-email').fill(login.email)
  await page.getByTestId('login-password').fill(login.password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((url) => pathOf(url) === next, { timeout: 30_000 })
}

/** The element's text once it is there, or null; for expect.poll while the page changes. */
export function textOf(locator: Locator) {
  return () => locator.textContent({ timeout: 1_000 }).catch(() => null)
}
