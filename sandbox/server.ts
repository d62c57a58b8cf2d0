// The sandbox: local stand-ins for the external services Greenlight talks to (Meta Graph API, TikTok,
// OpenAI, Gemini, S3-compatible object storage), speaking their real HTTP protocols so the real clients can
// be exercised offline. `npm start` runs it whenever no real credentials are configured. Each stand-in is a
// route prefix registered in `standIns` below.
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { settings } from '../platform/config'
import { createGeminiStandIn } from './gemini'
import { BodyTooLargeError, sendJson } from './http'
import { createMetaStandIn } from './meta'
import { createOpenAiStandIn } from './openai'
import { createS3StandIn } from './s3'
import { createTikTokStandIn } from './tiktok'

export interface StandIn {
  /** Path prefix, e.g. /meta */
  prefix: string
  /** What real service this imitates. */
  imitates: string
  handle(request: http.IncomingMessage, response: http.ServerResponse): void | Promise<void>
}

export const standIns: StandIn[] = [createMetaStandIn(), createTikTokStandIn(), createS3StandIn(), createOpenAiStandIn(), createGeminiStandIn()]

export function createSandboxServer(mounted: StandIn[] = standIns): http.Server {
  return http.createServer((request, response) => {
    const url = request.url ?? '/'
    if (url === '/healthz') return sendJson(response, 200, { status: 'ok' })
    if (url === '/') {
      return sendJson(response, 200, {
        sandbox: true,
        note: 'Local stand-ins for external services; nothing here reaches the real platforms.',
        standIns: mounted.map(({ prefix, imitates }) => ({ prefix, imitates })),
      })
    }
    const standIn = mounted.find(({ prefix }) => url === prefix || url.startsWith(`${prefix}/`))
    if (!standIn) return sendJson(response, 404, { error: { message: `No sandbox stand-in serves ${url}` } })
    Promise.resolve(standIn.handle(request, response)).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return sendJson(response, 413, { error: { message: error.message } })
      sendJson(response, 500, { error: { message: error instanceof Error ? error.message : String(error) } })
    })
  })
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = settings().sandboxPort
  const server = createSandboxServer()
  server.listen(port, '127.0.0.1', () => console.log(`stand-ins listening on http://127.0.0.1:${port}`))
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => process.exit(0)))
}
