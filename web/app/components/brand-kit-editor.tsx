// The brand-kit editor: a plain form that the action turns into PUT /api/workspaces/:id/brand-kit (so it works
// without JavaScript), and, once hydrated, live: the preview follows every keystroke and the domain's rules
// (domain/brand-kit.ts, the same the API applies) show their messages as you type.
import { useMemo, useState } from 'react'
import { Form, useNavigation } from 'react-router'
import {
  BRAND_KIT_LIMITS,
  LOGO_POSITIONS,
  PLATFORM_LABELS,
  SOCIAL_PLATFORMS,
  brandKitIssues,
  isHexColor,
  normaliseHex,
  type BrandKitContent,
  type FieldIssue,
  type LogoPosition,
  type SocialPlatform,
} from '../../../domain/brand-kit.ts'
import type { BrandKit } from '../../../api/schemas/workspace.ts'
import { BrandKitLogoPanel } from './brand-kit-logo'
import { BrandKitPreview } from './brand-kit-preview'
import { Button } from './button'
import { CsrfField } from './csrf-field'
import { Field, SelectField, TextArea, controlRing } from './field'
import { FormError } from './form-error'
import { useHydrated } from './hydration'

// ---- The form's values and their mapping to a kit (shared by the action and the live editor) ----

export interface BrandKitFormValues {
  colors: { name: string; hex: string }[]
  headingFont: string
  bodyFont: string
  logoPosition: string
  voicePrompt: string
  personality: string
  targetAudience: string
  toneAndStyle: string
  /** One phrase per line. */
  preferredPhrases: string
  forbiddenPhrases: string
  /** Separated by spaces or commas. */
  defaultHashtags: string
  targetPlatforms: string[]
}

/** Messages by field: "colors", "colors.<row>.hex", "colors.<row>.name", "headingFont", ..., and "form". */
export type BrandKitFormErrors = Record<string, string>

const TEXT_FIELDS = ['headingFont', 'bodyFont', 'logoPosition', 'voicePrompt', 'personality', 'targetAudience', 'toneAndStyle', 'preferredPhrases', 'forbiddenPhrases', 'defaultHashtags'] as const
const FIELD_KEYS = new Set<string>([...TEXT_FIELDS, 'colors', 'targetPlatforms'])
const PHRASE_FIELDS = new Set(['preferredPhrases', 'forbiddenPhrases'])

const isBlankColor = (color: { name: string; hex: string }) => color.name.trim() === '' && color.hex.trim() === ''

/** One blank row at the end (while there is room): filling it in is how a color is added, with or without JS. */
export function withSpareColorRow(colors: BrandKitFormValues['colors']): BrandKitFormValues['colors'] {
  const last = colors.at(-1)
  if (colors.length >= BRAND_KIT_LIMITS.maxColors || (last && isBlankColor(last))) return colors
  return [...colors, { name: '', hex: '' }]
}

export function brandKitFormValues(kit: BrandKitContent): BrandKitFormValues {
  return {
    colors: withSpareColorRow(kit.colors.map((color) => ({ name: color.name, hex: color.hex }))),
    headingFont: kit.headingFont,
    bodyFont: kit.bodyFont,
    logoPosition: kit.logoPosition,
    voicePrompt: kit.voicePrompt,
    personality: kit.personality,
    targetAudience: kit.targetAudience,
    toneAndStyle: kit.toneAndStyle,
    preferredPhrases: kit.preferredPhrases.join('\n'),
    forbiddenPhrases: kit.forbiddenPhrases.join('\n'),
    defaultHashtags: kit.defaultHashtags.join(' '),
    targetPlatforms: [...kit.targetPlatforms],
  }
}

