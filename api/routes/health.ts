import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { checkDatabase, checkTemporal, checkWorker } from '../services/health'

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.String(), latencyMs: Type.Number() })
const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Object({ database: Check, temporal: Check, worker: Check }),
})

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      // Polled by the start script and load balancers: log only problems.
      logLevel: 'warn',
      schema: {
        summary: 'Readiness of PostgreSQL, the Temporal client and the worker',
        description: 'Answers 200 only when all three are up; 503 with the failing check otherwise.',
        tags: ['health'],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const [database, temporal, worker] = await Promise.all([
        checkDatabase(app.db),
        checkTemporal(app.temporal),
        checkWorker(app.db, app.temporal, app.settings.temporal.taskQueue),
      ])
      const ok = database.ok && temporal.ok && worker.ok
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks: { database, temporal, worker } })
    },
  )
}

export default healthRoutes
