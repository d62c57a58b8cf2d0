import path from 'node:path'
import { projectRoot } from '../../platform/config'
import { buildWebServer } from '../../scripts/build-web-server'
import { spawnService } from '../../scripts/processes'

/** Builds the web UI from the current sources, so no test runs against yesterday's build. */
export async function buildWeb(): Promise<void> {
  const output: string[] = []
  const build = spawnService({
    name: 'web-build',
    command: path.join(projectRoot, 'node_modules', '.bin', 'react-router'),
    args: ['build'],
    cwd: projectRoot,
    onLine: (line) => output.push(line),
  })
  if ((await build.exited) !== 0) throw new Error(`react-router build failed:\n${output.join('\n')}`)
  await buildWebServer()
}
