import { data, Link, redirect } from 'react-router'
import type { Route } from './+types/workspace-assets'
import type { Asset, AssetListResponse } from '../../../api/schemas/asset.ts'
import type { WorkspaceWithKit } from '../../../api/schemas/workspace.ts'
import { AssetDropzone, type AssetUploadOutcome } from '~/components/asset-dropzone'
import { AssetGrid } from '~/components/asset-grid'
import { ErrorPanel } from '~/components/error-panel'
import { FormError } from '~/components/form-error'
import { ApiError, notThereAs } from '~/lib/api.server'
import { multipartBoundary, takeLeadingField } from '~/lib/multipart-upload.server'
import { CSRF_FIELD } from '~/lib/csrf'
import { useCan } from '~/lib/permissions'
import { callApiAsUser, type RequestArgs } from '~/lib/session.server'

const PAGE_SIZE = 48
const KIND_FILTERS = [
  { kind: '', label: 'All' },
  { kind: 'image', label: 'Images' },
  { kind: 'video', label: 'Videos' },
] as const

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData ? `Assets · ${loaderData.workspace.name} · Greenlight` : 'Assets · Greenlight' }]

const notThere = notThereAs('workspace')

export async function loader({ request, url, params }: Route.LoaderArgs) {
  const args = { request, url }
  const base = `/api/workspaces/${encodeURIComponent(params.workspaceId)}`
  const kind = url.searchParams.get('kind') === 'image' || url.searchParams.get('kind') === 'video' ? (url.searchParams.get('kind') as 'image' | 'video') : ''
  const cursor = url.searchParams.get('cursor')?.slice(0, 200) ?? ''
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) })
  if (kind) query.set('kind', kind)
  if (cursor) query.set('cursor', cursor)
  const [detail, list] = await Promise.all([
    callApiAsUser<WorkspaceWithKit>(args, base),
    callApiAsUser<{ assets: Asset[]; nextCursor: string | null; limits: AssetListResponse['limits'] }>(args, `${base}/assets?${query}`),
  ]).catch((error: unknown) => {
    // A stale cursor (the list changed under it) starts again from the newest.
    if (error instanceof ApiError && error.code === 'CURSOR_INVALID') throw redirect(kind ? `${url.pathname}?kind=${kind}` : url.pathname)
    return notThere(error)
  })
  return { workspace: detail.data.workspace, assets: list.data.assets, nextCursor: list.data.nextCursor, kind, paged: cursor !== '', limits: list.data.limits }
}

type DeleteOutcome = { intent: 'deleted'; notice: string } | { intent: 'delete'; assetId: string; error: string }
type AssetsActionResult = AssetUploadOutcome | DeleteOutcome

/**
 * The browser's multipart body goes on to the API as it arrives (never held here): only its first field, the
 * CSRF token, is read off the front and sent as the header the API wants.
 */
async function uploadAssets(args: RequestArgs, path: string, boundary: string) {
  const refused = (status: number, code: string, message: string) => data<AssetsActionResult>({ intent: 'upload', error: { status, code, message } }, { status })
  const contentType = args.request.headers.get('content-type') ?? ''
  if (!args.request.body) return refused(400, 'NO_FILES', 'The upload has no files: choose at least one image or video.')
  const leading = await takeLeadingField(args.request.body, boundary, CSRF_FIELD)
  if (!leading) return refused(400, 'UPLOAD_FORM_OUTDATED', 'The upload form is out of date: reload the page and upload again.')
  try {
    const { data: result } = await callApiAsUser<{ assets: { asset: Asset; duplicate: boolean }[] }>(args, path, {
      method: 'POST',
      raw: { contentType, body: leading.rest, streamed: true },
      csrf: leading.value,
    })
    return data<AssetsActionResult>({ intent: 'upload', uploaded: result.assets })
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    // 415, 413, 400 (and 409 for an archived workspace): the API's sentence names the file.
    return refused(error.status, error.code, error.message)
  }
}

export async function action({ request, url, params }: Route.ActionArgs) {
  const args = { request, url }
  const boundary = multipartBoundary(request.headers.get('content-type'))
  if (boundary) return uploadAssets(args, `/api/workspaces/${encodeURIComponent(params.workspaceId)}/assets`, boundary)

  const formData = await request.formData()
  if (formData.get('intent') !== 'delete') return data<AssetsActionResult>({ intent: 'delete', assetId: '', error: 'Unknown action.' }, { status: 400 })
  const assetId = String(formData.get('assetId') ?? '')
  const name = String(formData.get('name') ?? '') || 'The asset'
  try {
    await callApiAsUser(args, `/api/assets/${encodeURIComponent(assetId)}`, { method: 'DELETE', csrf: formData.get(CSRF_FIELD) })
    return data<AssetsActionResult>({ intent: 'deleted', notice: `Deleted “${name}”.` })
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500) throw error
    // ASSET_IN_USE says which cards or brand-kit versions use it; shown on the asset's card.
    return data<AssetsActionResult>({ intent: 'delete', assetId, error: error.message }, { status: error.status })
  }
}

