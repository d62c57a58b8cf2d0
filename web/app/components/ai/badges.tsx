// The AI pages' badges: a batch's and an item's status, who wrote a variant (the offline generator always
// distinct, so nobody mistakes a template for a model's writing), and a score in its colour.
import { AI_PROVIDER_LABELS } from '../../../../domain/ai-content.ts'
import { batchStatusLabel, isAiProvider, itemStatusLabel, scoreTone, statusTone } from '~/lib/ai'
import { Badge } from '../badge'

export function BatchStatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={statusTone(status)} data-testid="batch-status" data-status={status}>
      {status === 'running' && <span aria-hidden className="mr-1.5 size-1.5 animate-pulse rounded-full bg-sky-500" />}
      {batchStatusLabel(status)}
    </Badge>
  )
}

export function ItemStatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={statusTone(status)} data-testid="item-status" data-status={status}>
      {itemStatusLabel(status)}
    </Badge>
  )
}

export const OFFLINE_TOOLTIP = 'Written by the offline generator: template-based, no AI model was used.'

/** Who wrote a variant: the provider and its model, or the unmistakable offline badge. */
export function ProviderBadge({ provider, model }: { provider: string; model?: string }) {
  if (provider === 'offline') {
    return (
      <Badge tone="amber" tooltip={OFFLINE_TOOLTIP} className="font-semibold" data-testid="offline-badge">
        Offline generator
      </Badge>
    )
  }
  const label = isAiProvider(provider) ? AI_PROVIDER_LABELS[provider] : provider
  return (
    <Badge tone="sky" data-testid="provider-badge" data-provider={provider}>
      {label}
      {model ? <span className="ml-1 font-normal text-sky-700">· {model}</span> : null}
    </Badge>
  )
}

const scoreText: Record<string, string> = {
  emerald: 'text-emerald-700',
  amber: 'text-amber-700',
  red: 'text-red-700',
  slate: 'text-slate-500',
  sky: 'text-sky-700',
}

/** A score as a number in its colour; `size` big for a variant's overall score. */
export function ScoreNumber({ score, size = 'sm', testId }: { score: number | null; size?: 'sm' | 'lg'; testId?: string }) {
  return (
    <span className={`font-semibold tabular-nums ${scoreText[scoreTone(score)]} ${size === 'lg' ? 'text-4xl leading-none' : 'text-sm'}`} data-testid={testId}>
      {score ?? '–'}
    </span>
  )
}

const barColour: Record<string, string> = {
  emerald: 'bg-emerald-500',
  amber: 'bg-amber-500',
  red: 'bg-red-500',
  slate: 'bg-slate-300',
  sky: 'bg-sky-500',
}

/** A thin 0–100 bar under a rubric's score (decorative: the number says it). */
export function ScoreBar({ score }: { score: number }) {
  return (
    <span aria-hidden className="block h-1.5 w-full overflow-hidden rounded-full bg-slate-100">
      <span className={`block h-full rounded-full ${barColour[scoreTone(score)]}`} style={{ width: `${Math.min(100, Math.max(0, score))}%` }} />
    </span>
  )
}
