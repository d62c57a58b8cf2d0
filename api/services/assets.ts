// Workspace assets: uploads of images and videos (multipart, streamed), the library listing, serving the
// bytes, and deletion. An upload is all-or-nothing: every file streams into storage as it arrives and is
// inspected on the way (platform/media.ts: type by content, dimensions, duration, thumbnail); only when all
// of them passed are the StoredFile rows written, in one transaction. Any refusal, failure or lost
// connection removes every object this request stored (thumbnails included), and no row is written.
import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import type { FastifyBaseLogger, FastifyRequest } from 'fastify'
import type { Multipart, MultipartFile } from '@fastify/multipart'
import { can } from '../../domain/permissions'
import type { StoredFile } from '../../generated/prisma/client'
import type { UploadLimits } from '../../platform/config'
import { MEDIA_SNIFF_BYTES, MediaRejectedError, createMediaInspector, detectMediaType, type MediaType } from '../../platform/media'
import { FileTooLargeError, StoredObjectMissingError, type ByteRange, type FileStorage } from '../../platform/storage'
import type { TenantDatabase, TenantTransaction } from '../../platform/tenant-scope'
import { ApiError, notFound } from '../errors'
import type { Asset, AssetKind } from '../schemas/asset'
import type { AuthUser } from '../types'
import { assertNotArchived, findWorkspace } from './workspaces'

export interface AssetDeps {
  /** The caller's agency-scoped client (request.tenantDb). */
  db: TenantDatabase
  storage: FileStorage
  limits: UploadLimits
  /** Where a cleanup that failed after the answer was decided is reported. */
  log?: FastifyBaseLogger
}

/** @fastify/multipart options for a route plugin that calls ingestUploads: one byte over the file limit, so
 * an oversized file is seen to be over it (not cut to fit), and room for a few form fields. */
export function uploadMultipartOptions(limits: UploadLimits) {
  return {
    limits: { files: limits.maxFiles, fileSize: limits.maxFileBytes + 1, fields: 20, fieldSize: 64 * 1024, parts: limits.maxFiles + 20, headerPairs: 100 },
  }
}

// ---- DTOs ----

export function toAssetDto(row: StoredFile): Asset {
  return {
    id: row.id,
    workspaceId: row.workspaceId!,
    name: row.originalName,
    kind: row.kind as AssetKind,
    mimeType: row.mimeType,
    byteSize: row.byteSize,
    sha256: row.sha256,
    width: row.width,
    height: row.height,
    durationMs: row.durationMs,
    hasThumbnail: row.thumbnailKey !== null,
    createdAt: row.createdAt.toISOString(),
    createdById: row.createdById,
    contentUrl: `/api/assets/${row.id}/content`,
    thumbnailUrl: row.thumbnailKey ? `/api/assets/${row.id}/thumbnail` : null,
  }
}

// ---- uploads ----

/** One file of the request, stored and inspected, not yet recorded. */
interface StagedFile {
  index: number
  fieldName: string
  originalName: string
  type: MediaType
  storageKey: string
  thumbnailKey: string | null
  byteSize: number
  sha256: string
  width: number | null
  height: number | null
  durationMs: number | null
}

export interface IngestedAsset {
  /** The multipart field the file came in (e.g. "files", or "draft"/"thumbnail" for a card draft). */
  fieldName: string
  /** The file's position among the request's files, from 0. */
  index: number
  /** The recorded row: new, or the workspace's existing file with the same bytes when `duplicate`. */
  file: StoredFile
  duplicate: boolean
}

export interface IngestOptions {
  workspaceId: string
  user: AuthUser
  /** File fields accepted (others are refused with 400 FILE_FIELD_UNKNOWN); any field when unset. */
  fileFields?: readonly string[]
  /** At most this many files (never more than limits.maxFiles). */
  maxFiles?: number
  /**
   * Runs inside the transaction that records the files, after they are recorded, with the request's form
   * fields: whatever it writes commits with them, and whatever it throws undoes the whole upload (rows and
   * stored objects). A card draft attaches its files to the card here.
   */
  withinTransaction?: (tx: TenantTransaction, upload: { assets: IngestedAsset[]; fields: Map<string, string> }) => Promise<void>
}

