// The S3 implementation of FileStorage with the real AWS SDK (client-s3 + lib-storage) against the sandbox's
// S3 stand-in, started in-process: what is stored reads back whole and in ranges, and a body that is too
// large or fails leaves neither an object nor an open multipart upload.
import { createHash, randomUUID } from 'node:crypto'
import path from 'node:path'
import { Readable } from 'node:stream'
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { dataDir, storageSettings, uploadLimits } from '../../platform/config'
import { FileTooLargeError, StoredObjectMissingError, createS3Storage, createStorage, type FileStorage } from '../../platform/storage'
import { startS3StandIn, S3_MIN_PART_BYTES, type RunningS3StandIn } from '../../sandbox/s3'

const BUCKET = 'greenlight-test'
const credentials = { accessKeyId: 'sandbox-access-key', secretAccessKey: 'sandbox-secret-key' }

let s3: RunningS3StandIn
let client: S3Client
let storage: FileStorage

beforeAll(async () => {
  s3 = await startS3StandIn({ buckets: [BUCKET] })
  client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, credentials, forcePathStyle: true })
  storage = createS3Storage({ bucket: BUCKET, region: 'us-east-1', endpoint: s3.endpoint, credentials, forcePathStyle: true })
})
afterAll(async () => {
  client?.destroy()
  await s3?.close()
})

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const key = (name: string) => `tests/${randomUUID()}/${name}`

/** Deterministic, incompressible-looking bytes. */
function bytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length)
  let x = seed
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

/** The buffer in chunks of `size`, as an upload arrives. */
async function* chunked(buffer: Buffer, size = 256 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < buffer.length; at += size) yield buffer.subarray(at, at + size)
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Objects and open multipart uploads under a key prefix, as the SDK lists them. */
async function leftovers(prefix: string) {
  const [objects, uploads] = await Promise.all([
    client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix })),
    client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET })),
  ])
  return {
    objects: (objects.Contents ?? []).map((object) => object.Key),
    uploads: (uploads.Uploads ?? []).filter((upload) => upload.Key?.startsWith(prefix)).map((upload) => upload.Key),
  }
}

/** The requests the stand-in receives until stop(), as "METHOD path?query". */
function recordCalls() {
  const original = s3.standIn.handle
  const seen: string[] = []
  s3.standIn.handle = (request, response) => {
    seen.push(`${request.method} ${decodeURIComponent(request.url ?? '')}`)
    return original(request, response)
  }
  return { seen, stop: () => (s3.standIn.handle = original) }
}

