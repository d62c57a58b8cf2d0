// Prisma migrations without the `prisma` CLI: its schema-engine binary comes from a download host we cannot
// reach, so we drive the same engine compiled to WebAssembly (@prisma/schema-engine-wasm) through
// @prisma/adapter-pg. Same folder layout, `_prisma_migrations` table, checksums and advisory lock as
// `prisma migrate`, so `prisma migrate deploy` works on the same database wherever the binary exists.
// See docs/decisions/003-offline-migrations.md.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { PrismaPg } from '@prisma/adapter-pg'
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
  type SqlResultSet,
  type Transaction,
} from '@prisma/driver-adapter-utils'
import type * as SchemaEngineGlue from '@prisma/schema-engine-wasm/schema_engine_bg'
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg'
import pg from 'pg'
import { projectRoot } from '../../platform/config.ts'

export interface MigrateLogger {
  debug(message: string): void
}

export interface MigrateOptions {
  /** Default: prisma/migrations. */
  migrationsDir?: string
  /** Default: prisma/schema.prisma. */
  schemaPath?: string
  /** Receives the engine's own log lines. Default: silent. */
  log?: MigrateLogger
}

export interface MigrationStatus {
  /** In the migrations folder, not yet applied to the database. */
  pending: string[]
  /** Recorded in the database but missing from the migrations folder. */
  unknown: string[]
  /** Started but never finished (a failed deploy): must be resolved before anything else applies. */
  failed: string[]
  /** Applied, but migration.sql changed since (checksum mismatch). */
  edited: string[]
  /** No pending, unknown or failed migrations. */
  upToDate: boolean
}

const DEFAULT_MIGRATIONS_DIR = path.join(projectRoot, 'prisma', 'migrations')
const DEFAULT_SCHEMA_PATH = path.join(projectRoot, 'prisma', 'schema.prisma')
const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] }
const LOCKFILE = 'migration_lock.toml'
const MIGRATION_NAME = /^[A-Za-z0-9_]+$/

/**
 * Applies every migration not yet applied, like `prisma migrate deploy`; returns their names. Each migration
 * runs in one transaction: a failing one leaves no changes, is recorded as failed, and blocks later deploys
 * until it is fixed and marked rolled back (markMigrationRolledBack).
 */
export async function deployMigrations(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR
  return withSchemaEngine(databaseUrl, options, async (engine) => {
    const migrationsList = await listMigrations(migrationsDir)
    try {
      return (await engine.applyMigrations({ migrationsList, filters: NO_FILTERS })).appliedMigrationNames
    } catch (error) {
      throw await nameFailedMigration(engine, migrationsList, error)
    }
  })
}

/**
 * Writes `<migrationsDir>/<timestamp>_<name>/migration.sql` with the SQL that takes the migration history to
 * the schema file, like `prisma migrate dev --create-only`. Returns the folder name, or null when the schema
 * has no changes. Like Prisma, it first refuses a database that drifted from the history, and applies the
 * pending migrations to it (the new one is not applied). A temporary shadow database replays the history.
 */
export async function createMigration(databaseUrl: string, name: string, options: MigrateOptions = {}): Promise<string | null> {
  if (!MIGRATION_NAME.test(name)) throw new Error(`Migration name "${name}" may only contain letters, digits and "_"`)
  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR
  const schemaPath = options.schemaPath ?? DEFAULT_SCHEMA_PATH
  return withSchemaEngine(databaseUrl, options, async (engine) => {
    const migrationsList = await listMigrations(migrationsDir)
    await checkForDrift(engine, migrationsList)
    const applied = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS })
    // The wasm engine's createMigration cannot open a shadow database itself. It diffs against a schema that
    // devDiagnostic cached after replaying the *applied* migrations into a shadow database, so that cache only
    // fits once every migration is applied: diagnose (again) after applying.
    if (applied.appliedMigrationNames.length > 0) await checkForDrift(engine, migrationsList)
    const schema = { files: [{ path: schemaPath, content: await fs.readFile(schemaPath, 'utf8') }] }
    const created = await engine.createMigration({ draft: false, migrationName: name, migrationsList, schema, filters: NO_FILTERS })
    if (created.migrationScript === null) return null
    const folder = path.join(migrationsDir, created.generatedMigrationName)
    await fs.mkdir(folder, { recursive: true })
    await fs.writeFile(path.join(folder, `migration.${created.extension}`), created.migrationScript)
    await writeLockfile(migrationsDir, created.connectorType)
    return created.generatedMigrationName
  })
}

