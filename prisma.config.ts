// For the prisma CLI where its engine binaries are available (e.g. `prisma migrate deploy` in a
// deployment pipeline). Greenlight itself migrates through scripts/db/migrate.ts, which needs no binary.
import { defineConfig } from 'prisma/config'

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5433/greenlight' },
})
