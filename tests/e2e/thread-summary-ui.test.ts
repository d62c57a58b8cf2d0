// "Summarize thread" in a card drawer's comments, in headless Chromium against the real platform started by the
// start script (tests/support/platform.ts): the demo agency's provider chain is set to the offline generator,
// so the summary is the extractive one and says so. With JavaScript the answer arrives without leaving the
// drawer; without it, the same form posts the page and the answer comes back with it.
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { screenshotDir, signIn, textOf, useBrowserPlatform } from '../support/browser.ts'
import { apiSession, newDemoCampaign } from '../support/e2e-api.ts'

const e2e = useBrowserPlatform()

/** A card in a new campaign of the demo workspace, with a short review thread. */
async function cardWithComments() {
  const api = await apiSession(e2e.platform)
  const { campaignId } = await newDemoCampaign(api, 'Summary E2E', ['instagram'])
  const { card } = await api<{ card: { id: string } }>('POST', '/api/cards', { campaignId, title: 'Cold brew reel', platform: 'instagram' })
  for (const body of [
    'The cold brew footage looks great. Can you swap the opening shot for the pour?',
    'Swapped the opening shot for the slow pour of the cold brew.',
    'Thanks!',
  ]) {
    await api('POST', `/api/cards/${card.id}/comments`, { body })
  }
  return { path: `/campaigns/${campaignId}/board/cards/${card.id}` }
}

beforeAll(async () => {
  // Whatever keys the environment has, the demo agency answers offline here.
  await (await apiSession(e2e.platform))('PUT', '/api/agency/ai-settings', { providerChain: ['offline'] })
})

describe('summarize a card’s thread', () => {
  it('shows the extractive summary in the drawer, with its provider and that no model wrote it', async () => {
    const card = await cardWithComments()
    const page = await e2e.newPage()
    await signIn(page, e2e.platform, card.path)
    const comments = page.getByRole('dialog').getByTestId('card-comments')
    await comments.getByTestId('thread-summary-submit').click()
    const result = comments.getByTestId('thread-summary-result')
    await result.waitFor({ timeout: 15_000 })
    expect(await result.getByTestId('thread-summary-provider').textContent()).toBe('Offline generator')
    expect(await result.getByTestId('thread-summary-offline').textContent()).toBe('Extractive summary (offline, no AI model)')
    expect(await result.locator('p').textContent()).toMatch(/^3 comments from /)
    const bullets = await result.locator('li').allTextContents()
    expect(bullets.some((bullet) => bullet.includes('asked: Can you swap the opening shot for the pour?'))).toBe(true)
    expect(bullets.join('\n')).not.toContain('Thanks!')
    // The drawer stayed where it was, and the button offers another go.
    expect(new URL(page.url()).pathname).toBe(card.path)
    await expect.poll(textOf(comments.getByTestId('thread-summary-submit'))).toBe('Summarize again')
    await page.screenshot({ path: path.join(screenshotDir, 'thread-summary-drawer.png') })
  }, 90_000)

  it('works without JavaScript: the form posts the page and the summary comes back with it', async () => {
    const card = await cardWithComments()
    const page = await e2e.newPage({ javaScriptEnabled: false })
    await signIn(page, e2e.platform, card.path)
    await page.getByTestId('thread-summary-submit').click()
    await page.waitForLoadState()
    const result = page.getByTestId('thread-summary-result')
    await result.waitFor({ timeout: 15_000 })
    expect(await result.getByTestId('thread-summary-offline').textContent()).toBe('Extractive summary (offline, no AI model)')
    // The summary's answer is not taken for another form's notice.
    expect(await page.getByTestId('card-notice').count()).toBe(0)
  }, 90_000)
})