const uploadRefusal = {
  notMultipart: () => new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the files as multipart/form-data.'),
  noFiles: () => new ApiError(400, 'NO_FILES', 'The upload has no files: attach at least one image or video.'),
  tooMany: (maxFiles: number) =>
    new ApiError(413, 'TOO_MANY_FILES', `Send at most ${maxFiles} file${maxFiles === 1 ? '' : 's'} per upload. Nothing was uploaded.`, [
      { path: `/files/${maxFiles}`, message: `more than ${maxFiles} files` },
    ]),
  fieldUnknown: (index: number, field: string, allowed: readonly string[]) =>
    new ApiError(400, 'FILE_FIELD_UNKNOWN', `Send files in the field${allowed.length === 1 ? '' : 's'} ${allowed.map((name) => `"${name}"`).join(', ')} (got "${field.slice(0, 40)}"). Nothing was uploaded.`, [
      { path: `/files/${index}`, message: `unknown file field "${field.slice(0, 40)}"` },
    ]),
  malformed: (why?: string) => new ApiError(400, 'MALFORMED_MULTIPART', `The multipart body could not be read${why ? `: ${why}` : ''}. Nothing was uploaded.`),
}

function fileRefusal(status: number, code: string, index: number, name: string, why: string): ApiError {
  return new ApiError(status, code, `“${name}”: ${why} Nothing was uploaded.`, [{ path: `/files/${index}`, message: `${name}: ${why}` }])
}

function mediaRefusal(error: MediaRejectedError, index: number, name: string): ApiError {
  switch (error.reason) {
    case 'empty':
      return fileRefusal(400, 'EMPTY_FILE', index, name, error.message)
    case 'unsupported_type':
      return fileRefusal(415, 'UNSUPPORTED_FILE_TYPE', index, name, error.message)
    case 'too_many_pixels':
      return fileRefusal(400, 'IMAGE_DIMENSIONS_TOO_LARGE', index, name, error.message)
    case 'unreadable':
      return fileRefusal(400, 'UNREADABLE_MEDIA', index, name, error.message)
  }
}

const tooLarge = (index: number, name: string, maxBytes: number) =>
  fileRefusal(413, 'FILE_TOO_LARGE', index, name, `The file is larger than ${formatBytes(maxBytes)}.`)

/** 52428800 → "50 MB", 262144 → "256 KB": limits as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MB`
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`
  return `${bytes} bytes`
}

/** @fastify/multipart's and busboy's failures while reading the body, as our answers. */
function multipartRefusal(error: unknown, maxFiles: number): ApiError | null {
  const code = (error as { code?: string }).code
  switch (code) {
    case 'FST_FILES_LIMIT':
      return uploadRefusal.tooMany(maxFiles)
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return uploadRefusal.malformed('it has more parts or form fields than an upload takes')
    case 'FST_PROTO_VIOLATION':
    case 'FST_INVALID_JSON_FIELD_ERROR':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return uploadRefusal.malformed()
    case 'FST_MP_PREMATURE_CLOSE':
      return uploadRefusal.malformed('the connection closed before the upload was complete')
  }
  // busboy's own parse errors carry no code, only these messages.
  if (error instanceof Error && !code && /^(Unexpected end of (multipart data|form)|Multipart: Boundary not found|Malformed part header|\w+ terminated early)/.test(error.message)) {
    return uploadRefusal.malformed(error.message)
  }
  return null
}

/** A file name fit to show and to send back in Content-Disposition: no path, no control characters. */
export function cleanFileName(name: string | undefined, fallback: string): string {
  const base = (name ?? '').split(/[/\\]/).at(-1)!.replace(/\p{Cc}/gu, '').trim().slice(0, 200)
  return base === '' ? fallback : base
}

/** Reads an iterator to its end: a refused file's remaining bytes, so the next part (and the answer) follow. */
async function drain(reader: AsyncIterator<unknown>): Promise<void> {
  for (;;) if ((await reader.next()).done) return
}

async function removeObjects(storage: FileStorage, keys: (string | null)[], log?: FastifyBaseLogger): Promise<void> {
  await Promise.all(
    keys
      .filter((key): key is string => key !== null)
      .map((key) =>
        storage.delete(key).catch((error: unknown) => {
          log?.error({ err: error, storageKey: key }, 'could not remove a stored upload; the object is orphaned')
        }),
      ),
  )
}

/**
 * Streams one multipart file into storage through the media inspector, then stores its thumbnail. Refusals
 * are ApiErrors naming the file; whatever this call stored is removed again before it throws.
 */
