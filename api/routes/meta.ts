import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PlatformMeta } from '../schemas/meta'

const metaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/meta',
    {
      config: { public: true },
      schema: {
        summary: 'Which integrations are real and which run against sandbox stand-ins',
        tags: ['meta'],
        response: { 200: PlatformMeta },
      },
    },
    async () => ({
      integrations: app.settings.integrations,
      temporal: { uiUrl: app.settings.temporal.uiUrl, namespace: app.settings.temporal.namespace },
    }),
  )
}

export default metaRoutes
