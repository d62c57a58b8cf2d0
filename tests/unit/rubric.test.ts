// Scoring (domain/rubric.ts): the four rubrics' rule checks, how the judge's verdict blends in, the caps that
// hold whatever the judge says, the weighted overall score, and which variant is approved without review.
import { describe, expect, it } from 'vitest'
import type { VariantContent } from '../../domain/ai-content'
import {
  DEFAULT_AUTO_APPROVE,
  RUBRICS,
  RUBRIC_WEIGHTS,
  findPhrases,
  landingOrder,
  overallScore,
  pickAutoApproved,
  readingEase,
  scoreVariants,
  similarity,
  type RubricName,
  type ScoreVariantsInput,
  type VariantScore,
} from '../../domain/rubric'

const ad = { headline: 'The autumn blend is back', body: 'Roasted in small batches every Friday.', cta: 'SHOP_NOW' as const }

function variant(changes: Partial<VariantContent> = {}): VariantContent {
  return {
    text: 'Our autumn blend is back. It is roasted in small batches every Friday, so each bag is fresh. Try it with oat milk and tell us what you think.',
    hashtags: ['coffee', 'autumnblend', 'smallbatch'],
    adCopy: ad,
    segments: [],
    subject: null,
    preheader: null,
    ...changes,
  }
}

const SIBLINGS = [
  variant(),
  variant({ text: 'Ever wondered what makes a slow morning feel right? For us it starts with a warm cup and a quiet table by the window. Which part of your morning do you protect?' }),
  variant({ text: 'We found the farm behind this blend on a rainy trip north. Two seasons later, the first sacks arrived at the roastery, and the whole team gathered round to taste.' }),
]

const brand = { forbiddenPhrases: ['cheap', 'best coffee in town'], preferredPhrases: ['small batches', 'brewed with care'] }

function verdicts(score: number, reason = 'Judged.'): Record<RubricName, { score: number; reason: string }> {
  return { clarity: { score, reason }, originality: { score, reason }, brandConsistency: { score, reason }, platformRelevance: { score, reason } }
}

function score(input: Partial<ScoreVariantsInput> = {}): VariantScore[] {
  return scoreVariants({ format: 'instagram', variants: SIBLINGS, brand, judge: null, ...input })
}

describe('weights and the overall score', () => {
  it('weights the four rubrics to a sum of 1, brand consistency most', () => {
    const sum = RUBRICS.reduce((total, name) => total + RUBRIC_WEIGHTS[name], 0)
    expect(sum).toBeCloseTo(1, 10)
    expect(RUBRIC_WEIGHTS).toEqual({ clarity: 0.25, originality: 0.2, brandConsistency: 0.3, platformRelevance: 0.25 })
  })

  it('is the rounded weighted mean of the rubrics', () => {
    expect(overallScore({ clarity: 100, originality: 40, brandConsistency: 60, platformRelevance: 80 })).toBe(71)
    expect(overallScore({ clarity: 90, originality: 90, brandConsistency: 90, platformRelevance: 90 })).toBe(90)
    expect(overallScore({ clarity: 81, originality: 70, brandConsistency: 93, platformRelevance: 66 })).toBe(Math.round(0.25 * 81 + 0.2 * 70 + 0.3 * 93 + 0.25 * 66))
    for (const result of score()) {
      const scores = Object.fromEntries(RUBRICS.map((name) => [name, result.rubrics[name].score])) as Record<RubricName, number>
      expect(result.overall).toBe(overallScore(scores))
    }
  })

  it('gives integer scores from 0 to 100 and one-line reasons', () => {
    const results = score({ judge: { provider: 'openai', verdicts: [verdicts(140, 'Too\ngood'), verdicts(-20), verdicts(55.5)] } })
    for (const result of results) {
      for (const name of RUBRICS) {
        const rubric = result.rubrics[name]
        expect(Number.isInteger(rubric.score)).toBe(true)
        expect(rubric.score).toBeGreaterThanOrEqual(0)
        expect(rubric.score).toBeLessThanOrEqual(100)
        expect(rubric.reason).not.toMatch(/\n/)
        expect(rubric.reason.length).toBeGreaterThan(0)
      }
    }
  })
})

