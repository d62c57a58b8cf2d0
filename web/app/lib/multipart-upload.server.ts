// Uploads (card drafts, library files) pass through the web server as a stream: the browser's multipart body goes on to the API
// while it is still arriving, so a 50 MB video is never held in this process's memory. The one thing the web
// server needs from the body is the CSRF token (the API wants it as a header), and the upload form sends it
// as its first field; this reads that field and hands on the rest of the stream untouched.

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** More than any first field of ours needs (a CSRF token with its part headers). */
const LEADING_FIELD_MAX_BYTES = 16 * 1024

/** The boundary of a multipart/form-data content type, or null when it is none. */
export function multipartBoundary(contentType: string | null): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType)
  return match?.[1] ?? match?.[2] ?? null
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let start = from; start <= haystack.length - needle.length; start += 1) {
    for (let offset = 0; offset < needle.length; offset += 1) {
      if (haystack[start + offset] !== needle[offset]) continue outer
    }
    return start
  }
  return -1
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    joined.set(chunk, offset)
    offset += chunk.length
  }
  return joined
}

export interface LeadingField {
  value: string
  /** The multipart body from the second part on: still a valid body for the same content type. */
  rest: ReadableStream<Uint8Array>
}

/**
 * Reads the first part of a multipart body, which must be the text field `name`, and returns its value and
 * the remaining body as a stream (the first part left out, so the API never sees the field). Resolves null —
 * and cancels the body — when the first part is another field, or does not end within 16 KB.
 */
export async function takeLeadingField(body: ReadableStream<Uint8Array>, boundary: string, name: string): Promise<LeadingField | null> {
  const delimiter = encoder.encode(`--${boundary}`)
  const nextDelimiter = encoder.encode(`\r\n--${boundary}`)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  let buffered: Uint8Array = new Uint8Array(0)
  let partEnd = -1

  while (partEnd < 0) {
    if (length > LEADING_FIELD_MAX_BYTES) break
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    length += value.length
    buffered = concat(chunks, length)
    const first = indexOf(buffered, delimiter)
    if (first >= 0) partEnd = indexOf(buffered, nextDelimiter, first + delimiter.length)
  }

  const first = indexOf(buffered, delimiter)
  const headersEnd = first >= 0 ? indexOf(buffered, encoder.encode('\r\n\r\n'), first) : -1
  const headers = headersEnd >= 0 ? decoder.decode(buffered.subarray(first + delimiter.length, headersEnd)) : ''
  const disposition = /content-disposition:\s*form-data\s*;\s*name="([^"]*)"/i.exec(headers)
  if (partEnd < 0 || headersEnd < 0 || headersEnd > partEnd || disposition?.[1] !== name || /filename=/i.test(headers)) {
    await reader.cancel().catch(() => undefined)
    return null
  }

  const value = decoder.decode(buffered.subarray(headersEnd + 4, partEnd))
  // The rest starts at the next delimiter itself (without the CRLF that belongs to the first part).
  const leftover = buffered.slice(partEnd + 2)
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(leftover)
    },
    async pull(controller) {
      const { done, value: chunk } = await reader.read()
      if (done) controller.close()
      else controller.enqueue(chunk)
    },
    cancel(reason) {
      return reader.cancel(reason)
    },
  })
  return { value, rest }
}
