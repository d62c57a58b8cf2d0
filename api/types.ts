// What the app plugins add to Fastify's instance and requests.
import type { Client } from '@temporalio/client'
import type { Permission } from '../domain/permissions'
import type { AiSettings, OAuthSettings, TemporalSettings } from '../platform/config'
import type { Database } from '../platform/database'
import type { Mailer } from '../platform/mailer'
import type { FileStorage } from '../platform/storage'
import type { TenantDatabase } from '../platform/tenant-scope'
import type { TokenCipher } from '../platform/token-cipher'
import type { PlatformMeta } from './schemas/meta'

export interface AuthUser {
  id: string
  email: string
  name: string
  role: string
  agency: { id: string; name: string; plan: string }
  /** The creator profile linked to this user (creators carry the cards assigned to it), if any. */
  creatorId: string | null
  sessionId: string
  csrfToken: string
}

export interface ApiSettings {
  temporal: TemporalSettings
  integrations: PlatformMeta['integrations']
  sessionTtlDays: number
  cookieSecure: boolean
  /** The web app's public address, for links in e-mails (invites, password resets). */
  webUrl: string
  oauth: OAuthSettings
  /** Login throttling: failed attempts allowed per window, per account and per client address. */
  loginLimits: { perAccount: number; perIp: number; windowSeconds: number }
  /** AI providers as the worker sees them (keys from the environment, models); read from it when absent. */
  ai?: AiSettings
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
    temporal: Client
    settings: ApiSettings
    mailer: Mailer
    tokenCipher: TokenCipher
    storage: FileStorage
  }
  interface FastifyRequest {
    user: AuthUser | null
    /** The database client scoped to the signed-in user's agency (platform/tenant-scope.ts). */
    tenantDb: TenantDatabase
  }
  interface FastifyContextConfig {
    /** Reachable without a session (health, login, the OpenAPI document). */
    public?: boolean
    /** What the signed-in user's role must allow (domain/permissions.ts); every non-public route names one. */
    permission?: Permission
    /** false for the few mutations that prove themselves with their own secret (login, sign-up, reset, invite accept). */
    csrf?: boolean
  }
}
