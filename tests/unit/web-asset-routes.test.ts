// The asset library's web routes against a tiny real HTTP server standing in for the API: the upload is
// streamed through with the CSRF token moved from the form to the header, and the file route passes ranges on.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { assetFileUrl, checkPickedFiles, formatBytes, formatDimensions, formatDuration } from '../../web/app/components/asset-format.ts'
import { loader as assetFileLoader } from '../../web/app/routes/asset-file.ts'
import { action as assetsAction } from '../../web/app/routes/workspace-assets.tsx'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: Buffer
}

type Answer = { status: number; headers?: Record<string, string>; body?: string | Buffer }

let server: Server
let answer: Answer
let seen: Seen[]
const previousApiUrl = process.env.API_URL
const WORKSPACE = '5b1d0f4e-8c43-4a55-9a38-2f7e1c6b9d10'
const ASSET = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) })
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      res.end(answer.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  process.env.API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  process.env.API_URL = previousApiUrl
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  seen = []
  answer = { status: 200, body: '{}' }
})

// The route functions only read these; the rest of React Router's arguments do not matter here.
type Args = Parameters<typeof assetsAction>[0]
const routeArgs = (request: Request, params: Record<string, string>) => ({ request, url: new URL(request.url), params, context: {} }) as unknown as Args

function uploadRequest(fields: [string, string | File][]): Request {
  const form = new FormData()
  for (const [name, value] of fields) form.append(name, value)
  return new Request(`http://web.test/workspaces/${WORKSPACE}/assets`, { method: 'POST', body: form, headers: { cookie: 'gl_session=abc' } })
}

/** What React Router hands the component from `data(...)`. */
function outcomeOf(result: unknown): { data: unknown; status: number | undefined } {
  const wrapped = result as { data: unknown; init: { status?: number } | null }
  return { data: wrapped.data, status: wrapped.init?.status ?? undefined }
}

describe('asset upload action', () => {
  it('streams the files on with the CSRF token as a header and without the token field', async () => {
    const asset = { id: ASSET, name: 'cafe.png', kind: 'image' }
    answer = { status: 201, body: JSON.stringify({ assets: [{ asset, duplicate: true }] }) }
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], 'cafe.png', { type: 'image/png' })
    const request = uploadRequest([
      ['_csrf', 'token-123'],
      ['files', png],
    ])
    const boundary = /boundary=(.+)$/.exec(request.headers.get('content-type')!)![1]!

    const result = outcomeOf(await assetsAction(routeArgs(request, { workspaceId: WORKSPACE })))
    expect(result.data).toEqual({ intent: 'upload', uploaded: [{ asset, duplicate: true }] })

    expect(seen).toHaveLength(1)
    const [call] = seen
    expect(call).toMatchObject({ method: 'POST', url: `/api/workspaces/${WORKSPACE}/assets` })
    expect(call!.headers).toMatchObject({ 'x-csrf-token': 'token-123', cookie: 'gl_session=abc', 'content-type': `multipart/form-data; boundary=${boundary}` })
    const body = call!.body.toString('latin1')
    expect(body.startsWith(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="cafe.png"`)).toBe(true)
    expect(body).not.toContain('token-123')
    expect(body).toContain('\x89PNG\x01\x02\x03')
    expect(body.trimEnd().endsWith(`--${boundary}--`)).toBe(true)
  })

  it('answers the API’s refusal with its status, code and the file’s name', async () => {
    answer = {
      status: 415,
      body: JSON.stringify({
        error: { code: 'UNSUPPORTED_FILE_TYPE', message: '“notes.png”: is a PDF, not an image or video. Nothing was uploaded.', details: [{ path: '/files/0', message: 'notes.png: is a PDF' }] },
        requestId: 'r1',
      }),
    }
    const request = uploadRequest([
      ['_csrf', 'token-123'],
      ['files', new File(['%PDF-1.7'], 'notes.png', { type: 'image/png' })],
    ])
    const result = outcomeOf(await assetsAction(routeArgs(request, { workspaceId: WORKSPACE })))
    expect(result).toEqual({
      status: 415,
      data: { intent: 'upload', error: { status: 415, code: 'UNSUPPORTED_FILE_TYPE', message: '“notes.png”: is a PDF, not an image or video. Nothing was uploaded.' } },
    })
  })

  it('refuses a form whose first field is not the CSRF token, without calling the API', async () => {
    const request = uploadRequest([
      ['files', new File(['x'], 'a.jpg')],
      ['_csrf', 'token-123'],
    ])
    const result = outcomeOf(await assetsAction(routeArgs(request, { workspaceId: WORKSPACE })))
    expect(result).toMatchObject({ status: 400, data: { intent: 'upload', error: { code: 'UPLOAD_FORM_OUTDATED' } } })
    expect(seen).toEqual([])
  })

  it('deletes an asset, and shows ASSET_IN_USE on its card', async () => {
    answer = { status: 204 }
    const form = (fields: Record<string, string>) =>
      new Request(`http://web.test/workspaces/${WORKSPACE}/assets`, { method: 'POST', body: new URLSearchParams(fields) })
    const deleted = outcomeOf(await assetsAction(routeArgs(form({ _csrf: 't', intent: 'delete', assetId: ASSET, name: 'cafe.png' }), { workspaceId: WORKSPACE })))
    expect(deleted.data).toEqual({ intent: 'deleted', notice: 'Deleted “cafe.png”.' })
    expect(seen[0]).toMatchObject({ method: 'DELETE', url: `/api/assets/${ASSET}`, headers: { 'x-csrf-token': 't' } })

    answer = { status: 409, body: JSON.stringify({ error: { code: 'ASSET_IN_USE', message: 'This asset is used by 2 cards: remove it from them first.' }, requestId: 'r2' }) }
    const refused = outcomeOf(await assetsAction(routeArgs(form({ _csrf: 't', intent: 'delete', assetId: ASSET, name: 'cafe.png' }), { workspaceId: WORKSPACE })))
    expect(refused).toEqual({ status: 409, data: { intent: 'delete', assetId: ASSET, error: 'This asset is used by 2 cards: remove it from them first.' } })
  })
})

