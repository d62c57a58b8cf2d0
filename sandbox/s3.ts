// Stand-in for an S3-compatible object store, path-style (`<prefix>/<bucket>/<key>`): PutObject, the multipart
// upload calls (Create, UploadPart, Complete, Abort, ListMultipartUploads), GetObject with Range, HeadObject,
// DeleteObject, ListObjectsV2, CreateBucket and HeadBucket. Answers are S3's: XML bodies, ETags (MD5, and
// "md5-of-md5s-N" for multipart objects), error codes NoSuchKey, NoSuchBucket, NoSuchUpload, InvalidPart,
// InvalidPartOrder, EntityTooSmall, EntityTooLarge, BadDigest, InvalidRange, AccessDenied. Bodies sent with
// aws-chunked encoding (the SDK's streaming checksums) are decoded and their CRC32/SHA-256 checksums checked.
// Signatures are not verified, but a request without credentials (no Authorization header, no presigned
// X-Amz-Signature) is refused as S3 refuses an anonymous request to a private bucket.
// State lives in the instance, in memory: every createS3StandIn() is a fresh, empty store.
import { createHash, randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { crc32 } from 'node:zlib'
import type { StandIn } from './server'

export interface S3StandInOptions {
  /** Path prefix the stand-in is mounted under (default /s3): the endpoint is <origin><prefix>. */
  prefix?: string
  /** Buckets that exist from the start (default: "greenlight"). More can be made with CreateBucket. */
  buckets?: string[]
  /** Largest object or part accepted, in bytes (S3: 5 GiB); everything is held in memory. */
  maxObjectBytes?: number
}

interface StoredObject {
  body: Buffer
  etag: string
  contentType: string
  lastModified: Date
}

interface UploadedPart {
  body: Buffer
  etag: string
  crc32: string
}

interface MultipartUpload {
  bucket: string
  key: string
  contentType: string
  initiated: Date
  parts: Map<number, UploadedPart>
}

export interface S3StandInState {
  buckets: Record<string, { objects: { key: string; size: number; etag: string }[]; uploads: { key: string; uploadId: string; parts: number }[] }>
}

export interface S3StandIn extends StandIn {
  /** What the store holds now: objects and multipart uploads that are still open. */
  state(): S3StandInState
}

/** S3's minimum size of every part but the last of a multipart upload. */
export const S3_MIN_PART_BYTES = 5 * 1024 * 1024

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message)
  }
}

const noSuchBucket = (bucket: string) => new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket })
const noSuchKey = (key: string) => new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key })
const noSuchUpload = (uploadId: string) =>
  new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: uploadId })

const escapeXml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)

function xml(root: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</${root}>`
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest()
const crc32Base64 = (bytes: Buffer) => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(crc32(bytes))
  return out.toString('base64')
}

/** One request's raw body, refused past `limit` bytes (EntityTooLarge) rather than held. */
async function readRaw(request: http.IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > limit) throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/**
 * Decodes an aws-chunked body: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0\r\n` then trailer lines
 * (`x-amz-checksum-crc32:…`) and an empty line.
 */
function decodeAwsChunked(raw: Buffer): { body: Buffer; trailers: Map<string, string> } {
  const parts: Buffer[] = []
  const trailers = new Map<string, string>()
  let at = 0
  const line = () => {
    const end = raw.indexOf('\r\n', at)
    if (end < 0) throw new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly')
    const text = raw.subarray(at, end).toString('latin1')
    at = end + 2
    return text
  }
  for (;;) {
    const size = Number.parseInt(line().split(';')[0]!, 16)
    if (!Number.isFinite(size) || size < 0) throw new S3Error(400, 'InvalidRequest', 'Malformed aws-chunked encoding')
    if (size === 0) break
    if (at + size + 2 > raw.length) throw new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly')
    parts.push(raw.subarray(at, at + size))
    at += size + 2
  }
  while (at < raw.length) {
    const text = line()
    if (text === '') break
    const colon = text.indexOf(':')
    if (colon > 0) trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim())
  }
  return { body: Buffer.concat(parts), trailers }
}

