// Agency isolation, proven over the whole API: a member of agency B (an owner, so no permission stands in the
// way) calls every non-public route in /openapi.json with agency A's ids and well-formed bodies. Routes that
// name one of A's rows answer 404; lists never show A's rows; and afterwards every row of A is exactly as it was.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { starterBrandKit } from '../../domain/brand-kit'
import { TENANT_MODELS } from '../../platform/tenant-scope'
import { startApiHarness, testTokenCipher, type ApiHarness, type TestMember } from '../support/api'

let h: ApiHarness
let a: TestMember
let b: TestMember
/** A's row id per model, for path parameters. */
const idsOfA: Record<string, string> = {}
/** Strings that only A's rows contain: none may appear in anything B reads. */
const markers: string[] = []

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; minItems?: number; enum?: unknown[]; const?: unknown; format?: string; minLength?: number; maxLength?: number; minimum?: number; anyOf?: Schema[]; oneOf?: Schema[]; $ref?: string; default?: unknown; pattern?: string }
type OpenApi = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>; components?: { schemas?: Record<string, Schema> } }

beforeAll(async () => {
  h = await startApiHarness()
  a = await h.newTenant()
  b = await h.newTenant()
  await h.db.agency.updateMany({ where: { id: { in: [a.agencyId, b.agencyId] } }, data: { plan: 'enterprise' } })
  const marker = `secret-of-a-${randomUUID().slice(0, 8)}`
  markers.push(marker, a.email)

  const manager = await h.newMember(a.agencyId, 'manager')
  idsOfA.User = manager.userId
  const workspace = await h.db.workspace.create({ data: { agencyId: a.agencyId, name: `${marker} brand`, clientName: `${marker} client` } })
  idsOfA.Workspace = workspace.id
  const campaign = await h.app.inject({
    method: 'POST',
    url: '/api/campaigns',
    headers: a.headers,
    payload: { workspaceId: workspace.id, name: `${marker} campaign`, platforms: ['instagram'] },
  })
  expect(campaign.statusCode).toBe(201)
  idsOfA.Campaign = campaign.json().campaign.id
  const card = await h.app.inject({
    method: 'POST',
    url: '/api/cards',
    headers: a.headers,
    payload: { campaignId: idsOfA.Campaign, title: `${marker} card`, platform: 'instagram', caption: `${marker} caption` },
  })
  expect(card.statusCode).toBe(201)
  idsOfA.ContentTask = card.json().card.id
  const file = await h.db.storedFile.create({
    data: { agencyId: a.agencyId, workspaceId: workspace.id, storageKey: `agencies/${a.agencyId}/assets/${randomUUID()}.png`, originalName: `${marker}.png`, mimeType: 'image/png', kind: 'image', byteSize: 1, sha256: 'a'.repeat(64) },
  })
  idsOfA.StoredFile = file.id
  await h.db.cardAsset.create({ data: { agencyId: a.agencyId, cardId: idsOfA.ContentTask!, fileId: file.id, role: 'draft' } })
  await h.db.brandKitVersion.create({
    data: {
      agencyId: a.agencyId, workspaceId: workspace.id, version: 1, colors: [{ name: 'Primary', hex: '#112233' }, { name: 'B', hex: '#445566' }, { name: 'C', hex: '#778899' }],
      headingFont: 'Georgia', bodyFont: 'Helvetica', logoPosition: 'top-left', voicePrompt: `${marker} voice`, personality: '', targetAudience: '', toneAndStyle: '',
      preferredPhrases: [], forbiddenPhrases: [], defaultHashtags: [], targetPlatforms: ['instagram'],
    },
  })
  const creator = await h.db.creator.create({ data: { agencyId: a.agencyId, displayName: `${marker} creator`, tags: [marker] } })
  idsOfA.Creator = creator.id
  const accountId = randomUUID()
  const sealed = testTokenCipher.seal(`${marker}-token`, accountId)
  const account = await h.db.socialAccount.create({
    data: {
      id: accountId, agencyId: a.agencyId, creatorId: creator.id, platform: 'instagram', handle: `${marker}_ig`, externalId: '1784000000001',
      scopes: ['instagram_basic'], accessTokenCiphertext: sealed.ciphertext, tokenKeyId: sealed.keyId, tokenExpiresAt: new Date(Date.now() + 30 * 86_400_000), sandbox: true,
    },
  })
  idsOfA.SocialAccount = account.id
  const invite = await h.db.invite.create({
    data: { agencyId: a.agencyId, email: `${marker}@invitee.test`, role: 'editor', tokenHash: randomUUID(), expiresAt: new Date(Date.now() + 86_400_000) },
  })
  idsOfA.Invite = invite.id
  const notification = await h.db.notification.create({ data: { agencyId: a.agencyId, userId: a.userId, kind: 'test', title: `${marker} note`, body: marker } })
  idsOfA.Notification = notification.id
  await h.db.emailOutbox.create({ data: { agencyId: a.agencyId, toAddress: `${marker}@mail.test`, subject: marker, text: marker, status: 'outbox' } })
  await h.db.auditEvent.create({ data: { agencyId: a.agencyId, actorLabel: marker, action: 'auth.login' } })
  const batchId = randomUUID()
  await h.db.aiBatch.create({
    data: {
      id: batchId, agencyId: a.agencyId, workspaceId: workspace.id, campaignId: idsOfA.Campaign, kind: 'assets', providerChain: ['offline'], variantsPerItem: 1, seed: 1,
      plannedVariants: 1, generatedVariants: 1, workflowId: `batch:${batchId}`, createdByName: marker,
      items: {
        create: {
          agencyId: a.agencyId, index: 0, format: 'instagram', assetId: file.id, cardId: idsOfA.ContentTask, status: 'done',
          variants: {
            create: {
              agencyId: a.agencyId, batchId, variantIndex: 0, key: `${batchId}:0:0`, format: 'instagram', angle: 'benefit', provider: 'offline', model: 'greenlight-offline-v1',
              content: { text: `${marker} caption`, hashtags: [marker], adCopy: null, segments: [], subject: null, preheader: null },
            },
          },
        },
      },
    },
  })
  idsOfA.AiBatch = batchId
  // A card under review, and a client review link sharing it.
  await h.db.approvalRound.create({
    data: {
      agencyId: a.agencyId, cardId: idsOfA.ContentTask!, round: 1, workflowId: `approval:${idsOfA.ContentTask}:1`, captionVersion: 1,
      policy: { mode: 'required', steps: [{ name: `${marker} step`, audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['manager'] }], deadlines: { dueAfterHours: 48, remindBeforeHours: [], escalateAfterHours: null, expireAfterHours: null } },
      submittedAt: new Date(), dueAt: new Date(Date.now() + 48 * 3_600_000),
    },
  })
  const link = await h.db.reviewLink.create({
    data: { agencyId: a.agencyId, workspaceId: workspace.id, cardIds: [idsOfA.ContentTask!], clientName: `${marker} client`, tokenHash: randomUUID(), expiresAt: new Date(Date.now() + 86_400_000) },
  })
  idsOfA.ReviewLink = link.id
  // A post scheduled (unconfirmed, so every action applies to it) with one metrics snapshot.
  const post = await h.db.scheduledPost.create({
    data: {
      agencyId: a.agencyId, workspaceId: workspace.id, campaignId: idsOfA.Campaign!, cardId: idsOfA.ContentTask!, socialAccountId: account.id, platform: 'instagram',
      scheduledAt: new Date(Date.now() + 86_400_000), timeZone: 'UTC', caption: `${marker} caption`, status: 'unconfirmed', statusReason: marker,
    },
  })
  idsOfA.ScheduledPost = post.id
  await h.db.postMetricSnapshot.create({ data: { agencyId: a.agencyId, scheduledPostId: post.id, pullIndex: 0, capturedAt: new Date(), views: 1, reach: 1, likes: 1, comments: 0, shares: 0, saves: 0, clicks: null, engagementRate: 1 } })
  const sealedKey = testTokenCipher.seal(`sk-${marker}`, `ai-key:${a.agencyId}:openai`)
  await h.db.agencyAiSettings.create({ data: { agencyId: a.agencyId, providerChain: ['openai', 'offline'], openaiKeyCiphertext: sealedKey.ciphertext, keyId: sealedKey.keyId, openaiKeyHint: marker } })
})
afterAll(async () => {
  await h?.stop()
})