describe('asset file route', () => {
  const fileRequest = (variant: string, headers: Record<string, string> = {}) => {
    const request = new Request(`http://web.test/assets/${ASSET}/${variant}`, { headers: { cookie: 'gl_session=abc', ...headers } })
    return routeArgs(request, { assetId: ASSET, variant }) as unknown as Parameters<typeof assetFileLoader>[0]
  }

  it('passes a range request on and the partial answer back', async () => {
    answer = {
      status: 206,
      headers: { 'content-type': 'video/mp4', 'content-range': 'bytes 0-3/100', 'content-length': '4', 'accept-ranges': 'bytes', etag: '"abc"', 'x-internal': 'no' },
      body: Buffer.from([0, 0, 0, 24]),
    }
    const response = await assetFileLoader(fileRequest('content', { range: 'bytes=0-3' }))
    expect(seen[0]).toMatchObject({ url: `/api/assets/${ASSET}/content`, headers: { range: 'bytes=0-3', cookie: 'gl_session=abc' } })
    expect(response.status).toBe(206)
    expect(Object.fromEntries(response.headers)).toEqual({
      'content-type': 'video/mp4',
      'content-range': 'bytes 0-3/100',
      'content-length': '4',
      'accept-ranges': 'bytes',
      etag: '"abc"',
    })
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([0, 0, 0, 24]))
  })

  it('says why there is no file, and knows only two variants', async () => {
    answer = { status: 404, body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'This asset has no thumbnail (only images have one).' }, requestId: 'r' }) }
    const missing = await assetFileLoader(fileRequest('thumbnail'))
    expect(missing.status).toBe(404)
    expect(await missing.text()).toBe('This asset has no thumbnail (only images have one).')

    const unknown = await assetFileLoader(fileRequest('original'))
    expect(unknown.status).toBe(404)
    expect(seen).toHaveLength(1)
  })

  it('sends a signed-out browser to the login page', async () => {
    answer = { status: 401, body: JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'Sign in.' }, requestId: 'r' }) }
    const thrown = await assetFileLoader(fileRequest('content')).catch((error: unknown) => error)
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent(`/assets/${ASSET}/content`)}`)
  })
})

describe('asset formatting', () => {
  it('formats sizes, lengths and dimensions', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB')
    expect(formatDuration(83_500)).toBe('1:24')
    expect(formatDuration(3_723_000)).toBe('1:02:03')
    expect(formatDimensions(1920, 1080)).toBe('1920 × 1080')
    expect(formatDimensions(null, 1080)).toBeNull()
    expect(assetFileUrl(ASSET, 'thumbnail')).toBe(`/assets/${ASSET}/thumbnail`)
  })

  it('refuses too many, empty and too large files before sending', () => {
    const limits = { maxFiles: 3, maxFileBytes: 1024 }
    const files = [
      { name: 'a.jpg', size: 10 },
      { name: 'empty.png', size: 0 },
      { name: 'big.mov', size: 2048 },
    ]
    expect(checkPickedFiles(files, limits)).toEqual({
      accepted: [files[0]],
      refused: [
        { file: files[1], message: '“empty.png” is empty (0 bytes).' },
        { file: files[2], message: '“big.mov” is 2 KB; files may be at most 1 KB.' },
      ],
      tooMany: null,
    })
    expect(checkPickedFiles([...files, { name: 'd.jpg', size: 1 }], limits)).toEqual({ accepted: [], refused: [], tooMany: 'Drop at most 3 files at a time (you picked 4).' })
  })
})
