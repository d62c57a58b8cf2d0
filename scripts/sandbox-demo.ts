// The demo's sandbox accounts, run by `npm start` once the stand-ins are up. The stand-ins keep their tokens in
// memory, so every start issues the sandbox accounts fresh ones (through the stand-ins' control APIs) and seals
// them as a connect would; real accounts are never touched. On first start the demo creator, Maya, also gets an
// Instagram, a Facebook and a TikTok sandbox account, and the demo campaign an approved card targeting them with
// a draft image, so a new user can schedule and publish right away and watch the metrics arrive.
import { createHash, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import sharp from 'sharp'
import { sealAccountTokens } from '../activities/social-accounts'
import { positionsForAppend } from '../domain/content-board'
import { DEMO_AGENCY_SLUG } from '../prisma/seed'
import type { Database } from '../platform/database'
import { lastPosition } from '../platform/board-changes'
import type { FileStorage } from '../platform/storage'
import type { TokenCipher } from '../platform/token-cipher'
import { META_SANDBOX_PAGES } from '../sandbox/meta'
import { TIKTOK_SANDBOX_USERS } from '../sandbox/tiktok'

const DEMO_CARD_TITLE = 'Sandbox launch teaser'

async function control(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) })
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as Record<string, unknown>
}

/** A fresh token from the stand-in for a sandbox account, or null when the stand-in has no such account. */
async function sandboxToken(sandboxUrl: string, account: { platform: string; externalId: string }): Promise<string | null> {
  if (account.platform === 'tiktok') {
    if (!TIKTOK_SANDBOX_USERS.some((user) => user.openId === account.externalId)) return null
    return String((await control(`${sandboxUrl}/tiktok/__sandbox/access-tokens/issue`, { open_id: account.externalId })).access_token)
  }
  const page = META_SANDBOX_PAGES.find((each) => each.id === account.externalId || each.instagram?.id === account.externalId)
  if (!page) return null
  return String((await control(`${sandboxUrl}/meta/__sandbox/page-tokens/issue`, { page_id: page.id })).access_token)
}

export async function prepareSandboxDemo(options: { db: Database; cipher: TokenCipher; storage: FileStorage; sandboxUrl: string }): Promise<{ accounts: number; cardCreated: boolean }> {
  const { db, cipher, storage, sandboxUrl } = options
  const cardCreated = await ensureDemoAccountsAndCard(db, storage)
  const accounts = await db.socialAccount.findMany({ where: { sandbox: true, status: { not: 'disconnected' } } })
  let refreshed = 0
  for (const account of accounts) {
    const token = await sandboxToken(sandboxUrl, account)
    if (!token) continue
    await db.socialAccount.update({
      where: { id: account.id },
      data: { ...sealAccountTokens(cipher, account.id, { accessToken: token, refreshToken: null }), status: 'active', statusReason: null, tokenExpiresAt: null, throttledUntil: null },
    })
    refreshed += 1
  }
  return { accounts: refreshed, cardCreated }
}

/** Maya's three sandbox accounts and the approved demo card, made once. */
async function ensureDemoAccountsAndCard(db: Database, storage: FileStorage): Promise<boolean> {
  const agency = await db.agency.findUnique({ where: { slug: DEMO_AGENCY_SLUG } })
  if (!agency) return false
  const campaign = await db.campaign.findFirst({ where: { agencyId: agency.id }, orderBy: { createdAt: 'asc' } })
  const maya = await db.creator.findFirst({ where: { agencyId: agency.id }, orderBy: { createdAt: 'asc' } })
  if (!campaign || !maya) return false
  if (await db.contentTask.findFirst({ where: { campaignId: campaign.id, title: DEMO_CARD_TITLE } })) return false
  const owner = await db.user.findFirst({ where: { agencyId: agency.id, role: 'owner' }, orderBy: { createdAt: 'asc' } })
  const page = META_SANDBOX_PAGES[0]!
  const tiktokUser = TIKTOK_SANDBOX_USERS[0]!
  const wanted = [
    { platform: 'instagram', externalId: page.instagram!.id, handle: page.instagram!.username },
    { platform: 'facebook', externalId: page.id, handle: page.name },
    { platform: 'tiktok', externalId: tiktokUser.openId, handle: tiktokUser.username },
  ]
  const accountIds: string[] = []
  for (const account of wanted) {
    const row = await db.socialAccount.upsert({
      where: { agencyId_platform_externalId: { agencyId: agency.id, platform: account.platform, externalId: account.externalId } },
      // The token is issued by prepareSandboxDemo right after.
      create: { agencyId: agency.id, creatorId: maya.id, ...account, sandbox: true, scopes: [], connectedById: owner?.id ?? null, status: 'active' },
      update: {},
    })
    accountIds.push(row.id)
  }
  // A warm, plain 1080×1080 JPEG stands for the teaser's photo.
  const image = await sharp({ create: { width: 1080, height: 1080, channels: 3, background: { r: 176, g: 112, b: 64 } } }).jpeg({ quality: 80 }).toBuffer()
  const storageKey = `${agency.id}/demo/${randomUUID()}.jpg`
  await storage.put(storageKey, Readable.from([image]), { maxBytes: image.length + 1, contentType: 'image/jpeg' })
  const file = await db.storedFile.create({
    data: {
      agencyId: agency.id,
      workspaceId: campaign.workspaceId,
      storageKey,
      originalName: 'sandbox-teaser.jpg',
      mimeType: 'image/jpeg',
      kind: 'image',
      byteSize: image.length,
      sha256: createHash('sha256').update(image).digest('hex'),
      width: 1080,
      height: 1080,
      createdById: owner?.id ?? null,
    },
  })
  await db.$transaction(async (tx) => {
    const [position] = positionsForAppend(await lastPosition(tx, agency.id, campaign.workspaceId, 'Approved'), 1)
    const card = await tx.contentTask.create({
      data: {
        agencyId: agency.id,
        workspaceId: campaign.workspaceId,
        campaignId: campaign.id,
        title: DEMO_CARD_TITLE,
        description: 'Approved and ready: schedule it to the sandbox accounts (they publish to local stand-ins, nothing leaves this machine).',
        platform: 'instagram',
        kind: 'post',
        column: 'Approved',
        position: position!,
        targetAccountIds: accountIds,
        assigneeCreatorId: maya.id,
        createdById: owner?.id ?? null,
      },
    })
    await tx.captionVersion.create({ data: { agencyId: agency.id, cardId: card.id, version: 1, text: 'Ethiopia Guji lands Friday. Jasmine, peach, a long sweet finish. #LunaCoffee', source: 'manual', createdById: owner?.id ?? null } })
    await tx.cardAsset.create({ data: { agencyId: agency.id, cardId: card.id, fileId: file.id, role: 'draft', addedById: owner?.id ?? null } })
    await tx.cardActivity.create({ data: { agencyId: agency.id, cardId: card.id, actorUserId: owner?.id ?? null, actorLabel: owner?.name ?? 'Greenlight', kind: 'created', detail: { source: 'demo' } } })
  })
  return true
}
