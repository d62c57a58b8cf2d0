// The workspace library as a grid of thumbnails with a checkbox each: the assets a batch writes captions for.
// At most BATCH_ASSET_LIMIT; once that many are picked the others cannot be, and the count says why.
import type { Asset } from '../../../../api/schemas/asset.ts'
import { BATCH_ASSET_LIMIT } from '../../../../domain/ai-content.ts'
import { assetFileUrl, formatDuration } from '../asset-format'

interface AssetPickerProps {
  assets: Asset[]
  picked: readonly string[]
  onToggle: (assetId: string, picked: boolean) => void
  error?: string | undefined
  /** More assets exist than are shown. */
  truncated: boolean
}

export function AssetPicker({ assets, picked, onToggle, error, truncated }: AssetPickerProps) {
  const full = picked.length >= BATCH_ASSET_LIMIT
  return (
    <fieldset className="space-y-3" data-testid="asset-picker">
      <legend className="flex w-full flex-wrap items-baseline justify-between gap-2">
        <span className="text-base font-semibold text-slate-900">Assets</span>
        <span className={`text-sm ${full ? 'font-medium text-amber-700' : 'text-slate-600'}`} aria-live="polite" data-testid="asset-picked-count">
          {picked.length} of at most {BATCH_ASSET_LIMIT} picked{full ? ': that is as many as one batch takes' : ''}
        </span>
      </legend>
      {error && (
        <p className="text-sm text-red-600" data-testid="assetIds-error">
          {error}
        </p>
      )}
      {assets.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-8 text-center text-sm text-slate-500" data-testid="no-assets">
          The library is empty: upload images or videos first.
        </p>
      ) : (
        <ul className="grid grid-cols-3 gap-3 sm:grid-cols-4 lg:grid-cols-6">
          {assets.map((asset) => {
            const checked = picked.includes(asset.id)
            return (
              <li key={asset.id}>
                <label
                  className={`group relative block cursor-pointer overflow-hidden rounded-lg bg-white shadow-sm ring-inset has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-emerald-600 ${checked ? 'ring-2 ring-emerald-500' : 'ring-1 ring-slate-200 hover:ring-slate-300'}`}
                  data-testid="asset-option"
                  data-asset-id={asset.id}
                  data-asset-name={asset.name}
                >
                  <span className="block aspect-square bg-slate-100">
                    {asset.kind === 'image' && asset.hasThumbnail ? (
                      <img src={assetFileUrl(asset.id, 'thumbnail')} alt="" loading="lazy" className="size-full object-cover" />
                    ) : (
                      <span className="flex size-full flex-col items-center justify-center gap-1 bg-slate-800 text-slate-100">
                        <span aria-hidden className="text-xl">
                          {asset.kind === 'video' ? '▶' : '▣'}
                        </span>
                        {asset.durationMs !== null && <span className="text-xs tabular-nums">{formatDuration(asset.durationMs)}</span>}
                      </span>
                    )}
                  </span>
                  <span className="flex items-center gap-2 px-2 py-1.5">
                    <input
                      type="checkbox"
                      name="assetIds"
                      value={asset.id}
                      checked={checked}
                      disabled={!checked && full}
                      onChange={(event) => onToggle(asset.id, event.currentTarget.checked)}
                      className="size-4 shrink-0 rounded border-slate-300 accent-emerald-600"
                      data-testid="asset-checkbox"
                    />
                    <span className="truncate text-xs font-medium text-slate-700" title={asset.name}>
                      {asset.name}
                    </span>
                  </span>
                </label>
              </li>
            )
          })}
        </ul>
      )}
      {truncated && <p className="text-xs text-slate-500">The newest {assets.length} files of the library are shown.</p>}
    </fieldset>
  )
}
