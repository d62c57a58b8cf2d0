// Client workspaces and versioned brand kits through app.inject, on a real PostgreSQL; logos are stored on
// local disk in a folder of this test's own.
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { crc32, deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { currentBrandKit } from '../../api/services/brand-kits'
import { BRAND_KIT_LIMITS, starterBrandKit, type BrandKitContent } from '../../domain/brand-kit'
import { FileTooLargeError, StoredObjectMissingError, createLocalDiskStorage } from '../../platform/storage'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { action as workspaceAction, loader as workspaceLoader } from '../../web/app/routes/workspace-detail'
import { action as workspacesAction } from '../../web/app/routes/workspaces'
import { loader as logoLoader } from '../../web/app/routes/workspace-logo'

// The app builds its logo storage from GREENLIGHT_DATA_DIR, read when platform/config loads: vitest runs this
// hoisted block before the imports above, so the uploads land in a folder of this test's own.
const dataDir = vi.hoisted(() => {
  const { mkdtempSync: mkdtemp } = process.getBuiltinModule('node:fs')
  const { tmpdir } = process.getBuiltinModule('node:os')
  const { join } = process.getBuiltinModule('node:path')
  const dir = mkdtemp(join(tmpdir(), 'greenlight-workspaces-'))
  process.env.GREENLIGHT_DATA_DIR = dir
  return dir
})

const uploadsDir = path.join(dataDir, 'uploads')

let h: ApiHarness
let owner: TestMember

beforeAll(async () => {
  h = await startApiHarness()
  owner = await h.newTenant()
})
afterAll(async () => {
  await h?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

// ---- helpers ----

type Who = { headers: Record<string, string> }

const json = (who: Who, payload?: unknown) => ({
  headers: { ...who.headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
  ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
})

async function createWorkspace(who: Who = owner, name = `Brand ${Math.random().toString(36).slice(2, 8)}`, clientName = `${name} Ltd`) {
  const res = await h.app.inject({ method: 'POST', url: '/api/workspaces', ...json(who, { name, clientName, description: ' Test client ' }) })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { workspace: { id: string; name: string }; brandKit: BrandKitDto }
}

interface BrandKitDto extends BrandKitContent {
  id: string
  version: number
  logo: { id: string; mimeType: string; originalName: string; byteSize: number; sha256: string; width: number; height: number } | null
  createdBy: { id: string; name: string } | null
}

function kitBody(kit: BrandKitContent, baseVersion: number, changes: Partial<BrandKitContent> = {}) {
  const { colors, headingFont, bodyFont, logoPosition, voicePrompt, personality, targetAudience, toneAndStyle, preferredPhrases, forbiddenPhrases, defaultHashtags, targetPlatforms } = { ...kit, ...changes }
  return { baseVersion, colors, headingFont, bodyFont, logoPosition, voicePrompt, personality, targetAudience, toneAndStyle, preferredPhrases, forbiddenPhrases, defaultHashtags, targetPlatforms }
}

const putKit = (who: Who, workspaceId: string, body: unknown) =>
  h.app.inject({ method: 'PUT', url: `/api/workspaces/${workspaceId}/brand-kit`, ...json(who, body) })

/** A real PNG: signature, IHDR, one zlib-compressed IDAT of RGB rows, IEND. */
function png(width: number, height: number, rgb: [number, number, number] = [31, 111, 92]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8 bits per channel, truecolour, deflate, no filter method, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => rgb[i % 3]!)])
  const pixels = Buffer.concat(Array.from({ length: height }, () => row))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/**
 * A real baseline JPEG (grey): one quantisation table, one-symbol Huffman tables, and every 8×8 block coded
 * as "DC difference 0, end of block" (two 0 bits), padded with 1 bits.
 */
function jpeg(width: number, height: number): Buffer {
  const segment = (marker: number, data: number[]) => [0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 0xff, ...data]
  const oneSymbolTable = (tableClass: number) => [tableClass << 4, 1, ...new Array(15).fill(0), 0x00]
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8)
  const bits = '00'.repeat(blocks).padEnd(Math.ceil((2 * blocks) / 8) * 8, '1')
  const scan = bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2))
  return Buffer.from([
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0x00, ...new Array(64).fill(1)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, oneSymbolTable(0)),
    ...segment(0xc4, oneSymbolTable(1)),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...scan,
    0xff, 0xd9,
  ])
}

/** A multipart body as a browser (or the web server's fetch) would send it. */
async function multipart(fields: Record<string, string>, file?: { field?: string; name: string; type: string; bytes: Buffer }) {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  if (file) form.append(file.field ?? 'logo', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name)
  const request = new Request('http://api.test/', { method: 'POST', body: form })
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! }
}

async function uploadLogo(who: TestMember, workspaceId: string, file: { field?: string; name: string; type: string; bytes: Buffer }, fields: Record<string, string> = {}) {
  const body = await multipart(fields, file)
  return h.app.inject({
    method: 'POST',
    url: `/api/workspaces/${workspaceId}/brand-kit/logo`,
    headers: { ...who.headers, 'content-type': body.contentType },
    payload: body.payload,
  })
}

