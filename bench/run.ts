// `npm run bench -- <name>` runs bench/<name>.ts. Each benchmark prints its figures and, as its last
// line, `RESULT {json}`.
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { projectRoot } from '../platform/config'

const name = process.argv[2]
const available = readdirSync(path.join(projectRoot, 'bench'))
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -3))
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(', ')})`)
  process.exit(2)
}
const file = path.join(projectRoot, 'bench', `${name}.ts`)
if (!existsSync(file)) process.exit(2)
await import(pathToFileURL(file).href)
