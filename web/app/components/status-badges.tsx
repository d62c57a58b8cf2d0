import type { CampaignStage, WorkflowState } from '~/lib/api.server'
import { Badge, type BadgeTone } from './badge'

const stageTones: Record<CampaignStage, BadgeTone> = {
  scheduled: 'sky',
  live: 'emerald',
  paused: 'amber',
  completed: 'slate',
}

export function StageBadge({ stage }: { stage: CampaignStage }) {
  return (
    <Badge tone={stageTones[stage]} className="capitalize" data-testid="stage-badge">
      {stage}
    </Badge>
  )
}

// Temporal's execution statuses; any other is shown neutral.
const workflowTones: Record<string, BadgeTone> = {
  RUNNING: 'emerald',
  COMPLETED: 'slate',
  CONTINUED_AS_NEW: 'slate',
  FAILED: 'red',
  CANCELLED: 'red',
  TERMINATED: 'red',
  TIMED_OUT: 'red',
}

export function WorkflowStatusBadge({ status }: { status: WorkflowState['status'] }) {
  return (
    <Badge tone={workflowTones[status] ?? 'slate'} className="font-mono" data-testid="workflow-status">
      {status}
    </Badge>
  )
}
