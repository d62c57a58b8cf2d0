// The API's settings in a benchmark: the real integrations and OAuth settings of this shell, a plain-HTTP web
// address, and login limits no load generator trips over.
import type { ApiSettings } from '../../api/types'
import { integrationModes, oauthSettings, type TemporalSettings } from '../../platform/config'

export function benchApiSettings(temporal: TemporalSettings, overrides: Partial<Omit<ApiSettings, 'temporal'>> = {}): ApiSettings {
  return {
    temporal,
    integrations: integrationModes(),
    sessionTtlDays: 1,
    cookieSecure: false,
    webUrl: 'http://localhost',
    oauth: oauthSettings(),
    loginLimits: { perAccount: 1000, perIp: 100_000, windowSeconds: 900 },
    ...overrides,
  }
}
