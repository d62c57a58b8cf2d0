import { Form, useNavigation } from 'react-router'
import type { CampaignDetail } from '~/lib/api.server'
import { Button } from './button'
import { CsrfField } from './csrf-field'

/** One button per status change the API offers this user from here (Mark ready, Launch, Pause, …). */
export function BriefStatusActions({ nextStatuses }: { nextStatuses: CampaignDetail['nextStatuses'] }) {
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'status'
  if (nextStatuses.length === 0) return null
  return (
    <Form method="post" className="flex flex-wrap items-center gap-2" data-testid="status-actions">
      <CsrfField />
      <input type="hidden" name="intent" value="status" />
      {nextStatuses.map(({ to, label }) => (
        <Button key={to} type="submit" name="to" value={to} variant={to === 'active' || to === 'ready' ? 'primary' : 'secondary'} disabled={busy} data-testid={`status-${to}`}>
          {label}
        </Button>
      ))}
    </Form>
  )
}
