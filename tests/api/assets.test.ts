// Workspace asset uploads through the API on a real PostgreSQL, stored on local disk in a folder of this
// test's own, with small upload limits: every way an upload can be refused (and that it then leaves no row
// and no file), what a good upload records, duplicates, the library list, serving bytes, deletion, tenant
// isolation and what creators may open. One upload is cut off mid-body on a real socket.
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { jpegImage, movie, pngImage, webpImage } from '../support/media-fixtures'

// The app reads its storage folder and upload limits from the environment when it is built: vitest runs this
// hoisted block before the imports above, so this file gets its own folder and small limits.
const dataDir = vi.hoisted(() => {
  const { mkdtempSync } = process.getBuiltinModule('node:fs')
  const { tmpdir } = process.getBuiltinModule('node:os')
  const { join } = process.getBuiltinModule('node:path')
  const dir = mkdtempSync(join(tmpdir(), 'greenlight-assets-'))
  process.env.GREENLIGHT_DATA_DIR = dir
  process.env.STORAGE_DRIVER = 'local'
  process.env.UPLOAD_MAX_FILE_BYTES = String(256 * 1024)
  process.env.UPLOAD_MAX_FILES = '4'
  return dir
})

const MAX_FILE_BYTES = 256 * 1024
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
interface UploadFile {
  name: string
  bytes: Buffer
  /** What the client claims; the server ignores it. */
  type?: string
  field?: string
}
interface AssetDto {
  id: string
  workspaceId: string
  name: string
  kind: 'image' | 'video'
  mimeType: string
  byteSize: number
  sha256: string
  width: number | null
  height: number | null
  durationMs: number | null
  hasThumbnail: boolean
  createdById: string | null
  contentUrl: string
  thumbnailUrl: string | null
}

async function createWorkspace(who: Who = owner): Promise<string> {
  const name = `Brand ${randomUUID().slice(0, 8)}`
  const res = await h.app.inject({ method: 'POST', url: '/api/workspaces', headers: { ...who.headers, 'content-type': 'application/json' }, payload: JSON.stringify({ name, clientName: name }) })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().workspace.id as string
}

/** A multipart body as a browser sends it. */
async function multipartBody(files: UploadFile[], fields: Record<string, string> = {}) {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  for (const file of files) form.append(file.field ?? 'files', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name)
  const request = new Request('http://api.test/', { method: 'POST', body: form })
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! }
}

async function upload(who: Who, workspaceId: string, files: UploadFile[], fields: Record<string, string> = {}) {
  const body = await multipartBody(files, fields)
  return h.app.inject({
    method: 'POST',
    url: `/api/workspaces/${workspaceId}/assets`,
    headers: { ...who.headers, 'content-type': body.contentType },
    payload: body.payload,
  })
}

async function uploadOk(who: Who, workspaceId: string, files: UploadFile[]): Promise<{ asset: AssetDto; duplicate: boolean }[]> {
  const res = await upload(who, workspaceId, files)
  expect(res.statusCode, res.body).toBe(201)
  return res.json().assets
}

/** Uploads one file and returns its asset. */
async function uploadOne(who: Who, workspaceId: string, file: UploadFile): Promise<AssetDto> {
  const [entry] = await uploadOk(who, workspaceId, [file])
  return entry!.asset
}

/** Every file under the uploads folder, partial uploads included. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
}

async function writtenState() {
  return { files: filesUnder(uploadsDir), rows: await h.db.storedFile.count() }
}

/** Refused with `status` and `code`, naming `fileName` in its details, and nothing written. */
async function expectRefused(res: Awaited<ReturnType<typeof upload>>, before: Awaited<ReturnType<typeof writtenState>>, status: number, code: string, fileName?: string) {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.json().error.code).toBe(code)
  if (fileName) {
    expect(res.json().error.message).toContain(fileName)
    expect(res.json().error.details).toEqual([expect.objectContaining({ path: expect.stringMatching(/^\/files\/\d+$/), message: expect.stringContaining(fileName) })])
  }
  expect(await writtenState()).toEqual(before)
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const get = (who: Who, url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers: { ...who.headers, ...headers } })

