// Sandbox publishing controls: owners and managers make the local Meta and TikTok stand-ins misbehave in named
// ways (a rate limit, an outage, a lost answer, an expired token, failed or slow processing, a used-up quota) to
// see how publishing copes, then put them right again. Each preset becomes calls to a stand-in's control API
// (<graphBaseUrl>/__sandbox, <tiktok apiBaseUrl>/__sandbox); nothing is done for a platform that runs with
// real credentials. Every change is written to the audit log.
import { GRAPH_REQUEST_TIMEOUT_MS } from '../../activities/platforms/meta/publishing'
import type { TenantDatabase } from '../../platform/tenant-scope'
import { ApiError } from '../errors'
import type { FaultPresetView, InjectFaultBody, InjectFaultResponse, SandboxCondition, SandboxPublishingView, SandboxServiceView } from '../schemas/sandbox-controls'
import type { ApiSettings, AuthUser } from '../types'
import { recordAudit } from './audit'

export const SANDBOX_SERVICES = ['meta', 'tiktok'] as const
export type SandboxService = (typeof SANDBOX_SERVICES)[number]

export const SANDBOX_PLATFORMS = ['instagram', 'facebook', 'tiktok'] as const
export type SandboxPlatform = (typeof SANDBOX_PLATFORMS)[number]

export const FAULT_PRESETS = ['rate_limit', 'server_error', 'timeout', 'token_expired', 'container_error', 'slow_processing', 'quota_exhausted'] as const
export type FaultPreset = (typeof FAULT_PRESETS)[number]

/** The most calls or posts one injection may affect: enough for a demo, not enough to forget about. */
export const FAULT_COUNT_MAX = 20

/** Longer than the Meta and TikTok clients wait for an answer (15 s each): the call goes through unanswered. */
export const TIMEOUT_FAULT_DELAY_MS = GRAPH_REQUEST_TIMEOUT_MS + 5_000
/** Processing time of slow_processing: an Instagram image or a TikTok post (an Instagram reel takes three times as long). */
export const SLOW_PROCESSING_MS = 60_000
/** How long an injected Graph throttle tells callers to stay away (estimated_time_to_regain_access): short, for demos. */
const RATE_LIMIT_REGAIN_MINUTES = 1
/**
 * The TikTok stand-in's settings that clearing puts back: those sandbox/tiktok-publishing.ts starts with (its
 * control API has no reset). tests/api/sandbox-controls.test.ts compares them with a fresh stand-in's.
 */
export const TIKTOK_STAND_IN_DEFAULTS = { processingDelayMs: 5_000, dailyPostCap: 15 } as const
/**
 * The TikTok stand-in cannot drop an endpoint's fault, only replace it: clearing puts a 1 ms delay in its place,
 * which changes nothing and is used up by the next call. Such a delay is not listed as a fault.
 */
const TIKTOK_NEUTRAL_DELAY_MS = 1
const CONTROL_TIMEOUT_MS = 5_000

