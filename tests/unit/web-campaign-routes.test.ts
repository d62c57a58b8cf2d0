// The campaign pages' actions against a tiny real HTTP server standing in for the API: what they send, and
// how refusals come back to the page (field messages, the missing list of a refused launch).
import { describe, expect, it } from 'vitest'
import { useScriptedApi } from '../support/scripted-api'
import { action as detailAction } from '../../web/app/routes/campaign-detail.tsx'
import { action as newAction } from '../../web/app/routes/campaign-new.tsx'

const api = useScriptedApi()
const WORKSPACE = '5b1d0f4e-8c43-4a55-9a38-2f7e1c6b9d10'
const CAMPAIGN = '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a'
const CREATOR = '0f8e2b1c-3d4a-4b5c-8d6e-7f8091a2b3c4'

// The actions only read request, url and params; the rest of React Router's arguments do not matter here.
function post<Args>(path: string, fields: [string, string][], params: Record<string, string>): Args {
  const request = new Request(`http://web.test${path}`, { method: 'POST', body: new URLSearchParams(fields), headers: { cookie: 'gl_session=abc' } })
  return { request, url: new URL(request.url), params, context: {} } as unknown as Args
}
type DetailArgs = Parameters<typeof detailAction>[0]
type NewArgs = Parameters<typeof newAction>[0]
const detailPost = (fields: [string, string][]) => post<DetailArgs>(`/campaigns/${CAMPAIGN}`, [['_csrf', 'tok'], ...fields], { campaignId: CAMPAIGN })

function outcomeOf(result: unknown): { data: unknown; status: number | undefined } {
  const wrapped = result as { data?: unknown; init?: { status?: number } | null }
  return 'init' in (result as object) ? { data: wrapped.data, status: wrapped.init?.status ?? undefined } : { data: result, status: undefined }
}

const errorBody = (code: string, message: string, details?: { path: string; message: string }[]) => ({ error: { code, message, ...(details ? { details } : {}) }, requestId: 'req-1' })

const detail = (overrides: Record<string, unknown> = {}) => ({
  campaign: { id: CAMPAIGN, status: 'draft', launchedAt: null, workflowId: `campaign:${CAMPAIGN}`, ...overrides },
  deliverables: [
    { id: 'd1', creatorId: CREATOR, creatorName: 'Maya', platform: 'tiktok', kind: 'video', count: 3, cardCount: 3 },
    { id: 'd2', creatorId: null, creatorName: null, platform: 'instagram', kind: 'reel', count: 2, cardCount: 0 },
  ],
  readiness: { ready: false, missing: [], brandKitVersion: 1 },
  workflow: null,
  events: [],
  nextStatuses: [],
})

const briefFields: [string, string][] = [
  ['intent', 'save-brief'],
  ['name', 'Spring launch'],
  ['objective', 'sales'],
  ['audience', ''],
  ['platforms', 'instagram'],
  ['startsAtLocal', '2027-04-01T09:00'],
  ['endsAtLocal', '2027-04-10T18:00'],
  ['timeZone', 'Europe/Berlin'],
  ['budget', '1,500'],
  ['currency', 'EUR'],
  ['contentVolume', '12'],
  ['keyMessages', 'Fresh\nLocal'],
  ['referenceKind', 'link'],
  ['referenceUrl', ''],
  ['referenceFileId', ''],
  ['referenceNote', ''],
  ['referenceKind', 'link'],
  ['referenceUrl', 'https://example.com/a'],
  ['referenceFileId', ''],
  ['referenceNote', 'Look'],
]