async function cardFor(agencyId: string, workspaceId: string, assigneeCreatorId: string | null) {
  const campaign = await h.db.campaign.create({ data: { agencyId, workspaceId, name: 'Launch', platforms: ['instagram'], keyMessages: [], workflowId: `campaign:${randomUUID()}` } })
  return h.db.contentTask.create({ data: { agencyId, workspaceId, campaignId: campaign.id, title: 'Reel 1', platform: 'instagram', position: 'a0', assigneeCreatorId } })
}

// ---- tests ----

describe('uploading assets', () => {
  it('stores JPEG, PNG, WebP, MP4 and MOV in one request with their dimensions, durations and image thumbnails', async () => {
    const workspaceId = await createWorkspace()
    const files = {
      jpeg: await jpegImage(1200, 800),
      png: await pngImage(300, 700),
      webp: await webpImage(2000, 1000),
      mp4: movie({ width: 1280, height: 720, durationMs: 15_000 }),
      mov: movie({ brand: 'qt  ', moovFirst: false, width: 1920, height: 1080, durationMs: 4_200, rotated: true }),
    }
    // Four at a time (this file's limit); names and claimed types are the client's and do not matter.
    const first = await uploadOk(owner, workspaceId, [
      { name: 'hero.jpg', bytes: files.jpeg, type: 'image/jpeg' },
      { name: 'logo.png', bytes: files.png, type: 'image/png' },
      { name: 'banner.webp', bytes: files.webp, type: 'text/plain' },
      { name: 'clip.mp4', bytes: files.mp4, type: 'video/mp4' },
    ])
    const second = await uploadOk(owner, workspaceId, [{ name: 'upright.MOV', bytes: files.mov, type: 'video/quicktime' }])
    const assets = [...first, ...second].map((entry) => {
      expect(entry.duplicate).toBe(false)
      return entry.asset
    })
    expect(assets.map(({ name, kind, mimeType, width, height, durationMs, hasThumbnail }) => ({ name, kind, mimeType, width, height, durationMs, hasThumbnail }))).toEqual([
      { name: 'hero.jpg', kind: 'image', mimeType: 'image/jpeg', width: 1200, height: 800, durationMs: null, hasThumbnail: true },
      { name: 'logo.png', kind: 'image', mimeType: 'image/png', width: 300, height: 700, durationMs: null, hasThumbnail: true },
      { name: 'banner.webp', kind: 'image', mimeType: 'image/webp', width: 2000, height: 1000, durationMs: null, hasThumbnail: true },
      { name: 'clip.mp4', kind: 'video', mimeType: 'video/mp4', width: 1280, height: 720, durationMs: 15_000, hasThumbnail: false },
      { name: 'upright.MOV', kind: 'video', mimeType: 'video/quicktime', width: 1080, height: 1920, durationMs: 4_200, hasThumbnail: false },
    ])

    // The rows: checksum, size, uploader and workspace; the objects under the agency's and workspace's keys.
    const rows = await h.db.storedFile.findMany({ where: { id: { in: assets.map((asset) => asset.id) } } })
    const bytesOf = [files.jpeg, files.png, files.webp, files.mp4, files.mov]
    for (const [i, asset] of assets.entries()) {
      const row = rows.find((candidate) => candidate.id === asset.id)!
      expect(row).toMatchObject({ agencyId: owner.agencyId, workspaceId, createdById: owner.userId, sha256: sha256(bytesOf[i]!), byteSize: bytesOf[i]!.length })
      expect(row.storageKey).toMatch(new RegExp(`^agencies/${owner.agencyId}/workspaces/${workspaceId}/assets/[0-9a-f-]{36}\\.(jpg|png|webp|mp4|mov)$`))
      expect(readFileSync(path.join(uploadsDir, row.storageKey))).toEqual(bytesOf[i])
      expect(row.thumbnailKey === null).toBe(asset.kind === 'video')
    }

    // Thumbnails: JPEGs of at most 480 px beside the original; videos have none.
    for (const asset of assets.filter((candidate) => candidate.kind === 'image')) {
      const res = await get(owner, asset.thumbnailUrl!)
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('image/jpeg')
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length)
      const thumbnail = await sharp(res.rawPayload).metadata()
      expect(thumbnail.format).toBe('jpeg')
      expect(Math.max(thumbnail.width, thumbnail.height)).toBe(480)
    }
    const video = assets.find((asset) => asset.kind === 'video')!
    expect(video.thumbnailUrl).toBeNull()
    expect((await get(owner, `/api/assets/${video.id}/thumbnail`)).statusCode).toBe(404)
  })

  it('serves the bytes with type, length, ETag (the SHA-256), nosniff, and byte ranges for seeking', async () => {
    const workspaceId = await createWorkspace()
    const bytes = movie({ mdatBytes: 50_000 })
    const asset = await uploadOne(owner, workspaceId, { name: 'clip “final”.mp4', bytes })

    const whole = await get(owner, asset.contentUrl)
    expect(whole.statusCode).toBe(200)
    expect(whole.rawPayload).toEqual(bytes)
    expect(whole.headers).toMatchObject({
      'content-type': 'video/mp4',
      'content-length': String(bytes.length),
      etag: `"${sha256(bytes)}"`,
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
    })
    expect(whole.headers['content-disposition']).toBe(`inline; filename="clip _final_.mp4"; filename*=UTF-8''${encodeURIComponent('clip “final”.mp4')}`)

    const part = await get(owner, asset.contentUrl, { range: 'bytes=100-1099' })
    expect(part.statusCode).toBe(206)
    expect(part.headers).toMatchObject({ 'content-range': `bytes 100-1099/${bytes.length}`, 'content-length': '1000' })
    expect(part.rawPayload).toEqual(bytes.subarray(100, 1100))

    const tail = await get(owner, asset.contentUrl, { range: 'bytes=-10' })
    expect(tail.statusCode).toBe(206)
    expect(tail.rawPayload).toEqual(bytes.subarray(bytes.length - 10))

    const past = await get(owner, asset.contentUrl, { range: `bytes=${bytes.length}-` })
    expect(past.statusCode).toBe(416)
    expect(past.headers['content-range']).toBe(`bytes */${bytes.length}`)
    expect(past.json().error.code).toBe('RANGE_NOT_SATISFIABLE')

    const cached = await get(owner, asset.contentUrl, { 'if-none-match': `"${sha256(bytes)}"` })
    expect(cached.statusCode).toBe(304)
    expect(cached.rawPayload.length).toBe(0)
  })

  it('decides the type by content: an image named .mov is stored and served as the image it is', async () => {
    const workspaceId = await createWorkspace()
    const asset = await uploadOne(owner, workspaceId, { name: 'holiday.mov', bytes: await pngImage(64, 48), type: 'video/quicktime' })
    expect(asset).toMatchObject({ kind: 'image', mimeType: 'image/png', width: 64, height: 48 })
    expect((await h.db.storedFile.findUniqueOrThrow({ where: { id: asset.id } })).storageKey).toMatch(/\.png$/)
    expect((await get(owner, asset.contentUrl)).headers['content-type']).toBe('image/png')
  })
})

