// scripts/db/migrate.ts against a real PostgreSQL: DATABASE_URL's server, or an embedded one started here.
import { createHash } from 'node:crypto'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../platform/config.ts'
import { createMigration, deployMigrations, markMigrationRolledBack, migrationStatus, parseDatabaseUrl } from '../../scripts/db/migrate.ts'
import { createTestDatabase, startTestPostgres, type TestDatabase, type TestPostgres } from '../support/postgres.ts'

const committedMigrations = path.join(projectRoot, 'prisma', 'migrations')
const committedSchema = path.join(projectRoot, 'prisma', 'schema.prisma')

let server: TestPostgres
let scratch: string
const databases: TestDatabase[] = []

beforeAll(async () => {
  server = await startTestPostgres()
  scratch = await mkdtemp(path.join(os.tmpdir(), 'greenlight-migrate-test-'))
}, 60_000)

afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()))
  await server?.stop()
  if (scratch) await rm(scratch, { recursive: true, force: true })
})

/** An empty database (copied from template0), dropped after the suite. */
async function emptyDatabase(): Promise<string> {
  const db = await createTestDatabase(server.adminUrl, 'template0')
  databases.push(db)
  return db.url
}

/** A database with the committed migrations applied. */
async function migratedDatabase(): Promise<string> {
  const db = await createTestDatabase(server.adminUrl, server.templateDb)
  databases.push(db)
  return db.url
}

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql)).rows
  } finally {
    await client.end()
  }
}

/** A migrations folder holding the given migration.sql files, named in order. */
async function migrationsDir(migrations: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(scratch, 'migrations-'))
  for (const [name, sql] of Object.entries(migrations)) {
    await mkdir(path.join(dir, name))
    await writeFile(path.join(dir, name, 'migration.sql'), sql)
  }
  return dir
}

async function copyOfCommittedMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(scratch, 'migrations-'))
  await cp(committedMigrations, dir, { recursive: true })
  return dir
}

async function committedMigrationNames(): Promise<string[]> {
  const entries = await readdir(committedMigrations, { withFileTypes: true })
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
}

