// Configuration from the environment: the defaults of the README's table, and how Temporal Cloud
// settings (API key, mTLS) turn into connection options.
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { integrationModes, settings, temporalSettings } from '../../platform/config'
import { temporalAddress, temporalConnectionOptions } from '../../platform/temporal'

afterEach(() => {
  vi.unstubAllEnvs()
})

const clear = (...names: string[]) => names.forEach((name) => vi.stubEnv(name, ''))

describe('settings', () => {
  it('has the documented defaults', () => {
    clear('API_PORT', 'WEB_PORT', 'EMBEDDED_PG_PORT', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'TEMPORAL_UI_URL', 'DATABASE_URL', 'API_URL')
    const config = settings()
    expect(config).toMatchObject({ apiPort: 3001, webPort: 3000, embeddedPostgresPort: 5433, apiUrl: 'http://127.0.0.1:3001', databaseUrl: undefined })
    expect(config.temporal).toMatchObject({ address: undefined, namespace: 'default', taskQueue: 'greenlight', uiUrl: 'http://localhost:8233', tls: false })
    expect(temporalAddress(config.temporal)).toBe('127.0.0.1:7233')
  })

  it('refuses a port that is not a number, naming the variable', () => {
    vi.stubEnv('API_PORT', 'three thousand')
    expect(() => settings()).toThrow('API_PORT must be a non-negative integer, got "three thousand"')
  })

  it('runs AI offline and the platforms in the sandbox until credentials are configured', () => {
    clear('OPENAI_API_KEY', 'GEMINI_API_KEY', 'META_APP_ID', 'META_APP_SECRET', 'TIKTOK_CLIENT_KEY', 'TIKTOK_CLIENT_SECRET')
    expect(integrationModes()).toEqual({ ai: 'offline', meta: 'sandbox', tiktok: 'sandbox' })
    vi.stubEnv('GEMINI_API_KEY', 'g')
    vi.stubEnv('META_APP_ID', '1')
    vi.stubEnv('META_APP_SECRET', 's')
    expect(integrationModes()).toEqual({ ai: 'gemini', meta: 'live', tiktok: 'sandbox' })
  })
})

describe('Temporal connection options', () => {
  it('uses TLS with an API key (Temporal Cloud)', () => {
    clear('TEMPORAL_TLS', 'TEMPORAL_TLS_CERT_PATH', 'TEMPORAL_TLS_KEY_PATH', 'TEMPORAL_TLS_SERVER_NAME')
    vi.stubEnv('TEMPORAL_ADDRESS', 'greenlight.a1b2c.tmprl.cloud:7233')
    vi.stubEnv('TEMPORAL_API_KEY', 'secret-key')
    expect(temporalConnectionOptions(temporalSettings())).toEqual({
      address: 'greenlight.a1b2c.tmprl.cloud:7233',
      tls: {},
      apiKey: 'secret-key',
    })
  })

  it('reads a client certificate pair for mTLS, and TEMPORAL_TLS=false turns TLS off', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'greenlight-tls-'))
    writeFileSync(path.join(dir, 'client.pem'), 'CERT')
    writeFileSync(path.join(dir, 'client.key'), 'KEY')
    clear('TEMPORAL_API_KEY', 'TEMPORAL_TLS')
    vi.stubEnv('TEMPORAL_ADDRESS', 'temporal.internal:7233')
    vi.stubEnv('TEMPORAL_TLS_CERT_PATH', path.join(dir, 'client.pem'))
    vi.stubEnv('TEMPORAL_TLS_KEY_PATH', path.join(dir, 'client.key'))
    vi.stubEnv('TEMPORAL_TLS_SERVER_NAME', 'temporal.internal')
    const options = temporalConnectionOptions(temporalSettings())
    expect(options.tls).toEqual({
      serverNameOverride: 'temporal.internal',
      clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
    })
    vi.stubEnv('TEMPORAL_TLS', 'false')
    expect(temporalConnectionOptions(temporalSettings())).toEqual({ address: 'temporal.internal:7233' })
  })
})
