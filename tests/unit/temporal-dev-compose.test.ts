// Docker cannot run on our machines, so the compose file is checked as data: pinned images, Temporal on
// PostgreSQL, the published ports, the app database matching the default DATABASE_URL, and the search
// attributes the workflows need.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { projectRoot } from '../../platform/config'

interface Service {
  image: string
  environment?: Record<string, string> | string[]
  ports?: string[]
  command?: string | string[]
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string | string[] }
  volumes?: string[]
}

interface ComposeFile {
  services: Record<string, Service>
  volumes?: Record<string, unknown>
}

const DEFAULT_DATABASE_URL = new URL('postgres://postgres:postgres@127.0.0.1:5433/greenlight')
const compose = parse(readFileSync(path.join(projectRoot, 'temporal-dev.yml'), 'utf8')) as ComposeFile
const services = compose.services

/** Compose accepts environment as a map or as KEY=value lines; tests read both the same way. */
function env(service: Service): Record<string, string> {
  const raw = service.environment ?? {}
  if (!Array.isArray(raw)) return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, String(value)]))
  return Object.fromEntries(raw.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]))
}

function service(name: string): Service {
  const found = services[name]
  if (!found) throw new Error(`temporal-dev.yml has no service "${name}"`)
  return found
}

/** Services running `repository` at any tag (the two PostgreSQL services share one). */
function servicesWithImage(repository: string): [string, Service][] {
  return Object.entries(services).filter(([, svc]) => svc.image.split(':')[0] === repository)
}

function onlyServiceWithImage(repository: string): { name: string; svc: Service } {
  const found = servicesWithImage(repository)
  if (found.length !== 1) throw new Error(`expected one ${repository} service, found ${found.length}`)
  const [name, svc] = found[0]!
  return { name, svc }
}

function publishes(svc: Service, hostPort: number, containerPort: number): boolean {
  return (svc.ports ?? []).some((mapping) => mapping === `${hostPort}:${containerPort}` || mapping.endsWith(`:${hostPort}:${containerPort}`))
}

function commandText(svc: Service): string {
  return Array.isArray(svc.command) ? svc.command.join('\n') : (svc.command ?? '')
}

describe('temporal-dev.yml', () => {
  it('pins every image to an explicit tag other than latest', () => {
    const images = Object.values(services).map((svc) => svc.image)
    expect(images.length).toBeGreaterThanOrEqual(5)
    for (const image of images) {
      const tag = image.split(':')[1]
      expect(tag, image).toMatch(/^\d+(\.\d+)+/)
    }
  })

  it('runs Temporal on its own PostgreSQL with a health check', () => {
    const temporal = onlyServiceWithImage('temporalio/auto-setup').svc
    const temporalEnv = env(temporal)
    expect(['postgres12', 'postgresql']).toContain(temporalEnv.DB)

    const persistence = service(temporalEnv.POSTGRES_SEEDS!)
    expect(persistence.image).toMatch(/^postgres:16(\.|$)/)
    expect(env(persistence).POSTGRES_USER).toBe(temporalEnv.POSTGRES_USER)
    expect(env(persistence).POSTGRES_PASSWORD).toBe(temporalEnv.POSTGRES_PWD)
    expect(temporal.depends_on?.[temporalEnv.POSTGRES_SEEDS!]?.condition).toBe('service_healthy')
    expect(temporal.healthcheck).toBeDefined()
    expect(persistence.healthcheck).toBeDefined()
  })

  it('publishes the Temporal frontend on 7233, Temporal Web on 8233 and the app database on 5433', () => {
    const temporal = onlyServiceWithImage('temporalio/auto-setup').svc
    const ui = onlyServiceWithImage('temporalio/ui').svc
    expect(publishes(temporal, 7233, 7233)).toBe(true)
    expect(publishes(ui, 8233, 8080)).toBe(true)
    expect(Object.values(services).filter((svc) => publishes(svc, 5433, 5432))).toHaveLength(1)
  })

  it('creates the app database the default DATABASE_URL points at', () => {
    const appDb = Object.values(services).find((svc) => publishes(svc, Number(DEFAULT_DATABASE_URL.port), 5432))
    expect(appDb).toBeDefined()
    const appEnv = env(appDb!)
    expect(appEnv.POSTGRES_DB).toBe(DEFAULT_DATABASE_URL.pathname.slice(1))
    expect(appEnv.POSTGRES_USER).toBe(DEFAULT_DATABASE_URL.username)
    expect(appEnv.POSTGRES_PASSWORD).toBe(DEFAULT_DATABASE_URL.password)
    expect(appDb!.healthcheck).toBeDefined()
  })

  it('points Temporal Web at the temporal service', () => {
    const temporalName = onlyServiceWithImage('temporalio/auto-setup').name
    const ui = onlyServiceWithImage('temporalio/ui').svc
    expect(env(ui).TEMPORAL_ADDRESS).toBe(`${temporalName}:7233`)
    expect(ui.depends_on?.[temporalName]?.condition).toBe('service_healthy')
  })

  it('registers AgencyId, CampaignId and Stage as Keyword search attributes once Temporal is healthy', () => {
    const temporalName = onlyServiceWithImage('temporalio/auto-setup').name
    const setup = onlyServiceWithImage('temporalio/admin-tools').svc
    const script = commandText(setup)

    expect(env(setup).TEMPORAL_ADDRESS).toBe(`${temporalName}:7233`)
    expect(setup.depends_on?.[temporalName]?.condition).toBe('service_healthy')
    expect(script).toMatch(/for name in AgencyId CampaignId Stage; do/)
    expect(script).toContain('temporal operator search-attribute create --namespace default --name "$$name" --type Keyword')
  })

  it('keeps both databases in named volumes', () => {
    const named = Object.keys(compose.volumes ?? {})
    const postgresServices = servicesWithImage('postgres')
    expect(postgresServices).toHaveLength(2)
    for (const [name, svc] of postgresServices) {
      const volume = (svc.volumes ?? []).find((entry) => entry.endsWith(':/var/lib/postgresql/data'))
      expect(volume, name).toBeDefined()
      expect(named).toContain(volume!.split(':')[0])
    }
  })
})
