// Workspace assets (uploaded images and videos): what the library lists and an upload answers with.
import { Type, type Static } from '@fastify/type-provider-typebox'

export const ASSET_KINDS = ['image', 'video'] as const
export type AssetKind = (typeof ASSET_KINDS)[number]

const Dimension = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])

export const Asset = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    workspaceId: Type.String({ format: 'uuid' }),
    name: Type.String({ description: 'The file name it was uploaded under' }),
    kind: Type.Unsafe<AssetKind>(Type.String({ enum: [...ASSET_KINDS] })),
    mimeType: Type.String({ description: 'image/jpeg, image/png, image/webp, video/mp4 or video/quicktime, from the file’s content' }),
    byteSize: Type.Integer({ minimum: 1 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    width: Dimension,
    height: Dimension,
    durationMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'Videos; null for images or when the file does not say' }),
    hasThumbnail: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    createdById: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    contentUrl: Type.String({ description: 'GET it for the bytes (Range requests answered)' }),
    thumbnailUrl: Type.Union([Type.String(), Type.Null()], { description: 'A JPEG preview of at most 480 px on its long side; images only' }),
  },
  { $id: 'Asset', additionalProperties: false },
)
export type Asset = Static<typeof Asset>

export const UploadedAsset = Type.Object({
  asset: Type.Ref('Asset'),
  /** The workspace already had these bytes: this is the existing asset, and nothing new was stored. */
  duplicate: Type.Boolean({ description: 'true: the workspace already had a file with the same SHA-256; this is that asset and nothing new was stored' }),
})

export const UploadAssetsResponse = Type.Object({ assets: Type.Array(UploadedAsset) })

export const ListAssetsQuery = Type.Object(
  {
    kind: Type.Optional(Type.Unsafe<AssetKind>(Type.String({ enum: [...ASSET_KINDS] }))),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|100)$', description: 'Assets per page, 1–100 (default 50)' })),
  },
  { additionalProperties: false },
)
export type ListAssetsQuery = Static<typeof ListAssetsQuery>

export const AssetListResponse = Type.Object({
  assets: Type.Array(Type.Ref('Asset')),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last one' }),
  /** What an upload into this library may hold (UPLOAD_MAX_FILES, UPLOAD_MAX_FILE_BYTES of the API). */
  limits: Type.Object({ maxFiles: Type.Integer(), maxFileBytes: Type.Integer() }),
})
export type AssetListResponse = Static<typeof AssetListResponse>
