// What AI-generated content is and the limits it must keep: the formats Greenlight writes (captions for an
// asset on a platform, and the repurposing formats), each format's limits, the three variation angles, and
// the ad-copy call-to-action codes. Shared by the providers, the scoring rubric, the API and the UI.
import { CARD_LIMITS } from './content-board'

export const AI_PROVIDERS = ['openai', 'gemini', 'offline'] as const
export type AiProvider = (typeof AI_PROVIDERS)[number]

export const AI_PROVIDER_LABELS: Record<AiProvider, string> = {
  openai: 'OpenAI',
  gemini: 'Google Gemini',
  offline: 'Offline generator',
}

/** The chain used when neither the campaign nor the agency chose one. */
export const DEFAULT_PROVIDER_CHAIN: readonly AiProvider[] = ['openai', 'gemini', 'offline']

/**
 * The providers a batch uses, in order: the ones the request names, else the campaign's chain, else the
 * agency's, else the default. An empty chain means "not chosen here".
 */
export function providerChainFor(choices: { requested?: readonly string[] | null; campaign?: readonly string[] | null; agency?: readonly string[] | null }): AiProvider[] {
  const chosen = [choices.requested, choices.campaign, choices.agency].find((chain) => chain && chain.length > 0)
  return [...((chosen ?? DEFAULT_PROVIDER_CHAIN) as readonly AiProvider[])]
}

/** Captions for an asset on one of the platforms Greenlight publishes to. */
export const ASSET_FORMATS = ['instagram', 'facebook', 'tiktok'] as const
/** Platform-native pieces written from a long text (a blog post, a brief). */
export const REPURPOSE_FORMATS = [
  'instagram_caption',
  'tiktok_script',
  'facebook_post',
  'linkedin_post',
  'email_newsletter',
  'x_thread',
] as const
export type AssetFormat = (typeof ASSET_FORMATS)[number]
export type RepurposeFormat = (typeof REPURPOSE_FORMATS)[number]
export type ContentFormat = AssetFormat | RepurposeFormat

/** Meta's call-to-action types that also exist on TikTok ads; the ad copy's CTA is one of them. */
export const CTA_CODES = [
  'LEARN_MORE',
  'SHOP_NOW',
  'SIGN_UP',
  'ORDER_NOW',
  'BOOK_NOW',
  'CONTACT_US',
  'DOWNLOAD',
  'GET_OFFER',
  'SUBSCRIBE',
  'WATCH_MORE',
] as const
export type CtaCode = (typeof CTA_CODES)[number]

export interface AdCopy {
  headline: string
  body: string
  cta: CtaCode
}

/**
 * One generated piece. `text` is the main body in every format: the caption, the post, the spoken script,
 * the newsletter body, or (for an X thread) the posts joined by blank lines. `segments` holds the thread's
 * posts or the script's beats; `subject` and `preheader` belong to the newsletter.
 */
export interface VariantContent {
  text: string
  /** Without the leading '#'. */
  hashtags: string[]
  /** Ad copy: asset formats only. */
  adCopy: AdCopy | null
  segments: string[]
  subject: string | null
  preheader: string | null
}

/** Three variations of every item, each from its own angle, so parallel calls do not write the same thing. */
export const VARIATION_ANGLES = ['benefit', 'story', 'question'] as const
export type VariationAngle = (typeof VARIATION_ANGLES)[number]
export const VARIANTS_PER_ITEM_MAX = VARIATION_ANGLES.length

/** Assets in one batch. */
export const BATCH_ASSET_LIMIT = 30
/** Longest source text a repurposing batch takes (characters). */
export const REPURPOSE_SOURCE_MAX = 20_000
export const REPURPOSE_SOURCE_MIN = 200

/** Where a format is published: the platform whose limits it keeps. */
export type FormatChannel = 'instagram' | 'facebook' | 'tiktok' | 'linkedin' | 'email' | 'x'

/**
 * A format's limits. `textMax` and `hashtagsMax` are the platform's hard limits (or ours where the platform has
 * none); the `ideal` ranges are what the platform-relevance rubric rewards. A spoken script is measured in
 * words (`spokenWords`, at SPOKEN_WORDS_PER_SECOND), everything else in characters.
 */
