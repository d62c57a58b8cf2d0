// What the OpenAI and Gemini stand-ins answer: a JSON value that conforms to the JSON schema the caller asked
// for, written like a first draft of marketing copy about the prompt's subject. Deterministic: the same prompt
// always gives the same answer (a PRNG seeded by a hash of the prompt), and a different prompt (another
// angle, another asset) gives a different one. Property names steer the writing the way they steer a real
// model: `hashtags` are single words, a `headline` is short, a `score` is a plausible grade, a `reason` is one
// sentence, `segments` are several posts, a `summary` and its `bullets` read like notes on a discussion.
// Limits are honoured whether they come as schema keywords (maxLength, minItems, maxItems, minimum, maximum)
// or only as words in a property's description ("at most 280 characters", "75-150 spoken words"), since
// strict OpenAI schemas cannot carry string lengths.
import { createHash } from 'node:crypto'
import { mulberry32 } from '../platform/seeded-random'

export type JsonSchema = Record<string, unknown>

/** Rough token count as the providers' tokenizers give for English (about four characters a token). */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4)
}

/** mulberry32 seeded from a SHA-256 of the text: a small, fast, reproducible PRNG in [0, 1). */
export function seededRandom(seedText: string): () => number {
  return mulberry32(createHash('sha256').update(seedText).digest().readUInt32LE(0))
}

// Words that say how to write rather than what to write about: a prompt is full of them, a draft has none.
const STOPWORDS = new Set(
  (
    'a about above after again against all also always am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each either else ever every few for from further ' +
    'had has have having he her here hers him his how however i if in into is it its itself just least less let like ' +
    'made make many may me might more most much must my never no nor not now of off often on once one only or other ' +
    'our ours out over own per same shall she should so some such than that the their theirs them then there these ' +
    'they this those through to too under until up upon us use used uses using very via was we were what when where ' +
    'which while who whom whose why will with within without would yet you your yours ' +
    // instruction vocabulary
    'angle answer asset attached audience body brand campaign caption captions character characters client copy count ' +
    'describe description draft email exactly facebook field fields format formats hashtag hashtags headline ideal ' +
    'image images instagram instruction instructions jpeg json key limit limits line lines linkedin long mention ' +
    'message messages metadata mime model newsletter note null objective output phrase phrases platform png post posts ' +
    'preferred preheader question repurpose repurposing reply respond schema script segment segments source spoken ' +
    'story subject text tiktok tone thread type variant variants variation variations video voice webp word words ' +
    // a discussion's scaffolding (a thread to summarize lists who said what, and when)
    'oldest earliest first utc card cards comment comments decision decisions approval approved rejected requested round discussion ' +
    'write writing benefit personality style target agency default forbidden clarity originality consistency ' +
    'relevance rubric score scores reason reasons verdict verdicts judge lead leads show shows keep kept follow ' +
    'given give gives treat material part parts name height width duration seconds pixels none http https www com ' +
    'concrete gain moment person origin felt already asking open tell short paid version natural specific filler ' +
    'invented facts prices claims senior social media copywriter shows visible details attached kind ideally single ' +
    'call action hook points beats draw below take takes code grade graded sibling siblings strength flaw merits ' +
    // common verbs, which do not name a subject on their own
    'drive drives come comes get gets goes reach reaches bring brings help helps need needs want wants know see ' +
    'seen find found look looks try tried start starts opens picked reaches become becomes feel feels'
  ).split(' '),
)

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)

export interface TopicPhrase {
  /** As it reads in a sentence: proper nouns keep their capitals ("Autumn Harvest Blend", "small batches"). */
  prose: string
  /** The phrase as one hashtag word ("AutumnHarvestBlend"). */
  tag: string
}

interface PhraseStats {
  count: number
  first: number
  words: number
  proper: boolean
  prose: string
}

