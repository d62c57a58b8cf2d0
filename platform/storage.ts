// File storage behind one interface: uploads (brand-kit logos, workspace assets) are put under a key as a
// stream, with a size limit and their SHA-256 computed on the way through, and read back as a stream (or a
// byte range of it). Two implementations: local disk under <dataDir>/uploads (the default), and an
// S3-compatible bucket (put = a streamed multipart upload, get = GetObject, delete = DeleteObject).
import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { S3Client } from '@aws-sdk/client-s3'
import type { StorageSettings } from './config'

export interface PutResult {
  key: string
  byteSize: number
  /** Hex SHA-256 of the bytes stored. */
  sha256: string
}

/** Bytes `start` to `end`, both included (as in an HTTP Range header). */
export interface ByteRange {
  start: number
  end: number
}

export interface FileStorage {
  /**
   * Stores the stream's bytes under `key`, or nothing: a stream longer than `maxBytes` (FileTooLargeError),
   * one that fails, or a process that dies half-way leaves no object under `key`.
   */
  put(key: string, body: Readable | AsyncIterable<Uint8Array>, options: { maxBytes: number; contentType?: string }): Promise<PutResult>
  /** The object's bytes (or the given range of them); StoredObjectMissingError when there is none under `key`. */
  get(key: string, range?: ByteRange): Promise<Readable>
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>
}

export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError'
  constructor(readonly maxBytes: number) {
    super(`The file is larger than ${maxBytes} bytes.`)
  }
}

export class StoredObjectMissingError extends Error {
  override name = 'StoredObjectMissingError'
  constructor(readonly key: string) {
    super(`No stored object under "${key}".`)
  }
}

// Keys are relative paths of plain segments ("agencies/<id>/logos/<id>.png"): valid as S3 keys too, and
// never able to climb out of the storage root on disk.
const KEY_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

export function assertStorageKey(key: string): void {
  const segments = key.split('/')
  if (key.length > 512 || segments.some((segment) => !KEY_SEGMENT.test(segment) || segment.includes('..'))) {
    throw new Error(`"${key}" is not a storage key (slash-separated segments of letters, digits, dots, dashes, underscores)`)
  }
}

/** Counts and hashes the bytes that pass through; fails the stream as soon as they exceed `maxBytes`. */
class MeteredHash extends Transform {
  byteSize = 0
  private readonly hash = createHash('sha256')

  constructor(private readonly maxBytes: number) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.byteSize += chunk.length
    if (this.byteSize > this.maxBytes) return callback(new FileTooLargeError(this.maxBytes))
    this.hash.update(chunk)
    callback(null, chunk)
  }

  digest(): string {
    return this.hash.digest('hex')
  }
}

/** Partly written uploads live here until they are complete; one left by a killed process is swept later. */
const PARTIAL_DIR = '.partial'
const STALE_PARTIAL_MS = 60 * 60 * 1000

/** Files under `rootDir` (for the app: <dataDir>/uploads). Writes go to a temporary file that is renamed into place. */
export function createLocalDiskStorage(rootDir: string): FileStorage {
  const root = path.resolve(rootDir)
  const partialDir = path.join(root, PARTIAL_DIR)
  let swept: Promise<void> | null = null

  const pathOf = (key: string) => {
    assertStorageKey(key)
    return path.join(root, ...key.split('/'))
  }

  // Leftovers of uploads cut short by a crash: old enough that no upload in progress can own them.
  async function sweepStalePartials(): Promise<void> {
    const names = await fs.readdir(partialDir).catch(() => [] as string[])
    const cutoff = Date.now() - STALE_PARTIAL_MS
    await Promise.all(
      names.map(async (name) => {
        const file = path.join(partialDir, name)
        const stat = await fs.stat(file).catch(() => null)
        if (stat && stat.mtimeMs < cutoff) await fs.rm(file, { force: true })
      }),
    )
  }

  return {
    async put(key, body, { maxBytes }) {
      const target = pathOf(key)
      swept ??= sweepStalePartials().catch(() => undefined)
      await swept
      await fs.mkdir(partialDir, { recursive: true })
      await fs.mkdir(path.dirname(target), { recursive: true })
      const partial = path.join(partialDir, `${randomUUID()}.part`)
      const meter = new MeteredHash(maxBytes)
      const source = body instanceof Readable ? body : Readable.from(body)
      // flush: the bytes reach the disk before the rename makes them visible under the key.
      const file = createWriteStream(partial, { flags: 'wx', flush: true })
      try {
        await pipeline(source, meter, file)
        await fs.rename(partial, target)
      } catch (error) {
        // A source that fails at once can beat the file's own open: wait until the stream has closed (its
        // open done), or the partial file would appear after it was removed.
        if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()))
        await fs.rm(partial, { force: true })
        throw error
      }
      return { key, byteSize: meter.byteSize, sha256: meter.digest() }
    },

    async get(key, range) {
      const handle = await fs.open(pathOf(key), 'r').catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? new StoredObjectMissingError(key) : error
      })
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {})
    },

    async delete(key) {
      await fs.rm(pathOf(key), { force: true })
    },
  }
}

