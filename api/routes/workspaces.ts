// Client workspaces and their versioned brand kits, with logo upload (multipart, this plugin's scope only).
import path from 'node:path'
import multipart from '@fastify/multipart'
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { BRAND_KIT_LIMITS } from '../../domain/brand-kit'
import { dataDir } from '../../platform/config'
import { createLocalDiskStorage, type FileStorage } from '../../platform/storage'
import { ApiError } from '../errors'
import { IdParams, errorResponses } from '../schemas/common'
import {
  BaseVersionQuery,
  BrandKit,
  BrandKitVersionSummary,
  CreateWorkspaceBody,
  ListWorkspacesQuery,
  LogoQuery,
  SaveBrandKitBody,
  SaveBrandKitResponse,
  UpdateWorkspaceBody,
  VersionParams,
  Workspace,
  WorkspaceListResponse,
  WorkspaceWithKit,
} from '../schemas/workspace'
import {
  LOGO_MIME_TYPES,
  findBrandKitLogo,
  getBrandKit,
  listBrandKitVersions,
  openStoredFile,
  removeBrandKitLogo,
  saveBrandKit,
  setBrandKitLogo,
  storeLogoUpload,
  type StoredLogo,
} from '../services/brand-kits'
import { assertNotArchived, createWorkspace, findWorkspace, listWorkspaces, setWorkspaceArchived, toWorkspaceDto, updateWorkspace } from '../services/workspaces'

export interface WorkspaceRoutesOptions {
  /** Where logos are kept; defaults to local disk under <dataDir>/uploads. */
  storage?: FileStorage
}

const WorkspaceEnvelope = Type.Object({ workspace: Workspace })
const BrandKitEnvelope = Type.Object({ brandKit: BrandKit })

/** Multipart failures of @fastify/multipart, as our codes. */
function multipartRefusal(error: unknown): ApiError | null {
  const code = (error as { code?: string }).code
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new ApiError(413, 'FILE_TOO_LARGE', `The logo is larger than ${BRAND_KIT_LIMITS.logoBytes / 1024 / 1024} MB.`)
    case 'FST_FILES_LIMIT':
      return new ApiError(400, 'TOO_MANY_FILES', 'Send one logo file per request.')
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new ApiError(400, 'TOO_MANY_PARTS', 'The upload has more parts than a logo upload needs: one "logo" file and an optional "baseVersion".')
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
    case 'FST_MP_PREMATURE_CLOSE':
      return new ApiError(400, 'MALFORMED_MULTIPART', 'The multipart body could not be read.')
  }
  // busboy's own parse errors carry no code, only these messages.
  if (error instanceof Error && !code && /^(Unexpected end of multipart data|Multipart: Boundary not found|\w+ terminated early)/.test(error.message)) {
    return new ApiError(400, 'MALFORMED_MULTIPART', `The multipart body could not be read: ${error.message}.`)
  }
  return null
}

function parseVersion(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined) return undefined
  if (!/^[1-9][0-9]{0,8}$/.test(raw.trim())) {
    throw new ApiError(400, 'VALIDATION_FAILED', `${field} must be a version number (1 or more).`, [{ path: `/${field}`, message: 'must be a whole number of 1 or more' }])
  }
  return Number(raw.trim())
}

