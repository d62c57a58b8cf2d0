// GET/HEAD /api/public/media/:token/:filename on the whole API (buildApp, which registers the public media
// routes), a real PostgreSQL database and real files on local disk storage:
// the bytes without a session, byte ranges, and the refusals of expired, tampered and foreign links.
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { Client, Connection } from '@temporalio/client'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../api/app'
import type { Database } from '../../platform/database'
import { MEDIA_LINK_PATH_PREFIX, createMediaLinkSigner } from '../../platform/media-links'
import { createLocalDiskStorage, type FileStorage } from '../../platform/storage'
import { testApiSettings, testAppOptions } from '../support/api'
import { createAgency, createWorkspace, testDatabase } from '../support/database'
import { jpegImage, movie } from '../support/media-fixtures'

const SECRET = 'public-media-test-secret-0123456789-abcdef'
const signer = createMediaLinkSigner(SECRET)
const inADay = () => new Date(Date.now() + 86_400_000)

let database: Awaited<ReturnType<typeof testDatabase>>
let storage: FileStorage
let app: FastifyInstance
let image: { id: string; bytes: Buffer }
let video: { id: string; bytes: Buffer }

async function storeFile(db: Database, agencyId: string, workspaceId: string, bytes: Buffer, mimeType: string, extension: string) {
  const storageKey = `agencies/${agencyId}/assets/${randomUUID()}.${extension}`
  const put = await storage.put(storageKey, Readable.from([bytes]), { maxBytes: bytes.length })
  const file = await db.storedFile.create({
    data: { agencyId, workspaceId, storageKey, originalName: `Draft ${randomUUID().slice(0, 6)}.${extension}`, mimeType, kind: mimeType.startsWith('video/') ? 'video' : 'image', byteSize: put.byteSize, sha256: put.sha256 },
  })
  return { id: file.id, bytes, storageKey }
}

beforeAll(async () => {
  database = await testDatabase()
  storage = createLocalDiskStorage(mkdtempSync(path.join(os.tmpdir(), 'public-media-')))
  // Nothing on these routes talks to Temporal: a client that never connects stands in for the process's one.
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) })
  // The app signs and checks media links with the review link secret: this file's own.
  process.env.REVIEW_LINK_SECRET = SECRET
  app = await buildApp({ ...testAppOptions(database.db, temporal, testApiSettings('public-media-test')), storage })
  await app.ready()

  const agency = await createAgency(database.db)
  const workspace = await createWorkspace(database.db, agency.id)
  image = await storeFile(database.db, agency.id, workspace.id, await jpegImage(64, 48), 'image/jpeg', 'jpg')
  video = await storeFile(database.db, agency.id, workspace.id, movie({ mdatBytes: 20_000 }), 'video/mp4', 'mp4')
})

afterAll(async () => {
  await app?.close()
  await database?.drop()
})

const linkTo = (fileId: string, filename: string, expiresAt = inADay()) => signer.sign({ fileId, filename, expiresAt })
/** A link's token and filename. */
function partsOf(url: string): { token: string; filename: string } {
  const [token, filename] = url.slice(MEDIA_LINK_PATH_PREFIX.length).split('/') as [string, string]
  return { token, filename }
}
const errorCode = (res: { json(): { error: { code: string } } }) => res.json().error.code

