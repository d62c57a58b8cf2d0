import { index, layout, route, type RouteConfig } from '@react-router/dev/routes'

export default [
  route('login', 'routes/login.tsx'),
  route('signup', 'routes/signup.tsx'),
  route('logout', 'routes/logout.ts'),
  route('forgot-password', 'routes/forgot-password.tsx'),
  route('reset-password/:token', 'routes/reset-password.tsx'),
  route('invite/:token', 'routes/accept-invite.tsx'),
  route('oauth/:platform/callback', 'routes/oauth-callback.ts'),
  index('routes/home.ts'),
  layout('routes/signed-in.tsx', [
    route('campaigns', 'routes/campaigns.tsx'),
    route('campaigns/new', 'routes/campaign-new.tsx'),
    route('campaigns/:campaignId', 'routes/campaign-detail.tsx'),
    route('campaigns/:campaignId/board', 'routes/board.tsx', { id: 'campaign-board' }, [
      route('cards/:cardId', 'routes/board-card.tsx', { id: 'campaign-board-card' }),
    ]),
    route('workspaces/:workspaceId/board', 'routes/board.tsx', { id: 'workspace-board' }, [
      route('cards/:cardId', 'routes/board-card.tsx', { id: 'workspace-board-card' }),
    ]),
    route('my-cards', 'routes/board.tsx', { id: 'my-board' }, [route('cards/:cardId', 'routes/board-card.tsx', { id: 'my-board-card' })]),
    route('board-events', 'routes/board-events.ts'),
    route('board-export.csv', 'routes/board-export.ts'),
    route('assets/:assetId/:variant', 'routes/asset-file.ts'),
    route('workspaces', 'routes/workspaces.tsx'),
    route('workspaces/:workspaceId', 'routes/workspace-detail.tsx'),
    route('workspaces/:workspaceId/logo', 'routes/workspace-logo.ts'),
    route('workspaces/:workspaceId/assets', 'routes/workspace-assets.tsx'),
    route('creators', 'routes/creators.tsx'),
    route('creators/:creatorId', 'routes/creator-detail.tsx'),
    route('creators/:creatorId/connect/:platform', 'routes/creator-connect.ts'),
    route('notifications', 'routes/notifications.tsx'),
    route('settings', 'routes/settings.tsx', [
      index('routes/settings-index.ts'),
      route('team', 'routes/settings-team.tsx'),
      route('plan', 'routes/settings-plan.tsx'),
      route('audit', 'routes/settings-audit.tsx'),
      route('outbox', 'routes/settings-outbox.tsx'),
      route('security', 'routes/settings-security.tsx'),
    ]),
  ]),
] satisfies RouteConfig
