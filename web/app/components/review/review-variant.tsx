// One AI variant of a card in the review grid, beside its siblings: who wrote it, its caption as it landed on
// the card, the overall score big and the four rubric scores as small bars (each rubric's reason on hover and
// for screen readers), the one under review marked, and "Use this variant" to start an edit from its text.
import { Link } from 'react-router'
import { RUBRICS, RUBRIC_LABELS } from '../../../../domain/rubric.ts'
import type { ReviewVariant } from '~/lib/review'
import { Badge } from '../badge'
import { ProviderBadge, ScoreBar, ScoreNumber } from '../ai/badges'

interface ReviewVariantProps {
  variant: ReviewVariant
  /** Where "Use this variant" goes without JavaScript: the grid with this card's edit open on the variant's text. */
  editHref: string | null
  onUse: ((variant: ReviewVariant) => void) | null
}

export function ReviewVariantColumn({ variant, editHref, onUse }: ReviewVariantProps) {
  const { rubrics } = variant
  return (
    <section
      className={`flex flex-col gap-3 rounded-md bg-white p-3 ring-1 ${variant.underReview ? 'ring-2 ring-emerald-400' : 'ring-slate-200'}`}
      data-testid="review-variant"
      data-variant-id={variant.id}
      data-under-review={variant.underReview}
      aria-label={`Variant ${variant.variantIndex + 1}, caption version ${variant.captionVersion}${variant.underReview ? ', under review' : ''}`}
    >
      <header className="flex items-start justify-between gap-2">
        <div className="space-y-1">
          <h4 className="text-xs font-semibold text-slate-800">
            Version {variant.captionVersion} <span className="font-normal text-slate-500 capitalize">· {variant.angle}</span>
          </h4>
          <div className="flex flex-wrap gap-1">
            <ProviderBadge provider={variant.provider} />
            {variant.underReview && (
              <Badge tone="emerald" data-testid="under-review-badge">
                Under review
              </Badge>
            )}
          </div>
        </div>
        <div className="text-right">
          <ScoreNumber score={variant.overall} size="lg" testId="review-variant-overall" />
          <span className="mt-1 block text-[11px] text-slate-500">overall</span>
        </div>
      </header>
      <p className="text-xs whitespace-pre-line text-slate-700" data-testid="review-variant-text">
        {variant.text}
      </p>
      {rubrics ? (
        <ul className="space-y-1.5" aria-label="Rubric scores">
          {RUBRICS.map((name) => {
            const rubric = rubrics[name]
            if (!rubric) return null
            return (
              <li key={name} title={rubric.reason} data-testid="review-rubric" data-rubric={name} data-score={rubric.score}>
                <div className="flex items-baseline justify-between gap-2 text-[11px]">
                  <span className="text-slate-600">{RUBRIC_LABELS[name]}</span>
                  <ScoreNumber score={rubric.score} />
                </div>
                <ScoreBar score={rubric.score} />
                <span className="sr-only">{rubric.reason}</span>
              </li>
            )
          })}
        </ul>
      ) : (
        <p className="text-xs text-slate-500">Not scored.</p>
      )}
      {editHref && !variant.underReview && (
        <Link
          to={editHref}
          preventScrollReset
          onClick={(event) => {
            if (!onUse) return
            event.preventDefault()
            onUse(variant)
          }}
          className="mt-auto text-xs font-semibold text-emerald-700 hover:text-emerald-600"
          data-testid="use-variant"
        >
          Use this variant
        </Link>
      )}
    </section>
  )
}
