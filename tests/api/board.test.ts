// The content board through the API on a real PostgreSQL: who may move which card where, concurrent moves,
// ordering, captions and comments, live events, CSV import and export.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiHarness, type ApiHarness, type TestMember } from '../support/api'
import { apiOk, briefFixture, json, type CampaignFixture } from '../support/campaigns'

let h: ApiHarness
let owner: TestMember

beforeAll(async () => {
  h = await startApiHarness()
  owner = await h.newTenant()
})
afterAll(async () => {
  await h?.stop()
})

interface Card {
  id: string
  column: string
  version: number
  position: string
  title: string
  allowedTargets: string[]
}
interface Board {
  scope: { kind: string }
  columns: { column: string; total: number; cards: Card[]; nextCursor: string | null }[]
  viewer: { ownCardsOnly: boolean }
}

const board = (who: TestMember, query: string) => apiOk<Board>(h, who, 'GET', `/api/boards?${query}`)
const column = (b: Board, name: string) => b.columns.find((c) => c.column === name)!
const move = (who: TestMember, card: { id: string; version: number }, to: string, extra: Record<string, unknown> = {}) =>
  h.app.inject({ method: 'POST', url: `/api/cards/${card.id}/move`, ...json(who, { version: card.version, to, ...extra }) })
const cardOf = async (id: string) => h.db.contentTask.findUniqueOrThrow({ where: { id } })

/** A creator user linked to the fixture's creator profile. */
async function creatorUser(fixture: CampaignFixture, agencyId = owner.agencyId): Promise<TestMember> {
  const member = await h.newMember(agencyId, 'creator')
  await h.db.creator.update({ where: { id: fixture.creatorId }, data: { userId: member.userId } })
  return member
}

describe('the board', () => {
  it('shows every column with totals and pages through a long column in order', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 7 })
    const first = await board(owner, `campaignId=${fixture.campaignId}&limit=3`)
    expect(first.scope.kind).toBe('campaign')
    expect(first.columns.map((c) => c.column)).toEqual(['Backlog', 'In_Progress', 'Submitted_By_Creator', 'Needs_Changes', 'Approved', 'Scheduled', 'Published'])
    const backlog = column(first, 'Backlog')
    expect(backlog.total).toBe(7)
    expect(backlog.cards.map((c) => c.title)).toEqual(['Instagram reel 1 of 7', 'Instagram reel 2 of 7', 'Instagram reel 3 of 7'])
    const titles = [...backlog.cards.map((c) => c.title)]
    let cursor = backlog.nextCursor
    while (cursor) {
      const page = await apiOk<{ cards: Card[]; nextCursor: string | null }>(h, owner, 'GET', `/api/boards/column?campaignId=${fixture.campaignId}&column=Backlog&limit=3&cursor=${cursor}`)
      titles.push(...page.cards.map((c) => c.title))
      cursor = page.nextCursor
    }
    expect(titles).toEqual(Array.from({ length: 7 }, (_, i) => `Instagram reel ${i + 1} of 7`))
    // The workspace board shows the same cards.
    expect(column(await board(owner, `workspaceId=${fixture.workspaceId}`), 'Backlog').total).toBe(7)
    const badCursor = await h.app.inject({ method: 'GET', url: `/api/boards/column?campaignId=${fixture.campaignId}&column=Backlog&cursor=nonsense`, ...json(owner) })
    expect(badCursor.statusCode).toBe(400)
    expect(badCursor.json().error.code).toBe('CURSOR_INVALID')
  })

  it('an unchanged board answers 304 to its ETag; any change to a card gives it a new one', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 2 })
    const url = `/api/boards?campaignId=${fixture.campaignId}`
    const first = await h.app.inject({ method: 'GET', url, headers: owner.headers })
    const etag = first.headers.etag as string
    expect(etag).toMatch(/^W\/"\d+-/)
    const again = await h.app.inject({ method: 'GET', url, headers: { ...owner.headers, 'if-none-match': etag } })
    expect(again.statusCode).toBe(304)
    const card = column(first.json(), 'Backlog').cards[0]!
    await apiOk(h, owner, 'POST', `/api/cards/${card.id}/comments`, { body: 'A comment changes the counts' })
    const changed = await h.app.inject({ method: 'GET', url, headers: { ...owner.headers, 'if-none-match': etag } })
    expect(changed.statusCode).toBe(200)
    expect(changed.headers.etag).not.toBe(etag)
    const updated = column(changed.json(), 'Backlog').cards.find((c) => c.id === card.id) as Card & { commentCount: number }
    expect(updated.commentCount).toBe(1)
  })

  it('a card dropped between two others lands between them, and stays there', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 4 })
    const cards = column(await board(owner, `campaignId=${fixture.campaignId}`), 'Backlog').cards
    const [a, b, c, d] = cards as [Card, Card, Card, Card]
    // d between a and b.
    expect((await move(owner, d, 'Backlog', { afterCardId: a.id, beforeCardId: b.id })).statusCode).toBe(200)
    // c to the top.
    expect((await move(owner, c, 'Backlog', { afterCardId: null, beforeCardId: a.id })).statusCode).toBe(200)
    const order = column(await board(owner, `campaignId=${fixture.campaignId}`), 'Backlog').cards.map((card) => card.id)
    expect(order).toEqual([c.id, a.id, d.id, b.id])
    const stale = await h.app.inject({ method: 'POST', url: `/api/cards/${a.id}/move`, ...json(owner, { version: a.version, to: 'Backlog', afterCardId: randomUUID() }) })
    expect(stale.statusCode).toBe(400)
    expect(stale.json().error.code).toBe('NEIGHBOUR_INVALID')
  })
})

