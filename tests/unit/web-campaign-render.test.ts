// @vitest-environment happy-dom
// The campaign page and the asset library as they render: on the server (everything a plain form post needs,
// read-only for roles without campaign.write) and live in the browser (rows added and removed, one upload
// request per file with its own answer).
import { act, createElement } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { createRoutesStub } from 'react-router'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Asset } from '../../api/schemas/asset.ts'
import type { Campaign } from '../../api/schemas/campaign.ts'
import { AssetDropzone } from '../../web/app/components/asset-dropzone.tsx'
import { DeliverablesEditor } from '../../web/app/components/deliverables-editor.tsx'
import type { CampaignDetail } from '../../web/app/lib/api.server.ts'
import CampaignDetailPage from '../../web/app/routes/campaign-detail.tsx'
import WorkspaceAssets from '../../web/app/routes/workspace-assets.tsx'

const WORKSPACE = '5b1d0f4e-8c43-4a55-9a38-2f7e1c6b9d10'
const CAMPAIGN = '7d6c5b4a-3f2e-4d1c-8b0a-9f8e7d6c5b4a'
const CREATOR = '0f8e2b1c-3d4a-4b5c-8d6e-7f8091a2b3c4'
const FILE = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'
const writer = { permissions: ['campaign.read', 'campaign.write', 'asset.read', 'asset.upload'], csrfToken: 'csrf-1' }
const reader = { permissions: ['campaign.read', 'asset.read'], csrfToken: 'csrf-2' }

const campaign: Campaign = {
  id: CAMPAIGN,
  workspaceId: WORKSPACE,
  workspaceName: 'Luna Coffee',
  name: 'Serum launch',
  status: 'draft',
  objective: 'awareness',
  audience: 'Skincare-curious people',
  platforms: ['tiktok', 'instagram'],
  startsAtLocal: null,
  endsAtLocal: null,
  timeZone: 'Europe/Berlin',
  startsAt: null,
  endsAt: null,
  budgetMinor: 0,
  currency: 'EUR',
  contentVolume: 10,
  keyMessages: ['Fragrance-free'],
  references: [{ kind: 'upload', fileId: FILE, note: 'Texture' }],
  templateId: 'beauty',
  stage: null,
  brandKitVersion: null,
  launchedAt: null,
  workflowId: `campaign:${CAMPAIGN}`,
  temporalWebUrl: null,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
}

