// The review grid end to end in headless Chromium, against the real platform started by the start script
// (tests/support/platform.ts): a creator submits a captioned card and a card with AI-drafted captions (which
// opens their approval rounds); a manager signs in, opens the workspace's review grid, sees the AI variants side
// by side with their scores, ticks the first card and approves the selection, reads the per-card result, starts
// an edit of the other card's caption from a variant, finds the first card under "Approved", and sees it in the
// Approved column of the board once the round's workflow has moved it. The same approval works without
// JavaScript, through the forms alone.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { RUBRICS } from '../../domain/rubric.ts'
import { screenshotDir, signIn, textOf, useBrowserPlatform } from '../support/browser.ts'
import { apiSession, newCreatorMember, newDemoCampaign, newMember, type ApiSession } from '../support/e2e-api.ts'
import { pngImage } from '../support/media-fixtures.ts'

const e2e = useBrowserPlatform()

interface CardSummary {
  id: string
  column: string
  version: number
}

/**
 * The demo owner's session, a manager, a creator member linked to a creator profile, and a new campaign in the
 * demo workspace.
 */
async function reviewTeam(campaignName: string) {
  const owner = await apiSession(e2e.platform)
  const manager = await newMember(e2e.platform, owner, 'manager')
  const creator = await newCreatorMember(e2e.platform, owner)
  const { workspaceId, campaignId } = await newDemoCampaign(owner, campaignName, ['instagram'])
  return { owner, manager, creator, workspaceId, campaignId }
}

/** A card with three AI-drafted captions (the offline generator, scored), for an image uploaded into the workspace. */
async function aiDraftedCard(api: ApiSession, workspaceId: string, campaignId: string): Promise<string> {
  const upload = new FormData()
  upload.append('files', new Blob([new Uint8Array(await pngImage(96, 64, 180))], { type: 'image/png' }), 'latte-art.png')
  const { assets } = await api<{ assets: { asset: { id: string } }[] }>('POST', `/api/workspaces/${workspaceId}/assets`, upload)
  const { batch } = await api<{ batch: { id: string } }>('POST', `/api/workspaces/${workspaceId}/ai-batches`, {
    campaignId,
    assetIds: [assets[0]!.asset.id],
    formats: ['instagram'],
    variantsPerItem: 3,
    providerChain: ['offline'],
  })
  const read = () => api<{ batch: { status: string; items: { card: { id: string } | null }[] } }>('GET', `/api/ai-batches/${batch.id}`)
  await expect.poll(async () => (await read()).batch.status, { timeout: 60_000 }).toBe('completed')
  return (await read()).batch.items[0]!.card!.id
}

