// The offline generator: an AI provider with no model and no key. It writes every format from templates,
// filled in from the brief (campaign name, objective, audience, key messages), the brand kit (voice, preferred
// phrases, default hashtags; never a forbidden phrase) and the asset's metadata (name, kind, orientation,
// duration). Repurposing is extractive: the source's key sentences, picked by word frequency, shaped into the
// format. The same request always gives the same output (a seeded PRNG, never Math.random), a different seed
// generally different wording; the three angles change the structure, not just the words. Everything passes
// through fitToFormat, so no output breaks a format's limits. It says what it is: provider "offline".
import {
  FORMAT_SPECS,
  charCount,
  clampText,
  countWords,
  fitToFormat,
  isAssetFormat,
  normaliseHashtag,
  normaliseHashtags,
  textWords,
  type ContentFormat,
  type CtaCode,
  type FormatChannel,
  type VariantContent,
  type VariationAngle,
} from '../../domain/ai-content'
import { findPhrases, phraseRegExp } from '../../domain/rubric'
import type { AiProviderClient, AssetContext, BrandContext, CampaignContext, GeneratedVariant, GenerationRequest } from './types'
import { mulberry32 } from '../../platform/seeded-random'

export const OFFLINE_MODEL = 'greenlight-offline-v1'

export function createOfflineProvider(): AiProviderClient {
  return {
    id: 'offline',
    model: OFFLINE_MODEL,
    supportsImages: false,
    async generate(request: GenerationRequest, signal?: AbortSignal): Promise<GeneratedVariant> {
      signal?.throwIfAborted()
      return {
        content: writeOffline(request),
        provider: 'offline',
        model: OFFLINE_MODEL,
        usage: { inputTokens: 0, outputTokens: 0 },
        sawImage: false,
      }
    },
    // No model, so no judge: the rubric's rule checks score offline variants on their own.
    judge(): Promise<null> {
      return Promise.resolve(null)
    },
    // Nor a free task: callers keep their own answer without a model (e.g. the extractive thread summary).
    completeJson(): Promise<null> {
      return Promise.resolve(null)
    },
  }
}

// ---------------------------------------------------------------------------------------------------------
// Seeded randomness

/** FNV-1a: mixes the request's parts into the seed, so two assets under one seed are not written alike. */
function hashText(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

class Dice {
  private readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  int(below: number): number {
    return Math.floor(this.next() * below)
  }
  chance(probability: number): boolean {
    return this.next() < probability
  }
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items]
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const a = copy[i] as T
      copy[i] = copy[j] as T
      copy[j] = a
    }
    return copy
  }
}

// ---------------------------------------------------------------------------------------------------------
// Words and sentences

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Trimmed, single-spaced, capitalised, ending in punctuation; "" stays "". */
function asSentence(text: string): string {
  const value = text.replace(/\s+/gu, ' ').trim().replace(/^[-–—•*·>\s]+/u, '')
  if (value === '') return ''
  const capital = capitalise(value)
  return /[.!?…]["”’)]*$/u.test(capital) ? capital : `${capital}.`
}

function withoutFinalStop(text: string): string {
  return text.trim().replace(/[.…]+$/u, '')
}

/** "Summer Drop" → "SummerDrop": a name as a hashtag. */
function camelTag(text: string): string {
  return textWords(text).map((word) => capitalise(word)).join('')
}

const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each even ever every few for from further get gets got had has have having he her here ' +
    'hers him his how i if in into is it its itself just know let like made make makes many may me might more most much must my ' +
    'never new no nor not now of off often on once one only or other our ours out over own really same say says she should so some ' +
    'still such take than that the their theirs them then there these they thing things this those through to too under until up ' +
    'upon us use used very want was way ways we well were what when where which while who whom why will with within without would ' +
    'yet you your yours yourself also lot lots get getting going gone want wants need needs every everyone something anything ' +
    'nothing always sometimes usually already actually simply people time times year years day days week weeks back first last ' +
    'next good great better best right sure around another'
  ).split(' '),
)

/** "orders" and "order" counted as one word: a plural "s" off, where the word is long enough to have one. */
function stem(word: string): string {
  return word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word
}

function contentWords(text: string): string[] {
  return textWords(text)
    .map((word) => word.toLowerCase())
    .filter((word) => word.length >= 3 && !STOP_WORDS.has(word) && !/^\d+$/u.test(word))
}

// ---------------------------------------------------------------------------------------------------------
// Brand voice

type Register = 'playful' | 'warm' | 'professional'

const PLAYFUL = /\b(?:playful|fun|funny|witty|cheeky|quirky|irreverent|humou?r|bold|energetic|upbeat|lively|cheerful)\b/giu
const PROFESSIONAL = /\b(?:professional|formal|authoritative|expert|corporate|b2b|precise|serious|technical|credible|polished)\b/giu

/** The brand's register, read from its voice, personality and tone: it decides emoji and wording. */
function registerOf(brand: BrandContext): Register {
  const voice = `${brand.voicePrompt} ${brand.personality} ${brand.toneAndStyle}`
  const playful = voice.match(PLAYFUL)?.length ?? 0
  const professional = voice.match(PROFESSIONAL)?.length ?? 0
  if (playful === 0 && professional === 0) return 'warm'
  return playful > professional ? 'playful' : 'professional'
}

type Goal = 'awareness' | 'traffic' | 'engagement' | 'leads' | 'sales'

/** The campaign's objective as one of the five goals (the brief's objectives, or words that mean one). */
function goalOf(objective: string | undefined): Goal {
  const value = (objective ?? '').toLowerCase()
  if (/\b(?:sales?|sell|purchases?|conversions?|shop|revenue|orders?)\b/u.test(value)) return 'sales'
  if (/\b(?:leads?|sign[- ]?ups?|register|registrations?|subscribers?|subscribe|waitlist)\b/u.test(value)) return 'leads'
  if (/\b(?:traffic|visits?|clicks?|website|site)\b/u.test(value)) return 'traffic'
  if (/\b(?:engagement|engage|comments?|community|conversation)\b/u.test(value)) return 'engagement'
  return 'awareness'
}

