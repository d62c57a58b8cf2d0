// The JSON schemas the providers' structured output must follow, and the hand-written checks that turn a
// model's answer into our types. One schema per format, exact for that format: fields the format does not use
// are typed `null` (or an empty array), so a model cannot put ad copy in a newsletter. Every schema is
// compatible with OpenAI's strict mode (every property required, additionalProperties false, no string
// length keywords, which strict mode refuses); Gemini's dialect also carries maxLength. Limits also go in
// descriptions, which both providers show the model. A model may still break a limit the schema cannot
// express; the caller's fitToFormat enforces limits, while the parsers here refuse only malformed answers.
import { CTA_CODES, FORMAT_SPECS, isAssetFormat, type AiProvider, type ContentFormat, type CtaCode, type VariantContent } from '../../domain/ai-content'
import { RUBRICS, type RubricName } from '../../domain/rubric'
import { ProviderError, type JudgeVerdict } from './types'

export type JsonSchema = Record<string, unknown>

/** openai: strict Structured Outputs (no maxLength); gemini: responseJsonSchema (maxLength allowed). */
export type SchemaDialect = 'openai' | 'gemini'

/** OpenAI's response_format name and the schema's title (how provider logs tell the calls apart). */
export function variantSchemaName(format: ContentFormat): string {
  return `variant_${format}`
}
export const JUDGE_SCHEMA_NAME = 'judge_verdicts'

