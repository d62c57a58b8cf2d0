// The agency-scoped Prisma client: every tenant model is listed, and through it another agency's rows can be
// neither read nor changed, whatever ids a caller passes.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../platform/config'
import { TENANT_MODELS, scopedToAgency } from '../../platform/tenant-scope'
import { createAgency, testDatabase } from '../support/database'

let database: Awaited<ReturnType<typeof testDatabase>>
beforeAll(async () => {
  database = await testDatabase()
})
afterAll(async () => {
  await database?.drop()
})

describe('TENANT_MODELS', () => {
  it('lists exactly the models of schema.prisma that have an agencyId column', () => {
    const schema = fs.readFileSync(path.join(projectRoot, 'prisma', 'schema.prisma'), 'utf8')
    const withAgencyId = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)]
      .filter(([, , body]) => /^\s+agencyId\s/m.test(body!))
      .map(([, name]) => name!)
    expect(withAgencyId.length).toBeGreaterThan(5)
    expect([...TENANT_MODELS].sort()).toEqual(withAgencyId.sort())
  })
})

describe('scopedToAgency', () => {
  it('finds only its own agency’s rows and cannot update or delete another’s', async () => {
    const { db } = database
    const [a, b] = await Promise.all([createAgency(db), createAgency(db)])
    const workspaceA = await db.workspace.create({ data: { agencyId: a.id, name: 'A brand', clientName: 'A client' } })
    await db.workspace.create({ data: { agencyId: b.id, name: 'B brand', clientName: 'B client' } })
    const asB = scopedToAgency(db, b.id)

    expect((await asB.workspace.findMany()).map((w) => w.name)).toEqual(['B brand'])
    expect(await asB.workspace.findUnique({ where: { id: workspaceA.id } })).toBeNull()
    expect(await asB.workspace.findFirst({ where: { id: workspaceA.id } })).toBeNull()
    expect(await asB.workspace.count({ where: { id: workspaceA.id } })).toBe(0)
    expect((await asB.workspace.updateMany({ where: { id: workspaceA.id }, data: { name: 'taken' } })).count).toBe(0)
    await expect(asB.workspace.update({ where: { id: workspaceA.id }, data: { name: 'taken' } })).rejects.toThrow()
    await expect(asB.workspace.delete({ where: { id: workspaceA.id } })).rejects.toThrow()
    expect((await asB.workspace.deleteMany({ where: { id: workspaceA.id } })).count).toBe(0)
    expect((await db.workspace.findUniqueOrThrow({ where: { id: workspaceA.id } })).name).toBe('A brand')
  })

  it('writes its own agency id on create and upsert, even when given another', async () => {
    const { db } = database
    const [a, b] = await Promise.all([createAgency(db), createAgency(db)])
    const asB = scopedToAgency(db, b.id)
    const created = await asB.workspace.create({ data: { agencyId: a.id, name: 'Smuggled', clientName: 'x' } })
    expect(created.agencyId).toBe(b.id)
    const many = await asB.creator.createManyAndReturn({ data: [{ agencyId: a.id, displayName: 'One' }, { agencyId: a.id, displayName: 'Two' }] })
    expect(many.map((c) => c.agencyId)).toEqual([b.id, b.id])
    const counter = await asB.usageCounter.upsert({
      where: { agencyId_metric_period: { agencyId: a.id, metric: 'aiGenerations', period: '2026-11' } },
      create: { agencyId: a.id, metric: 'aiGenerations', period: '2026-11', count: 1 },
      update: { count: { increment: 1 } },
    })
    expect(counter.agencyId).toBe(b.id)
    expect(await db.usageCounter.count({ where: { agencyId: a.id } })).toBe(0)
  })
})