describe('who may move which card where', () => {
  it('a creator carries their own card to submission, a reviewer approves, nobody drags into Scheduled', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 1 })
    const creator = await creatorUser(fixture)
    const [card] = column(await board(creator, ''), 'Backlog').cards
    expect(card!.allowedTargets).toEqual(['In_Progress'])
    let current = card!
    for (const to of ['In_Progress', 'Submitted_By_Creator']) {
      const res = await move(creator, current, to)
      expect(res.statusCode).toBe(200)
      current = res.json().card
    }
    // The creator cannot approve their own work; an editor cannot review; the system columns are the system's.
    const selfApprove = await move(creator, current, 'Approved')
    expect(selfApprove.statusCode).toBe(403)
    expect(selfApprove.json().error.code).toBe('ROLE_CANNOT_MOVE')
    const editor = await h.newMember(owner.agencyId, 'editor')
    expect((await move(editor, current, 'Approved')).json().error.code).toBe('ROLE_CANNOT_MOVE')
    const approver = await h.newMember(owner.agencyId, 'client_approver')
    const approved = await move(approver, current, 'Approved')
    expect(approved.statusCode).toBe(200)
    current = approved.json().card
    const scheduled = await move(owner, current, 'Scheduled')
    expect(scheduled.statusCode).toBe(403)
    expect(scheduled.json().error.code).toBe('SYSTEM_ONLY_COLUMN')
    // An analyst has no card.move at all.
    const analyst = await h.newMember(owner.agencyId, 'analyst')
    expect((await move(analyst, current, 'Needs_Changes')).json().error.code).toBe('FORBIDDEN')
    expect((await cardOf(current.id)).column).toBe('Approved')
    const log = await h.db.cardActivity.findMany({ where: { cardId: current.id, kind: 'moved' }, orderBy: { createdAt: 'asc' } })
    expect(log.map((entry) => (entry.detail as { to: string }).to)).toEqual(['In_Progress', 'Submitted_By_Creator', 'Approved'])
  })

  it('an owner who is the card’s creator cannot approve it (no self-approval)', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 1 })
    const manager = await h.newMember(owner.agencyId, 'manager')
    await h.db.creator.update({ where: { id: fixture.creatorId }, data: { userId: manager.userId } })
    const [card] = column(await board(owner, `campaignId=${fixture.campaignId}`), 'Backlog').cards
    await h.db.contentTask.update({ where: { id: card!.id }, data: { column: 'Submitted_By_Creator' } })
    const res = await move(manager, card!, 'Approved')
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('SELF_APPROVAL')
  })

  it('a creator sees only their own cards; someone else’s card is 404 to them', async () => {
    const mine = await briefFixture(h, owner, { deliverables: 2 })
    const theirs = await briefFixture(h, owner, { deliverables: 2 })
    const creator = await creatorUser(mine)
    const own = await board(creator, '')
    expect(own.scope.kind).toBe('mine')
    expect(column(own, 'Backlog').total).toBe(2)
    const campaignBoard = await board(creator, `campaignId=${theirs.campaignId}`)
    expect(column(campaignBoard, 'Backlog').total).toBe(0)
    const other = await h.db.contentTask.findFirstOrThrow({ where: { campaignId: theirs.campaignId } })
    expect((await h.app.inject({ method: 'GET', url: `/api/cards/${other.id}`, ...json(creator) })).statusCode).toBe(404)
    expect((await move(creator, other, 'In_Progress')).statusCode).toBe(404)
  })
})

