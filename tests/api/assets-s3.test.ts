// The same upload path with STORAGE_DRIVER=s3: the API builds its storage from the environment, here the
// sandbox's S3 stand-in started in-process, and the real AWS SDK streams into it. A good upload lands as
// objects (original and thumbnail) that the API serves back, ranges included; a refused upload, also one
// refused part-way through a multipart upload, leaves no object and no open multipart upload.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startS3StandIn, type RunningS3StandIn } from '../../sandbox/s3'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { jpegImage, movie, pngImage } from '../support/media-fixtures'

const BUCKET = 'greenlight-assets'
const MAX_FILE_BYTES = 11 * 1024 * 1024

let s3: RunningS3StandIn
let h: ApiHarness
let owner: TestMember
const savedEnv = { ...process.env }

beforeAll(async () => {
  s3 = await startS3StandIn({ buckets: [BUCKET] })
  // Read when the app is built, just below.
  Object.assign(process.env, {
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: BUCKET,
    S3_REGION: 'eu-central-1',
    S3_ACCESS_KEY_ID: 'sandbox-access-key',
    S3_SECRET_ACCESS_KEY: 'sandbox-secret-key',
    S3_FORCE_PATH_STYLE: 'true',
    UPLOAD_MAX_FILE_BYTES: String(MAX_FILE_BYTES),
    UPLOAD_MAX_FILES: '3',
  })
  h = await startApiHarness()
  owner = await h.newTenant()
})
afterAll(async () => {
  await h?.stop()
  await s3?.close()
  process.env = savedEnv
})

async function upload(workspaceId: string, files: { name: string; bytes: Buffer }[]) {
  const form = new FormData()
  for (const file of files) form.append('files', new Blob([new Uint8Array(file.bytes)]), file.name)
  const request = new Request('http://api.test/', { method: 'POST', body: form })
  return h.app.inject({
    method: 'POST',
    url: `/api/workspaces/${workspaceId}/assets`,
    headers: { ...owner.headers, 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()),
  })
}

async function createWorkspace(): Promise<string> {
  const name = `Brand ${randomUUID().slice(0, 8)}`
  const res = await h.app.inject({ method: 'POST', url: '/api/workspaces', headers: { ...owner.headers, 'content-type': 'application/json' }, payload: JSON.stringify({ name, clientName: name }) })
  return res.json().workspace.id as string
}

const bucketState = () => s3.standIn.state().buckets[BUCKET]!

describe('assets on S3-compatible storage', () => {
  it('stores originals and thumbnails as objects, serves them (with ranges), and deletes them', async () => {
    const workspaceId = await createWorkspace()
    const photo = await jpegImage(1600, 900)
    const clip = movie({ mdatBytes: 100_000, durationMs: 7_000 })
    const res = await upload(workspaceId, [
      { name: 'photo.jpg', bytes: photo },
      { name: 'clip.mp4', bytes: clip },
    ])
    expect(res.statusCode, res.body).toBe(201)
    const [image, video] = res.json().assets.map((entry: { asset: { id: string } }) => entry.asset)
    expect(video).toMatchObject({ durationMs: 7_000, width: 640, height: 360 })

    const rows = await h.db.storedFile.findMany({ where: { workspaceId }, orderBy: { originalName: 'desc' } })
    const keys = bucketState().objects.map((object) => object.key)
    expect(keys).toEqual(expect.arrayContaining([rows[0]!.storageKey, rows[0]!.thumbnailKey, rows[1]!.storageKey]))
    expect(keys.filter((key) => key.includes(`/workspaces/${workspaceId}/`))).toHaveLength(3)

    const content = await h.app.inject({ method: 'GET', url: `/api/assets/${image.id}/content`, headers: owner.headers })
    expect(content.rawPayload).toEqual(photo)
    const range = await h.app.inject({ method: 'GET', url: `/api/assets/${video.id}/content`, headers: { ...owner.headers, range: 'bytes=0-31' } })
    expect(range.statusCode).toBe(206)
    expect(range.rawPayload).toEqual(clip.subarray(0, 32))
    expect((await h.app.inject({ method: 'GET', url: `/api/assets/${image.id}/thumbnail`, headers: owner.headers })).headers['content-type']).toBe('image/jpeg')

    expect((await h.app.inject({ method: 'DELETE', url: `/api/assets/${image.id}`, headers: owner.headers })).statusCode).toBe(204)
    expect(bucketState().objects.map((object) => object.key).filter((key) => key.includes(`/workspaces/${workspaceId}/`))).toEqual([rows[1]!.storageKey])
  })

  it('leaves no object and no open multipart upload when a file is refused, even one cut off after parts went up', async () => {
    const workspaceId = await createWorkspace()
    const before = bucketState().objects.length
    const wrongType = await upload(workspaceId, [
      { name: 'fine.png', bytes: await pngImage(100, 100) },
      { name: 'notes.jpg', bytes: Buffer.from('plain text, not a JPEG') },
    ])
    expect(wrongType.json().error.code).toBe('UNSUPPORTED_FILE_TYPE')
    expect(bucketState()).toEqual({ objects: expect.any(Array), uploads: [] })
    expect(bucketState().objects).toHaveLength(before)

    // Two 5 MiB parts are uploaded before the 11 MiB limit is crossed: the multipart upload must be aborted.
    const huge = movie({ mdatBytes: MAX_FILE_BYTES + 1024 })
    const tooLarge = await upload(workspaceId, [
      { name: 'ok.jpg', bytes: await jpegImage(100, 100) },
      { name: 'huge.mp4', bytes: huge },
    ])
    expect(tooLarge.statusCode).toBe(413)
    expect(tooLarge.json().error.code).toBe('FILE_TOO_LARGE')
    expect(bucketState().uploads).toEqual([])
    expect(bucketState().objects).toHaveLength(before)
    expect(await h.db.storedFile.count({ where: { workspaceId } })).toBe(0)
  })
})
