// How a generated variant is scored: four rubrics, each 0-100 with a one-line reason, combined into an overall
// score by a weighted mean. Pure and deterministic, so the workflow, the API and the UI compute the same.
//
// Each rubric starts from deterministic rule checks; when an LLM judge scored the variant too, the rubric is
// the rounded mean of the rule score and the judge's score. Hard problems then cap the rubric whatever the
// judge said: a forbidden phrase (brand consistency at most 20), a broken platform limit (platform relevance
// at most 30), a near-copy of a sibling variant (originality at most 25). Every score keeps its parts (which
// check or which judge said what), so a reviewer can see why.
//
// Weights (RUBRIC_WEIGHTS): brand consistency 0.30 weighs most because an off-brand caption is the one an
// agency cannot send to its client however well written; clarity and platform relevance 0.25 each, since a
// caption must read easily and fit where it is posted; originality 0.20 weighs least because it is measured
// against the sibling variants only, and a plain but clear, on-brand caption is still usable.
import {
  FORMAT_SPECS,
  SPOKEN_WORDS_PER_SECOND,
  charCount,
  countWords,
  formatViolations,
  textWords,
  type AiProvider,
  type ContentFormat,
  type VariantContent,
} from './ai-content'

export const RUBRICS = ['clarity', 'originality', 'brandConsistency', 'platformRelevance'] as const
export type RubricName = (typeof RUBRICS)[number]

export const RUBRIC_LABELS: Record<RubricName, string> = {
  clarity: 'Clarity',
  originality: 'Originality',
  brandConsistency: 'Brand consistency',
  platformRelevance: 'Platform relevance',
}

export const RUBRIC_WEIGHTS: Record<RubricName, number> = {
  clarity: 0.25,
  originality: 0.2,
  brandConsistency: 0.3,
  platformRelevance: 0.25,
}

/** The highest a rubric can score when the variant has the problem, whatever the judge says. */
export const RUBRIC_CAPS = {
  forbiddenPhrase: 20,
  formatViolation: 30,
  nearDuplicate: 25,
} as const

/** Sibling variants at least this similar (Jaccard over word shingles) count as the same text. */
export const NEAR_DUPLICATE_SIMILARITY = 0.8

/** One contribution to a rubric: a deterministic check, or the judge's verdict. */
export interface ScorePart {
  source: 'rule' | 'judge'
  check: string
  score: number
  note: string
  /** The judge's provider; only on judge parts. */
  provider?: AiProvider
}

export interface RubricScore {
  score: number
  reason: string
  parts: ScorePart[]
}

export interface VariantScore {
  overall: number
  rubrics: Record<RubricName, RubricScore>
  /** Whether an LLM judge's verdict is part of the scores. */
  judged: boolean
}

function clampScore(value: number): number {
  if (!Number.isFinite(value)) return 0
  return Math.min(100, Math.max(0, Math.round(value)))
}

/** The weighted mean of the four rubrics, rounded to an integer. */
export function overallScore(rubrics: Record<RubricName, number>): number {
  return clampScore(RUBRICS.reduce((sum, name) => sum + RUBRIC_WEIGHTS[name] * rubrics[name], 0))
}

// ---------------------------------------------------------------------------------------------------------
// Text measures

/** Linear interpolation through (x, y) points sorted by x; flat beyond both ends. */
function interpolate(x: number, points: readonly (readonly [number, number])[]): number {
  const first = points[0]
  const last = points[points.length - 1]
  if (!first || !last) return 0
  if (x <= first[0]) return first[1]
  if (x >= last[0]) return last[1]
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i] ?? last
    const [x0, y0] = points[i - 1] ?? first
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0)
  }
  return last[1]
}

const VOWEL_GROUP = /[aeiouyàáâäãåæèéêëìíîïòóôöõøœùúûüý]+/gu

