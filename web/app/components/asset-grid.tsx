import { Form, useNavigation } from 'react-router'
import type { Asset } from '../../../api/schemas/asset.ts'
import { assetFileUrl, formatBytes, formatDimensions, formatDuration } from './asset-format'
import { Badge } from './badge'
import { CsrfField } from './csrf-field'
import { LocalTime } from './local-time'

interface AssetGridProps {
  assets: Asset[]
  canDelete: boolean
  /** The asset a delete was refused for (409 ASSET_IN_USE), with the API's sentence. */
  deleteRefusal?: { assetId: string; message: string } | undefined
  filtered: boolean
}

/** The library as cards: image thumbnails, or a video tile with its length and size. */
export function AssetGrid({ assets, canDelete, deleteRefusal, filtered }: AssetGridProps) {
  const navigation = useNavigation()
  const deleting = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'delete' ? String(navigation.formData.get('assetId')) : null
  if (assets.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-500" data-testid="no-assets">
        {filtered ? 'No assets of this kind yet.' : 'No assets yet: upload the first images and videos above.'}
      </p>
    )
  }
  return (
    <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4" data-testid="asset-grid">
      {assets.map((asset) => {
        const dimensions = formatDimensions(asset.width, asset.height)
        const refusal = deleteRefusal?.assetId === asset.id ? deleteRefusal.message : undefined
        return (
          <li key={asset.id} className="flex flex-col overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="asset-card" data-asset-id={asset.id} data-kind={asset.kind}>
            <a href={assetFileUrl(asset.id, 'content')} target="_blank" rel="noreferrer" className="relative block aspect-square bg-slate-100">
              {asset.kind === 'image' && asset.hasThumbnail ? (
                <img src={assetFileUrl(asset.id, 'thumbnail')} alt={asset.name} loading="lazy" className="size-full object-cover" data-testid="asset-thumbnail" />
              ) : (
                <span className="flex size-full flex-col items-center justify-center gap-1 bg-slate-800 text-slate-100">
                  <span aria-hidden className="text-2xl">{asset.kind === 'video' ? '▶' : '▣'}</span>
                  {asset.durationMs !== null && <span className="text-sm tabular-nums">{formatDuration(asset.durationMs)}</span>}
                </span>
              )}
              <span className="absolute top-2 left-2">
                <Badge tone={asset.kind === 'video' ? 'sky' : 'slate'} data-testid="asset-kind">
                  {asset.kind === 'video' ? `Video${asset.durationMs !== null ? ` · ${formatDuration(asset.durationMs)}` : ''}` : 'Image'}
                </Badge>
              </span>
            </a>
            <div className="flex flex-1 flex-col gap-1 p-3 text-sm">
              <span className="truncate font-medium text-slate-900" title={asset.name} data-testid="asset-name">
                {asset.name}
              </span>
              <span className="text-xs text-slate-500">
                {[formatBytes(asset.byteSize), dimensions].filter(Boolean).join(' · ')}
              </span>
              <span className="text-xs text-slate-500">
                <LocalTime iso={asset.createdAt} />
              </span>
              {canDelete && (
                <Form method="post" className="mt-auto pt-2">
                  <CsrfField />
                  <input type="hidden" name="intent" value="delete" />
                  <input type="hidden" name="assetId" value={asset.id} />
                  <input type="hidden" name="name" value={asset.name} />
                  <button
                    type="submit"
                    disabled={deleting === asset.id}
                    className="text-xs font-semibold text-red-700 hover:text-red-600 disabled:opacity-60"
                    data-testid="asset-delete"
                  >
                    {deleting === asset.id ? 'Deleting…' : 'Delete'}
                  </button>
                </Form>
              )}
              {refusal && (
                <p role="alert" className="text-xs text-red-700" data-testid="asset-delete-error">
                  {refusal}
                </p>
              )}
            </div>
          </li>
        )
      })}
    </ul>
  )
}
