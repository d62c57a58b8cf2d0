// The API process: one Prisma client and one Temporal client for the life of the process.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildApp } from './app'
import { integrationModes, settings } from '../platform/config'
import { createDatabase } from '../platform/database'
import { connectTemporalClient } from '../platform/temporal'

async function main(): Promise<void> {
  const config = settings()
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set: start the API through `npm start`, or set it')
  const db = createDatabase(config.databaseUrl)
  const temporal = await connectTemporalClient(config.temporal)
  const app = await buildApp(
    {
      db,
      temporal,
      settings: {
        temporal: config.temporal,
        integrations: integrationModes(),
        sessionTtlDays: config.sessionTtlDays,
        cookieSecure: config.cookieSecure,
      },
      defaultLaunchDelaySeconds: config.defaultLaunchDelaySeconds,
    },
    {
      logger: {
        level: config.logLevel,
        // Session cookies and credentials never reach the logs.
        redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      },
    },
  )
  app.addHook('onClose', async () => {
    await temporal.connection.close()
    await db.$disconnect()
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      )
    })
  }
  await app.listen({ host: config.apiHost, port: config.apiPort })
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error('[api] stopped:', error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
