import { Form, useNavigation } from 'react-router'
import type { Campaign, WorkflowState } from '~/lib/api.server'
import { Button } from './button'
import { CsrfField } from './csrf-field'

/** Pause or resume, whichever applies; nothing once the campaign has completed. */
export function CampaignControls({ campaign, workflow }: { campaign: Campaign; workflow: WorkflowState | null }) {
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  if (campaign.stage === 'completed' || (workflow && workflow.status !== 'RUNNING')) return null

  // The workflow is the live truth; the stored stage can lag behind it by a moment.
  const paused = workflow ? workflow.paused : campaign.stage === 'paused'
  const intent = paused ? 'resume' : 'pause'
  return (
    <Form method="post">
      <CsrfField />
      <Button type="submit" name="intent" value={intent} variant="secondary" disabled={busy} data-testid={`${intent}-campaign`}>
        {paused ? 'Resume' : 'Pause'}
      </Button>
    </Form>
  )
}
