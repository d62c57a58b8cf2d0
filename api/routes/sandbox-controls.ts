// Settings → Sandbox: what the Meta and TikTok stand-ins are made to do wrong, injecting a named fault, and
// clearing them all. Owners and managers only, and only for platforms that run against their stand-in (404
// SANDBOX_NOT_ACTIVE otherwise).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '../schemas/common'
import { InjectFaultBody, InjectFaultResponse, SandboxPublishingView } from '../schemas/sandbox-controls'
import { clearSandboxFaults, injectSandboxFault, readSandboxPublishing, type SandboxControlDeps } from '../services/sandbox-controls'

const sandboxControlRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (): SandboxControlDeps => ({ settings: app.settings })

  app.get(
    '/api/sandbox/publishing',
    {
      config: { permission: 'sandbox.control' },
      schema: {
        summary: 'The faults injected into the Meta and TikTok stand-ins, their changed settings, and the presets that may be injected',
        description: 'A stand-in that does not answer is reported with reachable: false and the reason, not as an error.',
        tags: ['sandbox'],
        response: { 200: SandboxPublishingView, ...errorResponses(401, 403, 404) },
      },
    },
    async () => readSandboxPublishing(deps()),
  )

  app.post(
    '/api/sandbox/publishing/faults',
    {
      config: { permission: 'sandbox.control' },
      schema: {
        summary: 'Inject a named fault on a platform’s stand-in, for the next `count` calls or posts (or until cleared)',
        description: '400 PRESET_NOT_AVAILABLE for a preset the platform has no such thing for (processing on Facebook); 502 when the stand-in does not answer.',
        tags: ['sandbox'],
        body: InjectFaultBody,
        response: { 200: InjectFaultResponse, ...errorResponses(400, 401, 403, 404, 502) },
      },
    },
    async (request) => injectSandboxFault(deps(), request.tenantDb, request.user!, request.body, request.ip),
  )

  app.post(
    '/api/sandbox/publishing/clear',
    {
      config: { permission: 'sandbox.control' },
      schema: {
        summary: 'Clear every injected fault and put every changed setting back, on each stand-in in use',
        tags: ['sandbox'],
        response: { 200: SandboxPublishingView, ...errorResponses(401, 403, 404, 502) },
      },
    },
    async (request) => clearSandboxFaults(deps(), request.tenantDb, request.user!, request.ip),
  )
}

export default sandboxControlRoutes