/** Every file under the uploads folder (partial uploads included). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
}

async function writtenState(agencyId: string, workspaceId: string) {
  return {
    files: filesUnder(uploadsDir).sort(),
    storedFiles: await h.db.storedFile.count({ where: { agencyId } }),
    versions: await h.db.brandKitVersion.count({ where: { workspaceId } }),
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

// ---- tests ----

describe('workspaces', () => {
  it('creates a workspace with brand kit version 1 from the starter kit, in one go', async () => {
    const { workspace, brandKit } = await createWorkspace(owner, '  Oat Milk Co  ', ' Oat Milk Company ')
    expect(workspace).toMatchObject({ name: 'Oat Milk Co', clientName: 'Oat Milk Company', description: 'Test client', archivedAt: null })
    expect(brandKit).toMatchObject({ ...starterBrandKit(), version: 1, logo: null, createdBy: { id: owner.userId } })
    const rows = await h.db.brandKitVersion.findMany({ where: { workspaceId: workspace.id } })
    expect(rows.map((row) => [row.version, row.agencyId])).toEqual([[1, owner.agencyId]])

    const detail = await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}`, ...json(owner) })
    expect(detail.json()).toMatchObject({ workspace: { id: workspace.id }, brandKit: { version: 1 } })
  })

  it('edits name, client and description; refuses an empty or oversized name with nothing written', async () => {
    const { workspace } = await createWorkspace()
    const edited = await h.app.inject({
      method: 'PATCH',
      url: `/api/workspaces/${workspace.id}`,
      ...json(owner, { name: 'Renamed', clientName: 'New Client', description: 'Now with a description' }),
    })
    expect(edited.statusCode).toBe(200)
    expect(edited.json().workspace).toMatchObject({ name: 'Renamed', clientName: 'New Client', description: 'Now with a description' })

    for (const [body, field] of [
      [{ name: 'x'.repeat(10_000) }, '/name'],
      [{ name: '   ' }, '/name'],
      [{ clientName: 'c'.repeat(10_000) }, '/clientName'],
      [{ description: 'd'.repeat(10_000) }, '/description'],
      [{}, '/'],
      [{ name: 'Fine', owner: 'me' }, '/owner'],
    ] as const) {
      const res = await h.app.inject({ method: 'PATCH', url: `/api/workspaces/${workspace.id}`, ...json(owner, body) })
      expect(res.statusCode, JSON.stringify(body).slice(0, 40)).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(field)
    }
    expect((await h.db.workspace.findUniqueOrThrow({ where: { id: workspace.id } })).name).toBe('Renamed')

    const before = await h.db.workspace.count({ where: { agencyId: owner.agencyId } })
    const huge = await h.app.inject({ method: 'POST', url: '/api/workspaces', ...json(owner, { name: 'n'.repeat(10_240), clientName: 'Client' }) })
    expect(huge.statusCode).toBe(400)
    expect(huge.json().error.details).toEqual([expect.objectContaining({ path: '/name', message: expect.stringContaining('120') })])
    expect(await h.db.workspace.count({ where: { agencyId: owner.agencyId } })).toBe(before)
  })

  it('archives and unarchives: archived workspaces leave the default list, show with ?archived=true, and are read-only', async () => {
    const { workspace, brandKit } = await createWorkspace()
    const archived = await h.app.inject({ method: 'POST', url: `/api/workspaces/${workspace.id}/archive`, ...json(owner) })
    expect(archived.statusCode).toBe(200)
    expect(archived.json().workspace.archivedAt).toEqual(expect.any(String))
    // Archiving twice keeps the first time.
    const again = await h.app.inject({ method: 'POST', url: `/api/workspaces/${workspace.id}/archive`, ...json(owner) })
    expect(again.json().workspace.archivedAt).toBe(archived.json().workspace.archivedAt)

    const active = (await h.app.inject({ method: 'GET', url: '/api/workspaces', ...json(owner) })).json()
    expect(active.workspaces.map((w: { workspace: { id: string } }) => w.workspace.id)).not.toContain(workspace.id)
    const listed = (await h.app.inject({ method: 'GET', url: '/api/workspaces?archived=true', ...json(owner) })).json()
    expect(listed.workspaces.map((w: { workspace: { id: string } }) => w.workspace.id)).toContain(workspace.id)
    expect(listed.counts.archived).toBeGreaterThanOrEqual(1)

    const edit = await putKit(owner, workspace.id, kitBody(brandKit, 1, { headingFont: 'Inter' }))
    expect(edit.statusCode).toBe(409)
    expect(edit.json().error.code).toBe('WORKSPACE_ARCHIVED')
    const rename = await h.app.inject({ method: 'PATCH', url: `/api/workspaces/${workspace.id}`, ...json(owner, { name: 'Nope' }) })
    expect(rename.json().error.code).toBe('WORKSPACE_ARCHIVED')
    const logo = await uploadLogo(owner, workspace.id, { name: 'logo.png', type: 'image/png', bytes: png(4, 4) })
    expect(logo.json().error.code).toBe('WORKSPACE_ARCHIVED')
    expect(await h.db.brandKitVersion.count({ where: { workspaceId: workspace.id } })).toBe(1)

    const unarchived = await h.app.inject({ method: 'POST', url: `/api/workspaces/${workspace.id}/unarchive`, ...json(owner) })
    expect(unarchived.json().workspace.archivedAt).toBeNull()
    const back = (await h.app.inject({ method: 'GET', url: '/api/workspaces', ...json(owner) })).json()
    expect(back.workspaces.find((w: { workspace: { id: string } }) => w.workspace.id === workspace.id)).toMatchObject({
      brandKitVersion: 1,
      palette: starterBrandKit().colors.map((c) => c.hex),
      hasLogo: false,
    })
    expect((await putKit(owner, workspace.id, kitBody(brandKit, 1, { headingFont: 'Inter' }))).statusCode).toBe(200)
  })

  it('refuses a bad ?archived value', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/workspaces?archived=yes', ...json(owner) })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION_FAILED')
  })
})

describe('brand kits', () => {
  it('writes the next version on every edit and lists who changed what', async () => {
    const { workspace, brandKit } = await createWorkspace()
    const editor = await h.newMember(owner.agencyId, 'editor')
    const colors = [...brandKit.colors.slice(0, 2), { name: 'Ink', hex: '#ABC' }]
    const v2 = await putKit(editor, workspace.id, kitBody(brandKit, 1, { colors, headingFont: 'Playfair Display' }))
    expect(v2.statusCode, v2.body).toBe(200)
    expect(v2.json()).toMatchObject({ created: true, brandKit: { version: 2, headingFont: 'Playfair Display', createdBy: { id: editor.userId } } })
    // Stored in canonical form.
    expect(v2.json().brandKit.colors[2]).toEqual({ name: 'Ink', hex: '#aabbcc' })

    const v3 = await putKit(owner, workspace.id, kitBody(v2.json().brandKit, 2, { defaultHashtags: ['oatmilk', '#OatMilk', 'oatmilk'], targetPlatforms: ['instagram', 'tiktok'] }))
    expect(v3.json().brandKit).toMatchObject({ version: 3, defaultHashtags: ['#oatmilk', '#OatMilk'], targetPlatforms: ['instagram', 'tiktok'] })

    const history = await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit/versions`, ...json(owner) })
    expect(history.statusCode).toBe(200)
    const editorName = (await h.db.user.findUniqueOrThrow({ where: { id: editor.userId } })).name
    expect(history.json().versions).toEqual([
      expect.objectContaining({ version: 3, changedFields: ['defaultHashtags', 'targetPlatforms'], summary: 'Changed default hashtags and target platforms' }),
      expect.objectContaining({ version: 2, createdBy: { id: editor.userId, name: editorName }, changedFields: ['colors', 'headingFont'], summary: 'Changed colors and heading font' }),
      expect.objectContaining({ version: 1, changedFields: [], summary: 'Created with the starter kit' }),
    ])

    const old = await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit/versions/2`, ...json(owner) })
    expect(old.json().brandKit).toMatchObject({ version: 2, headingFont: 'Playfair Display', defaultHashtags: [] })
    const missing = await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit/versions/9`, ...json(owner) })
    expect(missing.statusCode).toBe(404)
    const current = await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit`, ...json(owner) })
    expect(current.json().brandKit.version).toBe(3)

    // What AI generation will call to record the version it used.
    const used = await currentBrandKit(h.db, workspace.id)
    expect(used).toMatchObject({ id: v3.json().brandKit.id, version: 3, logoFileId: null, content: { headingFont: 'Playfair Display' } })
  })

  it('saving the kit unchanged writes no version', async () => {
    const { workspace, brandKit } = await createWorkspace()
    const res = await putKit(owner, workspace.id, kitBody(brandKit, 1))
    expect(res.json()).toMatchObject({ created: false, brandKit: { version: 1 } })
    expect(await h.db.brandKitVersion.count({ where: { workspaceId: workspace.id } })).toBe(1)
  })

  it('refuses invalid colors with a message per field path, and too few colors, writing nothing', async () => {
    const { workspace, brandKit } = await createWorkspace()
    const invalid = await putKit(owner, workspace.id, kitBody(brandKit, 1, {
      colors: [{ name: 'Primary', hex: '#1f6f5c' }, { name: 'Accent', hex: 'orange' }, { name: 'Ink', hex: '#12345g' }],
    }))
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().error.code).toBe('VALIDATION_FAILED')
    expect(invalid.json().error.message).toContain('Color 2 hex: "orange" is not a hex color like #1a2b3c')
    expect(invalid.json().error.details).toEqual([
      { path: '/colors/1/hex', message: '"orange" is not a hex color like #1a2b3c' },
      { path: '/colors/2/hex', message: '"#12345g" is not a hex color like #1a2b3c' },
    ])

    const tooFew = await putKit(owner, workspace.id, kitBody(brandKit, 1, { colors: brandKit.colors.slice(0, 2) }))
    expect(tooFew.statusCode).toBe(400)
    expect(tooFew.json().error.details).toEqual([{ path: '/colors', message: 'needs at least 3 colors' }])

    const tooMany = await putKit(owner, workspace.id, kitBody(brandKit, 1, {
      colors: Array.from({ length: 13 }, (_, i) => ({ name: `C${i}`, hex: `#0000${(i + 16).toString(16)}` })),
    }))
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json().error.details[0].path).toBe('/colors')

    const css = await putKit(owner, workspace.id, kitBody(brandKit, 1, { headingFont: 'Arial; background: url(x)' }))
    expect(css.json().error.details).toEqual([expect.objectContaining({ path: '/headingFont' })])

    expect(await h.db.brandKitVersion.count({ where: { workspaceId: workspace.id } })).toBe(1)
  })

  it('refuses oversized fields and unknown values with 400, nothing written', async () => {
    const { workspace, brandKit } = await createWorkspace()
    for (const [changes, field] of [
      [{ voicePrompt: 'v'.repeat(10_000) }, '/voicePrompt'],
      [{ headingFont: 'F'.repeat(10_000) }, '/headingFont'],
      [{ preferredPhrases: ['p'.repeat(300)] }, '/preferredPhrases/0'],
      [{ defaultHashtags: Array.from({ length: 31 }, (_, i) => `tag${i}`) }, '/defaultHashtags'],
      [{ targetPlatforms: ['myspace'] }, '/targetPlatforms/0'],
      [{ logoPosition: 'middle' }, '/logoPosition'],
    ] as const) {
      const res = await putKit(owner, workspace.id, kitBody(brandKit, 1, changes as Partial<BrandKitContent>))
      expect(res.statusCode, field).toBe(400)
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(field)
    }
    const extra = await putKit(owner, workspace.id, { ...kitBody(brandKit, 1), logoFileId: null })
    expect(extra.json().error.details).toEqual([{ path: '/logoFileId', message: 'is not a known field' }])
    const noBase = await putKit(owner, workspace.id, { ...kitBody(brandKit, 1), baseVersion: undefined })
    expect(noBase.json().error.details).toEqual([{ path: '/baseVersion', message: 'is required' }])
    expect(await h.db.brandKitVersion.count({ where: { workspaceId: workspace.id } })).toBe(1)
  })

  it('answers 409 BRAND_KIT_VERSION_CONFLICT to an edit made on an older version', async () => {
    const { workspace, brandKit } = await createWorkspace()
    expect((await putKit(owner, workspace.id, kitBody(brandKit, 1, { bodyFont: 'Inter' }))).statusCode).toBe(200)
    const stale = await putKit(owner, workspace.id, kitBody(brandKit, 1, { headingFont: 'Lora' }))
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error).toMatchObject({ code: 'BRAND_KIT_VERSION_CONFLICT', details: [{ path: '/baseVersion', message: 'current version is 2' }] })
    const kit = (await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit`, ...json(owner) })).json().brandKit
    expect(kit).toMatchObject({ version: 2, bodyFont: 'Inter', headingFont: brandKit.headingFont })
  })

  it('two concurrent editors on one version: one wins, the other gets 409, never the same version twice', async () => {
    const { workspace, brandKit } = await createWorkspace()
    const results = await Promise.all(
      ['Lora', 'Merriweather', 'Inter', 'Roboto'].map((font) => putKit(owner, workspace.id, kitBody(brandKit, 1, { headingFont: font }))),
    )
    expect(results.map((res) => res.statusCode).sort()).toEqual([200, 409, 409, 409])
    const versions = await h.db.brandKitVersion.findMany({ where: { workspaceId: workspace.id }, orderBy: { version: 'asc' } })
    expect(versions.map((row) => row.version)).toEqual([1, 2])

    // Logo uploads carry no baseVersion: concurrent ones each get their own version.
    const uploads = await Promise.all([1, 2, 3].map((n) => uploadLogo(owner, workspace.id, { name: `logo${n}.png`, type: 'image/png', bytes: png(n, n) })))
    expect(uploads.map((res) => res.statusCode)).toEqual([201, 201, 201])
    expect(uploads.map((res) => res.json().brandKit.version).sort()).toEqual([3, 4, 5])
  })

  it('lets an analyst read but not edit a kit (403), and an editor edit the kit but not create workspaces', async () => {
    const { workspace, brandKit } = await createWorkspace()
    const analyst = await h.newMember(owner.agencyId, 'analyst')
    expect((await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit`, ...json(analyst) })).statusCode).toBe(200)
    const edit = await putKit(analyst, workspace.id, kitBody(brandKit, 1, { headingFont: 'Lora' }))
    expect(edit.statusCode).toBe(403)
    expect(edit.json().error.code).toBe('FORBIDDEN')
    const logo = await uploadLogo(analyst, workspace.id, { name: 'logo.png', type: 'image/png', bytes: png(2, 2) })
    expect(logo.statusCode).toBe(403)
    const archive = await h.app.inject({ method: 'POST', url: `/api/workspaces/${workspace.id}/archive`, ...json(analyst) })
    expect(archive.statusCode).toBe(403)

    const editor = await h.newMember(owner.agencyId, 'editor')
    const create = await h.app.inject({ method: 'POST', url: '/api/workspaces', ...json(editor, { name: 'No', clientName: 'No' }) })
    expect(create.statusCode).toBe(403)
    expect((await putKit(editor, workspace.id, kitBody(brandKit, 1, { headingFont: 'Lora' }))).statusCode).toBe(200)

    const approver = await h.newMember(owner.agencyId, 'client_approver')
    expect((await h.app.inject({ method: 'GET', url: '/api/workspaces', ...json(approver) })).statusCode).toBe(200)
    expect((await h.app.inject({ method: 'PATCH', url: `/api/workspaces/${workspace.id}`, ...json(approver, { name: 'X' }) })).statusCode).toBe(403)
    expect(await h.db.brandKitVersion.count({ where: { workspaceId: workspace.id } })).toBe(2)
  })

  it('refuses a change without the CSRF token', async () => {
    const { workspace, brandKit } = await createWorkspace()
    const res = await h.app.inject({
      method: 'PUT',
      url: `/api/workspaces/${workspace.id}/brand-kit`,
      headers: { cookie: owner.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify(kitBody(brandKit, 1, { headingFont: 'Lora' })),
    })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('CSRF_TOKEN_INVALID')
  })
})

describe('agency isolation', () => {
  it('a member of another agency gets 404 on every workspace and kit route, and changes nothing', async () => {
    const { workspace, brandKit } = await createWorkspace()
    await uploadLogo(owner, workspace.id, { name: 'logo.png', type: 'image/png', bytes: png(3, 3) })
    const before = await writtenState(owner.agencyId, workspace.id)
    const workspaceRow = await h.db.workspace.findUniqueOrThrow({ where: { id: workspace.id } })

    const intruder = await h.newTenant()
    const base = `/api/workspaces/${workspace.id}`
    const requests = [
      ['GET', base, undefined],
      ['PATCH', base, { name: 'Taken over' }],
      ['POST', `${base}/archive`, undefined],
      ['POST', `${base}/unarchive`, undefined],
      ['GET', `${base}/brand-kit`, undefined],
      ['PUT', `${base}/brand-kit`, kitBody(brandKit, 2, { headingFont: 'Comic Neue' })],
      ['GET', `${base}/brand-kit/versions`, undefined],
      ['GET', `${base}/brand-kit/versions/1`, undefined],
      ['GET', `${base}/brand-kit/logo`, undefined],
      ['GET', `${base}/brand-kit/logo?version=2`, undefined],
      ['DELETE', `${base}/brand-kit/logo`, undefined],
    ] as const
    for (const [method, url, body] of requests) {
      const res = await h.app.inject({ method, url, ...json(intruder, body) })
      expect(res.statusCode, `${method} ${url}`).toBe(404)
      expect(res.json().error.code).toBe('NOT_FOUND')
    }
    const upload = await uploadLogo(intruder, workspace.id, { name: 'logo.png', type: 'image/png', bytes: png(5, 5) })
    expect(upload.statusCode).toBe(404)

    const list = (await h.app.inject({ method: 'GET', url: '/api/workspaces', ...json(intruder) })).json()
    expect(list.workspaces).toEqual([])
    expect(await writtenState(owner.agencyId, workspace.id)).toEqual(before)
    expect(await h.db.workspace.findUniqueOrThrow({ where: { id: workspace.id } })).toEqual(workspaceRow)
    expect(await h.db.storedFile.count({ where: { agencyId: intruder.agencyId } })).toBe(0)
  })
})

describe('logo upload', () => {
  it('stores a PNG by its content, writes a StoredFile row and the next kit version, and serves it back', async () => {
    const { workspace } = await createWorkspace()
    const bytes = png(40, 20)
    const res = await uploadLogo(owner, workspace.id, { name: 'brand logo.png', type: 'image/png', bytes }, { baseVersion: '1' })
    expect(res.statusCode, res.body).toBe(201)
    const kit = res.json().brandKit as BrandKitDto
    expect(kit.version).toBe(2)
    expect(kit.logo).toMatchObject({ mimeType: 'image/png', originalName: 'brand logo.png', byteSize: bytes.length, sha256: sha256(bytes), width: 40, height: 20 })

    const row = await h.db.storedFile.findUniqueOrThrow({ where: { id: kit.logo!.id } })
    expect(row).toMatchObject({ agencyId: owner.agencyId, createdById: owner.userId, mimeType: 'image/png' })
    expect(row.storageKey).toMatch(new RegExp(`^agencies/${owner.agencyId}/logos/[0-9a-f-]+\\.png$`))
    expect(existsSync(path.join(uploadsDir, row.storageKey))).toBe(true)
    expect(filesUnder(path.join(uploadsDir, '.partial'))).toEqual([])

    const served = await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit/logo`, ...json(owner) })
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/png')
    expect(served.headers['x-content-type-options']).toBe('nosniff')
    expect(served.rawPayload.equals(bytes)).toBe(true)
    const notModified = await h.app.inject({
      method: 'GET',
      url: `/api/workspaces/${workspace.id}/brand-kit/logo`,
      headers: { ...owner.headers, 'if-none-match': served.headers.etag as string },
    })
    expect(notModified.statusCode).toBe(304)
    expect(notModified.rawPayload.length).toBe(0)

    const history = (await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit/versions`, ...json(owner) })).json()
    expect(history.versions[0]).toMatchObject({ version: 2, changedFields: ['logo'], summary: 'Uploaded a new logo' })
    expect((await currentBrandKit(h.db, workspace.id)).logoFileId).toBe(kit.logo!.id)
  })

  it('accepts a .png name with JPEG bytes as a JPEG', async () => {
    const { workspace } = await createWorkspace()
    const bytes = jpeg(16, 9)
    const res = await uploadLogo(owner, workspace.id, { name: 'logo.png', type: 'image/png', bytes })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().brandKit.logo).toMatchObject({ mimeType: 'image/jpeg', originalName: 'logo.png', width: 16, height: 9 })
    const row = await h.db.storedFile.findUniqueOrThrow({ where: { id: res.json().brandKit.logo.id } })
    expect(row.storageKey).toMatch(/\.jpg$/)
    const served = await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit/logo`, ...json(owner) })
    expect(served.headers['content-type']).toBe('image/jpeg')
  })

  it('refuses text, SVG, oversize and empty files, a stale base version and non-multipart bodies, with nothing written', async () => {
    const { workspace } = await createWorkspace()
    const before = await writtenState(owner.agencyId, workspace.id)
    const cases = [
      [{ name: 'logo.png', type: 'image/png', bytes: Buffer.from('definitely not an image, just some text\n'.repeat(20)) }, {}, 415, 'UNSUPPORTED_FILE_TYPE'],
      [{ name: 'logo.svg', type: 'image/svg+xml', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') }, {}, 415, 'UNSUPPORTED_FILE_TYPE'],
      // A real PNG header followed by padding: the type is fine, the size is not.
      [{ name: 'big.png', type: 'image/png', bytes: Buffer.concat([png(10, 10), Buffer.alloc(BRAND_KIT_LIMITS.logoBytes)]) }, {}, 413, 'FILE_TOO_LARGE'],
      [{ name: 'empty.png', type: 'image/png', bytes: Buffer.alloc(0) }, {}, 400, 'EMPTY_FILE'],
      [{ name: 'cut.png', type: 'image/png', bytes: png(10, 10).subarray(0, 20) }, {}, 400, 'UNREADABLE_IMAGE'],
      [{ name: 'logo.png', type: 'image/png', bytes: png(10, 10) }, { baseVersion: '7' }, 409, 'BRAND_KIT_VERSION_CONFLICT'],
      [{ name: 'logo.png', type: 'image/png', bytes: png(10, 10) }, { baseVersion: 'one' }, 400, 'VALIDATION_FAILED'],
      [{ field: 'image', name: 'logo.png', type: 'image/png', bytes: png(10, 10) }, {}, 400, 'FILE_FIELD_UNKNOWN'],
    ] as const
    for (const [file, fields, status, code] of cases) {
      const res = await uploadLogo(owner, workspace.id, file, fields)
      expect(res.statusCode, `${file.name}: ${res.body}`).toBe(status)
      expect(res.json().error.code).toBe(code)
    }
    const fieldsOnly = await multipart({ baseVersion: '1' })
    const noFile = await h.app.inject({
      method: 'POST',
      url: `/api/workspaces/${workspace.id}/brand-kit/logo`,
      headers: { ...owner.headers, 'content-type': fieldsOnly.contentType },
      payload: fieldsOnly.payload,
    })
    expect(noFile.json().error.code).toBe('FILE_REQUIRED')
    // An upload cut off half-way through the file.
    const whole = await multipart({}, { name: 'logo.png', type: 'image/png', bytes: png(200, 200, [1, 2, 3]) })
    const cut = await h.app.inject({
      method: 'POST',
      url: `/api/workspaces/${workspace.id}/brand-kit/logo`,
      headers: { ...owner.headers, 'content-type': whole.contentType },
      payload: whole.payload.subarray(0, Math.floor(whole.payload.length / 2)),
    })
    expect(cut.statusCode, cut.body).toBe(400)
    expect(cut.json().error.code).toBe('MALFORMED_MULTIPART')
    const asJson = await h.app.inject({ method: 'POST', url: `/api/workspaces/${workspace.id}/brand-kit/logo`, ...json(owner, { logo: 'base64...' }) })
    expect(asJson.statusCode).toBe(415)
    expect(asJson.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE')

    expect(await writtenState(owner.agencyId, workspace.id)).toEqual(before)
  })

  it('removes the logo as a new version; older versions keep theirs', async () => {
    const { workspace } = await createWorkspace()
    const bytes = png(8, 8)
    const uploaded = (await uploadLogo(owner, workspace.id, { name: 'logo.png', type: 'image/png', bytes })).json().brandKit
    const removed = await h.app.inject({ method: 'DELETE', url: `/api/workspaces/${workspace.id}/brand-kit/logo?baseVersion=2`, ...json(owner) })
    expect(removed.statusCode, removed.body).toBe(200)
    expect(removed.json()).toMatchObject({ created: true, brandKit: { version: 3, logo: null } })
    expect(await h.db.brandKitVersion.findFirst({ where: { workspaceId: workspace.id, version: 3 } })).toMatchObject({ logoFileId: null })

    const current = await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit/logo`, ...json(owner) })
    expect(current.statusCode).toBe(404)
    const old = await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit/logo?version=2`, ...json(owner) })
    expect(old.statusCode).toBe(200)
    expect(old.rawPayload.equals(bytes)).toBe(true)
    expect(old.headers['cache-control']).toContain('immutable')
    expect(existsSync(path.join(uploadsDir, (await h.db.storedFile.findUniqueOrThrow({ where: { id: uploaded.logo.id } })).storageKey))).toBe(true)

    const history = (await h.app.inject({ method: 'GET', url: `/api/workspaces/${workspace.id}/brand-kit/versions`, ...json(owner) })).json()
    expect(history.versions[0]).toMatchObject({ version: 3, summary: 'Removed the logo' })
    // Nothing to remove: no new version.
    const again = await h.app.inject({ method: 'DELETE', url: `/api/workspaces/${workspace.id}/brand-kit/logo`, ...json(owner) })
    expect(again.json()).toMatchObject({ created: false, brandKit: { version: 3 } })
  })
})

describe('GET /openapi.json', () => {
  it('documents the workspace and brand-kit routes, the upload as multipart and the logo as an image', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const paths = doc.paths as Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, unknown> }> }>>
    expect(Object.keys(paths['/api/workspaces/{id}/brand-kit']!).sort()).toEqual(['get', 'put'])
    expect(Object.keys(paths['/api/workspaces/{id}/brand-kit/logo']!).sort()).toEqual(['delete', 'get', 'post'])
    expect(paths['/api/workspaces/{id}/brand-kit/versions/{version}']!.get).toBeDefined()
    expect(Object.keys(paths['/api/workspaces/{id}/brand-kit/logo']!.get!.responses['200']!.content ?? {})).toContain('image/png')
    expect(paths['/api/workspaces/{id}/brand-kit/logo']!.post!.responses['415']).toBeDefined()
  })
})

describe('web pages (the API over HTTP, as the web server calls it)', () => {
  // What a route function receives (only these fields are used), for any of the three routes.
  const args = (request: Request, workspaceId?: string) => ({ request, url: new URL(request.url), params: { workspaceId }, context: {} }) as never

  /** A form post as a browser sends it without JavaScript (urlencoded), or multipart with a file. */
  const post = (who: TestMember, pathname: string, body: URLSearchParams | FormData) =>
    new Request(`http://web.test${pathname}`, { method: 'POST', body, headers: { cookie: who.cookie } })

  const form = (who: TestMember, fields: [string, string][]) => new URLSearchParams([['_csrf', who.csrfToken], ...fields])

  beforeAll(async () => {
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 })
    process.env.API_URL = address
  })

  it('creates a workspace, saves the kit from a plain form post and uploads a logo; the logo route streams it', async () => {
    const created = await workspacesAction(args(post(owner, '/workspaces', form(owner, [['intent', 'create'], ['name', 'Web Co'], ['clientName', 'Web Company'], ['description', '']]))))
    expect(created).toBeInstanceOf(Response)
    const location = (created as Response).headers.get('location')!
    const workspaceId = location.split('/').at(-1)!
    expect(location).toBe(`/workspaces/${workspaceId}`)

    const colors: [string, string][] = [['colorName', 'Primary'], ['colorHex', '#FF0000'], ['colorName', ''], ['colorHex', ''], ['colorName', 'Accent'], ['colorHex', '#f2b134'], ['colorName', 'Ink'], ['colorHex', '#1c1c1e'], ['colorName', ''], ['colorHex', '']]
    const kitFields: [string, string][] = [
      ...colors,
      ['headingFont', 'Playfair Display'],
      ['bodyFont', 'Inter'],
      ['logoPosition', 'bottom-right'],
      ['voicePrompt', 'Warm and direct.'],
      ['personality', ''],
      ['targetAudience', ''],
      ['toneAndStyle', ''],
      ['preferredPhrases', 'Good mornings\nOat-ly yours'],
      ['forbiddenPhrases', ''],
      ['defaultHashtags', 'oatmilk, #mornings'],
      ['targetPlatforms', 'instagram'],
      ['targetPlatforms', 'tiktok'],
    ]
    const saved = await workspaceAction(args(post(owner, `/workspaces/${workspaceId}`, form(owner, [['intent', 'save-kit'], ['baseVersion', '1'], ...kitFields])), workspaceId))
    expect(saved).toEqual({ intent: 'done', notice: 'Saved as version 2.' })

    const page = await workspaceLoader(args(new Request(`http://web.test/workspaces/${workspaceId}`, { headers: { cookie: owner.cookie } }), workspaceId))
    expect(page.brandKit).toMatchObject({
      version: 2,
      colors: [{ name: 'Primary', hex: '#ff0000' }, { name: 'Accent', hex: '#f2b134' }, { name: 'Ink', hex: '#1c1c1e' }],
      headingFont: 'Playfair Display',
      preferredPhrases: ['Good mornings', 'Oat-ly yours'],
      defaultHashtags: ['#oatmilk', '#mornings'],
      targetPlatforms: ['instagram', 'tiktok'],
    })
    expect(page.versions[0]).toMatchObject({ version: 2, createdBy: { id: owner.userId } })

    // The same edit again, on the old version: the editor keeps what was typed and says why.
    const stale = (await workspaceAction(args(post(owner, `/workspaces/${workspaceId}`, form(owner, [['intent', 'save-kit'], ['baseVersion', '1'], ...kitFields.map(([k, v]): [string, string] => [k, k === 'bodyFont' ? 'Lora' : v])])), workspaceId))) as unknown as { data: { errors: Record<string, string>; values: { bodyFont: string } }; init: { status: number } }
    expect(stale.init.status).toBe(409)
    expect(stale.data.values.bodyFont).toBe('Lora')
    expect(stale.data.errors.form).toContain('version 2 is now current')

    const invalid = (await workspaceAction(args(post(owner, `/workspaces/${workspaceId}`, form(owner, [['intent', 'save-kit'], ['baseVersion', '2'], ...kitFields.map(([k, v]): [string, string] => [k, v === '#f2b134' ? 'gold' : v])])), workspaceId))) as unknown as { data: { errors: Record<string, string> }; init: { status: number } }
    expect(invalid.init.status).toBe(400)
    expect(invalid.data.errors['colors.2.hex']).toBe('"gold" is not a hex color like #1a2b3c')

    const upload = new FormData()
    upload.set('_csrf', owner.csrfToken)
    upload.set('intent', 'upload-logo')
    upload.set('baseVersion', '2')
    const bytes = jpeg(24, 24)
    upload.set('logo', new File([new Uint8Array(bytes)], 'logo.jpg', { type: 'image/jpeg' }))
    const uploadRequest = post(owner, `/workspaces/${workspaceId}`, upload)
    // What a browser sends along with a form body; the action refuses uploads without it.
    const sized = new Request(uploadRequest.url, { method: 'POST', headers: uploadRequest.headers, body: await uploadRequest.arrayBuffer() })
    sized.headers.set('content-length', String((await sized.clone().arrayBuffer()).byteLength))
    expect(await workspaceAction(args(sized, workspaceId))).toEqual({ intent: 'done', notice: 'Logo uploaded as a new version.' })

    const image = await logoLoader(args(new Request(`http://web.test/workspaces/${workspaceId}/logo?version=3`, { headers: { cookie: owner.cookie } }), workspaceId))
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/jpeg')
    expect(Buffer.from(await image.arrayBuffer()).equals(bytes)).toBe(true)

    const intruder = await h.newTenant()
    const hidden = await logoLoader(args(new Request(`http://web.test/workspaces/${workspaceId}/logo`, { headers: { cookie: intruder.cookie } }), workspaceId))
    expect(hidden.status).toBe(404)
  })
})

