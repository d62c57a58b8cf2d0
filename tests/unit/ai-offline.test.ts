// The offline generator (activities/ai/offline.ts): deterministic for a seed, inside every format's limits,
// never a forbidden phrase, written from the asset, the brief and the brand kit, and extractive when
// repurposing a text.
import { describe, expect, it } from 'vitest'
import { createOfflineProvider } from '../../activities/ai/offline'
import type { AssetContext, BrandContext, CampaignContext, GenerationRequest } from '../../activities/ai/types'
import {
  ASSET_FORMATS,
  REPURPOSE_FORMATS,
  VARIATION_ANGLES,
  charCount,
  countWords,
  formatViolations,
  type ContentFormat,
  type VariantContent,
} from '../../domain/ai-content'
import { findPhrases, scoreVariants, variantWording } from '../../domain/rubric'

const ALL_FORMATS: ContentFormat[] = [...ASSET_FORMATS, ...REPURPOSE_FORMATS]
const SEEDS = [1, 2, 7, 42, 1234567]

const brand: BrandContext = {
  workspaceName: 'Northwind Studio',
  clientName: 'Juniper Coffee',
  voicePrompt: 'Warm and friendly, a little playful.',
  personality: 'Curious, honest',
  targetAudience: 'Busy city commuters',
  toneAndStyle: 'Short sentences.',
  preferredPhrases: ['brewed with care'],
  forbiddenPhrases: ['cheap', 'link in our bio', 'story', 'game changer'],
  defaultHashtags: ['#JuniperCoffee', 'CheapEats', 'coffee'],
}

const campaign: CampaignContext = {
  name: 'Harvest Market',
  objective: 'sales',
  audience: 'Weekend brunch lovers',
  keyMessages: ['Our autumn blend is roasted in small batches every Friday', 'Free delivery on orders over $30', 'Cheap prices all season long'],
}

const video: AssetContext = { name: 'juniper_autumn-blend_pour_v2.mp4', kind: 'video', mimeType: 'video/mp4', width: 1080, height: 1920, durationMs: 14_600, image: null }
const photo: AssetContext = { name: 'IMG_2041.JPG', kind: 'image', mimeType: 'image/jpeg', width: 1600, height: 900, durationMs: null, image: null }

const SOURCE = `How we cut our delivery times in half

Last spring our average delivery took four days. Customers noticed, and so did our reviews. We decided to rebuild the way orders move through the roastery.

The first change was simple. We stopped roasting to a weekly plan and started roasting to the orders of the day. Fresh coffee left the building within hours instead of days.

The second change was harder. We moved packing next to the roasters, so bags no longer crossed the building twice. That alone saved almost a day.

Why does fast delivery matter so much? Coffee tastes best in the first weeks after roasting. Faster delivery means every customer drinks it at its peak.

Today the average order arrives in under two days. Our reviews mention freshness more than anything else, and repeat orders are up by a third.`

const SOURCE_SENTENCES = SOURCE.split(/\n+/).slice(1).join(' ').split(/(?<=[.?])\s+/).map((s) => s.trim())

function request(changes: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    format: 'instagram',
    angle: 'benefit',
    variantIndex: 0,
    seed: 1,
    brand,
    campaign,
    asset: video,
    sourceText: null,
    requestKey: 'batch-1:0:0',
    ...changes,
  }
}

const offline = createOfflineProvider()
const generate = async (changes: Partial<GenerationRequest> = {}) => (await offline.generate(request(changes))).content

/** Every format with the input it is written from: an asset for captions, the source text for repurposing. */
function inputFor(format: ContentFormat): Partial<GenerationRequest> {
  return (REPURPOSE_FORMATS as readonly string[]).includes(format) ? { format, asset: null, sourceText: SOURCE } : { format }
}

