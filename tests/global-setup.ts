// Once per `npm test`: provision the Temporal binaries (pinned, cached in .tools/), a PostgreSQL server
// with a migrated template database (test files copy it into a database of their own), and a fresh build
// of the web UI for the tests that run the whole platform.
import type { TestProject } from 'vitest/node'
import { ensureTemporalCli, ensureTemporalTestServer } from '../scripts/temporal-cli'
import { buildWeb } from './support/web-build'
import { startTestPostgres } from './support/postgres'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
    pgTemplateDb: string
    temporalCliPath: string
    temporalTestServerPath: string
  }
}

export default async function setup(project: TestProject) {
  const log = (line: string) => console.log(`[test setup] ${line}`)
  const cli = await ensureTemporalCli({ log })
  const testServer = await ensureTemporalTestServer({ log })
  // GREENLIGHT_TEST_WEB_BUILD=skip: for quick runs of API and unit tests only (the browser and start-up tests
  // then use whatever build/ holds). `npm test` and CI always build.
  const skipWebBuild = process.env.GREENLIGHT_TEST_WEB_BUILD === 'skip'
  if (skipWebBuild) log('web build skipped (GREENLIGHT_TEST_WEB_BUILD=skip)')
  const [postgres] = await Promise.all([startTestPostgres(), skipWebBuild ? Promise.resolve() : buildWeb()])
  project.provide('pgAdminUrl', postgres.adminUrl)
  project.provide('pgTemplateDb', postgres.templateDb)
  project.provide('temporalCliPath', cli.path)
  project.provide('temporalTestServerPath', testServer.path)
  return async () => {
    await postgres.stop()
  }
}
