// A sample social post drawn with a brand kit's fonts, palette and logo position. The editor passes the kit
// as it is being typed, so the card follows every keystroke; only values that pass the domain's rules reach
// a style (a font name can never smuggle CSS into the page).
import {
  PLATFORM_LABELS,
  contrastRatio,
  isHexColor,
  normaliseHashtag,
  normaliseHex,
  type BrandKitContent,
  type FieldIssue,
  type LogoPosition,
  type SocialPlatform,
} from '../../../domain/brand-kit.ts'

const FALLBACK_FONTS = 'ui-sans-serif, system-ui, sans-serif'
const WHITE = '#ffffff'
const NEAR_BLACK = '#111111'
/** WCAG AA for body text. */
const READABLE = 4.5

const LOGO_PLACEMENT: Record<LogoPosition, string> = {
  'top-left': 'top-4 left-4',
  'top-right': 'top-4 right-4',
  'bottom-left': 'bottom-4 left-4',
  'bottom-right': 'bottom-4 right-4',
  center: 'top-1/2 left-1/2 -translate-x-1/2 -translate-y-1/2',
}

function usableHex(hex: string | undefined): string | null {
  return hex !== undefined && isHexColor(hex) ? normaliseHex(hex) : null
}

/** The candidate that reads best on `background`: the first that reaches AA, else the highest contrast. */
function readableOn(background: string, candidates: string[]): string {
  return candidates.find((color) => contrastRatio(color, background) >= READABLE) ?? [...candidates].sort((a, b) => contrastRatio(b, background) - contrastRatio(a, background))[0]!
}

/** Primary, accent and text colors: the palette's first three, in that order. */
export function paletteRoles(colors: BrandKitContent['colors']) {
  const valid = colors.map((color) => usableHex(color.hex))
  const primary = valid[0] ?? '#e2e8f0'
  const accent = valid[1] ?? primary
  const ink = valid[2] ?? '#0f172a'
  return { primary, accent, ink }
}

export function contrastWarnings(colors: BrandKitContent['colors']): string[] {
  const { primary, ink } = paletteRoles(colors)
  const warnings: string[] = []
  const inkOnWhite = contrastRatio(ink, WHITE)
  if (inkOnWhite < READABLE) warnings.push(`Text color ${ink} on white is ${inkOnWhite.toFixed(1)}:1, below the ${READABLE}:1 that body text needs.`)
  const best = Math.max(contrastRatio(ink, primary), contrastRatio(WHITE, primary), contrastRatio(NEAR_BLACK, primary))
  if (best < 3) warnings.push(`No text reads well on the primary color ${primary} (best ${best.toFixed(1)}:1).`)
  return warnings
}

interface BrandKitPreviewProps {
  content: BrandKitContent
  /** The kit's rule violations (domain brandKitIssues); fields with one are drawn with defaults. */
  issues: FieldIssue[]
  clientName: string
  logo: { url: string; alt: string } | null
  /** The logo shown is picked but not uploaded yet. */
  logoPending?: boolean
  testId?: string
}

