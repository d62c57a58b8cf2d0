// Publishing in tests: the Meta and TikTok stand-ins on a port of their own with OAuth settings pointing at them,
// and a tenant with connected sandbox accounts (tokens issued by the stand-ins, sealed as a connect would seal
// them) and approved cards carrying a caption and a draft image or video.
import { createHash, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { sealAccountTokens } from '../../activities/social-accounts'
import type { SocialPlatform } from '../../domain/brand-kit'
import { oauthSettings, type OAuthSettings } from '../../platform/config'
import type { Database } from '../../platform/database'
import type { FileStorage } from '../../platform/storage'
import { META_SANDBOX_PAGES, createMetaStandIn, type MetaStandIn, type MetaStandInOptions } from '../../sandbox/meta'
import { createSandboxServer } from '../../sandbox/server'
import { TIKTOK_SANDBOX_USERS, createTikTokStandIn, type TikTokStandIn, type TikTokStandInOptions } from '../../sandbox/tiktok'
import { testTokenCipher } from './api'
import { createWorkspace } from './database'
import { jpegImage, movie } from './media-fixtures'

export interface PublishingSandbox {
  base: string
  meta: MetaStandIn
  tiktok: TikTokStandIn
  /** OAuth (and so publishing) settings pointing at these stand-ins. */
  oauth: OAuthSettings
  /** POSTs to a stand-in's control API, e.g. control('meta', '/faults', {...}). */
  control(standIn: 'meta' | 'tiktok', path: string, body: unknown): Promise<unknown>
  stop(): Promise<void>
}

export async function startPublishingSandbox(options: { meta?: MetaStandInOptions; tiktok?: TikTokStandInOptions } = {}): Promise<PublishingSandbox> {
  const meta = createMetaStandIn(options.meta)
  const tiktok = createTikTokStandIn(options.tiktok)
  const server = createSandboxServer([meta, tiktok])
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const defaults = oauthSettings()
  return {
    base,
    meta,
    tiktok,
    oauth: {
      ...defaults,
      webUrl: 'http://web.test',
      meta: { ...defaults.meta, mode: 'sandbox', appId: 'sandbox-meta-app', appSecret: 'sandbox-meta-secret', dialogBaseUrl: `${base}/meta`, graphBaseUrl: `${base}/meta` },
      tiktok: { ...defaults.tiktok, mode: 'sandbox', clientKey: 'sandbox-tiktok-client', clientSecret: 'sandbox-tiktok-secret', authBaseUrl: `${base}/tiktok`, apiBaseUrl: `${base}/tiktok` },
    },
    async control(standIn, path, body) {
      const response = await fetch(`${base}/${standIn}/__sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      const text = await response.text()
      if (!response.ok) throw new Error(`${standIn} control ${path} answered ${response.status}: ${text}`)
      return text ? (JSON.parse(text) as unknown) : null
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export interface PublishingScope {
  agencyId: string
  workspaceId: string
  campaignId: string
  creatorId: string
  /** One connected sandbox account per platform. */
  accounts: Record<SocialPlatform, { id: string; externalId: string; handle: string }>
}

/** Sandbox accounts for the agency: Instagram and Facebook of the first sandbox Page, and the first TikTok user. */
export async function publishingScope(db: Database, sandbox: PublishingSandbox, agencyId: string, options: { page?: number; tiktokUser?: number } = {}): Promise<PublishingScope> {
  const workspaceId = (await createWorkspace(db, agencyId)).id
  const campaignId = (await db.campaign.create({ data: { agencyId, workspaceId, name: `Launch ${randomUUID().slice(0, 6)}`, workflowId: `campaign:${randomUUID()}`, timeZone: 'Europe/Berlin' } })).id
  const creatorId = (await db.creator.create({ data: { agencyId, displayName: 'Sandbox Sam' } })).id
  const page = META_SANDBOX_PAGES[options.page ?? 0]!
  const user = TIKTOK_SANDBOX_USERS[options.tiktokUser ?? 0]!
  const pageToken = sandbox.meta.issuePageToken(page.id)
  const tiktokToken = sandbox.tiktok.issueAccessToken(user.openId, ['user.info.basic', 'video.publish', 'video.upload', 'video.list'])
  const connect = async (platform: SocialPlatform, externalId: string, handle: string, accessToken: string) => {
    const id = randomUUID()
    await db.socialAccount.create({
      data: {
        id,
        agencyId,
        creatorId,
        platform,
        externalId,
        handle,
        sandbox: true,
        scopes: [],
        tokenExpiresAt: new Date(Date.now() + 30 * 86_400_000),
        ...sealAccountTokens(testTokenCipher, id, { accessToken, refreshToken: null }),
      },
    })
    return { id, externalId, handle }
  }
  return {
    agencyId,
    workspaceId,
    campaignId,
    creatorId,
    accounts: {
      instagram: await connect('instagram', page.instagram!.id, page.instagram!.username, pageToken),
      facebook: await connect('facebook', page.id, page.name, pageToken),
      tiktok: await connect('tiktok', user.openId, user.username, tiktokToken),
    },
  }
}

/** Replaces an account's token, as a reconnect does (and marks it active again). */
export async function reconnectAccount(db: Database, accountId: string, accessToken: string): Promise<void> {
  await db.socialAccount.update({ where: { id: accountId }, data: { status: 'active', statusReason: null, ...sealAccountTokens(testTokenCipher, accountId, { accessToken, refreshToken: null }) } })
}

let cardCount = 0

/** An approved card of the scope targeting `platforms`, with a caption and a draft (a JPEG, or an MP4 video). */
export async function approvedCard(
  db: Database,
  /** Where the draft is stored; null for a card without media. */
  storage: FileStorage | null,
  scope: PublishingScope,
  options: { platforms: SocialPlatform[]; caption?: string; media?: 'image' | 'video' | 'none'; column?: string },
): Promise<{ id: string; caption: string }> {
  cardCount += 1
  const caption = options.caption ?? `Fresh from the oven, batch ${cardCount} ${randomUUID().slice(0, 8)} #bakery`
  const card = await db.contentTask.create({
    data: {
      agencyId: scope.agencyId,
      workspaceId: scope.workspaceId,
      campaignId: scope.campaignId,
      title: `Post ${cardCount}`,
      platform: options.platforms[0]!,
      column: options.column ?? 'Approved',
      position: `a${String(cardCount).padStart(6, '0')}`,
      targetAccountIds: options.platforms.map((platform) => scope.accounts[platform].id),
      assigneeCreatorId: scope.creatorId,
    },
  })
  await db.captionVersion.create({ data: { agencyId: scope.agencyId, cardId: card.id, version: 1, text: caption } })
  const media = options.media ?? 'image'
  if (media !== 'none') {
    if (!storage) throw new Error('a card with media needs a storage')
    const bytes = media === 'video' ? movie() : await jpegImage(64, 64)
    const storageKey = `test/${randomUUID()}`
    await storage.put(storageKey, Readable.from([bytes]), { maxBytes: bytes.length + 1 })
    const file = await db.storedFile.create({
      data: {
        agencyId: scope.agencyId,
        workspaceId: scope.workspaceId,
        storageKey,
        originalName: media === 'video' ? 'launch.mp4' : 'launch.jpg',
        mimeType: media === 'video' ? 'video/mp4' : 'image/jpeg',
        kind: media,
        byteSize: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    })
    await db.cardAsset.create({ data: { agencyId: scope.agencyId, cardId: card.id, fileId: file.id, role: 'draft' } })
  }
  return { id: card.id, caption }
}
