// Bundles web/server.ts (and the few project modules it imports) into build/web-server.js, so the web process
// runs on plain Node: loading TypeScript at run time (tsx) costs the web process about 100 MB of memory.
// npm packages stay external and load from node_modules.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { projectRoot } from '../platform/config.ts'

export const webServerBundle = path.join(projectRoot, 'build', 'web-server.js')

export async function buildWebServer(): Promise<void> {
  await build({
    entryPoints: [path.join(projectRoot, 'web', 'server.ts')],
    outfile: webServerBundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  })
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWebServer()
}
