// AI content limits (domain/ai-content.ts): hashtag normalisation, counting in code points and words, the
// violations of each format's hard limits, and fitToFormat bringing any provider's output within them.
import { describe, expect, it } from 'vitest'
import {
  ASSET_FORMATS,
  FORMAT_SPECS,
  REPURPOSE_FORMATS,
  charCount,
  clampText,
  countWords,
  fitToFormat,
  formatViolations,
  normaliseHashtag,
  normaliseHashtags,
  variantCaption,
  providerChainFor,
  CAPTION_MAX,
  type ContentFormat,
  type VariantContent,
} from '../../domain/ai-content'

const ALL_FORMATS: ContentFormat[] = [...ASSET_FORMATS, ...REPURPOSE_FORMATS]

function content(changes: Partial<VariantContent> = {}): VariantContent {
  return { text: 'Fresh autumn blend, roasted this week.', hashtags: [], adCopy: null, segments: [], subject: null, preheader: null, ...changes }
}

const words = (count: number, word = 'coffee') => Array.from({ length: count }, () => word).join(' ')
const rules = (format: ContentFormat, value: VariantContent) => formatViolations(format, value).map((v) => v.rule)

describe('hashtags', () => {
  it('strips the leading #, spaces and punctuation, and keeps letters of any script, digits and underscores', () => {
    expect(normaliseHashtag('#Summer Sale!')).toBe('SummerSale')
    expect(normaliseHashtag('##café_au-lait')).toBe('café_aulait')
    expect(normaliseHashtag('  #2025  ')).toBe('2025')
    expect(normaliseHashtag('#नमस्ते')).toBe('नमस्ते')
    expect(normaliseHashtag('東京カフェ')).toBe('東京カフェ')
    expect(normaliseHashtag('#')).toBe('')
    expect(normaliseHashtag('🔥')).toBe('')
  })

  it('drops empties and case-insensitive duplicates, keeping the first spelling and the order', () => {
    expect(normaliseHashtags(['#Coffee', 'coffee', ' ', '#', 'Latte', 'COFFEE', 'oat milk'])).toEqual(['Coffee', 'Latte', 'oatmilk'])
  })
})