/** Everything agency A owns, in a comparable form. */
async function snapshotOfA(): Promise<string> {
  const rows: Record<string, unknown> = { agency: await h.db.agency.findUnique({ where: { id: a.agencyId } }) }
  for (const model of [...TENANT_MODELS].sort()) {
    const delegate = (h.db as unknown as Record<string, { findMany(args: object): Promise<unknown[]> }>)[model[0]!.toLowerCase() + model.slice(1)]!
    rows[model] = await delegate.findMany({ where: { agencyId: a.agencyId }, orderBy: { createdAt: 'asc' } }).catch(() =>
      delegate.findMany({ where: { agencyId: a.agencyId } }),
    )
  }
  // A's sessions stay valid (nothing B does can end them).
  rows.sessions = await h.db.session.count({ where: { user: { agencyId: a.agencyId } } })
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))
}

/** Which of A's rows a path parameter names, by the path segment before it. */
const PARAM_OWNERS: Record<string, string> = {
  campaigns: 'Campaign',
  workspaces: 'Workspace',
  creators: 'Creator',
  members: 'User',
  invites: 'Invite',
  notifications: 'Notification',
  accounts: 'SocialAccount',
  'social-accounts': 'SocialAccount',
  cards: 'ContentTask',
  assets: 'StoredFile',
  'ai-batches': 'AiBatch',
  'review-links': 'ReviewLink',
  'scheduled-posts': 'ScheduledPost',
}
/** Query strings that name one of A's rows (a board's scope): the route must answer 404. */
const QUERY_NAMING_A: Record<string, () => string> = {
  'GET /api/boards': () => `campaignId=${idsOfA.Campaign}`,
  'GET /api/boards/column': () => `workspaceId=${idsOfA.Workspace}&column=Backlog`,
  'GET /api/boards/events': () => `campaignId=${idsOfA.Campaign}`,
  'GET /api/boards/export.csv': () => `workspaceId=${idsOfA.Workspace}`,
  'GET /api/reviews': () => `workspaceId=${idsOfA.Workspace}`,
  'GET /api/review-links': () => `workspaceId=${idsOfA.Workspace}`,
  'GET /api/workspaces/{id}/scheduled-posts': () => `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 7 * 86_400_000).toISOString()}`,
}
/** Parameters that are not row ids: a value valid for any agency. */
const PARAM_VALUES: Record<string, string> = { platform: 'tiktok', version: '1', variant: 'thumbnail', token: 'not-a-token', filename: 'media.jpg' }