export interface FormatSpec {
  label: string
  channel: FormatChannel
  textMax: number
  textIdeal: readonly [number, number]
  hashtagsMax: number
  hashtagsIdeal: readonly [number, number]
  /** Ad copy limits; null where the format has no ad copy. */
  adCopy: { headlineMax: number; bodyMax: number } | null
  /** Thread posts or script beats; null where the format has none. */
  segments: { min: number; max: number; eachMax: number } | null
  subjectMax: number | null
  preheaderMax: number | null
  /** Spoken formats: the words that fill the target duration. */
  spokenWords: readonly [number, number] | null
}

/** A relaxed, clear delivery for short-form video voice-over. */
export const SPOKEN_WORDS_PER_SECOND = 2.5
export const TIKTOK_SCRIPT_SECONDS = [30, 60] as const

// Sources: Instagram Graph API (caption 2,200 characters, 30 hashtags); Facebook Page posts (63,206
// characters); TikTok Content Posting API (title up to 2,200 UTF-16 runes); Meta ads (headline 40 and primary
// text 125 characters before truncation); TikTok ads (ad text 1-100 characters); LinkedIn posts (3,000
// characters); X posts (280 characters). Ideal ranges are editorial choices, kept here so they are one rule.
export const FORMAT_SPECS: Record<ContentFormat, FormatSpec> = {
  instagram: {
    label: 'Instagram post',
    channel: 'instagram',
    textMax: 2200,
    textIdeal: [80, 700],
    hashtagsMax: 30,
    hashtagsIdeal: [3, 12],
    adCopy: { headlineMax: 40, bodyMax: 125 },
    segments: null,
    subjectMax: null,
    preheaderMax: null,
    spokenWords: null,
  },
  facebook: {
    label: 'Facebook post',
    channel: 'facebook',
    textMax: 63206,
    textIdeal: [60, 500],
    hashtagsMax: 10,
    hashtagsIdeal: [0, 3],
    adCopy: { headlineMax: 40, bodyMax: 125 },
    segments: null,
    subjectMax: null,
    preheaderMax: null,
    spokenWords: null,
  },
  tiktok: {
    label: 'TikTok post',
    channel: 'tiktok',
    textMax: 2200,
    textIdeal: [40, 300],
    hashtagsMax: 10,
    hashtagsIdeal: [3, 6],
    adCopy: { headlineMax: 40, bodyMax: 100 },
    segments: null,
    subjectMax: null,
    preheaderMax: null,
    spokenWords: null,
  },
  instagram_caption: {
    label: 'Instagram caption',
    channel: 'instagram',
    textMax: 2200,
    textIdeal: [150, 1000],
    hashtagsMax: 30,
    hashtagsIdeal: [3, 12],
    adCopy: null,
    segments: null,
    subjectMax: null,
    preheaderMax: null,
    spokenWords: null,
  },
  tiktok_script: {
    label: 'TikTok script (30-60 s)',
    channel: 'tiktok',
    textMax: 1500,
    textIdeal: [350, 900],
    hashtagsMax: 10,
    hashtagsIdeal: [3, 6],
    adCopy: null,
    segments: { min: 3, max: 8, eachMax: 400 },
    subjectMax: null,
    preheaderMax: null,
    spokenWords: [TIKTOK_SCRIPT_SECONDS[0] * SPOKEN_WORDS_PER_SECOND, TIKTOK_SCRIPT_SECONDS[1] * SPOKEN_WORDS_PER_SECOND],
  },
  facebook_post: {
    label: 'Facebook post',
    channel: 'facebook',
    textMax: 63206,
    textIdeal: [150, 1200],
    hashtagsMax: 10,
    hashtagsIdeal: [0, 3],
    adCopy: null,
    segments: null,
    subjectMax: null,
    preheaderMax: null,
    spokenWords: null,
  },
  linkedin_post: {
    label: 'LinkedIn post',
    channel: 'linkedin',
    textMax: 3000,
    textIdeal: [500, 1800],
    hashtagsMax: 5,
    hashtagsIdeal: [2, 5],
    adCopy: null,
    segments: null,
    subjectMax: null,
    preheaderMax: null,
    spokenWords: null,
  },
  email_newsletter: {
    label: 'Email newsletter',
    channel: 'email',
    textMax: 10000,
    textIdeal: [600, 3000],
    hashtagsMax: 0,
    hashtagsIdeal: [0, 0],
    adCopy: null,
    segments: null,
    subjectMax: 80,
    preheaderMax: 120,
    spokenWords: null,
  },
  x_thread: {
    label: 'X thread (5-7 posts)',
    channel: 'x',
    textMax: 7 * 280 + 6 * 2,
    textIdeal: [900, 1900],
    hashtagsMax: 2,
    hashtagsIdeal: [0, 2],
    adCopy: null,
    segments: { min: 5, max: 7, eachMax: 280 },
    subjectMax: null,
    preheaderMax: null,
    spokenWords: null,
  },
}

