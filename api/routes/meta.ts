import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

const Meta = Type.Object({
  integrations: Type.Object({
    ai: Type.String({ description: 'offline when no AI provider key is configured' }),
    meta: Type.String({ description: 'sandbox when no Meta app credentials are configured' }),
    tiktok: Type.String({ description: 'sandbox when no TikTok client credentials are configured' }),
  }),
  temporal: Type.Object({ uiUrl: Type.String(), namespace: Type.String() }),
})

const metaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/meta',
    {
      config: { public: true },
      schema: {
        summary: 'Which integrations are real and which run against sandbox stand-ins',
        tags: ['meta'],
        response: { 200: Meta },
      },
    },
    async () => ({
      integrations: app.settings.integrations,
      temporal: { uiUrl: app.settings.temporal.uiUrl, namespace: app.settings.temporal.namespace },
    }),
  )
}

export default metaRoutes