function ctaCodeOf(goal: Goal, objective: string, kind: 'image' | 'video' | null): CtaCode {
  const value = objective.toLowerCase()
  if (/\bbook/u.test(value)) return 'BOOK_NOW'
  if (/\bdownload|\bapp\b/u.test(value)) return 'DOWNLOAD'
  if (/\boffer|\bdeal|\bdiscount|\bpromo/u.test(value)) return 'GET_OFFER'
  if (/\bsubscri/u.test(value)) return 'SUBSCRIBE'
  if (/\bcontact|\bcall\b|\bquote/u.test(value)) return 'CONTACT_US'
  if (/\border/u.test(value)) return 'ORDER_NOW'
  if (goal === 'sales') return 'SHOP_NOW'
  if (goal === 'leads') return 'SIGN_UP'
  if (kind === 'video' && (goal === 'awareness' || goal === 'engagement')) return 'WATCH_MORE'
  return 'LEARN_MORE'
}

/** Where a post's link lives on each channel. */
const LINK_PLACE: Record<FormatChannel, string> = {
  instagram: 'link in our bio',
  tiktok: 'link in our bio',
  facebook: 'link below',
  linkedin: 'link in the comments',
  x: 'link below',
  email: 'link below',
}

const EMOJI: Record<VariationAngle, readonly string[]> = {
  benefit: ['✨', '🙌', '💡'],
  story: ['💛', '🌱', '📖'],
  question: ['👀', '🤔', '💬'],
}

// ---------------------------------------------------------------------------------------------------------
// What the variant is written from: the asset and brief, or the source text

interface Material {
  brandName: string
  /** A noun phrase for mid-sentence use: "the summer lookbook", "our Harvest Market", "Acme's latest". */
  topic: string
  /** What the piece is about in a word (a source's commonest term) or, for an asset, its topic phrase. */
  keyword: string
  /** The points to make, best first. */
  points: string[]
  /** The same points in telling order (source order, or the brief's order). */
  story: string[]
  /** A question the material asks itself, if any. */
  question: string | null
  /** Opening lines per angle, for posts, scripts and subject lines. */
  hooks: Record<VariationAngle, string[]>
  spokenHooks: Record<VariationAngle, string[]>
  subjects: Record<VariationAngle, string[]>
  /** Lines about the asset itself (its length, how to watch it); empty when repurposing. */
  mediaLines: string[]
  /** Beats that keep a script moving when the material is thin. */
  fillers: string[]
  /** Hashtag candidates after the brand's defaults, best first. */
  tags: string[]
  audience: string | null
  goal: Goal
  ctaCode: CtaCode
  fromAsset: boolean
}

const GENERIC_NAME_WORDS = new Set(
  (
    'img image images photo photos pic pics picture dsc dscn dscf dcim pxl mvimg vid video videos mov clip clips final finals ' +
    'edit edited edits copy export exported draft untitled screenshot screen shot shots reel reels story stories post posts ' +
    'ig fb tt tiktok instagram facebook hd uhd hq lowres web jpg jpeg png heic webp mp4 mov new version ver rev whatsapp ' +
    'snapchat asset assets file upload uploaded original crop cropped square portrait landscape vertical horizontal'
  ).split(' '),
)

/** "acme_summer-lookbook_v2 FINAL.jpg" → ["summer", "lookbook"]: the words of a file name a person chose. */
function nameWords(fileName: string, brandName: string): string[] {
  const brandWords = new Set(textWords(brandName.toLowerCase()))
  const base = fileName.replace(/\.[a-z0-9]{2,5}$/iu, '').replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
  return base
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => /\p{L}/u.test(word) && word.length >= 2)
    .filter((word) => !/^v\d+$/iu.test(word) && !/^\d+x\d+$/iu.test(word) && !/^\d+(?:k|p|s|fps)$/iu.test(word))
    .map((word) => (word === word.toUpperCase() && word.length <= 4 ? word : word.toLowerCase()))
    .filter((word) => !GENERIC_NAME_WORDS.has(word.toLowerCase()) && !brandWords.has(word.toLowerCase()))
    .slice(0, 4)
}

/**
 * The run of name words the brief also talks about ("autumn blend" of "autumn blend pour" when a key message
 * mentions the autumn blend): the file name's extra words are usually shot notes, not what the post is about.
 */
function focusWords(words: string[], points: string[]): string[] {
  const said = ` ${textWords(points.join(' ').toLowerCase()).join(' ')} `
  for (let length = words.length; length >= 1; length--) {
    for (let start = 0; start + length <= words.length; start++) {
      const run = words.slice(start, start + length)
      if (run.join('').length >= 4 && said.includes(` ${run.join(' ').toLowerCase()} `)) return run
    }
  }
  return words
}

