// platform/media.ts on files made here: the type comes from the bytes, images get their dimensions and a
// thumbnail, videos their duration and dimensions from the moov box without the media data ever reaching
// the parser, and every kind of bad file is refused with its reason.
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { MAX_IMAGE_PIXELS, MEDIA_SNIFF_BYTES, MediaRejectedError, THUMBNAIL_MAX_SIDE, createMediaInspector, detectMediaType, inspectMedia, type MediaRefusal } from '../../platform/media'
import { box, chunksOf, jpegImage, movie, pngImage, webpImage } from '../support/media-fixtures'

async function refusalOf(source: Uint8Array | AsyncIterable<Uint8Array>): Promise<{ reason: MediaRefusal; message: string }> {
  const error = await inspectMedia(source).then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error, 'the file was accepted').toBeInstanceOf(MediaRejectedError)
  return { reason: (error as MediaRejectedError).reason, message: (error as MediaRejectedError).message }
}

/** A PNG whose header declares `width` × `height` (the pixel data is one tiny, wrong-sized IDAT). */
function pngHeaderOnly(width: number, height: number): Buffer {
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
  ihdr.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(16))), chunk('IEND', Buffer.alloc(0))])
}

describe('images', () => {
  it.each([
    ['JPEG', () => jpegImage(1200, 800), 'image/jpeg', 1200, 800],
    ['PNG', () => pngImage(300, 700), 'image/png', 300, 700],
    ['WebP', () => webpImage(2000, 1000), 'image/webp', 2000, 1000],
  ] as const)('reads a %s: type by content, dimensions, and a JPEG thumbnail within 480 px', async (_label, make, mimeType, width, height) => {
    const media = await inspectMedia(chunksOf(await make(), 1000))
    expect(media).toMatchObject({ type: { mimeType, kind: 'image' }, width, height, durationMs: null })
    const thumbnail = await sharp(media.thumbnail!).metadata()
    expect(thumbnail.format).toBe('jpeg')
    expect(Math.max(thumbnail.width, thumbnail.height)).toBe(Math.min(THUMBNAIL_MAX_SIDE, Math.max(width, height)))
    // The thumbnail keeps the picture's proportions.
    expect(thumbnail.width / thumbnail.height).toBeCloseTo(width / height, 1)
  })

  it('reports the dimensions as shown for a JPEG turned by its EXIF orientation, and turns the thumbnail too', async () => {
    const media = await inspectMedia(await jpegImage(1200, 800, { orientation: 6 }))
    expect(media).toMatchObject({ width: 800, height: 1200 })
    expect(await sharp(media.thumbnail!).metadata()).toMatchObject({ width: 320, height: 480 })
  })

  it('never enlarges a small image for its thumbnail', async () => {
    const media = await inspectMedia(await pngImage(40, 30))
    expect(await sharp(media.thumbnail!).metadata()).toMatchObject({ width: 40, height: 30 })
  })

  it('refuses a cut-off JPEG as unreadable', async () => {
    const jpeg = await jpegImage(1600, 1200)
    expect(await refusalOf(jpeg.subarray(0, Math.floor(jpeg.length / 2)))).toEqual({ reason: 'unreadable', message: expect.stringContaining('JPEG image cannot be read') })
  })

  it('refuses an image that declares more pixels than the limit, before decoding it', async () => {
    const side = Math.ceil(Math.sqrt(MAX_IMAGE_PIXELS)) + 10
    expect((await refusalOf(pngHeaderOnly(side, side))).reason).toBe('too_many_pixels')
  })
})

