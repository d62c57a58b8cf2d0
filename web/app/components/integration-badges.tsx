import type { PlatformMeta } from '~/lib/api.server'
import { Badge } from './badge'

/** Tells everyone at a glance that this installation runs without real platform or AI credentials. */
export function IntegrationBadges({ integrations }: { integrations: PlatformMeta['integrations'] }) {
  const sandboxed = [integrations.meta === 'sandbox' && 'Meta', integrations.tiktok === 'sandbox' && 'TikTok'].filter(Boolean)
  return (
    <>
      {sandboxed.length > 0 && (
        <Badge
          tone="amber"
          data-testid="sandbox-badge"
          tooltip={`No real ${sandboxed.join(' or ')} credentials are configured: publishing and metrics use local sandbox accounts, and nothing reaches a real ad account.`}
        >
          Sandbox accounts
        </Badge>
      )}
      {integrations.ai === 'offline' && (
        <Badge
          tone="amber"
          data-testid="offline-ai-badge"
          tooltip="No OpenAI or Gemini key is configured: drafts come from the built-in offline generator."
        >
          Offline AI
        </Badge>
      )}
    </>
  )
}
