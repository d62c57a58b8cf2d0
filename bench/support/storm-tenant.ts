// The publish-storm benchmark's world: the Meta and TikTok stand-ins with as many Pages, Instagram accounts and
// TikTok creators as the storm has accounts, and limits sized for it; an agency whose creator has those accounts
// connected (tokens issued by the stand-ins, sealed as a connect seals them); and approved cards, each with a
// caption no other card has and a JPEG draft, each targeting one account.
import { createHash, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import sharp from 'sharp'
import { sealAccountTokens } from '../../activities/social-accounts'
import type { SocialPlatform } from '../../domain/brand-kit'
import { positionsForAppend } from '../../domain/content-board'
import type { Database } from '../../platform/database'
import type { FileStorage } from '../../platform/storage'
import type { TokenCipher } from '../../platform/token-cipher'
import { createMetaStandIn, type MetaSandboxPage, type MetaStandIn } from '../../sandbox/meta'
import { createSandboxServer } from '../../sandbox/server'
import { createTikTokStandIn, type TikTokSandboxUser, type TikTokStandIn } from '../../sandbox/tiktok'

const TIKTOK_SCOPES = ['user.info.basic', 'video.publish', 'video.upload', 'video.list']

/** One platform account of the storm, as the stand-ins know it. */
export interface StormTarget {
  platform: SocialPlatform
  externalId: string
  handle: string
  accessToken: string
}

export interface StormStandIns {
  base: string
  meta: MetaStandIn
  tiktok: TikTokStandIn
  targets: StormTarget[]
  stop(): Promise<void>
}

/** Accounts split across the platforms as evenly as they go, Instagram first (50 → 17 / 17 / 16). */
export function accountsPerPlatform(accounts: number): Record<SocialPlatform, number> {
  const instagram = Math.ceil(accounts / 3)
  const facebook = Math.ceil((accounts - instagram) / 2)
  return { instagram, facebook, tiktok: accounts - instagram - facebook }
}

/**
 * The stand-ins on a port of this process. Sized for the storm: each account may take `postsPerAccount` posts a
 * day (Instagram's quota, TikTok's daily cap), the app's hourly Graph allowance and TikTok's per-minute limits
 * are far above what the storm calls (the real ones would throttle 20 posts an account in one second: the
 * benchmark measures Greenlight, not the platforms' limits), the client is audited (no unaudited creator cap),
 * and media is "processed" in `processingMs`.
 */
export async function startStormStandIns(options: { accounts: number; postsPerAccount: number; processingMs: number }): Promise<StormStandIns> {
  const split = accountsPerPlatform(options.accounts)
  const pad = (n: number, width: number) => String(n).padStart(width, '0')
  // Pages with an Instagram account for the Instagram targets, Pages of their own for the Facebook ones.
  const pages: MetaSandboxPage[] = [
    ...Array.from({ length: split.instagram }, (_, i) => ({ id: `1046${pad(i + 1, 11)}`, name: `Storm Shop ${i + 1}`, instagram: { id: `178415${pad(i + 1, 11)}`, username: `storm.shop${i + 1}` } })),
    ...Array.from({ length: split.facebook }, (_, i) => ({ id: `1047${pad(i + 1, 11)}`, name: `Storm Page ${i + 1}`, instagram: null })),
  ]
  const users: TikTokSandboxUser[] = Array.from({ length: split.tiktok }, (_, i) => ({ openId: `-000storm-creator-${pad(i + 1, 4)}`, displayName: `Storm Creator ${i + 1}`, username: `storm.creator${i + 1}` }))
  const generous = options.postsPerAccount * 100
  const meta = createMetaStandIn({
    pages,
    appCallsPerHour: 10_000_000,
    publishing: { containerProcessingMs: options.processingMs, instagramQuotaTotal: options.postsPerAccount },
  })
  const tiktok = createTikTokStandIn({
    users,
    publishing: {
      unaudited: false,
      dailyPostCap: options.postsPerAccount,
      activeUserCap: options.accounts,
      processingDelayMs: options.processingMs,
      rateLimits: { creator_info: generous, video_init: generous, content_init: generous, status_fetch: generous },
    },
  })
  const server = createSandboxServer([meta, tiktok])
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const targets: StormTarget[] = []
  for (const page of pages) {
    const accessToken = meta.issuePageToken(page.id)
    targets.push(page.instagram ? { platform: 'instagram', externalId: page.instagram.id, handle: page.instagram.username, accessToken } : { platform: 'facebook', externalId: page.id, handle: page.name, accessToken })
  }
  for (const user of users) targets.push({ platform: 'tiktok', externalId: user.openId, handle: user.username, accessToken: tiktok.issueAccessToken(user.openId, TIKTOK_SCOPES) })
  return {
    base,
    meta,
    tiktok,
    targets,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export interface StormAccount extends StormTarget {
  id: string
}

export interface StormTenant {
  agencyId: string
  ownerEmail: string
  password: string
  creatorId: string
  /** Workspaces with one campaign each; accounts' cards are spread over them. */
  workspaces: { id: string; campaignId: string }[]
  accounts: StormAccount[]
  /** The JPEG every card carries as its draft. */
  fileId: string
}

export async function seedStormTenant(
  db: Database,
  options: { cipher: TokenCipher; storage: FileStorage; targets: StormTarget[]; workspaces: number; passwordHash: string; password: string },
): Promise<StormTenant> {
  const agency = await db.agency.create({ data: { name: 'Storm Agency', slug: `storm-${randomUUID()}`, plan: 'enterprise' } })
  const ownerEmail = 'owner@storm.test'
  await db.user.create({ data: { agencyId: agency.id, email: ownerEmail, name: 'Storm Owner', role: 'owner', passwordHash: options.passwordHash } })
  const creator = await db.creator.create({ data: { agencyId: agency.id, displayName: 'Storm Creator' } })
  const workspaces: StormTenant['workspaces'] = []
  for (let i = 0; i < options.workspaces; i++) {
    const workspace = await db.workspace.create({ data: { agencyId: agency.id, name: `Storm Client ${i + 1}`, clientName: `Storm Client ${i + 1}` } })
    const campaignId = randomUUID()
    await db.campaign.create({ data: { id: campaignId, agencyId: agency.id, workspaceId: workspace.id, name: `Launch ${i + 1}`, status: 'active', platforms: ['instagram', 'facebook', 'tiktok'], timeZone: 'UTC', workflowId: `campaign:${campaignId}` } })
    workspaces.push({ id: workspace.id, campaignId })
  }
  const accounts: StormAccount[] = options.targets.map((target) => ({ ...target, id: randomUUID() }))
  await db.socialAccount.createMany({
    data: accounts.map((account) => ({
      id: account.id,
      agencyId: agency.id,
      creatorId: creator.id,
      platform: account.platform,
      externalId: account.externalId,
      handle: account.handle,
      sandbox: true,
      scopes: [],
      tokenExpiresAt: new Date(Date.now() + 30 * 86_400_000),
      ...sealAccountTokens(options.cipher, account.id, { accessToken: account.accessToken, refreshToken: null }),
    })),
  })
  const jpeg = await sharp({ create: { width: 320, height: 320, channels: 3, background: { r: 200, g: 80, b: 40 } } }).jpeg().toBuffer()
  const storageKey = `storm/${randomUUID()}.jpg`
  await options.storage.put(storageKey, Readable.from([jpeg]), { maxBytes: jpeg.length + 1 })
  const file = await db.storedFile.create({
    data: { agencyId: agency.id, workspaceId: workspaces[0]!.id, storageKey, originalName: 'launch.jpg', mimeType: 'image/jpeg', kind: 'image', byteSize: jpeg.length, sha256: createHash('sha256').update(jpeg).digest('hex'), width: 320, height: 320 },
  })
  return { agencyId: agency.id, ownerEmail, password: options.password, creatorId: creator.id, workspaces, accounts, fileId: file.id }
}

export interface StormCard {
  id: string
  account: StormAccount
  workspaceId: string
  campaignId: string
  caption: string
}

/**
 * `count` approved cards, card i targeting account i mod accounts (so every account has its share), in the
 * account's workspace. Captions are unique within their first 90 characters (TikTok keeps 90 as the title), so
 * each publication on a stand-in names its post.
 */
export async function createApprovedCards(db: Database, tenant: StormTenant, options: { count: number; label: string }): Promise<StormCard[]> {
  const cards: StormCard[] = Array.from({ length: options.count }, (_, i) => {
    const account = tenant.accounts[i % tenant.accounts.length]!
    const workspace = tenant.workspaces[(i % tenant.accounts.length) % tenant.workspaces.length]!
    return { id: randomUUID(), account, workspaceId: workspace.id, campaignId: workspace.campaignId, caption: `${options.label} ${String(i + 1).padStart(5, '0')} ${randomUUID().slice(0, 8)} for ${account.handle} #launch` }
  })
  for (const workspace of tenant.workspaces) {
    const inWorkspace = cards.filter((card) => card.workspaceId === workspace.id)
    const last = await db.contentTask.findFirst({ where: { workspaceId: workspace.id }, orderBy: { position: 'desc' }, select: { position: true } })
    const positions = positionsForAppend(last?.position ?? null, inWorkspace.length)
    await db.contentTask.createMany({
      data: inWorkspace.map((card, i) => ({
        id: card.id,
        agencyId: tenant.agencyId,
        workspaceId: card.workspaceId,
        campaignId: card.campaignId,
        title: card.caption.slice(0, 40),
        platform: card.account.platform,
        column: 'Approved',
        position: positions[i]!,
        targetAccountIds: [card.account.id],
        assigneeCreatorId: tenant.creatorId,
      })),
    })
  }
  await db.captionVersion.createMany({ data: cards.map((card) => ({ agencyId: tenant.agencyId, cardId: card.id, version: 1, text: card.caption, source: 'creator' })) })
  await db.cardAsset.createMany({ data: cards.map((card) => ({ agencyId: tenant.agencyId, cardId: card.id, fileId: tenant.fileId, role: 'draft' })) })
  return cards
}