describe('a valid link', () => {
  it('serves the file’s bytes and type to anyone, without a session', async () => {
    const url = linkTo(image.id, 'draft.jpg')
    expect(url).toMatch(/^\/api\/public\/media\/[A-Za-z0-9_.-]+\/draft\.jpg$/)
    const res = await app.inject({ method: 'GET', url })
    expect(res.statusCode).toBe(200)
    expect(res.rawPayload.equals(image.bytes)).toBe(true)
    expect(res.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'content-length': String(image.bytes.length),
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-cache',
    })
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{64}"$/)
    expect(res.headers['set-cookie']).toBeUndefined()
  })

  it('answers HEAD with the type and length and no body', async () => {
    const res = await app.inject({ method: 'HEAD', url: linkTo(video.id, 'clip.mp4') })
    expect(res.statusCode).toBe(200)
    expect(res.headers).toMatchObject({ 'content-type': 'video/mp4', 'content-length': String(video.bytes.length), 'accept-ranges': 'bytes' })
    expect(res.rawPayload.length).toBe(0)
  })

  it('serves a single byte range with 206, and refuses one outside the file with 416', async () => {
    const url = linkTo(video.id, 'clip.mp4')
    const part = await app.inject({ method: 'GET', url, headers: { range: 'bytes=100-1099' } })
    expect(part.statusCode).toBe(206)
    expect(part.headers).toMatchObject({ 'content-range': `bytes 100-1099/${video.bytes.length}`, 'content-length': '1000', 'content-type': 'video/mp4' })
    expect(part.rawPayload.equals(video.bytes.subarray(100, 1100))).toBe(true)

    const tail = await app.inject({ method: 'GET', url, headers: { range: 'bytes=-10' } })
    expect(tail.statusCode).toBe(206)
    expect(tail.rawPayload.equals(video.bytes.subarray(video.bytes.length - 10))).toBe(true)

    const past = await app.inject({ method: 'GET', url, headers: { range: `bytes=${video.bytes.length}-` } })
    expect(past.statusCode).toBe(416)
    expect(past.headers['content-range']).toBe(`bytes */${video.bytes.length}`)
    expect(errorCode(past)).toBe('RANGE_NOT_SATISFIABLE')
  })

  it('answers 304 to a fetcher that already has the bytes (If-None-Match)', async () => {
    const url = linkTo(image.id, 'draft.jpg')
    const first = await app.inject({ method: 'GET', url })
    const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': first.headers.etag as string } })
    expect(again.statusCode).toBe(304)
    expect(again.rawPayload.length).toBe(0)
  })

  it('the filename is for the fetcher only: the token alone names the file and its type', async () => {
    const { token } = partsOf(linkTo(image.id, 'draft.jpg'))
    const res = await app.inject({ method: 'GET', url: `${MEDIA_LINK_PATH_PREFIX}${token}/renamed.png` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/jpeg')
    expect(res.rawPayload.equals(image.bytes)).toBe(true)
  })
})

it('is described in the OpenAPI document, for GET and HEAD', async () => {
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  const operations = document.paths['/api/public/media/{token}/{filename}']
  expect(Object.keys(operations).sort()).toEqual(['get', 'head'])
  expect(Object.keys(operations.get.responses).sort()).toEqual(['200', '206', '304', '404', '410', '416'])
})

describe('links that do not open', () => {
  it('an expired link is 410 MEDIA_LINK_EXPIRED, for GET and HEAD', async () => {
    const url = linkTo(image.id, 'draft.jpg', new Date(Date.now() - 1000))
    const res = await app.inject({ method: 'GET', url })
    expect(res.statusCode).toBe(410)
    expect(errorCode(res)).toBe('MEDIA_LINK_EXPIRED')
    expect((await app.inject({ method: 'HEAD', url })).statusCode).toBe(410)
  })

  it('a tampered token, another secret’s token, or rubbish is 404 MEDIA_LINK_NOT_FOUND', async () => {
    const { token } = partsOf(linkTo(image.id, 'draft.jpg'))
    const flipped = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6)
    const foreign = createMediaLinkSigner('another-secret-that-is-long-enough-9876543210').sign({ fileId: image.id, filename: 'draft.jpg', expiresAt: inADay() })
    const withToken = (value: string) => `${MEDIA_LINK_PATH_PREFIX}${value}/draft.jpg`
    for (const bad of [withToken(flipped), foreign, withToken('not-a-token'), withToken(token.split('.')[0]!)]) {
      const res = await app.inject({ method: 'GET', url: bad })
      expect(res.statusCode, bad).toBe(404)
      expect(errorCode(res)).toBe('MEDIA_LINK_NOT_FOUND')
    }
  })

  it('a valid link to a file that is no longer there is 404 MEDIA_LINK_NOT_FOUND: row deleted, or bytes gone from storage', async () => {
    const unknown = await app.inject({ method: 'GET', url: linkTo(randomUUID(), 'draft.jpg') })
    expect(unknown.statusCode).toBe(404)
    expect(errorCode(unknown)).toBe('MEDIA_LINK_NOT_FOUND')

    const agency = await createAgency(database.db)
    const workspace = await createWorkspace(database.db, agency.id)
    const gone = await storeFile(database.db, agency.id, workspace.id, await jpegImage(8, 8), 'image/jpeg', 'jpg')
    await storage.delete(gone.storageKey)
    const missing = await app.inject({ method: 'GET', url: linkTo(gone.id, 'draft.jpg') })
    expect(missing.statusCode).toBe(404)
    expect(errorCode(missing)).toBe('MEDIA_LINK_NOT_FOUND')
  })
})
