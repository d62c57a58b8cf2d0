// What an uploaded file is, decided from its bytes and never from its name or the client's content type:
// JPEG, PNG and WebP images, MP4 and MOV (QuickTime) videos. The bytes pass through an inspector on their
// way to storage, so nothing here needs the whole file at once:
// - images: sharp reads the dimensions (as shown, after EXIF rotation) and makes the JPEG thumbnail;
//   decoding an image needs its compressed bytes in memory, so an image is held once, up to the upload limit;
// - videos: mp4box parses the `moov` box for duration and dimensions. The top-level boxes are followed here
//   as the bytes go by: mp4box is never handed the media data (the `mdat` payload, nearly all of a video),
//   wherever it sits, and a file cut off inside a box is recognised as truncated.
import { fileTypeFromBuffer } from 'file-type'
import type { ISOFile, Movie, Track } from 'mp4box'

export type MediaKind = 'image' | 'video'

export interface MediaType {
  mimeType: string
  kind: MediaKind
  /** The extension stored objects get (never the client's). */
  extension: string
  label: string
}

/** Everything accepted, by the MIME type file-type reports for the bytes. */
export const MEDIA_TYPES: Record<string, MediaType> = {
  'image/jpeg': { mimeType: 'image/jpeg', kind: 'image', extension: 'jpg', label: 'JPEG' },
  'image/png': { mimeType: 'image/png', kind: 'image', extension: 'png', label: 'PNG' },
  'image/webp': { mimeType: 'image/webp', kind: 'image', extension: 'webp', label: 'WebP' },
  'video/mp4': { mimeType: 'video/mp4', kind: 'video', extension: 'mp4', label: 'MP4' },
  'video/quicktime': { mimeType: 'video/quicktime', kind: 'video', extension: 'mov', label: 'MOV' },
}

export const ACCEPTED_MEDIA_LABELS = 'JPEG, PNG, WebP, MP4 or MOV'

/** Bytes read before deciding the type: file-type needs at most a few KiB for these formats. */
export const MEDIA_SNIFF_BYTES = 64 * 1024

/** Thumbnails: JPEG, at most this many pixels on the long side. */
export const THUMBNAIL_MAX_SIDE = 480

/** Images larger than this (width × height) are refused before they are decoded: a small file can expand hugely. */
export const MAX_IMAGE_PIXELS = 16383 * 16383

export type MediaRefusal = 'empty' | 'unsupported_type' | 'unreadable' | 'too_many_pixels'

/** A file refused for what its bytes are (or are not). The message says why, for people. */
export class MediaRejectedError extends Error {
  override name = 'MediaRejectedError'
  constructor(
    readonly reason: MediaRefusal,
    message: string,
  ) {
    super(message)
  }
}

export interface InspectedMedia {
  type: MediaType
  /** As shown: images after their EXIF orientation, videos after their track's rotation. */
  width: number | null
  height: number | null
  /** Videos only; null when the file does not say. */
  durationMs: number | null
  /** JPEG preview of an image (≤ THUMBNAIL_MAX_SIDE on the long side); null for videos. */
  thumbnail: Buffer | null
}

/** The accepted media type of a file from its first bytes, or MediaRejectedError (empty, anything else). */
export async function detectMediaType(head: Uint8Array): Promise<MediaType> {
  if (head.length === 0) throw new MediaRejectedError('empty', 'The file is empty (0 bytes).')
  const detected = await fileTypeFromBuffer(head)
  const type = detected ? MEDIA_TYPES[detected.mime] : undefined
  if (!type) {
    const what = detected ? ` (its content is ${detected.ext.toUpperCase()})` : ''
    throw new MediaRejectedError('unsupported_type', `The file is not a ${ACCEPTED_MEDIA_LABELS} file${what}; the type is judged by content, not by name.`)
  }
  return type
}

export interface MediaInspector {
  readonly type: MediaType
  /** The file's next bytes, in order. Cheap and synchronous: call it as the bytes go by. */
  write(chunk: Uint8Array): void
  /** After the last byte: what the file is, or MediaRejectedError when it cannot be read. */
  finish(): Promise<InspectedMedia>
  /** The upload failed: drop whatever was kept. */
  abort(): void
  /** Bytes handed to the parser so far (videos): the part of the file that was really read. */
  readonly bytesParsed: number
}