/** The posted form (colorName/colorHex pairs in row order, checkboxes for platforms). */
export function readBrandKitForm(form: FormData): BrandKitFormValues {
  const text = (key: string) => {
    const value = form.get(key)
    return typeof value === 'string' ? value : ''
  }
  const names = form.getAll('colorName').map(String)
  const hexes = form.getAll('colorHex').map(String)
  const rows = Math.min(Math.max(names.length, hexes.length), BRAND_KIT_LIMITS.maxColors + 1)
  return {
    colors: Array.from({ length: rows }, (_, i) => ({ name: names[i] ?? '', hex: hexes[i] ?? '' })),
    headingFont: text('headingFont'),
    bodyFont: text('bodyFont'),
    logoPosition: text('logoPosition'),
    voicePrompt: text('voicePrompt'),
    personality: text('personality'),
    targetAudience: text('targetAudience'),
    toneAndStyle: text('toneAndStyle'),
    preferredPhrases: text('preferredPhrases'),
    forbiddenPhrases: text('forbiddenPhrases'),
    defaultHashtags: text('defaultHashtags'),
    targetPlatforms: form.getAll('targetPlatforms').map(String),
  }
}

const lines = (text: string) => text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '')

/** The kit the values describe; `colorRows[i]` is the form row of the kit's color i (blank rows are skipped). */
export function brandKitFromValues(values: BrandKitFormValues): { content: BrandKitContent; colorRows: number[] } {
  const colorRows: number[] = []
  const colors: BrandKitContent['colors'] = []
  values.colors.forEach((color, row) => {
    if (isBlankColor(color)) return
    colorRows.push(row)
    colors.push({ name: color.name.trim(), hex: color.hex.trim() })
  })
  return {
    colorRows,
    content: {
      colors,
      headingFont: values.headingFont.trim(),
      bodyFont: values.bodyFont.trim(),
      logoPosition: values.logoPosition as LogoPosition,
      voicePrompt: values.voicePrompt.trim(),
      personality: values.personality.trim(),
      targetAudience: values.targetAudience.trim(),
      toneAndStyle: values.toneAndStyle.trim(),
      preferredPhrases: lines(values.preferredPhrases),
      forbiddenPhrases: lines(values.forbiddenPhrases),
      defaultHashtags: values.defaultHashtags.split(/[\s,]+/).filter((tag) => tag !== ''),
      targetPlatforms: values.targetPlatforms as SocialPlatform[],
    },
  }
}

/** Issues (from the domain rules or the API's 400 details) placed next to their fields. */
export function placeBrandKitIssues(issues: FieldIssue[], colorRows: number[], apiMessage?: string): BrandKitFormErrors {
  const errors: BrandKitFormErrors = {}
  const unplaced: string[] = []
  for (const { path, message } of issues) {
    const [field = '', index, part] = path.split('/').slice(1)
    if (field === 'colors' && index !== undefined) {
      errors[`colors.${colorRows[Number(index)] ?? index}.${part ?? 'hex'}`] ??= message
    } else if (FIELD_KEYS.has(field)) {
      errors[field] ??= index !== undefined && PHRASE_FIELDS.has(field) ? `Phrase ${Number(index) + 1}: ${message}` : message
    } else {
      unplaced.push(message)
    }
  }
  if (apiMessage !== undefined && (unplaced.length > 0 || issues.length === 0)) errors.form = [apiMessage, ...unplaced].join(' ')
  return errors
}

/** The domain's verdict on the values, placed by field; empty when the kit can be saved. */
export function checkBrandKitForm(values: BrandKitFormValues): BrandKitFormErrors {
  const { content, colorRows } = brandKitFromValues(values)
  return placeBrandKitIssues(brandKitIssues(content), colorRows)
}

// ---- The editor ----

const FONT_SUGGESTIONS = [
  'Arial', 'Georgia', 'Helvetica', 'Inter', 'Lato', 'Lora', 'Merriweather', 'Montserrat', 'Open Sans', 'Playfair Display',
  'Poppins', 'Roboto', 'Source Sans 3', 'Times New Roman', 'Trebuchet MS', 'Verdana',
]
const POSITION_LABELS: Record<LogoPosition, string> = {
  'top-left': 'Top left',
  'top-right': 'Top right',
  'bottom-left': 'Bottom left',
  'bottom-right': 'Bottom right',
  center: 'Center',
}