/** Words of a text, in runs of consecutive content words (a stopword or punctuation ends a run). */
function contentRuns(text: string): { word: string; proper: boolean }[][] {
  const runs: { word: string; proper: boolean }[][] = []
  for (const line of text.split(/\n|[.!?;:()"<>]\s*/)) {
    let run: { word: string; proper: boolean }[] = []
    let index = 0
    for (const match of line.matchAll(/[A-Za-z][A-Za-z'-]*[A-Za-z]|[,/]/g)) {
      // File names come as one token (autumn-harvest-bag): their parts are words.
      const tokens = (match[0].match(/-/g)?.length ?? 0) > 1 ? match[0].split('-') : [match[0]]
      for (const raw of tokens) {
        const word = raw.replace(/'s$/i, '')
        const key = word.toLowerCase()
        const isWord = /^[A-Za-z]/.test(word) && key.length >= 3 && !STOPWORDS.has(key)
        if (!isWord) {
          if (run.length > 0) runs.push(run)
          run = []
        } else {
          // A capital inside a sentence marks a name; a capital at the start says nothing.
          run.push({ word, proper: index > 0 && /^[A-Z]/.test(word) })
        }
        index += 1
      }
    }
    if (run.length > 0) runs.push(run)
  }
  return runs
}

/**
 * The phrases a prompt is about, strongest first: runs of one to three content words, scored by frequency
 * and length, without stopwords and instruction vocabulary, and without phrases inside a stronger one.
 * `focus` (the user's message) counts double; `rest` (system instructions) only fills in.
 */
export function topicPhrases(focus: string, rest = '', limit = 6): TopicPhrase[] {
  const stats = new Map<string, PhraseStats>()
  let position = 0
  for (const [text, weight] of [
    [focus, 2],
    [rest, 1],
  ] as const) {
    for (const run of contentRuns(text)) {
      for (let size = 1; size <= 3; size += 1) {
        for (let start = 0; start + size <= run.length; start += 1) {
          const words = run.slice(start, start + size)
          const key = words.map(({ word }) => word.toLowerCase()).join(' ')
          position += 1
          const entry = stats.get(key)
          const proper = words.some((w) => w.proper)
          if (entry) {
            entry.count += weight
            if (proper && !entry.proper) {
              entry.proper = true
              entry.prose = words.map(({ word }) => word).join(' ')
            }
          } else {
            stats.set(key, { count: weight, first: position, words: size, proper, prose: proper ? words.map(({ word }) => word).join(' ') : key })
          }
        }
      }
    }
  }
  // A phrase seen only in the instructions once is chance; a longer phrase seen nearly as often as its words
  // is the better name for them. A lone participle or adverb ("roasted", "quickly") does not name a subject.
  const score = (entry: PhraseStats, key: string) => {
    if (entry.words > 1 && entry.count < 2) return 0
    if (entry.words === 1 && /(ed|ing|ly)$/.test(key) && !entry.proper) return 0
    return entry.count * entry.words ** 1.5
  }
  const ranked = [...stats.entries()].filter(([key, entry]) => score(entry, key) > 0).sort(([ka, a], [kb, b]) => score(b, kb) - score(a, ka) || a.first - b.first)
  const chosen: string[] = []
  const usedWords = new Set<string>()
  for (const [key] of ranked) {
    if (chosen.length >= limit) break
    // One phrase per word: "Autumn Harvest Blend" rules out "Harvest Blend" and "harvest".
    const words = key.split(' ')
    if (words.some((word) => usedWords.has(word))) continue
    for (const word of words) usedWords.add(word)
    chosen.push(key)
  }
  return chosen.map((key) => {
    const { prose } = stats.get(key)!
    return { prose, tag: prose.split(/[\s-]+/).map(capitalise).join('').replace(/[^A-Za-z0-9]/g, '') }
  })
}

type Angle = 'benefit' | 'story' | 'question'

// Slots: {a} {b} {c} are the prompt's topic phrases (the first, second and third strongest from a random
// start); {A} is {a} at the start of a sentence. Templates read well with a name or a plural noun phrase.
const OPENINGS: Record<Angle, string[]> = {
  benefit: [
    '{A}, made to work as hard as you do.',
    'More {a}, less hassle, and a day that feels a little easier.',
    'Everything you love about {a}, now with {b} at its heart.',
    'Discover how {a} brings {b} into your routine.',
    'The simplest way to get more from {a}.',
  ],
  story: [
    'It started with a simple idea: {a} should feel personal.',
    'Last season our team set out to rethink {a}. What we found surprised us.',
    'There is a story behind {a}, and it begins with {b}.',
    'We still remember the day {a} and {b} first came together in our studio.',
    'Behind {a} is a small team that cares deeply about {b}.',
  ],
  question: [
    'What would change if {a} took half the effort?',
    'Ever wondered what makes {a} different?',
    'Is your routine ready for {a}?',
    'What if {a} could feel this easy every day?',
    'Which part of {a} are you most excited to try?',
  ],
}

const MIDDLES = [
  '{A} is made for people who care about {b} as much as we do.',
  'We kept what matters, {a} and {b}, and left out everything else.',
  'From the first look to the last detail, {c} is part of the experience.',
  'It fits right into the way you already work, rest and play.',
  'Small choices add up, and choosing {a} is one worth making.',
  'Everything about {b} is built to last, so you can spend less time worrying and more time enjoying it.',
  'The result feels considered, honest and easy to love: that is {a}.',
  'Thousands of customers already start their day with {b}.',
  'Made with care, tested by real people, and ready when you are.',
  'Think of it as {a}, reimagined for the way you live now.',
]

const CLOSERS = [
  'Tap the link to see it for yourself.',
  'Save this for later and share it with someone who needs it.',
  'Tell us in the comments how you would use it.',
  'Find out more at the link in our bio.',
  'Try it this week and let us know what you think.',
  'Join us and be part of what comes next.',
]

const HEADLINES = ['Meet {a}', '{A}, made simple', '{A} for every day', 'Discover {a}', 'Say hello to {a}', 'Why {a} matters']
const SUBJECTS = ['{A}: what is new this month', 'Inside {a}', 'A closer look at {a} and {b}', 'Your update on {a} is here', '{A} and {b}, explained']
const AD_BODIES = [
  '{A}, made for your day. Discover {b} today.',
  'Get more from {a} with {b}, designed for real life.',
  '{A}, made with care. See what is new.',
  'Make {a} the easy part of your week.',
]

// A discussion summarized: where it stands, and one point per line.
const DISCUSSION_SUMMARIES = [
  'The discussion centres on {a} and {b}; {c} still waits for a decision.',
  'Most of the thread is about {a}, with open questions on {b}.',
  'The team agreed on {a} but asked for changes to {b}.',
]
const DISCUSSION_POINTS = [
  'The reviewers asked for changes to {a}.',
  'Feedback on {b} was positive.',
  '{A} came up more than once and is not settled yet.',
  'Someone asked to check {c} before the approval.',
  'The latest comment is about {a} and {b}.',
]

const REASONS: Record<string, string[]> = {
  clarity: ['The message is easy to follow and leads with {a}.', 'One clear idea, though the middle could be tighter.', 'Short sentences make the point about {a} quickly.'],
  originality: ['The angle on {a} feels fresh next to its siblings.', 'Familiar phrasing in places, but the hook stands out.', 'A distinct take on {a} that avoids stock lines.'],
  brandConsistency: ['The tone matches the brand voice and avoids banned phrases.', 'Mostly on-voice; one line sounds more generic than the brand.', 'Warm and direct, in keeping with the brand personality.'],
  platformRelevance: ['Length and hashtags suit the platform well.', 'Fits the platform, though the opening could hook sooner.', 'The structure reads naturally for this channel.'],
  default: ['The draft is clear and on-topic about {a}.', 'A solid piece that could use a sharper opening.', 'Reads naturally and keeps the focus on {a}.'],
}

interface WriterContext {
  random: () => number
  topics: TopicPhrase[]
  angle: Angle
  /** Sentences already used in this answer, so one answer does not repeat itself. */
  used: Set<string>
}

function pick<T>(context: WriterContext, items: readonly T[]): T {
  return items[Math.floor(context.random() * items.length)]!
}

/** `lead`: the sentence opens the piece, so it names the strongest phrase (usually the product or campaign). */
function fill(context: WriterContext, template: string, lead = false): string {
  const topics = context.topics
  // Elsewhere the strongest phrase still comes up most often.
  const offset = lead ? 0 : Math.floor(context.random() ** 3 * topics.length)
  const phrase = (index: number) => topics[(offset + index) % topics.length]?.prose ?? 'every day'
  return template
    .replace(/\{A\}/g, capitalise(phrase(0)))
    .replace(/\{a\}/g, phrase(0))
    .replace(/\{b\}/g, phrase(1))
    .replace(/\{c\}/g, phrase(2))
}

/** A sentence from the pool not yet used in this answer (once every one is used, repeats are allowed). */
function freshSentence(context: WriterContext, pool: readonly string[], lead = false): string {
  const unused = pool.filter((template) => !context.used.has(template))
  const template = pick(context, unused.length > 0 ? unused : pool)
  context.used.add(template)
  return fill(context, template, lead)
}

/** Cuts at a word boundary so the result is at most `max` characters. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text
  if (max <= 0) return ''
  const cut = text.slice(0, max)
  const lastSpace = cut.lastIndexOf(' ')
  const trimmed = (lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:-]+$/, '')
  return trimmed.length > 0 ? trimmed : cut
}

interface TextLimits {
  maxLength: number | null
  minLength: number
  /** Target word count range for spoken formats. */
  words: readonly [number, number] | null
}

/** Limits from the keywords, else from the description's words ("at most 2,200 characters"). */
/** A numeric keyword; Gemini's OpenAPI-style schemas write int64 values as strings ("maxLength": "40"). */
function numberKeyword(schema: JsonSchema, key: string): number | null {
  const value = schema[key]
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  return Number.isFinite(parsed) ? parsed : null
}

function textLimits(schema: JsonSchema): TextLimits {
  const description = typeof schema.description === 'string' ? schema.description : ''
  const number = (value: string) => Number(value.replace(/,/g, ''))
  let maxLength = numberKeyword(schema, 'maxLength')
  const described = /(?:at most|up to|no more than|maximum(?: of)?|max\.?|under|within)\s*([\d,]+)\s*characters/i.exec(description)
  if (described) maxLength = Math.min(maxLength ?? Infinity, number(described[1]!))
  const minLength = numberKeyword(schema, 'minLength') ?? 0
  const words = /([\d,]+)\s*(?:-|–|to)\s*([\d,]+)\s*(?:spoken\s+)?words/i.exec(description)
  return { maxLength, minLength, words: words ? [number(words[1]!), number(words[2]!)] : null }
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length
}

/** A caption or post: an opening in the requested angle, body sentences, a closing call to action. */
function writeProse(context: WriterContext, limits: TextLimits, defaultLength: number): string {
  const max = limits.maxLength ?? Infinity
  const targetLength = Math.min(max, Math.max(limits.minLength, defaultLength))
  const targetWords = limits.words ? Math.round((limits.words[0] + limits.words[1]) / 2) : null
  const sentences = [freshSentence(context, OPENINGS[context.angle], true)]
  const closer = freshSentence(context, CLOSERS)
  const long = () => {
    const text = [...sentences, closer].join(' ')
    return targetWords !== null ? wordCount(text) >= targetWords : text.length >= targetLength
  }
  for (let guard = 0; guard < 60 && !long(); guard += 1) {
    const next = freshSentence(context, MIDDLES)
    if ([...sentences, next, closer].join(' ').length > max) break
    sentences.push(next)
  }
  const withCloser = [...sentences, closer].join(' ')
  return clip(withCloser.length <= max ? withCloser : sentences.join(' '), max)
}

function writeShort(context: WriterContext, pool: readonly string[], limits: TextLimits, defaultMax: number, lead = false): string {
  return clip(freshSentence(context, pool, lead), limits.maxLength ?? defaultMax)
}

type Path = readonly string[]

function stringFor(context: WriterContext, schema: JsonSchema, path: Path): string {
  const name = (path[path.length - 1] ?? '').toLowerCase()
  const parent = path[path.length - 2] ?? ''
  const limits = textLimits(schema)
  if (name === 'headline' || name === 'title') return writeShort(context, HEADLINES, limits, 40, true)
  if (name === 'subject') return writeShort(context, SUBJECTS, limits, 80, true)
  if (name === 'summary') return writeShort(context, DISCUSSION_SUMMARIES, limits, 300)
  if (name === 'bullets' || name === 'points') return writeShort(context, DISCUSSION_POINTS, limits, 200)
  if (name === 'preheader') return writeShort(context, MIDDLES, limits, 120)
  if (name === 'reason') return writeShort(context, REASONS[parent] ?? REASONS.default!, limits, 160)
  if (name === 'body' && parent === 'adCopy') return writeShort(context, AD_BODIES, limits, 125, true)
  if (name === 'hashtags' || name === 'hashtag') return hashtagFor(context)
  if (name === 'segments' || name === 'posts') return writeProse(context, limits, Math.min(limits.maxLength ?? 160, 160))
  return writeProse(context, limits, 420)
}

function hashtagFor(context: WriterContext): string {
  return pick(context, context.topics)?.tag || 'Everyday'
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#/')) return {}
  let node: unknown = root
  for (const part of ref.slice(2).split('/')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined
  }
  return typeof node === 'object' && node !== null ? (node as JsonSchema) : {}
}

/** JSON Schema type names, also from Gemini's OpenAPI-style schemas (`STRING`, `nullable: true`). */
function typesOf(schema: JsonSchema): string[] {
  const type = schema.type
  const list = Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : []
  return list.map((t) => t.toLowerCase())
}

function valueFor(context: WriterContext, root: JsonSchema, schema: JsonSchema, path: Path): unknown {
  if (typeof schema.$ref === 'string') return valueFor(context, root, resolveRef(root, schema.$ref), path)
  if ('const' in schema) return schema.const
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const choices = schema.enum.filter((value) => value !== null)
    return choices.length > 0 ? pick(context, choices) : null
  }
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null
  if (union) {
    // A model fills a nullable field when it has something to say; it always has here.
    const branch = (union as JsonSchema[]).find((option) => !typesOf(option).every((t) => t === 'null')) ?? (union[0] as JsonSchema)
    return valueFor(context, root, branch, path)
  }
  const types = typesOf(schema).filter((t) => t !== 'null')
  const type = types[0] ?? (schema.properties ? 'object' : schema.items ? 'array' : typesOf(schema).includes('null') ? 'null' : 'string')
  switch (type) {
    case 'null':
      return null
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
      return Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, valueFor(context, root, property, [...path, key])]))
    }
    case 'array':
      return arrayFor(context, root, schema, path)
    case 'integer':
    case 'number':
      return numberFor(context, schema, path, type === 'integer')
    case 'boolean':
      return context.random() < 0.5
    default:
      return stringFor(context, schema, path)
  }
}