describe('clarity', () => {
  it('rates plain, short sentences above long, polysyllabic ones', () => {
    const plain = 'The cat sat on the mat. It was warm. We had tea.'
    const dense = 'Notwithstanding considerable organisational complexity, interdepartmental communication methodologies necessitate comprehensive institutionalisation of standardised documentation procedures across multinational operational infrastructures.'
    expect(readingEase(plain)).toBeGreaterThan(90)
    expect(readingEase(dense)).toBeLessThan(0)
    const [easy, hard] = scoreVariants({ format: 'instagram', variants: [variant({ text: plain }), variant({ text: dense })], brand, judge: null })
    expect(easy?.rubrics.clarity.score).toBeGreaterThanOrEqual(90)
    expect(hard?.rubrics.clarity.score).toBeLessThan(40)
    expect(hard?.rubrics.clarity.reason).toMatch(/^Hard to read \(reading ease -?\d+\)/)
  })

  it('leaves hashtags and links out of the reading', () => {
    expect(readingEase('We had tea. #MorningRitualsWithFriends https://example.com/very-long-path')).toBeCloseTo(readingEase('We had tea.'), 5)
  })
})

describe('originality', () => {
  it('measures shared wording between siblings', () => {
    const text = SIBLINGS[0]?.text ?? ''
    expect(similarity(text, text)).toBe(1)
    expect(similarity(text, SIBLINGS[2]?.text ?? '')).toBeLessThan(0.1)
    expect(similarity('Autumn blend is back', 'autumn BLEND is back!')).toBe(1)
    expect(similarity('', 'words')).toBe(0)
  })

  it('caps near-duplicate siblings low, whatever the judge says, and leaves distinct ones alone', () => {
    const copy = variant()
    const results = scoreVariants({
      format: 'instagram',
      variants: [copy, { ...copy, hashtags: ['other'] }, SIBLINGS[2] ?? copy],
      brand,
      judge: { provider: 'openai', verdicts: [verdicts(100), verdicts(100), verdicts(100)] },
    })
    expect(results[0]?.rubrics.originality.score).toBe(25)
    expect(results[0]?.rubrics.originality.reason).toBe('Nearly the same as variant 2 (100% shared wording).')
    expect(results[1]?.rubrics.originality.score).toBe(25)
    expect(results[2]?.rubrics.originality.score).toBeGreaterThanOrEqual(90)
    for (const result of score()) expect(result.rubrics.originality.score).toBeGreaterThanOrEqual(90)
  })

  it('marks stock marketing phrases down', () => {
    const [stock] = scoreVariants({ format: 'instagram', variants: [variant({ text: 'A total game changer. Look no further for your morning cup.' })], brand, judge: null })
    const part = stock?.rubrics.originality.parts.find((p) => p.check === 'stock_phrases')
    expect(part).toMatchObject({ source: 'rule', score: 70, note: 'Leans on the stock phrases "game changer" and "look no further".' })
  })
})

