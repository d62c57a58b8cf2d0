// Demo data for a first run: one agency (Professional plan), its owner, a client workspace with a brand kit,
// and a creator. Seeding happens once; a second run finds the demo agency and leaves everything as it is.
import { hashPassword } from '../api/services/sessions'
import type { Database } from '../platform/database'

export const DEMO_LOGIN = { email: 'demo@greenlight.test', password: 'greenlight-demo' } as const
const DEMO_AGENCY_SLUG = 'northwind-creative'

export async function seedDemoData(db: Database): Promise<{ created: boolean }> {
  const existing = await db.agency.findUnique({ where: { slug: DEMO_AGENCY_SLUG } })
  if (existing) return { created: false }
  const passwordHash = await hashPassword(DEMO_LOGIN.password)
  await db.$transaction(async (tx) => {
    const agency = await tx.agency.create({
      data: {
        name: 'Northwind Creative',
        slug: DEMO_AGENCY_SLUG,
        plan: 'professional',
        users: { create: { email: DEMO_LOGIN.email, name: 'Dana Demo', role: 'owner', passwordHash } },
      },
      include: { users: true },
    })
    const owner = agency.users[0]!
    // One client brand with a filled-in kit, and a creator ready to connect sandbox accounts.
    const workspace = await tx.workspace.create({
      data: { agencyId: agency.id, name: 'Luna Coffee', clientName: 'Luna Coffee Roasters', description: 'Speciality coffee roaster with three cafés.' },
    })
    await tx.brandKitVersion.create({
      data: {
        agencyId: agency.id,
        workspaceId: workspace.id,
        version: 1,
        createdById: owner.id,
        // Primary, accent, text color, then the rest of the palette.
        colors: [
          { name: 'Espresso', hex: '#3b2418' },
          { name: 'Crema', hex: '#e8c89a' },
          { name: 'Roast', hex: '#2a1d17' },
          { name: 'Oat', hex: '#f6f1e9' },
          { name: 'Leaf', hex: '#4f7d5c' },
        ],
        headingFont: 'Georgia',
        bodyFont: 'Helvetica',
        logoPosition: 'top-left',
        voicePrompt: 'Warm, unhurried and precise about coffee; we talk like the barista who remembers your order.',
        personality: 'Craft-proud, welcoming, quietly funny',
        targetAudience: 'Urban coffee lovers aged 25–45 who care where their beans come from',
        toneAndStyle: 'Short sentences, sensory words, no jargon',
        preferredPhrases: ['freshly roasted', 'from farm to cup'],
        forbiddenPhrases: ['cheap', 'instant'],
        defaultHashtags: ['#LunaCoffee', '#SpecialtyCoffee'],
        targetPlatforms: ['instagram', 'tiktok'],
      },
    })
    await tx.creator.create({
      data: { agencyId: agency.id, displayName: 'Maya Chen', notes: 'Latte-art reels; best on weekday mornings.', tags: ['coffee', 'lifestyle'] },
    })
  })
  return { created: true }
}
