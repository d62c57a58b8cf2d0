// One generated variant as a reviewer reads it: the content in its format's parts (caption, hashtags, ad copy,
// thread posts or script beats, a newsletter's subject and preheader), the overall score big, the four rubric
// scores with their one-line reasons and, on request, how each was scored (which rule checks, which judge).
import { AI_PROVIDER_LABELS } from '../../../../domain/ai-content.ts'
import { formatCostMicros } from '../../../../domain/ai-pricing.ts'
import { RUBRICS, RUBRIC_LABELS, RUBRIC_WEIGHTS } from '../../../../domain/rubric.ts'
import { ctaLabel, isAiProvider, scoreCheckLabel, tokensLine, type BatchVariant } from '~/lib/ai'
import { Badge } from '../badge'
import { ProviderBadge, ScoreBar, ScoreNumber } from './badges'

interface VariantCardProps {
  variant: BatchVariant
  format: string
  /** Whether the item is an asset: only then does "read the image" or "from metadata" mean something. */
  fromAsset: boolean
  /** "Auto-approved" or "Approved" when this is the item's approved variant; null otherwise. */
  approval: string | null
}

function segmentNoun(format: string): { one: string; heading: string } {
  return format === 'tiktok_script' ? { one: 'Beat', heading: 'Script beats' } : { one: 'Post', heading: 'Thread posts' }
}

function VariantContent({ variant, format }: { variant: BatchVariant; format: string }) {
  const { content } = variant
  const noun = segmentNoun(format)
  return (
    <div className="space-y-3 text-sm text-slate-800">
      {content.subject !== null && (
        <dl className="space-y-1 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200 ring-inset" data-testid="variant-email">
          <div>
            <dt className="text-xs font-medium text-slate-500">Subject</dt>
            <dd className="font-semibold" data-testid="variant-subject">
              {content.subject}
            </dd>
          </div>
          {content.preheader !== null && (
            <div>
              <dt className="text-xs font-medium text-slate-500">Preheader</dt>
              <dd className="text-slate-600" data-testid="variant-preheader">
                {content.preheader}
              </dd>
            </div>
          )}
        </dl>
      )}
      {content.segments.length > 0 ? (
        <div>
          <h4 className="text-xs font-medium text-slate-500">
            {noun.heading} ({content.segments.length})
          </h4>
          <ol className="mt-1 space-y-2" data-testid="variant-segments">
            {content.segments.map((segment, index) => (
              <li key={index} className="rounded-md bg-slate-50 p-2.5 whitespace-pre-line ring-1 ring-slate-200 ring-inset" data-testid="variant-segment">
                <span className="mb-0.5 block text-xs font-medium text-slate-500">
                  {noun.one} {index + 1}
                </span>
                {segment}
              </li>
            ))}
          </ol>
        </div>
      ) : (
        <p className="whitespace-pre-line" data-testid="variant-text">
          {content.text}
        </p>
      )}
      {content.hashtags.length > 0 && (
        <p className="flex flex-wrap gap-1.5" data-testid="variant-hashtags">
          {content.hashtags.map((tag) => (
            <span key={tag} className="rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-800">
              #{tag}
            </span>
          ))}
        </p>
      )}
      {content.adCopy && (
        <dl className="space-y-1 rounded-md border border-dashed border-slate-300 p-3" data-testid="variant-ad-copy">
          <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Ad copy</dt>
          <dd className="font-semibold" data-testid="ad-headline">
            {content.adCopy.headline}
          </dd>
          <dd className="text-slate-700" data-testid="ad-body">
            {content.adCopy.body}
          </dd>
          <dd>
            <span className="inline-flex rounded-md bg-slate-800 px-2 py-0.5 text-xs font-semibold text-white" data-testid="ad-cta">
              {ctaLabel(content.adCopy.cta)}
            </span>
          </dd>
        </dl>
      )}
    </div>
  )
}

