import fp from 'fastify-plugin'
import type { Mailer } from '../../../platform/mailer'
import type { TokenCipher } from '../../../platform/token-cipher'

/** Decorates the app with the process's mailer and token cipher, built once by server.ts (or a test). */
export default fp<{ mailer: Mailer; tokenCipher: TokenCipher }>(
  async (app, { mailer, tokenCipher }) => {
    app.decorate('mailer', mailer)
    app.decorate('tokenCipher', tokenCipher)
  },
  { name: 'services' },
)