describe('S3 storage', () => {
  it('puts, gets (whole and a range) and deletes a small object with one PutObject', async () => {
    const body = bytes(70_000)
    const where = key('small.bin')
    const stored = await storage.put(where, chunked(body, 10_000), { maxBytes: 100_000, contentType: 'image/png' })
    expect(stored).toEqual({ key: where, byteSize: body.length, sha256: sha256(body) })

    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: where }))
    expect(head.ContentLength).toBe(body.length)
    expect(head.ContentType).toBe('image/png')

    expect(await readAll(await storage.get(where))).toEqual(body)
    expect(await readAll(await storage.get(where, { start: 100, end: 1099 }))).toEqual(body.subarray(100, 1100))

    await storage.delete(where)
    await expect(client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: where }))).rejects.toBeInstanceOf(NotFound)
    await expect(storage.get(where)).rejects.toBeInstanceOf(StoredObjectMissingError)
    // Deleting what is not there is not an error (as S3's DeleteObject).
    await storage.delete(where)
  })

  it('streams a larger object as a multipart upload and reads back the same bytes', async () => {
    const body = bytes(S3_MIN_PART_BYTES * 2 + 123_456, 7)
    const where = key('large.bin')
    const stored = await storage.put(where, Readable.from(chunked(body)), { maxBytes: body.length })
    expect(stored.sha256).toBe(sha256(body))
    const object = s3.standIn.state().buckets[BUCKET]!.objects.find((entry) => entry.key === where)
    // A multipart object's ETag is the MD5 of its parts' MD5s with the part count: proof it went in three parts.
    expect(object?.etag).toMatch(/^"[0-9a-f]{32}-3"$/)
    expect(sha256(await readAll(await storage.get(where)))).toBe(sha256(body))
    expect(await leftovers(where)).toEqual({ objects: [where], uploads: [] })
    await storage.delete(where)
  })

  it('refuses an oversized body part-way through a multipart upload and aborts it: no object, no open upload', async () => {
    const maxBytes = S3_MIN_PART_BYTES * 2 + 10
    const body = bytes(maxBytes + 1, 3)
    const where = key('too-large.bin')
    const calls = recordCalls()
    let produced = 0
    const source = (async function* () {
      for await (const chunk of chunked(body)) {
        produced += chunk.length
        yield chunk
      }
    })()
    await expect(storage.put(where, source, { maxBytes })).rejects.toBeInstanceOf(FileTooLargeError)
    calls.stop()
    // A multipart upload really was open (parts went up before the limit was crossed) and was aborted.
    expect(produced).toBeGreaterThan(S3_MIN_PART_BYTES * 2)
    expect(calls.seen.filter((call) => call.includes(where))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^POST .*\?uploads/), expect.stringMatching(/^PUT .*partNumber=1/), expect.stringMatching(/^DELETE .*uploadId=/)]),
    )
    expect(await leftovers(where)).toEqual({ objects: [], uploads: [] })
    await expect(storage.get(where)).rejects.toBeInstanceOf(StoredObjectMissingError)
  })

  it('leaves nothing when the source stream fails after parts were uploaded, or before anything was sent', async () => {
    const where = key('broken.bin')
    const failing = (async function* () {
      yield* chunked(bytes(S3_MIN_PART_BYTES + 1000, 5))
      throw new Error('client went away')
    })()
    await expect(storage.put(where, failing, { maxBytes: 50 * 1024 * 1024 })).rejects.toThrow('client went away')
    expect(await leftovers(where)).toEqual({ objects: [], uploads: [] })

    const early = key('broken-early.bin')
    const failingEarly = new Readable({
      read() {
        this.push(bytes(1000))
        this.destroy(new Error('reset by peer'))
      },
    })
    await expect(storage.put(early, failingEarly, { maxBytes: 10_000 })).rejects.toThrow('reset by peer')
    expect(await leftovers(early)).toEqual({ objects: [], uploads: [] })
  })

  it('accepts exactly maxBytes and an empty body', async () => {
    const exact = key('exact.bin')
    expect((await storage.put(exact, chunked(bytes(4096)), { maxBytes: 4096 })).byteSize).toBe(4096)
    const empty = key('empty.bin')
    expect(await storage.put(empty, chunked(Buffer.alloc(0)), { maxBytes: 10 })).toMatchObject({ byteSize: 0, sha256: sha256(Buffer.alloc(0)) })
    await Promise.all([storage.delete(exact), storage.delete(empty)])
  })

  it('is what createStorage builds for STORAGE_DRIVER=s3 settings', async () => {
    const configured = createStorage({ driver: 's3', endpoint: s3.endpoint, bucket: BUCKET, region: 'eu-west-1', credentials, forcePathStyle: true })
    const where = key('configured.txt')
    await configured.put(where, chunked(Buffer.from('hello')), { maxBytes: 10 })
    expect((await readAll(await storage.get(where))).toString()).toBe('hello')
    await configured.delete(where)
  })

  it('refuses keys that are not plain relative paths before any request', async () => {
    await expect(storage.put('../escape', chunked(Buffer.from('x')), { maxBytes: 10 })).rejects.toThrow('not a storage key')
    await expect(storage.get('a//b')).rejects.toThrow('not a storage key')
  })
})

