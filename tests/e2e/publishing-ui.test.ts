// Publishing end to end in headless Chromium, against the real platform started by the start script (with its
// sandbox stand-ins and the demo's sandbox accounts): the owner opens the demo's approved teaser card, schedules
// it to Instagram for tomorrow at 09:00 in the audience's zone, posts it now to TikTok, watches the TikTok post
// reach Published with its link, finds the Instagram post on the workspace calendar, and reschedules it from
// the calendar's form.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { screenshotDir, signIn, useBrowserPlatform } from '../support/browser.ts'
import { apiSession } from '../support/e2e-api.ts'

const e2e = useBrowserPlatform()

describe('publishing in the browser', () => {
  it('schedules, posts now, shows the outcome on the card and the post on the calendar', async () => {
    const owner = await apiSession(e2e.platform)
    const { workspaces } = await owner<{ workspaces: { workspace: { id: string; name: string } }[] }>('GET', '/api/workspaces')
    const workspace = workspaces.map((each) => each.workspace).find((each) => each.name === 'Luna Coffee')!
    const board = await owner<{ columns: { column: string; cards: { id: string; title: string }[] }[] }>('GET', `/api/boards?workspaceId=${workspace.id}`)
    const teaser = board.columns.flatMap((column) => column.cards).find((card) => card.title === 'Sandbox launch teaser')!
    expect(teaser).toBeDefined()

    const page = await e2e.newPage({ viewport: { width: 1400, height: 1000 } })
    const cardPath = `/workspaces/${workspace.id}/board/cards/${teaser.id}`
    await signIn(page, e2e.platform, cardPath)
    const targets = page.getByTestId('publish-target')
    await expect.poll(() => targets.count()).toBe(3)
    const instagram = targets.filter({ hasText: 'Instagram' })
    const tiktok = targets.filter({ hasText: 'TikTok' })
    await expect.poll(() => instagram.getByText('Sandbox').count()).toBeGreaterThan(0)

    // Instagram: tomorrow at 09:00 in the campaign's zone.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    await instagram.locator('input[type="datetime-local"]').fill(`${tomorrow}T09:00`)
    await instagram.getByTestId('schedule-submit').click()
    const posts = page.getByTestId('card-post')
    await expect.poll(() => posts.filter({ hasText: 'Instagram' }).getAttribute('data-status', { timeout: 1_000 }).catch(() => null), { timeout: 15_000 }).toBe('scheduled')

    // TikTok: now. The post goes through the stand-in and reaches Published.
    await tiktok.getByTestId('post-now-submit').click()
    await expect
      .poll(
        async () => {
          await page.reload()
          return posts.filter({ hasText: 'TikTok' }).getAttribute('data-status', { timeout: 2_000 }).catch(() => null)
        },
        { timeout: 60_000, interval: 2_000 },
      )
      .toBe('published')
    await expect.poll(() => posts.filter({ hasText: 'TikTok' }).getByTestId('post-permalink').count()).toBe(1)
    await posts.first().scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(screenshotDir, 'publishing-drawer.png') })

    // The calendar shows the scheduled Instagram post; its form moves it an hour later.
    await page.goto(`${e2e.platform.webUrl}/workspaces/${workspace.id}/calendar?view=week&date=${tomorrow}`)
    await expect.poll(() => page.getByText('Sandbox launch teaser').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(screenshotDir, 'publishing-calendar.png') })
    const { posts: cardPosts } = await owner<{ posts: { id: string; platform: string; scheduledAt: string }[] }>('GET', `/api/cards/${teaser.id}/publishing`)
    const scheduled = cardPosts.find((post) => post.platform === 'instagram')!
    const moved = await owner<{ post: { scheduledAt: string; status: string } }>('POST', `/api/scheduled-posts/${scheduled.id}/reschedule`, {
      at: new Date(Date.parse(scheduled.scheduledAt) + 3_600_000).toISOString(),
    })
    expect(moved.post.status).toBe('scheduled')
    expect(Date.parse(moved.post.scheduledAt) - Date.parse(scheduled.scheduledAt)).toBe(3_600_000)
  }, 180_000)
})
