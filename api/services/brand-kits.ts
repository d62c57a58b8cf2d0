// Brand kits: append-only versions per workspace. Every edit writes the next version inside a transaction
// that locks the workspace row, so two editors never get the same version number and an edit made on an
// older version is refused (409) rather than silently overwriting the newer one. Logos are stored files
// (platform/storage.ts) whose type is decided by their bytes, never by their name.
import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import { fileTypeFromBuffer } from 'file-type'
import { imageSize } from 'image-size'
import { BRAND_KIT_LIMITS, brandKitIssues, normaliseBrandKit, type BrandColor, type BrandKitContent, type FieldIssue, type LogoPosition, type SocialPlatform } from '../../domain/brand-kit'
import { Prisma, type BrandKitVersion as BrandKitVersionRow, type StoredFile } from '../../generated/prisma/client'
import type { Database } from '../../platform/database'
import { FileTooLargeError, StoredObjectMissingError, type FileStorage } from '../../platform/storage'
import type { TenantDatabase } from '../../platform/tenant-scope'
import { ApiError, notFound } from '../errors'
import { BRAND_KIT_FIELDS, type BrandKit, type BrandKitField, type BrandKitVersionSummary } from '../schemas/workspace'
import type { AuthUser } from '../types'

type AnyDatabase = Database | TenantDatabase | Prisma.TransactionClient
type VersionWithLogo = BrandKitVersionRow & { logoFile: StoredFile | null }

/** What a later step (AI generation) records and uses: the exact version row and its content. */
export interface CurrentBrandKit {
  /** The BrandKitVersion row id: record it with whatever was generated from this kit. */
  id: string
  workspaceId: string
  version: number
  content: BrandKitContent
  logoFileId: string | null
}

export function brandKitContentOf(row: BrandKitVersionRow): BrandKitContent {
  return {
    // Rebuilt in a fixed key order: jsonb returns object keys in its own order.
    colors: (row.colors as unknown as BrandColor[]).map((color) => ({ name: color.name, hex: color.hex })),
    headingFont: row.headingFont,
    bodyFont: row.bodyFont,
    logoPosition: row.logoPosition as LogoPosition,
    voicePrompt: row.voicePrompt,
    personality: row.personality,
    targetAudience: row.targetAudience,
    toneAndStyle: row.toneAndStyle,
    preferredPhrases: row.preferredPhrases,
    forbiddenPhrases: row.forbiddenPhrases,
    defaultHashtags: row.defaultHashtags,
    targetPlatforms: row.targetPlatforms as SocialPlatform[],
  }
}

/**
 * The current (highest) brand-kit version of a workspace. Pass an agency-scoped client (or check the
 * workspace's agency first): a plain client finds any agency's kit.
 */
export async function currentBrandKit(db: AnyDatabase, workspaceId: string): Promise<CurrentBrandKit> {
  const row = await (db as Database).brandKitVersion.findFirst({ where: { workspaceId }, orderBy: { version: 'desc' } })
  if (!row) throw notFound('Brand kit')
  return { id: row.id, workspaceId: row.workspaceId, version: row.version, content: brandKitContentOf(row), logoFileId: row.logoFileId }
}

/** The create input of one version row. */
export function brandKitVersionData(
  meta: { agencyId: string; workspaceId: string; version: number; createdById: string | null },
  content: BrandKitContent,
  logoFileId: string | null,
): Prisma.BrandKitVersionUncheckedCreateInput {
  return {
    ...meta,
    colors: content.colors.map((color) => ({ name: color.name, hex: color.hex })),
    headingFont: content.headingFont,
    bodyFont: content.bodyFont,
    logoFileId,
    logoPosition: content.logoPosition,
    voicePrompt: content.voicePrompt,
    personality: content.personality,
    targetAudience: content.targetAudience,
    toneAndStyle: content.toneAndStyle,
    preferredPhrases: content.preferredPhrases,
    forbiddenPhrases: content.forbiddenPhrases,
    defaultHashtags: content.defaultHashtags,
    targetPlatforms: content.targetPlatforms,
  }
}

type Person = { id: string; name: string } | null

/** Names of the members who made versions; a member who has left shows as null. */
async function peopleById(db: TenantDatabase, ids: (string | null)[]): Promise<Map<string, Person>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))]
  if (wanted.length === 0) return new Map()
  const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } })
  return new Map(users.map((user) => [user.id, { id: user.id, name: user.name }]))
}

