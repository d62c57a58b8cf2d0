// Campaign fixtures through the API, as a campaign manager would build them: a workspace (with its starter
// brand kit), a creator with a connected account, a brief with dates and budget, deliverables assigned.
import { randomUUID } from 'node:crypto'
import type { ApiHarness, TestMember } from './api'

export const json = (who: { headers: Record<string, string> }, payload?: unknown) => ({
  headers: { ...who.headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
  ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
})

/** "2026-11-23T09:00" in UTC, `days` from now. */
export function localInDays(days: number, hour = 9): string {
  const at = new Date(Date.now() + days * 86_400_000)
  return `${at.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00`
}

export async function apiOk<T = Record<string, unknown>>(h: ApiHarness, who: TestMember, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown): Promise<T> {
  const res = await h.app.inject({ method, url, ...json(who, payload) })
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode}: ${res.body}`)
  return res.json() as T
}

export interface CampaignFixture {
  workspaceId: string
  creatorId: string
  accountId: string
  campaignId: string
}

/** A workspace, a creator with an active Instagram account, and a draft brief that passes its readiness check once deliverables are saved. */
export async function briefFixture(h: ApiHarness, owner: TestMember, options: { deliverables?: number } = {}): Promise<CampaignFixture> {
  const suffix = randomUUID().slice(0, 8)
  const { workspace } = await apiOk<{ workspace: { id: string } }>(h, owner, 'POST', '/api/workspaces', { name: `Client ${suffix}`, clientName: `Client ${suffix}` })
  const creator = await h.db.creator.create({ data: { agencyId: owner.agencyId, displayName: `Creator ${suffix}` } })
  const account = await h.db.socialAccount.create({
    data: { agencyId: owner.agencyId, creatorId: creator.id, platform: 'instagram', handle: `@creator_${suffix}`, externalId: randomUUID(), status: 'active', sandbox: true },
  })
  const { campaign } = await apiOk<{ campaign: { id: string } }>(h, owner, 'POST', '/api/campaigns', {
    workspaceId: workspace.id,
    name: `Campaign ${suffix}`,
    objective: 'engagement',
    platforms: ['instagram'],
    startsAtLocal: localInDays(1),
    endsAtLocal: localInDays(8),
    timeZone: 'Europe/Berlin',
    budgetMinor: 250_000,
    currency: 'EUR',
  })
  if (options.deliverables !== 0) {
    await apiOk(h, owner, 'PUT', `/api/campaigns/${campaign.id}/deliverables`, {
      deliverables: [{ creatorId: creator.id, platform: 'instagram', kind: 'reel', count: options.deliverables ?? 3 }],
    })
  }
  return { workspaceId: workspace.id, creatorId: creator.id, accountId: account.id, campaignId: campaign.id }
}
