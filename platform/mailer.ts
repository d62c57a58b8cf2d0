// The one way Greenlight sends e-mail. With SMTP configured (SMTP_URL) messages go out through nodemailer and
// the outbox row records the delivery without the body; without SMTP the row keeps the body and the UI shows
// it as the development outbox (Settings → Outbox), so invites and reset links can be followed locally.
import nodemailer, { type Transporter } from 'nodemailer'
import type { Database } from './database'

export interface MailMessage {
  agencyId: string
  to: string
  subject: string
  text: string
  /** In the development outbox only the recipient may read the text (it carries a credential, e.g. a reset link). */
  recipientOnly?: boolean
}

export interface MailResult {
  id: string
  status: 'outbox' | 'sent' | 'failed'
}

export interface Mailer {
  /** 'smtp' sends for real; 'outbox' only records (development). */
  readonly mode: 'smtp' | 'outbox'
  send(message: MailMessage): Promise<MailResult>
}

export function createMailer(options: { db: Database; smtpUrl?: string; from: string }): Mailer {
  const { db, smtpUrl, from } = options
  if (!smtpUrl) {
    // In production an e-mail that is never sent is a lost invite or reset: a mail server is required.
    if (process.env.NODE_ENV === 'production') {
      throw new Error('SMTP_URL is not set: in production Greenlight sends invites and password resets by e-mail, so a mail server is required')
    }
    return {
      mode: 'outbox',
      async send(message) {
        const row = await db.emailOutbox.create({
          data: {
            agencyId: message.agencyId,
            toAddress: message.to,
            subject: message.subject,
            text: message.text,
            recipientOnly: message.recipientOnly ?? false,
            status: 'outbox',
          },
        })
        return { id: row.id, status: 'outbox' }
      },
    }
  }
  const transport: Transporter = nodemailer.createTransport(smtpUrl)
  return {
    mode: 'smtp',
    async send(message) {
      try {
        await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text })
        const row = await db.emailOutbox.create({
          data: { agencyId: message.agencyId, toAddress: message.to, subject: message.subject, status: 'sent', sentAt: new Date() },
        })
        return { id: row.id, status: 'sent' }
      } catch (error) {
        // The reason is kept for the outbox page; the SMTP URL (with its password) is never part of it.
        const reason = error instanceof Error ? error.message.slice(0, 500) : 'unknown error'
        const row = await db.emailOutbox.create({
          data: { agencyId: message.agencyId, toAddress: message.to, subject: message.subject, status: 'failed', error: reason },
        })
        return { id: row.id, status: 'failed' }
      }
    },
  }
}