describe('refused uploads leave no row and no file', () => {
  it('refuses wrong magic bytes behind a .jpg name (415), removing the good file stored before it', async () => {
    const workspaceId = await createWorkspace()
    const before = await writtenState()
    const res = await upload(owner, workspaceId, [
      { name: 'fine.png', bytes: await pngImage(100, 100), type: 'image/png' },
      { name: 'photo.jpg', bytes: Buffer.from('#!/bin/sh\necho this is not a photo\n'), type: 'image/jpeg' },
    ])
    await expectRefused(res, before, 415, 'UNSUPPORTED_FILE_TYPE', 'photo.jpg')
    expect(res.json().error.details[0].path).toBe('/files/1')
  })

  it('refuses an SVG and a GIF named .png', async () => {
    const workspaceId = await createWorkspace()
    const before = await writtenState()
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    await expectRefused(await upload(owner, workspaceId, [{ name: 'icon.png', bytes: svg, type: 'image/png' }]), before, 415, 'UNSUPPORTED_FILE_TYPE', 'icon.png')
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123456' } }).gif().toBuffer()
    await expectRefused(await upload(owner, workspaceId, [{ name: 'anim.png', bytes: gif }]), before, 415, 'UNSUPPORTED_FILE_TYPE', 'anim.png')
  })

  it('refuses a file over the configured size (413), after a good one', async () => {
    const workspaceId = await createWorkspace()
    const before = await writtenState()
    const big = movie({ mdatBytes: MAX_FILE_BYTES + 10_000 })
    const res = await upload(owner, workspaceId, [
      { name: 'small.jpg', bytes: await jpegImage(200, 200) },
      { name: 'huge.mp4', bytes: big },
    ])
    await expectRefused(res, before, 413, 'FILE_TOO_LARGE', 'huge.mp4')
    expect(res.json().error.message).toContain('256 KB')
  })

  it('accepts a file of exactly the limit', async () => {
    const workspaceId = await createWorkspace()
    const shell = movie({ mdatBytes: 0 }).length
    const exact = movie({ mdatBytes: MAX_FILE_BYTES - shell })
    expect(exact.length).toBe(MAX_FILE_BYTES)
    expect((await uploadOk(owner, workspaceId, [{ name: 'exact.mp4', bytes: exact }]))[0]!.asset.byteSize).toBe(MAX_FILE_BYTES)
  })

  it('refuses more files than the configured number (413 TOO_MANY_FILES)', async () => {
    const workspaceId = await createWorkspace()
    const before = await writtenState()
    const files = await Promise.all([1, 2, 3, 4, 5].map(async (n) => ({ name: `p${n}.png`, bytes: await pngImage(10 + n, 10) })))
    const res = await upload(owner, workspaceId, files)
    await expectRefused(res, before, 413, 'TOO_MANY_FILES')
    expect(res.json().error.message).toContain('at most 4 files')
  })

  it('refuses a zero-byte file (400 EMPTY_FILE)', async () => {
    const workspaceId = await createWorkspace()
    const before = await writtenState()
    const res = await upload(owner, workspaceId, [
      { name: 'ok.webp', bytes: await webpImage(50, 50) },
      { name: 'empty.mp4', bytes: Buffer.alloc(0), type: 'video/mp4' },
    ])
    await expectRefused(res, before, 400, 'EMPTY_FILE', 'empty.mp4')
  })

  it('refuses a truncated MP4 (400 UNREADABLE_MEDIA), whether cut in the media data or before its movie header', async () => {
    const workspaceId = await createWorkspace()
    const before = await writtenState()
    const moovFirst = movie({ mdatBytes: 40_000 })
    await expectRefused(
      await upload(owner, workspaceId, [{ name: 'cut.mp4', bytes: moovFirst.subarray(0, moovFirst.length - 10_000) }]),
      before,
      400,
      'UNREADABLE_MEDIA',
      'cut.mp4',
    )
    const moovLast = movie({ moovFirst: false, mdatBytes: 40_000 })
    await expectRefused(
      await upload(owner, workspaceId, [{ name: 'camera-crash.mov', bytes: moovLast.subarray(0, 20_000) }]),
      before,
      400,
      'UNREADABLE_MEDIA',
      'camera-crash.mov',
    )
  })

  it('refuses an image that cannot be decoded (400 UNREADABLE_MEDIA)', async () => {
    const workspaceId = await createWorkspace()
    const before = await writtenState()
    const jpeg = await jpegImage(1000, 1000)
    await expectRefused(await upload(owner, workspaceId, [{ name: 'half.jpg', bytes: jpeg.subarray(0, jpeg.length >> 1) }]), before, 400, 'UNREADABLE_MEDIA', 'half.jpg')
  })

  it('refuses a request without files (400 NO_FILES), one in another field, and one that is not multipart', async () => {
    const workspaceId = await createWorkspace()
    const before = await writtenState()
    await expectRefused(await upload(owner, workspaceId, [], { note: 'forgot the files' }), before, 400, 'NO_FILES')
    await expectRefused(await upload(owner, workspaceId, []), before, 400, 'NO_FILES')
    const wrongField = await upload(owner, workspaceId, [{ name: 'a.png', bytes: await pngImage(5, 5), field: 'logo' }])
    await expectRefused(wrongField, before, 400, 'FILE_FIELD_UNKNOWN')
    const json = await h.app.inject({ method: 'POST', url: `/api/workspaces/${workspaceId}/assets`, headers: { ...owner.headers, 'content-type': 'application/json' }, payload: '{}' })
    await expectRefused(json, before, 415, 'UNSUPPORTED_MEDIA_TYPE')
  })

  it('refuses uploads to an archived workspace (409), and to a workspace that does not exist (404)', async () => {
    const workspaceId = await createWorkspace()
    expect((await h.app.inject({ method: 'POST', url: `/api/workspaces/${workspaceId}/archive`, headers: owner.headers })).statusCode).toBe(200)
    const before = await writtenState()
    await expectRefused(await upload(owner, workspaceId, [{ name: 'a.png', bytes: await pngImage(5, 5) }]), before, 409, 'WORKSPACE_ARCHIVED')
    await expectRefused(await upload(owner, randomUUID(), [{ name: 'a.png', bytes: await pngImage(5, 5) }]), before, 404, 'NOT_FOUND')
  })

  it('removes everything when the connection is cut in the middle of the second file', async () => {
    const workspaceId = await createWorkspace()
    const before = await writtenState()
    const body = await multipartBody([
      { name: 'first.jpg', bytes: await jpegImage(900, 600) },
      { name: 'second.mp4', bytes: movie({ mdatBytes: 200_000 }) },
    ])
    // Up to well inside the second file: the first is complete (and stored), the second half-sent.
    const cutAt = body.payload.indexOf('second.mp4') + 60_000
    expect(cutAt).toBeLessThan(body.payload.length - 100_000)

    await h.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = h.app.server.address() as AddressInfo
    const socket = net.connect(port, '127.0.0.1')
    await new Promise<void>((resolve) => socket.once('connect', resolve))
    socket.write(
      [
        `POST /api/workspaces/${workspaceId}/assets HTTP/1.1`,
        'host: 127.0.0.1',
        `cookie: ${owner.headers.cookie}`,
        `x-csrf-token: ${owner.headers['x-csrf-token']}`,
        `content-type: ${body.contentType}`,
        `content-length: ${body.payload.length}`,
        '',
        '',
      ].join('\r\n'),
    )
    socket.write(body.payload.subarray(0, cutAt))

    // The first file (and its thumbnail) reach storage while the second is still arriving.
    await vi.waitFor(() => expect(filesUnder(uploadsDir).filter((file) => !before.files.includes(file) && !file.includes('.partial')).length).toBe(2), { timeout: 10_000, interval: 50 })
    socket.destroy()

    await vi.waitFor(async () => expect(await writtenState()).toEqual(before), { timeout: 10_000, interval: 50 })
    expect(await h.db.storedFile.count({ where: { workspaceId } })).toBe(0)
  })
})

