import fp from 'fastify-plugin'
import type { Client } from '@temporalio/client'

/**
 * Decorates the app with the process's one Temporal client (connected once at start-up, never per
 * request). Whoever created the client closes its connection.
 */
export default fp<{ client: Client }>(
  async (app, { client }) => {
    app.decorate('temporal', client)
  },
  { name: 'temporal' },
)
