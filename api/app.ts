// The Greenlight API as a Fastify plugin: external plugins, then app plugins, then routes.
// `buildApp` wraps it in an instance configured the way the server and the tests both need.
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Client } from '@temporalio/client'
import type { Database } from '../platform/database'
import cookiePlugin from './plugins/external/cookie'
import swaggerPlugin from './plugins/external/swagger'
import authPlugin from './plugins/app/auth'
import databasePlugin from './plugins/app/database'
import errorsPlugin from './plugins/app/errors'
import temporalPlugin from './plugins/app/temporal'
import authRoutes from './routes/auth'
import campaignRoutes from './routes/campaigns'
import healthRoutes from './routes/health'
import metaRoutes from './routes/meta'
import { sharedSchemas } from './schemas'
import type { ApiSettings } from './types'

export interface AppOptions {
  db: Database
  temporal: Client
  settings: ApiSettings
  defaultLaunchDelaySeconds: number
}

export const greenlightApp: FastifyPluginAsync<AppOptions> = async (app, options) => {
  app.decorate('settings', options.settings)
  for (const schema of sharedSchemas) app.addSchema(schema)

  await app.register(swaggerPlugin)
  await app.register(cookiePlugin)

  await app.register(errorsPlugin)
  await app.register(databasePlugin, { db: options.db })
  await app.register(temporalPlugin, { client: options.temporal })
  await app.register(authPlugin)

  await app.register(healthRoutes)
  await app.register(metaRoutes)
  await app.register(authRoutes)
  await app.register(campaignRoutes, { defaultLaunchDelaySeconds: options.defaultLaunchDelaySeconds })
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
