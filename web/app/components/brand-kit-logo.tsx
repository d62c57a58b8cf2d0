import { useEffect, useRef } from 'react'
import { Form, useNavigation } from 'react-router'
import { BRAND_KIT_LIMITS } from '../../../domain/brand-kit.ts'
import type { BrandKit } from '../../../api/schemas/workspace.ts'
import { Button } from './button'
import { CsrfField } from './csrf-field'
import { FormError } from './form-error'

const ACCEPT = 'image/png,image/jpeg,image/webp'

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

interface BrandKitLogoPanelProps {
  workspaceId: string
  kit: BrandKit
  error?: string | undefined
  /** A local preview address of the file picked but not uploaded yet (null when none), for the live preview. */
  onPick: (url: string | null) => void
}

/** The current logo, an upload form (a new kit version) and a remove button (also a new version). */
export function BrandKitLogoPanel({ workspaceId, kit, error, onPick }: BrandKitLogoPanelProps) {
  const navigation = useNavigation()
  const busyIntent = navigation.state === 'submitting' ? navigation.formData?.get('intent') : undefined
  const pickedUrl = useRef<string | null>(null)

  // A new kit version (after the upload) means the picked file is now the logo: drop the local preview.
  useEffect(() => {
    return () => {
      if (pickedUrl.current) URL.revokeObjectURL(pickedUrl.current)
      pickedUrl.current = null
      onPick(null)
    }
  }, [kit.version, onPick])

  const pick = (file: File | undefined) => {
    if (pickedUrl.current) URL.revokeObjectURL(pickedUrl.current)
    pickedUrl.current = file ? URL.createObjectURL(file) : null
    onPick(pickedUrl.current)
  }

  return (
    <section className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="brand-kit-logo">
      <h2 className="text-base font-semibold">Logo</h2>
      <div className="mt-3 flex flex-wrap items-start gap-5">
        <div className="flex size-28 items-center justify-center rounded-md bg-[repeating-conic-gradient(#f1f5f9_0%_25%,#fff_0%_50%)] bg-[length:16px_16px] ring-1 ring-slate-200">
          {kit.logo ? (
            <img src={`/workspaces/${workspaceId}/logo?version=${kit.version}`} alt="Current logo" className="max-h-24 max-w-24 object-contain" data-testid="current-logo" />
          ) : (
            <span className="text-xs text-slate-400">No logo</span>
          )}
        </div>
        <div className="min-w-0 flex-1 space-y-3 text-sm">
          {kit.logo && (
            <p className="text-slate-600" data-testid="logo-details">
              <span className="font-medium text-slate-800">{kit.logo.originalName}</span> · {kit.logo.mimeType.replace('image/', '').toUpperCase()}
              {kit.logo.width && kit.logo.height ? ` · ${kit.logo.width}×${kit.logo.height}` : ''} · {formatBytes(kit.logo.byteSize)}
            </p>
          )}
          <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-center gap-3" data-testid="logo-upload-form">
            <CsrfField />
            <input type="hidden" name="intent" value="upload-logo" />
            <input type="hidden" name="baseVersion" value={kit.version} />
            <input
              type="file"
              name="logo"
              accept={ACCEPT}
              required
              onChange={(event) => pick(event.target.files?.[0])}
              className="block text-sm text-slate-600 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-semibold file:text-slate-700 hover:file:bg-slate-200"
              data-testid="logo-file-input"
            />
            <Button type="submit" variant="secondary" disabled={busyIntent === 'upload-logo'} data-testid="upload-logo">
              {busyIntent === 'upload-logo' ? 'Uploading…' : kit.logo ? 'Replace logo' : 'Upload logo'}
            </Button>
          </Form>
          <p className="text-slate-500">PNG, JPEG or WebP, up to {BRAND_KIT_LIMITS.logoBytes / 1024 / 1024} MB. Its place in posts is the kit’s logo position.</p>
          {kit.logo && (
            <Form method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="remove-logo" />
              <input type="hidden" name="baseVersion" value={kit.version} />
              <button type="submit" className="text-sm font-medium text-red-700 hover:text-red-600" disabled={busyIntent === 'remove-logo'} data-testid="remove-logo">
                Remove logo
              </button>
            </Form>
          )}
          <FormError message={error} />
        </div>
      </div>
    </section>
  )
}
