// Client workspaces and their versioned brand kits. Shapes and lengths are checked here (TypeBox); the
// brand-kit rules (enough colors, valid hex, font names, ...) by domain/brand-kit.ts in the service, so the
// web editor can show the same messages before sending.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { BRAND_KIT_LIMITS, LOGO_POSITIONS, SOCIAL_PLATFORMS, type LogoPosition, type SocialPlatform } from '../../domain/brand-kit'
import { WORKSPACE_LIMITS } from '../../domain/workspace'

export { WORKSPACE_LIMITS }

const L = BRAND_KIT_LIMITS

const WorkspaceName = Type.String({ minLength: 1, maxLength: WORKSPACE_LIMITS.name, pattern: '\\S', description: 'What the agency calls this workspace' })
const ClientName = Type.String({ minLength: 1, maxLength: WORKSPACE_LIMITS.clientName, pattern: '\\S', description: 'The client brand' })
const Description = Type.String({ maxLength: WORKSPACE_LIMITS.description })

export const Workspace = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    clientName: Type.String(),
    description: Type.String(),
    archivedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
)
export type Workspace = Static<typeof Workspace>

export const LogoPositionSchema = Type.Unsafe<LogoPosition>(Type.String({ enum: [...LOGO_POSITIONS] }))
export const SocialPlatformSchema = Type.Unsafe<SocialPlatform>(Type.String({ enum: [...SOCIAL_PLATFORMS] }))

const Person = Type.Union([Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }), Type.Null()], {
  description: 'Who made it; null for a member who has since left',
})

export const BrandKitLogo = Type.Object({
  id: Type.String({ format: 'uuid' }),
  originalName: Type.String(),
  mimeType: Type.String({ description: 'image/png, image/jpeg or image/webp, from the file’s content' }),
  byteSize: Type.Integer(),
  sha256: Type.String(),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
})

export const BrandColor = Type.Object({ name: Type.String(), hex: Type.String() })

/** One version of a workspace's brand kit (the current one is the highest version). */
export const BrandKit = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'The version row; AI generations record it' }),
    workspaceId: Type.String({ format: 'uuid' }),
    version: Type.Integer({ minimum: 1 }),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Person,
    colors: Type.Array(BrandColor),
    headingFont: Type.String(),
    bodyFont: Type.String(),
    logo: Type.Union([BrandKitLogo, Type.Null()]),
    logoPosition: LogoPositionSchema,
    voicePrompt: Type.String(),
    personality: Type.String(),
    targetAudience: Type.String(),
    toneAndStyle: Type.String(),
    preferredPhrases: Type.Array(Type.String()),
    forbiddenPhrases: Type.Array(Type.String()),
    defaultHashtags: Type.Array(Type.String()),
    targetPlatforms: Type.Array(SocialPlatformSchema),
  },
)
export type BrandKit = Static<typeof BrandKit>

/** The fields a version can change, in the order the history names them. */
export const BRAND_KIT_FIELDS = [
  'colors',
  'headingFont',
  'bodyFont',
  'logo',
  'logoPosition',
  'voicePrompt',
  'personality',
  'targetAudience',
  'toneAndStyle',
  'preferredPhrases',
  'forbiddenPhrases',
  'defaultHashtags',
  'targetPlatforms',
] as const
export type BrandKitField = (typeof BRAND_KIT_FIELDS)[number]

export const BrandKitVersionSummary = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Person,
  changedFields: Type.Array(Type.Unsafe<BrandKitField>(Type.String({ enum: [...BRAND_KIT_FIELDS] })), {
    description: 'What differs from the version before; empty for version 1',
  }),
  summary: Type.String({ description: 'The change in words, e.g. "Changed colors and heading font"' }),
})
export type BrandKitVersionSummary = Static<typeof BrandKitVersionSummary>

/** A workspace row in the list, with the colors of its current kit for a glance. */
export const WorkspaceListItem = Type.Object({
  workspace: Workspace,
  brandKitVersion: Type.Integer({ minimum: 1 }),
  palette: Type.Array(Type.String({ description: 'Hex colors of the current kit' })),
  hasLogo: Type.Boolean(),
})

export const WorkspaceListResponse = Type.Object({
  workspaces: Type.Array(WorkspaceListItem),
  counts: Type.Object({ active: Type.Integer(), archived: Type.Integer() }),
})
export type WorkspaceListResponse = Static<typeof WorkspaceListResponse>

export const WorkspaceWithKit = Type.Object({ workspace: Workspace, brandKit: BrandKit })
export type WorkspaceWithKit = Static<typeof WorkspaceWithKit>

export const ListWorkspacesQuery = Type.Object(
  { archived: Type.Optional(Type.Unsafe<'true' | 'false'>(Type.String({ enum: ['true', 'false'], description: 'true lists archived workspaces instead of active ones' }))) },
  { additionalProperties: false },
)

export const CreateWorkspaceBody = Type.Object(
  { name: WorkspaceName, clientName: ClientName, description: Type.Optional(Description) },
  { additionalProperties: false },
)

export const UpdateWorkspaceBody = Type.Object(
  { name: Type.Optional(WorkspaceName), clientName: Type.Optional(ClientName), description: Type.Optional(Description) },
  { additionalProperties: false, minProperties: 1 },
)

const BaseVersion = Type.Integer({ minimum: 1, maximum: 2_000_000_000, description: 'The version this edit was made on; a newer current version answers 409' })

/** Shape and length limits only; domain/brand-kit.ts brandKitIssues() applies the rules. */
export const SaveBrandKitBody = Type.Object(
  {
    baseVersion: BaseVersion,
    colors: Type.Array(
      Type.Object({ name: Type.String({ maxLength: L.colorName }), hex: Type.String({ maxLength: 32 }) }, { additionalProperties: false }),
      { maxItems: L.maxColors },
    ),
    headingFont: Type.String({ maxLength: L.font }),
    bodyFont: Type.String({ maxLength: L.font }),
    logoPosition: LogoPositionSchema,
    voicePrompt: Type.String({ maxLength: L.longText }),
    personality: Type.String({ maxLength: L.shortText }),
    targetAudience: Type.String({ maxLength: L.shortText }),
    toneAndStyle: Type.String({ maxLength: L.shortText }),
    preferredPhrases: Type.Array(Type.String({ maxLength: L.phrase }), { maxItems: L.phrases }),
    forbiddenPhrases: Type.Array(Type.String({ maxLength: L.phrase }), { maxItems: L.phrases }),
    defaultHashtags: Type.Array(Type.String({ maxLength: L.hashtag }), { maxItems: L.hashtags }),
    targetPlatforms: Type.Array(SocialPlatformSchema, { maxItems: SOCIAL_PLATFORMS.length }),
  },
  { additionalProperties: false },
)
export type SaveBrandKitBody = Static<typeof SaveBrandKitBody>

export const SaveBrandKitResponse = Type.Object({
  brandKit: BrandKit,
  created: Type.Boolean({ description: 'false when the kit sent equals the current version (no new version written)' }),
})
export type SaveBrandKitResponse = Static<typeof SaveBrandKitResponse>

export const BaseVersionQuery = Type.Object({ baseVersion: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,8}$' })) }, { additionalProperties: false })

export const VersionParams = Type.Object(
  { id: Type.String({ format: 'uuid' }), version: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) },
  { additionalProperties: false },
)

export const LogoQuery = Type.Object(
  { version: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: 'The logo of this kit version instead of the current one' })) },
  { additionalProperties: false },
)
