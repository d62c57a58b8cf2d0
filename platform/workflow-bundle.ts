// The worker's workflow bundle, built once per version of the workflow code and kept on disk.
// Bundling runs webpack, which leaves ~150 MB in the heap of whatever process runs it; doing it in a
// short-lived child process keeps the long-running worker small, and the cache makes later starts skip it.
import { createHash } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker'
import { dataDir, projectRoot } from './config'

export const workflowsPath = path.join(projectRoot, 'workflows', 'index.ts')

// What the bundle can contain: any TypeScript of the project that workflow code could import (lint keeps
// it to workflows/ and domain/ today, but the key does not rely on that), the SDK pinned by the lockfile,
// and the compiler settings. Folders no workflow can import are left out.
const NOT_BUNDLE_INPUTS = new Set(['node_modules', '.git', '.data', '.tools', 'build', 'generated', '.react-router', 'tests', 'web', 'docs', 'bench', 'test-results'])
const BUNDLE_CONFIG_FILES = ['package-lock.json', 'tsconfig.json']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) return NOT_BUNDLE_INPUTS.has(entry.name) ? [] : sourceFiles(full)
      return entry.name.endsWith('.ts') ? [full] : []
    })
}

export function workflowBundleFile(): string {
  const hash = createHash('sha256')
  const inputs = [...sourceFiles(projectRoot), ...BUNDLE_CONFIG_FILES.map((file) => path.join(projectRoot, file))]
  for (const file of inputs) {
    hash.update(path.relative(projectRoot, file)).update('\0').update(readFileSync(file))
  }
  return path.join(dataDir, 'cache', `workflow-bundle-${hash.digest('hex').slice(0, 16)}.js`)
}

/** Bundles in this process (webpack's statistics only at debug level). Tests use it directly. */
export async function bundleWorkflows() {
  return bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') })
}

/** The path of an up-to-date bundle, built by a child process when there is none yet. */
export function ensureWorkflowBundle(): string {
  const file = workflowBundleFile()
  if (existsSync(file)) return file
  const result = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), file], {
    cwd: projectRoot,
    stdio: 'inherit',
  })
  if (result.status !== 0 || !existsSync(file)) throw new Error('bundling the workflow code failed (see the output above)')
  return file
}

async function writeBundle(file: string): Promise<void> {
  const { code } = await bundleWorkflows()
  mkdirSync(path.dirname(file), { recursive: true })
  // Write then rename: a worker never loads a half-written bundle, even if this process is killed.
  const partial = `${file}.${process.pid}.partial`
  writeFileSync(partial, code)
  renameSync(partial, file)
  // Bundles of earlier versions are dead weight once this one exists.
  for (const entry of readdirSync(path.dirname(file))) {
    const other = path.join(path.dirname(file), entry)
    if (other !== file && /^workflow-bundle-[0-9a-f]+\.js$/.test(entry)) rmSync(other, { force: true })
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2]
  if (!file) {
    console.error('usage: node --import tsx platform/workflow-bundle.ts <output file>')
    process.exit(2)
  }
  await writeBundle(file)
}
