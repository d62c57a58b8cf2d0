// The API process: one Prisma client and one Temporal client for the life of the process.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildApp } from './app'
import { startMissingBatchWorkflows } from './services/ai'
import { startMissingApprovalWorkflows } from './services/approvals'
import { startMissingCampaignWorkflows } from './services/campaigns'
import { startMissingPublishWorkflows } from './services/publishing'
import { startMissingTokenRefreshWorkflows } from './services/social-accounts'
import { dataDir, integrationModes, settings } from '../platform/config'
import { createDatabase } from '../platform/database'
import { createMailer } from '../platform/mailer'
import { redactUrl } from '../platform/redact'
import { loadTokenCipher } from '../platform/token-cipher'
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
        webUrl: config.webUrl,
        oauth: config.oauth,
        loginLimits: config.loginLimits,
      },
      mailer: createMailer({ db, smtpUrl: config.smtpUrl, from: config.mailFrom }),
      tokenCipher: loadTokenCipher({ tokenKeys: config.tokenKeys, dataDir }),
      databaseUrl: config.databaseUrl,
    },
    {
      // The web server forwards the browser's address in x-forwarded-for; only trusted hops may set it.
      trustProxy: config.apiTrustProxy,
      logger: {
        level: config.logLevel,
        // Session cookies and credentials never reach the logs.
        // Invite and reset tokens in paths, OAuth codes in query strings: masked in every request line.
        serializers: {
          req: (request: { method: string; url: string; hostname?: string; ip?: string; id?: string }) => ({
            method: request.method,
            url: redactUrl(request.url),
            host: request.hostname,
            remoteAddress: request.ip,
          }),
        },
        redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
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
  const sweep = scheduleWorkflowSweep(app)
  await app.listen({ host: config.apiHost, port: config.apiPort })
  sweep.start()
}

/**
 * Every minute (and once at start): start the workflows of campaigns, AI batches, approval rounds and scheduled
 * posts due soon that have none; every tenth minute the same for the token refresh of connected accounts.
 */
function scheduleWorkflowSweep(app: Awaited<ReturnType<typeof buildApp>>) {
  const deps = { db: app.db, temporal: app.temporal, settings: app.settings }
  let running = false
  let round = 0
  const sweep = async () => {
    if (running) return
    running = true
    try {
      const started = await startMissingCampaignWorkflows(deps)
      if (started.length) app.log.warn({ campaigns: started }, 'started workflows for campaigns that had none')
      const batches = await startMissingBatchWorkflows(deps)
      if (batches.length) app.log.warn({ aiBatches: batches }, 'started workflows for AI batches that had none')
      const rounds = await startMissingApprovalWorkflows(deps)
      if (rounds.length) app.log.warn({ approvalRounds: rounds }, 'started workflows for approval rounds that had none')
      const posts = await startMissingPublishWorkflows({ ...deps, log: app.log })
      if (posts.length) app.log.warn({ scheduledPosts: posts }, 'started publish workflows for scheduled posts that had none')
      if (round++ % 10 === 0) {
        const accounts = await startMissingTokenRefreshWorkflows(deps)
        if (accounts.length) app.log.warn({ socialAccounts: accounts }, 'started token-refresh workflows for accounts that had none')
      }
    } catch (error) {
      app.log.warn({ err: error }, 'workflow sweep failed; retrying in a minute')
    } finally {
      running = false
    }
  }
  let timer: NodeJS.Timeout | undefined
  app.addHook('onClose', async () => clearInterval(timer))
  return {
    start() {
      void sweep()
      timer = setInterval(() => void sweep(), 60_000)
      timer.unref()
    },
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error('stopped:', error instanceof Error ? error.message : error)
    process.exit(1)
  })
}