describe('counting', () => {
  it('counts characters in code points, as the platforms do', () => {
    expect(charCount('é🙂a')).toBe(3)
    expect(rules('instagram', content({ text: '🙂'.repeat(2200), adCopy: { headline: 'h', body: 'b', cta: 'LEARN_MORE' } }))).toEqual([])
    expect(rules('instagram', content({ text: '🙂'.repeat(2201), adCopy: { headline: 'h', body: 'b', cta: 'LEARN_MORE' } }))).toEqual(['text_too_long'])
  })

  it('counts words with inner apostrophes as one and ignores punctuation and emoji', () => {
    expect(countWords("Don't stop — it's 3 o'clock. 🙂")).toBe(5)
    expect(countWords('')).toBe(0)
  })

  it('shortens at a word boundary with an ellipsis, or cuts a single long word hard', () => {
    expect(clampText('Short enough', 20)).toBe('Short enough')
    expect(clampText('Roasted in small batches, every Friday morning', 30)).toBe('Roasted in small batches…')
    expect(clampText('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`)
    expect(charCount(clampText('word '.repeat(100), 42))).toBeLessThanOrEqual(42)
  })
})

describe('format violations', () => {
  const ad = { headline: 'The autumn blend', body: 'Roasted in small batches.', cta: 'SHOP_NOW' as const }

  it('finds nothing wrong with content inside every limit', () => {
    expect(formatViolations('instagram', content({ adCopy: ad, hashtags: ['coffee'] }))).toEqual([])
  })

  it('names each broken limit with a sentence', () => {
    const over = formatViolations('instagram', content({ text: words(400), hashtags: Array.from({ length: 31 }, (_, i) => `tag${i}`), adCopy: { headline: 'h'.repeat(41), body: 'b'.repeat(126), cta: 'SHOP_NOW' } }))
    expect(over.map((v) => v.rule)).toEqual(['text_too_long', 'too_many_hashtags', 'headline_too_long', 'ad_body_too_long'])
    expect(over[0]?.message).toBe('The text is 2,799 characters; an Instagram post takes at most 2,200.')
    expect(over[1]?.message).toBe('Has 31 hashtags; Instagram takes at most 30.')
    expect(rules('tiktok', content({ adCopy: { ...ad, body: 'b'.repeat(101) } }))).toEqual(['ad_body_too_long'])
    expect(rules('linkedin_post', content({ hashtags: ['a', 'b', 'c', 'd', 'e', 'f'] }))).toEqual(['too_many_hashtags'])
  })

  it('asks for ad copy where the format has it', () => {
    expect(rules('facebook', content())).toEqual(['missing_ad_copy'])
    expect(rules('facebook', content({ adCopy: { ...ad, body: ' ' } }))).toEqual(['missing_ad_copy'])
    expect(rules('facebook_post', content())).toEqual([])
  })

  it('keeps an X thread to 5-7 posts of 280 characters', () => {
    const posts = (count: number) => Array.from({ length: count }, (_, i) => `Post ${i + 1}.`)
    const thread = (segments: string[]) => content({ segments, text: segments.join('\n\n') })
    expect(rules('x_thread', thread(posts(5)))).toEqual([])
    expect(rules('x_thread', thread(posts(4)))).toEqual(['too_few_segments'])
    expect(rules('x_thread', thread(posts(8)))).toEqual(['too_many_segments'])
    const long = formatViolations('x_thread', thread([...posts(5), 'x'.repeat(281)]))
    expect(long).toEqual([{ rule: 'segment_too_long', message: 'Post 6 is 281 characters; each takes at most 280.' }])
  })

  it('gives a newsletter a subject line and no hashtags', () => {
    expect(rules('email_newsletter', content())).toEqual(['missing_subject'])
    expect(rules('email_newsletter', content({ subject: 's'.repeat(81), preheader: 'p'.repeat(121), hashtags: ['coffee'] }))).toEqual([
      'too_many_hashtags',
      'subject_too_long',
      'preheader_too_long',
    ])
    expect(formatViolations('email_newsletter', content({ subject: 'Hi', hashtags: ['coffee'] }))[0]?.message).toBe('Has 1 hashtag; an email newsletter takes none.')
  })

  it('measures a spoken script in words against 30-60 seconds', () => {
    const script = (count: number) => content({ text: words(count), segments: ['Hook.', 'Beat.', 'Call to action.'] })
    expect(rules('tiktok_script', script(75))).toEqual([])
    expect(rules('tiktok_script', script(150))).toEqual([])
    expect(rules('tiktok_script', script(74))).toEqual(['script_length'])
    expect(rules('tiktok_script', script(151))).toEqual(['script_length'])
    expect(formatViolations('tiktok_script', script(60))[0]?.message).toBe('The script is 60 words, about 24 s spoken; it needs 75–150 words (30–60 s).')
  })
})

describe('fitToFormat', () => {
  it('leaves content inside the limits as it is, with no adjustments', () => {
    const value = content({ hashtags: ['coffee', 'autumn'], adCopy: { headline: 'Autumn blend', body: 'Roasted on Fridays.', cta: 'SHOP_NOW' } })
    expect(fitToFormat('instagram', value)).toEqual({ content: value, adjustments: [] })
  })

  it('normalises hashtags and cuts those over the platform limit', () => {
    const tags = [...Array.from({ length: 33 }, (_, i) => `#tag${i}`), '#TAG1', 'summer sale!']
    const { content: fitted, adjustments } = fitToFormat('instagram', content({ hashtags: tags }))
    expect(fitted.hashtags).toHaveLength(30)
    expect(fitted.hashtags[0]).toBe('tag0')
    expect(adjustments).toEqual(['Rewrote 1 hashtag to letters, digits and underscores only.', 'Removed 1 empty or repeated hashtag.', "Cut 4 hashtags over Instagram's 30."])
    const email = fitToFormat('email_newsletter', content({ subject: 'Hi', hashtags: ['coffee', 'autumn'] }))
    expect(email.content.hashtags).toEqual([])
    expect(email.adjustments).toEqual(['Removed 2 hashtags: an email newsletter takes none.'])
  })

  it('shortens text over the limit at a word boundary and says so', () => {
    const long = `${words(300, 'espresso')} end`
    const { content: fitted, adjustments } = fitToFormat('tiktok', content({ text: long, adCopy: { headline: 'h', body: 'b', cta: 'SHOP_NOW' } }))
    expect(charCount(fitted.text)).toBeLessThanOrEqual(2200)
    expect(fitted.text.endsWith('espresso…')).toBe(true)
    expect(adjustments).toEqual(["Shortened the text from 2,703 to 2,200 characters, TikTok's limit for a TikTok post."])
  })

  it('clamps ad copy, and drops it where the format has none', () => {
    const adCopy = { headline: 'A headline that goes on far longer than forty characters', body: 'word '.repeat(40), cta: 'LEARN_MORE' as const }
    const fitted = fitToFormat('facebook', content({ adCopy }))
    expect(charCount(fitted.content.adCopy?.headline ?? '')).toBeLessThanOrEqual(40)
    expect(charCount(fitted.content.adCopy?.body ?? '')).toBeLessThanOrEqual(125)
    expect(fitted.content.adCopy?.cta).toBe('LEARN_MORE')
    expect(fitted.adjustments).toEqual(['Shortened the ad headline to 40 characters.', 'Shortened the ad text to 125 characters.'])
    const linkedin = fitToFormat('linkedin_post', content({ adCopy }))
    expect(linkedin.content.adCopy).toBeNull()
    expect(linkedin.adjustments).toEqual(['Dropped the ad copy: a LinkedIn post has none.'])
  })

  it('keeps a thread to seven posts (the last one stays) and rebuilds its text from the posts', () => {
    const posts = Array.from({ length: 9 }, (_, i) => (i === 3 ? `${words(60, 'beans')}.` : `Post ${i + 1}.`))
    const { content: fitted, adjustments } = fitToFormat('x_thread', content({ segments: posts, text: 'stale' }))
    expect(fitted.segments).toHaveLength(7)
    expect(fitted.segments[6]).toBe('Post 9.')
    expect(fitted.segments.every((post) => charCount(post) <= 280)).toBe(true)
    expect(fitted.text).toBe(fitted.segments.join('\n\n'))
    expect(adjustments).toEqual(['Cut 2 posts over the limit of 7.', 'Shortened 1 post to 280 characters each.'])
    expect(formatViolations('x_thread', fitted)).toEqual([])
  })

  it('reads a thread written as one text as posts, one per paragraph', () => {
    const text = ['One.', 'Two.', 'Three.', 'Four.', 'Five.'].join('\n\n')
    expect(fitToFormat('x_thread', content({ text })).content.segments).toEqual(['One.', 'Two.', 'Three.', 'Four.', 'Five.'])
  })

  it('cuts a script that runs over 60 seconds at a sentence, and leaves a short one short', () => {
    const sentence = 'Our autumn blend is roasted in small batches every Friday morning.'
    const long = Array.from({ length: 20 }, () => sentence).join(' ')
    const { content: fitted, adjustments } = fitToFormat('tiktok_script', content({ text: long, segments: ['Hook.', 'Beat.', 'CTA.'] }))
    expect(countWords(fitted.text)).toBeLessThanOrEqual(150)
    expect(countWords(fitted.text)).toBeGreaterThanOrEqual(120)
    expect(fitted.text.endsWith('morning.')).toBe(true)
    expect(adjustments).toEqual(['Cut the script to 150 words (60 s spoken).'])
    const short = fitToFormat('tiktok_script', content({ text: words(40), segments: ['Hook.', 'Beat.', 'CTA.'] }))
    expect(short.adjustments).toEqual([])
    expect(rules('tiktok_script', short.content)).toEqual(['script_length'])
  })

  it('clamps the subject and preheader, and drops them where the format has none', () => {
    const email = fitToFormat('email_newsletter', content({ subject: words(20, 'subject'), preheader: words(30, 'preview') }))
    expect(charCount(email.content.subject ?? '')).toBeLessThanOrEqual(80)
    expect(charCount(email.content.preheader ?? '')).toBeLessThanOrEqual(120)
    const post = fitToFormat('facebook_post', content({ subject: 'Hello', preheader: 'There', segments: ['stray'] }))
    expect(post.content).toMatchObject({ subject: null, preheader: null, segments: [] })
    expect(post.adjustments).toEqual([
      'Dropped 1 segment: a Facebook post has none.',
      'Dropped the subject line: a Facebook post has none.',
      'Dropped the preheader: a Facebook post has none.',
    ])
  })

  it('brings over-limit output of every format within its limits, and a second pass changes nothing', () => {
    const sentence = 'Fresh coffee tastes best in the first weeks after roasting.'
    for (const format of ALL_FORMATS) {
      const wild = content({
        text: Array.from({ length: 1200 }, () => sentence).join(' '),
        hashtags: Array.from({ length: 40 }, (_, i) => `#tag ${i}`),
        adCopy: { headline: words(20, 'headline'), body: words(40, 'body'), cta: 'SHOP_NOW' },
        segments: Array.from({ length: 10 }, () => words(90, 'beat')),
        subject: words(30, 'subject'),
        preheader: words(40, 'preheader'),
      })
      const once = fitToFormat(format, wild)
      expect(formatViolations(format, once.content), format).toEqual([])
      expect(fitToFormat(format, once.content).adjustments, format).toEqual([])
      expect(once.content.hashtags.length).toBeLessThanOrEqual(FORMAT_SPECS[format].hashtagsMax)
    }
  })
})

describe('variantCaption', () => {
  it('puts the hashtags on a last line, and a newsletter’s subject and preheader on top', () => {
    expect(variantCaption('instagram', content({ hashtags: ['coffee', 'autumn'] }))).toBe('Fresh autumn blend, roasted this week.\n\n#coffee #autumn')
    expect(variantCaption('email_newsletter', content({ subject: 'Autumn is here', preheader: 'Our new blend' }))).toBe(
      'Subject: Autumn is here\nPreheader: Our new blend\n\nFresh autumn blend, roasted this week.',
    )
  })

  it('keeps the platform’s and the card’s limit with the hashtags counted: the last hashtags go first, then text', () => {
    const long = 'Roasted this week in small batches. '.repeat(60).trim()
    const tags = Array.from({ length: 30 }, (_, i) => `autumnblend${i}`)
    const fitted = fitToFormat('instagram', content({ text: long, hashtags: tags })).content
    const caption = variantCaption('instagram', fitted)
    expect([...caption].length).toBeLessThanOrEqual(2200)
    expect(caption.startsWith(fitted.text)).toBe(true)
    expect(caption).toContain('#autumnblend0')
    expect(caption).not.toContain('#autumnblend29')
    // Facebook allows 63,206 characters; the card holds 2,200.
    const facebook = variantCaption('facebook', content({ text: 'Word '.repeat(3000).trim(), hashtags: ['coffee'] }))
    expect([...facebook].length).toBeLessThanOrEqual(CAPTION_MAX)
  })
})

describe('providerChainFor', () => {
  it('takes the request’s chain, else the campaign’s, else the agency’s, else the default', () => {
    expect(providerChainFor({ requested: ['offline'], campaign: ['gemini'], agency: ['openai'] })).toEqual(['offline'])
    expect(providerChainFor({ requested: [], campaign: ['gemini'], agency: ['openai'] })).toEqual(['gemini'])
    expect(providerChainFor({ campaign: [], agency: ['openai', 'offline'] })).toEqual(['openai', 'offline'])
    expect(providerChainFor({ campaign: null, agency: null })).toEqual(['openai', 'gemini', 'offline'])
  })
})

