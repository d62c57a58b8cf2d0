// Settings → Sandbox in the web app: the form rules (web/app/lib/sandbox.ts), the loader and actions against a
// tiny real HTTP server standing in for the API (what they send, how refusals and an installation without
// stand-ins come back to the page), and the page as the server renders it.
import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { createRoutesStub } from 'react-router'
import { describe, expect, it } from 'vitest'
import type { SandboxPublishingView } from '../../api/schemas/sandbox-controls.ts'
import { readInjectForm, remainingLabel } from '../../web/app/lib/sandbox.ts'
import SettingsSandbox, { action, loader, type SandboxActionResult } from '../../web/app/routes/settings-sandbox.tsx'
import { useScriptedApi } from '../support/scripted-api'

const form = (fields: [string, string][]) => {
  const body = new FormData()
  for (const [key, value] of fields) body.append(key, value)
  return body
}

const sandbox: SandboxPublishingView = {
  services: [
    {
      service: 'meta',
      label: 'Meta (Instagram and Facebook)',
      platforms: ['instagram', 'facebook'],
      mode: 'sandbox',
      standInUrl: 'http://localhost:3010/meta',
      reachable: true,
      problem: null,
      conditions: [
        { platform: 'facebook', subject: 'Facebook: feed posts', effect: 'Graph error 4 (app rate limit), HTTP 400', remaining: 2 },
        { platform: 'instagram', subject: 'Instagram: posting quota', effect: 'Used up: every publish is refused (9/2207042)', remaining: null },
      ],
    },
    { service: 'tiktok', label: 'TikTok', platforms: ['tiktok'], mode: 'live', standInUrl: null, reachable: false, problem: null, conditions: [] },
  ],
  presets: [
    { preset: 'rate_limit', label: 'Rate limit', description: 'The platform throttles the next publish calls.', platforms: ['instagram', 'facebook'], counted: true },
    { preset: 'quota_exhausted', label: 'Quota used up', description: 'Until cleared, the daily posting allowance is used up.', platforms: ['instagram'], counted: false },
  ],
  countMax: 20,
}

describe('the inject form', () => {
  it('reads preset, platform and count, leaving count out when the form has none', () => {
    expect(readInjectForm(form([['preset', 'rate_limit'], ['platform', 'tiktok'], ['count', ' 3 ']]))).toEqual({ ok: true, body: { preset: 'rate_limit', platform: 'tiktok', count: 3 } })
    expect(readInjectForm(form([['preset', 'quota_exhausted'], ['platform', 'instagram']]))).toEqual({ ok: true, body: { preset: 'quota_exhausted', platform: 'instagram' } })
  })

  it('says what is missing or not a count', () => {
    expect(readInjectForm(form([['preset', 'timeout'], ['count', '0']]))).toEqual({
      ok: false,
      preset: 'timeout',
      errors: { platform: 'Choose a platform.', count: 'Give a whole number of posts, 1 or more.' },
    })
    expect(readInjectForm(form([['preset', 'timeout'], ['platform', 'facebook'], ['count', '2.5']]))).toMatchObject({ ok: false, errors: { count: expect.any(String) } })
  })

  it('says how long a fault lasts', () => {
    expect(remainingLabel(null)).toBe('Until cleared')
    expect(remainingLabel(1)).toBe('The next one')
    expect(remainingLabel(4)).toBe('The next 4')
  })
})

// ---------------------------------------------------------------------------------------------------------
// The loader and actions, against a stand-in API

const api = useScriptedApi()

// The loader and action only read request and url.
function args<Args>(method: 'GET' | 'POST', fields: [string, string][] = []): Args {
  const request = new Request('http://web.test/settings/sandbox', {
    method,
    headers: { cookie: 'gl_session=abc' },
    ...(method === 'POST' ? { body: new URLSearchParams([['_csrf', 'tok'], ...fields]) } : {}),
  })
  return { request, url: new URL(request.url), params: {}, context: {} } as unknown as Args
}

function outcomeOf(result: unknown): { data: unknown; status: number | undefined } {
  const wrapped = result as { data?: unknown; init?: { status?: number } | null }
  return 'init' in (result as object) ? { data: wrapped.data, status: wrapped.init?.status ?? undefined } : { data: result, status: undefined }
}

