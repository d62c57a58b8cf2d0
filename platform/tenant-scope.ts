// Agency isolation in the data layer. `scopedToAgency(db, agencyId)` is a Prisma client whose every query on a
// tenant model carries `agencyId` in its filter (reads, updates, deletes, counts) and in its data (creates,
// upserts), so a row of another agency can neither be read nor changed through it: it simply is not found.
// The API gives each signed-in request such a client (request.tenantDb); services use it for tenant data.
import type { Prisma } from '../generated/prisma/client'
import type { Database } from './database'

/** Every model with an agencyId column. A new tenant model must be added here (tests/unit/tenant-scope checks). */
export const TENANT_MODELS = new Set([
  'User',
  'Campaign',
  'Invite',
  'Workspace',
  'BrandKitVersion',
  'StoredFile',
  'Creator',
  'SocialAccount',
  'OAuthState',
  'AuditEvent',
  'EmailOutbox',
  'Notification',
  'UsageCounter',
  'CampaignDeliverable',
  'ContentTask',
  'CaptionVersion',
  'CardComment',
  'CardActivity',
  'CardAsset',
  'AgencyAiSettings',
  'AiBatch',
  'AiBatchItem',
  'AiVariant',
  'ApprovalRound',
  'ReviewLink',
  'ScheduledPost',
  'PostMetricSnapshot',
])

const FILTERED = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
])

type Args = Record<string, unknown> & { where?: object; data?: unknown; create?: object }

export function scopedToAgency(db: Database, agencyId: string) {
  return db.$extends({
    name: 'agency-scope',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          if (!TENANT_MODELS.has(model)) return query(args)
          const scoped = { ...(args as Args) }
          if (FILTERED.has(operation)) {
            scoped.where = { ...scoped.where, agencyId }
          } else if (operation === 'create') {
            scoped.data = { ...(scoped.data as object), agencyId }
          } else if (operation === 'createMany' || operation === 'createManyAndReturn') {
            const data = scoped.data as object | object[]
            scoped.data = Array.isArray(data) ? data.map((row) => ({ ...row, agencyId })) : { ...data, agencyId }
          } else if (operation === 'upsert') {
            scoped.where = { ...scoped.where, agencyId }
            scoped.create = { ...scoped.create, agencyId }
          } else {
            throw new Error(`${model}.${operation} is not supported on an agency-scoped client`)
          }
          return query(scoped as typeof args)
        },
      },
    },
  })
}

export type TenantDatabase = ReturnType<typeof scopedToAgency>

/**
 * Agency-scoped clients for a process that serves many agencies: building one is cheap, but not free on every
 * request, so the `size` most recently built are kept (oldest dropped first).
 */
export function tenantClients(db: Database, size: number): (agencyId: string) => TenantDatabase {
  const scoped = new Map<string, TenantDatabase>()
  return (agencyId) => {
    let client = scoped.get(agencyId)
    if (!client) {
      if (scoped.size >= size) scoped.delete(scoped.keys().next().value!)
      client = scopedToAgency(db, agencyId)
      scoped.set(agencyId, client)
    }
    return client
  }
}

/** The transaction client of a scoped `$transaction(async (tx) => …)`: scoped like its parent. */
export type TenantTransaction = Parameters<Parameters<TenantDatabase['$transaction']>[0]>[0]

/**
 * A scoped transaction, for helpers typed with Prisma's plain TransactionClient (services/usage.ts, audit.ts):
 * the same connection and transaction, still scoped. Those helpers filter by agencyId themselves; the scope
 * adds the same id, so the cast changes nothing at run time.
 */
export const asTransactionClient = (tx: TenantTransaction) => tx as unknown as Prisma.TransactionClient
