// The web server's API client against a tiny real HTTP server standing in for the API.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ApiError, callApi, formErrorsFrom, setCookieHeaders } from '../../web/app/lib/api.server.ts'
import { callApiAsUser, safeRedirectPath } from '../../web/app/lib/session.server.ts'

interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

type Answer = { status: number; headers?: Record<string, string | string[]>; body?: string }

let server: Server
let answer: Answer
let seen: Seen[]
const previousApiUrl = process.env.API_URL

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body })
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      res.end(answer.body ?? '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  process.env.API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})

afterAll(async () => {
  process.env.API_URL = previousApiUrl
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  seen = []
  answer = { status: 200, body: '{}' }
})

const browserRequest = (cookie?: string) =>
  new Request('http://web.test/campaigns?page=2', cookie ? { headers: { cookie } } : {})

async function thrownBy(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('callApi', () => {
  it("forwards the browser's cookie and sends JSON bodies", async () => {
    answer = { status: 201, body: JSON.stringify({ campaign: { id: 'c1' } }) }
    const response = await callApi<{ campaign: { id: string } }>(browserRequest('gl_session=abc; theme=dark'), '/api/campaigns', {
      method: 'POST',
      body: { name: 'Launch' },
    })
    expect(response.data).toEqual({ campaign: { id: 'c1' } })
    expect(seen).toMatchObject([{ method: 'POST', url: '/api/campaigns', body: '{"name":"Launch"}' }])
    expect(seen[0]!.headers).toMatchObject({ cookie: 'gl_session=abc; theme=dark', 'content-type': 'application/json' })
  })

  it('declares no JSON body when there is none (Fastify would reject an empty one)', async () => {
    answer = { status: 204 }
    const response = await callApi(browserRequest(), '/api/auth/logout', { method: 'POST' })
    expect(response.data).toBeUndefined()
    expect(seen[0]!.headers['content-type']).toBeUndefined()
    expect(seen[0]!.headers.cookie).toBeUndefined()
  })

  it('turns an error answer into an ApiError with code, message, details and request id', async () => {
    answer = {
      status: 400,
      body: JSON.stringify({
        error: { code: 'VALIDATION_FAILED', message: 'The body is not valid.', details: [{ path: '/name', message: 'is required' }] },
        requestId: 'req-7',
      }),
    }
    const error = await thrownBy(callApi(browserRequest(), '/api/campaigns', { method: 'POST', body: {} }))
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'The body is not valid.',
      details: [{ path: '/name', message: 'is required' }],
      requestId: 'req-7',
    })
  })

  it('describes an error answer that is not the API’s error shape', async () => {
    answer = { status: 502, headers: { 'content-type': 'text/html' }, body: '<h1>Bad gateway</h1>' }
    const error = await thrownBy(callApi(browserRequest(), '/api/campaigns'))
    expect(error).toMatchObject({ status: 502, code: 'UNEXPECTED_RESPONSE' })
  })

  it('answers 503 with the address when the API is not reachable', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    process.env.API_URL = `http://127.0.0.1:${port}`
    try {
      const error = await thrownBy(callApi(browserRequest(), '/api/meta'))
      expect(error).toMatchObject({
        data: { code: 'API_UNREACHABLE', message: `The Greenlight API is not reachable at http://127.0.0.1:${port}.` },
        init: { status: 503 },
      })
    } finally {
      process.env.API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    }
  })

  it("passes every Set-Cookie of the API's answer on", async () => {
    answer = { status: 200, headers: { 'set-cookie': ['gl_session=new; HttpOnly; Path=/', 'gl_hint=1; Path=/'] }, body: '{}' }
    const response = await callApi(browserRequest(), '/api/auth/login', { method: 'POST', body: {} })
    expect(setCookieHeaders(response.headers).getSetCookie()).toEqual(['gl_session=new; HttpOnly; Path=/', 'gl_hint=1; Path=/'])
  })
})

describe('callApiAsUser', () => {
  it('sends the browser to /login, remembering the page, when the API says 401', async () => {
    answer = { status: 401, body: JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'Sign in.' }, requestId: 'r' }) }
    const request = browserRequest('gl_session=expired')
    const error = await thrownBy(callApiAsUser({ request, url: new URL(request.url) }, '/api/campaigns'))
    expect(error).toBeInstanceOf(Response)
    expect((error as Response).status).toBe(302)
    expect((error as Response).headers.get('location')).toBe('/login?redirectTo=%2Fcampaigns%3Fpage%3D2')
  })
})

describe('formErrorsFrom', () => {
  it('puts details next to their fields and everything else in the form message', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'The body is not valid.', [
      { path: '/endsAt', message: 'must be after startsAt' },
      { path: '/budget', message: 'is not a known field' },
    ])
    expect(formErrorsFrom(error, ['name', 'endsAt'])).toEqual({
      endsAt: 'must be after startsAt',
      form: 'The body is not valid. is not a known field',
    })
  })
})

describe('safeRedirectPath', () => {
  it.each([
    ['/workspaces?archived=true#top', '/workspaces?archived=true#top'],
    ['/creators/abc', '/creators/abc'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['', '/'],
  ])('%j → %j', (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected)
  })
})
