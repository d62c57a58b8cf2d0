// Runs after `npm install`: generates the Prisma client into generated/prisma.
// The prisma CLI wants a schema-engine binary from Prisma's download host before it does anything,
// even for `generate`, which never uses it. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing
// file satisfies that check offline (see docs/decisions/003-offline-migrations.md).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const prismaCli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js')
if (!existsSync(prismaCli)) {
  console.log('[postinstall] prisma CLI not installed yet; skipping client generation')
  process.exit(0)
}
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' }
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath
const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', 'prisma/schema.prisma'], {
  cwd: root, env, stdio: 'inherit',
})
if (result.status !== 0) {
  console.error('[postinstall] prisma generate failed: see the output above')
  process.exit(result.status ?? 1)
}
