// @vitest-environment happy-dom
// Brand-kit rules (domain/brand-kit.ts), how versions are compared and described, how the editor's form maps
// to a kit and places messages, and the editor's live preview following what is typed.
import { act, createElement } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { createRoutesStub } from 'react-router'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { brandKitContentOf, changedBrandKitFields, describeChange, describeIssuePath, sameBrandKitContent } from '../../api/services/brand-kits'
import type { BrandKit } from '../../api/schemas/workspace'
import { BRAND_KIT_LIMITS, brandKitIssues, contrastRatio, normaliseBrandKit, normaliseHex, starterBrandKit, type BrandKitContent } from '../../domain/brand-kit'
import type { BrandKitVersion } from '../../generated/prisma/client'
import {
  BrandKitEditor,
  brandKitFormValues,
  brandKitFromValues,
  checkBrandKitForm,
  placeBrandKitIssues,
  readBrandKitForm,
  withSpareColorRow,
} from '../../web/app/components/brand-kit-editor'
import { contrastWarnings, paletteRoles } from '../../web/app/components/brand-kit-preview'
import WorkspaceDetail from '../../web/app/routes/workspace-detail'

const kit = (changes: Partial<BrandKitContent> = {}): BrandKitContent => ({ ...starterBrandKit(), ...changes })
const paths = (content: BrandKitContent) => brandKitIssues(content).map((issue) => issue.path)

describe('brand-kit rules', () => {
  it('accepts the starter kit', () => {
    expect(brandKitIssues(starterBrandKit())).toEqual([])
  })

  it('needs 3 to 12 colors, each a hex color with a name, none twice', () => {
    const three = starterBrandKit().colors
    expect(brandKitIssues(kit({ colors: three.slice(0, 2) }))).toEqual([{ path: '/colors', message: 'needs at least 3 colors' }])
    const thirteen = Array.from({ length: 13 }, (_, i) => ({ name: `C${i}`, hex: `#0000${(i + 16).toString(16)}` }))
    expect(paths(kit({ colors: thirteen }))).toEqual(['/colors'])
    expect(brandKitIssues(kit({ colors: [...three.slice(0, 2), { name: 'Ink', hex: 'black' }] }))).toEqual([
      { path: '/colors/2/hex', message: '"black" is not a hex color like #1a2b3c' },
    ])
    for (const bad of ['#12345', '#1234567', '123456', '#ggg', '#12 345', 'rgb(0,0,0)']) {
      expect(paths(kit({ colors: [...three.slice(0, 2), { name: 'X', hex: bad }] })), bad).toEqual(['/colors/2/hex'])
    }
    expect(paths(kit({ colors: [...three.slice(0, 2), { name: ' ', hex: '#000000' }] }))).toEqual(['/colors/2/name'])
    expect(paths(kit({ colors: [...three.slice(0, 2), { name: 'Again', hex: '#1F6F5C' }] }))).toEqual(['/colors/2/hex'])
    // Three-digit hex is a color too.
    expect(brandKitIssues(kit({ colors: [...three.slice(0, 2), { name: 'Short', hex: '#abc' }] }))).toEqual([])
  })

  it('takes font family names only, nothing that could become CSS', () => {
    expect(brandKitIssues(kit({ headingFont: 'Playfair Display', bodyFont: 'Source Sans 3' }))).toEqual([])
    for (const font of ['', '  ', 'Arial; color: red', 'Inter", serif', 'url(x)', 'F'.repeat(BRAND_KIT_LIMITS.font + 1)]) {
      expect(paths(kit({ headingFont: font })), font).toEqual(['/headingFont'])
    }
  })

  it('limits phrases and hashtags, and a phrase cannot be both preferred and forbidden', () => {
    expect(paths(kit({ preferredPhrases: ['ok', ''] }))).toEqual(['/preferredPhrases/1'])
    expect(paths(kit({ preferredPhrases: ['Plant powered'], forbiddenPhrases: ['plant POWERED '] }))).toEqual(['/forbiddenPhrases/0'])
    expect(paths(kit({ defaultHashtags: ['#ok', 'not ok', '#no-dash'] }))).toEqual(['/defaultHashtags/1', '/defaultHashtags/2'])
    expect(paths(kit({ defaultHashtags: Array.from({ length: BRAND_KIT_LIMITS.hashtags + 1 }, (_, i) => `t${i}`) }))).toEqual(['/defaultHashtags'])
    expect(paths(kit({ voicePrompt: 'v'.repeat(BRAND_KIT_LIMITS.longText + 1) }))).toEqual(['/voicePrompt'])
  })

  it('needs at least one target platform, each once', () => {
    expect(paths(kit({ targetPlatforms: [] }))).toEqual(['/targetPlatforms'])
    expect(paths(kit({ targetPlatforms: ['tiktok', 'tiktok'] }))).toEqual(['/targetPlatforms'])
  })

  it('stores colors and hashtags in canonical form', () => {
    const normalised = normaliseBrandKit(kit({ colors: [{ name: ' Primary ', hex: '#ABC' }, ...starterBrandKit().colors.slice(1)], defaultHashtags: ['oat', '#oat', 'Oat'] }))
    expect(normalised.colors[0]).toEqual({ name: 'Primary', hex: '#aabbcc' })
    expect(normalised.defaultHashtags).toEqual(['#oat', '#Oat'])
    expect(normaliseHex(' #1F6F5C ')).toBe('#1f6f5c')
  })

  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#777777', '#777')).toBeCloseTo(1, 5)
    expect(contrastWarnings(starterBrandKit().colors)).toEqual([])
    expect(contrastWarnings([{ name: 'P', hex: '#ffffff' }, { name: 'A', hex: '#eeeeee' }, { name: 'Ink', hex: '#dddddd' }])[0]).toContain('below the 4.5:1')
    expect(paletteRoles([{ name: 'P', hex: 'nope' }])).toEqual({ primary: '#e2e8f0', accent: '#e2e8f0', ink: '#0f172a' })
  })
})

