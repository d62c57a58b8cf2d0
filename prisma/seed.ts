// Demo data for a first run: one agency and its owner. Seeding happens once; a second run finds the
// demo agency and leaves everything as it is.
import { hashPassword } from '../api/services/sessions'
import type { Database } from '../platform/database'

export const DEMO_LOGIN = { email: 'demo@greenlight.test', password: 'greenlight-demo' } as const
const DEMO_AGENCY_SLUG = 'northwind-creative'

export async function seedDemoData(db: Database): Promise<{ created: boolean }> {
  const existing = await db.agency.findUnique({ where: { slug: DEMO_AGENCY_SLUG } })
  if (existing) return { created: false }
  const passwordHash = await hashPassword(DEMO_LOGIN.password)
  await db.agency.create({
    data: {
      name: 'Northwind Creative',
      slug: DEMO_AGENCY_SLUG,
      users: { create: { email: DEMO_LOGIN.email, name: 'Dana Demo', role: 'owner', passwordHash } },
    },
  })
  return { created: true }
}
