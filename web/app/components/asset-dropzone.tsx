// The asset library's upload zone. Without JavaScript it is a plain multipart form (a file input with
// `multiple` and a button) that posts every file in one request. With it, files dropped or chosen are sent one
// request each, two at a time, so each file shows its own state and its own answer (stored, already in the
// library, or refused and why). Either way the web server streams the body on to the API without keeping it.
import { useEffect, useRef, useState } from 'react'
import { Form, useFetcher } from 'react-router'
import type { Asset } from '../../../api/schemas/asset.ts'
import { CSRF_FIELD } from '~/lib/csrf'
import { checkPickedFiles, formatBytes, formatDimensions, formatDuration, type UploadLimits } from './asset-format'
import { Button } from './button'
import { CsrfField, useCsrfToken } from './csrf-field'
import { useHydrated } from './hydration'

/** What the library's action answers to an upload (one file with JavaScript, all of them without). */
export type AssetUploadOutcome =
  | { intent: 'upload'; uploaded: { asset: Asset; duplicate: boolean }[] }
  | { intent: 'upload'; error: { status: number; code: string; message: string } }

/** The types the API accepts (it decides by the bytes; this only narrows the file picker). */
const ACCEPT = 'image/jpeg,image/png,image/webp,video/mp4,video/quicktime,.jpg,.jpeg,.png,.webp,.mp4,.mov'
const CONCURRENT_UPLOADS = 2

interface QueuedUpload {
  key: string
  file: File
  state: 'queued' | 'sending' | 'done'
}