/** An inspector for a file already known (detectMediaType) to be `type`. */
export async function createMediaInspector(type: MediaType): Promise<MediaInspector> {
  return type.kind === 'image' ? createImageInspector(type) : createVideoInspector(type)
}

/** Decides and inspects a whole file given as a stream of chunks (tests, scripts). */
export async function inspectMedia(source: AsyncIterable<Uint8Array> | Uint8Array): Promise<InspectedMedia> {
  const iterator = source instanceof Uint8Array ? [source][Symbol.iterator]() : source[Symbol.asyncIterator]()
  const head: Uint8Array[] = []
  let headBytes = 0
  let done = false
  while (headBytes < MEDIA_SNIFF_BYTES) {
    const next = await iterator.next()
    if (next.done) {
      done = true
      break
    }
    head.push(next.value)
    headBytes += next.value.length
  }
  const inspector = await createMediaInspector(await detectMediaType(Buffer.concat(head)))
  for (const chunk of head) inspector.write(chunk)
  while (!done) {
    const next = await iterator.next()
    if (next.done) break
    inspector.write(next.value)
  }
  return inspector.finish()
}

// ---- images ----

async function createImageInspector(type: MediaType): Promise<MediaInspector> {
  const { default: sharp } = await import('sharp')
  const chunks: Buffer[] = []
  let aborted = false
  return {
    type,
    bytesParsed: 0,
    write(chunk) {
      if (!aborted) chunks.push(Buffer.from(chunk))
    },
    abort() {
      aborted = true
      chunks.length = 0
    },
    async finish() {
      const input = Buffer.concat(chunks)
      chunks.length = 0
      // failOn 'error' refuses damaged or cut-off pixel data; the pixel limit is checked from the header.
      const image = sharp(input, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS })
      let width: number
      let height: number
      let thumbnail: Buffer
      try {
        const metadata = await image.metadata()
        width = metadata.autoOrient.width
        height = metadata.autoOrient.height
        thumbnail = await image
          .autoOrient()
          .resize({ width: THUMBNAIL_MAX_SIDE, height: THUMBNAIL_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
          // Transparent pixels (PNG, WebP) become white rather than JPEG's black.
          .flatten({ background: '#ffffff' })
          .jpeg({ quality: 80 })
          .toBuffer()
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        if (/pixel limit/i.test(message)) {
          throw new MediaRejectedError('too_many_pixels', `The image has more than ${MAX_IMAGE_PIXELS} pixels (${Math.sqrt(MAX_IMAGE_PIXELS) | 0} × ${Math.sqrt(MAX_IMAGE_PIXELS) | 0}).`)
        }
        throw new MediaRejectedError('unreadable', `The ${type.label} image cannot be read: it is damaged or incomplete.`)
      }
      return { type, width, height, durationMs: null, thumbnail }
    },
  }
}

// ---- videos ----

/**
 * Follows the top-level boxes of an ISO base media file (size, type; 64-bit sizes; size 0 = to the end)
 * across chunks: to tell a complete file from one that stops inside a box, and to say which bytes are
 * media data (the payload of `mdat`), which the parser never needs.
 */
class TopLevelBoxes {
  /** File position of the next box header. */
  private nextBoxAt = 0
  private position = 0
  private header = Buffer.alloc(0)
  /** The box being passed over is an mdat: its payload is not for the parser. */
  private inMediaData = false
  private extendsToEnd = false
  readonly types: string[] = []

  /** Takes the next chunk; returns the [start, end) offsets within it that the parser should see. */
  write(chunk: Uint8Array): [number, number][] {
    const wanted: [number, number][] = []
    const keep = (from: number, to: number) => {
      const last = wanted.at(-1)
      if (last && last[1] === from) last[1] = to
      else if (to > from) wanted.push([from, to])
    }
    let at = 0
    while (at < chunk.length) {
      const filePosition = this.position + at
      if (this.extendsToEnd || filePosition < this.nextBoxAt) {
        // Inside a box's payload: up to its end (or the chunk's).
        const to = this.extendsToEnd ? chunk.length : Math.min(chunk.length, at + (this.nextBoxAt - filePosition))
        if (!this.inMediaData) keep(at, to)
        at = to
        continue
      }
      // At a header: gather its 8 bytes (16 with a 64-bit size) even when they straddle chunks.
      const want = this.header.length >= 8 && this.header.readUInt32BE(0) === 1 ? 16 : 8
      const take = Math.min(want - this.header.length, chunk.length - at)
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + take)])
      keep(at, at + take)
      at += take
      if (this.header.length < want) continue
      const size32 = this.header.readUInt32BE(0)
      if (size32 === 1 && want === 8) continue
      const size = size32 === 1 ? Number(this.header.readBigUInt64BE(8)) : size32
      const type = this.header.subarray(4, 8).toString('latin1')
      this.types.push(type)
      this.inMediaData = type === 'mdat'
      if (size32 === 0) this.extendsToEnd = true
      else if (size < want) throw new MediaRejectedError('unreadable', 'The video file is damaged: a box declares an impossible size.')
      this.nextBoxAt += size
      this.header = Buffer.alloc(0)
    }
    this.position += chunk.length
    return wanted
  }

  /** Whether the bytes end exactly where the last box ends. */
  get complete(): boolean {
    return this.extendsToEnd || (this.header.length === 0 && this.position === this.nextBoxAt)
  }
}