const detail: CampaignDetail = {
  campaign,
  deliverables: [
    { id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', creatorId: CREATOR, creatorName: 'Maya Chen', platform: 'tiktok', kind: 'video', count: 3, cardCount: 3 },
    { id: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e', creatorId: null, creatorName: null, platform: 'instagram', kind: 'reel', count: 2, cardCount: 0 },
  ],
  readiness: {
    ready: false,
    brandKitVersion: 1,
    missing: [
      { code: 'BUDGET_MISSING', path: '/budgetMinor', message: 'Set a budget above zero.' },
      { code: 'DELIVERABLE_UNASSIGNED', path: '/deliverables/1/creatorId', message: '2 Instagram reels have no creator: assign one.' },
      { code: 'ACCOUNT_MISSING', path: '/platforms/0', platform: 'tiktok', message: 'No TikTok account is connected: connect one to publish there.' },
    ],
  },
  workflow: null,
  events: [],
  nextStatuses: [
    { to: 'ready', label: 'Mark ready' },
    { to: 'archived', label: 'Archive' },
  ],
}

const loaderData = {
  ...detail,
  creators: [{ id: CREATOR, name: 'Maya Chen' }],
  assets: [{ id: FILE, name: 'texture.jpg', kind: 'image' as const, hasThumbnail: true }],
  timeZones: ['UTC', 'Europe/Berlin'],
  fetchedAt: '2026-11-22T10:00:00.000Z',
  ai: { batches: [], settings: null, providers: null, agencyChain: null },
}

function renderDetail(user: typeof writer) {
  const Stub = createRoutesStub([
    {
      id: 'routes/signed-in',
      path: '/',
      loader: () => ({ user }),
      children: [{ path: 'campaigns/:campaignId', Component: () => createElement(CampaignDetailPage, { loaderData, actionData: undefined } as never) }],
    },
  ])
  return text(renderToString(createElement(Stub, { initialEntries: [`/campaigns/${CAMPAIGN}`], hydrationData: { loaderData: { 'routes/signed-in': { user } } } })))
}

/** Server HTML without React's markers between adjacent text nodes, so sentences can be matched whole. */
const text = (html: string) => html.replaceAll('<!-- -->', '')

describe('the campaign page without JavaScript', () => {
  it('renders the brief and deliverables as plain forms, with spare rows and readiness links', () => {
    const html = renderDetail(writer)
    expect(html).toContain('data-testid="brief-editor"')
    expect(html.match(/name="_csrf" value="csrf-1"/g)!.length).toBeGreaterThanOrEqual(3)
    expect(html).toContain('name="intent" value="save-brief"')
    expect(html).toContain('name="intent" value="save-deliverables"')
    // The saved reference and two spare rows, each with all four fields.
    expect(html.match(/name="referenceKind"/g)).toHaveLength(3)
    expect(html.match(/name="referenceFileId"/g)).toHaveLength(3)
    expect(html).toContain(`<option value="${FILE}" selected="">texture.jpg (image)</option>`)
    // Two saved deliverables and two spare rows; "Remove" checkboxes for the saved ones only.
    expect(html.match(/data-testid="deliverable-row"/g)).toHaveLength(4)
    expect(html.match(/name="deliverableRemove"/g)).toHaveLength(2)
    expect(html).toContain('<option value="tiktok/video" selected="">TikTok video</option>')
    // Only the brief's platforms are offered (no Facebook formats).
    expect(html).not.toContain('value="facebook/post"')
    expect(html).toContain('data-cards="3"')
    // Each missing item links to its fix.
    expect(html).toContain('href="#brief-budget"')
    expect(html).toContain('id="brief-budget"')
    expect(html).toContain('href="#deliverable-1"')
    expect(html).toContain('id="deliverable-1"')
    expect(html).toContain('href="/creators"')
    expect(html).toMatch(/<button type="submit"[^>]*value="ready"[^>]*data-testid="status-ready"[^>]*>Mark ready</)
    // Nothing that needs JavaScript, and no workflow before launch.
    expect(html).not.toContain('data-testid="add-deliverable"')
    expect(html).not.toContain('data-testid="temporal-web-link"')
  })

  it('is read-only for a role without campaign.write', () => {
    const html = renderDetail(reader)
    expect(html).toContain('data-testid="brief-summary"')
    expect(html).toContain('data-testid="deliverables-summary"')
    expect(html).toContain('Your role can read the brief but not change it.')
    expect(html).not.toContain('data-testid="brief-editor"')
    expect(html).not.toContain('name="intent"')
    expect(html).not.toContain('data-testid="status-actions"')
    expect(html).toContain('texture.jpg')
  })
})

describe('the asset library without JavaScript', () => {
  it('offers a plain multipart form with the CSRF token first, and the grid', () => {
    const asset: Asset = {
      id: FILE,
      workspaceId: WORKSPACE,
      name: 'launch.mp4',
      kind: 'video',
      mimeType: 'video/mp4',
      byteSize: 3 * 1024 * 1024,
      sha256: 'a'.repeat(64),
      width: 1080,
      height: 1920,
      durationMs: 14_200,
      hasThumbnail: false,
      createdAt: '2026-11-22T10:00:00.000Z',
      createdById: null,
      contentUrl: `/api/assets/${FILE}/content`,
      thumbnailUrl: null,
    }
    const data = {
      workspace: { id: WORKSPACE, name: 'Luna Coffee', clientName: 'Luna Coffee Roasters', description: '', archivedAt: null, createdAt: '', updatedAt: '' },
      assets: [asset],
      nextCursor: null,
      kind: '',
      paged: false,
      limits: { maxFiles: 20, maxFileBytes: 50 * 1024 * 1024 },
    }
    const Stub = createRoutesStub([
      {
        id: 'routes/signed-in',
        path: '/',
        loader: () => ({ user: writer }),
        children: [{ path: 'workspaces/:workspaceId/assets', Component: () => createElement(WorkspaceAssets, { loaderData: data, actionData: undefined } as never) }],
      },
    ])
    const html = text(renderToString(createElement(Stub, { initialEntries: [`/workspaces/${WORKSPACE}/assets`], hydrationData: { loaderData: { 'routes/signed-in': { user: writer } } } })))
    const form = /<form[^>]*data-testid="asset-upload-form"[^>]*>([\s\S]*?)<\/form>/.exec(html)
    expect(form?.[0]).toMatch(/enctype="multipart\/form-data"/i)
    // The token is the form's first field: the web server reads it off the front of the stream.
    expect(form?.[1]).toMatch(/^<input type="hidden" name="_csrf" value="csrf-1"\/>/)
    expect(form?.[1]).toMatch(/<input type="file"[^>]*name="files"/)
    expect(form?.[1]).toMatch(/<input type="file"[^>]*multiple=""/)
    expect(form?.[1]).toContain('data-testid="asset-upload-submit"')
    expect(html).toContain('up to 20 files at a time, 50 MB each')
    expect(html).toContain('Video · 0:14')
    expect(html).toContain('3 MB · 1080 × 1920')
    expect(html).toContain(`href="/assets/${FILE}/content"`)
  })
})

describe('live in the browser', () => {
  let root: Root | undefined
  beforeAll(() => {
    ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
  })
  afterEach(() => {
    act(() => root?.unmount())
    document.body.innerHTML = ''
  })

  async function mount(element: () => ReturnType<typeof createElement>, action?: (args: { request: Request }) => Promise<unknown>) {
    const Stub = createRoutesStub([
      {
        id: 'routes/signed-in',
        path: '/',
        loader: () => ({ user: writer }),
        HydrateFallback: () => null,
        children: [{ path: 'page', Component: element, ...(action ? { action } : {}) }],
      },
    ])
    const container = document.createElement('div')
    document.body.append(container)
    root = createRoot(container)
    await act(async () => root!.render(createElement(Stub, { initialEntries: ['/page'] })))
    return container
  }

  const all = (container: Element, testId: string) => [...container.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)]
  const click = (element: Element) => act(async () => element.dispatchEvent(new MouseEvent('click', { bubbles: true })))

  it('adds and removes deliverable rows with buttons', async () => {
    const container = await mount(() => createElement(DeliverablesEditor, { campaignId: CAMPAIGN, deliverables: detail.deliverables, creators: [{ id: CREATOR, name: 'Maya Chen' }], platforms: ['tiktok', 'instagram'] }))
    // Once hydrated, no spare rows: the saved ones, and a button to add one.
    expect(all(container, 'deliverable-row')).toHaveLength(2)
    await click(all(container, 'add-deliverable')[0]!)
    expect(all(container, 'deliverable-row')).toHaveLength(3)
    await click(container.querySelector('[data-testid="remove-deliverable-0"]')!)
    const rows = all(container, 'deliverable-row')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.getAttribute('data-deliverable-id')).toBe(detail.deliverables[1]!.id)
    expect(container.querySelector('input[name="deliverableRemove"]')).toBeNull()
  })

  it('sends each dropped file in a request of its own and shows each answer', async () => {
    const seen: { csrf: FormDataEntryValue | null; names: string[] }[] = []
    const action = async ({ request }: { request: Request }) => {
      const form = await request.formData()
      const files = form.getAll('files') as File[]
      seen.push({ csrf: form.get('_csrf'), names: files.map((file) => file.name) })
      const name = files[0]!.name
      if (name.endsWith('.pdf')) return { intent: 'upload', error: { status: 415, code: 'UNSUPPORTED_FILE_TYPE', message: `“${name}”: is a PDF. Nothing was uploaded.` } }
      const asset = { id: FILE, name: name === 'again.png' ? 'first.png' : name, kind: 'image', width: 40, height: 30, durationMs: null }
      return { intent: 'upload', uploaded: [{ asset, duplicate: name === 'again.png' }] }
    }
    const container = await mount(() => createElement(AssetDropzone, { limits: { maxFiles: 5, maxFileBytes: 1024 } }), action)

    const input = container.querySelector<HTMLInputElement>('[data-testid="asset-file-input"]')!
    const files = [new File(['png'], 'first.png'), new File(['%PDF'], 'brief.pdf'), new File(['png'], 'again.png'), new File([], 'empty.png')]
    Object.defineProperty(input, 'files', { configurable: true, value: files })
    await act(async () => input.dispatchEvent(new Event('change', { bubbles: true })))

    const stateOf = (file: string) => container.querySelector(`[data-testid="asset-upload-row"][data-file="${file}"]`)?.getAttribute('data-state')
    await expect.poll(() => [stateOf('first.png'), stateOf('brief.pdf'), stateOf('again.png')], { timeout: 5_000 }).toEqual(['stored', 'refused', 'duplicate'])
    expect(seen.map((request) => request.names)).toEqual([['first.png'], ['brief.pdf'], ['again.png']])
    expect(seen.every((request) => request.csrf === 'csrf-1')).toBe(true)
    expect(container.querySelector('[data-file="brief.pdf"]')!.textContent).toContain('415 · “brief.pdf”: is a PDF.')
    expect(container.querySelector('[data-file="again.png"]')!.textContent).toContain('Duplicate of “first.png”')
    // The empty file never left the browser.
    expect(stateOf('empty.png')).toBeUndefined()
    expect(all(container, 'asset-upload-refusals')[0]!.textContent).toContain('“empty.png” is empty')
  })
})