const workspaceRoutes: FastifyPluginAsyncTypebox<WorkspaceRoutesOptions> = async (app, options) => {
  const storage = options.storage ?? createLocalDiskStorage(path.join(dataDir, 'uploads'))

  // Multipart only here: one file of at most the logo limit (+1 byte, so a file over the limit is seen to be
  // over it rather than cut to fit), and the few fields a logo upload has.
  await app.register(multipart, {
    limits: { files: 1, fileSize: BRAND_KIT_LIMITS.logoBytes + 1, fields: 4, fieldSize: 200, parts: 5, headerPairs: 50 },
  })

  app.get(
    '/api/workspaces',
    {
      config: { permission: 'workspace.read' },
      schema: {
        summary: 'Workspaces of your agency: active ones by name, or archived ones (?archived=true) newest first',
        tags: ['workspaces'],
        querystring: ListWorkspacesQuery,
        response: { 200: WorkspaceListResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listWorkspaces(request.tenantDb, { archived: request.query.archived === 'true' }),
  )

  app.post(
    '/api/workspaces',
    {
      config: { permission: 'workspace.write' },
      schema: {
        summary: 'Create a client workspace with brand kit version 1 (the starter kit)',
        tags: ['workspaces'],
        body: CreateWorkspaceBody,
        response: { 201: WorkspaceWithKit, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const row = await createWorkspace(request.tenantDb, request.user!, request.body)
      return reply.status(201).send({ workspace: toWorkspaceDto(row), brandKit: await getBrandKit(request.tenantDb, row.id) })
    },
  )

  app.get(
    '/api/workspaces/:id',
    {
      config: { permission: 'workspace.read' },
      schema: {
        summary: 'A workspace with its current brand kit',
        tags: ['workspaces'],
        params: IdParams,
        response: { 200: WorkspaceWithKit, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const row = await findWorkspace(request.tenantDb, request.params.id)
      return { workspace: toWorkspaceDto(row), brandKit: await getBrandKit(request.tenantDb, row.id) }
    },
  )

  app.patch(
    '/api/workspaces/:id',
    {
      config: { permission: 'workspace.write' },
      schema: {
        summary: 'Change a workspace’s name, client or description (not while archived)',
        tags: ['workspaces'],
        params: IdParams,
        body: UpdateWorkspaceBody,
        response: { 200: WorkspaceEnvelope, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ workspace: toWorkspaceDto(await updateWorkspace(request.tenantDb, request.params.id, request.body)) }),
  )

  for (const action of ['archive', 'unarchive'] as const) {
    app.post(
      `/api/workspaces/:id/${action}`,
      {
        config: { permission: 'workspace.write' },
        schema: {
          summary: action === 'archive' ? 'Archive a workspace (read-only, hidden from the default list)' : 'Bring an archived workspace back',
          tags: ['workspaces'],
          params: IdParams,
          response: { 200: WorkspaceEnvelope, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({ workspace: toWorkspaceDto(await setWorkspaceArchived(request.tenantDb, request.params.id, action === 'archive')) }),
    )
  }

  app.get(
    '/api/workspaces/:id/brand-kit',
    {
      config: { permission: 'workspace.read' },
      schema: {
        summary: 'The current brand kit of a workspace',
        tags: ['brand kits'],
        params: IdParams,
        response: { 200: BrandKitEnvelope, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ brandKit: await getBrandKit(request.tenantDb, request.params.id) }),
  )

  app.put(
    '/api/workspaces/:id/brand-kit',
    {
      config: { permission: 'brandkit.write' },
      schema: {
        summary: 'Save an edited brand kit as the next version; baseVersion must be the current version (409 otherwise)',
        tags: ['brand kits'],
        params: IdParams,
        body: SaveBrandKitBody,
        response: { 200: SaveBrandKitResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => saveBrandKit(request.tenantDb, request.user!, request.params.id, request.body),
  )

  app.get(
    '/api/workspaces/:id/brand-kit/versions',
    {
      config: { permission: 'workspace.read' },
      schema: {
        summary: 'Brand-kit version history, newest first: who changed what, when',
        tags: ['brand kits'],
        params: IdParams,
        response: { 200: Type.Object({ versions: Type.Array(BrandKitVersionSummary) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ versions: await listBrandKitVersions(request.tenantDb, request.params.id) }),
  )

  app.get(
    '/api/workspaces/:id/brand-kit/versions/:version',
    {
      config: { permission: 'workspace.read' },
      schema: {
        summary: 'One version of a brand kit',
        tags: ['brand kits'],
        params: VersionParams,
        response: { 200: BrandKitEnvelope, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ brandKit: await getBrandKit(request.tenantDb, request.params.id, Number(request.params.version)) }),
  )

  app.post(
    '/api/workspaces/:id/brand-kit/logo',
    {
      config: { permission: 'brandkit.write' },
      schema: {
        summary: `Upload a logo (multipart: file field "logo", optional field "baseVersion"): PNG, JPEG or WebP by content, at most ${BRAND_KIT_LIMITS.logoBytes / 1024 / 1024} MB; writes the next kit version`,
        tags: ['brand kits'],
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: BrandKitEnvelope, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      // Checked before a byte is read, so a refused upload costs no storage.
      assertNotArchived(await findWorkspace(request.tenantDb, request.params.id))
      if (!request.isMultipart()) {
        throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the logo as multipart/form-data with one file field named "logo".')
      }
      const fields = new Map<string, string>()
      let logo: StoredLogo | null = null
      let refusal: ApiError | null = null
      try {
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            fields.set(part.fieldname, String(part.value))
          } else if (part.fieldname !== 'logo' || logo || refusal) {
            // Read to the end regardless, so the client gets the answer instead of a reset connection.
            for await (const _chunk of part.file);
            refusal ??= new ApiError(400, 'FILE_FIELD_UNKNOWN', `Send the logo in a file field named "logo" (got "${part.fieldname.slice(0, 40)}").`)
          } else {
            try {
              logo = await storeLogoUpload(storage, request.user!.agency.id, { stream: part.file, filename: part.filename })
            } catch (error) {
              if (!(error instanceof ApiError)) throw error
              refusal = error
            }
          }
        }
      } catch (error) {
        if (logo) await storage.delete(logo.storageKey)
        throw multipartRefusal(error) ?? error
      }
      if (refusal || !logo) {
        if (logo) await storage.delete(logo.storageKey)
        throw refusal ?? new ApiError(400, 'FILE_REQUIRED', 'Attach the logo as a file field named "logo".')
      }
      let baseVersion: number | undefined
      try {
        baseVersion = parseVersion(fields.get('baseVersion'), 'baseVersion')
      } catch (error) {
        await storage.delete(logo.storageKey)
        throw error
      }
      const brandKit = await setBrandKitLogo(request.tenantDb, storage, request.user!, request.params.id, logo, baseVersion)
      return reply.status(201).send({ brandKit })
    },
  )

  app.delete(
    '/api/workspaces/:id/brand-kit/logo',
    {
      config: { permission: 'brandkit.write' },
      schema: {
        summary: 'Remove the logo: writes the next kit version without one (older versions keep theirs)',
        tags: ['brand kits'],
        params: IdParams,
        querystring: BaseVersionQuery,
        response: { 200: SaveBrandKitResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => removeBrandKitLogo(request.tenantDb, request.user!, request.params.id, parseVersion(request.query.baseVersion, 'baseVersion')),
  )

  app.get(
    '/api/workspaces/:id/brand-kit/logo',
    {
      config: { permission: 'workspace.read' },
      schema: {
        summary: 'The logo image of the current kit (or of ?version=N)',
        tags: ['brand kits'],
        produces: Object.keys(LOGO_MIME_TYPES),
        params: IdParams,
        querystring: LogoQuery,
        response: {
          200: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The image bytes' }),
          304: Type.Null({ description: 'Not modified (If-None-Match)' }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const version = parseVersion(request.query.version, 'version')
      const file = await findBrandKitLogo(request.tenantDb, request.params.id, version)
      const etag = `"${file.sha256}"`
      // A version's logo never changes; the current one does, so it is revalidated by its hash.
      reply
        .header('etag', etag)
        .header('cache-control', version === undefined ? 'private, no-cache' : 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null)
      const stream = await openStoredFile(storage, file)
      return reply
        .header('content-type', file.mimeType)
        .header('content-length', file.byteSize)
        .header('content-disposition', `inline; filename="logo.${LOGO_MIME_TYPES[file.mimeType] ?? 'bin'}"`)
        .send(stream)
    },
  )
}

export default workspaceRoutes