export function AssetDropzone({ limits }: { limits: UploadLimits }) {
  const hydrated = useHydrated()
  const [uploads, setUploads] = useState<QueuedUpload[]>([])
  const [refusals, setRefusals] = useState<string[]>([])
  const [dragging, setDragging] = useState(false)
  const batch = useRef(0)

  const enqueue = (files: File[]) => {
    if (files.length === 0) return
    const check = checkPickedFiles(files, limits)
    setRefusals(check.tooMany ? [check.tooMany] : check.refused.map((refusal) => refusal.message))
    batch.current += 1
    const added = check.accepted.map((file, index): QueuedUpload => ({ key: `asset-upload-${batch.current}-${index}`, file, state: 'queued' }))
    setUploads((current) => [...current, ...added])
  }
  const finish = (key: string) => setUploads((current) => current.map((upload) => (upload.key === key ? { ...upload, state: 'done' } : upload)))

  // The next queued file starts as soon as fewer than CONCURRENT_UPLOADS are on their way.
  useEffect(() => {
    const sending = uploads.filter((upload) => upload.state === 'sending').length
    const next = uploads.find((upload) => upload.state === 'queued')
    if (next && sending < CONCURRENT_UPLOADS) setUploads((current) => current.map((upload) => (upload.key === next.key ? { ...upload, state: 'sending' } : upload)))
  }, [uploads])

  const pending = uploads.filter((upload) => upload.state !== 'done').length
  return (
    <section className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="asset-upload">
      <Form method="post" encType="multipart/form-data" className="space-y-3" data-testid="asset-upload-form">
        {/* First in the form: the web server reads the token from the front of the stream it passes on. */}
        <CsrfField />
        <label
          className={`flex cursor-pointer flex-col items-center justify-center gap-1 rounded-lg border-2 border-dashed px-6 py-8 text-center focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-emerald-600 ${
            dragging ? 'border-emerald-500 bg-emerald-50' : 'border-slate-300 hover:border-slate-400'
          }`}
          data-testid="asset-dropzone"
          onDragEnter={(event) => {
            event.preventDefault()
            setDragging(true)
          }}
          onDragOver={(event) => {
            event.preventDefault()
            event.dataTransfer.dropEffect = 'copy'
          }}
          onDragLeave={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false)
          }}
          onDrop={(event) => {
            event.preventDefault()
            setDragging(false)
            enqueue(Array.from(event.dataTransfer.files))
          }}
        >
          <span className="text-sm font-semibold text-slate-800">{hydrated ? 'Drop images and videos here, or click to choose' : 'Choose images and videos'}</span>
          <span className="text-xs text-slate-500">
            JPEG, PNG, WebP, MP4 or MOV · up to {limits.maxFiles} files at a time, {formatBytes(limits.maxFileBytes)} each
          </span>
          <input
            type="file"
            name="files"
            multiple
            accept={ACCEPT}
            className={hydrated ? 'sr-only' : 'mt-3 text-sm'}
            data-testid="asset-file-input"
            onChange={
              hydrated
                ? (event) => {
                    enqueue(Array.from(event.currentTarget.files ?? []))
                    // Choosing the same files again must fire a change again.
                    event.currentTarget.value = ''
                  }
                : undefined
            }
          />
        </label>
        {!hydrated && (
          <Button type="submit" data-testid="asset-upload-submit">
            Upload
          </Button>
        )}
      </Form>

      {refusals.length > 0 && (
        <ul role="alert" className="space-y-1 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200 ring-inset" data-testid="asset-upload-refusals">
          {refusals.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}

      {uploads.length > 0 && (
        <div className="space-y-2">
          <div className="flex items-center justify-between gap-4">
            <h3 className="text-sm font-semibold text-slate-800" aria-live="polite">
              {pending > 0 ? `Uploading ${pending} of ${uploads.length}…` : `Uploaded ${uploads.length === 1 ? '1 file' : `${uploads.length} files`}`}
            </h3>
            {pending === 0 && (
              <button type="button" onClick={() => setUploads([])} className="text-sm font-medium text-slate-500 hover:text-slate-700">
                Clear
              </button>
            )}
          </div>
          <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200" data-testid="asset-upload-list">
            {uploads.map((upload) => (
              <UploadRow key={upload.key} upload={upload} onDone={finish} />
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}

/** One file on its way: its own fetcher (so its own request state and answer), started when its turn comes. */
function UploadRow({ upload, onDone }: { upload: QueuedUpload; onDone: (key: string) => void }) {
  const fetcher = useFetcher<AssetUploadOutcome>({ key: upload.key })
  const csrf = useCsrfToken()
  const sent = useRef(false)

  useEffect(() => {
    if (upload.state !== 'sending' || sent.current) return
    sent.current = true
    const body = new FormData()
    body.append(CSRF_FIELD, csrf)
    body.append('files', upload.file, upload.file.name)
    void fetcher.submit(body, { method: 'post', encType: 'multipart/form-data' })
  }, [upload, csrf, fetcher])

  // Each row has a fetcher of its own, so an answer here is this file's (the action answers every upload).
  const settled = fetcher.state === 'idle' && fetcher.data !== undefined
  useEffect(() => {
    if (settled && upload.state === 'sending') onDone(upload.key)
  }, [settled, upload, onDone])

  const outcome = settled ? fetcher.data : undefined
  const uploaded = outcome && 'uploaded' in outcome ? outcome.uploaded[0] : undefined
  const refused = outcome && 'error' in outcome ? outcome.error : undefined
  const state = refused ? 'refused' : uploaded ? (uploaded.duplicate ? 'duplicate' : 'stored') : upload.state === 'queued' ? 'queued' : fetcher.state === 'loading' ? 'saving' : 'sending'

  return (
    <li className="flex flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2 text-sm" data-testid="asset-upload-row" data-file={upload.file.name} data-state={state}>
      <span className="min-w-0 flex-1 truncate font-medium text-slate-800" title={upload.file.name}>
        {upload.file.name}
      </span>
      <span className="text-slate-500 tabular-nums">{formatBytes(upload.file.size)}</span>
      <span className="w-full sm:w-auto sm:text-right" data-testid="asset-upload-state">
        {state === 'queued' && <span className="text-slate-500">Waiting…</span>}
        {(state === 'sending' || state === 'saving') && (
          <span className="inline-flex items-center gap-2 text-slate-600">
            <span aria-hidden className="size-2 animate-pulse rounded-full bg-emerald-500" />
            {state === 'sending' ? 'Uploading…' : 'Updating the library…'}
          </span>
        )}
        {state === 'stored' && uploaded && <span className="text-emerald-700">Stored{describeMedia(uploaded.asset)}</span>}
        {state === 'duplicate' && uploaded && (
          <span className="text-amber-700" data-testid="asset-upload-duplicate">
            Duplicate of “{uploaded.asset.name}”, already in the library: nothing new was stored.
          </span>
        )}
        {state === 'refused' && refused && (
          <span className="text-red-700" data-code={refused.code}>
            {refused.status} · {refused.message}
          </span>
        )}
      </span>
    </li>
  )
}

function describeMedia(asset: Asset): string {
  const parts = [formatDimensions(asset.width, asset.height), asset.durationMs !== null ? formatDuration(asset.durationMs) : null].filter(Boolean)
  return parts.length > 0 ? ` · ${parts.join(' · ')}` : ''
}