export function toBrandKitDto(row: VersionWithLogo, createdBy: Person): BrandKit {
  const file = row.logoFile
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    createdBy,
    ...brandKitContentOf(row),
    logo: file
      ? {
          id: file.id,
          originalName: file.originalName,
          mimeType: file.mimeType,
          byteSize: file.byteSize,
          sha256: file.sha256,
          width: file.width,
          height: file.height,
        }
      : null,
  }
}

async function dtoOf(db: TenantDatabase, row: VersionWithLogo): Promise<BrandKit> {
  const people = await peopleById(db, [row.createdById])
  return toBrandKitDto(row, people.get(row.createdById ?? '') ?? null)
}

async function findVersion(db: TenantDatabase, workspaceId: string, version?: number): Promise<VersionWithLogo> {
  const row = await db.brandKitVersion.findFirst({
    where: { workspaceId, ...(version === undefined ? {} : { version }) },
    orderBy: { version: 'desc' },
    include: { logoFile: true },
  })
  if (!row) {
    // Tell "no such workspace" from "no such version" (another agency's workspace is no such workspace).
    if (!(await db.workspace.findUnique({ where: { id: workspaceId }, select: { id: true } }))) throw notFound('Workspace')
    throw version === undefined ? notFound('Brand kit') : notFound(`Brand kit version ${version}`)
  }
  return row
}

export async function getBrandKit(db: TenantDatabase, workspaceId: string, version?: number): Promise<BrandKit> {
  return dtoOf(db, await findVersion(db, workspaceId, version))
}

const FIELD_LABELS: Record<BrandKitField, string> = {
  colors: 'colors',
  headingFont: 'heading font',
  bodyFont: 'body font',
  logo: 'logo',
  logoPosition: 'logo position',
  voicePrompt: 'voice prompt',
  personality: 'personality',
  targetAudience: 'target audience',
  toneAndStyle: 'tone and style',
  preferredPhrases: 'preferred phrases',
  forbiddenPhrases: 'forbidden phrases',
  defaultHashtags: 'default hashtags',
  targetPlatforms: 'target platforms',
}

const CONTENT_FIELDS = BRAND_KIT_FIELDS.filter((field): field is Exclude<BrandKitField, 'logo'> => field !== 'logo')

export function sameBrandKitContent(a: BrandKitContent, b: BrandKitContent): boolean {
  return CONTENT_FIELDS.every((field) => JSON.stringify(a[field]) === JSON.stringify(b[field]))
}

export function changedBrandKitFields(before: BrandKitVersionRow, after: BrandKitVersionRow): BrandKitField[] {
  const a = brandKitContentOf(before)
  const b = brandKitContentOf(after)
  return BRAND_KIT_FIELDS.filter((field) =>
    field === 'logo' ? before.logoFileId !== after.logoFileId : JSON.stringify(a[field]) !== JSON.stringify(b[field]),
  )
}

