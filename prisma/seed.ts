// Demo data for a first run: one agency (Professional plan), its owner, a client workspace with a brand kit, a
// creator who can sign in, and a draft campaign brief with a two-step approval chain (the team, then the client)
// whose deliverables are already cards on its board — one of them submitted and waiting for approval (the
// API's sweep starts its round's workflow). Seeding happens once; a second run finds the demo agency and
// leaves everything as it is.
import { randomUUID } from 'node:crypto'
import { hashPassword } from '../api/services/sessions'
import { deadlineSchedule, type ApprovalPolicy } from '../domain/approvals'
import { deliverableTitle, resolveBriefSchedule } from '../domain/campaign-brief'
import { positionsForAppend } from '../domain/content-board'
import { approvalWorkflowId } from '../workflows/approval/definitions'
import type { Database } from '../platform/database'

export const DEMO_LOGIN = { email: 'demo@greenlight.test', password: 'greenlight-demo' } as const
/** The demo creator's own sign-in (same password): she submits her cards for approval. */
export const DEMO_CREATOR_LOGIN = { email: 'maya@greenlight.test', password: DEMO_LOGIN.password } as const

const DEMO_APPROVAL_POLICY: ApprovalPolicy = {
  mode: 'multi_level',
  steps: [
    { name: 'Account lead', audience: 'internal', rule: 'any', approverUserIds: [], approverRoles: ['owner', 'manager'] },
    { name: 'Luna Coffee', audience: 'client', rule: 'any', approverUserIds: [], approverRoles: ['client_approver'] },
  ],
  deadlines: { dueAfterHours: 48, remindBeforeHours: [24, 2], escalateAfterHours: 24, expireAfterHours: 120 },
}
export const DEMO_AGENCY_SLUG = 'northwind-creative'

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
      data: {
        agencyId: agency.id,
        name: 'Luna Coffee',
        clientName: 'Luna Coffee Roasters',
        description: 'Speciality coffee roaster with three cafés.',
      },
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
    const creatorUser = await tx.user.create({ data: { agencyId: agency.id, email: DEMO_CREATOR_LOGIN.email, name: 'Maya Chen', role: 'creator', passwordHash } })
    const creator = await tx.creator.create({
      data: { agencyId: agency.id, displayName: 'Maya Chen', userId: creatorUser.id, notes: 'Latte-art reels; best on weekday mornings.', tags: ['coffee', 'lifestyle'] },
    })

    // A draft brief starting in a week: its readiness check still asks for connected accounts.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)
    const startsAtLocal = `${day(7)}T09:00`
    const endsAtLocal = `${day(37)}T18:00`
    const schedule = resolveBriefSchedule({ startsAtLocal, endsAtLocal, timeZone: 'Europe/London' })
    const campaignId = randomUUID()
    await tx.campaign.create({
      data: {
        id: campaignId,
        agencyId: agency.id,
        workspaceId: workspace.id,
        name: 'Autumn single-origin launch',
        objective: 'engagement',
        audience: 'Coffee lovers near our three cafés who follow latte-art and brewing content',
        platforms: ['instagram', 'tiktok'],
        startsAtLocal,
        endsAtLocal,
        timeZone: 'Europe/London',
        startsAt: schedule.ok ? schedule.schedule.startsAt : null,
        endsAt: schedule.ok ? schedule.schedule.endsAt : null,
        budgetMinor: 450_000,
        currency: 'GBP',
        contentVolume: 5,
        keyMessages: ['Ethiopia Guji, roasted this week', 'Taste it first at any Luna café'],
        references: [{ kind: 'idea', note: 'Slow pour-over close-ups at golden hour' }],
        workflowId: `campaign:${campaignId}`,
        createdById: owner.id,
        // This campaign's submissions go to the account lead, then the client.
        approvalPolicy: DEMO_APPROVAL_POLICY as object,
      },
    })
    const mix = [
      { platform: 'instagram', kind: 'reel', count: 3 },
      { platform: 'tiktok', kind: 'video', count: 2 },
    ] as const
    const units = mix.flatMap((d) => Array.from({ length: d.count }, (_, i) => ({ ...d, sequence: i + 1 })))
    const positions = positionsForAppend(null, units.length)
    for (const [sortOrder, d] of mix.entries()) {
      const deliverable = await tx.campaignDeliverable.create({
        data: { agencyId: agency.id, campaignId, creatorId: creator.id, platform: d.platform, kind: d.kind, count: d.count, sortOrder },
      })
      for (const unit of units.filter((u) => u.platform === d.platform)) {
        const card = await tx.contentTask.create({
          data: {
            agencyId: agency.id,
            workspaceId: workspace.id,
            campaignId,
            deliverableId: deliverable.id,
            sequence: unit.sequence,
            title: deliverableTitle(d.platform, d.kind, unit.sequence, d.count),
            platform: d.platform,
            kind: d.kind,
            assigneeCreatorId: creator.id,
            dueAt: new Date(Date.now() + (10 + units.indexOf(unit) * 3) * 86_400_000),
            position: positions[units.indexOf(unit)]!,
            createdById: owner.id,
          },
        })
        await tx.cardActivity.create({ data: { agencyId: agency.id, cardId: card.id, actorUserId: owner.id, actorLabel: owner.name, kind: 'created', detail: { source: 'deliverable' } } })
        if (unit.sequence === 1) {
          await tx.captionVersion.create({
            data: { agencyId: agency.id, cardId: card.id, version: 1, text: 'Meet our Ethiopia Guji: bright, floral, roasted this week. #LunaCoffee', source: 'manual', createdById: owner.id },
          })
        }
        if (unit.sequence === 1 && d.platform === 'instagram') {
          // Maya's first reel, submitted a few minutes ago: round 1 waits for the account lead. Its workflow is
          // started by the API's sweep, as for any round whose run is missing.
          const submittedAt = new Date(Date.now() - 5 * 60_000)
          await tx.captionVersion.create({
            data: { agencyId: agency.id, cardId: card.id, version: 2, text: 'Ethiopia Guji, roasted this week: jasmine, peach, a long sweet finish. Taste it first at any Luna café. #LunaCoffee #SpecialtyCoffee', source: 'creator', createdById: creatorUser.id },
          })
          await tx.contentTask.update({ where: { id: card.id }, data: { column: 'Submitted_By_Creator', version: 2 } })
          await tx.cardActivity.create({ data: { agencyId: agency.id, cardId: card.id, actorUserId: creatorUser.id, actorLabel: creatorUser.name, kind: 'moved', detail: { from: 'In_Progress', to: 'Submitted_By_Creator', round: 1 } } })
          await tx.approvalRound.create({
            data: {
              agencyId: agency.id,
              cardId: card.id,
              round: 1,
              workflowId: approvalWorkflowId(card.id, 1),
              captionVersion: 2,
              policy: DEMO_APPROVAL_POLICY as object,
              submittedById: creatorUser.id,
              submittedAt,
              dueAt: deadlineSchedule(DEMO_APPROVAL_POLICY.deadlines, submittedAt).dueAt,
            },
          })
        }
      }
    }
  })
  return { created: true }
}
