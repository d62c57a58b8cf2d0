import { Link } from 'react-router'
import type { BrandKitVersionSummary } from '../../../api/schemas/workspace.ts'
import { Badge } from './badge'
import { LocalTime } from './local-time'

interface BrandKitHistoryProps {
  versions: BrandKitVersionSummary[]
  currentVersion: number
  /** The version shown below the list, if any. */
  viewedVersion?: number | undefined
}

/** Every version of the kit, newest first: what changed, who changed it, when; each can be looked at. */
export function BrandKitHistory({ versions, currentVersion, viewedVersion }: BrandKitHistoryProps) {
  return (
    <ol className="divide-y divide-slate-100" data-testid="brand-kit-history">
      {versions.map((entry) => (
        <li
          key={entry.version}
          className={`flex flex-wrap items-start justify-between gap-3 py-3 ${entry.version === viewedVersion ? 'bg-emerald-50/60' : ''}`}
          data-testid="brand-kit-version"
          data-version={entry.version}
        >
          <div className="min-w-0 space-y-0.5">
            <p className="flex items-center gap-2 text-sm font-medium text-slate-900">
              Version {entry.version}
              {entry.version === currentVersion && <Badge tone="emerald">Current</Badge>}
            </p>
            <p className="text-sm text-slate-700" data-testid="brand-kit-version-summary">
              {entry.summary}
            </p>
            <p className="text-xs text-slate-500">
              {entry.createdBy?.name ?? 'A former member'} · <LocalTime iso={entry.createdAt} />
            </p>
          </div>
          {entry.version !== currentVersion && (
            <Link
              to={`?version=${entry.version}#brand-kit-version-view`}
              preventScrollReset
              className="text-sm font-semibold text-emerald-700 hover:text-emerald-600"
              data-testid="view-version"
            >
              View
            </Link>
          )}
        </li>
      ))}
    </ol>
  )
}
