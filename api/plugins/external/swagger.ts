import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'

/** The OpenAPI document is generated from the route schemas; GET /openapi.json serves it. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Greenlight API',
          version: '0.1.0',
          description: 'Campaign operations for marketing agencies. Authenticate with POST /api/auth/login; the session cookie gl_session authorises the rest.',
        },
        components: {
          securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'gl_session' } },
        },
      },
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    })
    app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger())
  },
  { name: 'swagger' },
)