describe('deployMigrations', () => {
  it('applies the committed migrations to an empty database and records them in _prisma_migrations', async () => {
    const url = await emptyDatabase()
    const expected = await committedMigrationNames()
    expect(expected.length).toBeGreaterThan(0)

    expect(await deployMigrations(url)).toEqual(expected)

    const recorded = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(url,
      'SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name')
    expect(recorded.map((row) => row.migration_name)).toEqual(expected)
    expect(recorded.every((row) => row.finished_at !== null)).toBe(true)
    // Prisma's checksum (SHA-256 of migration.sql), so the prisma CLI accepts this history as its own.
    const sql = await readFile(path.join(committedMigrations, expected[0]!, 'migration.sql'))
    expect(recorded[0]!.checksum).toBe(createHash('sha256').update(sql).digest('hex'))
    const tables = await query<{ table_name: string }>(url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    expect(tables.map((row) => row.table_name)).toEqual(expect.arrayContaining(['Agency', 'User', 'Session', 'Campaign', 'CampaignEvent']))
  })

  it('applies nothing when run again', async () => {
    const url = await migratedDatabase()
    expect(await deployMigrations(url)).toEqual([])
    expect(await deployMigrations(url)).toEqual([])
  })

  it('migrates two databases at once in one process', async () => {
    const [first, second] = await Promise.all([emptyDatabase(), emptyDatabase()])
    const expected = await committedMigrationNames()
    expect(await Promise.all([deployMigrations(first), deployMigrations(second)])).toEqual([expected, expected])
  })

  it('rolls back a failing migration completely, names it, and applies it once fixed and marked rolled back', async () => {
    const url = await emptyDatabase()
    const dir = await migrationsDir({
      '20260101000000_ok': 'CREATE TABLE "Kept" (id int);',
      '20260102000000_broken': 'CREATE TABLE "HalfApplied" (id int);\nINSERT INTO "NoSuchTable" VALUES (1);',
    })
    const publicTables = async () => (await query<{ table_name: string }>(url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")).map((row) => row.table_name)

    await expect(deployMigrations(url, { migrationsDir: dir })).rejects.toThrow(/^Migration 20260102000000_broken failed and was rolled back: No such table: NoSuchTable\n/)
    expect(await publicTables()).toEqual(['Kept', '_prisma_migrations'])
    expect(await migrationStatus(url, { migrationsDir: dir })).toMatchObject({ failed: ['20260102000000_broken'], upToDate: false })
    await expect(deployMigrations(url, { migrationsDir: dir })).rejects.toThrow(/failed migrations/)

    await writeFile(path.join(dir, '20260102000000_broken', 'migration.sql'), 'CREATE TABLE "HalfApplied" (id int);')
    await markMigrationRolledBack(url, '20260102000000_broken', { migrationsDir: dir })
    expect(await deployMigrations(url, { migrationsDir: dir })).toEqual(['20260102000000_broken'])
    expect(await publicTables()).toEqual(['HalfApplied', 'Kept', '_prisma_migrations'])
  })

  it('applies a migration whose function body and literals contain semicolons', async () => {
    const url = await emptyDatabase()
    const dir = await migrationsDir({
      '20260101000000_function': [
        'CREATE TABLE "Note" (body text NOT NULL DEFAULT \'a;b\');',
        'CREATE FUNCTION answer() RETURNS int LANGUAGE plpgsql AS $$',
        'DECLARE result int;',
        'BEGIN result := 42; RETURN result; END;',
        '$$;',
      ].join('\n'),
    })

    expect(await deployMigrations(url, { migrationsDir: dir })).toEqual(['20260101000000_function'])
    expect(await query(url, 'SELECT answer() AS answer')).toEqual([{ answer: 42 }])
    await query(url, 'INSERT INTO "Note" DEFAULT VALUES')
    expect(await query(url, 'SELECT body FROM "Note"')).toEqual([{ body: 'a;b' }])
  })

  it('migrates into the schema named by ?schema=', async () => {
    const url = new URL(await emptyDatabase())
    url.searchParams.set('schema', 'tenant_a')
    expect(await deployMigrations(url.href)).toEqual(await committedMigrationNames())
    const tables = await query<{ table_schema: string }>(url.href,
      `SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_name IN ('Agency', '_prisma_migrations')`)
    expect(tables).toEqual([{ table_schema: 'tenant_a' }])
  })
})

describe('createMigration', () => {
  it('writes a migration when the schema differs from the history, and nothing when it does not', async () => {
    const url = await migratedDatabase()
    const dir = await copyOfCommittedMigrations()
    const schemaPath = path.join(scratch, 'schema-with-note.prisma')
    await writeFile(schemaPath, `${await readFile(committedSchema, 'utf8')}\nmodel Note {\n  id   Int    @id\n  body String\n}\n`)

    expect(await createMigration(url, 'unchanged', { migrationsDir: dir })).toBeNull()

    const name = await createMigration(url, 'add_note', { migrationsDir: dir, schemaPath })
    expect(name).toMatch(/^\d{14}_add_note$/)
    const sql = await readFile(path.join(dir, name!, 'migration.sql'), 'utf8')
    expect(sql).toContain('CREATE TABLE "Note"')
    expect(await readFile(path.join(dir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"')
    // Written, not applied; no shadow database is left behind.
    expect(await migrationStatus(url, { migrationsDir: dir })).toMatchObject({ pending: [name], upToDate: false })
    expect(await query(server.adminUrl, "SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'")).toEqual([])

    // Like `migrate dev --create-only`, the next create applies the pending migration first.
    expect(await createMigration(url, 'again', { migrationsDir: dir, schemaPath })).toBeNull()
    expect(await migrationStatus(url, { migrationsDir: dir })).toMatchObject({ pending: [], upToDate: true })
  })

  it('refuses a database that drifted from the migration history', async () => {
    const url = await migratedDatabase()
    await query(url, 'CREATE TABLE "Stray" (id int)')
    await expect(createMigration(url, 'anything')).rejects.toThrow(/does not match the migration history[\s\S]*Stray/)
  })

  it('rejects a name that cannot be a folder name', async () => {
    await expect(createMigration('postgres://unused', '../escape')).rejects.toThrow(/may only contain/)
  })
})

describe('migrationStatus', () => {
  it('reports pending migrations, then up to date after deploy', async () => {
    const url = await emptyDatabase()
    const expected = await committedMigrationNames()
    expect(await migrationStatus(url)).toEqual({ pending: expected, unknown: [], failed: [], edited: [], upToDate: false })
    await deployMigrations(url)
    expect(await migrationStatus(url)).toEqual({ pending: [], unknown: [], failed: [], edited: [], upToDate: true })
  })
})

describe('parseDatabaseUrl', () => {
  it('builds a pg config object with the schema, TLS and encoded credentials', () => {
    const { config, schema } = parseDatabaseUrl('postgresql://app%40x:p%2Fw@db.example:6543/green?schema=tenant&sslmode=require&connection_limit=5')
    expect(schema).toBe('tenant')
    expect(config).toMatchObject({
      host: 'db.example', port: 6543, user: 'app@x', password: 'p/w', database: 'green',
      ssl: { rejectUnauthorized: false }, options: '-c search_path="tenant"', max: 1,
    })
    expect(config).not.toHaveProperty('connectionString')
  })

  it('rejects other protocols and unknown sslmodes', () => {
    expect(() => parseDatabaseUrl('mysql://localhost/db')).toThrow(/postgres:\/\//)
    expect(() => parseDatabaseUrl('postgres://localhost/db?sslmode=sometimes')).toThrow(/sslmode/)
  })
})
