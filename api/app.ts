// The Greenlight API as a Fastify plugin: external plugins, then app plugins, then routes.
// `buildApp` wraps it in an instance configured the way the server and the tests both need.
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Client } from '@temporalio/client'
import type { Database } from '../platform/database'
import { storageSettings } from '../platform/config'
import type { Mailer } from '../platform/mailer'
import { createStorage, type FileStorage } from '../platform/storage'
import type { TokenCipher } from '../platform/token-cipher'
import cookiePlugin from './plugins/external/cookie'
import swaggerPlugin from './plugins/external/swagger'
import authPlugin from './plugins/app/auth'
import databasePlugin from './plugins/app/database'
import errorsPlugin from './plugins/app/errors'
import servicesPlugin from './plugins/app/services'
import temporalPlugin from './plugins/app/temporal'
import assetRoutes from './routes/assets'
import authRoutes from './routes/auth'
import aiRoutes from './routes/ai'
import approvalRoutes from './routes/approvals'
import reviewRoutes from './routes/reviews'
import reviewLinkRoutes from './routes/review-links'
import publishingRoutes from './routes/publishing'
import publicMediaRoutes from './routes/public-media'
import sandboxControlRoutes from './routes/sandbox-controls'
import agencyRoutes from './routes/agency'
import boardRoutes from './routes/boards'
import cardDraftRoutes from './routes/card-drafts'
import campaignRoutes from './routes/campaigns'
import creatorRoutes from './routes/creators'
import teamRoutes from './routes/team'
import workspaceRoutes from './routes/workspaces'
import healthRoutes from './routes/health'
import metaRoutes from './routes/meta'
import notificationRoutes from './routes/notifications'
import threadSummaryRoutes from './routes/thread-summary'
import { sharedSchemas } from './schemas'
import { createBoardEventHub, type BoardEventHub } from './services/board-events'
import type { ApiSettings } from './types'

export interface AppOptions {
  db: Database
  temporal: Client
  settings: ApiSettings
  mailer: Mailer
  tokenCipher: TokenCipher
  /** Where uploaded files are kept; defaults to what STORAGE_DRIVER configures (local disk under <dataDir>/uploads). */
  storage?: FileStorage
  /** For live board updates (LISTEN/NOTIFY on its own connection); without it the event stream answers 503. */
  databaseUrl?: string
}

export const greenlightApp: FastifyPluginAsync<AppOptions> = async (app, options) => {
  app.decorate('settings', options.settings)
  for (const schema of sharedSchemas) app.addSchema(schema)

  await app.register(swaggerPlugin)
  await app.register(cookiePlugin)

  await app.register(errorsPlugin)
  await app.register(databasePlugin, { db: options.db })
  await app.register(temporalPlugin, { client: options.temporal })
  await app.register(servicesPlugin, {
    mailer: options.mailer,
    tokenCipher: options.tokenCipher,
    storage: options.storage ?? createStorage(storageSettings()),
  })
  await app.register(authPlugin)

  await app.register(healthRoutes)
  await app.register(metaRoutes)
  await app.register(authRoutes)
  await app.register(campaignRoutes)
  const boardEvents: BoardEventHub | null = options.databaseUrl ? createBoardEventHub(options.databaseUrl, app.log) : null
  if (boardEvents) app.addHook('onClose', () => boardEvents.close())
  await app.register(boardRoutes, { boardEvents })
  await app.register(teamRoutes)
  await app.register(agencyRoutes)
  await app.register(workspaceRoutes, { storage: app.storage })
  await app.register(assetRoutes, { storage: app.storage })
  await app.register(cardDraftRoutes, { storage: app.storage })
  await app.register(creatorRoutes)
  await app.register(notificationRoutes)
  await app.register(threadSummaryRoutes)
  await app.register(aiRoutes)
  await app.register(approvalRoutes)
  await app.register(reviewRoutes)
  await app.register(reviewLinkRoutes)
  await app.register(publishingRoutes)
  await app.register(publicMediaRoutes)
  await app.register(sandboxControlRoutes)
}

export async function buildApp(
  options: AppOptions,
  fastifyOptions: FastifyServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    ...fastifyOptions,
    // Unknown fields are an error, not silently dropped; coercion only where a schema says so.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
  }).withTypeProvider<TypeBoxTypeProvider>()
  // Registered directly (not in a child scope) so the routes, hooks and error handler apply app-wide.
  await greenlightApp(app, options)
  return app
}