describe('duplicates', () => {
  it('answers a file the workspace already has with the existing asset and keeps no second copy', async () => {
    const workspaceId = await createWorkspace()
    const photo = await jpegImage(640, 480)
    const [original] = await uploadOk(owner, workspaceId, [{ name: 'photo.jpg', bytes: photo }])
    const before = await writtenState()

    const again = await uploadOk(owner, workspaceId, [
      { name: 'photo-copy.jpg', bytes: photo },
      { name: 'new.png', bytes: await pngImage(20, 20) },
    ])
    expect(again[0]).toEqual({ asset: original!.asset, duplicate: true })
    expect(again[1]!.duplicate).toBe(false)
    const after = await writtenState()
    // Only the new PNG and its thumbnail were added.
    expect(after.rows).toBe(before.rows + 1)
    expect(after.files.length).toBe(before.files.length + 2)

    // The same bytes twice in one request: the second is the first.
    const clip = movie({ durationMs: 9_000 })
    const pair = await uploadOk(owner, workspaceId, [
      { name: 'a.mp4', bytes: clip },
      { name: 'b.mp4', bytes: clip },
    ])
    expect(pair.map((entry) => entry.duplicate)).toEqual([false, true])
    expect(pair[1]!.asset.id).toBe(pair[0]!.asset.id)
    expect(await h.db.storedFile.count({ where: { workspaceId, sha256: sha256(clip) } })).toBe(1)

    // Another workspace is another library.
    const other = await createWorkspace()
    expect((await uploadOk(owner, other, [{ name: 'photo.jpg', bytes: photo }]))[0]!.duplicate).toBe(false)
  })
})