function versionRow(version: number, content: BrandKitContent, logoFileId: string | null = null): BrandKitVersion {
  return {
    id: `v${version}`,
    agencyId: 'a',
    workspaceId: 'w',
    version,
    createdById: null,
    createdAt: new Date(0),
    logoFileId,
    ...content,
    // jsonb hands object keys back in its own order; the comparison must not care.
    colors: content.colors.map((color) => ({ hex: color.hex, name: color.name })),
  }
}

describe('versions', () => {
  it('names what changed between two versions, in words', () => {
    const v1 = versionRow(1, starterBrandKit())
    const v2 = versionRow(2, kit({ headingFont: 'Lora', colors: [...starterBrandKit().colors.slice(0, 2), { name: 'Ink', hex: '#000000' }] }))
    expect(changedBrandKitFields(v1, v2)).toEqual(['colors', 'headingFont'])
    expect(describeChange(['colors', 'headingFont'], v2)).toBe('Changed colors and heading font')
    expect(describeChange(['colors', 'headingFont', 'targetPlatforms'], v2)).toBe('Changed colors, heading font and target platforms')
    const v3 = versionRow(3, brandKitContentOf(v2), 'file-1')
    expect(changedBrandKitFields(v2, v3)).toEqual(['logo'])
    expect(describeChange(['logo'], v3)).toBe('Uploaded a new logo')
    expect(describeChange(['logo'], versionRow(4, brandKitContentOf(v2)))).toBe('Removed the logo')
  })

  it('treats a kit equal up to jsonb key order as unchanged', () => {
    const row = versionRow(1, starterBrandKit())
    expect(sameBrandKitContent(brandKitContentOf(row), normaliseBrandKit(starterBrandKit()))).toBe(true)
    expect(sameBrandKitContent(brandKitContentOf(row), kit({ bodyFont: 'Inter' }))).toBe(false)
  })

  it('says where an issue is in words', () => {
    expect(describeIssuePath('/colors/1/hex')).toBe('Color 2 hex')
    expect(describeIssuePath('/colors')).toBe('Colors')
    expect(describeIssuePath('/preferredPhrases/3')).toBe('Preferred phrases, entry 4')
    expect(describeIssuePath('/headingFont')).toBe('Heading font')
  })
})

