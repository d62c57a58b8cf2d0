// The Temporal worker process: runs Greenlight's workflows and activities on the task queue.
// `createGreenlightWorker` is also used in-process by the integration tests.
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { NativeConnection, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker'
import { createActivities } from './activities'
import { dataDir, oauthSettings, settings, type OAuthSettings, type TemporalSettings } from './platform/config'
import { createDatabase, type Database } from './platform/database'
import { createMailer, type Mailer } from './platform/mailer'
import { temporalConnectionOptions } from './platform/temporal'
import { loadTokenCipher, type TokenCipher } from './platform/token-cipher'
import { startWorkerHeartbeat } from './platform/worker-heartbeat'
import { ensureWorkflowBundle } from './platform/workflow-bundle'

export async function createGreenlightWorker(options: {
  temporal: TemporalSettings
  db: Database
  /** Opens and seals social-account tokens: the same keys as the API's, or refreshed tokens cannot be read there. */
  tokenCipher: TokenCipher
  /** Sends the "reconnect your account" e-mails. */
  mailer: Mailer
  /** OAuth endpoints and credentials for token refreshes; defaults to the environment's. */
  oauth?: OAuthSettings
  connection?: NativeConnection
  workflowBundle?: WorkflowBundle
}): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection =
    options.connection ?? (await NativeConnection.connect(temporalConnectionOptions(options.temporal)))
  const worker = await Worker.create({
    connection,
    namespace: options.temporal.namespace,
    taskQueue: options.temporal.taskQueue,
    workflowBundle: options.workflowBundle ?? { codePath: ensureWorkflowBundle() },
    activities: createActivities({
      db: options.db,
      tokenCipher: options.tokenCipher,
      mailer: options.mailer,
      oauth: options.oauth ?? oauthSettings(),
    }),
    identity: `greenlight-worker@${process.pid}`,
  })
  return { worker, connection }
}

async function main(): Promise<void> {
  const config = settings()
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set: start the worker through `npm start`, or set it')
  // Runtime.install's defaults: SIGINT/SIGTERM shut the worker down gracefully (in-flight activities
  // finish or are handed back to the server, nothing is lost).
  Runtime.install({})
  const db = createDatabase(config.databaseUrl, { poolSize: 5 })
  const tokenCipher = loadTokenCipher({ tokenKeys: config.tokenKeys, dataDir })
  const mailer = createMailer({ db, smtpUrl: config.smtpUrl, from: config.mailFrom })
  const { worker, connection } = await createGreenlightWorker({ temporal: config.temporal, db, tokenCipher, mailer, oauth: config.oauth })
  console.log(
    `polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}"`,
  )
  // /healthz reads this row: unlike Temporal's poller list, it stops being refreshed the moment the process dies.
  const heartbeat = startWorkerHeartbeat({
    db,
    identity: `${worker.options.identity}@${os.hostname()}`,
    taskQueue: config.temporal.taskQueue,
  })
  try {
    await worker.run()
  } finally {
    await heartbeat.stop()
    await connection.close()
    await db.$disconnect()
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error('stopped:', error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
