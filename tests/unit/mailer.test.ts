// The mailer over SMTP, against a real SMTP server in this process (smtp-server, the library nodemailer's
// authors maintain): delivery is recorded without the body, and a refusal is recorded with its reason.
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMailer } from '../../platform/mailer'
import { createAgency, testDatabase } from '../support/database'

let database: Awaited<ReturnType<typeof testDatabase>>
let server: SMTPServer
let port: number
const received: { to: string[]; raw: string }[] = []
let refuseNext = false

beforeAll(async () => {
  database = await testDatabase()
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      if (refuseNext) {
        refuseNext = false
        const error = new Error('Mailbox unavailable') as Error & { responseCode: number }
        error.responseCode = 550
        return callback(error)
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.server.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()))
  await database?.drop()
})

describe('createMailer with SMTP_URL', () => {
  it('sends through the server and records the delivery without keeping the body', async () => {
    const { db } = database
    const agency = await createAgency(db)
    const mailer = createMailer({ db, smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Greenlight <no-reply@greenlight.test>' })
    expect(mailer.mode).toBe('smtp')
    const result = await mailer.send({ agencyId: agency.id, to: 'ines@example.test', subject: 'You are invited', text: 'Join us: http://web.test/invite/secret-token' })
    expect(result.status).toBe('sent')
    expect(received.at(-1)!.to).toEqual(['ines@example.test'])
    expect(received.at(-1)!.raw).toContain('http://web.test/invite/secret-token')
    const row = await db.emailOutbox.findUniqueOrThrow({ where: { id: result.id } })
    expect(row).toMatchObject({ status: 'sent', text: null, toAddress: 'ines@example.test' })
    expect(row.sentAt).not.toBeNull()
  })

  it('records a refusal with its reason and without the body', async () => {
    const { db } = database
    const agency = await createAgency(db)
    const mailer = createMailer({ db, smtpUrl: `smtp://127.0.0.1:${port}`, from: 'no-reply@greenlight.test' })
    refuseNext = true
    const result = await mailer.send({ agencyId: agency.id, to: 'gone@example.test', subject: 'Reset', text: 'http://web.test/reset-password/secret' })
    expect(result.status).toBe('failed')
    const row = await db.emailOutbox.findUniqueOrThrow({ where: { id: result.id } })
    expect(row.status).toBe('failed')
    expect(row.error).toMatch(/550|Mailbox unavailable/)
    expect(row.text).toBeNull()
  })
})

describe('createMailer without SMTP_URL', () => {
  it('keeps the e-mail in the outbox in development and refuses to run so in production', async () => {
    const { db } = database
    const agency = await createAgency(db)
    const mailer = createMailer({ db, from: 'no-reply@greenlight.test' })
    const result = await mailer.send({ agencyId: agency.id, to: 'a@example.test', subject: 'Hi', text: 'body', recipientOnly: true })
    expect(await db.emailOutbox.findUniqueOrThrow({ where: { id: result.id } })).toMatchObject({ status: 'outbox', text: 'body', recipientOnly: true })

    const previous = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      expect(() => createMailer({ db, from: 'x@example.test' })).toThrow(/SMTP_URL is not set/)
    } finally {
      process.env.NODE_ENV = previous
    }
  })
})