/** Whether a campaign name reads as something the public may see ("Harvest Market"), not an internal label. */
function isPublicName(name: string): boolean {
  const value = name.trim()
  if (value === '' || charCount(value) > 32) return false
  return !/\b(?:q[1-4]|h[12]|fy\d*|\d{4}|campaign|push|test|awareness|conversion|retarget\w*|paid|organic|ig|fb|tt|ads?|draft|internal|v\d+)\b/iu.test(value)
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`
}

/** An audience only where it reads well at the start of a sentence: a short noun phrase. */
function audienceOf(campaign: CampaignContext | null, brand: BrandContext): string | null {
  for (const candidate of [campaign?.audience ?? '', brand.targetAudience]) {
    const value = candidate.trim().replace(/[.!]+$/u, '')
    if (value !== '' && charCount(value) <= 50 && countWords(value) <= 7 && !/[.!?;:]/u.test(value)) return value
  }
  return null
}

function dedupe(lines: string[]): string[] {
  const seen = new Set<string>()
  return lines.filter((line) => {
    const key = line.toLowerCase()
    if (line === '' || seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function assetMaterial(request: GenerationRequest, asset: AssetContext | null): Material {
  const { brand, campaign } = request
  const brandName = brand.clientName.trim() || brand.workspaceName.trim() || 'us'
  const points = dedupe((campaign?.keyMessages ?? []).map(asSentence))
  const words = asset ? focusWords(nameWords(asset.name, brandName), points) : []
  const campaignName = campaign && isPublicName(campaign.name) ? campaign.name.trim() : null
  const topic =
    words.length > 0 ? `the ${words.join(' ')}`
    : campaignName ? (/^(?:the|our|a|an)\b/iu.test(campaignName) ? campaignName : `our ${campaignName}`)
    : `${possessive(brandName)} latest`
  const audience = audienceOf(campaign, brand)
  const goal = goalOf(campaign?.objective)
  const noun = asset?.kind === 'video' ? 'video' : asset ? 'photo' : 'post'
  const Topic = capitalise(topic)

  const mediaLines: string[] = []
  if (asset) {
    const width = asset.width ?? 0
    const height = asset.height ?? 0
    const orientation = width > 0 && height > 0 ? (height > width * 1.1 ? 'portrait' : width > height * 1.1 ? 'landscape' : 'square') : null
    const seconds = asset.kind === 'video' && asset.durationMs ? Math.max(1, Math.round(asset.durationMs / 1000)) : null
    if (asset.kind === 'video') {
      const span = seconds ? `${seconds} seconds` : 'A few seconds'
      if (orientation === 'portrait') mediaLines.push(`${capitalise(span)}, best watched full-screen with the sound on.`)
      if (orientation === 'landscape') mediaLines.push(`${capitalise(span)}; turn your phone sideways for this one.`)
      mediaLines.push(seconds ? `It's only ${seconds} seconds, so watch to the end.` : 'Watch to the end.')
      mediaLines.push(seconds ? `Give it ${seconds} seconds, sound on.` : 'Sound on for this one.')
    } else {
      if (orientation === 'portrait') mediaLines.push('Tap to see it full-size; the details are worth it.')
      if (orientation === 'landscape') mediaLines.push('Take in the whole view, edge to edge.')
      if (orientation === 'square') mediaLines.push('Zoom in: the details are the best part.')
      mediaLines.push('Look closer; every detail is there for a reason.')
    }
  }

  const forAudience = audience ? [`${capitalise(audience)}, this one's for you.`] : []
  const hooks: Record<VariationAngle, string[]> = {
    benefit: [
      ...forAudience,
      `Everything you want from ${topic}, and nothing you don't.`,
      `Here's what ${topic} brings to your week.`,
      `Small details, big difference: ${topic}.`,
      `${Topic}, ready when you are.`,
      `Good news: ${topic} is here.`,
    ],
    story: [
      `Here's the story behind ${topic}.`,
      `${Topic} didn't happen overnight.`,
      `We wanted ${topic} to feel like ${brandName} at its best.`,
      `Every ${noun} has a story. This is the one behind ${topic}.`,
      `A quick look behind the scenes of ${topic}.`,
    ],
    question: [
      ...(audience ? [`${capitalise(audience)}, ready for something new?`] : []),
      `Have you met ${topic} yet?`,
      `Can you guess what makes ${topic} different?`,
      asset ? `What's the first thing you notice in this ${noun}?` : `What's the first thing you'd change about your week?`,
      `Looking for a reason to smile today?`,
    ],
  }
  const spokenHooks: Record<VariationAngle, string[]> = {
    benefit: [`Here's why ${topic} is worth a minute of your day.`, `Let me show you what ${topic} can do for you.`, `If you've been waiting for ${topic}, this is it.`],
    story: [`Let me tell you how ${topic} came together.`, `So here's the story behind ${topic}.`, `This is how ${topic} started.`],
    question: [`Have you seen ${topic} yet?`, `Want to know what makes ${topic} different?`, `Quick question: what would you do with ${topic}?`],
  }
  const subjects: Record<VariationAngle, string[]> = {
    benefit: [`${Topic}, made for you`, `What's new: ${topic}`, `${brandName}: ${topic}`],
    story: [`The story behind ${topic}`, `How ${topic} came together`, `A look behind ${topic}`],
    question: [`Have you met ${topic} yet?`, `Ready for ${topic}?`, `What makes ${topic} different?`],
  }
  const fillers = [
    `We made this with people like you in mind.`,
    `Every detail here was chosen on purpose, and it shows.`,
    `It's simple, it's useful, and it fits right into your day.`,
    `Take a second look, because the small things are what make it work.`,
    `This is ${brandName} doing what ${brandName} does best.`,
    `Honestly, it's the kind of thing you notice more every time you see it.`,
  ]
  const tags = [
    ...(campaignName ? [camelTag(campaignName)] : []),
    camelTag(brandName),
    ...(words.length > 1 ? [camelTag(words.join(' '))] : []),
    ...words.filter((word) => word.length >= 4),
  ]
  return {
    brandName,
    topic,
    // An asset's post is about the thing it shows, so its one-word handle is the whole phrase.
    keyword: topic,
    points,
    story: points,
    question: null,
    hooks,
    spokenHooks,
    subjects,
    mediaLines,
    fillers,
    tags,
    audience,
    goal,
    ctaCode: ctaCodeOf(goal, campaign?.objective ?? '', asset?.kind ?? null),
    fromAsset: true,
  }
}

interface SourceSentence {
  text: string
  position: number
  score: number
}

