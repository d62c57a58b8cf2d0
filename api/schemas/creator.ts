import { Type, type Static } from '@fastify/type-provider-typebox'
import { SOCIAL_PLATFORMS, type SocialPlatform } from '../../domain/brand-kit'
import { ACCOUNT_STATUSES, type AccountStatus } from '../../domain/social-accounts'

export const CREATOR_NAME_MAX = 120
export const CREATOR_NOTES_MAX = 4000
export const CREATOR_TAG_MAX = 40
export const CREATOR_TAGS_MAX = 20
/** The same limits as one object, for the web app's loaders to hand to its forms. */
export const CREATOR_LIMITS = { displayName: CREATOR_NAME_MAX, notes: CREATOR_NOTES_MAX, tag: CREATOR_TAG_MAX, tags: CREATOR_TAGS_MAX }
export type CreatorLimits = typeof CREATOR_LIMITS

export const SocialPlatformSchema = Type.Unsafe<SocialPlatform>(Type.String({ enum: [...SOCIAL_PLATFORMS] }))
export const AccountStatusSchema = Type.Unsafe<AccountStatus>(
  Type.String({ enum: [...ACCOUNT_STATUSES], description: 'active; needs_reauth (the platform refused a refresh: reconnect); disconnected' }),
)

/** Who runs the connect flow: Meta (Facebook Pages and their Instagram accounts) or TikTok. */
export const OAUTH_PROVIDERS = ['meta', 'tiktok'] as const
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number]
export const OAuthProviderSchema = Type.Unsafe<OAuthProvider>(Type.String({ enum: [...OAUTH_PROVIDERS] }))

const DateTime = Type.String({ format: 'date-time' })
const Uuid = Type.String({ format: 'uuid' })

/** A connected account as the API shows it: never a token or a ciphertext. */
export const SocialAccount = Type.Object({
  id: Uuid,
  creatorId: Uuid,
  platform: SocialPlatformSchema,
  handle: Type.String(),
  externalId: Type.String({ description: 'The platform’s id: Page id, Instagram business account id or TikTok open_id' }),
  status: AccountStatusSchema,
  statusReason: Type.Union([Type.String(), Type.Null()], { description: 'Why it needs re-auth or was disconnected' }),
  scopes: Type.Array(Type.String()),
  tokenExpiresAt: Type.Union([DateTime, Type.Null()]),
  lastRefreshedAt: Type.Union([DateTime, Type.Null()]),
  sandbox: Type.Boolean({ description: 'Connected through the local sandbox stand-in, not the real platform' }),
  connectedAt: DateTime,
  updatedAt: DateTime,
})
export type SocialAccount = Static<typeof SocialAccount>

export const CreatorUser = Type.Object({ id: Uuid, name: Type.String(), email: Type.String() })

export const Creator = Type.Object({
  id: Uuid,
  displayName: Type.String(),
  notes: Type.String(),
  tags: Type.Array(Type.String()),
  user: Type.Union([CreatorUser, Type.Null()], { description: 'The agency user with the creator role this profile belongs to' }),
  accountCounts: Type.Object({ active: Type.Integer(), needs_reauth: Type.Integer(), disconnected: Type.Integer() }),
  createdAt: DateTime,
  updatedAt: DateTime,
})
export type Creator = Static<typeof Creator>

export const CreatorDetail = Type.Object({ creator: Creator, accounts: Type.Array(SocialAccount) })
export type CreatorDetail = Static<typeof CreatorDetail>

const DisplayName = Type.String({ minLength: 1, maxLength: CREATOR_NAME_MAX, pattern: '\\S' })
const Notes = Type.String({ maxLength: CREATOR_NOTES_MAX })
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: CREATOR_TAG_MAX, pattern: '^[^,\\n\\r]*[^,\\s][^,\\n\\r]*$' }), {
  maxItems: CREATOR_TAGS_MAX,
  description: `Up to ${CREATOR_TAGS_MAX} tags of up to ${CREATOR_TAG_MAX} characters, no commas`,
})
const LinkedUserId = Type.Union([Uuid, Type.Null()], { description: 'A user of the agency with the creator role; null unlinks' })

export const CreateCreatorBody = Type.Object(
  { displayName: DisplayName, notes: Type.Optional(Notes), tags: Type.Optional(Tags), userId: Type.Optional(LinkedUserId) },
  { additionalProperties: false },
)
export type CreateCreatorBody = Static<typeof CreateCreatorBody>

export const UpdateCreatorBody = Type.Object(
  { displayName: Type.Optional(DisplayName), notes: Type.Optional(Notes), tags: Type.Optional(Tags), userId: Type.Optional(LinkedUserId) },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateCreatorBody = Static<typeof UpdateCreatorBody>

export const LinkableUser = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  creatorId: Type.Union([Uuid, Type.Null()], { description: 'The profile this user is linked to already, if any' }),
})
export type LinkableUser = Static<typeof LinkableUser>

// The path parameter is named platform, as in the web app's /oauth/:platform/callback; its values are the providers.
export const ConnectParams = Type.Object({ id: Uuid, platform: OAuthProviderSchema }, { additionalProperties: false })
export const AccountParams = Type.Object({ id: Uuid, accountId: Uuid }, { additionalProperties: false })
export const PlatformParams = Type.Object({ platform: OAuthProviderSchema }, { additionalProperties: false })

export const ConnectStart = Type.Object({
  authorizeUrl: Type.String({ description: 'Send the browser here; the platform sends it back to <web>/oauth/<provider>/callback' }),
  expiresAt: Type.String({ format: 'date-time', description: 'The attempt must come back before this' }),
})
export type ConnectStart = Static<typeof ConnectStart>

export const OAuthCallbackBody = Type.Object(
  {
    state: Type.String({ minLength: 1, maxLength: 512 }),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    error: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    errorDescription: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)
export type OAuthCallbackBody = Static<typeof OAuthCallbackBody>

export const OAuthCallbackResult = Type.Union([
  Type.Object({
    outcome: Type.Literal('connected'),
    creatorId: Uuid,
    provider: OAuthProviderSchema,
    accounts: Type.Array(SocialAccount),
    connected: Type.Integer({ description: 'Accounts new to this agency' }),
    reconnected: Type.Integer({ description: 'Accounts that were here already and got new tokens' }),
    refreshScheduled: Type.Boolean({ description: 'false when Temporal did not take the token-refresh workflows: reconnect later' }),
  }),
  Type.Object({
    outcome: Type.Literal('not_connected'),
    creatorId: Uuid,
    provider: OAuthProviderSchema,
    reason: Type.Union([Type.Literal('access_denied'), Type.Literal('provider_error'), Type.Literal('no_accounts')]),
    message: Type.String(),
  }),
])
export type OAuthCallbackResult = Static<typeof OAuthCallbackResult>

// In-app notifications of the signed-in user (account alerts are their first source).
export const Notification = Type.Object({
  id: Uuid,
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  link: Type.Union([Type.String(), Type.Null()]),
  readAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime,
})
export type Notification = Static<typeof Notification>

export const NotificationList = Type.Object({ notifications: Type.Array(Notification), unread: Type.Integer() })
export type NotificationList = Static<typeof NotificationList>