const errorBody = (code: string, message: string, details?: { path: string; message: string }[]) => ({ error: { code, message, ...(details ? { details } : {}) }, requestId: 'req-1' })
const post = (fields: [string, string][]) => action(args<Parameters<typeof action>[0]>('POST', fields))

describe('loader', () => {
  it('reads the sandbox from the API', async () => {
    api.queue({ status: 200, body: sandbox })
    expect(await loader(args<Parameters<typeof loader>[0]>('GET'))).toEqual({ active: true, sandbox })
    expect(api.seen[0]).toMatchObject({ method: 'GET', url: '/api/sandbox/publishing', headers: { cookie: 'gl_session=abc' } })
  })

  it('shows an installation with real credentials everywhere as such, and other refusals as the route’s error', async () => {
    const message = 'Meta and TikTok both run with real credentials here: there are no stand-ins to control.'
    api.queue({ status: 404, body: errorBody('SANDBOX_NOT_ACTIVE', message) })
    expect(await loader(args<Parameters<typeof loader>[0]>('GET'))).toEqual({ active: false, message })

    api.queue({ status: 403, body: errorBody('FORBIDDEN', 'Your role (Editor) does not allow this (needs sandbox.control).') })
    const refused = await loader(args<Parameters<typeof loader>[0]>('GET')).then(
      () => null,
      (error: unknown) => error,
    )
    expect(outcomeOf(refused)).toEqual({ status: 403, data: { code: 'FORBIDDEN', message: 'Your role (Editor) does not allow this (needs sandbox.control).', requestId: 'req-1' } })
  })
})

describe('actions', () => {
  it('injects a preset with the CSRF token and shows what was injected', async () => {
    api.queue({ status: 200, body: { applied: { preset: 'rate_limit', platform: 'facebook', count: 2, summary: 'Rate limit on Facebook, for the next 2.' }, sandbox } })
    expect(outcomeOf(await post([['intent', 'inject'], ['preset', 'rate_limit'], ['platform', 'facebook'], ['count', '2']])).data).toEqual({ notice: 'Rate limit on Facebook, for the next 2.' })
    expect(api.seen[0]).toMatchObject({ method: 'POST', url: '/api/sandbox/publishing/faults', headers: { 'x-csrf-token': 'tok', 'content-type': 'application/json' } })
    expect(JSON.parse(api.seen[0]!.body)).toEqual({ preset: 'rate_limit', platform: 'facebook', count: 2 })
  })

  it('checks the form before calling the API', async () => {
    const result = outcomeOf(await post([['intent', 'inject'], ['preset', 'timeout'], ['platform', 'tiktok'], ['count', 'many']]))
    expect(result).toEqual({ status: 400, data: { preset: 'timeout', errors: { count: 'Give a whole number of posts, 1 or more.' } } })
    expect(api.seen).toEqual([])
  })

  it('shows the API’s refusals next to the preset they concern: a count too large, a preset the platform lacks, a stand-in not answering', async () => {
    api.queue({ status: 400, body: errorBody('VALIDATION_FAILED', 'The body is not valid.', [{ path: '/count', message: 'must be <= 20' }]) })
    expect(outcomeOf(await post([['intent', 'inject'], ['preset', 'rate_limit'], ['platform', 'instagram'], ['count', '50']]))).toEqual({
      status: 400,
      data: { preset: 'rate_limit', errors: { count: 'must be <= 20' }, code: 'VALIDATION_FAILED' },
    })

    const notThere = 'Processing failure is not something Facebook does: it exists on Instagram and TikTok.'
    api.queue({ status: 400, body: errorBody('PRESET_NOT_AVAILABLE', notThere) })
    expect(outcomeOf(await post([['intent', 'inject'], ['preset', 'container_error'], ['platform', 'facebook']]))).toEqual({
      status: 400,
      data: { preset: 'container_error', errors: { form: notThere }, code: 'PRESET_NOT_AVAILABLE' },
    })

    const down = 'The TikTok stand-in at http://localhost:3010/tiktok did not answer: start the sandbox (npm start runs it) and try again.'
    api.queue({ status: 502, body: errorBody('SANDBOX_UNREACHABLE', down) })
    expect(outcomeOf(await post([['intent', 'inject'], ['preset', 'server_error'], ['platform', 'tiktok']]))).toMatchObject({ status: 502, data: { errors: { form: down } } })
  })

  it('clears without a body, and says so', async () => {
    api.queue({ status: 200, body: sandbox })
    expect(outcomeOf(await post([['intent', 'clear']])).data).toEqual({ notice: 'Cleared: the stand-ins behave normally again.' })
    expect(api.seen[0]).toMatchObject({ method: 'POST', url: '/api/sandbox/publishing/clear', headers: { 'x-csrf-token': 'tok' }, body: '' })
    expect(api.seen[0]!.headers['content-type']).toBeUndefined()
  })

  it('does nothing for an action it does not know, and lets an API failure reach the error page', async () => {
    expect(outcomeOf(await post([['intent', 'meltdown']]))).toMatchObject({ status: 400 })
    expect(api.seen).toEqual([])

    api.queue({ status: 500, body: errorBody('INTERNAL_ERROR', 'Something went wrong on our side.') })
    await expect(post([['intent', 'clear']])).rejects.toMatchObject({ status: 500, code: 'INTERNAL_ERROR' })
  })
})