describe('a creator without a linked profile', () => {
  it('sees no card, not even unassigned ones, and can change none', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const { card } = await apiOk<{ card: Card }>(h, owner, 'POST', '/api/cards', { campaignId: fixture.campaignId, title: 'Unassigned idea', platform: 'instagram' })
    const unlinked = await h.newMember(owner.agencyId, 'creator')
    expect(column(await board(unlinked, `campaignId=${fixture.campaignId}`), 'Backlog').total).toBe(0)
    expect((await h.app.inject({ method: 'GET', url: `/api/cards/${card.id}`, ...json(unlinked) })).statusCode).toBe(404)
    expect((await h.app.inject({ method: 'POST', url: `/api/cards/${card.id}/comments`, ...json(unlinked, { body: 'mine now' }) })).statusCode).toBe(404)
    expect((await h.app.inject({ method: 'POST', url: `/api/cards/${card.id}/captions`, ...json(unlinked, { text: 'mine now', baseVersion: 0 }) })).statusCode).toBe(404)
    expect((await move(unlinked, card, 'In_Progress')).statusCode).toBe(404)
  })
})

describe('two people moving the same card at once', () => {
  it('exactly one move wins; the other gets 409 CARD_VERSION_CONFLICT and changes nothing', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 1 })
    const manager = await h.newMember(owner.agencyId, 'manager')
    const [card] = column(await board(owner, `campaignId=${fixture.campaignId}`), 'Backlog').cards
    for (let round = 0; round < 5; round++) {
      const before = await cardOf(card!.id)
      const target = before.column === 'Backlog' ? 'In_Progress' : 'Backlog'
      const results = await Promise.all([move(owner, before, target), move(manager, before, target)])
      const codes = results.map((res) => res.statusCode).sort()
      expect(codes).toEqual([200, 409])
      expect(results.find((res) => res.statusCode === 409)!.json().error.code).toBe('CARD_VERSION_CONFLICT')
      const after = await cardOf(card!.id)
      expect(after).toMatchObject({ column: target, version: before.version + 1 })
    }
    expect(await h.db.cardActivity.count({ where: { cardId: card!.id, kind: 'moved' } })).toBe(5)
  })

  it('an edit on a stale version is refused too', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 1 })
    const [card] = column(await board(owner, `campaignId=${fixture.campaignId}`), 'Backlog').cards
    expect((await h.app.inject({ method: 'PATCH', url: `/api/cards/${card!.id}`, ...json(owner, { version: card!.version, title: 'First' }) })).statusCode).toBe(200)
    const stale = await h.app.inject({ method: 'PATCH', url: `/api/cards/${card!.id}`, ...json(owner, { version: card!.version, title: 'Second' }) })
    expect(stale.statusCode).toBe(409)
    expect((await cardOf(card!.id)).title).toBe('First')
  })
})