function RubricScores({ variant }: { variant: BatchVariant }) {
  const rubrics = variant.rubrics
  if (!rubrics) return <p className="text-sm text-slate-500">Not scored yet.</p>
  return (
    <div className="space-y-2">
      <ul className="space-y-2" data-testid="rubric-scores">
        {RUBRICS.map((name) => {
          const rubric = rubrics[name]
          if (!rubric) return null
          return (
            <li key={name} data-testid="rubric-score" data-rubric={name} data-score={rubric.score}>
              <div className="flex items-baseline justify-between gap-2 text-xs">
                <span className="font-medium text-slate-700">
                  {RUBRIC_LABELS[name]} <span className="font-normal text-slate-400">×{RUBRIC_WEIGHTS[name]}</span>
                </span>
                <ScoreNumber score={rubric.score} />
              </div>
              <ScoreBar score={rubric.score} />
              <p className="mt-0.5 text-xs text-slate-600" data-testid="rubric-reason">
                {rubric.reason}
              </p>
            </li>
          )
        })}
      </ul>
      <details className="group rounded-md bg-slate-50 px-3 py-2 text-xs ring-1 ring-slate-200 ring-inset" data-testid="score-details">
        <summary className="cursor-pointer font-semibold text-slate-700 select-none">How it was scored</summary>
        <p className="mt-2 text-slate-600">
          {variant.judged
            ? 'Each rubric is the mean of the rule checks, averaged with the model judge’s score; a hard problem caps it.'
            : 'Rule checks only: no model judged this variant.'}
          {variant.judgeNote && <span className="block text-amber-700">{variant.judgeNote}</span>}
        </p>
        {RUBRICS.map((name) => {
          const rubric = rubrics[name]
          if (!rubric) return null
          return (
            <div key={name} className="mt-2">
              <h4 className="font-semibold text-slate-700">
                {RUBRIC_LABELS[name]}: {rubric.score}
              </h4>
              <ul className="mt-1 space-y-1">
                {rubric.parts.map((part, index) => (
                  <li key={index} className="flex gap-2" data-testid="score-part" data-source={part.source}>
                    <Badge tone={part.source === 'judge' ? 'sky' : 'slate'} className="shrink-0 self-start">
                      {part.source === 'judge' ? `Judge${part.provider && isAiProvider(part.provider) ? ` · ${AI_PROVIDER_LABELS[part.provider]}` : ''}` : 'Rule'}
                    </Badge>
                    <span className="text-slate-600">
                      <span className="font-medium text-slate-800">
                        {scoreCheckLabel(part.check)} {part.score}
                      </span>
                      {' — '}
                      {part.note}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )
        })}
      </details>
    </div>
  )
}

export function VariantCard({ variant, format, fromAsset, approval }: VariantCardProps) {
  const offline = variant.provider === 'offline'
  const approved = approval !== null
  return (
    <article
      className={`flex flex-col gap-4 rounded-lg bg-white p-4 shadow-sm ring-1 ${approved ? 'ring-2 ring-emerald-400' : offline ? 'ring-amber-200' : 'ring-slate-200'}`}
      data-testid="variant"
      data-variant-index={variant.variantIndex}
      data-provider={variant.provider}
      data-status={variant.status}
      aria-label={`Variant ${variant.variantIndex + 1}, ${variant.angle} angle`}
    >
      <header className="flex items-start justify-between gap-3">
        <div className="space-y-1.5">
          <h3 className="text-sm font-semibold text-slate-900">
            Variant {variant.variantIndex + 1} <span className="font-normal text-slate-500 capitalize">· {variant.angle}</span>
          </h3>
          <div className="flex flex-wrap gap-1.5">
            <ProviderBadge provider={variant.provider} {...(offline ? {} : { model: variant.model })} />
            {approval && (
              <Badge tone="emerald" data-testid="approved-badge">
                ✓ {approval}
              </Badge>
            )}
            {fromAsset && (
              <Badge
                tone="slate"
                data-testid="saw-image"
                data-saw-image={variant.sawImage}
                tooltip={variant.sawImage ? 'The image itself went to the model.' : 'Only the file’s name, kind and size went to the writer, not the image.'}
              >
                {variant.sawImage ? 'Read the image' : 'From metadata'}
              </Badge>
            )}
          </div>
        </div>
        <div className="text-right">
          <ScoreNumber score={variant.overall} size="lg" testId="variant-overall" />
          <span className="mt-1 block text-xs text-slate-500">overall</span>
        </div>
      </header>

      <VariantContent variant={variant} format={format} />
      {variant.adjustments.length > 0 && (
        <ul className="list-disc space-y-0.5 pl-5 text-xs text-slate-500" data-testid="variant-adjustments" aria-label="Adjusted to fit the format">
          {variant.adjustments.map((adjustment) => (
            <li key={adjustment}>{adjustment}</li>
          ))}
        </ul>
      )}
      <RubricScores variant={variant} />

      <footer className="mt-auto flex flex-wrap items-center justify-between gap-2 border-t border-slate-100 pt-3 text-xs text-slate-500">
        <span data-testid="variant-usage">
          {offline ? 'No tokens: written from templates' : tokensLine(variant.inputTokens, variant.outputTokens)} · {formatCostMicros(variant.costMicros)}
        </span>
        {variant.captionVersion !== null && <span>Caption version {variant.captionVersion} on the card</span>}
      </footer>
    </article>
  )
}