describe('local disk storage', () => {
  it('puts with size and SHA-256, gets, deletes; refuses unsafe keys', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'greenlight-storage-'))
    try {
      const storage = createLocalDiskStorage(root)
      const bytes = Buffer.from('hello, storage')
      const put = await storage.put('a/b/c.txt', Readable.from([bytes]), { maxBytes: 100 })
      expect(put).toEqual({ key: 'a/b/c.txt', byteSize: bytes.length, sha256: sha256(bytes) })
      const chunks: Buffer[] = []
      for await (const chunk of await storage.get('a/b/c.txt')) chunks.push(chunk as Buffer)
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true)
      await storage.delete('a/b/c.txt')
      await storage.delete('a/b/c.txt')
      await expect(storage.get('a/b/c.txt')).rejects.toBeInstanceOf(StoredObjectMissingError)
      for (const key of ['../escape', '/abs', 'a//b', 'a/../b', '.hidden', '']) {
        await expect(storage.put(key, Readable.from([bytes]), { maxBytes: 100 }), key).rejects.toThrow(/not a storage key/)
      }
      expect(existsSync(path.join(root, '..', 'escape'))).toBe(false)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('leaves no file when the stream is too large or breaks off half-way', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'greenlight-storage-'))
    try {
      const storage = createLocalDiskStorage(root)
      await expect(storage.put('big.bin', Readable.from([Buffer.alloc(60), Buffer.alloc(60)]), { maxBytes: 100 })).rejects.toBeInstanceOf(FileTooLargeError)
      const broken = Readable.from(
        (async function* () {
          yield Buffer.alloc(50)
          throw new Error('connection reset')
        })(),
      )
      await expect(storage.put('broken.bin', broken, { maxBytes: 100 })).rejects.toThrow('connection reset')
      expect(filesUnder(root)).toEqual([])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