describe('brand consistency', () => {
  it('finds phrases case-insensitively, as whole words, across line breaks', () => {
    expect(findPhrases('So CHEAP it hurts', ['cheap'])).toEqual(['cheap'])
    expect(findPhrases('The cheapest cup', ['cheap'])).toEqual([])
    expect(findPhrases('The best coffee\nin town', ['best coffee in town', 'cheap'])).toEqual(['best coffee in town'])
    expect(findPhrases('Price: $5 (tax incl.)', ['$5 (tax incl.)'])).toEqual(['$5 (tax incl.)'])
    expect(findPhrases('anything', ['', '  '])).toEqual([])
  })

  it('caps a variant with a forbidden phrase even when the judge gives it 100', () => {
    const results = scoreVariants({
      format: 'instagram',
      variants: [variant({ text: 'Cheap coffee, roasted in small batches. Come by this week and try a cup with us.' }), SIBLINGS[1] ?? variant()],
      brand,
      judge: { provider: 'gemini', verdicts: [verdicts(100, 'On voice.'), verdicts(100, 'On voice.')] },
    })
    const rubric = results[0]?.rubrics.brandConsistency
    expect(rubric?.score).toBe(20)
    expect(rubric?.reason).toBe('Uses the forbidden phrase "cheap".')
    expect(rubric?.parts).toContainEqual({ source: 'judge', check: 'llm_judge', score: 100, note: 'On voice.', provider: 'gemini' })
    expect(results[1]?.rubrics.brandConsistency.score).toBeGreaterThan(80)
  })

  it('looks for forbidden phrases in everything the variant says', () => {
    const places: Partial<VariantContent>[] = [
      { adCopy: { ...ad, body: 'Cheap and cheerful.' } },
      { segments: ['A cheap trick.'] },
      { subject: 'Cheap beans inside' },
      { preheader: 'The best coffee in town' },
      { hashtags: ['cheap'] },
    ]
    for (const place of places) {
      const [result] = scoreVariants({ format: 'instagram', variants: [variant(place)], brand, judge: null })
      expect(result?.rubrics.brandConsistency.score, JSON.stringify(place)).toBe(20)
    }
  })

  it('raises the score for the brand’s preferred phrases', () => {
    const plainAd = { ...ad, body: 'Fresh every Friday.' }
    const none = variant({ adCopy: plainAd, text: 'Our autumn blend is back. Try it this week.' })
    const one = variant({ adCopy: plainAd, text: 'Our autumn blend is back, roasted in small batches. Try it this week.' })
    const two = variant({ adCopy: plainAd, text: 'Our autumn blend is back, roasted in small batches and brewed with care. Try it this week.' })
    const [a, b, c] = scoreVariants({ format: 'instagram', variants: [none, one, two], brand, judge: null }).map((r) => r.rubrics.brandConsistency)
    expect(a?.score).toBeLessThan(b?.score ?? 0)
    expect(b?.score).toBeLessThan(c?.score ?? 0)
    expect(a?.reason).toBe('Uses none of the brand\'s preferred phrases, such as "small batches".')
    expect(c?.parts.find((p) => p.check === 'preferred_phrases')?.note).toBe('Uses the preferred phrases "small batches" and "brewed with care".')
  })
})

describe('platform relevance', () => {
  it('gives an over-length caption a low score and a text_too_long reason', () => {
    const long = variant({ text: 'Our autumn blend is roasted in small batches. '.repeat(60) })
    const [result] = scoreVariants({ format: 'instagram', variants: [long], brand, judge: { provider: 'openai', verdicts: [verdicts(100)] } })
    expect(result?.rubrics.platformRelevance.score).toBeLessThanOrEqual(30)
    expect(result?.rubrics.platformRelevance.reason).toMatch(/^The text is 2,\d{3} characters; an Instagram post takes at most 2,200\.$/)
    expect(result?.rubrics.platformRelevance.parts.find((p) => p.check === 'format_limits')?.score).toBe(30)
    for (const sibling of score()) expect(sibling.rubrics.platformRelevance.score).toBeGreaterThanOrEqual(90)
  })

  it('rewards text length and hashtag counts inside the ideal ranges', () => {
    const tooShort = variant({ text: 'Autumn.' })
    const noTags = variant({ hashtags: [] })
    const fine = variant()
    const [short, bare, good] = scoreVariants({ format: 'instagram', variants: [tooShort, noTags, fine], brand, judge: null }).map((r) => r.rubrics.platformRelevance)
    expect(short?.score).toBeLessThan(good?.score ?? 0)
    expect(bare?.score).toBeLessThan(good?.score ?? 0)
    expect(bare?.parts.find((p) => p.check === 'hashtag_count')?.note).toBe('No hashtags; Instagram post does best with 3–12.')
  })

  it('needs ad copy on asset formats and a 30-60 s script on TikTok scripts', () => {
    const [noAd] = scoreVariants({ format: 'facebook', variants: [variant({ adCopy: null })], brand, judge: null })
    expect(noAd?.rubrics.platformRelevance.score).toBeLessThanOrEqual(30)
    expect(noAd?.rubrics.platformRelevance.reason).toBe('Needs ad copy with a headline and a body for a Facebook post.')
    const script = (words: number) => variant({ adCopy: null, text: Array.from({ length: words }, () => 'coffee').join(' '), segments: ['Hook.', 'Beat.', 'Call.'] })
    const [short, right] = scoreVariants({ format: 'tiktok_script', variants: [script(40), script(100)], brand, judge: null })
    expect(short?.rubrics.platformRelevance.score).toBeLessThanOrEqual(30)
    expect(right?.rubrics.platformRelevance.parts.find((p) => p.check === 'script_words')).toMatchObject({ score: 100, note: 'The script runs about 40 s spoken (100 words).' })
  })
})