const plural = (count: number, word: string) => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`

function limitedString(max: number, description: string, dialect: SchemaDialect): JsonSchema {
  return {
    type: 'string',
    description: `${description} At most ${plural(max, 'character')}.`,
    ...(dialect === 'gemini' ? { maxLength: max } : {}),
  }
}

const NOT_USED = (what: string): JsonSchema => ({ type: 'null', description: `${what} does not exist in this format: always null.` })

/** The schema of one VariantContent in `format`. */
export function variantJsonSchema(format: ContentFormat, dialect: SchemaDialect = 'openai'): JsonSchema {
  const spec = FORMAT_SPECS[format]
  const textDescription =
    format === 'x_thread'
      ? 'The posts of the thread joined by blank lines.'
      : spec.spokenWords
        ? `The full spoken script, ${spec.spokenWords[0]}-${spec.spokenWords[1]} spoken words.`
        : `The main ${spec.label.toLowerCase()} text, ideally ${spec.textIdeal[0]}-${spec.textIdeal[1]} characters.`
  const hashtags: JsonSchema =
    spec.hashtagsMax === 0
      ? { type: 'array', description: 'This format takes no hashtags: always empty.', items: { type: 'string' }, maxItems: 0 }
      : {
          type: 'array',
          description: `Hashtags without the leading '#', single words, ideally ${spec.hashtagsIdeal[0]}-${spec.hashtagsIdeal[1]}, at most ${spec.hashtagsMax}.`,
          items: { type: 'string', description: "One hashtag without '#', no spaces." },
          maxItems: spec.hashtagsMax,
        }
  const adCopy: JsonSchema = spec.adCopy
    ? {
        type: 'object',
        description: 'Ad copy for a paid version of the post.',
        properties: {
          headline: limitedString(spec.adCopy.headlineMax, 'Ad headline.', dialect),
          body: limitedString(spec.adCopy.bodyMax, 'Ad primary text.', dialect),
          cta: { type: 'string', enum: [...CTA_CODES], description: 'Call-to-action button.' },
        },
        required: ['headline', 'body', 'cta'],
        additionalProperties: false,
      }
    : NOT_USED('Ad copy')
  const segments: JsonSchema = spec.segments
    ? {
        type: 'array',
        description: format === 'x_thread' ? `The thread's posts, ${spec.segments.min}-${spec.segments.max} of them, in order.` : `The script's beats, ${spec.segments.min}-${spec.segments.max} of them, in order.`,
        items: limitedString(spec.segments.eachMax, format === 'x_thread' ? 'One post.' : 'One beat of the script.', dialect),
        minItems: spec.segments.min,
        maxItems: spec.segments.max,
      }
    : { type: 'array', description: 'This format has no segments: always empty.', items: { type: 'string' }, maxItems: 0 }
  return {
    title: variantSchemaName(format),
    type: 'object',
    properties: {
      text: limitedString(spec.textMax, textDescription, dialect),
      hashtags,
      adCopy,
      segments,
      subject: spec.subjectMax ? limitedString(spec.subjectMax, 'Email subject line.', dialect) : NOT_USED('A subject'),
      preheader: spec.preheaderMax ? limitedString(spec.preheaderMax, 'Email preheader shown after the subject.', dialect) : NOT_USED('A preheader'),
    },
    required: ['text', 'hashtags', 'adCopy', 'segments', 'subject', 'preheader'],
    additionalProperties: false,
  }
}

/** The judge's answer: one verdict per variant, in order, each with the four rubrics. */
export function judgeJsonSchema(count: number): JsonSchema {
  const verdict: JsonSchema = {
    type: 'object',
    properties: {
      score: { type: 'integer', minimum: 0, maximum: 100, description: 'Score from 0 to 100.' },
      reason: { type: 'string', description: 'One line explaining the score.' },
    },
    required: ['score', 'reason'],
    additionalProperties: false,
  }
  return {
    title: JUDGE_SCHEMA_NAME,
    type: 'object',
    properties: {
      verdicts: {
        type: 'array',
        description: `Exactly ${count} verdict${count === 1 ? '' : 's'}, one per variant, in the order given.`,
        items: {
          type: 'object',
          properties: Object.fromEntries(RUBRICS.map((rubric) => [rubric, verdict])),
          required: [...RUBRICS],
          additionalProperties: false,
        },
        minItems: count,
        maxItems: count,
      },
    },
    required: ['verdicts'],
    additionalProperties: false,
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

function malformed(provider: AiProvider, what: string): ProviderError {
  return new ProviderError(provider, 'bad_output', `The ${provider} answer did not match the schema: ${what}.`)
}

function requiredString(provider: AiProvider, value: unknown, field: string): string {
  if (typeof value !== 'string') throw malformed(provider, `${field} is not a string`)
  const text = value.trim()
  if (text === '') throw malformed(provider, `${field} is empty`)
  return text
}

function stringList(provider: AiProvider, value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw malformed(provider, `${field} is not an array`)
  return value.map((item, index) => {
    if (typeof item !== 'string') throw malformed(provider, `${field}[${index}] is not a string`)
    return item.trim()
  })
}

/** Hashtags as the UI stores them: no '#', no spaces, no duplicates (case-insensitive), none empty. */
function cleanHashtags(tags: string[]): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const tag of tags) {
    const clean = tag.replace(/^#+/, '').replace(/\s+/g, '')
    if (clean === '' || seen.has(clean.toLowerCase())) continue
    seen.add(clean.toLowerCase())
    out.push(clean)
  }
  return out
}

/** A model's answer for `format` as a VariantContent; ProviderError bad_output when it is malformed. */
export function parseVariantOutput(provider: AiProvider, format: ContentFormat, value: unknown): VariantContent {
  if (!isRecord(value)) throw malformed(provider, 'the answer is not a JSON object')
  const spec = FORMAT_SPECS[format]
  const segments = spec.segments ? stringList(provider, value.segments, 'segments').filter((segment) => segment !== '') : []
  if (spec.segments && segments.length === 0) throw malformed(provider, 'segments is empty')
  // An X thread's text is its posts joined by blank lines, whatever the model wrote there.
  const text = format === 'x_thread' ? segments.join('\n\n') : requiredString(provider, value.text, 'text')
  const hashtags = spec.hashtagsMax === 0 ? [] : cleanHashtags(stringList(provider, value.hashtags, 'hashtags'))

  let adCopy: VariantContent['adCopy'] = null
  if (isAssetFormat(format)) {
    if (!isRecord(value.adCopy)) throw malformed(provider, 'adCopy is not an object')
    const cta = value.adCopy.cta
    if (typeof cta !== 'string' || !(CTA_CODES as readonly string[]).includes(cta)) throw malformed(provider, `adCopy.cta "${String(cta)}" is not one of ${CTA_CODES.join(', ')}`)
    adCopy = {
      headline: requiredString(provider, value.adCopy.headline, 'adCopy.headline'),
      body: requiredString(provider, value.adCopy.body, 'adCopy.body'),
      cta: cta as CtaCode,
    }
  }

  const subject = spec.subjectMax ? requiredString(provider, value.subject, 'subject') : null
  let preheader: string | null = null
  if (spec.preheaderMax) {
    if (typeof value.preheader !== 'string') throw malformed(provider, 'preheader is not a string')
    preheader = value.preheader.trim() === '' ? null : value.preheader.trim()
  }
  return { text, hashtags, adCopy, segments, subject, preheader }
}

/** A judge score as the rubric keeps it: an integer from 0 to 100. */
function clampScore(score: number): number {
  return Math.min(100, Math.max(0, Math.round(score)))
}

/** The judge's answer: `count` verdicts with all four rubrics; ProviderError bad_output otherwise. */
export function parseJudgeOutput(provider: AiProvider, value: unknown, count: number): Record<RubricName, JudgeVerdict>[] {
  if (!isRecord(value)) throw malformed(provider, 'the answer is not a JSON object')
  const verdicts = value.verdicts
  if (!Array.isArray(verdicts)) throw malformed(provider, 'verdicts is not an array')
  if (verdicts.length !== count) throw malformed(provider, `expected ${count} verdicts, got ${verdicts.length}`)
  return verdicts.map((entry, index) => {
    if (!isRecord(entry)) throw malformed(provider, `verdicts[${index}] is not an object`)
    const verdict = {} as Record<RubricName, JudgeVerdict>
    for (const rubric of RUBRICS) {
      const field = `verdicts[${index}].${rubric}`
      const item = entry[rubric]
      if (!isRecord(item)) throw malformed(provider, `${field} is missing`)
      const score = typeof item.score === 'string' && item.score.trim() !== '' ? Number(item.score) : item.score
      if (typeof score !== 'number' || !Number.isFinite(score)) throw malformed(provider, `${field}.score is not a number`)
      // One line: the UI shows the reason next to the score.
      const reason = requiredString(provider, item.reason, `${field}.reason`).replace(/\s+/g, ' ')
      verdict[rubric] = { score: clampScore(score), reason }
    }
    return verdict
  })
}