function fillPath(path: string): { url: string; namesARow: boolean } {
  let namesARow = false
  const segments = path.split('/')
  const url = segments
    .map((segment, i) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1]
      if (!param) return segment
      if (PARAM_VALUES[param]) return PARAM_VALUES[param]
      const owner = PARAM_OWNERS[segments[i - 1]!]
      if (!owner || !idsOfA[owner]) throw new Error(`the isolation walk does not know what {${param}} in ${path} names: add it to PARAM_OWNERS`)
      namesARow = true
      return idsOfA[owner]
    })
    .join('/')
  return { url, namesARow }
}

/** A well-formed value for a JSON schema: the request passes validation and reaches the handler. */
function sample(schema: Schema, doc: OpenApi): unknown {
  if (schema.$ref) return sample(doc.components!.schemas![schema.$ref.split('/').pop()!]!, doc)
  if (schema.const !== undefined) return schema.const
  if (schema.enum) return schema.enum[0]
  if (schema.default !== undefined) return schema.default
  const variants = schema.anyOf ?? schema.oneOf
  if (variants) return sample(variants.find((v) => v.type !== 'null') ?? variants[0]!, doc)
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sample(value, doc)]))
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, (_, i) => {
        const item = sample(schema.items ?? {}, doc)
        // Distinct items (e.g. colors must not repeat).
        return typeof item === 'object' && item && 'hex' in item ? { ...item, hex: `#${String(i + 1).repeat(6)}` } : item
      })
    case 'integer':
    case 'number':
      return schema.minimum ?? 1
    case 'boolean':
      return false
    case 'string': {
      if (schema.format === 'email') return `walker-${randomUUID().slice(0, 6)}@example.test`
      if (schema.format === 'uuid') return randomUUID()
      if (schema.format === 'date-time') return new Date(Date.now() + 7 * 86_400_000).toISOString()
      if (schema.format === 'date') return new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)
      if (schema.pattern?.includes('#')) return '#123456'
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 12)).slice(0, schema.maxLength ?? 12)
    }
    default:
      return {}
  }
}