describe('the judge', () => {
  it('blends each rubric as the rounded mean of the rule score and the judge’s, and records the judge’s part', () => {
    const ruleOnly = score()
    const judged = score({ judge: { provider: 'gemini', verdicts: [verdicts(61, 'Clear enough.'), verdicts(61), verdicts(61)] } })
    expect(ruleOnly.every((r) => !r.judged)).toBe(true)
    expect(judged.every((r) => r.judged)).toBe(true)
    for (const [i, result] of judged.entries()) {
      for (const name of RUBRICS) {
        expect(result.rubrics[name].score).toBe(Math.round(((ruleOnly[i]?.rubrics[name].score ?? 0) + 61) / 2))
        const judgeParts = result.rubrics[name].parts.filter((p) => p.source === 'judge')
        expect(judgeParts).toHaveLength(1)
        expect(judgeParts[0]?.provider).toBe('gemini')
        expect(ruleOnly[i]?.rubrics[name].parts.some((p) => p.source === 'judge')).toBe(false)
      }
    }
    expect(judged[0]?.rubrics.clarity.parts.at(-1)?.note).toBe('Clear enough.')
  })

  it('gives the judge’s reason when its score is the weakest part', () => {
    const [result] = score({ judge: { provider: 'openai', verdicts: [verdicts(10, 'The tone is stiff for this brand.'), verdicts(80), verdicts(80)] } })
    expect(result?.rubrics.brandConsistency.reason).toBe('The tone is stiff for this brand.')
  })

  it('scores a variant the judge skipped on rules alone', () => {
    const results = score({ judge: { provider: 'openai', verdicts: [verdicts(90), null] } })
    expect(results.map((r) => r.judged)).toEqual([true, false, false])
    expect(results[1]).toEqual(score()[1])
    expect(results[2]).toEqual(score()[2])
  })
})

describe('pickAutoApproved', () => {
  function scored(overall: number, lowest = overall): VariantScore {
    const rubric = (value: number) => ({ score: value, reason: 'r', parts: [] })
    return { overall, judged: false, rubrics: { clarity: rubric(lowest), originality: rubric(overall), brandConsistency: rubric(overall), platformRelevance: rubric(overall) } }
  }

  it('defaults to 80 overall with no rubric below 60', () => {
    expect(DEFAULT_AUTO_APPROVE).toEqual({ threshold: 80, floor: 60 })
  })

  it('approves the best variant when it reaches the threshold', () => {
    expect(pickAutoApproved([scored(70), scored(85), scored(82)], DEFAULT_AUTO_APPROVE)).toBe(1)
    expect(pickAutoApproved([scored(80)], DEFAULT_AUTO_APPROVE)).toBe(0)
  })

  it('approves none when the best is under the threshold', () => {
    expect(pickAutoApproved([scored(79), scored(60)], DEFAULT_AUTO_APPROVE)).toBeNull()
    expect(pickAutoApproved([], DEFAULT_AUTO_APPROVE)).toBeNull()
  })

  it('approves none when the best has a rubric under the floor, even if a sibling would pass', () => {
    expect(pickAutoApproved([scored(90, 59), scored(84)], DEFAULT_AUTO_APPROVE)).toBeNull()
    expect(pickAutoApproved([scored(90, 60), scored(84)], DEFAULT_AUTO_APPROVE)).toBe(0)
  })

  it('takes the first of tied variants', () => {
    expect(pickAutoApproved([scored(70), scored(88), scored(88)], DEFAULT_AUTO_APPROVE)).toBe(1)
  })

  it('follows a custom rule', () => {
    expect(pickAutoApproved([scored(72, 50)], { threshold: 70, floor: 50 })).toBe(0)
    expect(pickAutoApproved([scored(72, 50)], { threshold: 75, floor: 50 })).toBeNull()
  })
})

describe('landingOrder', () => {
  it('lands the worst first, so the approved variant (else the best, else the lower index) is the current caption', () => {
    expect(landingOrder([70, 90, 80], null)).toEqual([0, 2, 1])
    expect(landingOrder([70, 90, 80], 2)).toEqual([0, 1, 2])
    expect(landingOrder([85, 85, 60], null)).toEqual([2, 1, 0])
  })
})

