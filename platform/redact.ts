// Addresses that carry secrets (invite, reset, client review link and public media link tokens in the path,
// OAuth codes and states in the query) are logged without them. Used by the API's request logger and the web
// server's access log.

const SECRET_SEGMENT = /(\/(?:invites?|reset-password|review|public\/review-links|public\/media)\/)[^/?#]+/g
const SECRET_QUERY = /([?&](?:code|state|token|access_token|refresh_token|fb_exchange_token|client_secret)=)[^&#]*/gi

export function redactUrl(url: string): string {
  return url.replace(SECRET_SEGMENT, '$1[redacted]').replace(SECRET_QUERY, '$1[redacted]')
}