/** The payload of a PutObject or UploadPart, decoded and checked against the checksums the client sent. */
async function readPayload(request: http.IncomingMessage, limit: number): Promise<Buffer> {
  // aws-chunked framing adds under a hundred bytes per chunk: allow for it before decoding.
  const raw = await readRaw(request, limit + Math.ceil(limit / 256) + 64 * 1024)
  const chunked = String(request.headers['content-encoding'] ?? '').includes('aws-chunked') || String(request.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')
  const { body, trailers } = chunked ? decodeAwsChunked(raw) : { body: raw, trailers: new Map<string, string>() }
  if (body.length > limit) throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size')
  const declared = request.headers['x-amz-decoded-content-length']
  if (chunked && declared !== undefined && Number(declared) !== body.length) {
    throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the x-amz-decoded-content-length header')
  }
  const header = (name: string) => trailers.get(name) ?? (request.headers[name] as string | undefined)
  const contentMd5 = header('content-md5')
  if (contentMd5 !== undefined && contentMd5 !== md5(body).toString('base64')) {
    throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.')
  }
  const crc = header('x-amz-checksum-crc32')
  if (crc !== undefined && crc !== crc32Base64(body)) throw new S3Error(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.')
  const sha256 = header('x-amz-checksum-sha256')
  if (sha256 !== undefined && sha256 !== createHash('sha256').update(body).digest('base64')) {
    throw new S3Error(400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.')
  }
  return body
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  // S3 ignores what it cannot parse (and multiple ranges) and sends the whole object.
  if (!match || (match[1] === '' && match[2] === '')) return null
  if (match[1] === '') {
    const suffix = Number(match[2])
    if (suffix === 0) return 'invalid'
    return { start: Math.max(size - suffix, 0), end: size - 1 }
  }
  const start = Number(match[1])
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  if (start >= size || end < start) return 'invalid'
  return { start, end }
}

export function createS3StandIn(options: S3StandInOptions = {}): S3StandIn {
  const prefix = options.prefix ?? '/s3'
  const maxObjectBytes = options.maxObjectBytes ?? 512 * 1024 * 1024
  const buckets = new Map<string, Map<string, StoredObject>>((options.buckets ?? ['greenlight']).map((name) => [name, new Map()]))
  const uploads = new Map<string, MultipartUpload>()

  const bucketOf = (name: string) => {
    const bucket = buckets.get(name)
    if (!bucket) throw noSuchBucket(name)
    return bucket
  }
  const uploadOf = (uploadId: string, bucket: string, key: string) => {
    const upload = uploads.get(uploadId)
    if (!upload || upload.bucket !== bucket || upload.key !== key) throw noSuchUpload(uploadId)
    return upload
  }

  function state(): S3StandInState {
    const out: S3StandInState = { buckets: {} }
    for (const [name, objects] of buckets) {
      out.buckets[name] = {
        objects: [...objects].map(([key, object]) => ({ key, size: object.body.length, etag: object.etag })),
        uploads: [...uploads].filter(([, upload]) => upload.bucket === name).map(([uploadId, upload]) => ({ key: upload.key, uploadId, parts: upload.parts.size })),
      }
    }
    return out
  }

  function objectHeaders(object: StoredObject): Record<string, string> {
    return {
      etag: object.etag,
      'last-modified': object.lastModified.toUTCString(),
      'content-type': object.contentType,
      'accept-ranges': 'bytes',
    }
  }

  async function handleObject(request: http.IncomingMessage, response: http.ServerResponse, bucketName: string, key: string, query: URLSearchParams): Promise<void> {
    const method = request.method ?? 'GET'
    const objects = bucketOf(bucketName)
    const uploadId = query.get('uploadId')

    if (method === 'POST' && query.has('uploads')) {
      const id = randomBytes(24).toString('base64url')
      uploads.set(id, { bucket: bucketName, key, contentType: String(request.headers['content-type'] ?? 'binary/octet-stream'), initiated: new Date(), parts: new Map() })
      return send(response, 200, xml('InitiateMultipartUploadResult', `<Bucket>${escapeXml(bucketName)}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${id}</UploadId>`))
    }

    if (method === 'PUT' && uploadId !== null) {
      const upload = uploadOf(uploadId, bucketName, key)
      const partNumber = Number(query.get('partNumber'))
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
        throw new S3Error(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber' })
      }
      const body = await readPayload(request, maxObjectBytes)
      // An upload aborted while this part was on its way takes the part with it.
      if (!uploads.has(uploadId)) throw noSuchUpload(uploadId)
      const part = { body, etag: `"${md5(body).toString('hex')}"`, crc32: crc32Base64(body) }
      upload.parts.set(partNumber, part)
      return send(response, 200, '', { etag: part.etag, 'x-amz-checksum-crc32': part.crc32 })
    }

    if (method === 'POST' && uploadId !== null) {
      const upload = uploadOf(uploadId, bucketName, key)
      const text = (await readRaw(request, 1024 * 1024)).toString('utf8')
      const listed = [...text.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((match) => {
        const field = (name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(match[1]!)?.[1]?.trim()
        return { partNumber: Number(field('PartNumber')), etag: (field('ETag') ?? '').replace(/&quot;/g, '"'), crc32: field('ChecksumCRC32') }
      })
      if (listed.length === 0) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema')
      const chosen: UploadedPart[] = []
      let previous = 0
      for (const entry of listed) {
        if (entry.partNumber <= previous) throw new S3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.')
        previous = entry.partNumber
        const part = upload.parts.get(entry.partNumber)
        const sameEtag = part && part.etag.replace(/"/g, '') === entry.etag.replace(/"/g, '')
        if (!part || !sameEtag || (entry.crc32 !== undefined && entry.crc32 !== part.crc32)) {
          throw new S3Error(400, 'InvalidPart', "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", {
            PartNumber: String(entry.partNumber),
          })
        }
        chosen.push(part)
      }
      chosen.slice(0, -1).forEach((part, index) => {
        if (part.body.length < S3_MIN_PART_BYTES) {
          throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', { PartNumber: String(listed[index]!.partNumber) })
        }
      })
      const body = Buffer.concat(chosen.map((part) => part.body))
      const etag = `"${md5(Buffer.concat(chosen.map((part) => Buffer.from(part.etag.replace(/"/g, ''), 'hex')))).toString('hex')}-${chosen.length}"`
      objects.set(key, { body, etag, contentType: upload.contentType, lastModified: new Date() })
      uploads.delete(uploadId)
      const location = `http://${request.headers.host ?? 'localhost'}${prefix}/${bucketName}/${key}`
      return send(response, 200, xml('CompleteMultipartUploadResult', `<Location>${escapeXml(location)}</Location><Bucket>${escapeXml(bucketName)}</Bucket><Key>${escapeXml(key)}</Key><ETag>${escapeXml(etag)}</ETag>`))
    }

    if (method === 'DELETE' && uploadId !== null) {
      uploadOf(uploadId, bucketName, key)
      uploads.delete(uploadId)
      return send(response, 204, '')
    }

    if (method === 'PUT') {
      const body = await readPayload(request, maxObjectBytes)
      const object = { body, etag: `"${md5(body).toString('hex')}"`, contentType: String(request.headers['content-type'] ?? 'binary/octet-stream'), lastModified: new Date() }
      objects.set(key, object)
      return send(response, 200, '', { etag: object.etag, 'x-amz-checksum-crc32': crc32Base64(body) })
    }

    if (method === 'GET' || method === 'HEAD') {
      const object = objects.get(key)
      if (!object) {
        // HEAD answers have no body, so S3 sends the status alone.
        if (method === 'HEAD') return send(response, 404, '')
        throw noSuchKey(key)
      }
      const range = parseRange(request.headers.range, object.body.length)
      if (range === 'invalid') {
        throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', { ActualObjectSize: String(object.body.length) })
      }
      const bytes = range ? object.body.subarray(range.start, range.end + 1) : object.body
      response.writeHead(range ? 206 : 200, {
        ...objectHeaders(object),
        'content-length': String(bytes.length),
        ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${object.body.length}` } : {}),
        'x-amz-request-id': requestId(),
      })
      response.end(method === 'HEAD' ? undefined : bytes)
      return
    }

    if (method === 'DELETE') {
      objects.delete(key)
      return send(response, 204, '')
    }

    throw new S3Error(501, 'NotImplemented', 'A header or query you provided implies functionality that is not implemented.')
  }

  function handleBucket(request: http.IncomingMessage, response: http.ServerResponse, bucketName: string, query: URLSearchParams): void {
    const method = request.method ?? 'GET'
    if (method === 'PUT') {
      if (buckets.has(bucketName)) throw new S3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucketName })
      buckets.set(bucketName, new Map())
      return send(response, 200, '', { location: `/${bucketName}` })
    }
    if (method === 'HEAD') return send(response, buckets.has(bucketName) ? 200 : 404, '')
    const objects = bucketOf(bucketName)
    if (method === 'GET' && query.has('uploads')) {
      const listed = [...uploads].filter(([, upload]) => upload.bucket === bucketName)
      const items = listed
        .map(([id, upload]) => `<Upload><Key>${escapeXml(upload.key)}</Key><UploadId>${id}</UploadId><Initiated>${upload.initiated.toISOString()}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`)
        .join('')
      return send(response, 200, xml('ListMultipartUploadsResult', `<Bucket>${escapeXml(bucketName)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${items}`))
    }
    if (method === 'GET' && query.get('list-type') === '2') {
      const keyPrefix = query.get('prefix') ?? ''
      const keys = [...objects.keys()].filter((key) => key.startsWith(keyPrefix)).sort()
      const items = keys
        .map((key) => {
          const object = objects.get(key)!
          return `<Contents><Key>${escapeXml(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${escapeXml(object.etag)}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`
        })
        .join('')
      return send(response, 200, xml('ListBucketResult', `<Name>${escapeXml(bucketName)}</Name><Prefix>${escapeXml(keyPrefix)}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${items}`))
    }
    throw new S3Error(501, 'NotImplemented', 'A header or query you provided implies functionality that is not implemented.')
  }

  return {
    prefix,
    imitates: 'Amazon S3 (path-style object storage)',
    state,
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://sandbox.local')
      const path = url.pathname.slice(prefix.length)
      if (path === '/__sandbox' && request.method === 'GET') {
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        response.end(JSON.stringify(state()))
        return
      }
      try {
        const authorised = Boolean(request.headers.authorization) || url.searchParams.has('X-Amz-Signature')
        if (!authorised) throw new S3Error(403, 'AccessDenied', 'Access Denied')
        const [, rawBucket = '', ...keySegments] = path.split('/')
        if (rawBucket === '') throw new S3Error(501, 'NotImplemented', 'ListBuckets is not implemented by this stand-in.')
        let bucketName: string
        let key: string
        try {
          bucketName = decodeURIComponent(rawBucket)
          key = decodeURIComponent(keySegments.join('/'))
        } catch {
          throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.")
        }
        if (key === '') return handleBucket(request, response, bucketName, url.searchParams)
        await handleObject(request, response, bucketName, key, url.searchParams)
      } catch (error) {
        if (!(error instanceof S3Error)) throw error
        // The rest of a refused body is read and dropped, so the client sees the answer, not a reset.
        request.resume()
        const extra = Object.entries(error.extra).map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`).join('')
        const body = request.method === 'HEAD' ? '' : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>${extra}<RequestId>${requestId()}</RequestId></Error>`
        send(response, error.status, body)
      }
    },
  }
}

const requestId = () => randomBytes(8).toString('hex').toUpperCase()

function send(response: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    ...(body ? { 'content-type': 'application/xml' } : {}),
    'content-length': String(Buffer.byteLength(body)),
    'x-amz-request-id': requestId(),
    ...headers,
  })
  response.end(body)
}

export interface RunningS3StandIn {
  /** The endpoint to give an S3 client (with forcePathStyle): origin plus the stand-in's prefix. */
  endpoint: string
  standIn: S3StandIn
  close(): Promise<void>
}

/** Starts a stand-in of its own on 127.0.0.1 (port 0: a free one), for tests. */
export async function startS3StandIn(options: S3StandInOptions & { port?: number } = {}): Promise<RunningS3StandIn> {
  const standIn = createS3StandIn(options)
  const server = http.createServer((request, response) => {
    Promise.resolve(standIn.handle(request, response)).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' })
      response.end(error instanceof Error ? error.message : String(error))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}${standIn.prefix}`,
    standIn,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