const SERVICE_OF_PLATFORM: Record<SandboxPlatform, SandboxService> = { instagram: 'meta', facebook: 'meta', tiktok: 'tiktok' }
const SERVICE_LABELS: Record<SandboxService, string> = { meta: 'Meta (Instagram and Facebook)', tiktok: 'TikTok' }
const PLATFORMS_OF_SERVICE: Record<SandboxService, SandboxPlatform[]> = { meta: ['instagram', 'facebook'], tiktok: ['tiktok'] }
const PLATFORM_LABELS: Record<SandboxPlatform, string> = { instagram: 'Instagram', facebook: 'Facebook', tiktok: 'TikTok' }

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`

const FAULT_PRESET_CATALOG: Record<FaultPreset, Omit<FaultPresetView, 'preset'>> = {
  rate_limit: {
    label: 'Rate limit',
    description: 'The platform throttles the next publish calls: Graph error 4 (come back in a minute), or TikTok’s 429 rate_limit_exceeded.',
    platforms: ['instagram', 'facebook', 'tiktok'],
    counted: true,
  },
  server_error: {
    label: 'Server error',
    description: 'The next publish calls fail with HTTP 500, as in a platform outage. A publish answered with a 500 may still have gone out, so Greenlight checks before trying again.',
    platforms: ['instagram', 'facebook', 'tiktok'],
    counted: true,
  },
  timeout: {
    label: 'Lost answer',
    description: `The next publish calls answer only after ${seconds(TIMEOUT_FAULT_DELAY_MS)}, longer than Greenlight waits, and go through meanwhile: the post is out, Greenlight never heard so and must check the platform before posting again.`,
    platforms: ['instagram', 'facebook', 'tiktok'],
    counted: true,
  },
  token_expired: {
    label: 'Expired token',
    description: 'The next posts are refused because the account’s access token expired (Graph 190/463, TikTok access_token_invalid): the account needs reconnecting.',
    platforms: ['instagram', 'facebook', 'tiktok'],
    counted: true,
  },
  container_error: {
    label: 'Processing failure',
    description: 'The next media fail while the platform processes them: an Instagram container ends in ERROR (2207053, upload again), a TikTok post ends FAILED (internal).',
    platforms: ['instagram', 'tiktok'],
    counted: true,
  },
  slow_processing: {
    label: 'Slow processing',
    description: `Until cleared, processing takes ${seconds(SLOW_PROCESSING_MS)} (an Instagram reel three times as long) instead of a few seconds.`,
    platforms: ['instagram', 'tiktok'],
    counted: false,
  },
  quota_exhausted: {
    label: 'Quota used up',
    description: 'Until cleared, the daily posting allowance is used up: Instagram’s content publishing limit (9/2207042), TikTok’s daily cap per creator (spam_risk_too_many_posts).',
    platforms: ['instagram', 'tiktok'],
    counted: false,
  },
}

/** One call to a stand-in's control API: POST <base>/__sandbox<path> with a JSON body. */
export interface ControlCall {
  path: string
  body: Record<string, unknown>
}

// The Graph calls a preset aims at: the call that makes a post live (a Facebook post is a feed post or a photo);
// an expired token already fails the first call of a post, which on Instagram creates the container.
const GRAPH_PUBLISH_PATHS = { instagram: ['/*/media_publish'], facebook: ['/*/feed', '/*/photos'] } as const
const GRAPH_FIRST_CALL_PATHS = { instagram: ['/*/media'], facebook: ['/*/feed', '/*/photos'] } as const
// The TikTok calls that start a post: video and photo posts.
const TIKTOK_POST_ENDPOINTS = ['video_init', 'content_init'] as const

/** The control calls that inject `preset` on `platform` for the next `count` calls or posts; 400 when it has no such fault. */
export function controlCallsFor(preset: FaultPreset, platform: SandboxPlatform, count: number): ControlCall[] {
  if (!FAULT_PRESET_CATALOG[preset].platforms.includes(platform)) {
    const where = FAULT_PRESET_CATALOG[preset].platforms.map((p) => PLATFORM_LABELS[p]).join(' and ')
    throw new ApiError(400, 'PRESET_NOT_AVAILABLE', `${FAULT_PRESET_CATALOG[preset].label} is not something ${PLATFORM_LABELS[platform]} does: it exists on ${where}.`)
  }
  if (platform === 'tiktok') {
    const perEndpoint = (fault: Record<string, unknown>) => TIKTOK_POST_ENDPOINTS.map((endpoint) => ({ path: '/faults', body: { endpoint, count, ...fault } }))
    switch (preset) {
      case 'rate_limit':
        return perEndpoint({ status: 429, error: 'rate_limit_exceeded' })
      case 'server_error':
        return perEndpoint({ status: 500, error: 'internal_error' })
      case 'timeout':
        return perEndpoint({ delayMs: TIMEOUT_FAULT_DELAY_MS })
      case 'token_expired':
        return perEndpoint({ status: 401, error: 'access_token_invalid' })
      case 'container_error':
        return [{ path: '/publishing', body: { failReason: 'internal', failCount: count } }]
      case 'slow_processing':
        return [{ path: '/publishing', body: { processingDelayMs: SLOW_PROCESSING_MS } }]
      case 'quota_exhausted':
        return [{ path: '/publishing', body: { dailyPostCap: 0 } }]
    }
  }
  const graphFaults = (paths: readonly string[], fault: Record<string, unknown>) => paths.map((path) => ({ path: '/faults', body: { path, method: 'POST', count, ...fault } }))
  switch (preset) {
    case 'rate_limit':
      return graphFaults(GRAPH_PUBLISH_PATHS[platform], { code: 4, regainAccessMinutes: RATE_LIMIT_REGAIN_MINUTES })
    case 'server_error':
      return graphFaults(GRAPH_PUBLISH_PATHS[platform], { status: 500 })
    case 'timeout':
      return graphFaults(GRAPH_PUBLISH_PATHS[platform], { delayMs: TIMEOUT_FAULT_DELAY_MS })
    case 'token_expired':
      return graphFaults(GRAPH_FIRST_CALL_PATHS[platform], { code: 190, subcode: 463 })
    case 'container_error':
      return [{ path: '/config', body: { failNextContainers: count } }]
    case 'slow_processing':
      return [{ path: '/config', body: { containerProcessingMs: SLOW_PROCESSING_MS } }]
    case 'quota_exhausted':
      return [{ path: '/instagram/quota', body: { quotaTotal: 0 } }]
  }
}

// ---- Talking to the stand-ins ------------------------------------------------------------------------

export interface SandboxControlDeps {
  settings: ApiSettings
}

/** The stand-in's root: the Graph base (…/meta) or TikTok's API base (…/tiktok), whose /__sandbox is the control API. */
function standInUrl(settings: ApiSettings, service: SandboxService): string {
  return (service === 'meta' ? settings.oauth.meta.graphBaseUrl : settings.oauth.tiktok.apiBaseUrl).replace(/\/+$/, '')
}

const isSandbox = (settings: ApiSettings, service: SandboxService) => settings.integrations[service] === 'sandbox'

function requireSandbox(settings: ApiSettings, service: SandboxService) {
  if (!isSandbox(settings, service)) {
    throw new ApiError(404, 'SANDBOX_NOT_ACTIVE', `${SERVICE_LABELS[service]} runs with real credentials here: there is no stand-in to control.`)
  }
}

async function callStandIn(settings: ApiSettings, service: SandboxService, method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const url = `${standInUrl(settings, service)}/__sandbox${path}`
  let response: Response
  try {
    response = await fetch(url, {
      method,
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
    })
  } catch (error) {
    throw new ApiError(
      502,
      'SANDBOX_UNREACHABLE',
      `The ${SERVICE_LABELS[service]} stand-in at ${standInUrl(settings, service)} did not answer: start the sandbox (npm start runs it) and try again.`,
      undefined,
      { cause: error },
    )
  }
  const answer = parseJson(await response.text())
  if (!response.ok || !isRecord(answer)) {
    const said = isRecord(answer) && typeof answer.error === 'string' ? `: ${answer.error}` : ''
    throw new ApiError(502, 'SANDBOX_REFUSED', `The ${SERVICE_LABELS[service]} stand-in answered ${method} /__sandbox${path} with HTTP ${response.status}${said}.`)
  }
  return answer
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

// ---- Reading what is injected --------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
const recordOf = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {})
const numberOr = <T>(value: unknown, fallback: T): number | T => (typeof value === 'number' && Number.isFinite(value) ? value : fallback)
const stringOr = <T>(value: unknown, fallback: T): string | T => (typeof value === 'string' ? value : fallback)

const GRAPH_PATH_SUBJECTS: Record<string, { platform: SandboxPlatform; subject: string }> = {
  '/*/media_publish': { platform: 'instagram', subject: 'Instagram: publishing a container' },
  '/*/media': { platform: 'instagram', subject: 'Instagram: creating a media container' },
  '/*/feed': { platform: 'facebook', subject: 'Facebook: feed posts' },
  '/*/photos': { platform: 'facebook', subject: 'Facebook: photo posts' },
}
const GRAPH_CODE_MEANINGS: Record<number, string> = {
  1: 'unknown error',
  2: 'service temporarily unavailable',
  4: 'app rate limit',
  17: 'user rate limit',
  32: 'Page rate limit',
  190: 'access token invalid or expired',
  368: 'blocked as against policy',
  613: 'call rate limit',
}

function graphFaultCondition(fault: Record<string, unknown>): SandboxCondition {
  const path = stringOr(fault.path, null)
  const method = stringOr(fault.method, null)
  const account = stringOr(fault.account, null)
  const known = path !== null ? GRAPH_PATH_SUBJECTS[path] : undefined
  const calls = known?.subject ?? (path === null ? `Meta: every ${method ? `${method} ` : ''}Graph call` : `Meta: ${method ?? 'any'} ${path}`)
  const delayMs = numberOr(fault.delayMs, 0)
  let effect: string
  if (fault.delayOnly === true) effect = `Answers after ${seconds(delayMs)}, then goes through`
  else {
    const code = numberOr(fault.code, 0)
    const subcode = numberOr(fault.subcode, null)
    const meaning = GRAPH_CODE_MEANINGS[code]
    effect = `Graph error ${code}${subcode !== null ? `/${subcode}` : ''}${meaning ? ` (${meaning})` : ''}, HTTP ${numberOr(fault.status, 400)}${delayMs > 0 ? `, after ${seconds(delayMs)}` : ''}`
  }
  return {
    platform: known?.platform ?? null,
    subject: account ? `${calls} on account ${account}` : calls,
    effect,
    remaining: numberOr(fault.remaining, null),
  }
}

/** What the Meta stand-in's GET /meta/__sandbox shows as injected or changed. */
function metaConditions(snapshot: Record<string, unknown>): SandboxCondition[] {
  const conditions = (Array.isArray(snapshot.faults) ? snapshot.faults : []).filter(isRecord).map(graphFaultCondition)
  const publishing = recordOf(snapshot.publishing)
  const config = recordOf(publishing.config)
  const defaults = recordOf(publishing.defaults)
  const failing = numberOr(config.failNextContainers, 0)
  if (failing > 0) {
    conditions.push({ platform: 'instagram', subject: 'Instagram: new media containers', effect: 'Processing ends in ERROR (-1/2207053: upload again)', remaining: failing })
  }
  const processingMs = numberOr(config.containerProcessingMs, null)
  const normalProcessingMs = numberOr(defaults.containerProcessingMs, null)
  if (processingMs !== null && processingMs !== normalProcessingMs) {
    conditions.push({
      platform: 'instagram',
      subject: 'Instagram: processing time',
      effect: `${seconds(processingMs)} for an image, ${seconds(processingMs * 3)} for a reel${normalProcessingMs !== null ? ` (normally ${seconds(normalProcessingMs)})` : ''}`,
      remaining: null,
    })
  }
  const quotaEffect = (total: number, normal: number | null) =>
    total === 0 ? 'Used up: every publish is refused (9/2207042)' : `${total} posts per account per 24 hours${normal !== null ? ` (normally ${normal})` : ''}`
  const quota = numberOr(config.instagramQuotaTotal, null)
  const normalQuota = numberOr(defaults.instagramQuotaTotal, null)
  if (quota !== null && quota !== normalQuota) conditions.push({ platform: 'instagram', subject: 'Instagram: posting quota', effect: quotaEffect(quota, normalQuota), remaining: null })
  for (const [igUserId, total] of Object.entries(recordOf(publishing.quotaOverrides))) {
    if (typeof total === 'number') conditions.push({ platform: 'instagram', subject: `Instagram account ${igUserId}: posting quota`, effect: quotaEffect(total, normalQuota), remaining: null })
  }
  return conditions
}

const TIKTOK_ENDPOINT_SUBJECTS: Record<string, string> = {
  video_init: 'TikTok: starting a video post',
  content_init: 'TikTok: starting a photo post',
  creator_info: 'TikTok: creator info',
  upload: 'TikTok: video upload',
  status_fetch: 'TikTok: publish status',
  video_query: 'TikTok: video metrics',
}

/** What the TikTok stand-in's GET /tiktok/__sandbox shows as injected or changed. */
function tiktokConditions(snapshot: Record<string, unknown>): SandboxCondition[] {
  const conditions: SandboxCondition[] = []
  const publishing = recordOf(snapshot.publishing)
  for (const [endpoint, value] of Object.entries(recordOf(publishing.faults))) {
    const fault = recordOf(value)
    const status = numberOr(fault.status, null)
    const code = stringOr(fault.code, null)
    const delayMs = numberOr(fault.delayMs, 0)
    const failing = status !== null || code !== null
    if (!failing && delayMs <= TIKTOK_NEUTRAL_DELAY_MS) continue
    const effect = failing
      ? [code !== null ? `Error ${code}` : `Error`, status !== null ? `HTTP ${status}` : null, delayMs > 0 ? `after ${seconds(delayMs)}` : null].filter(Boolean).join(', ')
      : `Goes through at once, answers after ${seconds(delayMs)}`
    conditions.push({ platform: 'tiktok', subject: TIKTOK_ENDPOINT_SUBJECTS[endpoint] ?? `TikTok: ${endpoint}`, effect, remaining: numberOr(fault.remaining, null) })
  }
  const forcedFail = recordOf(publishing.forcedFail)
  if (typeof forcedFail.reason === 'string') {
    conditions.push({ platform: 'tiktok', subject: 'TikTok: new posts', effect: `Processing ends FAILED (${forcedFail.reason})`, remaining: numberOr(forcedFail.remaining, null) })
  }
  const config = recordOf(publishing.config)
  const processingMs = numberOr(config.processingDelayMs, null)
  if (processingMs !== null && processingMs !== TIKTOK_STAND_IN_DEFAULTS.processingDelayMs) {
    conditions.push({ platform: 'tiktok', subject: 'TikTok: processing time', effect: `${seconds(processingMs)} per post (normally ${seconds(TIKTOK_STAND_IN_DEFAULTS.processingDelayMs)})`, remaining: null })
  }
  const cap = numberOr(config.dailyPostCap, null)
  if (cap !== null && cap !== TIKTOK_STAND_IN_DEFAULTS.dailyPostCap) {
    const effect = cap === 0 ? 'Used up: every post is refused (spam_risk_too_many_posts)' : `${cap} posts per creator per 24 hours (normally ${TIKTOK_STAND_IN_DEFAULTS.dailyPostCap})`
    conditions.push({ platform: 'tiktok', subject: 'TikTok: daily post cap', effect, remaining: null })
  }
  // The login's token endpoint has its own fault (sandbox/tiktok.ts).
  const tokenFault = recordOf(snapshot.fault)
  const tokenRemaining = numberOr(tokenFault.remaining, 0)
  if (tokenRemaining > 0) {
    conditions.push({
      platform: 'tiktok',
      subject: 'TikTok: token endpoint (connecting and refreshing accounts)',
      effect: `Error ${stringOr(tokenFault.error, 'unknown')}, HTTP ${numberOr(tokenFault.status, 500)}`,
      remaining: tokenRemaining,
    })
  }
  return conditions
}

async function serviceView(settings: ApiSettings, service: SandboxService): Promise<SandboxServiceView> {
  const base = { service, label: SERVICE_LABELS[service], platforms: PLATFORMS_OF_SERVICE[service] }
  if (!isSandbox(settings, service)) return { ...base, mode: 'live', standInUrl: null, reachable: false, problem: null, conditions: [] }
  const view = { ...base, mode: 'sandbox' as const, standInUrl: standInUrl(settings, service) }
  try {
    const snapshot = await callStandIn(settings, service, 'GET', '')
    return { ...view, reachable: true, problem: null, conditions: service === 'meta' ? metaConditions(snapshot) : tiktokConditions(snapshot) }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return { ...view, reachable: false, problem: error.message, conditions: [] }
  }
}

/** The presets, on the platforms that run against their stand-in here. */
function presetViews(settings: ApiSettings): FaultPresetView[] {
  return FAULT_PRESETS.map((preset) => ({
    preset,
    ...FAULT_PRESET_CATALOG[preset],
    platforms: FAULT_PRESET_CATALOG[preset].platforms.filter((platform) => isSandbox(settings, SERVICE_OF_PLATFORM[platform])),
  })).filter((view) => view.platforms.length > 0)
}

/** Each stand-in's injected faults and changed settings, and the presets that may be injected. */
export async function readSandboxPublishing({ settings }: SandboxControlDeps): Promise<SandboxPublishingView> {
  if (!SANDBOX_SERVICES.some((service) => isSandbox(settings, service))) {
    throw new ApiError(404, 'SANDBOX_NOT_ACTIVE', 'Meta and TikTok both run with real credentials here: there are no stand-ins to control.')
  }
  const services = await Promise.all(SANDBOX_SERVICES.map((service) => serviceView(settings, service)))
  return { services, presets: presetViews(settings), countMax: FAULT_COUNT_MAX }
}

// ---- Changing it ----------------------------------------------------------------------------------------

/** Injects a preset on a platform's stand-in, records it in the audit log, and answers what is injected now. */
export async function injectSandboxFault(
  deps: SandboxControlDeps,
  tenantDb: TenantDatabase,
  actor: AuthUser,
  body: InjectFaultBody,
  ip: string,
): Promise<InjectFaultResponse> {
  const { preset, platform } = body
  const service = SERVICE_OF_PLATFORM[platform]
  requireSandbox(deps.settings, service)
  const definition = FAULT_PRESET_CATALOG[preset]
  const count = definition.counted ? (body.count ?? 1) : null
  for (const call of controlCallsFor(preset, platform, count ?? 1)) await callStandIn(deps.settings, service, 'POST', call.path, call.body)
  const extent = count === null ? 'until cleared' : count === 1 ? 'for the next one' : `for the next ${count}`
  const summary = `${definition.label} on ${PLATFORM_LABELS[platform]}, ${extent}.`
  await recordAudit(tenantDb, {
    agencyId: actor.agency.id,
    action: 'sandbox.fault_injected',
    actor,
    target: { type: 'sandbox', id: service },
    detail: { preset, platform, count },
    ip,
  })
  return { applied: { preset, platform, count, summary }, sandbox: await readSandboxPublishing(deps) }
}

async function clearStandIn(settings: ApiSettings, service: SandboxService) {
  if (service === 'meta') {
    await callStandIn(settings, service, 'POST', '/faults', { clear: true })
    await callStandIn(settings, service, 'POST', '/config', { reset: true })
    return
  }
  const snapshot = await callStandIn(settings, service, 'GET', '')
  for (const endpoint of Object.keys(recordOf(recordOf(snapshot.publishing).faults))) {
    await callStandIn(settings, service, 'POST', '/faults', { endpoint, delayMs: TIKTOK_NEUTRAL_DELAY_MS, description: 'Cleared from Greenlight.' })
  }
  await callStandIn(settings, service, 'POST', '/publishing', { failReason: null, ...TIKTOK_STAND_IN_DEFAULTS })
}

/**
 * Clears every injected fault and puts every changed setting back, on each stand-in in use. What was cleared is
 * audited even when another stand-in could not be reached (which then answers 502).
 */
export async function clearSandboxFaults(deps: SandboxControlDeps, tenantDb: TenantDatabase, actor: AuthUser, ip: string): Promise<SandboxPublishingView> {
  const active = SANDBOX_SERVICES.filter((service) => isSandbox(deps.settings, service))
  if (active.length === 0) throw new ApiError(404, 'SANDBOX_NOT_ACTIVE', 'Meta and TikTok both run with real credentials here: there are no stand-ins to control.')
  const cleared: SandboxService[] = []
  let failure: unknown = null
  for (const service of active) {
    try {
      await clearStandIn(deps.settings, service)
      cleared.push(service)
    } catch (error) {
      failure ??= error
    }
  }
  if (cleared.length > 0) {
    await recordAudit(tenantDb, { agencyId: actor.agency.id, action: 'sandbox.faults_cleared', actor, target: { type: 'sandbox', id: cleared.join(',') }, detail: { services: cleared }, ip })
  }
  if (failure !== null) throw failure
  return readSandboxPublishing(deps)
}
