import fp from 'fastify-plugin'
import type { Database } from '../../../platform/database'

/** Decorates the app with the process's one Prisma client. */
export default fp<{ db: Database }>(
  async (app, { db }) => {
    app.decorate('db', db)
  },
  { name: 'database' },
)