describe('review grid UI', () => {
  it('a manager selects a submitted card in the review grid, approves it, and finds it approved on the board', async () => {
    const { owner, manager, creator, workspaceId, campaignId } = await reviewTeam('Review E2E')
    const caption = 'Morning pour-over, bright and floral. #slowcoffee'
    const { card: created } = await owner<{ card: CardSummary }>('POST', '/api/cards', { campaignId, title: 'Pour-over ritual reel', platform: 'instagram', assigneeCreatorId: creator.creatorId, caption })
    const aiCardId = await aiDraftedCard(owner, workspaceId, campaignId)
    const { card: aiCard } = await owner<{ card: CardSummary }>('GET', `/api/cards/${aiCardId}`)
    await owner('PATCH', `/api/cards/${aiCardId}`, { version: aiCard.version, assigneeCreatorId: creator.creatorId })

    // The creator carries both cards to submission: that opens their approval rounds.
    const creatorApi = await apiSession(e2e.platform, creator.login)
    let card = created
    for (const cardId of [aiCardId, created.id]) {
      let moving = (await creatorApi<{ card: CardSummary }>('GET', `/api/cards/${cardId}`)).card
      for (const to of ['In_Progress', 'Submitted_By_Creator']) moving = (await creatorApi<{ card: CardSummary }>('POST', `/api/cards/${cardId}/move`, { version: moving.version, to })).card
      if (cardId === created.id) card = moving
    }
    const { current } = await owner<{ current: { status: string; captionVersion: number } | null }>('GET', `/api/cards/${card.id}/approval`)
    expect(current).toMatchObject({ status: 'pending', captionVersion: 1 })

    const page = await e2e.newPage()
    const reviewPath = `/workspaces/${workspaceId}/review`
    await signIn(page, e2e.platform, reviewPath, manager.login)
    const tile = page.locator(`[data-testid="review-card"][data-card-id="${card.id}"]`)
    await tile.waitFor()
    expect(await tile.getByTestId('review-round-status').getAttribute('data-status')).toBe('pending')
    expect(await textOf(tile.getByTestId('review-card-title'))()).toBe('Pour-over ritual reel')
    expect(await textOf(tile.getByTestId('review-caption'))()).toContain(caption)
    expect(await tile.getByTestId('review-step').textContent()).toBeTruthy()

    // The AI card shows its three variants side by side, scored on the four rubrics (reasons on hover), and
    // marks the one under review: the best, which landed last.
    const aiTile = page.locator(`[data-testid="review-card"][data-card-id="${aiCardId}"]`)
    const variants = aiTile.getByTestId('review-variant')
    expect(await variants.count()).toBe(3)
    expect(await aiTile.locator('[data-testid="review-variant"][data-under-review="true"]').count()).toBe(1)
    const rubrics = aiTile.getByTestId('review-rubric')
    expect(await rubrics.count()).toBe(3 * RUBRICS.length)
    for (const reason of await rubrics.evaluateAll((rows) => rows.map((row) => row.getAttribute('title')))) expect(reason).toBeTruthy()
    const overall = await aiTile.locator('[data-testid="review-variant"][data-under-review="true"]').getByTestId('review-variant-overall').textContent()
    expect(Number(overall)).toBeGreaterThanOrEqual(0)

    // The shortcuts: ? lists them, x ticks the focused card and unticks it again.
    await page.keyboard.press('?')
    await page.getByTestId('review-shortcuts').waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('review-shortcuts').isVisible()).toBe(false)
    await tile.focus()
    await page.keyboard.press('x')
    await expect.poll(() => tile.getByTestId('review-select').isChecked()).toBe(true)
    await page.keyboard.press('x')
    await expect.poll(() => tile.getByTestId('review-select').isChecked()).toBe(false)

    // Nothing is selected now, so the batch buttons wait; ticking the card enables them.
    const approveSelected = page.getByTestId('review-approve-selected')
    await expect.poll(() => approveSelected.isDisabled()).toBe(true)
    await tile.getByTestId('review-select').check()
    await expect.poll(() => approveSelected.isDisabled()).toBe(false)
    // A focused checkbox is not a text field: x still works from it.
    await page.keyboard.press('x')
    await expect.poll(() => tile.getByTestId('review-select').isChecked()).toBe(false)
    await page.keyboard.press('x')
    await expect.poll(() => tile.getByTestId('review-select').isChecked()).toBe(true)
    await expect.poll(textOf(page.getByTestId('review-selected-count'))).toMatch(/^1 of \d+ selected$/)
    await page.screenshot({ path: path.join(screenshotDir, 'review-grid.png'), fullPage: true })
    await approveSelected.click()

    // The answer, card by card.
    const result = page.locator(`[data-testid="review-result"][data-card-id="${card.id}"]`)
    await result.waitFor({ timeout: 15_000 })
    expect(await result.getAttribute('data-ok')).toBe('true')
    expect(await textOf(result.getByTestId('review-result-heading'))()).toBe('Approved')
    expect(await textOf(result)()).toContain('Pour-over ritual reel')
    // The pending grid no longer lists it; the card nobody ticked waits still.
    await expect.poll(() => tile.count(), { timeout: 10_000 }).toBe(0)
    expect(await aiTile.getByTestId('review-round-status').getAttribute('data-status')).toBe('pending')

    // "Use this variant": the caption edit opens on a variant's text; saving makes it the version under review.
    const other = aiTile.locator('[data-testid="review-variant"][data-under-review="false"]').first()
    const otherText = (await other.getByTestId('review-variant-text').textContent())!
    const reviewedVersion = Number(await aiTile.getByTestId('review-caption').getAttribute('data-version'))
    await other.getByTestId('use-variant').click()
    const editText = aiTile.getByTestId('review-edit-text')
    await expect.poll(() => editText.isVisible()).toBe(true)
    expect(await editText.inputValue()).toBe(otherText)
    await aiTile.getByTestId('review-edit-save').click()
    await expect.poll(textOf(page.getByTestId('review-edit-notice')), { timeout: 15_000 }).toContain(`caption version ${reviewedVersion + 1}`)
    await expect.poll(() => aiTile.getByTestId('review-caption').getAttribute('data-version'), { timeout: 10_000 }).toBe(String(reviewedVersion + 1))
    // Now a hand edit is under review, none of the variants as they were.
    expect(await aiTile.locator('[data-testid="review-variant"][data-under-review="true"]').count()).toBe(0)

    // Under "Approved" the approved card is listed, with nothing left to decide.
    await page.getByTestId('review-filter-status').selectOption('approved')
    await page.getByTestId('review-filter-apply').click()
    await page.waitForURL((url) => url.searchParams.get('status') === 'approved')
    await tile.waitFor({ timeout: 10_000 })
    expect(await tile.getByTestId('review-round-status').getAttribute('data-status')).toBe('approved')
    expect(await tile.getByTestId('review-select').isDisabled()).toBe(true)
    await page.screenshot({ path: path.join(screenshotDir, 'review-grid-approved.png'), fullPage: true })

    // The round's workflow moved the card to Approved on the board.
    const { current: decided } = await owner<{ current: { status: string; decisions: { kind: string; by: { userId: string } }[] } }>('GET', `/api/cards/${card.id}/approval`)
    expect(decided).toMatchObject({ status: 'approved', decisions: [{ kind: 'approve', by: { userId: manager.userId } }] })
    await expect.poll(async () => (await owner<{ card: CardSummary }>('GET', `/api/cards/${card.id}`)).card.column, { timeout: 15_000 }).toBe('Approved')
    await page.goto(`${e2e.platform.webUrl}/campaigns/${campaignId}/board`)
    const boardTile = page.locator(`[data-testid="board-card"][data-card-id="${card.id}"]`)
    await boardTile.waitFor({ timeout: 10_000 })
    expect(await boardTile.getAttribute('data-column')).toBe('Approved')
  }, 150_000)

  it('approves a selected card without JavaScript', async () => {
    const { owner, manager, creator, workspaceId, campaignId } = await reviewTeam('Review no-JS')
    let { card } = await owner<{ card: CardSummary }>('POST', '/api/cards', { campaignId, title: 'Cold brew pour', platform: 'instagram', assigneeCreatorId: creator.creatorId, caption: 'Slow steeped, twelve hours.' })
    const creatorApi = await apiSession(e2e.platform, creator.login)
    for (const to of ['In_Progress', 'Submitted_By_Creator']) card = (await creatorApi<{ card: CardSummary }>('POST', `/api/cards/${card.id}/move`, { version: card.version, to })).card

    const page = await e2e.newPage({ javaScriptEnabled: false })
    await signIn(page, e2e.platform, `/workspaces/${workspaceId}/review`, manager.login)
    const tile = page.locator(`[data-testid="review-card"][data-card-id="${card.id}"]`)
    // "Share selected with the client" opens the share page with the ticked card chosen.
    await tile.getByTestId('review-select').check()
    await page.getByTestId('review-share-selected').click()
    await page.waitForURL((url) => url.pathname === `/workspaces/${workspaceId}/review-links`)
    expect(new URL(page.url()).searchParams.getAll('cardId')).toEqual([card.id])
    expect(await page.locator(`input[name="cardIds"][value="${card.id}"]`).isChecked()).toBe(true)
    await page.goto(`${e2e.platform.webUrl}/workspaces/${workspaceId}/review`)
    await tile.getByTestId('review-select').check()
    await page.getByTestId('review-approve-selected').click()
    const result = page.locator(`[data-testid="review-result"][data-card-id="${card.id}"]`)
    await result.waitFor({ timeout: 15_000 })
    expect(await result.getAttribute('data-ok')).toBe('true')
    expect(await textOf(result.getByTestId('review-result-heading'))()).toBe('Approved')
    expect(await tile.count()).toBe(0)
    const { current } = await owner<{ current: { status: string } }>('GET', `/api/cards/${card.id}/approval`)
    expect(current.status).toBe('approved')
  }, 90_000)
})
