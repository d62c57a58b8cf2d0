// Draft uploads stream through the web server: only the leading CSRF field is read off the multipart body,
// and the rest goes on as a valid multipart body (web/app/lib/multipart-upload.server.ts).
import { describe, expect, it } from 'vitest'
import { multipartBoundary, takeLeadingField } from '../../web/app/lib/multipart-upload.server.ts'

/** A multipart body the way a browser (here: undici) writes it, in chunks of `chunkSize` bytes. */
async function multipart(fields: [string, string | File][], chunkSize = 7) {
  const form = new FormData()
  for (const [name, value] of fields) form.append(name, value)
  const request = new Request('http://web.test/upload', { method: 'POST', body: form })
  const bytes = new Uint8Array(await request.arrayBuffer())
  const contentType = request.headers.get('content-type')!
  let offset = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(offset, offset + chunkSize))
      offset += chunkSize
    },
  })
  return { body, contentType, boundary: multipartBoundary(contentType)! }
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

describe('multipartBoundary', () => {
  it('reads plain and quoted boundaries of multipart/form-data only', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----abc123')).toBe('----abc123')
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b c"')).toBe('a b c')
    expect(multipartBoundary('application/x-www-form-urlencoded')).toBeNull()
    expect(multipartBoundary('multipart/form-data')).toBeNull()
    expect(multipartBoundary(null)).toBeNull()
  })
})

describe('takeLeadingField', () => {
  it('reads the first field and passes the rest on as a multipart body without it, bytes intact', async () => {
    const video = new Uint8Array(100_000).map((_, index) => (index * 31) % 256)
    const { body, contentType, boundary } = await multipart([
      ['_csrf', 'token-123'],
      ['caption', 'Morning pour ☕'],
      ['files', new File([video], 'draft.mp4', { type: 'video/mp4' })],
    ])
    const leading = await takeLeadingField(body, boundary, '_csrf')
    expect(leading?.value).toBe('token-123')
    // What the API receives parses as the same form minus the token.
    const forwarded = await readAll(leading!.rest)
    const parsed = await new Response(forwarded, { headers: { 'content-type': contentType } }).formData()
    expect([...parsed.keys()]).toEqual(['caption', 'files'])
    expect(parsed.get('caption')).toBe('Morning pour ☕')
    const file = parsed.get('files') as File
    expect(file.name).toBe('draft.mp4')
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(video)
  })

  it('works whatever the chunk sizes (the token split across chunks, or all in one)', async () => {
    for (const chunkSize of [1, 3, 64, 1_000_000]) {
      const { body, boundary } = await multipart([['_csrf', 'abc'], ['caption', 'x']], chunkSize)
      const leading = await takeLeadingField(body, boundary, '_csrf')
      expect(leading?.value).toBe('abc')
      await readAll(leading!.rest)
    }
  })

  it('refuses a body whose first field is another one, or a file', async () => {
    const other = await multipart([['caption', 'x'], ['_csrf', 'abc']])
    expect(await takeLeadingField(other.body, other.boundary, '_csrf')).toBeNull()
    const file = await multipart([['_csrf', new File(['abc'], 'token.txt')]])
    expect(await takeLeadingField(file.body, file.boundary, '_csrf')).toBeNull()
  })

  it('refuses a first part that does not end within 16 KB, without reading the rest', async () => {
    const { body, boundary } = await multipart([['_csrf', 'x'.repeat(40_000)], ['caption', 'y']], 1024)
    expect(await takeLeadingField(body, boundary, '_csrf')).toBeNull()
  })

  it('passes on a body that holds nothing but the token (the API then says no files were sent)', async () => {
    const { body, boundary } = await multipart([['_csrf', 'abc']])
    const leading = await takeLeadingField(body, boundary, '_csrf')
    const forwarded = new TextDecoder().decode(await readAll(leading!.rest))
    expect(forwarded.startsWith(`--${boundary}--`)).toBe(true)
  })
})