describe('captions and comments', () => {
  it('keeps caption versions, refuses a caption written on an old version, notifies @mentions', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 1 })
    const creator = await creatorUser(fixture)
    const manager = await h.newMember(owner.agencyId, 'manager')
    await h.db.user.update({ where: { id: manager.userId }, data: { name: 'Mia Manager' } })
    const [card] = column(await board(creator, ''), 'Backlog').cards
    await apiOk(h, creator, 'POST', `/api/cards/${card!.id}/captions`, { text: 'First draft', baseVersion: 0 })
    await apiOk(h, owner, 'POST', `/api/cards/${card!.id}/captions`, { text: 'Tighter draft', baseVersion: 1 })
    const conflict = await h.app.inject({ method: 'POST', url: `/api/cards/${card!.id}/captions`, ...json(creator, { text: 'My edit of v1', baseVersion: 1 }) })
    expect(conflict.statusCode).toBe(409)
    expect(conflict.json().error.code).toBe('CAPTION_VERSION_CONFLICT')

    const detail = await apiOk<{ captions: { version: number; text: string; source: string }[]; comments: { mentions: { name: string }[] }[]; mentionable: { handle: string }[] }>(
      h, creator, 'POST', `/api/cards/${card!.id}/comments`, { body: 'Ready for a look @mia.manager, thanks!' },
    )
    expect(detail.captions.map((c) => [c.version, c.text, c.source])).toEqual([[2, 'Tighter draft', 'manual'], [1, 'First draft', 'creator']])
    expect(detail.comments[0]!.mentions).toEqual([expect.objectContaining({ name: 'Mia Manager' })])
    expect(detail.mentionable.map((m) => m.handle)).toContain('mia.manager')
    const notes = await h.db.notification.findMany({ where: { userId: manager.userId, kind: 'card.mention' } })
    expect(notes).toHaveLength(1)
    expect(notes[0]!.link).toBe(`/campaigns/${fixture.campaignId}/board/cards/${card!.id}`)
  })
})

describe('live updates', () => {
  it('an open board receives another person’s move as a server-sent event', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 1 })
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' })
    const manager = await h.newMember(owner.agencyId, 'manager')
    const controller = new AbortController()
    try {
      const res = await fetch(`${address}/api/boards/events?campaignId=${fixture.campaignId}`, { headers: owner.headers, signal: controller.signal })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('text/event-stream')
      const reader = res.body!.getReader()
      const decoder = new TextDecoder()
      let text = ''
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read()
          if (done) throw new Error(`stream ended before ${needle}`)
          text += decoder.decode(value, { stream: true })
        }
      }
      await readUntil(': connected')
      const card = await h.db.contentTask.findFirstOrThrow({ where: { campaignId: fixture.campaignId } })
      expect((await move(manager, card, 'In_Progress')).statusCode).toBe(200)
      await readUntil('\n\n', )
      await readUntil('"card.upserted"')
      await readUntil('}\n\n')
      const data = text.split('\n').find((line) => line.startsWith('data: '))!
      const event = JSON.parse(data.slice(6))
      expect(event).toMatchObject({ type: 'card.upserted', cardId: card.id, card: { column: 'In_Progress' }, by: { name: 'Manager' } })
    } finally {
      controller.abort()
    }
  })
})