export function isAssetFormat(format: string): format is AssetFormat {
  return (ASSET_FORMATS as readonly string[]).includes(format)
}

export function isRepurposeFormat(format: string): format is RepurposeFormat {
  return (REPURPOSE_FORMATS as readonly string[]).includes(format)
}

// ---------------------------------------------------------------------------------------------------------
// Keeping the limits. Every provider's output goes through fitToFormat before it is stored, so no variant
// breaks a platform's hard limit; formatViolations says what is still wrong (it feeds the platform-relevance
// rubric). Characters are counted in code points, as the platforms count them ("é" and "🙂" are one each).

export const CHANNEL_LABELS: Record<FormatChannel, string> = {
  instagram: 'Instagram',
  facebook: 'Facebook',
  tiktok: 'TikTok',
  linkedin: 'LinkedIn',
  email: 'email',
  x: 'X',
}

export type FormatRule =
  | 'text_too_long'
  | 'too_many_hashtags'
  | 'headline_too_long'
  | 'ad_body_too_long'
  | 'missing_ad_copy'
  | 'too_few_segments'
  | 'too_many_segments'
  | 'segment_too_long'
  | 'subject_too_long'
  | 'preheader_too_long'
  | 'missing_subject'
  | 'script_length'

export interface FormatViolation {
  rule: FormatRule
  message: string
}

const ELLIPSIS = '…'
// Letters (with their combining marks, so Devanagari or Thai tags survive), digits and underscores: what
// Instagram, TikTok and X link as one hashtag.
const HASHTAG_NOT_ALLOWED = /[^\p{L}\p{M}\p{N}_]+/gu
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu

/** Length in code points. */
export function charCount(text: string): number {
  let count = 0
  for (const _ of text) count++
  return count
}

/** The words of a text, as written: letter-and-digit runs, with inner apostrophes ("don't" is one word). */
export function textWords(text: string): string[] {
  return text.match(WORD) ?? []
}

export function countWords(text: string): number {
  return textWords(text).length
}

