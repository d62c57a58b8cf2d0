// The web server's own request checks: forms only from this site.
import type express from 'express'
import { describe, expect, it } from 'vitest'
import { isSameOrigin } from '../../web/server'

const request = (headers: Record<string, string>) => ({ headers: { host: 'localhost:3000', ...headers } }) as unknown as express.Request

describe('isSameOrigin', () => {
  it.each([
    [{ 'sec-fetch-site': 'same-origin' }, true],
    [{ 'sec-fetch-site': 'none' }, true],
    [{ 'sec-fetch-site': 'cross-site', origin: 'http://localhost:3000' }, false],
    [{ 'sec-fetch-site': 'same-site' }, false],
    [{ origin: 'http://localhost:3000' }, true],
    [{ origin: 'https://evil.example' }, false],
    [{ origin: 'null' }, false],
    [{ origin: 'not a url' }, false],
    [{}, true],
  ])('%j → %s', (headers, expected) => {
    expect(isSameOrigin(request(headers), false)).toBe(expected)
  })

  it('behind a trusted proxy compares with x-forwarded-host, and ignores it otherwise', () => {
    const proxied = request({ origin: 'https://app.example', 'x-forwarded-host': 'app.example' })
    expect(isSameOrigin(proxied, true)).toBe(true)
    expect(isSameOrigin(proxied, false)).toBe(false)
  })
})
