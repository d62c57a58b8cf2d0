// Test data for browser tests, made through the running platform's API the way the web app makes it: a signed-in
// session (cookie and CSRF token), members added the way an agency adds them (invited, the link read from the
// outbox as no mail server runs here, accepted), and campaigns in the seeded demo workspace.
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { RunningPlatform } from './platform.ts'

export interface Login {
  email: string
  password: string
}

/**
 * A request as the signed-in user. JSON in and out; a FormData body goes as multipart, and with `csv` a body goes
 * as text/csv. Any answer but 2xx throws with the API's reason.
 */
export type ApiSession = <T = unknown>(method: string, apiPath: string, body?: unknown, options?: { csv?: boolean }) => Promise<T>

/** Signs in through the API as `login` (the seeded demo owner unless given). */
export async function apiSession(platform: Pick<RunningPlatform, 'apiUrl' | 'demoUser'>, login: Login = platform.demoUser): Promise<ApiSession> {
  const response = await fetch(`${platform.apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(login),
  })
  expect(response.status).toBe(200)
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0])
    .join('; ')
  const { user } = (await response.json()) as { user: { csrfToken: string } }
  return async function call<T = unknown>(method: string, apiPath: string, body?: unknown, { csv = false }: { csv?: boolean } = {}): Promise<T> {
    // fetch writes a FormData body's multipart content type itself (it carries the boundary).
    const contentType = body === undefined || body instanceof FormData ? undefined : csv ? 'text/csv' : 'application/json'
    const answer = await fetch(`${platform.apiUrl}${apiPath}`, {
      method,
      headers: { cookie, 'x-csrf-token': user.csrfToken, ...(contentType ? { 'content-type': contentType } : {}) },
      body: body === undefined || body instanceof FormData ? body : csv ? String(body) : JSON.stringify(body),
    })
    const text = await answer.text()
    if (!answer.ok) throw new Error(`${method} ${apiPath} answered ${answer.status}: ${text}`)
    return (text === '' ? undefined : JSON.parse(text)) as T
  }
}

const MEMBER_NAMES = { manager: 'Mara Manager', creator: 'Cleo Creator' } as const

export interface NewMember {
  login: Login
  userId: string
  name: string
}

/** A new member with `role`, invited by `owner` and accepted through the invite link in the agency's outbox. */
export async function newMember(platform: Pick<RunningPlatform, 'apiUrl'>, owner: ApiSession, role: keyof typeof MEMBER_NAMES): Promise<NewMember> {
  const id = randomUUID().slice(0, 8)
  const login = { email: `${role}-${id}@example.test`, password: `${role}-password-${id}` }
  await owner('POST', '/api/team/invites', { email: login.email, role })
  const { emails } = await owner<{ emails: { to: string; text: string | null }[] }>('GET', '/api/agency/outbox')
  const token = /\/invite\/([^\s/?#]+)/.exec(emails.find((email) => email.to === login.email)?.text ?? '')?.[1]
  if (!token) throw new Error('no invite link in the outbox')
  const name = `${MEMBER_NAMES[role]} ${id}`
  const accepted = await fetch(`${platform.apiUrl}/api/invites/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: login.password }),
  })
  expect(accepted.status).toBe(201)
  const { user } = (await accepted.json()) as { user: { id: string } }
  return { login, userId: user.id, name }
}

/** A creator-role member linked to a new creator profile in their name, so cards can be assigned to them. */
export async function newCreatorMember(platform: Pick<RunningPlatform, 'apiUrl'>, owner: ApiSession): Promise<NewMember & { creatorId: string }> {
  const member = await newMember(platform, owner, 'creator')
  const { creator } = await owner<{ creator: { id: string } }>('POST', '/api/creators', { displayName: member.name, userId: member.userId })
  return { ...member, creatorId: creator.id }
}

/** A new campaign in the demo agency's first workspace, named `name` and a unique suffix. */
export async function newDemoCampaign(api: ApiSession, name: string, platforms: string[]): Promise<{ workspaceId: string; campaignId: string }> {
  const { workspaces } = await api<{ workspaces: { workspace: { id: string } }[] }>('GET', '/api/workspaces')
  const workspaceId = workspaces[0]!.workspace.id
  const { campaign } = await api<{ campaign: { id: string } }>('POST', '/api/campaigns', { workspaceId, name: `${name} ${randomUUID().slice(0, 8)}`, platforms })
  return { workspaceId, campaignId: campaign.id }
}