/** The result of an upload without JavaScript (all files in one request): what was stored, or why nothing was. */
function UploadResult({ outcome }: { outcome: AssetUploadOutcome }) {
  if ('error' in outcome) {
    return (
      <div data-testid="asset-upload-result" data-code={outcome.error.code}>
        <FormError message={`${outcome.error.status} · ${outcome.error.message}`} />
      </div>
    )
  }
  const duplicates = outcome.uploaded.filter((entry) => entry.duplicate)
  const stored = outcome.uploaded.length - duplicates.length
  return (
    <div role="status" className="space-y-1 rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="asset-upload-result">
      <p>{stored === 1 ? 'Stored 1 new file.' : `Stored ${stored} new files.`}</p>
      {duplicates.map(({ asset }) => (
        <p key={asset.id} className="text-amber-800" data-testid="asset-upload-duplicate">
          Duplicate of “{asset.name}”, already in the library: nothing new was stored.
        </p>
      ))}
    </div>
  )
}

export default function WorkspaceAssets({ loaderData, actionData }: Route.ComponentProps) {
  const { workspace, assets, nextCursor, kind, paged, limits } = loaderData
  const result = actionData as AssetsActionResult | undefined
  const canUpload = useCan('asset.upload')
  const canGenerate = useCan('ai.generate')
  const archived = workspace.archivedAt !== null
  const here = `/workspaces/${workspace.id}/assets`

  return (
    <div className="space-y-6">
      <Link to={`/workspaces/${workspace.id}`} className="text-sm font-medium text-slate-500 hover:text-slate-700">
        ← {workspace.name}
      </Link>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Asset library</h1>
          <p className="mt-1 text-sm text-slate-500">
            Images and videos of {workspace.clientName}: moodboards for briefs, material for drafts. A file already in the library is recognised and not
            stored twice.
          </p>
        </div>
        <nav className="flex gap-4 text-sm font-semibold" aria-label="Workspace">
          {canGenerate && !archived && assets.length > 0 && (
            <Link to={`/workspaces/${workspace.id}/generate`} className="text-emerald-700 hover:text-emerald-600" data-testid="assets-generate-link">
              Generate captions →
            </Link>
          )}
          <Link to={`/workspaces/${workspace.id}/board`} className="text-emerald-700 hover:text-emerald-600">
            Workspace board →
          </Link>
        </nav>
      </header>

      {canUpload &&
        (archived ? (
          <p className="rounded-lg bg-white p-5 text-sm text-slate-600 shadow-sm ring-1 ring-slate-200">This workspace is archived: unarchive it to upload.</p>
        ) : (
          <AssetDropzone limits={limits} />
        ))}
      {result?.intent === 'upload' && <UploadResult outcome={result} />}
      {result?.intent === 'deleted' && (
        <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="asset-notice">
          {result.notice}
        </p>
      )}
      {result?.intent === 'delete' && !result.assetId && <FormError message={result.error} />}

      <nav className="flex gap-2" aria-label="Kind" data-testid="asset-kind-filter">
        {KIND_FILTERS.map((filter) => (
          <Link
            key={filter.kind}
            to={filter.kind ? `${here}?kind=${filter.kind}` : here}
            aria-current={kind === filter.kind ? 'page' : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${kind === filter.kind ? 'bg-emerald-600 text-white' : 'bg-white text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50'}`}
          >
            {filter.label}
          </Link>
        ))}
      </nav>

      <AssetGrid
        assets={assets}
        canDelete={canUpload && !archived}
        filtered={kind !== ''}
        deleteRefusal={result?.intent === 'delete' && result.assetId ? { assetId: result.assetId, message: result.error } : undefined}
      />

      {(nextCursor || paged) && (
        <nav className="flex justify-between text-sm font-semibold" aria-label="Pages">
          {paged ? (
            <Link to={kind ? `${here}?kind=${kind}` : here} className="text-emerald-700 hover:text-emerald-600">
              ← Newest
            </Link>
          ) : (
            <span />
          )}
          {nextCursor && (
            <Link to={`${here}?${new URLSearchParams({ ...(kind ? { kind } : {}), cursor: nextCursor })}`} className="text-emerald-700 hover:text-emerald-600" data-testid="asset-next-page">
              Older →
            </Link>
          )}
        </nav>
      )}
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorPanel error={error} />
}