/** Marks a failed migration as rolled back, like `prisma migrate resolve --rolled-back`, so deploy retries it. */
export async function markMigrationRolledBack(databaseUrl: string, name: string, options: MigrateOptions = {}): Promise<void> {
  await withSchemaEngine(databaseUrl, options, (engine) => engine.markMigrationRolledBack({ migrationName: name }))
}

/** Compares the migrations folder with the database's `_prisma_migrations`, like `prisma migrate status`. */
export async function migrationStatus(databaseUrl: string, options: MigrateOptions = {}): Promise<MigrationStatus> {
  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR
  return withSchemaEngine(databaseUrl, options, async (engine) => {
    const diagnosis = await engine.diagnoseMigrationHistory({
      migrationsList: await listMigrations(migrationsDir), optInToShadowDatabase: false, filters: NO_FILTERS,
    })
    const history = diagnosis.history
    const pending = history && 'unappliedMigrationNames' in history ? history.unappliedMigrationNames : []
    const unknown = history && 'unpersistedMigrationNames' in history ? history.unpersistedMigrationNames : []
    const failed = diagnosis.failedMigrationNames
    return {
      pending, unknown, failed, edited: diagnosis.editedMigrationNames,
      upToDate: pending.length === 0 && unknown.length === 0 && failed.length === 0,
    }
  })
}

async function checkForDrift(engine: SchemaEngine, migrationsList: MigrationList): Promise<void> {
  const diagnostic = await engine.devDiagnostic({ migrationsList, filters: NO_FILTERS })
  if (diagnostic.action.tag === 'reset') {
    throw new Error(`The database does not match the migration history; use a fresh database.\n${diagnostic.action.reason}`)
  }
}

/** The engine names a failing migration only in its span trace; say which one failed, and what to do. */
async function nameFailedMigration(engine: SchemaEngine, migrationsList: MigrationList, error: unknown): Promise<unknown> {
  // Errors with a code (P3009 "found failed migrations", P3018, ...) already explain themselves.
  if (!(error instanceof Error) || 'code' in error) return error
  const { failedMigrationNames } = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS })
  if (failedMigrationNames.length === 0) return error
  const names = failedMigrationNames.join(', ')
  return new Error(`Migration ${names} failed and was rolled back: ${userFacingMessage(error.message)}\n`
    + `Fix it, then mark it rolled back (tsx scripts/db-migrate-cli.ts rolled-back ${names}) and deploy again.`, { cause: error })
}

// ---------------------------------------------------------------------------------------------------------
// Connection settings

export interface PgConnection {
  config: pg.PoolConfig
  /** From `?schema=`; Prisma's convention for a non-default PostgreSQL schema. */
  schema: string | undefined
}

/**
 * DATABASE_URL as a pg config object. Never hand the URL string itself to pg: a `connectionString` overrides
 * the `database` field, so a shadow-database config derived from it would silently target the main database.
 * Understands `schema` and `sslmode`; other query parameters (Prisma's pool settings) are ignored.
 */
export function parseDatabaseUrl(databaseUrl: string): PgConnection {
  const url = new URL(databaseUrl)
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must be a postgres:// or postgresql:// URL, got "${url.protocol}"`)
  }
  const schema = url.searchParams.get('schema') ?? undefined
  const config: pg.PoolConfig = {
    host: decodeURIComponent(url.hostname.replace(/^\[(.*)\]$/, '$1')),
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
    ssl: sslOption(url.searchParams.get('sslmode')),
    // One session, as the native engine uses: the advisory lock and the scripts it guards share a connection.
    max: 1,
    // Unqualified names in migration scripts must land in the chosen schema (the engine creates it if missing).
    ...(schema ? { options: `-c search_path="${schema.replaceAll('"', '""')}"` } : {}),
  }
  return { config, schema }
}

function sslOption(sslmode: string | null): pg.PoolConfig['ssl'] {
  switch (sslmode) {
    case null: case 'disable': case 'allow': case 'prefer': return undefined
    case 'require': case 'no-verify': return { rejectUnauthorized: false } // libpq's require: encrypt, do not verify
    case 'verify-ca': case 'verify-full': return true
    default: throw new Error(`Unsupported sslmode "${sslmode}" in DATABASE_URL`)
  }
}

// ---------------------------------------------------------------------------------------------------------
// The engine

type Glue = typeof SchemaEngineGlue

const gluePath = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg')
let compiledEngine: Promise<WebAssembly.Module> | undefined
let glueCopies = 0
let lastPanic: string | undefined