/** Markdown and links out, so the sentences read as prose. */
function plainLines(source: string): string[] {
  return source
    .replace(/\r\n?/gu, '\n')
    .replace(/!\[[^\]]*\]\([^)]*\)/gu, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/gu, '$1')
    .replace(/https?:\/\/\S+/gu, '')
    .replace(/[*_`]{1,3}([^*_`\n]+)[*_`]{1,3}/gu, '$1')
    .split('\n')
    .map((line) => line.replace(/^\s*(?:#{1,6}\s+|>\s*|[-*+•]\s+|\d+[.)]\s+)/u, '').replace(/\s+/gu, ' ').trim())
}

/** A source split into a title (a short first line without a full stop) and sentences scored for importance. */
function readSource(source: string): { title: string | null; sentences: SourceSentence[]; keywords: string[] } {
  const lines = plainLines(source)
  let title: string | null = null
  const prose: string[] = []
  for (const line of lines) {
    if (line === '') {
      prose.push('')
      continue
    }
    const heading = countWords(line) <= 12 && !/[.!?…:;]$/u.test(line)
    if (heading && title === null && prose.every((p) => p === '')) title = line
    else if (heading && countWords(line) <= 3) continue
    else prose.push(heading ? asSentence(line) : line)
  }
  // Paragraphs rejoined, then split after . ! ? where the next sentence starts with a capital or a digit.
  const paragraphs = prose.join('\n').split(/\n\s*\n|\n/u).filter((p) => p.trim() !== '')
  const raw: string[] = []
  for (const paragraph of paragraphs) {
    for (const piece of paragraph.split(/(?<=[.!?…]["”’)]?)\s+(?=["“‘(]?[\p{Lu}\p{N}])/u)) {
      const sentence = piece.trim()
      if (sentence !== '') raw.push(/[.!?…]["”’)]?$/u.test(sentence) ? sentence : `${sentence}.`)
    }
  }
  const frequency = new Map<string, number>()
  const surface = new Map<string, Map<string, number>>()
  for (const sentence of [...(title ? [title] : []), ...raw]) {
    for (const word of textWords(sentence)) {
      const lower = word.toLowerCase()
      if (lower.length < 3 || STOP_WORDS.has(lower) || /^\d+$/u.test(lower)) continue
      const key = stem(lower)
      frequency.set(key, (frequency.get(key) ?? 0) + 1)
      const forms = surface.get(key) ?? new Map<string, number>()
      forms.set(word, (forms.get(word) ?? 0) + 1)
      surface.set(key, forms)
    }
  }
  const top = Math.max(1, ...frequency.values())
  const sentences = raw.map((text, position) => {
    const words = contentWords(text).map(stem)
    const total = countWords(text)
    const weight = words.reduce((sum, word) => sum + (frequency.get(word) ?? 0) / top, 0) / Math.max(4, words.length)
    // Mid-length sentences carry a point; the lede usually states the main one.
    const shape = total >= 6 && total <= 32 ? 1 : total <= 45 ? 0.7 : 0.4
    const lede = position === 0 ? 0.15 : position < 3 ? 0.05 : 0
    return { text, position, score: weight * shape + lede }
  })
  // The title names what the text is about: its words come first, then the commonest words of the text.
  // A word said once is not what a text is about, even in its title.
  const inTitle = new Set(title ? contentWords(title).map(stem) : [])
  const weight = (key: string, count: number) => count + (inTitle.has(key) ? 2 : 0)
  const keywords = [...frequency.entries()]
    .filter(([, count]) => count >= 2 || frequency.size < 4)
    .sort((a, b) => weight(b[0], b[1]) - weight(a[0], a[1]) || a[0].localeCompare(b[0]))
    .slice(0, 8)
    .map(([key]) => {
      const forms = [...(surface.get(key) ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1])
      const commonest = forms[0]?.[0] ?? key
      // Lower case unless the word is always capitalised (a name), so "Coffee" at a sentence start stays "coffee".
      return forms.some(([form]) => form === form.toLowerCase()) ? commonest.toLowerCase() : commonest
    })
  return { title, sentences, keywords }
}

function sourceMaterial(request: GenerationRequest, source: string, forbidden: readonly string[]): Material {
  const { brand, campaign } = request
  const brandName = brand.clientName.trim() || brand.workspaceName.trim() || 'us'
  const { title, sentences, keywords } = readSource(source)
  const usable = sentences.filter((s) => countWords(s.text) >= 5 && countWords(s.text) <= 45 && isClean(s.text, forbidden))
  const pool = usable.length > 0 ? usable : sentences.filter((s) => isClean(s.text, forbidden))
  const ranked = [...pool].sort((a, b) => b.score - a.score || a.position - b.position)
  const chosen = ranked.slice(0, 10)
  const keyword = keywords.find((word) => isClean(word, forbidden)) ?? brandName
  const topic = title && charCount(title) <= 60 ? title : keyword
  const question = pool.find((s) => s.text.endsWith('?') && countWords(s.text) <= 25)?.text ?? null
  const goal = goalOf(campaign?.objective)
  const subjects: Record<VariationAngle, string[]> = {
    benefit: [...(title ? [title] : []), `${capitalise(keyword)}: the short version`, `What to know about ${keyword}`],
    story: [`What we learned about ${keyword}`, `A short story about ${keyword}`, `Why we keep coming back to ${keyword}`],
    question: [...(question ? [question] : []), `Are you getting ${keyword} right?`, `What's your take on ${keyword}?`],
  }
  return {
    brandName,
    topic,
    keyword,
    points: ranked.map((s) => s.text),
    story: [...chosen].sort((a, b) => a.position - b.position).map((s) => s.text),
    question,
    hooks: {
      benefit: [
        ...(title && charCount(title) <= 80 ? [`${withoutFinalStop(title)}. Here's the short version.`] : []),
        'If you read one thing today, make it this.',
        "The short version, so you don't have to read it all.",
        'Worth saving: the ideas that matter most.',
        `Everything worth knowing about ${keyword}, in short.`,
      ],
      story: [
        "Here's something we've been thinking about.",
        "Let's start at the beginning.",
        'A short story, and why it stuck with us.',
        'We learned something worth sharing.',
      ],
      question: [
        ...(question ? [question] : []),
        `What's the one thing most people get wrong about ${keyword}?`,
        `Ever stopped to think about ${keyword}?`,
        `How much thought have you given to ${keyword} lately?`,
      ],
    },
    spokenHooks: {
      benefit: [`Here's what nobody tells you about ${keyword}.`, `Want the short version on ${keyword}? Here it is.`, `Give me a minute and you'll see ${keyword} differently.`],
      story: ['Let me tell you how this started.', `So here's a story about ${keyword}.`, 'This one surprised us, and it might surprise you too.'],
      question: [...(question ? [question] : []), `Quick question: what do you really know about ${keyword}?`, `Want to know the truth about ${keyword}?`],
    },
    subjects,
    mediaLines: [],
    fillers: [
      'If you only remember one thing from this video, make it that.',
      'It sounds simple, but it is the step most people skip.',
      "Stick with me, because this next part is the one you'll use.",
      "Here's why that matters more than it looks.",
      "This is the bit that changes how you think about it.",
      "And you don't need to be an expert to start.",
    ],
    tags: [...keywords.slice(0, 3).filter((word) => word.length >= 4), camelTag(brandName)],
    audience: audienceOf(campaign, brand),
    goal,
    ctaCode: ctaCodeOf(goal, campaign?.objective ?? '', null),
    fromAsset: false,
  }
}

