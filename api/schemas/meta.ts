import { Type, type Static } from '@fastify/type-provider-typebox'

export const PlatformMeta = Type.Object({
  integrations: Type.Object({
    ai: Type.Union([Type.Literal('offline'), Type.Literal('openai'), Type.Literal('gemini')], {
      description: 'offline when no AI provider key is configured',
    }),
    meta: Type.Union([Type.Literal('sandbox'), Type.Literal('live')], {
      description: 'sandbox when no Meta app credentials are configured',
    }),
    tiktok: Type.Union([Type.Literal('sandbox'), Type.Literal('live')], {
      description: 'sandbox when no TikTok client credentials are configured',
    }),
  }),
  temporal: Type.Object({ uiUrl: Type.String(), namespace: Type.String() }),
})
export type PlatformMeta = Static<typeof PlatformMeta>