describe('videos', () => {
  it.each([
    ['MP4, moov first', movie({ width: 1280, height: 720, durationMs: 15_000 }), 'video/mp4', 1280, 720, 15_000],
    ['MP4, moov after the media data', movie({ moovFirst: false, width: 320, height: 240, durationMs: 2_345 }), 'video/mp4', 320, 240, 2_345],
    ['MOV (QuickTime)', movie({ brand: 'qt  ', width: 1920, height: 1080, durationMs: 61_000 }), 'video/quicktime', 1920, 1080, 61_000],
    ['MOV shot upright (track turned a quarter)', movie({ brand: 'qt  ', rotated: true, width: 1920, height: 1080 }), 'video/quicktime', 1080, 1920, 2_500],
    ['MP4 with a 64-bit mdat size', movie({ largeMdat: true, moovFirst: false }), 'video/mp4', 640, 360, 2_500],
  ] as const)('reads %s: duration and dimensions', async (_label, bytes, mimeType, width, height, durationMs) => {
    const media = await inspectMedia(chunksOf(bytes, 333))
    expect(media).toEqual({ type: expect.objectContaining({ mimeType, kind: 'video' }), width, height, durationMs, thumbnail: null })
  })

  it('reads a video whatever the chunk boundaries (box headers split across chunks)', async () => {
    const bytes = movie({ moovFirst: false, largeMdat: true, mdatBytes: 500 })
    for (const size of [1, 3, 7, 9, 17]) {
      expect((await inspectMedia(chunksOf(bytes, size))).durationMs, `chunks of ${size}`).toBe(2_500)
    }
  })

  it.each([true, false])('never hands the media data to the parser (moov first: %s), so a large video is not held in memory', async (moovFirst) => {
    const bytes = movie({ moovFirst, mdatBytes: 30 * 1024 * 1024 })
    const type = await detectMediaType(bytes.subarray(0, MEDIA_SNIFF_BYTES))
    const inspector = await createMediaInspector(type)
    for await (const chunk of chunksOf(bytes, 64 * 1024)) inspector.write(chunk)
    expect(await inspector.finish()).toMatchObject({ width: 640, height: 360, durationMs: 2_500 })
    // ftyp, moov and the mdat header: well under a kilobyte of the 30 MiB file.
    expect(inspector.bytesParsed).toBeLessThan(2048)
  })

  it('refuses a truncated video: cut in the media data, cut inside moov, or without any moov', async () => {
    const moovFirst = movie({ moovFirst: true, mdatBytes: 20_000 })
    const moovLast = movie({ moovFirst: false, mdatBytes: 20_000 })
    const cutInMdat = await refusalOf(chunksOf(moovFirst.subarray(0, moovFirst.length - 5_000)))
    expect(cutInMdat).toEqual({ reason: 'unreadable', message: expect.stringContaining('truncated') })
    expect((await refusalOf(chunksOf(moovLast.subarray(0, moovLast.length - 40)))).reason).toBe('unreadable')
    // Complete boxes, but the camera never wrote its movie header.
    const noMoov = Buffer.concat([moovLast.subarray(0, 32), box('mdat', Buffer.alloc(1000))])
    expect(await refusalOf(noMoov)).toEqual({ reason: 'unreadable', message: expect.stringContaining('no complete movie header') })
    // Only the first few bytes of a file.
    expect((await refusalOf(moovFirst.subarray(0, 20))).reason).toBe('unreadable')
  })

  it('refuses a box that declares an impossible size', async () => {
    const bytes = movie()
    const damaged = Buffer.concat([bytes.subarray(0, 32), Buffer.from([0, 0, 0, 4]), Buffer.from('moov'), bytes.subarray(40)])
    expect((await refusalOf(damaged)).reason).toBe('unreadable')
  })

  it('refuses an MP4 with no video track (audio only) as an unsupported type', async () => {
    expect(await refusalOf(movie({ handler: 'soun' }))).toEqual({ reason: 'unsupported_type', message: expect.stringContaining('no video track') })
  })
})

describe('type by content', () => {
  it('refuses an empty file', async () => {
    expect(await refusalOf(Buffer.alloc(0))).toEqual({ reason: 'empty', message: 'The file is empty (0 bytes).' })
    expect((await refusalOf(chunksOf(Buffer.alloc(0)))).reason).toBe('empty')
  })

  it('refuses what is not an accepted image or video, whatever it would be called', async () => {
    expect((await refusalOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).reason).toBe('unsupported_type')
    expect((await refusalOf(Buffer.from('just some text that someone named photo.jpg'))).reason).toBe('unsupported_type')
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).gif().toBuffer()
    expect(await refusalOf(gif)).toEqual({ reason: 'unsupported_type', message: expect.stringContaining('(its content is GIF)') })
    // An ISO media file of another brand: an M4A audio file is not a video.
    const m4a = Buffer.concat([box('ftyp', Buffer.from('M4A '), Buffer.alloc(4), Buffer.from('M4A isom')), box('mdat', Buffer.alloc(100))])
    expect((await refusalOf(m4a)).reason).toBe('unsupported_type')
  })

  it('decides by the first bytes only', async () => {
    expect(await detectMediaType((await jpegImage(10, 10)).subarray(0, 64))).toMatchObject({ mimeType: 'image/jpeg', extension: 'jpg' })
    expect(await detectMediaType(movie({ brand: 'qt  ' }).subarray(0, 64))).toMatchObject({ mimeType: 'video/quicktime', extension: 'mov' })
  })
})
