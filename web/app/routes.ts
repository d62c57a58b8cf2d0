import { index, layout, route, type RouteConfig } from '@react-router/dev/routes'

export default [
  route('login', 'routes/login.tsx'),
  route('logout', 'routes/logout.ts'),
  index('routes/home.ts'),
  layout('routes/signed-in.tsx', [
    route('campaigns', 'routes/campaigns.tsx'),
    route('campaigns/:campaignId', 'routes/campaign-detail.tsx'),
  ]),
] satisfies RouteConfig