describe('the library', () => {
  it('lists newest first, by kind, a page at a time', async () => {
    const workspaceId = await createWorkspace()
    const uploaded: AssetDto[] = []
    for (const [n, bytes] of [await pngImage(11, 11), movie({ durationMs: 1000 }), await pngImage(12, 12), movie({ durationMs: 2000 }), await pngImage(13, 13)].entries()) {
      uploaded.push((await uploadOk(owner, workspaceId, [{ name: `f${n}`, bytes }]))[0]!.asset)
    }
    const newestFirst = [...uploaded].reverse().map((asset) => asset.id)

    const all = await get(owner, `/api/workspaces/${workspaceId}/assets`)
    expect(all.statusCode).toBe(200)
    expect(all.json().assets.map((asset: AssetDto) => asset.id)).toEqual(newestFirst)
    expect(all.json().nextCursor).toBeNull()

    const videos = await get(owner, `/api/workspaces/${workspaceId}/assets?kind=video`)
    expect(videos.json().assets.map((asset: AssetDto) => asset.name)).toEqual(['f3', 'f1'])

    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page = await get(owner, `/api/workspaces/${workspaceId}/assets?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.statusCode, page.body).toBe(200)
      expect(page.json().assets.length).toBeLessThanOrEqual(2)
      seen.push(...page.json().assets.map((asset: AssetDto) => asset.id))
      cursor = page.json().nextCursor
    } while (cursor)
    expect(seen).toEqual(newestFirst)

    expect((await get(owner, `/api/workspaces/${workspaceId}/assets?cursor=bm9wZQ`)).json().error.code).toBe('CURSOR_INVALID')
    expect((await get(owner, `/api/workspaces/${workspaceId}/assets?kind=audio`)).statusCode).toBe(400)
    expect((await get(owner, `/api/workspaces/${workspaceId}/assets?limit=500`)).statusCode).toBe(400)
    expect((await get(owner, `/api/workspaces/${randomUUID()}/assets`)).statusCode).toBe(404)
  })
})

describe('deleting', () => {
  it('deletes an unused asset with its bytes and thumbnail; refuses one used by a card, a brand kit or a brief (409 ASSET_IN_USE)', async () => {
    const workspaceId = await createWorkspace()
    const [unused, onCard, asLogo, onBrief] = (await uploadOk(owner, workspaceId, [
      { name: 'unused.jpg', bytes: await jpegImage(300, 300) },
      { name: 'card.png', bytes: await pngImage(30, 30) },
      { name: 'logo.png', bytes: await pngImage(31, 31) },
      { name: 'mood.png', bytes: await pngImage(32, 32) },
    ])).map((entry) => entry.asset) as [AssetDto, AssetDto, AssetDto, AssetDto]
    // A moodboard reference in a brief.
    const brief = await h.app.inject({
      method: 'POST',
      url: '/api/campaigns',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ workspaceId, name: 'Moodboard brief', references: [{ kind: 'upload', fileId: onBrief.id, note: 'the mood' }] }),
    })
    expect(brief.statusCode, brief.body).toBe(201)
    const card = await cardFor(owner.agencyId, workspaceId, null)
    await h.db.cardAsset.create({ data: { agencyId: owner.agencyId, cardId: card.id, fileId: onCard.id } })
    const kit = await h.db.brandKitVersion.findFirstOrThrow({ where: { workspaceId } })
    await h.db.brandKitVersion.update({ where: { id: kit.id }, data: { logoFileId: asLogo.id } })

    for (const asset of [onCard, asLogo, onBrief]) {
      const res = await h.app.inject({ method: 'DELETE', url: `/api/assets/${asset.id}`, headers: owner.headers })
      expect(res.statusCode).toBe(409)
      expect(res.json().error.code).toBe('ASSET_IN_USE')
      expect(await h.db.storedFile.count({ where: { id: asset.id } })).toBe(1)
    }

    const row = await h.db.storedFile.findUniqueOrThrow({ where: { id: unused.id } })
    expect(existsSync(path.join(uploadsDir, row.storageKey))).toBe(true)
    expect(existsSync(path.join(uploadsDir, row.thumbnailKey!))).toBe(true)
    const res = await h.app.inject({ method: 'DELETE', url: `/api/assets/${unused.id}`, headers: owner.headers })
    expect(res.statusCode).toBe(204)
    expect(await h.db.storedFile.count({ where: { id: unused.id } })).toBe(0)
    expect(existsSync(path.join(uploadsDir, row.storageKey))).toBe(false)
    expect(existsSync(path.join(uploadsDir, row.thumbnailKey!))).toBe(false)
    expect((await h.app.inject({ method: 'DELETE', url: `/api/assets/${unused.id}`, headers: owner.headers })).statusCode).toBe(404)
    expect((await get(owner, unused.contentUrl)).statusCode).toBe(404)
  })
})

describe('who may see and change assets', () => {
  it('keeps agencies apart: another agency gets 404 for the workspace and its assets, and can upload nothing there', async () => {
    const workspaceId = await createWorkspace()
    const asset = await uploadOne(owner, workspaceId, { name: 'secret.jpg', bytes: await jpegImage(100, 100) })
    const other = await h.newTenant()

    expect((await get(other, `/api/workspaces/${workspaceId}/assets`)).statusCode).toBe(404)
    expect((await get(other, asset.contentUrl)).statusCode).toBe(404)
    expect((await get(other, asset.thumbnailUrl!)).statusCode).toBe(404)
    expect((await h.app.inject({ method: 'DELETE', url: `/api/assets/${asset.id}`, headers: other.headers })).statusCode).toBe(404)
    const before = await writtenState()
    await expectRefused(await upload(other, workspaceId, [{ name: 'intruder.png', bytes: await pngImage(9, 9) }]), before, 404, 'NOT_FOUND')
    expect(await h.db.storedFile.count({ where: { id: asset.id } })).toBe(1)
  })

  it('lets the roles do what the matrix says: analysts read, client approvers view, neither uploads or deletes', async () => {
    const workspaceId = await createWorkspace()
    const asset = await uploadOne(owner, workspaceId, { name: 'a.jpg', bytes: await jpegImage(50, 50) })
    const analyst = await h.newMember(owner.agencyId, 'analyst')
    const approver = await h.newMember(owner.agencyId, 'client_approver')
    for (const member of [analyst, approver]) {
      expect((await get(member, `/api/workspaces/${workspaceId}/assets`)).statusCode).toBe(200)
      expect((await get(member, asset.contentUrl)).statusCode).toBe(200)
      expect((await upload(member, workspaceId, [{ name: 'b.png', bytes: await pngImage(5, 5) }])).statusCode).toBe(403)
      expect((await h.app.inject({ method: 'DELETE', url: `/api/assets/${asset.id}`, headers: member.headers })).statusCode).toBe(403)
    }
    const editor = await h.newMember(owner.agencyId, 'editor')
    expect((await upload(editor, workspaceId, [{ name: 'c.png', bytes: await pngImage(6, 6) }])).statusCode).toBe(201)
  })

  it('shows a creator only their own uploads and the files on cards assigned to them', async () => {
    const workspaceId = await createWorkspace()
    const creatorUser = await h.newMember(owner.agencyId, 'creator')
    const profile = await h.db.creator.create({ data: { agencyId: owner.agencyId, displayName: 'Maya', userId: creatorUser.userId } })
    const otherProfile = await h.db.creator.create({ data: { agencyId: owner.agencyId, displayName: 'Sam' } })
    const photo = await jpegImage(400, 300)
    const [agencyFile, onTheirCard, onSomeoneElsesCard] = (await uploadOk(owner, workspaceId, [
      { name: 'agency.jpg', bytes: photo },
      { name: 'brief-ref.png', bytes: await pngImage(40, 40) },
      { name: 'other.png', bytes: await pngImage(41, 41) },
    ])).map((entry) => entry.asset) as [AssetDto, AssetDto, AssetDto]
    const theirCard = await cardFor(owner.agencyId, workspaceId, profile.id)
    const otherCard = await cardFor(owner.agencyId, workspaceId, otherProfile.id)
    await h.db.cardAsset.create({ data: { agencyId: owner.agencyId, cardId: theirCard.id, fileId: onTheirCard.id, role: 'reference' } })
    await h.db.cardAsset.create({ data: { agencyId: owner.agencyId, cardId: otherCard.id, fileId: onSomeoneElsesCard.id, role: 'reference' } })

    // The library itself is not theirs to browse.
    expect((await get(creatorUser, `/api/workspaces/${workspaceId}/assets`)).statusCode).toBe(403)

    // Nor is it theirs to upload into: a creator's files arrive as drafts on their own cards.
    expect((await upload(creatorUser, workspaceId, [{ name: 'stray.jpg', bytes: photo }])).statusCode).toBe(403)
    const draft = async (name: string) => {
      const body = await multipartBody([{ name, bytes: photo, field: 'draft', type: 'image/jpeg' }])
      const res = await h.app.inject({ method: 'POST', url: `/api/cards/${theirCard.id}/drafts`, headers: { ...creatorUser.headers, 'content-type': body.contentType }, payload: body.payload })
      expect(res.statusCode, res.body).toBe(200)
      return res.json().assets as { fileId: string; name: string; contentUrl: string; thumbnailUrl: string }[]
    }
    // Their own upload of the same bytes as an agency file is theirs, not the agency's asset they cannot see;
    // the same bytes again are recognised as their earlier upload.
    const own = (await draft('my-draft.jpg')).find((asset) => asset.name === 'my-draft.jpg')!
    expect(own.fileId).not.toBe(agencyFile.id)
    expect((await h.db.storedFile.findUniqueOrThrow({ where: { id: own.fileId } })).createdById).toBe(creatorUser.userId)
    expect((await get(creatorUser, own.contentUrl)).rawPayload).toEqual(photo)
    expect((await get(creatorUser, own.thumbnailUrl)).statusCode).toBe(200)
    expect((await draft('my-draft-again.jpg')).map((asset) => asset.fileId)).not.toContain(agencyFile.id)
    expect(await h.db.storedFile.count({ where: { workspaceId, createdById: creatorUser.userId } })).toBe(1)

    expect((await get(creatorUser, onTheirCard.contentUrl)).statusCode).toBe(200)
    expect((await get(creatorUser, onTheirCard.thumbnailUrl!)).statusCode).toBe(200)
    expect((await get(creatorUser, agencyFile.contentUrl)).statusCode).toBe(404)
    expect((await get(creatorUser, onSomeoneElsesCard.contentUrl)).statusCode).toBe(404)
    expect((await get(creatorUser, onSomeoneElsesCard.thumbnailUrl!)).statusCode).toBe(404)

    // Deleting from the library is the agency's: a creator detaches a draft from their card instead.
    expect((await h.app.inject({ method: 'DELETE', url: `/api/assets/${agencyFile.id}`, headers: creatorUser.headers })).statusCode).toBe(403)
    expect((await h.app.inject({ method: 'DELETE', url: `/api/cards/${theirCard.id}/assets/${own.fileId}`, headers: creatorUser.headers })).statusCode).toBe(200)
  })
})