// ---------------------------------------------------------------------------------------------------------
// The page

function render(loaderData: unknown, actionData?: SandboxActionResult) {
  const user = { permissions: ['sandbox.control'], csrfToken: 'csrf-1' }
  const Stub = createRoutesStub([
    {
      id: 'routes/signed-in',
      path: '/',
      loader: () => ({ user }),
      children: [{ path: 'settings/sandbox', Component: () => createElement(SettingsSandbox, { loaderData, actionData } as never) }],
    },
  ])
  const html = renderToString(createElement(Stub, { initialEntries: ['/settings/sandbox'], hydrationData: { loaderData: { 'routes/signed-in': { user } } } }))
  return html.replaceAll('<!-- -->', '').replaceAll('&#x27;', "'")
}

describe('the page', () => {
  it('lists the active faults per stand-in and has a plain form for each preset and for clearing', () => {
    const html = render({ active: true, sandbox })
    expect(html).toContain('publish to local stand-ins of Meta')
    expect(html.match(/data-testid="sandbox-condition"/g)).toHaveLength(2)
    expect(html).toContain('Graph error 4 (app rate limit), HTTP 400')
    expect(html).toContain('The next 2')
    expect(html).toContain('Until cleared')
    expect(html).toContain('Live: real credentials')
    expect(html).toMatch(/name="intent" value="clear"/)

    const presetForms = [...html.matchAll(/<li[^>]*data-preset="([a-z_]+)"[^>]*>([\s\S]*?)<\/li>/g)]
    expect(presetForms.map((match) => match[1])).toEqual(['rate_limit', 'quota_exhausted'])
    const [rateLimit = '', quota = ''] = presetForms.map((match) => match[2]!)
    expect(rateLimit).toContain('name="_csrf" value="csrf-1"')
    expect(rateLimit).toMatch(/<option value="instagram"[^>]*>Instagram<\/option><option value="facebook"[^>]*>Facebook<\/option>/)
    const countInput = /<input[^>]*name="count"[^>]*>/.exec(rateLimit)?.[0]
    expect(countInput).toContain('max="20"')
    // A preset that lasts until cleared has no count.
    expect(quota).not.toContain('name="count"')
    expect(quota).toContain('Lasts until cleared.')
  })

  it('shows a refusal next to its preset and a notice after a change', () => {
    const refused = render({ active: true, sandbox }, { preset: 'rate_limit', errors: { count: 'must be <= 20' } })
    const rateLimit = /data-preset="rate_limit"[\s\S]*?<\/li>/.exec(refused)![0]
    expect(rateLimit).toContain('must be &lt;= 20')
    expect(render({ active: true, sandbox }, { notice: 'Rate limit on Facebook, for the next 2.' })).toContain('data-testid="sandbox-notice"')
  })

  it('says plainly when there are no stand-ins to control', () => {
    const html = render({ active: false, message: 'Meta and TikTok both run with real credentials here: there are no stand-ins to control.' })
    expect(html).toContain('data-testid="sandbox-inactive"')
    expect(html).not.toContain('data-preset=')
  })
})
