// Login throttling per account and per client address. Every attempt takes a point before the password is
// checked (so a burst of parallel guesses is counted before any of them is hashed); a success gives the
// account its points back and the address its one. The counters live in PostgreSQL (rate-limiter-flexible's
// Prisma store), so every API process shares them and a restart does not reset them.
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible'
import type { Database } from '../../platform/database'
import { normaliseEmail } from '../../domain/accounts'

export interface LoginLimits {
  perAccount: number
  perIp: number
  windowSeconds: number
}

export type LoginAttempt =
  | { allowed: true }
  /** firstRefusal: this is the first refused attempt of the window (worth one audit entry, not one per try). */
  | { allowed: false; retryAfterSeconds: number; accountLocked: boolean; firstRefusal: boolean }

export interface LoginThrottle {
  /** Counts an attempt; refuses it when the account or the address is over its limit. */
  attempt(email: string, ip: string): Promise<LoginAttempt>
  succeeded(email: string, ip: string): Promise<void>
}

export function createLoginThrottle(db: Database, limits: LoginLimits): LoginThrottle {
  const common = { storeClient: db, tableName: 'loginRateLimit', duration: limits.windowSeconds }
  const byAccount = new RateLimiterPrisma({ ...common, keyPrefix: 'login-account', points: limits.perAccount })
  const byIp = new RateLimiterPrisma({ ...common, keyPrefix: 'login-ip', points: limits.perIp })
  const accountKey = normaliseEmail

  // consume() rejects with a RateLimiterRes once over the limit (the point is counted either way).
  const take = (limiter: RateLimiterPrisma, key: string) =>
    limiter.consume(key).then(
      () => null,
      (reason: unknown) => {
        if (reason instanceof RateLimiterRes) return reason
        throw reason
      },
    )

  return {
    async attempt(email, ip) {
      const [account, address] = await Promise.all([take(byAccount, accountKey(email)), take(byIp, ip)])
      if (!account && !address) return { allowed: true }
      const wait = Math.max(account?.msBeforeNext ?? 0, address?.msBeforeNext ?? 0)
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)),
        accountLocked: account !== null,
        firstRefusal: account !== null && account.consumedPoints === limits.perAccount + 1,
      }
    },
    async succeeded(email, ip) {
      await Promise.all([byAccount.delete(accountKey(email)), byIp.reward(ip, 1)])
    },
  }
}
