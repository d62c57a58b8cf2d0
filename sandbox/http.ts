// What every stand-in needs from plain node:http: small bodies read safely, JSON and HTML answers, and the
// look of a sandbox page (always saying, first thing, that it is not the real service).
import { randomBytes } from 'node:crypto'
import type http from 'node:http'

/** The stand-ins take small forms and JSON only; a larger body is refused rather than buffered. */
export const SANDBOX_BODY_LIMIT = 64 * 1024

export class BodyTooLargeError extends Error {
  constructor() {
    super(`The request body is larger than the sandbox's ${SANDBOX_BODY_LIMIT / 1024} KiB.`)
  }
}

export async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > SANDBOX_BODY_LIMIT) throw new BodyTooLargeError()
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** A JSON object body: {} when empty, null when it is not a JSON object. */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  if (text.trim() === '') return {}
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  response.end(JSON.stringify(body))
}

export function sendHtml(response: http.ServerResponse, status: number, html: string) {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
  response.end(html)
}

/** A stand-in's HTML page: the imitated service's accent color, and a banner saying it is a sandbox. */
export function sandboxPage(options: { service: string; notice: string; accent: string; title: string; body: string }): string {
  const { service, notice, accent, title, body } = options
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Sandbox ${escapeHtml(service)}</title>
  <style>body{font:15px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1e293b}
  .banner{background:#fef3c7;border:1px solid #f59e0b;padding:.6rem .9rem;border-radius:.4rem;font-weight:600}
  .row{display:flex;gap:.6rem;align-items:center;margin:.5rem 0}fieldset{border:1px solid #cbd5e1;border-radius:.4rem}
  button{font:inherit;padding:.5rem 1rem;border-radius:.4rem;border:0;background:${accent};color:#fff;margin-right:.5rem;cursor:pointer}
  button.secondary{background:#e2e8f0;color:#1e293b}</style></head><body>
  <p class="banner" role="note">${escapeHtml(notice)}</p>
  <h1>${escapeHtml(title)}</h1>${body}</body></html>`
}

/** An opaque credential (code, token) with a recognisable prefix, as the real services issue them. */
export const sandboxSecret = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`
