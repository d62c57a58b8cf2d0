// The board's two streaming resource routes (web/app/routes/board-events.ts and board-export.ts) against a
// tiny real HTTP server standing in for the API: what they pass on, what they keep back, and that the event
// stream is neither buffered nor left open upstream when the browser goes away.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loader as boardEvents } from '../../web/app/routes/board-events.ts'
import { loader as boardExport } from '../../web/app/routes/board-export.ts'

const CAMPAIGN = '10000000-0000-4000-8000-000000000001'

let server: Server
let handle: (req: IncomingMessage, res: ServerResponse) => void
let seen: { url: string; cookie: string | undefined; closed: boolean }[]
const previousApiUrl = process.env.API_URL

beforeAll(async () => {
  server = createServer((req, res) => {
    const entry = { url: req.url!, cookie: req.headers.cookie, closed: false }
    seen.push(entry)
    res.on('close', () => (entry.closed = true))
    handle(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  process.env.API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  process.env.API_URL = previousApiUrl
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  seen = []
})

function args(address: string, signal?: AbortSignal) {
  const request = new Request(address, { headers: { cookie: 'gl_session=s1' }, ...(signal ? { signal } : {}) })
  // The loaders read request and url only; the rest of React Router's arguments are not needed here.
  return { request, url: new URL(address), params: {}, context: {} } as unknown as Parameters<typeof boardEvents>[0] & Parameters<typeof boardExport>[0]
}

async function until(condition: () => boolean, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('board-events', () => {
  it('passes the stream on as it comes, with the scope only, and ends it upstream when the browser leaves', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(': connected\n\n')
      // The stream stays open, as the API's does.
    }
    const browser = new AbortController()
    const response = await boardEvents(args(`http://web.test/board-events?campaignId=${CAMPAIGN}&platform=tiktok&limit=5&debug=1`, browser.signal))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    // no-transform keeps the compression middleware from buffering events.
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform')
    expect(seen[0]).toMatchObject({ url: `/api/boards/events?campaignId=${CAMPAIGN}&platform=tiktok`, cookie: 'gl_session=s1' })

    // The first event arrives while the upstream stream is still open: nothing waits for the end.
    const reader = response.body!.getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toBe(': connected\n\n')
    expect(seen[0]!.closed).toBe(false)

    browser.abort()
    await until(() => seen[0]!.closed)
  })

  it("answers the API's refusal with its status, so EventSource stops retrying", async () => {
    handle = (_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { code: 'FORBIDDEN', message: 'Your role cannot read the board.' } }))
    }
    const response = await boardEvents(args(`http://web.test/board-events?workspaceId=${CAMPAIGN}`))
    expect(response.status).toBe(403)
    expect(await response.text()).toBe('Your role cannot read the board.')
  })
})

describe('board-export.csv', () => {
  it('streams the CSV as a download with the API’s file name', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="spring-board.csv"' })
      res.end('Title,Platform\r\nReel,TikTok\r\n')
    }
    const response = await boardExport(args(`http://web.test/board-export.csv?campaignId=${CAMPAIGN}`))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="spring-board.csv"')
    expect(await response.text()).toBe('Title,Platform\r\nReel,TikTok\r\n')
    expect(seen[0]!.url).toBe(`/api/boards/export.csv?campaignId=${CAMPAIGN}`)
  })

  it('makes a download of an answer the API did not mark as one, and sends the signed-out to the login page', async () => {
    handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' })
      res.end('Title\r\n')
    }
    const download = await boardExport(args('http://web.test/board-export.csv'))
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="board.csv"')

    handle = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } }))
    }
    const thrown = await boardExport(args(`http://web.test/board-export.csv?campaignId=${CAMPAIGN}`)).catch((error: unknown) => error)
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).status).toBe(302)
    expect((thrown as Response).headers.get('location')).toBe(`/login?redirectTo=${encodeURIComponent(`/board-export.csv?campaignId=${CAMPAIGN}`)}`)
  })
})
