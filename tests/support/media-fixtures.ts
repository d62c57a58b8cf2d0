// Media files made in the test, byte by byte: images through sharp, and small but structurally valid MP4 /
// QuickTime files written box by box (ftyp, moov with mvhd and one track: tkhd, mdia with mdhd, hdlr, and a
// sample table; mdat with filler bytes). Nothing decodes the "frames", so filler is enough: what is under test
// is reading the boxes, never decoding video.
import sharp from 'sharp'

export async function jpegImage(width: number, height: number, options: { orientation?: number } = {}): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } }).jpeg({ quality: 90 })
  return options.orientation ? image.withMetadata({ orientation: options.orientation }).toBuffer() : image.toBuffer()
}

/** A PNG of one color; a different `shade` gives different bytes (uploads of the same bytes are duplicates). */
export async function pngImage(width: number, height: number, shade = 120): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 20, g: shade & 0xff, b: 200, alpha: 0.5 } } }).png().toBuffer()
}

export async function webpImage(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 10, g: 180, b: 90 } } }).webp().toBuffer()
}

const u8 = (value: number) => Buffer.from([value & 0xff])
function u16(value: number): Buffer {
  const out = Buffer.alloc(2)
  out.writeUInt16BE(value & 0xffff)
  return out
}
function u32(value: number): Buffer {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(value >>> 0)
  return out
}
const ascii = (text: string) => Buffer.from(text, 'latin1')

export function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload)
  return Buffer.concat([u32(8 + body.length), ascii(type), body])
}

/** A box with a 64-bit size field (size 1, then the real size after the type). */
export function largeBox(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload)
  const size = Buffer.alloc(8)
  size.writeBigUInt64BE(BigInt(16 + body.length))
  return Buffer.concat([u32(1), ascii(type), size, body])
}

const fullBox = (type: string, version: number, flags: number, ...payload: Buffer[]) => box(type, u8(version), u8(flags >> 16), u16(flags & 0xffff), ...payload)

/** Transformation matrix (16.16 / 2.30 fixed point): identity, or turned a quarter clockwise. */
function matrix(rotated: boolean): Buffer {
  const [a, b, c, d] = rotated ? [0, 0x10000, -0x10000, 0] : [0x10000, 0, 0, 0x10000]
  return Buffer.concat([u32(a), u32(b), u32(0), u32(c), u32(d), u32(0), u32(0), u32(0), u32(0x40000000)])
}

export interface MovieOptions {
  /** "isom" (MP4) or "qt  " (QuickTime MOV). */
  brand?: 'isom' | 'qt  '
  width?: number
  height?: number
  durationMs?: number
  /** Turned a quarter (a phone video shot upright): shown as height × width. */
  rotated?: boolean
  /** Where moov sits: before the media data (fast start) or after it (as cameras write it). */
  moovFirst?: boolean
  /** Bytes of filler media data. */
  mdatBytes?: number
  /** "vide" (a video track) or "soun" (audio only). */
  handler?: 'vide' | 'soun'
  /** Write mdat with a 64-bit size field. */
  largeMdat?: boolean
}

function sampleEntry(handler: 'vide' | 'soun', width: number, height: number): Buffer {
  if (handler === 'soun') {
    const esds = fullBox('esds', 0, 0, Buffer.from([0x03, 0x19, 0x00, 0x01, 0x00, 0x04, 0x11, 0x40, 0x15, 0x00, 0x00, 0x00, 0x00, 0x01, 0xf4, 0x00, 0x00, 0x01, 0xf4, 0x00, 0x05, 0x02, 0x12, 0x10, 0x06, 0x01, 0x02]))
    return box('mp4a', Buffer.alloc(6), u16(1), Buffer.alloc(8), u16(2), u16(16), u16(0), u16(0), u32(44100 << 16), esds)
  }
  const sps = Buffer.from([0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8])
  const pps = Buffer.from([0x68, 0xce, 0x3c, 0x80])
  const avcC = box('avcC', Buffer.from([1, 0x42, 0xc0, 0x1e, 0xff, 0xe1]), u16(sps.length), sps, u8(1), u16(pps.length), pps)
  const compressorName = Buffer.alloc(32)
  return box('avc1', Buffer.alloc(6), u16(1), Buffer.alloc(16), u16(width), u16(height), u32(0x480000), u32(0x480000), u32(0), u16(1), compressorName, u16(0x18), u16(0xffff), avcC)
}

/** A small MP4 or MOV file: one track of `samples` equal samples spread over the duration. */
export function movie(options: MovieOptions = {}): Buffer {
  const { brand = 'isom', width = 640, height = 360, durationMs = 2500, rotated = false, moovFirst = true, mdatBytes = 4000, handler = 'vide', largeMdat = false } = options
  const timescale = 1000
  const samples = 10
  const sampleSize = Math.floor(mdatBytes / samples)
  const ftyp = box('ftyp', ascii(brand), u32(brand === 'qt  ' ? 0x20050300 : 0x200), ...(brand === 'qt  ' ? [ascii('qt  ')] : [ascii('isom'), ascii('iso2'), ascii('avc1'), ascii('mp41')]))
  const filler = Buffer.alloc(mdatBytes, 0xab)
  const mdat = largeMdat ? largeBox('mdat', filler) : box('mdat', filler)

  const build = (chunkOffset: number) => {
    const mvhd = fullBox('mvhd', 0, 0, u32(0), u32(0), u32(timescale), u32(durationMs), u32(0x10000), u16(0x100), Buffer.alloc(10), matrix(false), Buffer.alloc(24), u32(2))
    const tkhd = fullBox('tkhd', 0, 3, u32(0), u32(0), u32(1), u32(0), u32(durationMs), Buffer.alloc(8), u16(0), u16(0), u16(handler === 'soun' ? 0x100 : 0), u16(0), matrix(rotated), u32(handler === 'soun' ? 0 : width << 16), u32(handler === 'soun' ? 0 : height << 16))
    const mdhd = fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(durationMs), u16(0x55c4), u16(0))
    const hdlr = fullBox('hdlr', 0, 0, u32(0), ascii(handler), Buffer.alloc(12), ascii(handler === 'vide' ? 'VideoHandler\0' : 'SoundHandler\0'))
    const mediaHeader = handler === 'vide' ? fullBox('vmhd', 0, 1, u16(0), u16(0), u16(0), u16(0)) : fullBox('smhd', 0, 0, u16(0), u16(0))
    const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)))
    const stbl = box(
      'stbl',
      fullBox('stsd', 0, 0, u32(1), sampleEntry(handler, width, height)),
      fullBox('stts', 0, 0, u32(1), u32(samples), u32(Math.floor(durationMs / samples))),
      fullBox('stsc', 0, 0, u32(1), u32(1), u32(samples), u32(1)),
      fullBox('stsz', 0, 0, u32(sampleSize), u32(samples)),
      fullBox('stco', 0, 0, u32(1), u32(chunkOffset)),
    )
    const trak = box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', mediaHeader, dinf, stbl)))
    return box('moov', mvhd, trak)
  }

  const mdatHeader = largeMdat ? 16 : 8
  if (moovFirst) {
    const moovSize = build(0).length
    return Buffer.concat([ftyp, build(ftyp.length + moovSize + mdatHeader), mdat])
  }
  return Buffer.concat([ftyp, mdat, build(ftyp.length + mdatHeader)])
}

/** The buffer in chunks of `size`, as an upload arrives. */
export async function* chunksOf(buffer: Buffer, size = 16 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < buffer.length; at += size) yield buffer.subarray(at, at + size)
}
