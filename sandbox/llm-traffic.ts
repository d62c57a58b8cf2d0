// What the OpenAI and Gemini stand-ins share around the protocol itself: injected faults (latency, a run of
// 429s, a run of 5xx, an outage), the request log with the peak number of calls in flight, the control API
// under <prefix>/_sandbox, and reading request bodies large enough to carry an image. Each stand-in supplies
// its own error bodies; this file decides only when a fault applies.
import type http from 'node:http'
import { parseJsonObject, sendJson } from './http'

/** Chat requests carry base64 images; OpenAI accepts images up to 20 MB, so the sandbox takes that much. */
export const LLM_BODY_LIMIT = 20 * 1024 * 1024

export class LlmBodyTooLargeError extends Error {
  constructor() {
    super(`The request body is larger than ${LLM_BODY_LIMIT / 1024 / 1024} MiB.`)
  }
}

/** The body when it is a JSON object; null otherwise (the caller answers 400). */
export async function readJsonRequest(request: http.IncomingMessage): Promise<Record<string, unknown> | null> {
  const text = await readLargeBody(request)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null
}

export async function readLargeBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > LLM_BODY_LIMIT) throw new LlmBodyTooLargeError()
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export interface LlmFaults {
  /** Delay before every answer, in milliseconds. */
  latencyMs: number
  /** The next `count` calls get 429 with a retry-after of `retryAfterSeconds`. */
  rateLimit: { count: number; retryAfterSeconds: number } | null
  /** The next `count` calls get `status` (500 or 503). */
  serverErrors: { count: number; status: number } | null
  /** Every call gets 503 until cleared. */
  down: boolean
}

export interface LlmRequestRecord {
  /** When the call arrived (ISO 8601). */
  at: string
  /** The caller's request key: OpenAI's `user` field (Gemini calls carry none). */
  requestKey: string | null
  model: string | null
  /** OpenAI: response_format.json_schema.name; Gemini: the response schema's `title`. */
  schemaName: string | null
  hadImage: boolean
  /** The answer's status; null when the caller went away before the answer. */
  status: number | null
}

export interface LlmTraffic {
  requests: LlmRequestRecord[]
  /** The most calls that were in flight at the same moment since the last reset. */
  maxConcurrent: number
  inFlight: number
}

export interface LlmStandInControl {
  readonly faults: LlmFaults
  /** Merges into the current faults; `null` clears rateLimit or serverErrors. */
  setFaults(faults: Partial<LlmFaults>): LlmFaults
  /** A copy of the log and the concurrency figures. */
  traffic(): LlmTraffic
  /** Clears faults (latency back to the configured default), the log and the peak. */
  reset(): void
}

/** The fault that decides this call's answer, consumed from the counters as it is chosen. */
export type ChosenFault = { kind: 'down' } | { kind: 'rate_limited'; retryAfterSeconds: number } | { kind: 'server_error'; status: number }