/** "#Summer Sale!" → "SummerSale": no leading '#', nothing a platform would not link. May return "". */
export function normaliseHashtag(tag: string): string {
  return tag.normalize('NFC').trim().replace(/^#+/, '').replace(HASHTAG_NOT_ALLOWED, '')
}

/** Normalised, empties dropped, duplicates (compared case-insensitively) dropped, first spelling kept. */
export function normaliseHashtags(tags: readonly string[]): string[] {
  const seen = new Set<string>()
  const kept: string[] = []
  for (const tag of tags) {
    const value = normaliseHashtag(tag)
    const key = value.toLowerCase()
    if (value === '' || seen.has(key)) continue
    seen.add(key)
    kept.push(value)
  }
  return kept
}

/**
 * `text` cut to at most `max` code points, at a word boundary where one is near, ending with '…'. Trailing
 * commas, colons and dashes before the cut go too, so the result never ends mid-clause on a stray comma.
 */
export function clampText(text: string, max: number): string {
  const value = text.trim()
  const chars = [...value]
  if (chars.length <= max) return value
  if (max <= 1) return max === 1 ? ELLIPSIS : ''
  const room = chars.slice(0, max - 1)
  // Cut before the last space if that keeps most of the text; a hard cut beats losing half of it to one word.
  let cut = room.length
  for (let i = room.length; i >= Math.ceil(room.length * 0.6); i--) {
    if (/\s/u.test(chars[i] ?? '')) {
      cut = i
      break
    }
  }
  const head = room.slice(0, cut).join('').replace(/[\s,;:–—-]+$/u, '')
  return `${head}${ELLIPSIS}`
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US')
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`
}

/** "an Instagram post", "an X thread", "an email newsletter": a format's label inside a sentence. */
function withArticle(label: string): string {
  const inSentence = label.startsWith('Email ') ? label.charAt(0).toLowerCase() + label.slice(1) : label
  return `${/^(?:[aeiou]|X\b)/i.test(inSentence) ? 'an' : 'a'} ${inSentence}`
}

/** Every hard limit the content breaks in this format; an empty list means it can be published as is. */
export function formatViolations(format: ContentFormat, content: VariantContent): FormatViolation[] {
  const spec = FORMAT_SPECS[format]
  const channel = CHANNEL_LABELS[spec.channel]
  const violations: FormatViolation[] = []
  const textLength = charCount(content.text)
  if (textLength > spec.textMax) {
    violations.push({ rule: 'text_too_long', message: `The text is ${plural(textLength, 'character')}; ${withArticle(spec.label)} takes at most ${formatCount(spec.textMax)}.` })
  }
  if (content.hashtags.length > spec.hashtagsMax) {
    violations.push({
      rule: 'too_many_hashtags',
      message: spec.hashtagsMax === 0
        ? `Has ${plural(content.hashtags.length, 'hashtag')}; ${withArticle(spec.label)} takes none.`
        : `Has ${plural(content.hashtags.length, 'hashtag')}; ${channel} takes at most ${spec.hashtagsMax}.`,
    })
  }
  if (spec.adCopy) {
    const ad = content.adCopy
    if (!ad || ad.headline.trim() === '' || ad.body.trim() === '') {
      violations.push({ rule: 'missing_ad_copy', message: `Needs ad copy with a headline and a body for ${withArticle(spec.label)}.` })
    }
    if (ad && charCount(ad.headline) > spec.adCopy.headlineMax) {
      violations.push({ rule: 'headline_too_long', message: `The ad headline is ${plural(charCount(ad.headline), 'character')}; ${channel} ads show ${spec.adCopy.headlineMax}.` })
    }
    if (ad && charCount(ad.body) > spec.adCopy.bodyMax) {
      violations.push({ rule: 'ad_body_too_long', message: `The ad text is ${plural(charCount(ad.body), 'character')}; ${channel} ads show ${spec.adCopy.bodyMax}.` })
    }
  }
  if (spec.segments) {
    const { min, max, eachMax } = spec.segments
    const part = format === 'x_thread' ? 'post' : 'beat'
    if (content.segments.length < min) {
      violations.push({ rule: 'too_few_segments', message: `Has ${plural(content.segments.length, part)}; ${withArticle(spec.label)} needs at least ${min}.` })
    }
    if (content.segments.length > max) {
      violations.push({ rule: 'too_many_segments', message: `Has ${plural(content.segments.length, part)}; ${withArticle(spec.label)} takes at most ${max}.` })
    }
    const tooLong = content.segments.map((segment, i) => ({ i, length: charCount(segment) })).filter((s) => s.length > eachMax)
    for (const { i, length } of tooLong) {
      violations.push({ rule: 'segment_too_long', message: `${part === 'post' ? 'Post' : 'Beat'} ${i + 1} is ${plural(length, 'character')}; each takes at most ${eachMax}.` })
    }
  }
  if (spec.subjectMax !== null) {
    const subject = content.subject?.trim() ?? ''
    if (subject === '') violations.push({ rule: 'missing_subject', message: `${capitalise(withArticle(spec.label))} needs a subject line.` })
    else if (charCount(subject) > spec.subjectMax) {
      violations.push({ rule: 'subject_too_long', message: `The subject line is ${plural(charCount(subject), 'character')}; keep it to ${spec.subjectMax}.` })
    }
  }
  if (spec.preheaderMax !== null && content.preheader && charCount(content.preheader) > spec.preheaderMax) {
    violations.push({ rule: 'preheader_too_long', message: `The preheader is ${plural(charCount(content.preheader), 'character')}; keep it to ${spec.preheaderMax}.` })
  }
  if (spec.spokenWords) {
    const words = countWords(content.text)
    const [least, most] = spec.spokenWords
    if (words < least || words > most) {
      violations.push({
        rule: 'script_length',
        message: `The script is ${plural(words, 'word')}, about ${Math.round(words / SPOKEN_WORDS_PER_SECOND)} s spoken; it needs ${least}–${most} words (${TIKTOK_SCRIPT_SECONDS[0]}–${TIKTOK_SCRIPT_SECONDS[1]} s).`,
      })
    }
  }
  return violations
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The script's words cut to `most`, ending at the last full sentence that fits (else at a word, with '…'). */
function clampSpoken(text: string, most: number): string {
  const sentences = text.match(/[^.!?…]+[.!?…]+["”’)]*\s*|[^.!?…]+$/gu) ?? [text]
  let kept = ''
  for (const sentence of sentences) {
    if (countWords(kept + sentence) > most) break
    kept += sentence
  }
  if (countWords(kept) >= most * 0.8) return kept.trim()
  // No sentence boundary near the limit: cut after the `most`-th word.
  let seen = 0
  let end = text.length
  for (const match of text.matchAll(WORD)) {
    seen++
    if (seen === most) {
      end = (match.index ?? 0) + match[0].length
      break
    }
  }
  return `${text.slice(0, end).replace(/[\s,;:–—-]+$/u, '')}${ELLIPSIS}`
}

/**
 * Makes any provider's output keep the format's hard limits: hashtags normalised and capped, text, ad copy,
 * segments, subject and preheader shortened, parts the format has no place for dropped; an X thread's text is
 * rebuilt from its posts. It only removes or shortens, never writes anything new, so a variant that is too
 * short (a thread of three posts, a 60-word script) keeps its violation. Each adjustment is a sentence for
 * the person reviewing the variant.
 */
export function fitToFormat(format: ContentFormat, content: VariantContent): { content: VariantContent; adjustments: string[] } {
  const spec = FORMAT_SPECS[format]
  const channel = CHANNEL_LABELS[spec.channel]
  const adjustments: string[] = []

  const cleaned = content.hashtags.map((tag) => tag.trim().replace(/^#+/, ''))
  const respelled = cleaned.filter((tag) => normaliseHashtag(tag) !== '' && normaliseHashtag(tag) !== tag.normalize('NFC')).length
  let hashtags = normaliseHashtags(content.hashtags)
  if (respelled > 0) adjustments.push(`Rewrote ${plural(respelled, 'hashtag')} to letters, digits and underscores only.`)
  const dropped = content.hashtags.length - hashtags.length
  if (dropped > 0) adjustments.push(`Removed ${plural(dropped, 'empty or repeated hashtag')}.`)
  if (hashtags.length > spec.hashtagsMax) {
    adjustments.push(
      spec.hashtagsMax === 0
        ? `Removed ${plural(hashtags.length, 'hashtag')}: ${withArticle(spec.label)} takes none.`
        : `Cut ${plural(hashtags.length - spec.hashtagsMax, 'hashtag')} over ${channel}'s ${spec.hashtagsMax}.`,
    )
    hashtags = hashtags.slice(0, spec.hashtagsMax)
  }

  let adCopy: AdCopy | null = content.adCopy
  if (adCopy && !spec.adCopy) {
    adjustments.push(`Dropped the ad copy: ${withArticle(spec.label)} has none.`)
    adCopy = null
  } else if (adCopy && spec.adCopy) {
    const headline = clampText(adCopy.headline, spec.adCopy.headlineMax)
    const body = clampText(adCopy.body, spec.adCopy.bodyMax)
    if (charCount(adCopy.headline.trim()) > spec.adCopy.headlineMax) adjustments.push(`Shortened the ad headline to ${spec.adCopy.headlineMax} characters.`)
    if (charCount(adCopy.body.trim()) > spec.adCopy.bodyMax) adjustments.push(`Shortened the ad text to ${spec.adCopy.bodyMax} characters.`)
    adCopy = { headline, body, cta: adCopy.cta }
  }

  let segments = content.segments.map((segment) => segment.trim()).filter((segment) => segment !== '')
  let text = content.text.trim()
  if (!spec.segments && segments.length > 0) {
    adjustments.push(`Dropped ${plural(segments.length, 'segment')}: ${withArticle(spec.label)} has none.`)
    segments = []
  } else if (spec.segments) {
    const { max, eachMax } = spec.segments
    const part = format === 'x_thread' ? 'post' : 'beat'
    if (format === 'x_thread' && segments.length === 0 && text !== '') {
      // A thread written as one text: its paragraphs are its posts.
      segments = text.split(/\n\s*\n/u).map((post) => post.trim()).filter((post) => post !== '')
    }
    if (segments.length > max) {
      // The last post or beat is the call to action: keep it, drop from the middle's end.
      adjustments.push(`Cut ${plural(segments.length - max, part)} over the limit of ${max}.`)
      segments = [...segments.slice(0, max - 1), segments[segments.length - 1] ?? '']
    }
    const long = segments.filter((segment) => charCount(segment) > eachMax).length
    if (long > 0) {
      adjustments.push(`Shortened ${plural(long, part)} to ${eachMax} characters each.`)
      segments = segments.map((segment) => clampText(segment, eachMax))
    }
    if (format === 'x_thread') text = segments.join('\n\n')
  }

  if (spec.spokenWords && countWords(text) > spec.spokenWords[1]) {
    adjustments.push(`Cut the script to ${spec.spokenWords[1]} words (${TIKTOK_SCRIPT_SECONDS[1]} s spoken).`)
    text = clampSpoken(text, spec.spokenWords[1])
  }
  if (charCount(text) > spec.textMax) {
    adjustments.push(`Shortened the text from ${formatCount(charCount(text))} to ${formatCount(spec.textMax)} characters, ${channel}'s limit for ${withArticle(spec.label)}.`)
    text = clampText(text, spec.textMax)
  }

  let subject = content.subject?.trim() || null
  let preheader = content.preheader?.trim() || null
  if (spec.subjectMax === null) {
    if (subject !== null) adjustments.push(`Dropped the subject line: ${withArticle(spec.label)} has none.`)
    subject = null
  } else if (subject !== null && charCount(subject) > spec.subjectMax) {
    adjustments.push(`Shortened the subject line to ${spec.subjectMax} characters.`)
    subject = clampText(subject, spec.subjectMax)
  }
  if (spec.preheaderMax === null) {
    if (preheader !== null) adjustments.push(`Dropped the preheader: ${withArticle(spec.label)} has none.`)
    preheader = null
  } else if (preheader !== null && charCount(preheader) > spec.preheaderMax) {
    adjustments.push(`Shortened the preheader to ${spec.preheaderMax} characters.`)
    preheader = clampText(preheader, spec.preheaderMax)
  }

  return { content: { text, hashtags, adCopy, segments, subject, preheader }, adjustments }
}

