// The lint rules that keep workflows deterministic really fire (run through ESLint's API on probe code
// placed, virtually, inside workflows/).
import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../platform/config'

const eslint = new ESLint({ cwd: projectRoot })

// Type-aware rules need a real file the TypeScript project can see. Each probe is written to
// tests/lint-probes/<unique>/<folder>/, which the ESLint config treats like the real <folder>, and removed
// afterwards; the real source folders are never touched.
async function lintAs(folder: string, code: string) {
  const root = path.join(projectRoot, 'tests', 'lint-probes', randomUUID())
  const file = path.join(root, folder, 'probe.ts')
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, code)
  try {
    const [result] = await eslint.lintFiles([file])
    return result!.messages.map((message) => `${message.ruleId}: ${message.message}`)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

// The first lint builds the TypeScript program of the whole project (type-aware rules): tens of seconds on a
// busy machine. It is paid once here rather than inside the first probe's time limit.
beforeAll(async () => {
  await lintAs('domain', 'export const warmUp = 1\n')
}, 180_000)

describe('workflow import rules', () => {
  it.each([
    ["import fs from 'node:fs'", 'no Node built-ins'],
    ["import { randomUUID } from 'crypto'", 'no Node built-ins'],
    ["import { PrismaClient } from '../../generated/prisma/client'", 'never touch the database'],
    ["import { Client } from '@temporalio/client'", 'Only @temporalio/workflow'],
    ["import OpenAI from 'openai'", 'SDKs run in activities'],
    ["import { createActivities } from '../../activities'", 'Import activities as types only'],
  ])('rejects %s inside workflows/', async (statement, expected) => {
    const messages = await lintAs('workflows/campaign', `${statement}\nexport const probe = 1\n`)
    expect(messages.join('\n')).toContain(expected)
  })

  it('allows type-only activity imports, domain rules and the workflow SDK', async () => {
    const messages = await lintAs(
      'workflows/campaign',
      [
        "import type * as activities from '../../activities/campaign'",
        "import { sleep } from '@temporalio/workflow'",
        "import { campaignStageAt } from '../../domain/campaign'",
        'export type Probe = typeof activities',
        'export const probe = [sleep, campaignStageAt]',
      ].join('\n'),
    )
    expect(messages).toEqual([])
  })

  it('allows Node built-ins outside workflows/', async () => {
    expect(await lintAs('activities', "import fs from 'node:fs'\nexport const probe = fs\n")).toEqual([])
  })
})

describe('floating promises', () => {
  it('are errors everywhere', async () => {
    const messages = await lintAs('api', 'export function probe() {\n  Promise.resolve(1)\n}\n')
    expect(messages.join('\n')).toContain('@typescript-eslint/no-floating-promises')
  })
})