export interface LlmTrafficState {
  control: LlmStandInControl
  /** Called after authentication: the injected fault this call gets, if any (down is checked separately). */
  takeFault(): ChosenFault | null
  isDown(): boolean
  /**
   * Runs one API call and logs it: counts it in flight while `run` reads the request (filling the record),
   * calls `wait` (the injected latency, cut short if the caller goes away; false then) and answers.
   */
  track(response: http.ServerResponse, run: (record: LlmRequestRecord, wait: () => Promise<boolean>) => Promise<void>): Promise<void>
  /** The control API (`/_sandbox/faults`, `/_sandbox/requests`, `/_sandbox/reset`); false if `path` is not one. */
  handleControl(path: string, method: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<boolean>
}

export function createLlmTraffic(options: { latencyMs?: number } = {}): LlmTrafficState {
  const defaultLatencyMs = Math.max(0, options.latencyMs ?? 0)
  const freshFaults = (): LlmFaults => ({ latencyMs: defaultLatencyMs, rateLimit: null, serverErrors: null, down: false })
  let faults = freshFaults()
  let requests: LlmRequestRecord[] = []
  let inFlight = 0
  let maxConcurrent = 0

  function setFaults(patch: Partial<LlmFaults>): LlmFaults {
    const next: LlmFaults = { ...faults }
    if (typeof patch.latencyMs === 'number' && patch.latencyMs >= 0) next.latencyMs = Math.floor(patch.latencyMs)
    if (patch.rateLimit === null) next.rateLimit = null
    else if (patch.rateLimit && typeof patch.rateLimit === 'object') {
      next.rateLimit = { count: Math.max(0, Math.floor(Number(patch.rateLimit.count ?? 1))), retryAfterSeconds: Math.max(0, Number(patch.rateLimit.retryAfterSeconds ?? 1)) }
    }
    if (patch.serverErrors === null) next.serverErrors = null
    else if (patch.serverErrors && typeof patch.serverErrors === 'object') {
      const status = Number(patch.serverErrors.status ?? 500)
      next.serverErrors = { count: Math.max(0, Math.floor(Number(patch.serverErrors.count ?? 1))), status: status >= 500 && status <= 599 ? status : 500 }
    }
    if (typeof patch.down === 'boolean') next.down = patch.down
    faults = next
    return { ...faults }
  }

  const control: LlmStandInControl = {
    get faults() {
      return { ...faults }
    },
    setFaults,
    traffic: () => ({ requests: requests.map((record) => ({ ...record })), maxConcurrent, inFlight }),
    reset() {
      faults = freshFaults()
      requests = []
      maxConcurrent = inFlight
    },
  }

  function takeFault(): ChosenFault | null {
    if (faults.rateLimit && faults.rateLimit.count > 0) {
      const { retryAfterSeconds } = faults.rateLimit
      faults.rateLimit = faults.rateLimit.count > 1 ? { ...faults.rateLimit, count: faults.rateLimit.count - 1 } : null
      return { kind: 'rate_limited', retryAfterSeconds }
    }
    if (faults.serverErrors && faults.serverErrors.count > 0) {
      const { status } = faults.serverErrors
      faults.serverErrors = faults.serverErrors.count > 1 ? { ...faults.serverErrors, count: faults.serverErrors.count - 1 } : null
      return { kind: 'server_error', status }
    }
    return null
  }

  async function track(response: http.ServerResponse, run: (record: LlmRequestRecord, wait: () => Promise<boolean>) => Promise<void>) {
    const record: LlmRequestRecord = { at: new Date().toISOString(), requestKey: null, model: null, schemaName: null, hadImage: false, status: null }
    requests.push(record)
    inFlight += 1
    maxConcurrent = Math.max(maxConcurrent, inFlight)
    let callerGone = false
    const onClose = () => {
      if (!response.writableFinished) callerGone = true
    }
    response.on('close', onClose)
    const wait = async () => {
      const latencyMs = faults.latencyMs
      if (latencyMs > 0 && !callerGone) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, latencyMs)
          function done() {
            clearTimeout(timer)
            response.off('close', done)
            resolve()
          }
          response.on('close', done)
        })
      }
      return !callerGone && !response.destroyed
    }
    try {
      await run(record, wait)
    } finally {
      inFlight -= 1
      response.off('close', onClose)
      record.status = response.headersSent && !callerGone ? response.statusCode : null
    }
  }

  async function handleControl(path: string, method: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<boolean> {
    if (path === '/_sandbox/requests' && method === 'GET') {
      sendJson(response, 200, control.traffic())
      return true
    }
    if (path === '/_sandbox/faults' && method === 'GET') {
      sendJson(response, 200, { faults: control.faults })
      return true
    }
    if (path === '/_sandbox/faults' && method === 'POST') {
      const body = parseJsonObject(await readLargeBody(request))
      if (!body) {
        sendJson(response, 400, { error: { message: 'The control API takes a JSON object body.' } })
        return true
      }
      sendJson(response, 200, { faults: setFaults(body as Partial<LlmFaults>) })
      return true
    }
    if (path === '/_sandbox/reset' && method === 'POST') {
      control.reset()
      sendJson(response, 200, { faults: control.faults })
      return true
    }
    return false
  }

  return { control, takeFault, isDown: () => faults.down, track, handleControl }
}
