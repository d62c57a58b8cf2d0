import { Form, useNavigation } from 'react-router'
import { Button } from './button'
import { CsrfField } from './csrf-field'

export type ConnectProvider = 'meta' | 'tiktok'

export const CONNECT_LABELS: Record<ConnectProvider, string> = {
  meta: 'Connect Instagram & Facebook',
  tiktok: 'Connect TikTok',
}

/**
 * Starts a connect: a POST (with the CSRF token) to /creators/:id/connect/:provider, whose action asks the API
 * for the platform's authorize URL and sends the browser there.
 */
export function ConnectButton({ creatorId, provider, label, variant = 'primary' }: { creatorId: string; provider: ConnectProvider; label?: string; variant?: 'primary' | 'secondary' }) {
  const action = `/creators/${creatorId}/connect/${provider}`
  const navigation = useNavigation()
  const going = navigation.state !== 'idle' && navigation.formAction === action
  return (
    <Form method="post" action={action}>
      <CsrfField />
      <Button type="submit" variant={variant} disabled={going} data-testid={`connect-${provider}`}>
        {going ? 'Opening…' : (label ?? CONNECT_LABELS[provider])}
      </Button>
    </Form>
  )
}

export function CreatorConnectButtons({ creatorId, sandbox }: { creatorId: string; sandbox: { meta: boolean; tiktok: boolean } }) {
  return (
    <div className="flex flex-wrap items-center gap-3" data-testid="connect-buttons">
      <ConnectButton creatorId={creatorId} provider="meta" />
      <ConnectButton creatorId={creatorId} provider="tiktok" />
      {(sandbox.meta || sandbox.tiktok) && (
        <p className="text-xs text-slate-500">
          {sandbox.meta && sandbox.tiktok ? 'Meta and TikTok' : sandbox.meta ? 'Meta' : 'TikTok'} run against the local sandbox: no real account is touched.
        </p>
      )}
    </div>
  )
}