async function stageFile(deps: AssetDeps, part: MultipartFile, index: number, keyPrefix: string): Promise<StagedFile> {
  const { storage, limits } = deps
  const name = cleanFileName(part.filename, `file-${index + 1}`)
  // Iterated by hand and never returned early: ending the part's iterator would end the whole request's.
  const reader = part.file[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const head: Buffer[] = []
  let headBytes = 0
  let ended = false
  while (headBytes < MEDIA_SNIFF_BYTES) {
    const next = await reader.next()
    if (next.done) {
      ended = true
      break
    }
    head.push(next.value)
    headBytes += next.value.length
  }
  const refuse = async (error: ApiError): Promise<never> => {
    if (!ended) await drain(reader)
    throw error
  }

  let type: MediaType
  try {
    type = await detectMediaType(Buffer.concat(head))
  } catch (error) {
    if (error instanceof MediaRejectedError) return refuse(mediaRefusal(error, index, name))
    throw error
  }
  const inspector = await createMediaInspector(type)
  const storageKey = `${keyPrefix}/${randomUUID()}.${type.extension}`
  const body = (async function* () {
    for (const chunk of head) {
      inspector.write(chunk)
      yield chunk
    }
    while (!ended) {
      const next = await reader.next()
      if (next.done) {
        ended = true
        return
      }
      inspector.write(next.value)
      yield next.value
    }
  })()

  let stored
  try {
    stored = await storage.put(storageKey, body, { maxBytes: limits.maxFileBytes, contentType: type.mimeType })
  } catch (error) {
    inspector.abort()
    if (error instanceof FileTooLargeError) return refuse(tooLarge(index, name, limits.maxFileBytes))
    throw error
  }
  // The multipart parser cuts a file at its own limit; a cut file is too large even if the cut fits.
  if (part.file.truncated) {
    await removeObjects(storage, [storageKey], deps.log)
    throw tooLarge(index, name, limits.maxFileBytes)
  }

  let media
  try {
    media = await inspector.finish()
  } catch (error) {
    await removeObjects(storage, [storageKey], deps.log)
    if (error instanceof MediaRejectedError) throw mediaRefusal(error, index, name)
    throw error
  }

  let thumbnailKey: string | null = null
  if (media.thumbnail) {
    thumbnailKey = storageKey.replace(/\.[a-z0-9]+$/, '.thumb.jpg')
    try {
      await storage.put(thumbnailKey, Readable.from([media.thumbnail]), { maxBytes: media.thumbnail.length, contentType: 'image/jpeg' })
    } catch (error) {
      await removeObjects(storage, [storageKey, thumbnailKey], deps.log)
      throw error
    }
  }
  return {
    index,
    fieldName: part.fieldname,
    originalName: name,
    type,
    storageKey,
    thumbnailKey,
    byteSize: stored.byteSize,
    sha256: stored.sha256,
    width: media.width,
    height: media.height,
    durationMs: media.durationMs,
  }
}

/** Locks the workspace row for the transaction (serialising uploads into it) and refuses an archived one. */
async function lockWorkspaceForUpload(tx: TenantTransaction, agencyId: string, workspaceId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ name: string; archivedAt: Date | null }[]>`
    SELECT name, "archivedAt" FROM "Workspace" WHERE id = ${workspaceId}::uuid AND "agencyId" = ${agencyId}::uuid FOR UPDATE`
  const row = rows[0]
  if (!row) throw notFound('Workspace')
  if (row.archivedAt) throw new ApiError(409, 'WORKSPACE_ARCHIVED', `“${row.name}” is archived: unarchive it before uploading to it.`)
}

/**
 * Takes every file of a multipart request into a workspace, all or nothing, and records them as StoredFile
 * rows (kind, type, size, SHA-256, dimensions, duration, thumbnail, uploader). A file whose bytes the
 * workspace already has is not stored twice: the existing row comes back with `duplicate: true` (for a user
 * who cannot browse the library, only their own earlier uploads count). Refusals are ApiErrors whose
 * details name the file (`/files/<index>`, its name): 400 EMPTY_FILE, UNREADABLE_MEDIA, NO_FILES,
 * MALFORMED_MULTIPART; 413 FILE_TOO_LARGE, TOO_MANY_FILES; 415 UNSUPPORTED_FILE_TYPE, UNSUPPORTED_MEDIA_TYPE;
 * 404 / 409 WORKSPACE_ARCHIVED for the workspace. After any refusal or failure nothing of the request remains.
 * The route must have registered @fastify/multipart with uploadMultipartOptions(limits).
 */
