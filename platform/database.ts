// The Prisma client for a process. Prisma 7 runs without a binary query engine: queries go through
// node-postgres via @prisma/adapter-pg.
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '../generated/prisma/client'

export type Database = PrismaClient

export function createDatabase(databaseUrl: string, options: { poolSize?: number } = {}): Database {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 })
  return new PrismaClient({ adapter })
}

/** Connection string for logs and errors: the password is never printed. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return '<unparseable DATABASE_URL>'
  }
}