describe('the offline provider', () => {
  it('says what it is, sees no images, has no judge and uses no tokens', async () => {
    expect(offline).toMatchObject({ id: 'offline', model: 'greenlight-offline-v1', supportsImages: false })
    const generated = await offline.generate(request())
    expect(generated).toMatchObject({ provider: 'offline', model: 'greenlight-offline-v1', usage: { inputTokens: 0, outputTokens: 0 }, sawImage: false })
    await expect(offline.judge({ format: 'instagram', brand, variants: [generated.content], requestKey: 'judge' })).resolves.toBeNull()
  })

  it('refuses a request that was already cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(offline.generate(request(), controller.signal)).rejects.toThrow()
  })
})

describe('determinism', () => {
  it('writes the same output for the same request, in every format', async () => {
    for (const format of ALL_FORMATS) {
      for (const angle of VARIATION_ANGLES) {
        const input = { ...inputFor(format), angle, seed: 42 }
        expect(await generate(input), `${format} ${angle}`).toEqual(await generate(input))
      }
    }
  })

  it('words things differently for different seeds', async () => {
    for (const format of ALL_FORMATS) {
      const texts = new Set<string>()
      for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) texts.add((await generate({ ...inputFor(format), seed })).text)
      expect(texts.size, format).toBeGreaterThanOrEqual(3)
    }
  })
})

describe('limits and brand rules', () => {
  it('breaks no format limit, in any format, angle or seed, from an asset or a source text', async () => {
    for (const format of ALL_FORMATS) {
      for (const angle of VARIATION_ANGLES) {
        for (const seed of SEEDS) {
          for (const input of [{ format }, { format, asset: photo, campaign: null }, { format, asset: null, sourceText: SOURCE }]) {
            const content = await generate({ ...input, angle, seed })
            expect(formatViolations(format, content), `${format} ${angle} ${seed} ${JSON.stringify(input).slice(0, 60)}`).toEqual([])
          }
        }
      }
    }
  })

  it('never writes a forbidden phrase, even one in the brief, the default hashtags or its own templates', async () => {
    for (const format of ALL_FORMATS) {
      for (const angle of VARIATION_ANGLES) {
        for (const seed of SEEDS) {
          const content = await generate({ ...inputFor(format), angle, seed })
          expect(findPhrases(variantWording(content), brand.forbiddenPhrases), `${format} ${angle} ${seed}`).toEqual([])
          expect(content.hashtags.some((tag) => tag.toLowerCase().includes('cheap'))).toBe(false)
        }
      }
    }
  })

  it('keeps a spoken script to 30-60 seconds and a thread to 5-7 posts, however thin the material', async () => {
    const thin = { asset: photo, campaign: null, brand: { ...brand, preferredPhrases: [], defaultHashtags: [] } }
    for (const seed of SEEDS) {
      const script = await generate({ ...thin, format: 'tiktok_script', seed })
      expect(countWords(script.text)).toBeGreaterThanOrEqual(75)
      expect(countWords(script.text)).toBeLessThanOrEqual(150)
      const thread = await generate({ ...thin, format: 'x_thread', seed })
      expect(thread.segments.length).toBeGreaterThanOrEqual(5)
      expect(thread.segments.length).toBeLessThanOrEqual(7)
    }
  })

  it('writes siblings that score well and are not near-duplicates of each other', async () => {
    for (const format of ALL_FORMATS) {
      const variants: VariantContent[] = []
      for (const [variantIndex, angle] of VARIATION_ANGLES.entries()) variants.push(await generate({ ...inputFor(format), angle, variantIndex, seed: 9 }))
      const scores = scoreVariants({ format, variants, brand, judge: null })
      for (const score of scores) {
        expect(score.rubrics.originality.score, format).toBeGreaterThan(50)
        expect(score.rubrics.brandConsistency.score, format).toBeGreaterThanOrEqual(80)
        expect(score.rubrics.platformRelevance.score, format).toBeGreaterThanOrEqual(70)
      }
    }
  })
})

