// Brand kit rules: what a valid kit is, shared by the API (which refuses invalid kits) and the web editor
// (which shows the same messages before sending).

export const SOCIAL_PLATFORMS = ['instagram', 'facebook', 'tiktok'] as const
export type SocialPlatform = (typeof SOCIAL_PLATFORMS)[number]

export const PLATFORM_LABELS: Record<SocialPlatform, string> = { instagram: 'Instagram', facebook: 'Facebook', tiktok: 'TikTok' }

export const LOGO_POSITIONS = ['top-left', 'top-right', 'bottom-left', 'bottom-right', 'center'] as const
export type LogoPosition = (typeof LOGO_POSITIONS)[number]

export const BRAND_KIT_LIMITS = {
  minColors: 3,
  maxColors: 12,
  colorName: 40,
  font: 80,
  longText: 4000,
  shortText: 1000,
  phrase: 200,
  phrases: 50,
  hashtags: 30,
  hashtag: 100,
  logoBytes: 5 * 1024 * 1024,
} as const

export interface BrandColor {
  name: string
  hex: string
}

export interface BrandKitContent {
  colors: BrandColor[]
  headingFont: string
  bodyFont: string
  logoPosition: LogoPosition
  voicePrompt: string
  personality: string
  targetAudience: string
  toneAndStyle: string
  preferredPhrases: string[]
  forbiddenPhrases: string[]
  defaultHashtags: string[]
  targetPlatforms: SocialPlatform[]
}

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/
// Letters, digits, spaces, hyphens: a family name, never CSS that could escape the preview's style attribute.
const FONT = /^[\p{L}\p{N} -]+$/u
const HASHTAG = /^#?[\p{L}\p{N}_]+$/u

/** "#ABC" → "#aabbcc"; the canonical form stored and compared. */
export function normaliseHex(hex: string): string {
  const value = hex.trim().toLowerCase()
  if (value.length === 4) return `#${[...value.slice(1)].map((c) => c + c).join('')}`
  return value
}

export function isHexColor(value: string): boolean {
  return HEX.test(value.trim())
}

export function normaliseHashtag(tag: string): string {
  const value = tag.trim()
  return value.startsWith('#') ? value : `#${value}`
}

export interface FieldIssue {
  path: string
  message: string
}

/** Every problem with a kit, each at its field's JSON pointer ("/colors/2/hex"); an empty list means valid. */
export function brandKitIssues(kit: BrandKitContent): FieldIssue[] {
  const issues: FieldIssue[] = []
  const L = BRAND_KIT_LIMITS
  if (kit.colors.length < L.minColors) issues.push({ path: '/colors', message: `needs at least ${L.minColors} colors` })
  if (kit.colors.length > L.maxColors) issues.push({ path: '/colors', message: `takes at most ${L.maxColors} colors` })
  kit.colors.forEach((color, i) => {
    if (!isHexColor(color.hex)) issues.push({ path: `/colors/${i}/hex`, message: `"${color.hex.slice(0, 20)}" is not a hex color like #1a2b3c` })
    if (color.name.trim() === '' || color.name.length > L.colorName) issues.push({ path: `/colors/${i}/name`, message: `needs a name of 1–${L.colorName} characters` })
  })
  const seen = new Set<string>()
  kit.colors.forEach((color, i) => {
    if (!isHexColor(color.hex)) return
    const hex = normaliseHex(color.hex)
    if (seen.has(hex)) issues.push({ path: `/colors/${i}/hex`, message: `${hex} is listed twice` })
    seen.add(hex)
  })
  for (const field of ['headingFont', 'bodyFont'] as const) {
    const value = kit[field].trim()
    if (value === '' || value.length > L.font || !FONT.test(value)) {
      issues.push({ path: `/${field}`, message: `must be a font family name (letters, digits, spaces, hyphens; up to ${L.font})` })
    }
  }
  for (const field of ['voicePrompt', 'personality', 'targetAudience', 'toneAndStyle'] as const) {
    const max = field === 'voicePrompt' ? L.longText : L.shortText
    if (kit[field].length > max) issues.push({ path: `/${field}`, message: `is longer than ${max} characters` })
  }
  for (const field of ['preferredPhrases', 'forbiddenPhrases'] as const) {
    if (kit[field].length > L.phrases) issues.push({ path: `/${field}`, message: `takes at most ${L.phrases} phrases` })
    kit[field].forEach((phrase, i) => {
      if (phrase.trim() === '' || phrase.length > L.phrase) issues.push({ path: `/${field}/${i}`, message: `must be 1–${L.phrase} characters` })
    })
  }
  const preferred = new Set(kit.preferredPhrases.map((p) => p.trim().toLowerCase()))
  kit.forbiddenPhrases.forEach((phrase, i) => {
    if (preferred.has(phrase.trim().toLowerCase())) issues.push({ path: `/forbiddenPhrases/${i}`, message: `"${phrase}" is also a preferred phrase` })
  })
  if (kit.defaultHashtags.length > L.hashtags) issues.push({ path: '/defaultHashtags', message: `takes at most ${L.hashtags} hashtags (Instagram's limit)` })
  kit.defaultHashtags.forEach((tag, i) => {
    if (!HASHTAG.test(tag.trim()) || tag.length > L.hashtag) issues.push({ path: `/defaultHashtags/${i}`, message: `"${tag.slice(0, 40)}" is not a hashtag (letters, digits, underscores)` })
  })
  if (kit.targetPlatforms.length === 0) issues.push({ path: '/targetPlatforms', message: 'needs at least one platform' })
  if (new Set(kit.targetPlatforms).size !== kit.targetPlatforms.length) issues.push({ path: '/targetPlatforms', message: 'lists a platform twice' })
  return issues
}

/** The stored form: colors and hashtags in canonical spelling, phrases trimmed. Call after brandKitIssues is empty. */
export function normaliseBrandKit(kit: BrandKitContent): BrandKitContent {
  return {
    ...kit,
    colors: kit.colors.map((c) => ({ name: c.name.trim(), hex: normaliseHex(c.hex) })),
    headingFont: kit.headingFont.trim(),
    bodyFont: kit.bodyFont.trim(),
    preferredPhrases: kit.preferredPhrases.map((p) => p.trim()),
    forbiddenPhrases: kit.forbiddenPhrases.map((p) => p.trim()),
    defaultHashtags: [...new Set(kit.defaultHashtags.map(normaliseHashtag))],
  }
}

/** The kit a new workspace starts with (version 1), so every workspace has one from the start. */
export function starterBrandKit(): BrandKitContent {
  return {
    colors: [
      { name: 'Primary', hex: '#1f6f5c' },
      { name: 'Accent', hex: '#f2b134' },
      { name: 'Ink', hex: '#1c1c1e' },
    ],
    headingFont: 'Georgia',
    bodyFont: 'Helvetica',
    logoPosition: 'top-left',
    voicePrompt: '',
    personality: '',
    targetAudience: '',
    toneAndStyle: '',
    preferredPhrases: [],
    forbiddenPhrases: [],
    defaultHashtags: [],
    targetPlatforms: ['instagram'],
  }
}

/** Relative luminance contrast (WCAG) between two hex colors: the editor warns about unreadable pairs. */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const n = normaliseHex(hex)
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(n.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!
  }
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}
