// The check shared by Greenlight's signed tokens (client review links, public media links): a token is
// base64url(payload) + '.' + base64url(HMAC-SHA256 of that first part). Signatures are compared in constant time,
// and only the canonical base64url spelling of both parts is accepted (base64url has more than one spelling of
// some bytes; only the canonical one is the token that was issued).
import { timingSafeEqual } from 'node:crypto'

/** The payload's bytes when `token` carries a valid signature; null otherwise. The caller checks the shape first. */
export function verifiedPayload(token: string, signatureOf: (payloadPart: string) => Buffer): Buffer | null {
  const [payloadPart, signaturePart] = token.split('.') as [string, string]
  const sent = Buffer.from(signaturePart, 'base64url')
  const expected = signatureOf(payloadPart)
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) return null
  const payloadBytes = Buffer.from(payloadPart, 'base64url')
  if (sent.toString('base64url') !== signaturePart || payloadBytes.toString('base64url') !== payloadPart) return null
  return payloadBytes
}
