// Agency settings: the plan and its usage, the audit log, and the e-mail outbox.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { LIMIT_LABELS, PLANS, PLAN_CATALOG, overLimits, planOf, type PlanId } from '../../domain/plans'
import type { AuditEvent, EmailOutbox, Prisma } from '../../generated/prisma/client'
import type { Database } from '../../platform/database'
import { asTransactionClient, type TenantDatabase } from '../../platform/tenant-scope'
import { ApiError } from '../errors'
import {
  AUDIT_CURSOR_PATTERN,
  AUDIT_PAGE_DEFAULT,
  AUDIT_PAGE_MAX,
  AuditPage,
  AuditQuery,
  ChangePlanBody,
  OutboxResponse,
  PlanUsageResponse,
  type AuditEventDto,
  type OutboxEmail,
  type PlanUsageResponse as PlanUsage,
} from '../schemas/agency'
import { errorResponses } from '../schemas/common'
import { recordAudit } from '../services/audit'
import { lockAgency, usageReport } from '../services/usage'
import type { AuthUser } from '../types'

/** The outbox page shows this many of the newest e-mails. */
export const OUTBOX_PAGE_SIZE = 100

// usage.ts counts by agencyId itself (the agency row is not a tenant model), so it takes the plain client.
async function planUsage(db: Database | Prisma.TransactionClient, agencyId: string): Promise<PlanUsage> {
  const report = await usageReport(db, agencyId)
  return { plan: report.plan, catalog: PLANS.map((id) => PLAN_CATALOG[id]), usage: report.usage, period: report.period }
}

/**
 * Moves the agency to another plan. A plan smaller than what is in use is refused with every limit it would
 * break; the agency row stays locked meanwhile, so usage cannot grow between the check and the change.
 */
async function changePlan(tenantDb: TenantDatabase, actor: AuthUser, to: PlanId, ip: string): Promise<PlanUsage> {
  const agencyId = actor.agency.id
  return tenantDb.$transaction(async (scopedTx) => {
    const tx = asTransactionClient(scopedTx)
    const from = planOf(await lockAgency(tx, agencyId)).id
    if (from === to) return planUsage(tx, agencyId)
    const { usage } = await usageReport(tx, agencyId)
    const target = PLAN_CATALOG[to]
    const over = overLimits(to, usage)
    if (over.length > 0) {
      const parts = over.map((metric) => `${target.limits[metric]} ${LIMIT_LABELS[metric].many} (${usage[metric]} in use)`)
      throw new ApiError(
        409,
        'PLAN_TOO_SMALL',
        `The ${target.name} plan is too small for what this agency uses: it allows ${parts.join(', ')}. Reduce usage first or choose a larger plan.`,
        over.map((metric) => ({ path: `/limits/${metric}`, message: `${target.name} allows ${target.limits[metric]}; ${usage[metric]} in use` })),
      )
    }
    await tx.agency.update({ where: { id: agencyId }, data: { plan: to } })
    await recordAudit(tx, { agencyId, action: 'plan.changed', actor, target: { type: 'agency', id: agencyId }, detail: { from, to }, ip })
    return planUsage(tx, agencyId)
  })
}

function toAuditEventDto(event: AuditEvent): AuditEventDto {
  return {
    id: event.id,
    actor: event.actorLabel,
    actorUserId: event.actorUserId,
    action: event.action,
    target: event.targetType && event.targetId ? { type: event.targetType, id: event.targetId } : null,
    detail: event.detail !== null && typeof event.detail === 'object' && !Array.isArray(event.detail) ? event.detail : {},
    ip: event.ip,
    createdAt: event.createdAt.toISOString(),
  }
}

const cursorPattern = new RegExp(AUDIT_CURSOR_PATTERN)

/** Newest first; `before` continues after the last event of the previous page. */
async function auditPage(tenantDb: TenantDatabase, agencyId: string, query: { limit?: string; before?: string; action?: string }) {
  const limit = Math.min(Number(query.limit ?? AUDIT_PAGE_DEFAULT), AUDIT_PAGE_MAX)
  const where: Prisma.AuditEventWhereInput = { agencyId, ...(query.action ? { action: query.action } : {}) }
  if (query.before) {
    const [, iso, id] = cursorPattern.exec(query.before) ?? []
    const at = new Date(iso ?? '')
    if (Number.isNaN(at.getTime())) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'The querystring is not valid.', [{ path: '/before', message: 'is not a real date and time' }])
    }
    where.OR = id ? [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: id } }] : [{ createdAt: { lt: at } }]
  }
  const rows = await tenantDb.auditEvent.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 })
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    events: page.map(toAuditEventDto),
    nextBefore: rows.length > limit && last ? `${last.createdAt.toISOString()}_${last.id}` : null,
  }
}

function toOutboxEmailDto(row: EmailOutbox, viewerEmail: string): OutboxEmail {
  const withheld = row.recipientOnly && row.toAddress.toLowerCase() !== viewerEmail.toLowerCase()
  return {
    id: row.id,
    to: row.toAddress,
    subject: row.subject,
    text: withheld ? null : row.text,
    textWithheld: withheld,
    status: row.status as OutboxEmail['status'],
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  }
}

const agencyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/agency/plan',
    {
      config: { permission: 'plan.read' },
      schema: {
        summary: 'Your plan, every plan\'s limits, and what the agency uses now',
        tags: ['agency'],
        response: { 200: PlanUsageResponse, ...errorResponses(401, 403) },
      },
    },
    async (request) => planUsage(app.db, request.user!.agency.id),
  )

  app.put(
    '/api/agency/plan',
    {
      config: { permission: 'plan.change' },
      schema: {
        summary: 'Change the plan (owners). A plan smaller than current usage is refused with 409 PLAN_TOO_SMALL.',
        tags: ['agency'],
        body: ChangePlanBody,
        response: { 200: PlanUsageResponse, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request) => changePlan(request.tenantDb, request.user!, request.body.plan, request.ip),
  )

  app.get(
    '/api/agency/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        summary: 'The audit log of security-relevant actions, newest first (owners)',
        tags: ['agency'],
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => auditPage(request.tenantDb, request.user!.agency.id, request.query),
  )

  app.get(
    '/api/agency/outbox',
    {
      config: { permission: 'outbox.read' },
      schema: {
        summary: `The agency's e-mails, newest first (the last ${OUTBOX_PAGE_SIZE})`,
        description: 'With mode "outbox" no mail server is configured: the e-mails were not sent, and their text is kept here.',
        tags: ['agency'],
        response: { 200: OutboxResponse, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const rows = await request.tenantDb.emailOutbox.findMany({
        where: { agencyId: request.user!.agency.id },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: OUTBOX_PAGE_SIZE,
      })
      return { mode: app.mailer.mode, emails: rows.map((row) => toOutboxEmailDto(row, request.user!.email)) }
    },
  )
}

export default agencyRoutes