// ---------------------------------------------------------------------------------------------------------
// Forbidden phrases: never written

function isClean(text: string, forbidden: readonly string[]): boolean {
  return findPhrases(text, forbidden).length === 0
}

/** Every occurrence of the phrases removed, as a last resort for a line that has no clean alternative. */
function scrub(text: string, forbidden: readonly string[]): string {
  let value = text
  for (let round = 0; round < 5 && !isClean(value, forbidden); round++) {
    for (const phrase of findPhrases(value, forbidden)) {
      value = value.replace(phraseRegExp(phrase, 'giu'), '')
    }
    value = value.replace(/[ \t]{2,}/gu, ' ').replace(/ +([,.!?;:])/gu, '$1').trim()
  }
  return value
}

function hashtagIsClean(tag: string, forbidden: readonly string[]): boolean {
  const key = tag.toLowerCase()
  return forbidden.every((phrase) => {
    const banned = normaliseHashtag(phrase).toLowerCase()
    if (banned === '') return true
    // Short phrases ("ad") only as the whole tag; longer ones anywhere in it ("cheap" in "CheapEats").
    return banned.length <= 3 ? key !== banned : !key.includes(banned)
  })
}

// ---------------------------------------------------------------------------------------------------------
// Writing

interface Writer {
  dice: Dice
  forbidden: readonly string[]
  material: Material
  format: ContentFormat
  angle: VariationAngle
  register: Register
  preferred: string[]
}

/**
 * The first clean line of the candidates, in an order the seed decides. When every candidate holds a
 * forbidden phrase, the first one with the phrase taken out.
 */
function choose(writer: Writer, candidates: readonly string[]): string {
  const clean = writer.dice.shuffle(candidates.filter((line) => line.trim() !== '' && isClean(line, writer.forbidden)))
  return clean[0] ?? scrub(candidates[0] ?? '', writer.forbidden)
}

/** The first clean candidate that fits in `max` characters, or the last resort shortened to fit. */
function chooseFitting(writer: Writer, candidates: readonly string[], max: number, lastResort: string): string {
  const fitting = candidates.filter((line) => line.trim() !== '' && charCount(line) <= max && isClean(line, writer.forbidden))
  return fitting[0] ?? clampText(scrub(lastResort, writer.forbidden), max)
}

function withEmoji(writer: Writer, line: string): string {
  // LinkedIn and email read as professional whatever the brand's register.
  const channel = FORMAT_SPECS[writer.format].channel
  const odds = channel === 'linkedin' || channel === 'email' ? 0 : writer.register === 'playful' ? 0.9 : writer.register === 'warm' ? 0.35 : 0
  if (!writer.dice.chance(odds)) return line
  const bank = EMOJI[writer.angle]
  return `${line} ${bank[writer.dice.int(bank.length)] ?? ''}`.trim()
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = items.length === 0 ? 0 : by % items.length
  return [...items.slice(shift), ...items.slice(0, shift)]
}

/**
 * Points in the order this angle tells them, so siblings differ: the brief's messages each lead one angle; a
 * source's best sentences lead the benefit angle, its opening the story, and every other one the question.
 */
function pointsFor(writer: Writer): string[] {
  const { points, story, fromAsset } = writer.material
  if (writer.angle === 'story') return fromAsset ? rotate(story, 1) : story
  if (writer.angle === 'question') {
    if (fromAsset) return rotate(points, 2)
    return [...points.filter((_, i) => i % 2 === 1), ...points.filter((_, i) => i % 2 === 0)]
  }
  return points
}

function callToAction(writer: Writer): string {
  const { brandName, goal } = writer.material
  const link = LINK_PLACE[FORMAT_SPECS[writer.format].channel]
  if (!writer.material.fromAsset) {
    const channel = FORMAT_SPECS[writer.format].channel
    if (channel === 'linkedin') return choose(writer, ['What would you add? I would like to hear how others approach this.', 'If this was useful, share it with your team.', `Follow ${brandName} for more like this.`])
    return choose(writer, ['Save this for later, and share it with someone who needs it.', 'Which point hit home? Tell us in the comments.', `Follow ${brandName} for more like this.`])
  }
  const byGoal: Record<Goal, string[]> = {
    awareness: [`Follow ${brandName} for more.`, "Follow along; there's more on the way.", 'Save this post so you can find it later.'],
    traffic: [`See more through the ${link}.`, `The full story is through the ${link}.`, `Tap the ${link} to find out more.`],
    engagement: ['Tell us what you think in the comments.', "Share this with someone who'd love it.", 'Tag a friend who needs to see this.'],
    leads: [`Sign up through the ${link} to hear about it first.`, `Join the list through the ${link}.`, `Want in? Sign up through the ${link}.`],
    sales: [`Shop now through the ${link}.`, `Get yours through the ${link}.`, `Tap the ${link} to shop.`],
  }
  return choose(writer, byGoal[goal])
}

function questionClose(writer: Writer): string {
  const emoji = writer.register === 'playful' && FORMAT_SPECS[writer.format].channel !== 'linkedin' ? ' 👇' : ''
  return choose(writer, [
    `Tell us in the comments.${emoji}`,
    'Drop your answer below; we read every one.',
    writer.material.fromAsset ? 'Which detail caught your eye first? Let us know below.' : 'Which part surprised you? Let us know below.',
    'Tag someone who should see this.',
  ])
}

/** One of the brand's preferred phrases as a line: a short phrase as a sign-off ("Small-batch, always."). */
function preferredLine(writer: Writer): string | null {
  const usable = writer.preferred.filter((phrase) => isClean(phrase, writer.forbidden))
  if (usable.length === 0) return null
  const phrase = usable[writer.dice.int(usable.length)] ?? ''
  if (countWords(phrase) >= 4 || /[.!?…]$/u.test(phrase)) return asSentence(phrase)
  const line = capitalise(phrase.trim())
  return choose(writer, [`${line}, always.`, `${line}, every time.`, `${line}. That's the promise.`, ...(countWords(phrase) >= 3 ? [`${line}.`] : [])])
}

