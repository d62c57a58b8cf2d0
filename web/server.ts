// The web UI's HTTP server: React Router's request handler on Express, as react-router-serve runs it, plus
// two things that server cannot do: it tells the API who the browser is (x-forwarded-for, so login throttling
// per address sees the real client, not this server), and its access log never prints the secrets some
// addresses carry (reset and invite tokens, OAuth codes).
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createRequestHandler } from '@react-router/express'
import compression from 'compression'
import express from 'express'
import type { ServerBuild } from 'react-router'
import { projectRoot } from '../platform/config'
import { redactUrl } from '../platform/redact'

/** The access log prints paths only (no query strings), with token-bearing segments masked. */
export function redactPath(url: string): string {
  return redactUrl(url.split('?')[0] ?? url)
}

/**
 * Whether a state-changing request comes from a page of this site: Sec-Fetch-Site when the browser sends it,
 * otherwise the Origin header against the Host. Requests with neither (non-browser clients) pass: they carry
 * no ambient cookies of a victim.
 */
export function isSameOrigin(req: express.Request, trustProxy: boolean): boolean {
  const site = req.headers['sec-fetch-site']
  if (typeof site === 'string') return site === 'same-origin' || site === 'none'
  const origin = req.headers.origin
  if (origin === undefined) return true
  const forwardedHost = trustProxy ? req.headers['x-forwarded-host'] : undefined
  const host = (typeof forwardedHost === 'string' ? forwardedHost.split(',')[0]!.trim() : undefined) ?? req.headers.host
  try {
    return origin !== 'null' && new URL(origin).host === host
  } catch {
    return false
  }
}

export async function createWebServer(options: { buildDir?: string; trustProxy?: boolean } = {}) {
  const buildDir = options.buildDir ?? path.join(projectRoot, 'build')
  const build = (await import(pathToFileURL(path.join(buildDir, 'server', 'index.js')).href)) as ServerBuild
  const app = express()
  app.disable('x-powered-by')
  app.use(compression())
  app.use('/assets', express.static(path.join(buildDir, 'client', 'assets'), { immutable: true, maxAge: '1y' }))
  app.use(express.static(path.join(buildDir, 'client'), { maxAge: '1h' }))

  app.use((req, res, next) => {
    const started = process.hrtime.bigint()
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      console.log(`${req.method} ${redactPath(req.originalUrl)} ${res.statusCode} ${ms.toFixed(1)} ms`)
    })
    // Behind a proxy that sets it (WEB_TRUST_PROXY=true) the header is kept; otherwise the socket's address
    // replaces whatever the browser sent, so nobody can pick the address the API throttles.
    if (!options.trustProxy || !req.headers['x-forwarded-for']) req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? ''
    next()
  })
  const handleRequest = createRequestHandler({ build, mode: process.env.NODE_ENV })
  // Forms may only be posted from this site. Signed-in changes also carry the session's CSRF token (checked by
  // the API); this check covers the forms that come before a session (login, sign-up, invite acceptance), so a
  // foreign page cannot sign a visitor into someone else's agency.
  app.use((req, res, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next()
    if (isSameOrigin(req, options.trustProxy ?? false)) return next()
    res.status(403).type('text/plain').send('Refused: this form was sent from another site.')
  })

  app.all('*', (req, res, next) => {
    handleRequest(req, res, next).catch(next)
  })
  return app
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 3000)
  const host = process.env.HOST ?? '127.0.0.1'
  const app = await createWebServer({ trustProxy: process.env.WEB_TRUST_PROXY === 'true' })
  const server = app.listen(port, host, () => console.log(`web UI listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`))
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => server.close(() => process.exit(0)))
  }
}