/** Bodies whose rules go beyond their JSON schema (checked by domain/ before the row is looked up). */
const BODY_EXAMPLES: Record<string, unknown> = {
  'PUT /api/workspaces/{id}/brand-kit': { baseVersion: 1, ...starterBrandKit() },
  'PATCH /api/campaigns/{id}': { name: 'Renamed by B', startsAtLocal: '2030-01-01T09:00' },
  'POST /api/campaigns/{id}/status': { to: 'ready' },
}

function requestBody(route: string, operation: OpenApi['paths'][string][string], doc: OpenApi) {
  const content = operation.requestBody?.content
  if (!content) return {}
  if (BODY_EXAMPLES[route]) return { payload: JSON.stringify(BODY_EXAMPLES[route]), headers: { 'content-type': 'application/json' } }
  if (content['application/json']) {
    return { payload: JSON.stringify(sample(content['application/json'].schema, doc)), headers: { 'content-type': 'application/json' } }
  }
  if (content['text/csv']) return { payload: 'Title,Platform\nFrom B,Instagram\n', headers: { 'content-type': 'text/csv' } }
  if (content['multipart/form-data']) {
    const boundary = `walk${randomUUID().replaceAll('-', '')}`
    // A 1×1 PNG.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ])
    return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
  }
  throw new Error(`the isolation walk cannot make a body of ${Object.keys(content).join(', ')}`)
}

describe('agency isolation over every route in /openapi.json', () => {
  it('a member of agency B can neither read nor change anything of agency A', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApi
    const before = await snapshotOfA()
    const walked: string[] = []
    const problems: string[] = []

    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const route = `${method.toUpperCase()} ${path}`
        const filled = fillPath(path)
        const query = QUERY_NAMING_A[route]
        const url = query ? `${filled.url}?${query()}` : filled.url
        const namesARow = filled.namesARow || query !== undefined
        // Public routes (login, health, invites by token) answer without a session; they carry no agency data.
        const anonymous = await h.app.inject({ method: method.toUpperCase() as 'GET', url, ...requestBody(route, operation, doc) })
        if (anonymous.statusCode !== 401) continue
        if (path === '/api/auth/logout-everywhere') continue // ends B's own sessions; A's are checked by the snapshot
        // The sandbox stand-ins' fault controls hold no agency's data (tests/api/sandbox-controls.test.ts covers them).
        if (path.startsWith('/api/sandbox/')) continue
        walked.push(route)

        const body = requestBody(route, operation, doc)
        const res = await h.app.inject({ method: method.toUpperCase() as 'GET', url, payload: body.payload, headers: { ...b.headers, ...body.headers } })
        if (namesARow && res.statusCode !== 404) problems.push(`${method.toUpperCase()} ${url} answered ${res.statusCode}, not 404: ${res.body.slice(0, 200)}`)
        if (res.statusCode >= 500) problems.push(`${method.toUpperCase()} ${url} answered ${res.statusCode}`)
        for (const secret of [...markers, ...Object.values(idsOfA)]) {
          if (res.body.includes(secret)) problems.push(`${method.toUpperCase()} ${url} showed B something of A (${secret})`)
        }
      }
    }

    expect(problems).toEqual([])
    expect(await snapshotOfA()).toBe(before)
    // The walk covered the API, not a corner of it.
    for (const route of [
      'GET /api/campaigns/{id}',
      'POST /api/campaigns/{id}/status',
      'POST /api/cards/{id}/move',
      'GET /api/boards',
      'POST /api/campaigns/{id}/cards/import',
      'GET /api/campaigns',
      'PUT /api/workspaces/{id}/brand-kit',
      'PATCH /api/team/members/{id}',
      'GET /api/agency/audit',
      'GET /api/ai-batches/{id}',
      'POST /api/ai-batches/{id}/cancel',
      'POST /api/workspaces/{id}/ai-batches',
      'PUT /api/campaigns/{id}/ai-settings',
      'GET /api/agency/ai-settings',
      'GET /api/cards/{id}/approval',
      'POST /api/cards/{id}/approval/decisions',
      'POST /api/cards/{id}/approval/caption',
      'PUT /api/workspaces/{id}/approval-policy',
      'PUT /api/campaigns/{id}/approval-policy',
      'GET /api/reviews',
      'POST /api/reviews/decisions',
      'POST /api/review-links',
      'POST /api/review-links/{id}/revoke',
      'POST /api/cards/{id}/thread-summary',
    ]) {
      expect(walked).toContain(route)
    }
    expect(walked.length).toBeGreaterThanOrEqual(20)
  })
})