interface Piece {
  text: string
  /** 0: always kept; higher numbers are dropped first when the text runs long. */
  drop: number
}

/** Joins the pieces in order, dropping the most expendable ones until the text fits in `max` characters. */
function assemble(pieces: Piece[], separator: string, max: number): string {
  let kept = pieces.filter((piece) => piece.text.trim() !== '')
  const length = () => charCount(kept.map((piece) => piece.text).join(separator))
  while (length() > max) {
    const highest = Math.max(...kept.map((piece) => piece.drop))
    if (highest === 0) break
    const index = kept.map((piece) => piece.drop).lastIndexOf(highest)
    kept = kept.filter((_, i) => i !== index)
  }
  return kept.map((piece) => piece.text).join(separator)
}

const STORY_BRIDGES = ['Along the way, one thing mattered most.', 'Here is the part we are proudest of.', 'What we kept coming back to was simple.', 'The idea behind it is easy to explain.']
const ANSWER_LEADS = ["Here's a hint.", "Here's our answer.", 'Here is what we think.', 'The short answer?']

/** A caption or post: Instagram, Facebook and TikTok captions, and the repurposed posts. */
function writePost(writer: Writer): string {
  const spec = FORMAT_SPECS[writer.format]
  const { material, angle, dice } = writer
  const compact = spec.textIdeal[1] <= 300
  const linkedin = spec.channel === 'linkedin'
  // Asset posts carry two of the brief's messages each, led by a different one per angle, so siblings differ.
  const pointCount = compact ? 1 : linkedin ? 7 : material.fromAsset ? 2 : spec.textIdeal[1] >= 1000 ? 4 : 3
  const points = pointsFor(writer).filter((p) => isClean(p, writer.forbidden)).slice(0, pointCount)
  const pieces: Piece[] = []
  const hook = choose(writer, material.hooks[angle])
  pieces.push({ text: linkedin ? hook : withEmoji(writer, hook), drop: 0 })

  if (angle === 'benefit') {
    const bulleted = points.length >= 2 && !compact && dice.chance(0.5)
    if (bulleted) {
      const mark = linkedin ? (i: number) => `${i + 1}. ` : () => (writer.register === 'professional' ? '• ' : '→ ')
      pieces.push({ text: points.map((point, i) => `${mark(i)}${point}`).join('\n'), drop: 0 })
    } else {
      points.forEach((point, i) => pieces.push({ text: point, drop: i === 0 ? 0 : 2 + i }))
    }
  } else if (angle === 'story') {
    points.forEach((point, i) => {
      const bridge = i === points.length - 1 && points.length > 1 && !compact ? `${choose(writer, STORY_BRIDGES)} ` : ''
      pieces.push({ text: `${bridge}${point}`, drop: i === 0 ? 0 : 2 + i })
    })
  } else {
    points.forEach((point, i) => pieces.push({ text: i === 0 ? `${choose(writer, ANSWER_LEADS)} ${point}` : point, drop: i === 0 ? 0 : 2 + i }))
  }

  if (material.mediaLines.length > 0) pieces.push({ text: choose(writer, material.mediaLines), drop: 2 })
  const preferred = preferredLine(writer)
  if (preferred) pieces.push({ text: preferred, drop: 1 })
  if (angle === 'question') {
    if (material.fromAsset && material.goal !== 'engagement' && material.goal !== 'awareness') pieces.push({ text: callToAction(writer), drop: 2 })
    pieces.push({ text: questionClose(writer), drop: 0 })
  } else {
    pieces.push({ text: withEmoji(writer, callToAction(writer)), drop: 0 })
  }
  return assemble(pieces, compact ? '\n' : '\n\n', spec.textIdeal[1])
}

function spokenCallToAction(writer: Writer): string {
  const { brandName, goal, fromAsset } = writer.material
  if (!fromAsset) {
    return choose(writer, [
      "Follow for more like this, and tell me in the comments what you'd add.",
      'Save this so you have it when you need it, and share it with someone who should hear it.',
      `Follow ${brandName} for more, and drop your questions in the comments.`,
    ])
  }
  const byGoal: Record<Goal, string[]> = {
    awareness: ['Follow for more like this.', `Follow ${brandName} so you don't miss what's next.`],
    traffic: ['The link in our bio has the full story.', 'Tap the link in our bio to see more.'],
    engagement: ['Tell us in the comments what you think.', "Share this with someone who'd love it."],
    leads: ['Sign up through the link in our bio to hear about it first.', 'Want in? The link in our bio has the sign-up.'],
    sales: ['Tap the link in our bio to shop.', 'Get yours through the link in our bio.'],
  }
  return choose(writer, byGoal[goal])
}

/** Spoken links into a beat: `first` opens the first beat, `then` the later ones (some beats go without). */
const SCRIPT_CONNECTIVES: Record<VariationAngle, { first: readonly string[]; then: readonly string[] }> = {
  benefit: { first: ["Here's the first thing.", 'Start with this.'], then: ['Next.', 'And this part matters.', "Here's another one.", 'Also worth knowing.'] },
  story: { first: ["Here's how it began.", 'It starts here.'], then: ["Here's what we noticed.", 'And then it clicked.', 'Then came the interesting part.', "Here's the part that stuck with us."] },
  question: { first: ["Here's the short answer.", "Here's the answer."], then: ['Think about it this way.', 'And it goes further.', "There's more.", 'And here is the other half.'] },
}

/** Spoken lines that fit any script, for material too thin to fill 30 seconds. */
const SPOKEN_FILLERS = [
  'It sounds simple, but it is a step most people skip.',
  'Small changes add up faster than anyone expects.',
  'Keep this in mind next time it comes up.',
  'Most people never notice it, and that is a mistake.',
  'It takes a minute to learn and pays off for months.',
  'Think about how often that happens in a normal week.',
  'Write it down, or save this for later.',
  'That is a big deal, and here is why.',
]