export async function ingestUploads(
  deps: AssetDeps,
  request: FastifyRequest,
  options: IngestOptions,
): Promise<{ assets: IngestedAsset[]; fields: Map<string, string> }> {
  const { db, storage, limits, log } = deps
  const { workspaceId, user } = options
  const maxFiles = Math.min(options.maxFiles ?? limits.maxFiles, limits.maxFiles)
  // Checked before a byte is read, so a refused upload costs no storage.
  assertNotArchived(await findWorkspace(db, workspaceId))
  if (!request.isMultipart()) throw uploadRefusal.notMultipart()

  const keyPrefix = `agencies/${user.agency.id}/workspaces/${workspaceId}/assets`
  const staged: StagedFile[] = []
  const fields = new Map<string, string>()
  const storedKeys = () => staged.flatMap((file) => [file.storageKey, file.thumbnailKey])
  let refusal: ApiError | null = null
  let fileCount = 0
  try {
    for await (const part of request.parts() as AsyncIterableIterator<Multipart>) {
      if (part.type === 'field') {
        fields.set(part.fieldname, String(part.value))
        continue
      }
      // A file input left empty arrives as a part with no file name and no bytes: nothing was chosen, so
      // it is not a file (a named file with no bytes still is, and is refused as empty).
      if (!part.filename) {
        await drain(part.file[Symbol.asyncIterator]())
        continue
      }
      const index = fileCount++
      if (!refusal && index >= maxFiles) refusal = uploadRefusal.tooMany(maxFiles)
      if (!refusal && options.fileFields && !options.fileFields.includes(part.fieldname)) {
        refusal = uploadRefusal.fieldUnknown(index, part.fieldname, options.fileFields)
      }
      if (refusal) {
        // After the first refusal the rest is only read through, so the client gets the answer.
        await drain(part.file[Symbol.asyncIterator]())
        continue
      }
      try {
        staged.push(await stageFile(deps, part, index, keyPrefix))
      } catch (error) {
        if (!(error instanceof ApiError)) throw error
        refusal = error
      }
    }
  } catch (error) {
    await removeObjects(storage, storedKeys(), log)
    throw refusal ?? multipartRefusal(error, maxFiles) ?? error
  }
  if (refusal || staged.length === 0) {
    await removeObjects(storage, storedKeys(), log)
    throw refusal ?? uploadRefusal.noFiles()
  }

  const ownUploadsOnly = !can(user.role, 'asset.read')
  let assets: IngestedAsset[]
  try {
    assets = await db.$transaction(async (tx) => {
      await lockWorkspaceForUpload(tx, user.agency.id, workspaceId)
      const recorded: IngestedAsset[] = []
      for (const file of staged) {
        const existing = await tx.storedFile.findFirst({
          where: { workspaceId, sha256: file.sha256, ...(ownUploadsOnly ? { createdById: user.id } : {}) },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        })
        const row =
          existing ??
          (await tx.storedFile.create({
            data: {
              agencyId: user.agency.id,
              workspaceId,
              storageKey: file.storageKey,
              originalName: file.originalName,
              mimeType: file.type.mimeType,
              kind: file.type.kind,
              byteSize: file.byteSize,
              sha256: file.sha256,
              width: file.width,
              height: file.height,
              durationMs: file.durationMs,
              thumbnailKey: file.thumbnailKey,
              createdById: user.id,
            },
          }))
        recorded.push({ fieldName: file.fieldName, index: file.index, file: row, duplicate: existing !== null })
      }
      await options.withinTransaction?.(tx, { assets: recorded, fields })
      return recorded
    })
  } catch (error) {
    await removeObjects(storage, storedKeys(), log)
    throw error
  }
  // A duplicate's bytes were stored before they could be recognised; the existing row keeps its own.
  const duplicates = staged.filter((file) => assets.some((asset) => asset.index === file.index && asset.duplicate))
  await removeObjects(storage, duplicates.flatMap((file) => [file.storageKey, file.thumbnailKey]), log)
  return { assets, fields }
}

// ---- the library ----

const DEFAULT_PAGE = 50