function arrayFor(context: WriterContext, root: JsonSchema, schema: JsonSchema, path: Path): unknown[] {
  const name = (path[path.length - 1] ?? '').toLowerCase()
  const minItems = numberKeyword(schema, 'minItems') ?? 0
  const maxItems = numberKeyword(schema, 'maxItems') ?? Infinity
  const preferred = name === 'hashtags' ? 5 : name === 'segments' || name === 'posts' ? minItems + Math.floor(context.random() * 3) : 3
  const count = Math.max(minItems, Math.min(maxItems, preferred))
  const items = (schema.items ?? {}) as JsonSchema
  if (name === 'hashtags') {
    // Distinct single words, the way a writer picks tags.
    const tags = [...new Set(context.topics.map(({ tag }) => tag).filter(Boolean))]
    // Too few topics: the general tags a writer adds to any post.
    for (const general of ['BehindTheScenes', 'NewIn', 'Community', 'SupportLocal', 'MadeWithCare', 'Inspiration']) if (!tags.includes(general)) tags.push(general)
    const out = tags.slice(0, count)
    for (let i = 2; out.length < count; i += 1) out.push(`Moment${i}`)
    return out
  }
  return Array.from({ length: count }, () => valueFor(context, root, items, path))
}

function numberFor(context: WriterContext, schema: JsonSchema, path: Path, integer: boolean): number {
  const name = (path[path.length - 1] ?? '').toLowerCase()
  const exclusiveMinimum = numberKeyword(schema, 'exclusiveMinimum')
  const exclusiveMaximum = numberKeyword(schema, 'exclusiveMaximum')
  const minimum = numberKeyword(schema, 'minimum') ?? (exclusiveMinimum !== null ? exclusiveMinimum + 1 : null)
  const maximum = numberKeyword(schema, 'maximum') ?? (exclusiveMaximum !== null ? exclusiveMaximum - 1 : null)
  // A judge grades a decent draft between 55 and 95.
  let [low, high] = name === 'score' ? [55, 95] : [minimum ?? 1, maximum ?? 10]
  if (minimum !== null) low = Math.max(low, minimum)
  if (maximum !== null) high = Math.min(high, maximum)
  if (high < low) high = low
  const value = low + context.random() * (high - low)
  return integer ? Math.round(value) : Math.round(value * 100) / 100
}

/** Which of the three angles the prompt asks for ("Variation angle: story"); benefit when it does not say. */
function angleOf(prompt: string): Angle {
  const match = /angle\b[^a-z\n]{0,4}(benefit|story|question)\b/i.exec(prompt)
  return (match?.[1]?.toLowerCase() as Angle | undefined) ?? 'benefit'
}

/**
 * A value conforming to `schema`, written about the prompt's subject. `focus` is the part of the prompt the
 * answer is about (the user's message); `rest` is everything else (system instructions); `salt` makes two
 * services answer the same prompt differently, as two real models would.
 */
export function conformingValue(schema: JsonSchema, prompt: { focus: string; rest?: string; salt?: string }): unknown {
  const rest = prompt.rest ?? ''
  const topics = topicPhrases(prompt.focus, rest)
  const context: WriterContext = {
    random: seededRandom(`${prompt.salt ?? ''}\n${rest}\n${prompt.focus}`),
    topics: topics.length > 0 ? topics : [{ prose: 'everyday moments', tag: 'EverydayMoments' }, { prose: 'quality', tag: 'Quality' }],
    angle: angleOf(`${prompt.focus}\n${rest}`),
    used: new Set(),
  }
  return valueFor(context, schema, schema, [])
}