/** The longest caption a card holds (domain/content-board.ts): AI captions land on cards. */
export const CAPTION_MAX = CARD_LIMITS.caption

/**
 * A variant as one text, as it lands on a card's caption: the text with its hashtags on a last line; a
 * newsletter opens with its subject and preheader. Ad copy stays out (it belongs to the ad, not the post).
 * The result keeps both the format's and the card's limit.
 */
export function variantCaption(format: ContentFormat, content: VariantContent, maxLength = CAPTION_MAX): string {
  const head: string[] = []
  if (FORMAT_SPECS[format].subjectMax !== null) {
    const lines = [content.subject ? `Subject: ${content.subject}` : '', content.preheader ? `Preheader: ${content.preheader}` : ''].filter(Boolean)
    if (lines.length > 0) head.push(lines.join('\n'))
  }
  const join = (blocks: string[]) => blocks.filter((block) => block !== '').join('\n\n')
  const limit = Math.min(maxLength, FORMAT_SPECS[format].textMax)
  // Hashtags count toward the platform's limit (Instagram's 2,200 includes them): the last ones go first,
  // then the text is cut at a word, so the caption as published keeps the limit.
  const tags = content.hashtags.map((tag) => `#${tag}`)
  for (let kept = tags.length; kept >= 0; kept--) {
    const caption = join([...head, content.text.trim(), tags.slice(0, kept).join(' ')])
    if (charCount(caption) <= limit) return caption
  }
  const prefix = join(head)
  const room = limit - charCount(prefix) - (prefix ? 2 : 0)
  return join([...head, clampText(content.text.trim(), Math.max(room, 0))])
}