// A cursor is the last asset's creation time and id: the next page starts strictly after them.
function encodeCursor(row: StoredFile): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`, 'utf8').toString('base64url')
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [time = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const createdAt = new Date(time)
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new ApiError(400, 'CURSOR_INVALID', 'The cursor is not one this list gave out: load the first page again.', [{ path: '/cursor', message: 'is not a cursor of this list' }])
  }
  return { createdAt, id }
}

/** A workspace's assets, newest first, a page at a time. */
export async function listAssets(
  db: TenantDatabase,
  workspaceId: string,
  query: { kind?: AssetKind | undefined; cursor?: string | undefined; limit?: string | undefined },
): Promise<{ assets: Asset[]; nextCursor: string | null }> {
  await findWorkspace(db, workspaceId)
  const limit = query.limit ? Number(query.limit) : DEFAULT_PAGE
  const after = query.cursor ? decodeCursor(query.cursor) : undefined
  const rows = await db.storedFile.findMany({
    where: {
      workspaceId,
      ...(query.kind ? { kind: query.kind } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  })
  const page = rows.slice(0, limit)
  return { assets: page.map(toAssetDto), nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null }
}

/**
 * An asset the user may see. Whoever may browse the library (asset.read) sees every asset of the agency;
 * anyone else (creators) only what they uploaded and what is attached to cards assigned to their creator
 * profile. Anything else, and another agency's asset, is not found.
 */
export async function findReadableAsset(db: TenantDatabase, user: AuthUser, id: string): Promise<StoredFile> {
  const file = await db.storedFile.findUnique({ where: { id } })
  // Brand-kit logos are stored files too, but not assets: they have no workspace of their own.
  if (!file || !file.workspaceId) throw notFound('Asset')
  if (can(user.role, 'asset.read') || file.createdById === user.id) return file
  const creator = await db.creator.findFirst({ where: { userId: user.id }, select: { id: true } })
  const onOwnCard = creator ? await db.cardAsset.count({ where: { fileId: id, card: { assigneeCreatorId: creator.id } } }) : 0
  if (onOwnCard === 0) throw notFound('Asset')
  return file
}

/** Deletes an asset no card and no brand-kit version uses: the row first, then its stored bytes. */
export async function deleteAsset(deps: Pick<AssetDeps, 'db' | 'storage' | 'log'>, user: AuthUser, id: string): Promise<void> {
  const keys = await deps.db.$transaction(async (tx) => {
    // The row lock makes an attachment being added at this moment wait, then fail on the missing row.
    const rows = await tx.$queryRaw<{ storageKey: string; thumbnailKey: string | null; workspaceId: string | null; createdById: string | null }[]>`
      SELECT "storageKey", "thumbnailKey", "workspaceId", "createdById" FROM "StoredFile"
      WHERE id = ${id}::uuid AND "agencyId" = ${user.agency.id}::uuid FOR UPDATE`
    const row = rows[0]
    if (!row || !row.workspaceId || (!can(user.role, 'asset.read') && row.createdById !== user.id)) throw notFound('Asset')
    const workspace = await tx.workspace.findUnique({ where: { id: row.workspaceId } })
    if (!workspace) throw notFound('Asset')
    assertNotArchived(workspace)
    const cards = await tx.cardAsset.count({ where: { fileId: id } })
    const kits = await tx.brandKitVersion.count({ where: { logoFileId: id } })
    // A moodboard reference in a brief names the file inside its JSON list of references.
    const [referenced] = await tx.$queryRaw<{ briefs: number }[]>`
      SELECT count(*)::int AS briefs FROM "Campaign"
      WHERE "agencyId" = ${user.agency.id}::uuid AND "references" @> ${JSON.stringify([{ kind: 'upload', fileId: id }])}::jsonb`
    const briefs = referenced?.briefs ?? 0
    if (cards > 0 || kits > 0 || briefs > 0) {
      const uses = [
        cards > 0 ? `${cards} card${cards === 1 ? '' : 's'}` : null,
        kits > 0 ? `${kits} brand-kit version${kits === 1 ? '' : 's'}` : null,
        briefs > 0 ? `${briefs} campaign brief${briefs === 1 ? '' : 's'} (as a moodboard reference)` : null,
      ].filter(Boolean).join(' and ')
      throw new ApiError(409, 'ASSET_IN_USE', `This asset is used by ${uses}: remove it from them first.`)
    }
    await tx.storedFile.delete({ where: { id } })
    return [row.storageKey, row.thumbnailKey]
  })
  await removeObjects(deps.storage, keys, deps.log)
}

// ---- serving bytes ----

/**
 * The byte range an HTTP Range header asks of a file of `size` bytes: null for the whole file (no header,
 * or one this server does not honour, such as several ranges), 'unsatisfiable' for a range past the end.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) return null
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return null
  if (match[1] === '') {
    const suffix = Number(match[2])
    if (suffix === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(size - suffix, 0), end: size - 1 }
  }
  const start = Number(match[1])
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  if (start >= size || end < start) return 'unsatisfiable'
  return { start, end }
}

export async function openStoredObject(storage: FileStorage, key: string, range?: ByteRange): Promise<Readable> {
  try {
    return await storage.get(key, range)
  } catch (error) {
    if (error instanceof StoredObjectMissingError) {
      throw new ApiError(404, 'NOT_FOUND', 'The file is missing from storage.', undefined, { cause: error })
    }
    throw error
  }
}

/** Content-Disposition for showing a file inline under its uploaded name (ASCII fallback plus RFC 5987 form). */
export function inlineDisposition(name: string): string {
  const fallback = name.replace(/[^A-Za-z0-9._ -]/g, '_')
  return `inline; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`
}