interface BrandKitEditorProps {
  workspaceId: string
  clientName: string
  kit: BrandKit
  /** Values and messages of a submission the action refused, shown again as they were. */
  rejected?: { values: BrandKitFormValues; errors: BrandKitFormErrors } | undefined
  /** What the last logo upload or removal said. */
  logoError?: string | undefined
}

export function BrandKitEditor({ workspaceId, clientName, kit, rejected, logoError }: BrandKitEditorProps) {
  const hydrated = useHydrated()
  const navigation = useNavigation()
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save-kit'
  const [values, setValues] = useState<BrandKitFormValues>(() => {
    const initial = rejected?.values ?? brandKitFormValues(kit)
    return { ...initial, colors: withSpareColorRow(initial.colors) }
  })
  const [pickedLogo, setPickedLogo] = useState<string | null>(null)
  const { content, colorRows } = useMemo(() => brandKitFromValues(values), [values])
  const issues = useMemo(() => brandKitIssues(content), [content])
  // Before hydration the server's messages; after it the rules themselves, live (the API's sentence stays).
  const errors: BrandKitFormErrors = hydrated ? { ...placeBrandKitIssues(issues, colorRows), ...(rejected?.errors.form ? { form: rejected.errors.form } : {}) } : (rejected?.errors ?? {})

  const set = <K extends keyof BrandKitFormValues>(key: K, value: BrandKitFormValues[K]) => setValues((current) => ({ ...current, [key]: value }))
  const setColor = (row: number, change: Partial<{ name: string; hex: string }>) =>
    setValues((current) => ({ ...current, colors: withSpareColorRow(current.colors.map((color, i) => (i === row ? { ...color, ...change } : color))) }))
  const removeColor = (row: number) => setValues((current) => ({ ...current, colors: withSpareColorRow(current.colors.filter((_, i) => i !== row)) }))
  const togglePlatform = (platform: SocialPlatform, on: boolean) =>
    set('targetPlatforms', on ? SOCIAL_PLATFORMS.filter((p) => p === platform || values.targetPlatforms.includes(p)) : values.targetPlatforms.filter((p) => p !== platform))

  const logoUrl = pickedLogo ?? (kit.logo ? `/workspaces/${workspaceId}/logo?version=${kit.version}` : null)

  return (
    <div className="grid gap-6 lg:grid-cols-5">
      <div className="space-y-6 lg:col-span-3">
        <Form method="post" className="space-y-6 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="brand-kit-form" noValidate>
          <CsrfField />
          <input type="hidden" name="intent" value="save-kit" />
          <input type="hidden" name="baseVersion" value={kit.version} />
          <div className="flex items-baseline justify-between gap-4">
            <h2 className="text-base font-semibold">Brand kit</h2>
            <span className="text-sm text-slate-500" data-testid="current-version">
              Version {kit.version}
            </span>
          </div>

          <fieldset className="space-y-3">
            <legend className="text-sm font-medium text-slate-700">Colors</legend>
            <p className="text-sm text-slate-500">
              At least {BRAND_KIT_LIMITS.minColors}, at most {BRAND_KIT_LIMITS.maxColors}. The first is the primary color, the second the accent, the third the text color. Fill in
              the empty row to add one{hydrated ? '' : '; empty a row to remove it'}.
            </p>
            {errors.colors && (
              <p className="text-sm text-red-600" data-testid="colors-error">
                {errors.colors}
              </p>
            )}
            <ol className="space-y-2">
              {values.colors.map((color, row) => {
                const hexError = errors[`colors.${row}.hex`]
                const nameError = errors[`colors.${row}.name`]
                const blank = isBlankColor(color)
                return (
                  <li key={row} className="space-y-1" data-testid="color-row">
                    <div className="flex items-start gap-2">
                      <ColorSwatch hex={color.hex} interactive={hydrated} label={`Pick color ${row + 1}`} onPick={(hex) => setColor(row, { hex })} />
                      <input
                        name="colorName"
                        aria-label={`Color ${row + 1} name`}
                        placeholder={blank ? 'New color name' : 'Name'}
                        maxLength={BRAND_KIT_LIMITS.colorName}
                        value={color.name}
                        onChange={(event) => setColor(row, { name: event.target.value })}
                        aria-invalid={nameError ? true : undefined}
                        className={inputClass(Boolean(nameError), 'flex-1')}
                        data-testid={`color-name-${row}`}
                      />
                      <input
                        name="colorHex"
                        aria-label={`Color ${row + 1} hex`}
                        placeholder="#1a2b3c"
                        maxLength={32}
                        value={color.hex}
                        onChange={(event) => setColor(row, { hex: event.target.value })}
                        aria-invalid={hexError ? true : undefined}
                        className={inputClass(Boolean(hexError), 'w-32 font-mono')}
                        data-testid={`color-hex-${row}`}
                      />
                      {hydrated && !blank && (
                        <Button variant="secondary" onClick={() => removeColor(row)} aria-label={`Remove color ${row + 1}`} data-testid={`remove-color-${row}`}>
                          ✕
                        </Button>
                      )}
                    </div>
                    {(hexError || nameError) && (
                      <p className="pl-11 text-sm text-red-600" data-testid={`color-error-${row}`}>
                        {[nameError && `Name ${nameError}`, hexError].filter(Boolean).join(' · ')}
                      </p>
                    )}
                  </li>
                )
              })}
            </ol>
          </fieldset>

          <div className="grid gap-4 md:grid-cols-2">
            <Field
              label="Heading font"
              name="headingFont"
              list="brand-font-suggestions"
              maxLength={BRAND_KIT_LIMITS.font}
              value={values.headingFont}
              onChange={(event) => set('headingFont', event.target.value)}
              error={errors.headingFont}
              data-testid="heading-font-input"
            />
            <Field
              label="Body font"
              name="bodyFont"
              list="brand-font-suggestions"
              maxLength={BRAND_KIT_LIMITS.font}
              value={values.bodyFont}
              onChange={(event) => set('bodyFont', event.target.value)}
              error={errors.bodyFont}
              data-testid="body-font-input"
            />
            <datalist id="brand-font-suggestions">
              {FONT_SUGGESTIONS.map((font) => (
                <option key={font} value={font} />
              ))}
            </datalist>
            <SelectField
              label="Logo position"
              name="logoPosition"
              value={values.logoPosition}
              onChange={(event) => set('logoPosition', event.target.value)}
              error={errors.logoPosition}
              data-testid="logo-position-select"
            >
              {LOGO_POSITIONS.map((position) => (
                <option key={position} value={position}>
                  {POSITION_LABELS[position]}
                </option>
              ))}
            </SelectField>
            <fieldset>
              <legend className="block text-sm font-medium text-slate-700">Target platforms</legend>
              <div className="mt-2 flex flex-wrap gap-4">
                {SOCIAL_PLATFORMS.map((platform) => (
                  <label key={platform} className="flex items-center gap-2 text-sm text-slate-700">
                    <input
                      type="checkbox"
                      name="targetPlatforms"
                      value={platform}
                      checked={values.targetPlatforms.includes(platform)}
                      onChange={(event) => togglePlatform(platform, event.target.checked)}
                      className="size-4 rounded border-slate-300 accent-emerald-600"
                    />
                    {PLATFORM_LABELS[platform]}
                  </label>
                ))}
              </div>
              {errors.targetPlatforms && <p className="mt-1 text-sm text-red-600">{errors.targetPlatforms}</p>}
            </fieldset>
          </div>

          <div className="grid gap-4 md:grid-cols-2">
            <TextArea
              label="Voice prompt"
              name="voicePrompt"
              className="md:col-span-2"
              rows={4}
              maxLength={BRAND_KIT_LIMITS.longText}
              value={values.voicePrompt}
              onChange={(event) => set('voicePrompt', event.target.value)}
              error={errors.voicePrompt}
              hint="How the brand speaks: given to AI drafting as is."
            />
            <TextArea label="Brand personality" name="personality" maxLength={BRAND_KIT_LIMITS.shortText} value={values.personality} onChange={(event) => set('personality', event.target.value)} error={errors.personality} />
            <TextArea label="Target audience" name="targetAudience" maxLength={BRAND_KIT_LIMITS.shortText} value={values.targetAudience} onChange={(event) => set('targetAudience', event.target.value)} error={errors.targetAudience} />
            <TextArea label="Tone and style" name="toneAndStyle" className="md:col-span-2" maxLength={BRAND_KIT_LIMITS.shortText} value={values.toneAndStyle} onChange={(event) => set('toneAndStyle', event.target.value)} error={errors.toneAndStyle} />
            <TextArea
              label="Preferred phrases"
              name="preferredPhrases"
              rows={4}
              value={values.preferredPhrases}
              onChange={(event) => set('preferredPhrases', event.target.value)}
              error={errors.preferredPhrases}
              hint={`One per line, up to ${BRAND_KIT_LIMITS.phrases}.`}
            />
            <TextArea
              label="Forbidden phrases"
              name="forbiddenPhrases"
              rows={4}
              value={values.forbiddenPhrases}
              onChange={(event) => set('forbiddenPhrases', event.target.value)}
              error={errors.forbiddenPhrases}
              hint="One per line: AI drafts never use them."
            />
            <Field
              label="Default hashtags"
              name="defaultHashtags"
              className="md:col-span-2"
              placeholder="#oatmilk #plantbased"
              value={values.defaultHashtags}
              onChange={(event) => set('defaultHashtags', event.target.value)}
              error={errors.defaultHashtags}
              hint={`Separated by spaces or commas, up to ${BRAND_KIT_LIMITS.hashtags}.`}
            />
          </div>

          <FormError message={errors.form} />
          <div className="flex items-center justify-end gap-3">
            {hydrated && issues.length > 0 && (
              <span className="text-sm text-red-600" data-testid="brand-kit-issue-count">
                {issues.length === 1 ? '1 thing to fix' : `${issues.length} things to fix`}
              </span>
            )}
            <Button type="submit" disabled={saving} data-testid="save-brand-kit">
              {saving ? 'Saving…' : `Save as version ${kit.version + 1}`}
            </Button>
          </div>
        </Form>

        <BrandKitLogoPanel workspaceId={workspaceId} kit={kit} error={logoError} onPick={setPickedLogo} />
      </div>

      <aside className="lg:col-span-2">
        <div className="space-y-2 lg:sticky lg:top-6">
          <h2 className="text-sm font-semibold text-slate-700">Live preview</h2>
          <BrandKitPreview content={content} issues={issues} clientName={clientName} logo={logoUrl ? { url: logoUrl, alt: `${clientName} logo` } : null} logoPending={pickedLogo !== null} />
        </div>
      </aside>
    </div>
  )
}

function inputClass(invalid: boolean, extra = ''): string {
  return `block ${controlRing(invalid)} ${extra}`
}

/** The color as a swatch; once hydrated, also the browser's color picker (it writes #rrggbb into the hex field). */
function ColorSwatch({ hex, interactive, label, onPick }: { hex: string; interactive: boolean; label: string; onPick: (hex: string) => void }) {
  const valid = isHexColor(hex)
  const value = valid ? normaliseHex(hex) : '#ffffff'
  return (
    <span className="relative mt-0.5 inline-flex size-9 shrink-0 overflow-hidden rounded-md ring-1 ring-slate-300" style={valid ? { backgroundColor: value } : undefined}>
      {!valid && <span aria-hidden className="m-auto text-xs text-slate-400">?</span>}
      {interactive && (
        <input type="color" aria-label={label} value={value} onChange={(event) => onPick(event.target.value)} className="absolute inset-0 size-full cursor-pointer opacity-0" />
      )}
    </span>
  )
}