describe('live updates after many changes at once', () => {
  it('an import of many cards is one `reload` event, not one event per card', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' }).catch(() => `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`)
    const controller = new AbortController()
    try {
      const res = await fetch(`${address}/api/boards/events?campaignId=${fixture.campaignId}`, { headers: owner.headers, signal: controller.signal })
      const reader = res.body!.getReader()
      const decoder = new TextDecoder()
      let text = ''
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read()
          if (done) throw new Error(`stream ended before ${needle}`)
          text += decoder.decode(value, { stream: true })
        }
      }
      await readUntil(': connected')
      const csv = ['Title,Platform', ...Array.from({ length: 30 }, (_, i) => `Imported ${i + 1},Instagram`)].join('\n')
      const imported = await h.app.inject({ method: 'POST', url: `/api/campaigns/${fixture.campaignId}/cards/import`, headers: { ...owner.headers, 'content-type': 'text/csv' }, payload: csv })
      expect(imported.statusCode).toBe(201)
      await readUntil('event: reload')
      expect(text).not.toContain('event: card')
    } finally {
      controller.abort()
    }
  })
})

describe('CSV', () => {
  const importCsv = (who: TestMember, campaignId: string, csv: string) =>
    h.app.inject({ method: 'POST', url: `/api/campaigns/${campaignId}/cards/import`, headers: { ...who.headers, 'content-type': 'text/csv' }, payload: csv })

  it('a file with bad rows imports nothing and reports every problem by row and column', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const creator = await h.db.creator.findUniqueOrThrow({ where: { id: fixture.creatorId } })
    const csv = [
      'Title,Platform,Creator,Due date,Caption',
      `Launch teaser,Instagram,${creator.displayName},,Coming soon`,
      ',TikTok,Nobody Known,2020-01-01,',
      'Behind the scenes,Myspace,,not-a-date,',
    ].join('\n')
    const res = await importCsv(owner, fixture.campaignId, csv)
    expect(res.statusCode).toBe(400)
    const { error } = res.json()
    expect(error.code).toBe('CSV_INVALID')
    expect(error.message).toContain('2 of 3 rows')
    expect(error.details.map((d: { path: string }) => d.path)).toEqual([
      '/rows/3/title', '/rows/3/platform', '/rows/3/creator', '/rows/3/due date', '/rows/4/platform', '/rows/4/due date',
    ])
    expect(await h.db.contentTask.count({ where: { campaignId: fixture.campaignId } })).toBe(0)

    const header = await importCsv(owner, fixture.campaignId, 'Name,Channel\nA,Instagram')
    expect(header.statusCode).toBe(400)
    expect(header.json().error.code).toBe('CSV_HEADER_INVALID')
    const malformed = await importCsv(owner, fixture.campaignId, 'Title,Platform\n"unterminated,Instagram')
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.code).toBe('CSV_MALFORMED')
    const analyst = await h.newMember(owner.agencyId, 'analyst')
    expect((await importCsv(analyst, fixture.campaignId, csv)).statusCode).toBe(403)
  })

  it('imports good rows into Backlog and exports the board with formulas defused', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 0 })
    const creator = await h.db.creator.findUniqueOrThrow({ where: { id: fixture.creatorId } })
    // A due day next month, written as the campaign's (Berlin) calendar date.
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
    const csv = [
      'Title,Platform,Creator,Due date,Caption',
      `Launch teaser,Instagram,${creator.displayName},${due},"Coming soon, with ""quotes"""`,
      '"=HYPERLINK(""http://evil"")",ig,,,',
    ].join('\r\n')
    const res = await importCsv(owner, fixture.campaignId, csv)
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ rows: 2, created: 2 })
    const backlog = column(await board(owner, `campaignId=${fixture.campaignId}`), 'Backlog')
    expect(backlog.cards.map((c) => c.title)).toEqual(['Launch teaser', '=HYPERLINK("http://evil")'])

    const exported = await h.app.inject({ method: 'GET', url: `/api/boards/export.csv?campaignId=${fixture.campaignId}`, headers: owner.headers })
    expect(exported.statusCode).toBe(200)
    expect(exported.headers['content-type']).toContain('text/csv')
    expect(exported.headers['content-disposition']).toMatch(/attachment; filename=".+-cards\.csv"/)
    const lines = exported.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/)
    expect(lines[0]).toBe('Title,Platform,Creator,Due date,Caption,Column,Campaign')
    expect(lines[1]).toBe(`Launch teaser,Instagram,${creator.displayName},${due},"Coming soon, with ""quotes""",Backlog,${backlog.cards.length ? (await h.db.campaign.findUniqueOrThrow({ where: { id: fixture.campaignId } })).name : ''}`)
    expect(lines[2]!.startsWith(`"'=HYPERLINK`)).toBe(true)
  })
})