function listInWords(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`
}

export function describeChange(fields: BrandKitField[], after: BrandKitVersionRow): string {
  if (fields.length === 1 && fields[0] === 'logo') return after.logoFileId ? 'Uploaded a new logo' : 'Removed the logo'
  if (fields.length === 0) return 'No changes'
  const words = fields.map((field) => FIELD_LABELS[field])
  const sentence = `Changed ${listInWords(words)}`
  return fields.includes('logo') && !after.logoFileId ? `${sentence} (logo removed)` : sentence
}

const HISTORY_LIMIT = 100

/** The newest versions first, each with who made it and what it changed from the version before. */
export async function listBrandKitVersions(db: TenantDatabase, workspaceId: string): Promise<BrandKitVersionSummary[]> {
  // One more than shown: the oldest version shown needs its predecessor to say what it changed.
  const rows = await db.brandKitVersion.findMany({ where: { workspaceId }, orderBy: { version: 'desc' }, take: HISTORY_LIMIT + 1 })
  if (rows.length === 0) throw notFound('Workspace')
  const people = await peopleById(db, rows.map((row) => row.createdById))
  return rows.slice(0, HISTORY_LIMIT).map((row, i) => {
    const before = rows[i + 1]
    const changedFields = before ? changedBrandKitFields(before, row) : []
    return {
      version: row.version,
      createdAt: row.createdAt.toISOString(),
      createdBy: people.get(row.createdById ?? '') ?? null,
      changedFields,
      summary: before ? describeChange(changedFields, row) : row.version === 1 ? 'Created with the starter kit' : 'Earlier history not shown',
    }
  })
}

const PATH_LABELS: Record<string, string> = {
  colors: 'Colors',
  headingFont: 'Heading font',
  bodyFont: 'Body font',
  voicePrompt: 'Voice prompt',
  personality: 'Personality',
  targetAudience: 'Target audience',
  toneAndStyle: 'Tone and style',
  preferredPhrases: 'Preferred phrases',
  forbiddenPhrases: 'Forbidden phrases',
  defaultHashtags: 'Default hashtags',
  targetPlatforms: 'Target platforms',
}

/** "/colors/1/hex" → "Color 2 hex", for the one-sentence message above the per-field details. */
export function describeIssuePath(path: string): string {
  const [field = '', index, part] = path.split('/').slice(1)
  if (field === 'colors' && index !== undefined) return `Color ${Number(index) + 1}${part ? ` ${part}` : ''}`
  const label = PATH_LABELS[field] ?? field
  return index !== undefined ? `${label}, entry ${Number(index) + 1}` : label
}

export function brandKitValidationError(issues: FieldIssue[]): ApiError {
  const shown = issues.slice(0, 3).map((issue) => `${describeIssuePath(issue.path)}: ${issue.message}`)
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : ''
  return new ApiError(400, 'VALIDATION_FAILED', `The brand kit is not valid. ${shown.join('; ')}${more}.`, issues)
}

function versionConflict(baseVersion: number, current: number): ApiError {
  return new ApiError(
    409,
    'BRAND_KIT_VERSION_CONFLICT',
    `This edit was made on version ${baseVersion}, but version ${current} is now current (someone else saved in between). Reload to see their changes, then apply yours again.`,
    [{ path: '/baseVersion', message: `current version is ${current}` }],
  )
}

/** Serialises writers of one workspace's kit and refuses archived workspaces; another agency's is not found. */
async function lockWorkspace(tx: Prisma.TransactionClient, agencyId: string, workspaceId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ name: string; archivedAt: Date | null }[]>`
    SELECT name, "archivedAt" FROM "Workspace" WHERE id = ${workspaceId}::uuid AND "agencyId" = ${agencyId}::uuid FOR UPDATE`
  const row = rows[0]
  if (!row) throw notFound('Workspace')
  if (row.archivedAt) throw new ApiError(409, 'WORKSPACE_ARCHIVED', `“${row.name}” is archived: unarchive it before changing its brand kit.`)
}

type NextVersion = (tx: Prisma.TransactionClient, current: BrandKitVersionRow) => Promise<{ content: BrandKitContent; logoFileId: string | null } | null>

/**
 * Writes the version after the current one with what `next` returns (null: nothing changed, no version).
 * `baseVersion`, when given, must be the current version. The workspace row lock serialises writers; the
 * unique (workspaceId, version) constraint is the backstop, and losing on it is a conflict too.
 */
async function writeNextVersion(
  db: TenantDatabase,
  user: AuthUser,
  workspaceId: string,
  baseVersion: number | undefined,
  next: NextVersion,
): Promise<{ brandKit: BrandKit; created: boolean }> {
  let result: { row: VersionWithLogo; created: boolean }
  try {
    result = await db.$transaction(async (tenantTx) => {
      const tx = tenantTx as unknown as Prisma.TransactionClient
      await lockWorkspace(tx, user.agency.id, workspaceId)
      const current = await tx.brandKitVersion.findFirst({ where: { workspaceId, agencyId: user.agency.id }, orderBy: { version: 'desc' }, include: { logoFile: true } })
      if (!current) throw notFound('Brand kit')
      if (baseVersion !== undefined && baseVersion !== current.version) throw versionConflict(baseVersion, current.version)
      const change = await next(tx, current)
      if (!change) return { row: current, created: false }
      const row = await tx.brandKitVersion.create({
        data: brandKitVersionData({ agencyId: user.agency.id, workspaceId, version: current.version + 1, createdById: user.id }, change.content, change.logoFileId),
        include: { logoFile: true },
      })
      return { row, created: true }
    })
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ApiError(409, 'BRAND_KIT_VERSION_CONFLICT', 'Someone saved this brand kit at the same moment. Reload to see their version, then apply your change again.')
    }
    throw error
  }
  return { brandKit: await dtoOf(db, result.row), created: result.created }
}

/** Saves an edited kit as the next version; a kit equal to the current one writes nothing. */
export async function saveBrandKit(
  db: TenantDatabase,
  user: AuthUser,
  workspaceId: string,
  input: BrandKitContent & { baseVersion: number },
): Promise<{ brandKit: BrandKit; created: boolean }> {
  const { baseVersion, ...content } = input
  const issues = brandKitIssues(content)
  if (issues.length > 0) throw brandKitValidationError(issues)
  const normalised = normaliseBrandKit(content)
  return writeNextVersion(db, user, workspaceId, baseVersion, async (_tx, current) => {
    return sameBrandKitContent(brandKitContentOf(current), normalised) ? null : { content: normalised, logoFileId: current.logoFileId }
  })
}

/** A new version without the logo (older versions keep theirs). */
export async function removeBrandKitLogo(db: TenantDatabase, user: AuthUser, workspaceId: string, baseVersion?: number) {
  return writeNextVersion(db, user, workspaceId, baseVersion, async (_tx, current) =>
    current.logoFileId ? { content: brandKitContentOf(current), logoFileId: null } : null,
  )
}

// ---- Logo uploads ----

/** What a logo may be, decided from its bytes: the extension it is stored under. SVG is refused (it can carry script). */
export const LOGO_MIME_TYPES: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' }
/** Bytes read before anything is written: enough for file-type, and for image-size on PNG, WebP and most JPEGs. */
const LOGO_HEAD_BYTES = 64 * 1024
/** Larger images are refused: a logo never needs them, and a small file can decode to a huge bitmap. */
export const LOGO_MAX_PIXELS_PER_SIDE = 8000

export interface StoredLogo {
  storageKey: string
  originalName: string
  mimeType: string
  byteSize: number
  sha256: string
  width: number
  height: number
}

function measure(bytes: Uint8Array): { width: number; height: number } | null {
  try {
    // A copy with a buffer of its own: image-size reads through DataViews on the whole underlying buffer, so on
    // a pooled Buffer a truncated header would be completed with whatever bytes follow in the pool.
    const size = imageSize(new Uint8Array(bytes))
    if (!size.width || !size.height) return null
    // EXIF orientations 5–8 turn the picture a quarter: width and height as it is shown.
    return (size.orientation ?? 1) >= 5 ? { width: size.height, height: size.width } : { width: size.width, height: size.height }
  } catch {
    return null
  }
}

function cleanFileName(name: string, ext: string): string {
  const base = (name.split(/[/\\]/).at(-1) ?? '').replace(/\p{Cc}/gu, '').trim().slice(0, 200)
  return base === '' ? `logo.${ext}` : base
}

async function drain(reader: AsyncIterator<unknown>): Promise<void> {
  for (;;) if ((await reader.next()).done) return
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const uploadRefusals = {
  empty: () => new ApiError(400, 'EMPTY_FILE', 'The logo file is empty (0 bytes).'),
  type: () => new ApiError(415, 'UNSUPPORTED_FILE_TYPE', 'The logo must be a PNG, JPEG or WebP image (judged by its content, not its name; SVG is not accepted).'),
  tooLarge: () => new ApiError(413, 'FILE_TOO_LARGE', `The logo is larger than ${BRAND_KIT_LIMITS.logoBytes / 1024 / 1024} MB.`),
  unreadable: (kind: string) => new ApiError(400, 'UNREADABLE_IMAGE', `The file starts like a ${kind} image but its size cannot be read: it is damaged or incomplete.`),
  dimensions: (width: number, height: number) =>
    new ApiError(400, 'IMAGE_DIMENSIONS_TOO_LARGE', `The logo is ${width}×${height} pixels; at most ${LOGO_MAX_PIXELS_PER_SIDE} pixels per side.`),
}

/**
 * Stores an uploaded logo, or refuses it with nothing written. The type comes from the first bytes
 * (file-type), the size from the header (image-size); only then is anything stored, under the size limit,
 * with its SHA-256 computed on the way. The upload stream is read to its end either way, so the client
 * gets the answer rather than a reset connection.
 */
export async function storeLogoUpload(
  storage: FileStorage,
  agencyId: string,
  upload: { stream: Readable & { truncated?: boolean }; filename: string },
): Promise<StoredLogo> {
  const reader = upload.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const chunks: Buffer[] = []
  let headBytes = 0
  let ended = false
  while (headBytes < LOGO_HEAD_BYTES) {
    const next = await reader.next()
    if (next.done) {
      ended = true
      break
    }
    chunks.push(next.value)
    headBytes += next.value.length
  }
  const head = Buffer.concat(chunks)
  const refuse = async (error: ApiError): Promise<never> => {
    if (!ended) await drain(reader)
    throw error
  }

  if (head.length === 0) return refuse(uploadRefusals.empty())
  const detected = await fileTypeFromBuffer(head)
  const ext = detected ? LOGO_MIME_TYPES[detected.mime] : undefined
  if (!detected || !ext) return refuse(uploadRefusals.type())
  let size = measure(head)
  if (!size && ended) return refuse(uploadRefusals.unreadable(ext.toUpperCase()))
  if (size && Math.max(size.width, size.height) > LOGO_MAX_PIXELS_PER_SIDE) return refuse(uploadRefusals.dimensions(size.width, size.height))

  const storageKey = `agencies/${agencyId}/logos/${randomUUID()}.${ext}`
  const body = (async function* () {
    yield head
    if (ended) return
    for (;;) {
      const next = await reader.next()
      if (next.done) return
      yield next.value
    }
  })()
  let stored
  try {
    stored = await storage.put(storageKey, body, { maxBytes: BRAND_KIT_LIMITS.logoBytes })
  } catch (error) {
    if (error instanceof FileTooLargeError) return refuse(uploadRefusals.tooLarge())
    throw error
  }
  // The multipart parser cuts a file at its own limit; a cut file is too large even if the cut fits.
  if (upload.stream.truncated) {
    await storage.delete(storageKey)
    throw uploadRefusals.tooLarge()
  }
  if (!size) {
    // A JPEG whose dimensions sit behind large metadata: measure the whole stored file (at most the limit).
    size = measure(await readAll(await storage.get(storageKey)))
    const refusal = !size ? uploadRefusals.unreadable(ext.toUpperCase()) : Math.max(size.width, size.height) > LOGO_MAX_PIXELS_PER_SIDE ? uploadRefusals.dimensions(size.width, size.height) : null
    if (refusal || !size) {
      await storage.delete(storageKey)
      throw refusal ?? uploadRefusals.unreadable(ext.toUpperCase())
    }
  }
  return {
    storageKey,
    originalName: cleanFileName(upload.filename, ext),
    mimeType: detected.mime,
    byteSize: stored.byteSize,
    sha256: stored.sha256,
    width: size.width,
    height: size.height,
  }
}

/**
 * Records a stored logo (StoredFile row) and the kit version that uses it, in one transaction. When that
 * is refused (stale baseVersion, archived workspace) or fails, the stored bytes are removed again.
 */
export async function setBrandKitLogo(
  db: TenantDatabase,
  storage: FileStorage,
  user: AuthUser,
  workspaceId: string,
  logo: StoredLogo,
  baseVersion?: number,
): Promise<BrandKit> {
  try {
    const { brandKit } = await writeNextVersion(db, user, workspaceId, baseVersion, async (tx, current) => {
      const file = await tx.storedFile.create({ data: { ...logo, agencyId: user.agency.id, createdById: user.id } })
      return { content: brandKitContentOf(current), logoFileId: file.id }
    })
    return brandKit
  } catch (error) {
    await storage.delete(logo.storageKey)
    throw error
  }
}

/** The logo file of the current kit (or of `version`). */
export async function findBrandKitLogo(db: TenantDatabase, workspaceId: string, version?: number): Promise<StoredFile> {
  const row = await findVersion(db, workspaceId, version)
  if (!row.logoFile) throw new ApiError(404, 'NOT_FOUND', version === undefined ? 'This brand kit has no logo.' : `Brand kit version ${version} has no logo.`)
  return row.logoFile
}

export async function openStoredFile(storage: FileStorage, file: StoredFile): Promise<Readable> {
  try {
    return await storage.get(file.storageKey)
  } catch (error) {
    if (error instanceof StoredObjectMissingError) {
      throw new ApiError(404, 'NOT_FOUND', 'The logo file is missing from storage.', undefined, { cause: error })
    }
    throw error
  }
}