export interface S3StorageOptions {
  bucket: string
  region: string
  /** An S3-compatible endpoint; unset means AWS S3. */
  endpoint?: string | undefined
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined
  forcePathStyle?: boolean
  /** Bytes per multipart part (at least 5 MiB, S3's minimum for all parts but the last). */
  partSize?: number
  /** Parts in flight at once: memory held is about partSize × queueSize. */
  queueSize?: number
  /** An existing client (tests); otherwise one is built from the options above. */
  client?: S3Client
}

const S3_MIN_PART_BYTES = 5 * 1024 * 1024

/**
 * An S3-compatible bucket. `put` streams through MeteredHash into a multipart Upload (lib-storage): at most
 * `queueSize` parts are held in memory, never the whole file. A body that fails or grows past `maxBytes`
 * fails the Upload, which aborts its multipart upload, so neither an object nor stored parts remain
 * (a body that ends within the first part is sent as a single PutObject only once it has ended).
 */
export function createS3Storage(options: S3StorageOptions): FileStorage {
  const bucket = options.bucket
  const partSize = Math.max(options.partSize ?? S3_MIN_PART_BYTES, S3_MIN_PART_BYTES)
  // The SDK is loaded on first use: a process that stores on local disk never pays for importing it.
  let loaded: Promise<{ sdk: typeof import('@aws-sdk/client-s3'); Upload: typeof import('@aws-sdk/lib-storage').Upload; client: S3Client }> | null = null
  const load = () =>
    (loaded ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]).then(([sdk, { Upload }]) => ({
      sdk,
      Upload,
      client:
        options.client ??
        new sdk.S3Client({
          region: options.region,
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
          ...(options.credentials ? { credentials: options.credentials } : {}),
          forcePathStyle: options.forcePathStyle ?? false,
        }),
    })))

  return {
    async put(key, body, { maxBytes, contentType }) {
      assertStorageKey(key)
      const { client, Upload } = await load()
      const meter = new MeteredHash(maxBytes)
      const source = body instanceof Readable ? body : Readable.from(body)
      // The pipeline's own promise is not awaited: its failure reaches the Upload through `meter`, which it
      // destroys with the same error; waiting on both would report one failure twice.
      pipeline(source, meter).catch(() => undefined)
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: meter, ...(contentType ? { ContentType: contentType } : {}) },
        partSize,
        queueSize: options.queueSize ?? 2,
        leavePartsOnError: false,
      })
      try {
        await upload.done()
      } catch (error) {
        source.destroy()
        // The meter's own error (size limit, a failed source) is the cause that matters, not the SDK's wrapper.
        throw meter.errored ?? error
      }
      return { key, byteSize: meter.byteSize, sha256: meter.digest() }
    },

    async get(key, range) {
      assertStorageKey(key)
      const { client, sdk } = await load()
      try {
        const object = await client.send(
          new sdk.GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
        )
        // In Node the body is the HTTP response itself (an IncomingMessage with the SDK's helpers mixed in).
        return object.Body as Readable
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') throw new StoredObjectMissingError(key)
        throw error
      }
    },

    async delete(key) {
      assertStorageKey(key)
      const { client, sdk } = await load()
      await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }))
    },
  }
}

/** The storage the settings name (STORAGE_DRIVER and friends in platform/config.ts). */
export function createStorage(settings: StorageSettings): FileStorage {
  if (settings.driver === 'local') return createLocalDiskStorage(settings.rootDir)
  return createS3Storage({
    bucket: settings.bucket,
    region: settings.region,
    endpoint: settings.endpoint,
    credentials: settings.credentials,
    forcePathStyle: settings.forcePathStyle,
  })
}
