// How assets read on screen, and where the browser fetches their bytes: through the web server
// (routes/asset-file.ts), which passes the session cookie on, never from the API directly.

export type AssetVariant = 'content' | 'thumbnail'

export const assetFileUrl = (assetId: string, variant: AssetVariant) => `/assets/${encodeURIComponent(assetId)}/${variant}`

/** 1536 → "1.5 KB", 52428800 → "50 MB" (binary units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  const digits = value < 10 && !Number.isInteger(value) ? 1 : 0
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${units[unit]}`
}

/** 83_500 ms → "1:24", 3_723_000 → "1:02:03"; rounded to the nearest second. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000)
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = String(total % 60).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`
}

/** "1920 × 1080", or null when the file did not say. */
export function formatDimensions(width: number | null, height: number | null): string | null {
  return width !== null && height !== null ? `${width} × ${height}` : null
}

export interface UploadLimits {
  maxFileBytes: number
  maxFiles: number
}

export interface PickedFileCheck<F> {
  /** Files to send, in the order they were picked. */
  accepted: F[]
  /** Files refused before sending, with why (the API would refuse them the same way). */
  refused: { file: F; message: string }[]
  /** Set when more files were picked than one upload takes: nothing is sent then. */
  tooMany: string | null
}

/**
 * What the browser can tell before sending: too many files, empty ones, too large ones. The type is not
 * judged here: the API decides it from the bytes, whatever the name or the browser says.
 */
export function checkPickedFiles<F extends { name: string; size: number }>(files: readonly F[], limits: UploadLimits): PickedFileCheck<F> {
  if (files.length > limits.maxFiles) {
    return { accepted: [], refused: [], tooMany: `Drop at most ${limits.maxFiles} files at a time (you picked ${files.length}).` }
  }
  const accepted: F[] = []
  const refused: { file: F; message: string }[] = []
  for (const file of files) {
    if (file.size === 0) refused.push({ file, message: `“${file.name}” is empty (0 bytes).` })
    else if (file.size > limits.maxFileBytes) refused.push({ file, message: `“${file.name}” is ${formatBytes(file.size)}; files may be at most ${formatBytes(limits.maxFileBytes)}.` })
    else accepted.push(file)
  }
  return { accepted, refused, tooMany: null }
}
