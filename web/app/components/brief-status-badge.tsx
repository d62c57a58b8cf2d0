import { BRIEF_STATUS_LABELS, type BriefStatus } from '../../../domain/campaign-brief.ts'
import { Badge, type BadgeTone } from './badge'

const statusTones: Record<BriefStatus, BadgeTone> = {
  draft: 'slate',
  ready: 'sky',
  active: 'emerald',
  paused: 'amber',
  completed: 'slate',
  archived: 'slate',
}

/** A brief's status (draft … archived); the workflow's stage has its own badge (StageBadge). */
export function BriefStatusBadge({ status }: { status: BriefStatus }) {
  return (
    <Badge tone={statusTones[status]} data-testid="brief-status" data-status={status}>
      {BRIEF_STATUS_LABELS[status]}
    </Badge>
  )
}