/** A 30-60 s script: a hook, beats, a call to action, each a spoken line; `text` is the beats in order. */
function writeScript(writer: Writer): VariantContent {
  const spec = FORMAT_SPECS[writer.format]
  const [least, most] = spec.spokenWords ?? [75, 150]
  const eachMax = spec.segments?.eachMax ?? 400
  const maxBeats = (spec.segments?.max ?? 8) - 2
  const hook = clampText(choose(writer, writer.material.spokenHooks[writer.angle]), eachMax)
  const preferred = preferredLine(writer)
  const cta = spokenCallToAction(writer)
  const closing = clampText([preferred ?? '', cta].filter((line) => line !== '' && isClean(line, writer.forbidden)).join(' '), eachMax)
  const links = SCRIPT_CONNECTIVES[writer.angle]
  const opening = writer.dice.shuffle(links.first)[0] ?? ''
  const later = writer.dice.shuffle(links.then)
  const words = (lines: string[]) => countWords([hook, ...lines, closing].join(' '))
  const beats: string[] = []
  const points = pointsFor(writer).filter((point) => isClean(point, writer.forbidden) && countWords(point) <= 40)
  for (const point of points) {
    if (beats.length >= maxBeats) break
    const link = beats.length === 0 ? opening : writer.dice.chance(0.6) ? (later[beats.length % later.length] ?? '') : ''
    const beat = clampText(`${isClean(link, writer.forbidden) ? link : ''} ${point}`.trim(), eachMax)
    if (words([...beats, beat]) > most) continue
    beats.push(beat)
    if (words(beats) >= (least + most) / 2) break
  }
  // Thin material: filler lines until the script fills 30 seconds. After the first point, so the script opens
  // with substance; once every beat is taken, a filler joins the last beat instead.
  const fillers = [
    ...writer.dice.shuffle(writer.material.fillers),
    ...writer.dice.shuffle(SPOKEN_FILLERS),
  ].filter((line) => isClean(line, writer.forbidden))
  for (const filler of fillers) {
    if (words(beats) >= least) break
    if (words([...beats, filler]) > most) continue
    if (beats.length < maxBeats) {
      beats.splice(Math.min(1, beats.length), 0, filler)
      continue
    }
    const last = beats[beats.length - 1] ?? ''
    if (charCount(`${last} ${filler}`) <= eachMax) beats[beats.length - 1] = `${last} ${filler}`
  }
  const segments = [hook, ...beats, closing].filter((segment) => segment !== '')
  return { ...emptyContent(), text: segments.join('\n\n'), segments }
}

/** An X thread of 5-7 posts, numbered "n/total". */
function writeThread(writer: Writer): VariantContent {
  const { material, angle } = writer
  const eachMax = FORMAT_SPECS.x_thread.segments?.eachMax ?? 280
  const room = eachMax - 8
  const opener = choose(writer, angle === 'question' ? material.hooks.question : material.hooks[angle])
  const threadMark = writer.register === 'professional' ? 'A thread.' : '🧵'
  const first = `${clampText(opener, room - 12)} ${threadMark}`
  const middle: string[] = []
  for (const point of pointsFor(writer).filter((p) => isClean(p, writer.forbidden)).slice(0, 8)) {
    const line = clampText(point, room)
    const previous = middle[middle.length - 1]
    // Two short points share a post; a post stays well inside the limit so it reads as one thought.
    if (previous !== undefined && charCount(previous) < 140 && charCount(`${previous} ${line}`) <= room - 20) middle[middle.length - 1] = `${previous} ${line}`
    else if (middle.length < 5) middle.push(line)
    else break
  }
  // Thin material (an asset with few key messages, a short source) still makes a thread of five.
  const close = questionClose(writer)
  const yourTurn = angle === 'question' ? `Your turn: ${close.charAt(0).toLowerCase()}${close.slice(1)}` : null
  const extras = [
    ...(material.points[0] && angle !== 'question' ? [`The takeaway? ${clampText(material.points[0], room - 16)}`] : []),
    ...(material.fromAsset ? [] : [`If you remember one word from this thread, make it "${material.keyword}".`]),
    ...writer.dice.shuffle([
      'Bookmark this thread so you can find it when you need it.',
      'Share it with someone who would find it useful.',
      ...material.fillers.filter((line) => !/\bvideo\b/u.test(line)),
    ]),
  ].filter((line) => isClean(line, writer.forbidden))
  const asksBack = yourTurn !== null && isClean(yourTurn, writer.forbidden)
  while (middle.length < (asksBack ? 2 : 3) && extras.length > 0) middle.push(clampText(extras.shift() ?? '', room))
  // The question angle hands the thread back to the reader just before the sign-off.
  if (asksBack && middle.length < 5) middle.push(yourTurn)
  const signOff = choose(writer, [
    'If this was useful, repost the first post so others can find it.',
    `Follow ${material.brandName} for more threads like this.`,
    'What would you add? Reply and tell us.',
  ])
  const preferred = preferredLine(writer)
  const last = clampText(preferred && charCount(`${preferred} ${signOff}`) <= room ? `${preferred} ${signOff}` : signOff, room)
  const posts = [first, ...middle.slice(0, 5), last]
  const numbered = posts.map((post, i) => `${post} ${i + 1}/${posts.length}`)
  return { ...emptyContent(), text: numbered.join('\n\n'), segments: numbered }
}

