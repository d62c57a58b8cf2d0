// Settings → Sandbox, the page's rules: reading an "inject a fault" form into the API's body, and how long an
// injected fault still lasts, in words.
export type InjectFormErrors = Partial<Record<'form' | 'platform' | 'count', string>>

/** The body of POST /api/sandbox/publishing/faults as the form gives it; the API checks the names. */
export interface InjectRequestBody {
  preset: string
  platform: string
  count?: number
}

export type InjectFormReading = { ok: true; body: InjectRequestBody } | { ok: false; preset: string; errors: InjectFormErrors }

/**
 * The preset, platform and count of an inject form. The API checks the names and the largest count; here only
 * what a person can get wrong in the form: no platform chosen, or a count that is not a whole number from 1.
 */
export function readInjectForm(form: FormData): InjectFormReading {
  const preset = String(form.get('preset') ?? '').trim()
  const platform = String(form.get('platform') ?? '').trim()
  const countText = String(form.get('count') ?? '').trim()
  const errors: InjectFormErrors = {}
  if (preset === '') errors.form = 'Choose a fault to inject.'
  if (platform === '') errors.platform = 'Choose a platform.'
  const count = Number(countText)
  if (countText !== '' && (!Number.isInteger(count) || count < 1)) errors.count = 'Give a whole number of posts, 1 or more.'
  if (Object.keys(errors).length > 0) return { ok: false, preset, errors }
  return { ok: true, body: { preset, platform, ...(countText === '' ? {} : { count }) } }
}

/** How long an injected fault or changed setting lasts: for the next N calls or posts, or until cleared. */
export function remainingLabel(remaining: number | null): string {
  if (remaining === null) return 'Until cleared'
  return remaining === 1 ? 'The next one' : `The next ${remaining}`
}
