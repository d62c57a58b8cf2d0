import type { SocialAccount } from '../../../api/schemas/creator.ts'
import { Badge, type BadgeTone } from './badge'

const statuses: Record<SocialAccount['status'], { tone: BadgeTone; label: string; tooltip: string }> = {
  active: { tone: 'emerald', label: 'Active', tooltip: 'Connected; Greenlight refreshes its access before it expires.' },
  needs_reauth: { tone: 'amber', label: 'Needs re-auth', tooltip: 'The platform refused to renew access. Reconnect to grant it again.' },
  disconnected: { tone: 'slate', label: 'Disconnected', tooltip: 'Its tokens were deleted; reconnect to use it again.' },
}

export function AccountStatusBadge({ status }: { status: SocialAccount['status'] }) {
  const { tone, label, tooltip } = statuses[status]
  return (
    <Badge tone={tone} tooltip={tooltip} data-testid="account-status" data-status={status}>
      {label}
    </Badge>
  )
}