describe('campaign detail action', () => {
  it('saves the brief as one PATCH with the CSRF token', async () => {
    api.queue({ status: 200, body: detail() })
    const result = outcomeOf(await detailAction(detailPost(briefFields)))
    expect(result.data).toEqual({ intent: 'done', notice: 'Brief saved.' })
    expect(api.seen).toHaveLength(1)
    expect(api.seen[0]).toMatchObject({ method: 'PATCH', url: `/api/campaigns/${CAMPAIGN}`, headers: { 'x-csrf-token': 'tok' } })
    expect(JSON.parse(api.seen[0]!.body)).toEqual({
      name: 'Spring launch',
      objective: 'sales',
      audience: '',
      platforms: ['instagram'],
      startsAtLocal: '2027-04-01T09:00',
      endsAtLocal: '2027-04-10T18:00',
      timeZone: 'Europe/Berlin',
      budgetMinor: 150_000,
      currency: 'EUR',
      contentVolume: 12,
      keyMessages: ['Fresh', 'Local'],
      references: [{ kind: 'link', url: 'https://example.com/a', note: 'Look' }],
    })
  })

  it('puts the API’s 400 details next to the fields, on the form rows they came from', async () => {
    api.queue({ status: 400, body: errorBody('VALIDATION_FAILED', 'The brief is not valid.', [{ path: '/references/0/url', message: 'is not reachable' }, { path: '/budgetMinor', message: 'is too high' }]) })
    const result = outcomeOf(await detailAction(detailPost(briefFields)))
    expect(result.status).toBe(400)
    expect(result.data).toMatchObject({ intent: 'save-brief', errors: { 'references.1.url': 'is not reachable', budget: 'is too high' }, values: { name: 'Spring launch', budget: '1,500' } })
  })

  it('checks with the domain rules before calling the API', async () => {
    const result = outcomeOf(await detailAction(detailPost(briefFields.map(([key, value]): [string, string] => (key === 'endsAtLocal' ? [key, '2027-03-01T09:00'] : [key, value])))))
    expect(result).toMatchObject({ status: 400, data: { intent: 'save-brief', errors: { endsAtLocal: 'must be after the start' } } })
    expect(api.seen).toEqual([])
  })

  it('saves deliverables and says how many cards there are', async () => {
    api.queue({ status: 200, body: detail() })
    const result = outcomeOf(
      await detailAction(
        detailPost([
          ['intent', 'save-deliverables'],
          ['deliverableId', ''], ['deliverableCreatorId', CREATOR], ['deliverableType', 'tiktok/video'], ['deliverableCount', '3'],
          ['deliverableId', ''], ['deliverableCreatorId', ''], ['deliverableType', 'instagram/reel'], ['deliverableCount', '2'],
          ['deliverableId', ''], ['deliverableCreatorId', ''], ['deliverableType', ''], ['deliverableCount', '1'],
        ]),
      ),
    )
    expect(result.data).toEqual({ intent: 'done', notice: 'Deliverables saved: 2 deliverables, 3 cards on the board.' })
    expect(api.seen[0]).toMatchObject({ method: 'PUT', url: `/api/campaigns/${CAMPAIGN}/deliverables` })
    expect(JSON.parse(api.seen[0]!.body)).toEqual({
      deliverables: [
        { creatorId: CREATOR, platform: 'tiktok', kind: 'video', count: 3 },
        { creatorId: null, platform: 'instagram', kind: 'reel', count: 2 },
      ],
    })
  })

  it('keeps the rows and says why when cards already in progress would go', async () => {
    api.queue({ status: 409, body: errorBody('DELIVERABLE_IN_USE', '2 TikTok videos already have cards past Backlog.', [{ path: '/deliverables/0/count', message: 'cannot drop below 2' }]) })
    const result = outcomeOf(
      await detailAction(detailPost([['intent', 'save-deliverables'], ['deliverableId', ''], ['deliverableCreatorId', CREATOR], ['deliverableType', 'tiktok/video'], ['deliverableCount', '1']])),
    )
    expect(result).toMatchObject({
      status: 409,
      data: { intent: 'save-deliverables', errors: { 'deliverables.0.count': 'cannot drop below 2' }, rows: [{ type: 'tiktok/video', count: '1' }] },
    })
  })

  it('shows a refused launch as the list of what is missing', async () => {
    const missing = [
      { path: '/budgetMinor', message: 'Set a budget above zero.' },
      { path: '/deliverables/1/creatorId', message: '2 Instagram reels have no creator: assign one.' },
    ]
    api.queue({ status: 409, body: errorBody('CAMPAIGN_NOT_READY', 'The brief is not ready to launch.', missing) })
    const result = outcomeOf(await detailAction(detailPost([['intent', 'status'], ['to', 'ready']])))
    expect(api.seen[0]).toMatchObject({ method: 'POST', url: `/api/campaigns/${CAMPAIGN}/status`, body: '{"to":"ready"}' })
    expect(result).toEqual({ status: 409, data: { intent: 'status', error: 'The brief is not ready to launch.', missing } })

    api.queue({ status: 200, body: detail({ status: 'active', launchedAt: '2027-04-01T07:00:00.000Z' }) })
    const launched = outcomeOf(await detailAction(detailPost([['intent', 'status'], ['to', 'active']])))
    expect(launched.data).toEqual({ intent: 'done', notice: `Running: the workflow campaign:${CAMPAIGN} follows the schedule now.` })
  })

  it('refuses a status it does not know without calling the API', async () => {
    const result = outcomeOf(await detailAction(detailPost([['intent', 'status'], ['to', 'running']])))
    expect(result).toMatchObject({ status: 400, data: { intent: 'status' } })
    expect(api.seen).toEqual([])
  })
})

describe('new campaign action', () => {
  it('creates the draft and goes to its page', async () => {
    api.queue({ status: 201, body: { campaign: { id: CAMPAIGN } } })
    const response = await newAction(post<NewArgs>('/campaigns/new', [['_csrf', 'tok'], ['workspaceId', WORKSPACE], ['templateId', 'beauty'], ['name', ''], ['timeZone', 'Europe/Paris']], {}))
    expect(response).toBeInstanceOf(Response)
    expect((response as Response).headers.get('location')).toBe(`/campaigns/${CAMPAIGN}`)
    expect(JSON.parse(api.seen[0]!.body)).toEqual({ workspaceId: WORKSPACE, templateId: 'beauty', timeZone: 'Europe/Paris' })
  })

  it('keeps the choices when the API refuses', async () => {
    api.queue({ status: 409, body: errorBody('WORKSPACE_ARCHIVED', 'Luna Coffee is archived: unarchive it first.') })
    const result = outcomeOf(await newAction(post<NewArgs>('/campaigns/new', [['_csrf', 'tok'], ['workspaceId', WORKSPACE], ['templateId', 'blank'], ['name', 'Spring']], {})))
    expect(result).toMatchObject({ status: 409, data: { values: { workspaceId: WORKSPACE, templateId: 'blank', name: 'Spring' }, errors: { form: 'Luna Coffee is archived: unarchive it first.' } } })
  })
})
