// A tiny real HTTP server standing in for the API, for tests of the web app's loaders and actions: it records
// what each request sent and answers from a queue the test fills. Registers its own hooks; API_URL points at it.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach } from 'vitest'

export interface SeenRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

export interface ScriptedAnswer {
  status: number
  body?: unknown
}

export interface ScriptedApi {
  /** What the web app sent, oldest first (emptied before each test). */
  readonly seen: SeenRequest[]
  /** Answers for the next requests, in order; without one the server answers 500 UNEXPECTED. */
  queue(...answers: ScriptedAnswer[]): void
}

export function useScriptedApi(): ScriptedApi {
  const seen: SeenRequest[] = []
  const answers: ScriptedAnswer[] = []
  let server: Server
  const previousApiUrl = process.env.API_URL

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body })
        const answer = answers.shift() ?? { status: 500, body: { error: { code: 'UNEXPECTED', message: 'no answer queued' }, requestId: 'r' } }
        res.writeHead(answer.status, { 'content-type': 'application/json' })
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body))
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
    seen.length = 0
    answers.length = 0
  })

  return { seen, queue: (...next) => void answers.push(...next) }
}
