// A database of its own for each test file: a copy of the migrated template the global setup made.
import { randomUUID } from 'node:crypto'
import { inject } from 'vitest'
import { createDatabase, type Database } from '../../platform/database'
import { createTestDatabase } from './postgres'

export async function testDatabase(): Promise<{ url: string; db: Database; drop(): Promise<void> }> {
  const created = await createTestDatabase(inject('pgAdminUrl'), inject('pgTemplateDb'))
  const db = createDatabase(created.url, { poolSize: 4 })
  return {
    url: created.url,
    db,
    async drop() {
      await db.$disconnect()
      await created.drop()
    },
  }
}

export async function createAgency(db: Database, name = `Agency ${randomUUID().slice(0, 8)}`) {
  return db.agency.create({ data: { name, slug: `agency-${randomUUID()}` } })
}

/** A client workspace of the agency (campaigns belong to one). */
export async function createWorkspace(db: Database, agencyId: string, name = `Workspace ${randomUUID().slice(0, 8)}`) {
  return db.workspace.create({ data: { agencyId, name, clientName: name } })
}
