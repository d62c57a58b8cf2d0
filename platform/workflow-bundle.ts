// The worker's workflow bundle, built once per version of the workflow code and kept on disk.
// Bundling runs webpack, which leaves ~150 MB in the heap of whatever process runs it; doing it in a
// short-lived child process keeps the long-running worker small, and the cache makes later starts skip it.
import { createHash } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker'
import { dataDir, projectRoot } from './config'

export const workflowsPath = path.join(projectRoot, 'workflows', 'index.ts')

// Workflow code may import only workflows/ and domain/ (enforced by lint); the SDK's own code is pinned by
// the lockfile. Together they decide the bundle's content.
const BUNDLE_INPUTS = ['workflows', 'domain', 'package-lock.json']

function filesUnder(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target]
  return readdirSync(target)
    .sort()
    .flatMap((entry) => filesUnder(path.join(target, entry)))
}

export function workflowBundleFile(): string {
  const hash = createHash('sha256')
  for (const file of BUNDLE_INPUTS.flatMap((input) => filesUnder(path.join(projectRoot, input)))) {
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
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2]
  if (!file) {
    console.error('usage: node --import tsx platform/workflow-bundle.ts <output file>')
    process.exit(2)
  }
  await writeBundle(file)
}
