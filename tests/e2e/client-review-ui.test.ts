// Client review links end to end in headless Chromium, against the real platform started by the start script
// (tests/support/platform.ts): a card submitted by its creator passes the internal step of a two-level policy;
// the owner shares it on the review links page and copies the link shown once; a client without an account
// opens it, sees the draft and the caption, comments without JavaScript and approves with it; the round ends
// approved under the client's name; and once the owner revokes the link, it opens a page that says so.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ApprovalPolicy } from '../../domain/approvals.ts'
import { pngImage } from '../support/media-fixtures.ts'
import { screenshotDir, signIn, textOf, useBrowserPlatform } from '../support/browser.ts'
import { apiSession, newCreatorMember, newDemoCampaign, type ApiSession } from '../support/e2e-api.ts'

const e2e = useBrowserPlatform()

const twoLevel: ApprovalPolicy = {
  mode: 'multi_level',
  steps: [
    { name: 'Internal review', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['owner', 'manager'] },
    { name: 'Client sign-off', audience: 'client', rule: 'any', approverUserIds: [], approverRoles: ['client_approver'] },
  ],
  deadlines: { dueAfterHours: 48, remindBeforeHours: [], escalateAfterHours: null, expireAfterHours: null },
}

/** A card with a caption and a draft image, submitted by its creator and approved in the internal step. */
async function cardAwaitingClient(api: ApiSession) {
  const { workspaceId, campaignId } = await newDemoCampaign(api, 'Client review', ['instagram'])
  await api('PUT', `/api/workspaces/${workspaceId}/approval-policy`, { policy: twoLevel })
  const creator = await newCreatorMember(e2e.platform, api)
  const title = `Launch reel ${randomUUID().slice(0, 6)}`
  const { card } = await api<{ card: { id: string } }>('POST', '/api/cards', { campaignId, title, platform: 'instagram', assigneeCreatorId: creator.creatorId })
  await api('POST', `/api/cards/${card.id}/captions`, { text: 'Slow mornings, cold brew.', baseVersion: 0 })
  const form = new FormData()
  form.append('files', new Blob([new Uint8Array(await pngImage(120, 90, 90))], { type: 'image/png' }), 'draft.png')
  const { assets } = await api<{ assets: { asset: { id: string } }[] }>('POST', `/api/workspaces/${workspaceId}/assets`, form)
  await api('POST', `/api/cards/${card.id}/assets`, { fileId: assets[0]!.asset.id, role: 'draft' })
  const creatorApi = await apiSession(e2e.platform, creator.login)
  for (const to of ['In_Progress', 'Submitted_By_Creator']) {
    const { card: current } = await api<{ card: { version: number } }>('GET', `/api/cards/${card.id}`)
    await creatorApi('POST', `/api/cards/${card.id}/move`, { version: current.version, to })
  }
  await api('POST', `/api/cards/${card.id}/approval/decisions`, { kind: 'approve', captionVersion: 1 })
  return { workspaceId, cardId: card.id, title }
}

describe('client review links UI', () => {
  it('shares a card, the client comments and approves without an account, and a revoked link says so', async () => {
    const api = await apiSession(e2e.platform)
    const { workspaceId, cardId, title } = await cardAwaitingClient(api)

    // The owner shares the card (chosen in advance by the address) and copies the link shown once.
    const owner = await e2e.newPage()
    await signIn(owner, e2e.platform, `/workspaces/${workspaceId}/review-links?cardId=${cardId}`)
    const choice = owner.locator(`[data-testid="share-card"][value="${cardId}"]`)
    expect(await choice.isChecked()).toBe(true)
    await owner.getByTestId('share-client-name').fill('Dana Client')
    await owner.getByTestId('share-submit').click()
    const urlField = owner.getByTestId('new-review-link-url')
    await urlField.waitFor({ timeout: 15_000 })
    const link = await urlField.inputValue()
    expect(link).toMatch(/\/review\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/)
    expect(await owner.locator('[data-testid="review-link-row"]').first().getAttribute('data-status')).toBe('active')
    await owner.screenshot({ path: path.join(screenshotDir, 'review-links.png'), fullPage: true })
    const clientPath = new URL(link).pathname

    // The client, with no session and no JavaScript, comments.
    const plain = await e2e.newPage({ javaScriptEnabled: false })
    await plain.goto(`${e2e.platform.webUrl}${clientPath}`)
    const card = plain.locator(`[data-testid="client-review-card"][data-card-id="${cardId}"]`)
    expect(await card.getAttribute('data-can-decide')).toBe('true')
    expect(await card.getByRole('heading', { name: title }).count()).toBe(1)
    await card.getByTestId('client-review-comment').fill('Could the logo be larger?')
    await card.getByTestId('client-review-send-comment').click()
    await expect.poll(textOf(plain.getByTestId('client-review-notice')), { timeout: 15_000 }).toBe('Comment sent to the team.')

    // With JavaScript: the draft shows through the link, and the client approves.
    const client = await e2e.newPage()
    await client.goto(`${e2e.platform.webUrl}${clientPath}`)
    await expect.poll(() => client.getByTestId('client-review-image').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0)
    expect(await textOf(client.getByTestId('client-review-caption'))()).toContain('Slow mornings, cold brew.')
    await client.screenshot({ path: path.join(screenshotDir, 'client-review.png'), fullPage: true })
    await client.getByTestId('client-review-approve').click()
    await expect.poll(textOf(client.getByTestId('client-review-notice')), { timeout: 15_000 }).toBe('Approved: thank you.')
    await expect.poll(() => client.getByTestId('client-review-status').getAttribute('data-status', { timeout: 1_000 }).catch(() => null)).toBe('approved')
    const approval = await api<{ current: { status: string; decisions: { by: { name: string; role: string } }[] } }>('GET', `/api/cards/${cardId}/approval`)
    expect(approval.current.status).toBe('approved')
    expect(approval.current.decisions.at(-1)?.by).toMatchObject({ name: 'Dana Client', role: 'client_approver' })
    const detail = await api<{ comments: { authorName: string; body: string }[] }>('GET', `/api/cards/${cardId}`)
    expect(detail.comments).toContainEqual(expect.objectContaining({ authorName: 'Dana Client (client)', body: 'Could the logo be larger?' }))

    // Revoked on the owner's page, the link opens a page that says so.
    await owner.reload()
    await owner.locator('[data-testid="review-link-row"][data-status="active"]').first().getByTestId('review-link-revoke').click()
    await expect.poll(textOf(owner.getByTestId('review-links-notice')), { timeout: 15_000 }).toContain('is revoked')
    const after = await plain.goto(`${e2e.platform.webUrl}${clientPath}`)
    expect(after?.status()).toBe(410)
    expect(await plain.getByTestId('client-review-problem').getAttribute('data-code')).toBe('REVIEW_LINK_REVOKED')
  })
})
