// File storage behind one interface: uploads (brand-kit logos today) are put under a key as a stream, with a
// size limit and their SHA-256 computed on the way through, and read back as a stream. The local-disk
// implementation keeps them under <dataDir>/uploads; an S3-compatible one can implement the same interface
// (put = a streamed upload, get = GetObject's body, delete = DeleteObject).
import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'

export interface PutResult {
  key: string
  byteSize: number
  /** Hex SHA-256 of the bytes stored. */
  sha256: string
}

export interface FileStorage {
  /**
   * Stores the stream's bytes under `key`, or nothing: a stream longer than `maxBytes` (FileTooLargeError),
   * one that fails, or a process that dies half-way leaves no object under `key`.
   */
  put(key: string, body: Readable | AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<PutResult>
  /** The object's bytes; StoredObjectMissingError when there is none under `key`. */
  get(key: string): Promise<Readable>
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
      try {
        // flush: the bytes reach the disk before the rename makes them visible under the key.
        await pipeline(source, meter, createWriteStream(partial, { flags: 'wx', flush: true }))
        await fs.rename(partial, target)
      } catch (error) {
        await fs.rm(partial, { force: true })
        throw error
      }
      return { key, byteSize: meter.byteSize, sha256: meter.digest() }
    },

    async get(key) {
      const handle = await fs.open(pathOf(key), 'r').catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? new StoredObjectMissingError(key) : error
      })
      return handle.createReadStream()
    },

    async delete(key) {
      await fs.rm(pathOf(key), { force: true })
    },
  }
}
