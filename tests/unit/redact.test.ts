import { describe, expect, it } from 'vitest'
import { redactUrl } from '../../platform/redact'
import { redactPath } from '../../web/server'

describe('redactUrl', () => {
  it.each([
    ['/api/invites/abc123/accept', '/api/invites/[redacted]/accept'],
    ['/invite/abc123', '/invite/[redacted]'],
    ['/reset-password/xyz', '/reset-password/[redacted]'],
    ['/api/public/media/AQID.BAUG/draft.jpg', '/api/public/media/[redacted]/draft.jpg'],
    ['/api/public/media/AQID.BAUG/clip.mp4?x=1', '/api/public/media/[redacted]/clip.mp4?x=1'],
    ['/oauth/meta/callback?code=AQB-secret&state=s3cret', '/oauth/meta/callback?code=[redacted]&state=[redacted]'],
    ['/v24.0/oauth/access_token?client_id=1&client_secret=shh&fb_exchange_token=tok', '/v24.0/oauth/access_token?client_id=1&client_secret=[redacted]&fb_exchange_token=[redacted]'],
    ['/api/campaigns/123?limit=5', '/api/campaigns/123?limit=5'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected)
  })

  it('the web access log drops query strings altogether', () => {
    expect(redactPath('/oauth/tiktok/callback?code=abc&scopes=video.list')).toBe('/oauth/tiktok/callback')
    expect(redactPath('/reset-password/tok?x=1')).toBe('/reset-password/[redacted]')
  })
})
