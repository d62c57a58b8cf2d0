// Login throttling per account and per client address. Only failures count; a success clears the account's
// count. The counters live in PostgreSQL (rate-limiter-flexible's Prisma store), so every API process
// shares them and a restart does not reset them.
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible'
import type { Database } from '../../platform/database'

export interface LoginLimits {
  perAccount: number
  perIp: number
  windowSeconds: number
}

export interface LoginThrottle {
  /** Seconds until the caller may try again, or 0 when a try is allowed now. */
  retryAfterSeconds(email: string, ip: string): Promise<number>
  recordFailure(email: string, ip: string): Promise<void>
  recordSuccess(email: string): Promise<void>
}

export function createLoginThrottle(db: Database, limits: LoginLimits): LoginThrottle {
  const common = { storeClient: db, tableName: 'loginRateLimit', duration: limits.windowSeconds }
  const byAccount = new RateLimiterPrisma({ ...common, keyPrefix: 'login-account', points: limits.perAccount })
  const byIp = new RateLimiterPrisma({ ...common, keyPrefix: 'login-ip', points: limits.perIp })
  const accountKey = (email: string) => email.trim().toLowerCase()

  const waitFor = (res: RateLimiterRes | null, points: number) =>
    res && res.consumedPoints >= points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0

  return {
    async retryAfterSeconds(email, ip) {
      const [account, address] = await Promise.all([byAccount.get(accountKey(email)), byIp.get(ip)])
      return Math.max(waitFor(account, limits.perAccount), waitFor(address, limits.perIp))
    },
    async recordFailure(email, ip) {
      // consume() rejects with a RateLimiterRes once over the limit; the count is kept either way.
      await Promise.all([
        byAccount.consume(accountKey(email)).catch(rethrowErrors),
        byIp.consume(ip).catch(rethrowErrors),
      ])
    },
    async recordSuccess(email) {
      await byAccount.delete(accountKey(email))
    },
  }
}

function rethrowErrors(reason: unknown): void {
  if (reason instanceof RateLimiterRes) return
  throw reason
}