/** English syllables by the usual heuristic: vowel groups, less a silent final "e" or "-ed"/"-es". */
function syllables(word: string): number {
  const value = word.toLowerCase().replace(/['’]/g, '')
  if (value.length <= 3) return 1
  const trimmed = value.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/u, (ending) => ending.charAt(0)).replace(/^y/u, '')
  const groups = trimmed.match(VOWEL_GROUP)?.length ?? 0
  return Math.max(1, groups)
}

/** Sentences as a reader meets them: ended by . ! ? … or by a line break (captions use line breaks). */
function sentencesOf(text: string): string[] {
  return text
    .split(/[.!?…]+(?=\s|$|["”’)])|\n+/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => countWords(sentence) > 0)
}

/** Hashtags, mentions and links are not prose: readability leaves them out. */
function proseOf(text: string): string {
  return text.replace(/https?:\/\/\S+/gu, ' ').replace(/[#@][\p{L}\p{M}\p{N}_]+/gu, ' ')
}

/**
 * Flesch reading ease (206.835 − 1.015 × words per sentence − 84.6 × syllables per word), with syllables
 * counted by a heuristic. Higher reads more easily: 60–70 is plain English, below 30 is hard going. 0 for a
 * text without words.
 */
export function readingEase(text: string): number {
  const prose = proseOf(text)
  const words = textWords(prose)
  if (words.length === 0) return 0
  const sentences = Math.max(1, sentencesOf(prose).length)
  const syllableCount = words.reduce((sum, word) => sum + syllables(word), 0)
  return 206.835 - 1.015 * (words.length / sentences) - 84.6 * (syllableCount / words.length)
}

function shingles(words: string[], size: number): Set<string> {
  const set = new Set<string>()
  for (let i = 0; i + size <= words.length; i++) set.add(words.slice(i, i + size).join(' '))
  return set
}

/**
 * How much wording two texts share, 0 (none) to 1 (the same words in the same order): Jaccard similarity
 * over word 3-shingles, or over bigrams when either text has fewer than 20 words (single words below 2).
 */
export function similarity(a: string, b: string): number {
  const wordsA = textWords(a.toLowerCase())
  const wordsB = textWords(b.toLowerCase())
  if (wordsA.length === 0 && wordsB.length === 0) return 1
  if (wordsA.length === 0 || wordsB.length === 0) return 0
  const shortest = Math.min(wordsA.length, wordsB.length)
  const size = shortest >= 20 ? 3 : shortest >= 2 ? 2 : 1
  const setA = shingles(wordsA, size)
  const setB = shingles(wordsB, size)
  let shared = 0
  for (const shingle of setA) if (setB.has(shingle)) shared++
  return shared / (setA.size + setB.size - shared)
}

/**
 * A pattern for a phrase as whole words, case-insensitive, inner spaces matching any whitespace. Whole words
 * means no letter, digit or underscore touches either end ("cheap" is not in "cheapest").
 */
export function phraseRegExp(phrase: string, flags = 'iu'): RegExp {
  const pattern = phrase
    .trim()
    .split(/\s+/u)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'))
    .join('\\s+')
  return new RegExp(`(?<![\\p{L}\\p{N}_])${pattern}(?![\\p{L}\\p{N}_])`, flags)
}

/**
 * The phrases that occur in the text, case-insensitively and as whole words ("cheap" is not found in
 * "cheapest"; inner spaces match any whitespace). In the order of `phrases`, each once.
 */
export function findPhrases(text: string, phrases: readonly string[]): string[] {
  const found: string[] = []
  const seen = new Set<string>()
  for (const phrase of phrases) {
    const value = phrase.trim()
    const key = value.toLowerCase()
    if (value === '' || seen.has(key)) continue
    seen.add(key)
    if (phraseRegExp(value).test(text)) found.push(value)
  }
  return found
}

/** Everything a variant says, for phrase checks: text, posts or beats, subject, preheader, ad copy, hashtags. */
export function variantWording(content: VariantContent): string {
  return [
    content.subject ?? '',
    content.preheader ?? '',
    content.text,
    ...content.segments,
    content.adCopy?.headline ?? '',
    content.adCopy?.body ?? '',
    content.hashtags.map((tag) => `#${tag}`).join(' '),
  ].join('\n')
}

/** Filler that makes a caption sound like every other one; the originality rubric marks it down. */
export const STOCK_PHRASES = [
  'game changer',
  'game-changer',
  'look no further',
  'take it to the next level',
  'next level',
  'elevate your',
  'unleash',
  "don't miss out",
  'in today’s fast-paced world',
  "in today's fast-paced world",
  'one-stop shop',
  'best-kept secret',
  'like never before',
  'you won’t believe',
  "you won't believe",
  'must-have',
  'without further ado',
] as const

function quoteList(phrases: string[]): string {
  const quoted = phrases.map((phrase) => `"${phrase}"`)
  if (quoted.length <= 1) return quoted.join('')
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1] ?? ''}`
}

function range([low, high]: readonly [number, number]): string {
  return low === high ? `${low}` : `${low.toLocaleString('en-US')}–${high.toLocaleString('en-US')}`
}

// ---------------------------------------------------------------------------------------------------------
// The rubrics' rule checks. Each returns its checks, the rule score they make (their mean unless the rubric
// weighs them), and the cap (if any) applied after the judge.

interface RuleResult {
  checks: ScorePart[]
  score: number
  cap: ScorePart | null
}

function meanOf(checks: ScorePart[]): number {
  return checks.length === 0 ? 100 : checks.reduce((sum, part) => sum + part.score, 0) / checks.length
}

function rule(check: string, score: number, note: string): ScorePart {
  return { source: 'rule', check, score: clampScore(score), note }
}

function clarityChecks(content: VariantContent): RuleResult {
  const prose = proseOf(content.text)
  const words = countWords(prose)
  if (words === 0) return { checks: [rule('reading_ease', 0, 'Has no text to read.')], score: 0, cap: null }
  const ease = readingEase(prose)
  const easeScore = interpolate(ease, [[0, 10], [30, 40], [50, 65], [60, 80], [70, 100]])
  const easeNote =
    ease >= 60 ? `Reads easily (reading ease ${Math.round(ease)}).`
    : ease >= 30 ? `Takes some effort to read (reading ease ${Math.round(ease)}); shorter words would help.`
    : `Hard to read (reading ease ${Math.round(ease)}); use shorter words and sentences.`
  const perSentence = words / Math.max(1, sentencesOf(prose).length)
  const lengthScore = interpolate(perSentence, [[20, 100], [30, 70], [45, 40]])
  const lengthNote =
    perSentence <= 20 ? `Sentences are short (${Math.round(perSentence)} words on average).`
    : `Sentences run long (${Math.round(perSentence)} words on average); split them.`
  const checks = [rule('reading_ease', easeScore, easeNote), rule('sentence_length', lengthScore, lengthNote)]
  // Reading ease already counts sentence length; the separate check only adds weight to very long sentences.
  return { checks, score: 0.7 * easeScore + 0.3 * lengthScore, cap: null }
}

function originalityChecks(index: number, variants: VariantContent[]): RuleResult {
  const own = variants[index]?.text ?? ''
  let closest = { index: -1, value: 0 }
  variants.forEach((sibling, i) => {
    if (i === index) return
    const value = similarity(own, sibling.text)
    if (value > closest.value || closest.index === -1) closest = { index: i, value }
  })
  const stock = findPhrases(own, STOCK_PHRASES)
  const stockCheck = stock.length === 0
    ? rule('stock_phrases', 100, 'Avoids stock marketing phrases.')
    : rule('stock_phrases', 100 - 15 * stock.length, `Leans on the stock ${stock.length === 1 ? 'phrase' : 'phrases'} ${quoteList(stock)}.`)
  const percent = Math.round(closest.value * 100)
  if (closest.index === -1) {
    const checks = [rule('sibling_similarity', 100, 'Has no sibling variant to compare with.'), stockCheck]
    return { checks, score: meanOf(checks), cap: null }
  }
  if (closest.value >= NEAR_DUPLICATE_SIMILARITY) {
    const note = `Nearly the same as variant ${closest.index + 1} (${percent}% shared wording).`
    return { checks: [stockCheck], score: stockCheck.score, cap: rule('sibling_similarity', RUBRIC_CAPS.nearDuplicate, note) }
  }
  const score = interpolate(closest.value, [[0, 100], [0.2, 95], [0.4, 75], [0.6, 50], [0.8, 25]])
  const note = closest.value < 0.2
    ? `Distinct from its sibling variants (at most ${percent}% shared wording).`
    : `Shares ${percent}% of its wording with variant ${closest.index + 1}; the angles could differ more.`
  const checks = [rule('sibling_similarity', score, note), stockCheck]
  return { checks, score: meanOf(checks), cap: null }
}

function brandChecks(content: VariantContent, brand: { forbiddenPhrases: string[]; preferredPhrases: string[] }): RuleResult {
  const wording = variantWording(content)
  const forbidden = findPhrases(wording, brand.forbiddenPhrases)
  const preferred = findPhrases(wording, brand.preferredPhrases)
  const listed = brand.preferredPhrases.filter((phrase) => phrase.trim() !== '')
  const preferredCheck =
    listed.length === 0 ? rule('preferred_phrases', 85, 'The brand kit lists no preferred phrases to look for.')
    : preferred.length === 0 ? rule('preferred_phrases', 70, `Uses none of the brand's preferred phrases, such as "${listed[0]?.trim() ?? ''}".`)
    : rule('preferred_phrases', preferred.length === 1 ? 90 : 100, `Uses the preferred ${preferred.length === 1 ? 'phrase' : 'phrases'} ${quoteList(preferred)}.`)
  if (forbidden.length > 0) {
    const note = `Uses the forbidden ${forbidden.length === 1 ? 'phrase' : 'phrases'} ${quoteList(forbidden)}.`
    return { checks: [preferredCheck], score: preferredCheck.score, cap: rule('forbidden_phrases', RUBRIC_CAPS.forbiddenPhrase, note) }
  }
  const listedForbidden = brand.forbiddenPhrases.filter((phrase) => phrase.trim() !== '').length
  const forbiddenCheck = listedForbidden === 0
    ? rule('forbidden_phrases', 100, 'The brand kit lists no forbidden phrases.')
    : rule('forbidden_phrases', 100, `Avoids all ${listedForbidden} forbidden ${listedForbidden === 1 ? 'phrase' : 'phrases'}.`)
  const checks = [forbiddenCheck, preferredCheck]
  return { checks, score: meanOf(checks), cap: null }
}

function platformChecks(format: ContentFormat, content: VariantContent): RuleResult {
  const spec = FORMAT_SPECS[format]
  const checks: ScorePart[] = []

  const length = charCount(content.text)
  const [low, high] = spec.textIdeal
  const characters = `${length.toLocaleString('en-US')} ${length === 1 ? 'character' : 'characters'}`
  if (length < low) {
    checks.push(rule('text_length', 40 + (60 * length) / low, `Short for ${spec.label}: ${characters} where ${range(spec.textIdeal)} read best.`))
  } else if (length > high) {
    const over = spec.textMax > high ? (length - high) / (spec.textMax - high) : 1
    checks.push(rule('text_length', 100 - 50 * Math.min(1, over), `Long for ${spec.label}: ${characters} where ${range(spec.textIdeal)} read best.`))
  } else {
    checks.push(rule('text_length', 100, `${characters.charAt(0).toUpperCase()}${characters.slice(1)} suits ${spec.label} (${range(spec.textIdeal)}).`))
  }

  if (spec.hashtagsMax > 0) {
    const count = content.hashtags.length
    const [least, most] = spec.hashtagsIdeal
    const distance = count < least ? least - count : count > most ? count - most : 0
    const tags = `${count} ${count === 1 ? 'hashtag' : 'hashtags'}`
    const note =
      distance === 0 ? `${tags}, within the ${range(spec.hashtagsIdeal)} that work for ${spec.label}.`
      : count < least ? `${count === 0 ? 'No hashtags' : tags}; ${spec.label} does best with ${range(spec.hashtagsIdeal)}.`
      : `${tags}, more than the ${range(spec.hashtagsIdeal)} that work for ${spec.label}.`
    checks.push(rule('hashtag_count', Math.max(30, 100 - 15 * distance), note))
  }

  if (spec.adCopy) {
    const ad = content.adCopy
    const complete = ad !== null && ad.headline.trim() !== '' && ad.body.trim() !== ''
    checks.push(complete ? rule('ad_copy', 100, 'Has ad copy with a headline, a body and a call to action.') : rule('ad_copy', 0, 'Has no complete ad copy.'))
  }

  if (spec.spokenWords) {
    const words = countWords(content.text)
    const [least, most] = spec.spokenWords
    const seconds = Math.round(words / SPOKEN_WORDS_PER_SECOND)
    const distance = words < least ? least - words : words > most ? words - most : 0
    const note = distance === 0
      ? `The script runs about ${seconds} s spoken (${words} words).`
      : `The script runs about ${seconds} s spoken (${words} words); it needs ${range(spec.spokenWords)} words.`
    checks.push(rule('script_words', Math.max(20, 100 - 2 * distance), note))
  }

  const violations = formatViolations(format, content)
  const first = violations[0]
  if (!first) return { checks, score: meanOf(checks), cap: null }
  const more = violations.length - 1
  const note = more === 0 ? first.message : `${first.message} (${more} more ${more === 1 ? 'problem' : 'problems'} with the format's limits.)`
  return { checks, score: meanOf(checks), cap: rule('format_limits', RUBRIC_CAPS.formatViolation, note) }
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim()
}

function combine(result: RuleResult, verdict: { score: number; reason: string } | null, provider: AiProvider | null): RubricScore {
  const ruleScore = result.score
  const judgePart: ScorePart | null = verdict && provider
    ? { source: 'judge', check: 'llm_judge', score: clampScore(verdict.score), note: oneLine(verdict.reason) || 'The judge gave no reason.', provider }
    : null
  const blended = judgePart ? (Math.round(ruleScore) + judgePart.score) / 2 : ruleScore
  const score = clampScore(result.cap ? Math.min(Math.round(blended), result.cap.score) : blended)
  const parts = [...result.checks, ...(result.cap ? [result.cap] : []), ...(judgePart ? [judgePart] : [])]
  // A cap is the reason when there is one; otherwise the weakest part says what to improve (or, when all are
  // good, what is good about it).
  let reason = result.cap?.note
  if (!reason) {
    const weakest = [...result.checks, ...(judgePart ? [judgePart] : [])].reduce<ScorePart | null>((low, part) => (low === null || part.score < low.score ? part : low), null)
    reason = weakest?.note ?? ''
  }
  return { score, reason, parts }
}

export interface ScoreVariantsInput {
  format: ContentFormat
  /** The sibling variants of one item; originality compares them with each other. */
  variants: VariantContent[]
  brand: { forbiddenPhrases: string[]; preferredPhrases: string[] }
  /**
   * The LLM judge's verdicts, one per variant in order; null when no model judged them. A variant whose verdict
   * is null (or missing) is scored on the rules alone and is not `judged`: no stand-in score is blended in.
   */
  judge: { provider: AiProvider; verdicts: (Record<RubricName, { score: number; reason: string }> | null)[] } | null
}

/** Scores every sibling variant of one item. */
export function scoreVariants(input: ScoreVariantsInput): VariantScore[] {
  return input.variants.map((content, index) => {
    const verdicts = input.judge?.verdicts[index] ?? null
    const provider = verdicts ? (input.judge?.provider ?? null) : null
    const rules: Record<RubricName, RuleResult> = {
      clarity: clarityChecks(content),
      originality: originalityChecks(index, input.variants),
      brandConsistency: brandChecks(content, input.brand),
      platformRelevance: platformChecks(input.format, content),
    }
    const rubrics = Object.fromEntries(
      RUBRICS.map((name) => [name, combine(rules[name], verdicts?.[name] ?? null, provider)]),
    ) as Record<RubricName, RubricScore>
    const overall = overallScore(Object.fromEntries(RUBRICS.map((name) => [name, rubrics[name].score])) as Record<RubricName, number>)
    return { overall, rubrics, judged: verdicts !== null }
  })
}

// ---------------------------------------------------------------------------------------------------------
// Auto-approval

/** A variant is approved without review when its overall reaches `threshold` and no rubric is below `floor`. */
export interface AutoApproveRule {
  threshold: number
  floor: number
}

export const DEFAULT_AUTO_APPROVE: AutoApproveRule = { threshold: 80, floor: 60 }

/**
 * The index of the variant to approve without review: the best by overall score (the first on a tie), and only
 * if it meets the rule. null when it does not, even if a lower-scored sibling would: the best one not being
 * good enough is exactly the item a person should look at.
 */
export function pickAutoApproved(scores: readonly VariantScore[], rule: AutoApproveRule): number | null {
  let best = -1
  scores.forEach((score, i) => {
    const current = scores[best]
    if (!current || score.overall > current.overall) best = i
  })
  const chosen = scores[best]
  if (!chosen) return null
  if (chosen.overall < rule.threshold) return null
  if (RUBRICS.some((name) => chosen.rubrics[name].score < rule.floor)) return null
  return best
}

/**
 * The order an item's variants land on its card as caption versions: worst first, so the last one written — the
 * card's current caption — is the approved variant, else the best (on a tie, the lower index).
 */
export function landingOrder(overall: readonly number[], approved: number | null): number[] {
  return overall
    .map((_, i) => i)
    .sort((a, b) => (a === approved ? 1 : b === approved ? -1 : overall[a]! - overall[b]! || b - a))
}
