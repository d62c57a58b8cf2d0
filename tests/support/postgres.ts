// A real PostgreSQL for tests. Once per run (tests/global-setup.ts): a server (DATABASE_URL's, or a throw-away
// embedded one) and a template database with every committed migration applied. Per test file: a copy of that
// template (CREATE DATABASE ... TEMPLATE: no migrations to replay), dropped afterwards.
// Every name carries random parts, so parallel workers and concurrent runs on one server do not collide.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres } from '../../scripts/db/embedded-postgres.ts'
import { deployMigrations } from '../../scripts/db/migrate.ts'
import { freePort } from '../../scripts/processes.ts'

export interface TestPostgres {
  /** A connection URL for administrative statements (CREATE/DROP DATABASE). */
  adminUrl: string
  /** A database with all migrations applied; never connect to it (a template must have no sessions). */
  templateDb: string
  /** Drops the template and any test database left from it, and stops the embedded server if one was started. */
  stop(): Promise<void>
}

export interface TestDatabase {
  url: string
  drop(): Promise<void>
}

interface Server {
  adminUrl: string
  stop(): Promise<void>
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const server = process.env.DATABASE_URL ? externalServer(process.env.DATABASE_URL) : await embeddedServer()
  const templateDb = `greenlight_template_${randomName()}`
  try {
    await adminQuery(server.adminUrl, `CREATE DATABASE ${quoteIdent(templateDb)}`)
    await deployMigrations(withDatabase(server.adminUrl, templateDb))
  } catch (error) {
    await dropDatabases(server.adminUrl, [templateDb]).catch(() => {}) // best effort: the first error matters
    await server.stop()
    throw error
  }
  return {
    adminUrl: server.adminUrl,
    templateDb,
    stop: async () => {
      // A test database whose worker crashed before drop() still carries this template's prefix.
      const leftovers = await databasesLike(server.adminUrl, `${testDatabasePrefix(templateDb)}%`)
      await dropDatabases(server.adminUrl, [...leftovers, templateDb])
      await server.stop()
    },
  }
}

/** A fresh database copied from `templateDb`, for one test file. */
export async function createTestDatabase(adminUrl: string, templateDb: string): Promise<TestDatabase> {
  const name = `${testDatabasePrefix(templateDb)}${randomName()}`
  await adminQuery(adminUrl, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(templateDb)}`)
  return { url: withDatabase(adminUrl, name), drop: () => dropDatabases(adminUrl, [name]) }
}

/** `url` pointing at another database on the same server, keeping credentials and parameters. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(database)}`
  return parsed.href
}

function externalServer(databaseUrl: string): Server {
  // DATABASE_URL's own database is only used to issue CREATE/DROP DATABASE; tests never touch its data.
  return { adminUrl: databaseUrl, stop: async () => {} }
}

async function embeddedServer(): Promise<Server> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'greenlight-test-pg-'))
  try {
    // A throw-away cluster: no fsync (durable: false) spares the disk; a crash only loses test data. The port
    // is one the OS just handed out; another process could take it before Postgres binds, which is unlikely.
    const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), durable: false, log: quietLog })
    return {
      adminUrl: withDatabase(server.url, 'postgres'),
      stop: async () => {
        await server.stop()
        await fs.rm(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await fs.rm(dataDir, { recursive: true, force: true })
    throw error
  }
}

const quietLog = { debug: () => {}, error: (message: string) => console.error(message) }

/** Derived from the template name, so stop() finds the test databases of its own run and of no other. */
function testDatabasePrefix(templateDb: string): string {
  return `greenlight_test_${createHash('sha256').update(templateDb).digest('hex').slice(0, 8)}_`
}

function randomName(): string {
  return randomBytes(6).toString('hex')
}

async function databasesLike(adminUrl: string, pattern: string): Promise<string[]> {
  const rows = await adminQuery(adminUrl, 'SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern])
  return rows.map((row) => String(row.datname))
}

async function dropDatabases(adminUrl: string, names: string[]): Promise<void> {
  // WITH (FORCE) (PostgreSQL 13+) ends the sessions still connected, e.g. a pool a test did not close.
  for (const name of names) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)
}

async function adminQuery(adminUrl: string, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return (await client.query(sql, values)).rows
  } finally {
    await client.end()
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
