// The sweep that gives every active account with an expiring token its token-refresh workflow, once.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMissingTokenRefreshWorkflows } from '../../api/services/social-accounts'
import { tokenRefreshWorkflowId } from '../../workflows/token-refresh/definitions'
import { startApiHarness, type ApiHarness } from '../support/api'

let h: ApiHarness
beforeAll(async () => {
  h = await startApiHarness()
})
afterAll(async () => {
  await h?.stop()
})

describe('startMissingTokenRefreshWorkflows', () => {
  it('starts the missing workflow once, again after it ended, and never for a disconnected account', async () => {
    const owner = await h.newTenant()
    const creator = await h.db.creator.create({ data: { agencyId: owner.agencyId, displayName: 'Sweep Sam' } })
    const account = (status: string) =>
      h.db.socialAccount.create({
        data: { agencyId: owner.agencyId, creatorId: creator.id, platform: 'tiktok', handle: `sam_${status}`, externalId: randomUUID(), status, tokenExpiresAt: new Date(Date.now() + 86_400_000) },
      })
    const [active, disconnected] = [await account('active'), await account('disconnected')]
    const deps = { db: h.db, temporal: h.env.client, settings: h.app.settings }

    const first = await startMissingTokenRefreshWorkflows(deps)
    expect(first).toContain(active.id)
    expect(first).not.toContain(disconnected.id)
    expect(await startMissingTokenRefreshWorkflows(deps)).not.toContain(active.id)

    await h.env.client.workflow.getHandle(tokenRefreshWorkflowId(active.id)).terminate('lost')
    expect(await startMissingTokenRefreshWorkflows(deps)).toContain(active.id)
    const description = await h.env.client.workflow.getHandle(tokenRefreshWorkflowId(active.id)).describe()
    expect(description.status.name).toBe('RUNNING')
    await h.env.client.workflow.getHandle(tokenRefreshWorkflowId(active.id)).terminate('test over')
  })
})