describe('drafts onto a card', () => {
  const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
  function multipart(parts: { name: string; filename?: string; type?: string; body: Buffer | string }[]) {
    const boundary = `draft${randomUUID().replaceAll('-', '')}`
    const chunks = parts.flatMap((part) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}\r\n` +
          (part.type ? `Content-Type: ${part.type}\r\n` : '') +
          '\r\n',
      ),
      Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body),
      Buffer.from('\r\n'),
    ])
    return { payload: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` }
  }

  it('the assigned creator uploads a draft with a caption; it lands on the card and in the library together', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 1 })
    const creator = await creatorUser(fixture)
    const [card] = column(await board(creator, ''), 'Backlog').cards
    const body = multipart([
      { name: 'caption', body: 'Golden hour at the bakery ☀️' },
      { name: 'draft', filename: 'take1.png', type: 'image/png', body: PNG_1X1 },
    ])
    const res = await h.app.inject({ method: 'POST', url: `/api/cards/${card!.id}/drafts`, headers: { ...creator.headers, 'content-type': body.contentType }, payload: body.payload })
    expect(res.statusCode, res.body).toBe(200)
    const detail = res.json()
    expect(detail.assets).toEqual([expect.objectContaining({ role: 'draft', name: 'take1.png', kind: 'image', width: 1, height: 1 })])
    expect(detail.captions[0]).toMatchObject({ version: 1, text: 'Golden hour at the bakery ☀️', source: 'creator' })
    expect(detail.card.assetCount).toBe(1)

    // Wrong bytes behind an image name: refused, and neither a file row nor a caption is left behind.
    const files = await h.db.storedFile.count({ where: { workspaceId: fixture.workspaceId } })
    const bad = multipart([
      { name: 'caption', body: 'Should not be kept' },
      { name: 'draft', filename: 'fake.jpg', type: 'image/jpeg', body: 'this is not an image at all' },
    ])
    const refused = await h.app.inject({ method: 'POST', url: `/api/cards/${card!.id}/drafts`, headers: { ...creator.headers, 'content-type': bad.contentType }, payload: bad.payload })
    expect(refused.statusCode).toBe(415)
    expect(refused.json().error.code).toBe('UNSUPPORTED_FILE_TYPE')
    expect(await h.db.storedFile.count({ where: { workspaceId: fixture.workspaceId } })).toBe(files)
    expect(await h.db.captionVersion.count({ where: { cardId: card!.id } })).toBe(1)
  })

  it('someone else’s card is refused before a byte is stored', async () => {
    const fixture = await briefFixture(h, owner, { deliverables: 1 })
    const other = await briefFixture(h, owner, { deliverables: 1 })
    const creator = await creatorUser(fixture)
    const theirs = await h.db.contentTask.findFirstOrThrow({ where: { campaignId: other.campaignId } })
    const body = multipart([{ name: 'draft', filename: 'take.png', type: 'image/png', body: PNG_1X1 }])
    const res = await h.app.inject({ method: 'POST', url: `/api/cards/${theirs.id}/drafts`, headers: { ...creator.headers, 'content-type': body.contentType }, payload: body.payload })
    expect(res.statusCode).toBe(404)
    expect(await h.db.storedFile.count({ where: { workspaceId: other.workspaceId } })).toBe(0)
  })
})
