// The API app for the board benchmark, in a process of its own (so the load generator does not share its
// event loop): the real plugins and routes on DATABASE_URL, plus one bare route as the baseline. Temporal is
// a lazy connection: nothing the board reads touches it.
import { Client, Connection } from '@temporalio/client'
import { buildApp } from '../../api/app'
import { settings } from '../../platform/config'
import { createDatabase } from '../../platform/database'
import { createMailer } from '../../platform/mailer'
import { TokenCipher, generateTokenKey, parseTokenKeys } from '../../platform/token-cipher'
import { benchApiSettings } from './api-settings'

const databaseUrl = process.env.DATABASE_URL!
const port = Number(process.env.BENCH_PORT)
const db = createDatabase(databaseUrl, { poolSize: 10 })
const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) })
const app = await buildApp({
  db,
  temporal,
  settings: benchApiSettings({ ...settings().temporal, taskQueue: 'bench' }),
  mailer: createMailer({ db, from: 'bench@greenlight.test' }),
  tokenCipher: new TokenCipher(parseTokenKeys(generateTokenKey('bench'))),
})
// The baseline: the same server and hooks, a route that does nothing.
app.get('/bench/bare', { config: { public: true } }, async () => ({ ok: true }))
await app.listen({ host: '127.0.0.1', port })
console.log('listening')
process.once('SIGTERM', () => {
  void app.close().finally(() => process.exit(0))
})