describe('the editor form', () => {
  it('maps a kit to form values and back', () => {
    const content = kit({ preferredPhrases: ['Good mornings', 'Oat-ly yours'], defaultHashtags: ['#oat', '#milk'], targetPlatforms: ['instagram', 'tiktok'] })
    const values = brandKitFormValues(content)
    expect(values.colors.at(-1)).toEqual({ name: '', hex: '' })
    expect(values.preferredPhrases).toBe('Good mornings\nOat-ly yours')
    expect(brandKitFromValues(values).content).toEqual(content)
  })

  it('reads a posted form: blank color rows are skipped, phrases by line, hashtags by spaces or commas', () => {
    const form = new FormData()
    for (const [name, hex] of [['Primary', '#1f6f5c'], ['', ''], ['Accent', '#f2b134'], ['Ink', ' #1c1c1e ']]) {
      form.append('colorName', name!)
      form.append('colorHex', hex!)
    }
    form.set('headingFont', ' Lora ')
    form.set('bodyFont', 'Inter')
    form.set('logoPosition', 'center')
    form.set('preferredPhrases', 'one\r\n\n two \n')
    form.set('defaultHashtags', '#a, b  #c')
    form.append('targetPlatforms', 'instagram')
    form.append('targetPlatforms', 'facebook')
    const values = readBrandKitForm(form)
    const { content, colorRows } = brandKitFromValues(values)
    expect(content.colors).toEqual([
      { name: 'Primary', hex: '#1f6f5c' },
      { name: 'Accent', hex: '#f2b134' },
      { name: 'Ink', hex: '#1c1c1e' },
    ])
    expect(colorRows).toEqual([0, 2, 3])
    expect(content).toMatchObject({ headingFont: 'Lora', logoPosition: 'center', preferredPhrases: ['one', 'two'], defaultHashtags: ['#a', 'b', '#c'], targetPlatforms: ['instagram', 'facebook'] })
    expect(checkBrandKitForm(values)).toEqual({})
  })

  it('places each message at its form row, skipping blank rows, and keeps the API’s sentence', () => {
    const values = brandKitFormValues(starterBrandKit())
    values.colors = [{ name: 'Primary', hex: '#1f6f5c' }, { name: '', hex: '' }, { name: 'Accent', hex: 'orange' }]
    expect(checkBrandKitForm(values)).toEqual({
      colors: 'needs at least 3 colors',
      'colors.2.hex': '"orange" is not a hex color like #1a2b3c',
    })
    const placed = placeBrandKitIssues(
      [{ path: '/preferredPhrases/1', message: 'must be 1–200 characters' }, { path: '/baseVersion', message: 'current version is 4' }],
      [0, 1, 2],
      'This edit was made on version 3.',
    )
    expect(placed).toEqual({ preferredPhrases: 'Phrase 2: must be 1–200 characters', form: 'This edit was made on version 3. current version is 4' })
  })

  it('always offers one blank row to add a color, until the limit', () => {
    expect(withSpareColorRow([{ name: 'A', hex: '#000' }])).toHaveLength(2)
    expect(withSpareColorRow([{ name: 'A', hex: '#000' }, { name: '', hex: '' }])).toHaveLength(2)
    const full = Array.from({ length: BRAND_KIT_LIMITS.maxColors }, (_, i) => ({ name: `C${i}`, hex: '#000' }))
    expect(withSpareColorRow(full)).toHaveLength(BRAND_KIT_LIMITS.maxColors)
  })
})

