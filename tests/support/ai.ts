// AI generation in tests: the OpenAI and Gemini stand-ins on a free port, worker settings that point the real
// SDK clients at them, images uploaded into a workspace's library, and waiting for a batch to finish.
import type { AddressInfo } from 'node:net'
import { expect } from 'vitest'
import type { AiSettings } from '../../platform/config'
import { createGeminiStandIn, type GeminiStandIn } from '../../sandbox/gemini'
import { createOpenAiStandIn, type OpenAiStandIn } from '../../sandbox/openai'
import { createSandboxServer } from '../../sandbox/server'
import type { ApiHarness, TestMember } from './api'
import { pngImage } from './media-fixtures'

export interface LlmStandIns {
  url: string
  openai: OpenAiStandIn
  gemini: GeminiStandIn
  close(): Promise<void>
}

export async function startLlmStandIns(options: { latencyMs?: number } = {}): Promise<LlmStandIns> {
  const openai = createOpenAiStandIn(options)
  const gemini = createGeminiStandIn(options)
  const server = createSandboxServer([openai, gemini])
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    openai,
    gemini,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Worker AI settings that reach the stand-ins with keys they accept. */
export function standInAiSettings(standIns: Pick<LlmStandIns, 'url'>, overrides: { concurrency?: number; rateLimitPatienceMs?: number } = {}): AiSettings {
  const concurrency = overrides.concurrency ?? 4
  return {
    openai: { apiKey: 'sk-test-greenlight', baseUrl: `${standIns.url}/openai/v1`, model: 'gpt-4o-mini', concurrency, ratePerSecond: 200 },
    gemini: { apiKey: 'test-gemini-key', baseUrl: `${standIns.url}/gemini`, model: 'gemini-2.5-flash', concurrency, ratePerSecond: 200 },
    requestTimeoutMs: 20_000,
    rateLimitPatienceMs: overrides.rateLimitPatienceMs ?? 60_000,
  }
}

/** Uploads `count` distinct PNG images into the workspace's library; returns their ids. */
export async function uploadImages(h: ApiHarness, who: TestMember, workspaceId: string, count: number): Promise<string[]> {
  const form = new FormData()
  for (let i = 0; i < count; i++) {
    const bytes = await pngImage(64 + i, 48, 40 + ((i * 37) % 200))
    form.append('files', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), `product-shot-${i + 1}.png`)
  }
  const request = new Request('http://api.test/', { method: 'POST', body: form })
  const response = await h.app.inject({
    method: 'POST',
    url: `/api/workspaces/${workspaceId}/assets`,
    headers: { ...who.headers, 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()),
  })
  expect(response.statusCode, response.body).toBe(201)
  return (response.json().assets as { asset: { id: string } }[]).map((entry) => entry.asset.id)
}

export interface BatchView {
  id: string
  status: string
  generatedVariants: number
  plannedVariants: number
  byProvider: Record<string, number>
  summary: { failures: { reason: string }[]; byProvider: Record<string, number>; cancelledBy: string | null } | null
  items: {
    index: number
    status: string
    error: string | null
    card: { id: string } | null
    approvedVariantIndex: number | null
    variants: { variantIndex: number; provider: string; sawImage: boolean; overall: number | null; judged: boolean; status: string; captionVersion: number | null; inputTokens: number; costMicros: number; rubrics: Record<string, { score: number; parts: { source: string }[] }> | null }[]
  }[]
}

export async function getBatch(h: ApiHarness, who: TestMember, id: string): Promise<BatchView> {
  const response = await h.app.inject({ method: 'GET', url: `/api/ai-batches/${id}`, headers: who.headers })
  expect(response.statusCode, response.body).toBe(200)
  return response.json().batch
}

/** Polls the batch until it is no longer running. */
export async function waitForBatch(h: ApiHarness, who: TestMember, id: string, timeoutMs = 90_000): Promise<BatchView> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const batch = await getBatch(h, who, id)
    if (batch.status !== 'running') return batch
    if (Date.now() > deadline) throw new Error(`batch ${id} still running after ${timeoutMs} ms: ${JSON.stringify(batch.items.map((i) => i.status))}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}
