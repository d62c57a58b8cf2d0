import { PLATFORM_LABELS, type SocialPlatform } from '../../../domain/brand-kit.ts'
import type { BrandKit } from '../../../api/schemas/workspace.ts'

const POSITION_LABELS: Record<string, string> = {
  'top-left': 'Top left',
  'top-right': 'Top right',
  'bottom-left': 'Bottom left',
  'bottom-right': 'Bottom right',
  center: 'Center',
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-500">{label}</dt>
      <dd className="text-sm whitespace-pre-line text-slate-800 sm:col-span-2">{children}</dd>
    </div>
  )
}

const orNone = (text: string) => (text.trim() === '' ? <span className="text-slate-400">—</span> : text)
const listOrNone = (items: string[], separator = ', ') => (items.length === 0 ? <span className="text-slate-400">—</span> : items.join(separator))

/** A kit's fields as text, for readers who cannot edit and for looking at an older version. */
export function BrandKitSummary({ kit }: { kit: BrandKit }) {
  return (
    <dl className="divide-y divide-slate-100" data-testid="brand-kit-summary">
      <Row label="Colors">{kit.colors.map((color) => `${color.name} ${color.hex}`).join(', ')}</Row>
      <Row label="Fonts">
        {kit.headingFont} (headings), {kit.bodyFont} (body)
      </Row>
      <Row label="Logo">{kit.logo ? `${kit.logo.originalName}, ${POSITION_LABELS[kit.logoPosition] ?? kit.logoPosition}` : `None (position ${POSITION_LABELS[kit.logoPosition]?.toLowerCase() ?? kit.logoPosition})`}</Row>
      <Row label="Voice prompt">{orNone(kit.voicePrompt)}</Row>
      <Row label="Personality">{orNone(kit.personality)}</Row>
      <Row label="Target audience">{orNone(kit.targetAudience)}</Row>
      <Row label="Tone and style">{orNone(kit.toneAndStyle)}</Row>
      <Row label="Preferred phrases">{listOrNone(kit.preferredPhrases, '\n')}</Row>
      <Row label="Forbidden phrases">{listOrNone(kit.forbiddenPhrases, '\n')}</Row>
      <Row label="Default hashtags">{listOrNone(kit.defaultHashtags, ' ')}</Row>
      <Row label="Platforms">{listOrNone(kit.targetPlatforms.map((platform) => PLATFORM_LABELS[platform as SocialPlatform] ?? platform))}</Row>
    </dl>
  )
}
