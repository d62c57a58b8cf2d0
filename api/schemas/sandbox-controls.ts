// The sandbox publishing controls: what the Meta and TikTok stand-ins are made to do wrong right now, the named
// faults a person may inject from Settings → Sandbox, and the bodies that inject or clear them.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { FAULT_PRESETS, FAULT_COUNT_MAX, SANDBOX_PLATFORMS, SANDBOX_SERVICES } from '../services/sandbox-controls'
import { literals } from './common'

const PlatformSchema = literals(SANDBOX_PLATFORMS)
const PresetSchema = literals(FAULT_PRESETS)

export const SandboxCondition = Type.Object({
  platform: Type.Union([PlatformSchema, Type.Null()], { description: 'The platform it affects; null for every call to the stand-in' }),
  subject: Type.String({ description: 'Which calls or which setting, e.g. "Instagram: publishing a container"' }),
  effect: Type.String({ description: 'What happens to them, e.g. "Graph error 4 (HTTP 400)"' }),
  remaining: Type.Union([Type.Integer(), Type.Null()], { description: 'Calls or posts it still applies to; null: until cleared' }),
})
export type SandboxCondition = Static<typeof SandboxCondition>

export const SandboxServiceView = Type.Object({
  service: literals(SANDBOX_SERVICES),
  label: Type.String(),
  platforms: Type.Array(PlatformSchema),
  mode: Type.Union([Type.Literal('sandbox'), Type.Literal('live')], { description: 'live: real credentials are configured and there is no stand-in to control' }),
  standInUrl: Type.Union([Type.String(), Type.Null()]),
  reachable: Type.Boolean({ description: 'Whether the stand-in answered; always false in live mode' }),
  problem: Type.Union([Type.String(), Type.Null()], { description: 'Why the stand-in could not be read' }),
  conditions: Type.Array(SandboxCondition, { description: 'Injected faults and changed settings; empty when the stand-in behaves normally' }),
})
export type SandboxServiceView = Static<typeof SandboxServiceView>

export const FaultPresetView = Type.Object({
  preset: PresetSchema,
  label: Type.String(),
  description: Type.String(),
  platforms: Type.Array(PlatformSchema, { description: 'The platforms it can be injected on' }),
  counted: Type.Boolean({ description: 'true: it applies to the next `count` calls or posts; false: it lasts until cleared' }),
})
export type FaultPresetView = Static<typeof FaultPresetView>

export const SandboxPublishingView = Type.Object({
  services: Type.Array(SandboxServiceView),
  presets: Type.Array(FaultPresetView),
  countMax: Type.Integer({ description: 'The most calls or posts one injection may affect' }),
})
export type SandboxPublishingView = Static<typeof SandboxPublishingView>

export const InjectFaultBody = Type.Object(
  {
    preset: PresetSchema,
    platform: PlatformSchema,
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: FAULT_COUNT_MAX, description: `How many calls or posts it applies to (1 unless said; at most ${FAULT_COUNT_MAX}); ignored by presets that last until cleared` })),
  },
  { additionalProperties: false },
)
export type InjectFaultBody = Static<typeof InjectFaultBody>

export const InjectFaultResponse = Type.Object({
  applied: Type.Object({
    preset: PresetSchema,
    platform: PlatformSchema,
    count: Type.Union([Type.Integer(), Type.Null()], { description: 'null for a preset that lasts until cleared' }),
    summary: Type.String({ description: 'What was injected, in a sentence' }),
  }),
  sandbox: SandboxPublishingView,
})
export type InjectFaultResponse = Static<typeof InjectFaultResponse>