/**
 * A new engine on a new WebAssembly instance with its own copy of the JS glue, per call. The glue keeps the
 * instance in module state (`__wbg_set_wasm`) together with cached views of its memory that are not refreshed
 * when another instance is set: reusing one glue module for a second instance reads the old instance's memory
 * (verified: garbage strings, then a panic). A glue copy costs ~10 ms and ~2 MB; the compiled module is shared.
 */
async function loadSchemaEngine(schemaPath: string, adapters: SqlMigrationAwareDriverAdapterFactory, log: MigrateLogger): Promise<SchemaEngine> {
  compiledEngine ??= fs.readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm')).then((bytes) => WebAssembly.compile(bytes))
  const glue = await import(/* @vite-ignore */ `${pathToFileURL(gluePath).href}?copy=${++glueCopies}`) as Glue
  const instance = await WebAssembly.instantiate(await compiledEngine, { './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports })
  glue.__wbg_set_wasm(instance.exports)
  ;(instance.exports.__wbindgen_start as () => void)()
  // Rust panics report their message through this global (the Prisma CLI installs the same); without it
  // the message is lost and only "unreachable" remains.
  Object.assign(globalThis, { PRISMA_WASM_PANIC_REGISTRY: { set_message: (message: string) => { lastPanic = message } } })
  const datamodels: [string, string][] = [[schemaPath, await fs.readFile(schemaPath, 'utf8')]]
  return glue.SchemaEngine.new({ datamodels }, (message: string) => log.debug(`[schema-engine] ${message}`), bindMigrationAwareSqlAdapterFactory(adapters))
}

async function withSchemaEngine<T>(databaseUrl: string, options: MigrateOptions, run: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const log = options.log ?? { debug: () => {} }
  const adapters = new PgMigrationAdapterFactory(parseDatabaseUrl(databaseUrl))
  try {
    const engine = await loadSchemaEngine(options.schemaPath ?? DEFAULT_SCHEMA_PATH, adapters, log)
    try {
      return await run(engine)
    } finally {
      engine.free()
    }
  } catch (error) {
    throw engineError(error)
  } finally {
    // engine.free() does not dispose the adapters it connected; their pg pools would keep the process alive.
    await adapters.disposeAll()
  }
}

function engineError(error: unknown): Error {
  if (error instanceof WebAssembly.RuntimeError) return new Error(`The schema engine panicked: ${lastPanic ?? error.message}`, { cause: error })
  if (!(error instanceof Error)) return new Error(String(error))
  const message = userFacingMessage(error.message)
  return message === error.message ? error : Object.assign(new Error(message, { cause: error }), 'code' in error ? { code: error.code } : {})
}

/**
 * Engine errors end with a Rust span trace ("   0: sql_schema_connector::..."), and database errors start
 * with "external connector error"; users need the text in between.
 */
function userFacingMessage(message: string): string {
  return message.split(/\n\s+0: /)[0]!.replace(/^external connector error\n/, '').trim()
}

// ---------------------------------------------------------------------------------------------------------
// Migrations folder (the same listing @prisma/migrate builds for the engine)

async function listMigrations(migrationsDir: string): Promise<MigrationList> {
  const lockfileContent = await fs.readFile(path.join(migrationsDir, LOCKFILE), 'utf8').catch(() => null)
  const entries = await fs.readdir(migrationsDir, { withFileTypes: true }).catch(() => [])
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
  const migrationDirectories = await Promise.all(folders.map(async (folder) => ({
    path: folder,
    migrationFile: {
      path: 'migration.sql',
      content: await fs.readFile(path.join(migrationsDir, folder, 'migration.sql'), 'utf8').then(
        (value) => ({ tag: 'ok' as const, value }),
        (error: Error) => ({ tag: 'error' as const, value: error.message }),
      ),
    },
  })))
  return { baseDir: migrationsDir, lockfile: { path: LOCKFILE, content: lockfileContent }, migrationDirectories, shadowDbInitScript: '' }
}

async function writeLockfile(migrationsDir: string, provider: string): Promise<void> {
  const content = '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\n'
    + `provider = "${provider}"\n`
  await fs.writeFile(path.join(migrationsDir, LOCKFILE), content)
}

// ---------------------------------------------------------------------------------------------------------
// adapter-pg, patched for the schema engine

/**
 * Hands the engine PrismaPg adapters with the three workarounds applied, and owns them: the engine never
 * disposes the main adapter, so disposeAll() closes every pool it was given.
 */
class PgMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres'
  readonly adapterName = '@prisma/adapter-pg'
  private readonly open = new Set<SqlDriverAdapter>()

  constructor(private readonly connection: PgConnection) {}

  async connect(): Promise<SqlDriverAdapter> {
    return this.track(await this.adapterFor(this.connection.config))
  }

  /**
   * Workaround 3: PrismaPg's own connectToShadowDb is unusable. With a URL config its shadow pool connects to
   * the main database (connectionString beats `database`), and its dispose drops the shadow database before
   * ending that pool ("database is being accessed by other users"). So: create it here, end the pool, then drop.
   */
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`
    await runAdminQuery(this.connection.config, `CREATE DATABASE "${name}"`)
    const adapter = await this.adapterFor({ ...this.connection.config, database: name })
    const endPool = adapter.dispose.bind(adapter)
    adapter.dispose = async () => {
      await endPool()
      await runAdminQuery(this.connection.config, `DROP DATABASE IF EXISTS "${name}"`)
    }
    return this.track(adapter)
  }

  async disposeAll(): Promise<void> {
    await Promise.allSettled([...this.open].map((adapter) => adapter.dispose()))
  }

  private async adapterFor(config: pg.PoolConfig): Promise<PgAdapter> {
    const adapter = await new PrismaPg(config, { schema: this.connection.schema }).connect()
    return sendScriptsWhole(reportCharAsText(adapter))
  }

  /** Makes dispose idempotent (the engine disposes shadow adapters itself) and remembers open adapters. */
  private track(adapter: SqlDriverAdapter): SqlDriverAdapter {
    const dispose = adapter.dispose.bind(adapter)
    adapter.dispose = async () => {
      if (!this.open.delete(adapter)) return
      await dispose()
    }
    this.open.add(adapter)
    return adapter
  }
}

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>

/** adapter-pg members the workarounds patch: private in its type declarations, present at run time (7.10). */
interface PgQueryableInternals {
  performIO(query: SqlQuery): Promise<pg.QueryResult<unknown[]>>
  onError(error: unknown): never
}

const PG_CHAR_OID = 18
const PG_TEXT_OID = 25

/**
 * Workaround 1: the engine's introspection reads Postgres' internal one-byte `"char"` type (OID 18, e.g.
 * pg_constraint.contype), which adapter-pg rejects as an unsupported native type. Let pg parse it as text and
 * label the column Character, which the engine reads as a Rust `char`. Applies to transactions as well.
 */
function reportCharAsText<Q extends SqlQueryable>(queryable: Q): Q {
  const internals = queryable as unknown as PgQueryableInternals
  const performIO = internals.performIO.bind(queryable)
  const queryRaw = queryable.queryRaw.bind(queryable)
  // queryRaw calls performIO and then maps field OIDs to column types; the engine runs one query at a time per
  // adapter, so the char columns of the current query can pass from one to the other through this variable.
  let charColumns: number[] = []
  internals.performIO = async (query) => {
    const result = await performIO(query)
    charColumns = result.fields.flatMap((field, index) => (field.dataTypeID === PG_CHAR_OID ? [index] : []))
    for (const index of charColumns) result.fields[index]!.dataTypeID = PG_TEXT_OID
    return result
  }
  queryable.queryRaw = async (query): Promise<SqlResultSet> => {
    const result = await queryRaw(query)
    for (const index of charColumns) result.columnTypes[index] = ColumnTypeEnum.Character
    return result
  }
  if ('startTransaction' in queryable) {
    const adapter = queryable as unknown as SqlDriverAdapter
    const startTransaction = adapter.startTransaction.bind(adapter)
    adapter.startTransaction = async (isolationLevel): Promise<Transaction> => reportCharAsText(await startTransaction(isolationLevel))
  }
  return queryable
}

/**
 * Workaround 2: adapter-pg's executeScript splits the script on ";" and runs the pieces one by one, which breaks
 * `$$` function bodies and ";" inside literals, and leaves a failing migration half-applied. Send the whole
 * script as one simple query instead, as the native engine does: Postgres runs it as one implicit transaction.
 */
function sendScriptsWhole(adapter: PgAdapter): PgAdapter {
  const pool = adapter.underlyingDriver()
  adapter.executeScript = async (script) => {
    try {
      await pool.query(script)
    } catch (error) {
      (adapter as unknown as PgQueryableInternals).onError(error) // converts to the error the engine reports
    }
  }
  return adapter
}

async function runAdminQuery(config: pg.PoolConfig, sql: string): Promise<void> {
  const client = new pg.Client(config)
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}
