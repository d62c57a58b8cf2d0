// The Temporal worker process: runs Greenlight's workflows and activities on the task queue.
// `createGreenlightWorker` is also used in-process by the integration tests.
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { NativeConnection, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker'
import { createActivities } from './activities'
import { createAiProviderRegistry } from './activities/ai/providers'
import { ensureProviderSlots } from './activities/ai/provider-slots'
import { aiSettings, dataDir, oauthSettings, publishingSettings, settings, storageSettings, type AiSettings, type OAuthSettings, type PublishingSettings, type TemporalSettings } from './platform/config'
import { createDatabase, type Database } from './platform/database'
import { createMailer, type Mailer } from './platform/mailer'
import { createStorage, type FileStorage } from './platform/storage'
import { temporalConnectionOptions } from './platform/temporal'
import { loadTokenCipher, type TokenCipher } from './platform/token-cipher'
import { startWorkerHeartbeat } from './platform/worker-heartbeat'
import { ensureWorkflowBundle } from './platform/workflow-bundle'
import { mediaLinkFilename, mediaLinkSignerSource } from './platform/media-links'
import { providerTaskQueue } from './workflows/batch-generation/definitions'
import { publishTaskQueue } from './workflows/publish-post/definitions'
import { SOCIAL_PLATFORMS } from './domain/brand-kit'

export interface GreenlightWorker {
  /** The main task queue's worker: every workflow, the database activities and the offline generator. */
  worker: Worker
  /** One activity worker per AI provider queue: each caps its provider's calls in flight and their rate. */
  providerWorkers: Worker[]
  /** One activity worker per platform's publishing queue: each caps that platform's calls in flight. */
  publishWorkers: Worker[]
  connection: NativeConnection
  /** Runs every worker until one stops (shutdown, or a fatal error), then stops the others. */
  run(): Promise<void>
  shutdown(): void
}

export async function createGreenlightWorker(options: {
  temporal: TemporalSettings
  db: Database
  /** Opens and seals social-account tokens and agencies' AI keys: the same keys as the API's. */
  tokenCipher: TokenCipher
  /** Sends the "reconnect your account" e-mails and the approval reminders. */
  mailer: Mailer
  /** Where assets are kept: the AI activities send previews of images to the models. */
  storage: FileStorage
  /** OAuth endpoints and credentials for token refreshes; defaults to the environment's. */
  oauth?: OAuthSettings
  /** AI providers' keys, endpoints, concurrency and rates; defaults to the environment's. */
  ai?: AiSettings
  /** Slack-compatible webhook for approval and post events; defaults to the environment's (NOTIFY_WEBHOOK_URL, unset: none). */
  notifyWebhookUrl?: string | null
  /** Publishing concurrency and media links; defaults to the environment's. */
  publishing?: PublishingSettings
  /** Signs the media links the platforms fetch; defaults to the review link secret (REVIEW_LINK_SECRET or the data folder's). */
  reviewLinkSecret?: string
  /** Per platform call (tests shorten it to provoke timeouts); the clients' 15 s unless said. */
  platformRequestTimeoutMs?: number
  connection?: NativeConnection
  workflowBundle?: WorkflowBundle
}): Promise<GreenlightWorker> {
  const connection =
    options.connection ?? (await NativeConnection.connect(temporalConnectionOptions(options.temporal)))
  const ai = options.ai ?? aiSettings()
  const publishing = options.publishing ?? publishingSettings()
  const mediaLinks = mediaLinkSignerSource({ secret: options.reviewLinkSecret ?? settings().reviewLinkSecret, dataDir })
  const activities = createActivities({
    db: options.db,
    tokenCipher: options.tokenCipher,
    mailer: options.mailer,
    oauth: options.oauth ?? oauthSettings(),
    notifyWebhookUrl: options.notifyWebhookUrl !== undefined ? options.notifyWebhookUrl : settings().notifyWebhookUrl,
    publishing: {
      storage: options.storage,
      requestTimeoutMs: options.platformRequestTimeoutMs,
      callConcurrency: publishing.concurrency,
      callsPerAccount: publishing.callsPerAccount,
      mediaUrl: (file) =>
        `${publishing.publicMediaBaseUrl}${mediaLinks().sign({ fileId: file.id, filename: mediaLinkFilename(file.originalName), expiresAt: new Date(Date.now() + publishing.mediaLinkTtlSeconds * 1000) })}`,
    },
    ai: {
      storage: options.storage,
      providers: createAiProviderRegistry({ db: options.db, cipher: options.tokenCipher, settings: ai }),
      settings: ai,
    },
  })
  const identity = `greenlight-worker@${process.pid}`
  const worker = await Worker.create({
    connection,
    namespace: options.temporal.namespace,
    taskQueue: options.temporal.taskQueue,
    workflowBundle: options.workflowBundle ?? { codePath: ensureWorkflowBundle() },
    activities,
    identity,
  })
  const providerWorkers: Worker[] = []
  for (const provider of ['openai', 'gemini'] as const) {
    const { concurrency, ratePerSecond } = ai[provider]
    await ensureProviderSlots(options.db, provider, concurrency)
    providerWorkers.push(
      await Worker.create({
        connection,
        namespace: options.temporal.namespace,
        taskQueue: providerTaskQueue(options.temporal.taskQueue, provider),
        activities,
        identity,
        // Per process: no more calls than the provider's slots; the slots (provider-slots.ts) hold the cap
        // across processes, and the server's task-queue rate limit holds the rate for all of them.
        maxConcurrentActivityTaskExecutions: concurrency,
        maxTaskQueueActivitiesPerSecond: ratePerSecond,
      }),
    )
  }
  const publishWorkers: Worker[] = []
  for (const platform of SOCIAL_PLATFORMS) {
    publishWorkers.push(
      await Worker.create({
        connection,
        namespace: options.temporal.namespace,
        taskQueue: publishTaskQueue(options.temporal.taskQueue, platform),
        activities,
        identity,
        // Posts handed over before their time wait in these slots; the calls to the platform are capped inside
        // the activities (PUBLISH_CONCURRENCY_*, PUBLISH_CALLS_PER_ACCOUNT), under the account's throttle.
        maxConcurrentActivityTaskExecutions: publishing.activitySlots,
      }),
    )
  }
  const all = [worker, ...providerWorkers, ...publishWorkers]
  const shutdown = () => {
    for (const each of all) if (each.getState() === 'RUNNING') each.shutdown()
  }
  return {
    worker,
    providerWorkers,
    publishWorkers,
    connection,
    shutdown,
    async run() {
      const runs = all.map((each) => each.run().finally(shutdown))
      const results = await Promise.allSettled(runs)
      const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
      if (failed) throw failed.reason
    },
  }
}

async function main(): Promise<void> {
  const config = settings()
  if (!config.databaseUrl) throw new Error('DATABASE_URL is not set: start the worker through `npm start`, or set it')
  // Runtime.install's defaults: SIGINT/SIGTERM shut the worker down gracefully (in-flight activities
  // finish or are handed back to the server, nothing is lost).
  Runtime.install({})
  const db = createDatabase(config.databaseUrl, { poolSize: config.workerDbPoolSize })
  const tokenCipher = loadTokenCipher({ tokenKeys: config.tokenKeys, dataDir })
  const mailer = createMailer({ db, smtpUrl: config.smtpUrl, from: config.mailFrom })
  const storage = createStorage(storageSettings())
  const greenlight = await createGreenlightWorker({ temporal: config.temporal, db, tokenCipher, mailer, storage, oauth: config.oauth, notifyWebhookUrl: config.notifyWebhookUrl ?? null })
  const { worker, connection } = greenlight
  console.log(
    `polling task queues "${config.temporal.taskQueue}", ${[...greenlight.providerWorkers, ...greenlight.publishWorkers].map((w) => `"${w.options.taskQueue}"`).join(', ')} in namespace "${config.temporal.namespace}"`,
  )
  // /healthz reads this row: unlike Temporal's poller list, it stops being refreshed the moment the process dies.
  const heartbeat = startWorkerHeartbeat({
    db,
    identity: `${worker.options.identity}@${os.hostname()}`,
    taskQueue: config.temporal.taskQueue,
  })
  try {
    await greenlight.run()
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