describe('what it writes from', () => {
  it('writes asset captions from the asset, the brief and the brand kit', async () => {
    for (const angle of VARIATION_ANGLES) {
      const content = await generate({ angle })
      // "autumn blend" from the file name, which a key message also names; the video's length.
      expect(content.text.toLowerCase()).toContain('autumn blend')
      expect(content.text).toContain('15 seconds')
      expect(campaign.keyMessages.slice(0, 2).some((message) => content.text.includes(message))).toBe(true)
      expect(content.hashtags.slice(0, 2)).toEqual(['JuniperCoffee', 'coffee'])
      expect(content.adCopy?.cta).toBe('SHOP_NOW')
      expect(content.text).toMatch(/brewed with care/i)
    }
    const leads = await generate({ campaign: { ...campaign, objective: 'leads' } })
    expect(leads.adCopy?.cta).toBe('SIGN_UP')
  })

  it('writes about a photo without talking about seconds or sound', async () => {
    for (const angle of VARIATION_ANGLES) {
      const content = await generate({ asset: photo, campaign: null, angle })
      expect(content.text).not.toMatch(/seconds|sound on|watch/i)
      // No key messages and a camera's file name: the post is about the brand's latest.
      expect(variantWording(content)).toContain("Juniper Coffee's latest")
    }
  })

  it('changes the structure with the angle: the question angle opens with a question', async () => {
    for (const format of ['instagram', 'facebook', 'tiktok', 'instagram_caption', 'linkedin_post'] as const) {
      const [benefit, story, question] = await Promise.all(VARIATION_ANGLES.map((angle) => generate({ ...inputFor(format), angle })))
      expect(question?.text.split('\n')[0], format).toContain('?')
      expect(new Set([benefit?.text.split('\n')[0], story?.text.split('\n')[0], question?.text.split('\n')[0]]).size).toBe(3)
    }
  })

  it('follows the brand’s register: no emoji for a formal brand', async () => {
    const formal = { ...brand, voicePrompt: 'Professional and precise.', personality: 'Expert', toneAndStyle: 'Formal' }
    const emoji = /\p{Extended_Pictographic}/u
    for (const format of ALL_FORMATS) {
      for (const seed of SEEDS) expect(emoji.test((await generate({ ...inputFor(format), brand: formal, seed })).text), format).toBe(false)
    }
    const playful = await Promise.all(SEEDS.map((seed) => generate({ seed })))
    expect(playful.some((content) => emoji.test(content.text))).toBe(true)
  })

  it('repurposes by extracting the source’s key sentences into each format', async () => {
    for (const format of REPURPOSE_FORMATS) {
      const content = await generate({ format, asset: null, sourceText: SOURCE })
      const extracted = SOURCE_SENTENCES.filter((sentence) => variantWording(content).includes(sentence))
      expect(extracted.length, format).toBeGreaterThanOrEqual(2)
      expect(content.adCopy).toBeNull()
    }
    const thread = await generate({ format: 'x_thread', asset: null, sourceText: SOURCE })
    expect(thread.segments.every((post, i) => post.endsWith(`${i + 1}/${thread.segments.length}`) && charCount(post) <= 280)).toBe(true)
    const newsletter = await generate({ format: 'email_newsletter', asset: null, sourceText: SOURCE, angle: 'benefit', seed: 3 })
    expect(newsletter.subject).toBeTruthy()
    expect(newsletter.preheader).toBeTruthy()
    expect(newsletter.hashtags).toEqual([])
    expect(newsletter.text).toMatch(/The Juniper Coffee team$/)
    const script = await generate({ format: 'tiktok_script', asset: null, sourceText: SOURCE })
    expect(script.segments.length).toBeGreaterThanOrEqual(3)
    expect(script.text).toBe(script.segments.join('\n\n'))
  })

  it('asks the source’s own question in the question angle', async () => {
    const hooks = new Set<string>()
    for (const seed of SEEDS) hooks.add((await generate({ format: 'instagram_caption', asset: null, sourceText: SOURCE, angle: 'question', seed })).text.split('\n')[0] ?? '')
    expect([...hooks].some((hook) => hook.startsWith('Why does fast delivery matter so much?'))).toBe(true)
  })
})