export function BrandKitPreview({ content, issues, clientName, logo, logoPending = false, testId = 'brand-kit-preview' }: BrandKitPreviewProps) {
  const invalid = new Set(issues.map((issue) => issue.path))
  const fontStack = (field: 'headingFont' | 'bodyFont') => (invalid.has(`/${field}`) || content[field].trim() === '' ? FALLBACK_FONTS : `"${content[field].trim()}", ${FALLBACK_FONTS}`)
  const heading = fontStack('headingFont')
  const body = fontStack('bodyFont')
  const { primary, accent, ink } = paletteRoles(content.colors)
  const onPrimary = readableOn(primary, [ink, WHITE, NEAR_BLACK])
  const onAccent = readableOn(accent, [WHITE, NEAR_BLACK])
  const position = LOGO_PLACEMENT[content.logoPosition] ? content.logoPosition : 'top-left'
  // The headline keeps clear of the logo: at the top when the logo sits at the bottom.
  const textAtTop = position.startsWith('bottom')
  const handle = clientName.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '') || 'yourbrand'
  const caption = content.preferredPhrases[0] ?? 'A sample post in your brand’s fonts and colors.'
  const hashtags = content.defaultHashtags.filter((tag, i) => !invalid.has(`/defaultHashtags/${i}`) && tag.trim() !== '').map(normaliseHashtag)
  const warnings = contrastWarnings(content.colors)

  return (
    <div className="space-y-4" data-testid={testId}>
      <ul className="flex flex-wrap gap-2" aria-label="Palette">
        {content.colors.map((color, i) => {
          const hex = usableHex(color.hex)
          return (
            <li key={i} className="flex items-center gap-2 rounded-md bg-white px-2 py-1 text-xs ring-1 ring-slate-200" data-testid="preview-swatch">
              <span
                aria-hidden
                className={`size-4 rounded-sm ring-1 ring-slate-300 ${hex ? '' : 'bg-[repeating-linear-gradient(45deg,#fff,#fff_3px,#fca5a5_3px,#fca5a5_6px)]'}`}
                style={hex ? { backgroundColor: hex } : undefined}
              />
              <span className="font-medium text-slate-700">{color.name || 'Unnamed'}</span>
              <span className="font-mono text-slate-500">{hex ?? color.hex}</span>
            </li>
          )
        })}
      </ul>

      <figure className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
        <div className="relative aspect-square w-full" style={{ backgroundColor: primary }} data-testid="preview-canvas">
          <div className={`absolute inset-x-0 flex flex-col gap-2 px-6 ${textAtTop ? 'top-0 pt-6' : 'bottom-0 pb-6'}`}>
            <p className="text-2xl leading-tight font-bold" style={{ fontFamily: heading, color: onPrimary }} data-testid="preview-heading">
              Meet {clientName || 'your brand'}
            </p>
            <p className="text-sm" style={{ fontFamily: body, color: onPrimary }} data-testid="preview-body">
              {caption}
            </p>
            <span className="mt-1 inline-flex w-fit rounded-full px-4 py-1.5 text-sm font-semibold" style={{ fontFamily: body, backgroundColor: accent, color: onAccent }} data-testid="preview-button">
              Learn more
            </span>
          </div>
          {logo ? (
            <img
              src={logo.url}
              alt={logo.alt}
              className={`absolute max-h-[22%] max-w-[35%] object-contain ${LOGO_PLACEMENT[position]} ${logoPending ? 'opacity-80 outline-2 outline-offset-2 outline-white outline-dashed' : ''}`}
              data-testid="preview-logo"
              data-position={position}
            />
          ) : (
            <span
              className={`absolute flex h-12 w-20 items-center justify-center rounded-md border-2 border-dashed text-xs font-medium ${LOGO_PLACEMENT[position]}`}
              style={{ borderColor: onPrimary, color: onPrimary }}
              data-testid="preview-logo-placeholder"
              data-position={position}
            >
              Logo
            </span>
          )}
        </div>
        <figcaption className="space-y-1 p-4 text-sm" style={{ fontFamily: body, color: ink }}>
          <p>
            <strong>{handle}</strong> {caption}
          </p>
          {hashtags.length > 0 && (
            <p style={{ color: accent === primary ? ink : accent }} data-testid="preview-hashtags">
              {hashtags.join(' ')}
            </p>
          )}
        </figcaption>
      </figure>

      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
        <span>For:</span>
        {content.targetPlatforms.length === 0 ? (
          <span>no platform chosen</span>
        ) : (
          content.targetPlatforms.map((platform) => (
            <span key={platform} className="rounded-md bg-slate-100 px-2 py-0.5 font-medium text-slate-700">
              {PLATFORM_LABELS[platform as SocialPlatform] ?? platform}
            </span>
          ))
        )}
        <span className="ml-auto">Fonts show when installed on this device.</span>
      </div>

      {warnings.length > 0 && (
        <ul className="space-y-1 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-800 ring-1 ring-amber-200 ring-inset" data-testid="contrast-warnings">
          {warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
    </div>
  )
}