/** An email newsletter: subject, preheader, and a body with a greeting, the points and a sign-off. */
function writeNewsletter(writer: Writer): VariantContent {
  const spec = FORMAT_SPECS.email_newsletter
  const { material, angle, register } = writer
  const subject = chooseFitting(writer, writer.dice.shuffle(material.subjects[angle]).map(withoutFinalStop), spec.subjectMax ?? 80, material.brandName)
  const points = pointsFor(writer).filter((point) => isClean(point, writer.forbidden)).slice(0, 8)
  const preheaderSource = points.find((point) => charCount(point) <= (spec.preheaderMax ?? 120)) ?? points[0] ?? `News from ${material.brandName}.`
  const preheader = clampText(scrub(preheaderSource, writer.forbidden), spec.preheaderMax ?? 120)
  const greeting = register === 'professional' ? 'Hello,' : register === 'playful' ? 'Hey there,' : 'Hi there,'
  const intros: Record<VariationAngle, string[]> = {
    benefit: ["Here's the short version of what's worth knowing this week.", `This week is all about ${material.keyword}, and what it means for you.`],
    story: [`We've been thinking about ${material.keyword} lately, and we want to share where we landed.`, 'This week we want to tell you a short story.'],
    question: [material.question ?? `What do you really know about ${material.keyword}?`, `How much thought have you given to ${material.keyword}?`],
  }
  const intro = choose(writer, intros[angle])
  const followUp = angle === 'question' ? " We've been asking ourselves the same thing. Here's what we found." : ''
  const paragraphs: string[] = []
  for (let i = 0; i < points.length; i += 2) paragraphs.push(points.slice(i, i + 2).join(' '))
  const preferred = preferredLine(writer)
  const reply = choose(writer, ['Hit reply and tell us what you think; we read every message.', 'If this was useful, forward it to a friend who would enjoy it.', 'Reply any time. We would love to hear from you.'])
  const signOff = choose(writer, [`Until next time,\nThe ${material.brandName} team`, `Thanks for reading,\nThe ${material.brandName} team`])
  const blocks = [greeting, `${intro}${followUp}`, ...paragraphs, ...(material.mediaLines.length > 0 ? [choose(writer, material.mediaLines)] : []), ...(preferred ? [preferred] : []), reply, signOff]
  return { ...emptyContent(), text: blocks.join('\n\n'), subject, preheader }
}

function adCopyFor(writer: Writer): VariantContent['adCopy'] {
  const limits = FORMAT_SPECS[writer.format].adCopy
  if (!limits) return null
  const { material, angle } = writer
  const lead = pointsFor(writer).find((point) => isClean(point, writer.forbidden)) ?? null
  const topic = material.topic
  const headlines: Record<VariationAngle, string[]> = {
    benefit: [...(lead ? [withoutFinalStop(lead)] : []), `${capitalise(topic)}, made for you`, `Meet ${topic}`],
    story: [`The story behind ${topic}`, `How ${topic} came together`, `Behind ${topic}`],
    question: [`Have you met ${topic}?`, `Ready for ${topic}?`, `Curious about ${topic}?`],
  }
  const headline = chooseFitting(writer, writer.dice.shuffle(headlines[angle]), limits.headlineMax, material.brandName)
  const short: Record<Goal, string> = { awareness: 'Take a look.', traffic: 'Learn more.', engagement: 'Take a look.', leads: 'Sign up today.', sales: 'Shop today.' }
  const bodies = [
    ...(lead ? [`${lead} ${short[material.goal]}`, lead] : []),
    ...(material.audience ? [`${capitalise(material.audience)}, this one's for you. ${short[material.goal]}`] : []),
    `${capitalise(topic)} from ${material.brandName}. ${short[material.goal]}`,
    `${capitalise(topic)} from ${material.brandName}.`,
  ]
  const body = chooseFitting(writer, bodies, limits.bodyMax, `${capitalise(topic)}.`)
  return { headline: headline || clampText(material.brandName, limits.headlineMax), body: body || clampText(material.brandName, limits.bodyMax), cta: material.ctaCode }
}

/** How many hashtags each format gets: within its ideal range, a little more or less by seed. */
function hashtagCount(writer: Writer): number {
  const [least, most] = FORMAT_SPECS[writer.format].hashtagsIdeal
  const high = Math.min(most, least + 6)
  return least + writer.dice.int(high - least + 1)
}

function hashtagsFor(writer: Writer, defaults: readonly string[]): string[] {
  const count = hashtagCount(writer)
  if (count === 0) return []
  const own = normaliseHashtags(defaults)
  const extra = normaliseHashtags(writer.material.tags)
  const ordered = normaliseHashtags([...own, ...writer.dice.shuffle(extra.slice(0, 8))])
  return ordered.filter((tag) => charCount(tag) <= 30 && hashtagIsClean(tag, writer.forbidden)).slice(0, count)
}

function emptyContent(): VariantContent {
  return { text: '', hashtags: [], adCopy: null, segments: [], subject: null, preheader: null }
}

/** The last guard: any forbidden phrase still present (from the brief's own text, say) is taken out. */
function scrubContent(content: VariantContent, forbidden: readonly string[]): VariantContent {
  const clean = (text: string) => (isClean(text, forbidden) ? text : scrub(text, forbidden))
  return {
    text: clean(content.text),
    hashtags: content.hashtags.filter((tag) => hashtagIsClean(tag, forbidden) && isClean(`#${tag}`, forbidden)),
    adCopy: content.adCopy ? { ...content.adCopy, headline: clean(content.adCopy.headline), body: clean(content.adCopy.body) } : null,
    segments: content.segments.map(clean),
    subject: content.subject === null ? null : clean(content.subject),
    preheader: content.preheader === null ? null : clean(content.preheader),
  }
}

function writeOffline(request: GenerationRequest): VariantContent {
  const forbidden = request.brand.forbiddenPhrases.map((phrase) => phrase.trim()).filter((phrase) => phrase !== '')
  const source = request.sourceText?.trim() ?? ''
  const material = source !== '' ? sourceMaterial(request, source, forbidden) : assetMaterial(request, request.asset)
  const seed = (request.seed ^ hashText(`${request.format}|${request.angle}|${request.asset?.name ?? ''}|${source.length}`)) >>> 0
  const writer: Writer = {
    dice: new Dice(seed),
    forbidden,
    material,
    format: request.format,
    angle: request.angle,
    register: registerOf(request.brand),
    preferred: request.brand.preferredPhrases.map((phrase) => phrase.trim()).filter((phrase) => phrase !== ''),
  }
  let content: VariantContent
  if (request.format === 'tiktok_script') content = writeScript(writer)
  else if (request.format === 'x_thread') content = writeThread(writer)
  else if (request.format === 'email_newsletter') content = writeNewsletter(writer)
  else content = { ...emptyContent(), text: writePost(writer) }
  content.hashtags = hashtagsFor(writer, request.brand.defaultHashtags)
  if (isAssetFormat(request.format)) content.adCopy = adCopyFor(writer)
  return fitToFormat(request.format, scrubContent(content, forbidden)).content
}