/** Width and height as shown: a track whose matrix turns it a quarter (phone videos shot upright) swaps them. */
function displaySize(track: Track): { width: number; height: number } | null {
  const width = Math.round(track.track_width || track.video?.width || 0)
  const height = Math.round(track.track_height || track.video?.height || 0)
  if (!width || !height) return null
  const [a = 0, b = 0] = Array.from(track.matrix ?? [])
  return Math.abs(b) > Math.abs(a) ? { width: height, height: width } : { width, height }
}

async function createVideoInspector(type: MediaType): Promise<MediaInspector> {
  const { createFile, MP4BoxBuffer } = await import('mp4box')
  // false: mp4box keeps no sample data; it only parses boxes.
  const file: ISOFile = createFile(false)
  const boxes = new TopLevelBoxes()
  let movie: Movie | null = null
  let parseError: string | null = null
  let framingError: MediaRejectedError | null = null
  let position = 0
  let bytesParsed = 0
  file.onReady = (info) => {
    movie = info
  }
  file.onError = (module, message) => {
    parseError = `${module}: ${message}`
  }

  const unreadable = (why: string) => new MediaRejectedError('unreadable', `The ${type.label} video cannot be read: ${why}.`)

  return {
    type,
    get bytesParsed() {
      return bytesParsed
    },
    write(chunk) {
      const start = position
      position += chunk.length
      if (framingError) return
      let ranges: [number, number][]
      try {
        ranges = boxes.write(chunk)
      } catch (error) {
        framingError = error instanceof MediaRejectedError ? error : unreadable('its structure is damaged')
        return
      }
      // Once the movie header is read, or the parser has given up, the rest only needs framing.
      for (const [from, to] of ranges) {
        if (movie || parseError) return
        // A copy: mp4box keeps the buffer, and upload chunks may be views of a larger, reused one. After an
        // mdat the parser is handed the bytes at the mdat's end: mp4box seeks there itself (the gap is the
        // media data it was told to discard).
        const bytes = new Uint8Array(chunk.subarray(from, to))
        bytesParsed += bytes.length
        try {
          file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.buffer, start + from))
        } catch (error) {
          parseError = error instanceof Error ? error.message : String(error)
        }
      }
    },
    abort() {
      movie = null
      file.stop()
    },
    async finish() {
      if (framingError) throw framingError
      if (!movie && !parseError) {
        try {
          file.flush()
        } catch (error) {
          parseError = error instanceof Error ? error.message : String(error)
        }
      }
      const info = movie as Movie | null
      if (!boxes.complete) throw unreadable('the file ends in the middle of a box (it is truncated)')
      if (!info || !boxes.types.includes('moov')) throw unreadable('it has no complete movie header (moov box)')
      if (info.tracks.length === 0) throw unreadable('its movie header lists no tracks')
      const track = info.videoTracks[0]
      if (!track) {
        throw new MediaRejectedError('unsupported_type', `The ${type.label} file has no video track (an audio-only file is not a video).`)
      }
      const size = displaySize(track)
      const seconds = info.timescale > 0 && info.duration > 0 ? info.duration / info.timescale : null
      const fragmentSeconds = info.fragment_duration && info.fragment_duration.den > 0 ? info.fragment_duration.num / info.fragment_duration.den : null
      const durationSeconds = seconds ?? fragmentSeconds
      return {
        type,
        width: size?.width ?? null,
        height: size?.height ?? null,
        durationMs: durationSeconds === null ? null : Math.round(durationSeconds * 1000),
        thumbnail: null,
      }
    },
  }
}