describe('S3 stand-in', () => {
  it('answers as S3 does: NoSuchKey, NoSuchBucket, AccessDenied without credentials, BadDigest on a wrong checksum', async () => {
    const missing = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'nothing/here' })).catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(NotFound)
    const getMissing = await storage.get('nothing/here').catch((error: unknown) => error)
    expect(getMissing).toBeInstanceOf(StoredObjectMissingError)
    const getMissingRaw = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'nothing/here' })).catch((error: unknown) => error)
    expect(getMissingRaw).toBeInstanceOf(NoSuchKey)

    const noBucket = await client.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' })).catch((error: unknown) => error)
    expect(noBucket).toBeInstanceOf(S3ServiceException)
    expect((noBucket as S3ServiceException).name).toBe('NoSuchBucket')

    const anonymous = await fetch(`${s3.endpoint}/${BUCKET}/some/key`)
    expect(anonymous.status).toBe(403)
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>')

    const badDigest = await client
      .send(new PutObjectCommand({ Bucket: BUCKET, Key: key('digest.txt'), Body: 'payload', ChecksumCRC32: 'AAAAAA==' }))
      .catch((error: unknown) => error)
    expect((badDigest as S3ServiceException).name).toBe('BadDigest')
  })

  it('decodes an aws-chunked streaming body (the SDK streams a body of unknown length that way)', async () => {
    const body = bytes(300_000, 9)
    const where = key('chunked.bin')
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: where, Body: Readable.from(chunked(body, 64 * 1024)), ContentLength: body.length }))
    expect(sha256(await readAll(await storage.get(where)))).toBe(sha256(body))
  })

  it('answers NoSuchUpload for an upload that was aborted', async () => {
    const where = key('aborted.bin')
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: where }))
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: where, UploadId }))
    const late = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: where, UploadId, PartNumber: 1, Body: 'x' })).catch((error: unknown) => error)
    expect((late as S3ServiceException).name).toBe('NoSuchUpload')
    const again = await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: where, UploadId })).catch((error: unknown) => error)
    expect((again as S3ServiceException).name).toBe('NoSuchUpload')
  })
})

describe('storage and upload configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })
  const clear = (...names: string[]) => names.forEach((name) => vi.stubEnv(name, ''))

  it('defaults to local disk under the data folder, 50 MB per file and 20 files per upload', () => {
    clear('STORAGE_DRIVER', 'UPLOAD_MAX_FILE_BYTES', 'UPLOAD_MAX_FILES')
    expect(storageSettings()).toEqual({ driver: 'local', rootDir: path.join(dataDir, 'uploads') })
    expect(uploadLimits()).toEqual({ maxFileBytes: 50 * 1024 * 1024, maxFiles: 20 })
  })

  it('reads the S3 settings, with path-style addressing by default for a custom endpoint', () => {
    vi.stubEnv('STORAGE_DRIVER', 's3')
    vi.stubEnv('S3_BUCKET', 'media')
    vi.stubEnv('S3_ENDPOINT', 'http://minio.internal:9000')
    vi.stubEnv('S3_ACCESS_KEY_ID', 'AKIA')
    vi.stubEnv('S3_SECRET_ACCESS_KEY', 'shh')
    clear('S3_REGION', 'S3_FORCE_PATH_STYLE')
    expect(storageSettings()).toEqual({
      driver: 's3',
      endpoint: 'http://minio.internal:9000',
      bucket: 'media',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIA', secretAccessKey: 'shh' },
      forcePathStyle: true,
    })
    clear('S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY')
    vi.stubEnv('S3_REGION', 'eu-west-3')
    expect(storageSettings()).toMatchObject({ endpoint: undefined, region: 'eu-west-3', credentials: undefined, forcePathStyle: false })
  })

  it('refuses settings that cannot work, naming the variable and never echoing a secret', () => {
    vi.stubEnv('STORAGE_DRIVER', 'ftp')
    expect(() => storageSettings()).toThrow('STORAGE_DRIVER must be local or s3, got "ftp"')
    vi.stubEnv('STORAGE_DRIVER', 's3')
    clear('S3_BUCKET')
    expect(() => storageSettings()).toThrow('STORAGE_DRIVER=s3 needs S3_BUCKET')
    vi.stubEnv('S3_BUCKET', 'media')
    clear('S3_ACCESS_KEY_ID')
    vi.stubEnv('S3_SECRET_ACCESS_KEY', 'top-secret-value')
    expect(() => storageSettings()).toThrow(/S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together/)
    expect(() => storageSettings()).not.toThrow(/top-secret-value/)
    vi.stubEnv('UPLOAD_MAX_FILES', '0')
    expect(() => uploadLimits()).toThrow('UPLOAD_MAX_FILES must be at least 1')
    vi.stubEnv('UPLOAD_MAX_FILES', 'lots')
    expect(() => uploadLimits()).toThrow('UPLOAD_MAX_FILES must be a non-negative integer')
  })
})
