// Database migrations from the command line: npm run db:migrate:create -- <name> | db:migrate:deploy | db:migrate:status,
// and after a failed deploy has been fixed: tsx scripts/db-migrate-cli.ts rolled-back <migration folder name>.
// Uses DATABASE_URL when set; otherwise starts the embedded PostgreSQL (.data/postgres), runs, and stops it.
// Exit codes: 0 done (status: up to date), 1 failed (status: not up to date), 2 wrong usage.
import path from 'node:path'
import { dataDir as configDataDir, settings } from '../platform/config.ts'
import { startEmbeddedPostgres } from './db/embedded-postgres.ts'
import { createMigration, deployMigrations, markMigrationRolledBack, migrationStatus, parseDatabaseUrl, type MigrateLogger, type MigrationStatus } from './db/migrate.ts'

const USAGE = 'usage: tsx scripts/db-migrate-cli.ts create <name> | deploy | status | rolled-back <migration>'

type Command = { kind: 'create' | 'rolled-back'; name: string } | { kind: 'deploy' | 'status' }

class UsageError extends Error {}

function parseCommand(args: string[]): Command {
  const [kind, ...rest] = args
  if ((kind === 'create' || kind === 'rolled-back') && rest.length === 1) return { kind, name: rest[0]! }
  if ((kind === 'deploy' || kind === 'status') && rest.length === 0) return { kind }
  throw new UsageError(USAGE)
}

async function run(command: Command, databaseUrl: string, log: MigrateLogger): Promise<number> {
  switch (command.kind) {
    case 'create': {
      const created = await createMigration(databaseUrl, command.name, { log })
      console.log(created ? `Created prisma/migrations/${created}/migration.sql` : 'The schema has no changes: no migration created')
      return 0
    }
    case 'deploy': {
      const applied = await deployMigrations(databaseUrl, { log })
      console.log(applied.length ? `Applied ${applied.length} migration(s):\n${list(applied)}` : 'No pending migrations')
      return 0
    }
    case 'rolled-back': {
      await markMigrationRolledBack(databaseUrl, command.name, { log })
      console.log(`Marked ${command.name} as rolled back: deploy applies it again`)
      return 0
    }
    case 'status': {
      const status = await migrationStatus(databaseUrl, { log })
      console.log(describeStatus(status))
      return status.upToDate ? 0 : 1
    }
  }
}

function describeStatus(status: MigrationStatus): string {
  const sections = [
    ['Pending (not yet applied)', status.pending],
    ['Failed (resolve before deploying)', status.failed],
    ['In the database but not in prisma/migrations', status.unknown],
    ['Changed after being applied', status.edited],
  ] as const
  const lines = sections.filter(([, names]) => names.length > 0).map(([title, names]) => `${title}:\n${list(names)}`)
  return [status.upToDate ? 'The database is up to date' : 'The database is not up to date', ...lines].join('\n')
}

function list(names: readonly string[]): string {
  return names.map((name) => `  ${name}`).join('\n')
}

/** Runs `use` against DATABASE_URL, or against the embedded server started (and stopped) around it. */
async function withDatabase(log: MigrateLogger & { error(message: string): void }, use: (url: string) => Promise<number>): Promise<number> {
  const config = settings()
  if (config.databaseUrl) {
    const { host, port, database } = parseDatabaseUrl(config.databaseUrl).config
    console.error(`Database: ${database} on ${host}:${port} (DATABASE_URL)`)
    return use(config.databaseUrl)
  }
  const dataDir = path.join(configDataDir, 'postgres')
  console.error(`Database: embedded PostgreSQL, data in ${path.relative(process.cwd(), dataDir) || '.'}, port ${config.embeddedPostgresPort}`)
  const server = await startEmbeddedPostgres({ dataDir, port: config.embeddedPostgresPort, log })
  try {
    return await use(server.url)
  } finally {
    await server.stop()
  }
}

async function main(): Promise<number> {
  const verbose = settings().logLevel === 'debug'
  const log = {
    debug: (message: string) => { if (verbose) console.error(message) },
    error: (message: string) => console.error(message),
  }
  try {
    const command = parseCommand(process.argv.slice(2))
    return await withDatabase(log, (url) => run(command, url, log))
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message)
      return 2
    }
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}

process.exitCode = await main()