describe('the editor’s live preview', () => {
  let root: Root | undefined
  // Tells React that updates are awaited with act(), as a test renderer would.
  beforeAll(() => {
    ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
  })
  afterEach(() => {
    act(() => root?.unmount())
    document.body.innerHTML = ''
  })

  const currentKit: BrandKit = {
    ...starterBrandKit(),
    id: '00000000-0000-4000-8000-000000000001',
    workspaceId: '00000000-0000-4000-8000-000000000002',
    version: 4,
    createdAt: new Date(0).toISOString(),
    createdBy: null,
    logo: null,
  }

  async function renderEditor() {
    const Stub = createRoutesStub([
      { path: '/workspaces/:workspaceId', Component: () => createElement(BrandKitEditor, { workspaceId: currentKit.workspaceId, clientName: 'Oat Milk Co', kit: currentKit }) },
    ])
    const container = document.createElement('div')
    document.body.append(container)
    root = createRoot(container)
    await act(async () => root!.render(createElement(Stub, { initialEntries: [`/workspaces/${currentKit.workspaceId}`] })))
    return container
  }

  const byTestId = <T extends Element = HTMLElement>(container: Element, id: string) => {
    const element = container.querySelector<T & Element>(`[data-testid="${id}"]`)
    if (!element) throw new Error(`no [data-testid="${id}"]`)
    return element
  }

  /** Types into a controlled input the way a browser does: set the value, fire "input". */
  async function type(input: HTMLInputElement, value: string) {
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!
    await act(async () => {
      setValue.call(input, value)
      input.dispatchEvent(new Event('input', { bubbles: true }))
    })
  }

  it('redraws the sample post with the fonts and colors as they are typed, and flags an invalid color', async () => {
    const container = await renderEditor()
    const heading = byTestId<HTMLElement>(container, 'preview-heading')
    expect(heading.style.fontFamily).toContain('Georgia')
    expect(byTestId(container, 'save-brand-kit').textContent).toBe('Save as version 5')

    await type(byTestId<HTMLInputElement>(container, 'heading-font-input'), 'Playfair Display')
    expect(byTestId<HTMLElement>(container, 'preview-heading').style.fontFamily).toContain('Playfair Display')
    await type(byTestId<HTMLInputElement>(container, 'body-font-input'), 'Inter')
    expect(byTestId<HTMLElement>(container, 'preview-body').style.fontFamily).toContain('Inter')

    await type(byTestId<HTMLInputElement>(container, 'color-hex-0'), '#ff0000')
    expect(byTestId<HTMLElement>(container, 'preview-canvas').style.backgroundColor).toMatch(/#ff0000|rgb\(255, 0, 0\)/)

    await type(byTestId<HTMLInputElement>(container, 'color-hex-1'), 'orange')
    expect(byTestId(container, 'color-error-1').textContent).toContain('"orange" is not a hex color')
    expect(byTestId(container, 'brand-kit-issue-count').textContent).toBe('1 thing to fix')

    // A font name that is not a family name never reaches the style.
    await type(byTestId<HTMLInputElement>(container, 'heading-font-input'), 'Arial; color: red')
    expect(byTestId<HTMLElement>(container, 'preview-heading').style.fontFamily).not.toContain('Arial')
    expect(byTestId(container, 'headingFont-error').textContent).toContain('font family name')
  })

  it('adds a color by filling in the blank row, and moves the logo with the position', async () => {
    const container = await renderEditor()
    expect(container.querySelectorAll('[data-testid="color-row"]')).toHaveLength(4)
    await type(byTestId<HTMLInputElement>(container, 'color-name-3'), 'Sky')
    await type(byTestId<HTMLInputElement>(container, 'color-hex-3'), '#87ceeb')
    expect(container.querySelectorAll('[data-testid="color-row"]')).toHaveLength(5)
    expect([...container.querySelectorAll('[data-testid="preview-swatch"]')].map((swatch) => swatch.textContent)).toContain('Sky#87ceeb')

    const select = byTestId<HTMLSelectElement>(container, 'logo-position-select')
    await act(async () => {
      select.value = 'bottom-right'
      select.dispatchEvent(new Event('change', { bubbles: true }))
    })
    expect(byTestId(container, 'preview-logo-placeholder').getAttribute('data-position')).toBe('bottom-right')
  })
})

describe('the workspace page without JavaScript', () => {
  it('renders on the server with everything a plain form post needs', () => {
    const workspace = { id: '00000000-0000-4000-8000-000000000002', name: 'Oat Milk', clientName: 'Oat Milk Co', description: '', archivedAt: null, createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString() }
    const brandKit: BrandKit = { ...starterBrandKit(), id: '00000000-0000-4000-8000-000000000001', workspaceId: workspace.id, version: 4, createdAt: new Date(0).toISOString(), createdBy: null, logo: null }
    const versions = [{ version: 4, createdAt: new Date(0).toISOString(), createdBy: { id: 'u', name: 'Erin' }, changedFields: ['bodyFont'], summary: 'Changed body font' }]
    const loaderData = { workspace, brandKit, versions, viewed: null, limits: { name: 120, clientName: 120, description: 2000 } }
    const user = { permissions: ['workspace.read', 'workspace.write', 'brandkit.write'], csrfToken: 'csrf-token-1' }
    const Stub = createRoutesStub([
      {
        id: 'routes/signed-in',
        path: '/',
        loader: () => ({ user }),
        children: [{ path: 'workspaces/:workspaceId', Component: () => createElement(WorkspaceDetail, { loaderData, actionData: undefined } as never) }],
      },
    ])
    const html = renderToString(createElement(Stub, { initialEntries: [`/workspaces/${workspace.id}`], hydrationData: { loaderData: { 'routes/signed-in': { user } } } }))
    expect(html).toContain('data-testid="brand-kit-form"')
    // Three colors and the blank row for adding one, as plain fields.
    expect(html.match(/name="colorHex"/g)).toHaveLength(4)
    expect(html).toContain('name="baseVersion" value="4"')
    expect(html.match(/name="_csrf" value="csrf-token-1"/g)!.length).toBeGreaterThanOrEqual(3)
    expect(html).toMatch(/enctype="multipart\/form-data"/i)
    expect(html).toContain('Save as version 5')
    // The preview is drawn on the server too, with the saved fonts.
    expect(html).toMatch(/font-family:&quot;Georgia&quot;[^"]*" data-testid="preview-heading"/)
    expect(html).toContain('Changed body font')
    // Buttons that need JavaScript are not drawn without it.
    expect(html).not.toContain('data-testid="remove-color-0"')
  })
})
