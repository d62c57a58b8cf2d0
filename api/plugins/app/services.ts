import fp from 'fastify-plugin'
import type { Mailer } from '../../../platform/mailer'
import type { FileStorage } from '../../../platform/storage'
import type { TokenCipher } from '../../../platform/token-cipher'

/** Decorates the app with the process's mailer, token cipher and file storage, built once by server.ts (or a test). */
export default fp<{ mailer: Mailer; tokenCipher: TokenCipher; storage: FileStorage }>(
  async (app, { mailer, tokenCipher, storage }) => {
    app.decorate('mailer', mailer)
    app.decorate('tokenCipher', tokenCipher)
    app.decorate('storage', storage)
  },
  { name: 'services' },
)
