// The publishing steps' progress writes (a call about to go out, the container or publish id, the publication),
// grouped: the writes that arrive while one statement runs go together in the next, one UPDATE … FROM (VALUES …)
// per set of columns. Each caller still waits for its own write to be committed before it calls the platform,
// so nothing changes for one post; in a burst of posts due at the same second, a few statements stand for
// thousands of round trips, and the process's time goes to the publications themselves.
import { Prisma } from '../../generated/prisma/client'
import type { Database } from '../../platform/database'

/** The columns a step writes, and how PostgreSQL reads their values. */
const COLUMNS = {
  containerId: 'text',
  pendingCall: 'text',
  pendingCallAt: 'timestamp',
  status: 'text',
  platformPostId: 'text',
  permalink: 'text',
  publishedAt: 'timestamp',
  statusReason: 'text',
  failureCode: 'text',
  deferredUntil: 'timestamp',
} as const

export type ProgressColumn = keyof typeof COLUMNS
export type ProgressWrite = Partial<Record<ProgressColumn, string | Date | null>>

/** Rows per statement: well within PostgreSQL's parameter limit for every column at once. */
const MAX_ROWS = 500

interface Queued {
  postId: string
  data: ProgressWrite
  resolve: (written: boolean) => void
  reject: (error: unknown) => void
}

export interface ProgressWriter {
  /** Writes the columns given to the post's row; resolves once committed, false when the row is gone. */
  write(postId: string, data: ProgressWrite): Promise<boolean>
}

export function createProgressWriter(db: Database): ProgressWriter {
  let queue: Queued[] = []
  let flushing = false

  async function flush(): Promise<void> {
    flushing = true
    try {
      while (queue.length > 0) {
        // One write per row per statement (an UPDATE … FROM with a row twice would apply only one of them).
        const taken: Queued[] = []
        const later: Queued[] = []
        const rows = new Set<string>()
        for (const each of queue) {
          if (rows.has(each.postId) || taken.length >= MAX_ROWS) later.push(each)
          else {
            rows.add(each.postId)
            taken.push(each)
          }
        }
        queue = later
        const groups = new Map<string, Queued[]>()
        for (const each of taken) {
          const shape = columnsOf(each.data).join(',')
          groups.set(shape, [...(groups.get(shape) ?? []), each])
        }
        await Promise.all(
          [...groups.entries()].map(async ([shape, writes]) => {
            const columns = shape ? (shape.split(',') as ProgressColumn[]) : []
            try {
              const written = await writeGroup(db, columns, writes)
              for (const each of writes) each.resolve(written.has(each.postId))
            } catch (error) {
              if (writes.length === 1) {
                writes[0]!.reject(error)
                return
              }
              // One row's trouble (a lock another transaction holds, a deadlock) must not fail the others: each
              // is written on its own, and only its own failure reaches its caller.
              for (const each of writes) {
                await writeGroup(db, columns, [each]).then(
                  (written) => each.resolve(written.has(each.postId)),
                  (single: unknown) => each.reject(single),
                )
              }
            }
          }),
        )
      }
    } finally {
      flushing = false
    }
  }

  return {
    write(postId, data) {
      for (const column of columnsOf(data)) {
        const value = data[column]
        if (COLUMNS[column] === 'timestamp' && value !== null && Number.isNaN(new Date(value as string | Date).getTime())) {
          return Promise.reject(new RangeError(`${column} of scheduled post ${postId} is not a valid time: ${String(value)}`))
        }
      }
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ postId, data, resolve, reject })
        // The writes of this turn of the event loop go together; later ones wait for the next statement.
        if (!flushing) {
          flushing = true
          setImmediate(() => void flush())
        }
      })
    },
  }
}

function columnsOf(data: ProgressWrite): ProgressColumn[] {
  return (Object.keys(data) as ProgressColumn[]).filter((column) => column in COLUMNS && data[column] !== undefined).sort()
}

async function writeGroup(db: Database, columns: ProgressColumn[], writes: Queued[]): Promise<Set<string>> {
  const value = (column: ProgressColumn, raw: string | Date | null | undefined) => {
    if (COLUMNS[column] === 'timestamp') {
      // Prisma keeps DateTime as UTC in timestamp(3) columns.
      const iso = raw === null || raw === undefined ? null : raw instanceof Date ? raw.toISOString() : raw
      return Prisma.sql`(${iso}::timestamptz AT TIME ZONE 'UTC')`
    }
    return Prisma.sql`${raw ?? null}::text`
  }
  const values = Prisma.join(writes.map((each) => Prisma.sql`(${Prisma.join([Prisma.sql`${each.postId}::uuid`, ...columns.map((column) => value(column, each.data[column]))])})`))
  const names = Prisma.join([Prisma.raw('"id"'), ...columns.map((column) => Prisma.raw(`"${column}"`))])
  const sets = Prisma.join([...columns.map((column) => Prisma.raw(`"${column}" = v."${column}"`)), Prisma.raw(`"updatedAt" = (now() AT TIME ZONE 'UTC')`)])
  const updated = await db.$queryRaw<{ id: string }[]>`
    UPDATE "ScheduledPost" AS p SET ${sets}
    FROM (VALUES ${values}) AS v(${names})
    WHERE p."id" = v."id"
    RETURNING p."id"`
  return new Set(updated.map((row) => row.id))
}
