// The API through app.inject, on a real PostgreSQL and a real Temporal dev server.
import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { greenlightApp } from '../../api/app'
import { startApiHarness, testAppOptions, type ApiHarness } from '../support/api'

let h: ApiHarness
let tenant: Awaited<ReturnType<ApiHarness['newTenant']>>

beforeAll(async () => {
  h = await startApiHarness()
  await h.startWorker()
  tenant = await h.newTenant()
})
afterAll(async () => {
  await h?.stop()
})

const json = (who: { headers: Record<string, string> }, payload?: unknown) => ({
  headers: { ...who.headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
  ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
})

describe('bad input answers 4xx with a stable code, never 5xx', () => {
  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(tenant, '{"name": "x",') })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('MALFORMED_JSON')
    expect(res.json().requestId).toEqual(expect.any(String))
  })

  it('an unknown field → 400 VALIDATION_FAILED naming the field', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(tenant, { workspaceId: randomUUID(), name: 'A', budget: 5 }) })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '/budget', message: 'is not a known field' }] })
  })

  it('wrong types → 400 VALIDATION_FAILED', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/campaigns', ...json(tenant, { workspaceId: randomUUID(), name: 42, startsAtLocal: 'tomorrow' }) })
    expect(res.statusCode).toBe(400)
    const paths = res.json().error.details.map((detail: { path: string }) => detail.path)
    expect(paths).toEqual(expect.arrayContaining(['/name', '/startsAtLocal']))
  })

  it('an unknown id → 404 NOT_FOUND; a malformed id → 400', async () => {
    const unknown = await h.app.inject({ method: 'GET', url: `/api/campaigns/${randomUUID()}`, ...json(tenant) })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.code).toBe('NOT_FOUND')
    const malformed = await h.app.inject({ method: 'GET', url: '/api/campaigns/not-a-uuid', ...json(tenant) })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.code).toBe('VALIDATION_FAILED')
  })

  it('an unknown route → 404 ROUTE_NOT_FOUND; no session → 401', async () => {
    const route = await h.app.inject({ method: 'GET', url: '/api/nothing-here' })
    expect(route.statusCode).toBe(404)
    expect(route.json().error.code).toBe('ROUTE_NOT_FOUND')
    const anonymous = await h.app.inject({ method: 'GET', url: '/api/campaigns' })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED')
  })

  it('a wrong password → 401 INVALID_CREDENTIALS without a cookie', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: tenant.email, password: 'nope' } })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('INVALID_CREDENTIALS')
    expect(res.cookies).toHaveLength(0)
  })
})

describe('sessions', () => {
  it('logs in with an HTTP-only SameSite cookie and logs out by revoking the session row', async () => {
    const other = await h.newTenant()
    const login = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: other.email, password: other.password } })
    const cookie = login.cookies.find((c) => c.name === 'gl_session')!
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(login.body).not.toContain(cookie.value)
    const header = `gl_session=${cookie.value}`
    expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: header } })).json().user.email).toBe(other.email)
    const csrf = login.json().user.csrfToken
    expect((await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: header, 'x-csrf-token': csrf } })).statusCode).toBe(204)
    expect((await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: header } })).statusCode).toBe(401)
  })
})

describe('GET /openapi.json', () => {
  it('is generated from the route schemas and covers every route the app registers', async () => {
    // The same app plugin on a fresh instance, with a hook that records every route as it is added.
    const registered: string[] = []
    const probe = Fastify()
    probe.addHook('onRoute', (route) => {
      const methods = [route.method].flat().filter((method) => method !== 'HEAD')
      if (!route.schema?.hide) registered.push(...methods.map((method) => `${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`))
    })
    await greenlightApp(probe, testAppOptions(h.db, h.env.client, h.app.settings))
    await probe.ready()
    await probe.close()

    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    expect(doc.openapi).toBe('3.1.0')
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([url, ops]) =>
      // HEAD is documented beside GET where a route serves it (public media); Fastify adds it on its own elsewhere.
      Object.keys(ops).filter((method) => method !== 'head').map((method) => `${method.toUpperCase()} ${url}`),
    )
    expect(registered).toContain('POST /api/campaigns/{id}/status')
    expect(documented.sort()).toEqual(registered.sort())
    for (const [url, operations] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(Object.keys(operation.responses), `${method} ${url} documents its responses`).not.toHaveLength(0)
      }
    }
    expect(doc.paths['/api/campaigns'].post.responses['400']).toBeDefined()
  })
})
