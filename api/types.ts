// What the app plugins add to Fastify's instance and requests.
import type { Client } from '@temporalio/client'
import type { TemporalSettings } from '../platform/config'
import type { Database } from '../platform/database'
import type { PlatformMeta } from './schemas/meta'

export interface AuthUser {
  id: string
  email: string
  name: string
  role: string
  agency: { id: string; name: string }
  sessionId: string
}

export interface ApiSettings {
  temporal: TemporalSettings
  integrations: PlatformMeta['integrations']
  sessionTtlDays: number
  cookieSecure: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
    temporal: Client
    settings: ApiSettings
  }
  interface FastifyRequest {
    user: AuthUser | null
  }
  interface FastifyContextConfig {
    /** Reachable without a session (health, login, the OpenAPI document). */
    public?: boolean
  }
}
