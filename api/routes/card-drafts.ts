// A creator's draft onto a card: images or videos (and an optional thumbnail image) streamed through the same
// upload rules as the workspace library, with an optional caption, all committed together or not at all.
import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CARD_LIMITS } from '../../domain/content-board'
import { uploadLimits, type UploadLimits } from '../../platform/config'
import { ACCEPTED_MEDIA_LABELS } from '../../platform/media'
import type { FileStorage } from '../../platform/storage'
import { ApiError } from '../errors'
import { CardDetail } from '../schemas/board'
import { IdParams, errorResponses } from '../schemas/common'
import { formatBytes, ingestUploads, uploadMultipartOptions } from '../services/assets'
import { cardForDraft, getCardDetail, recordDraft, viewerOf } from '../services/cards'

/** Files in one draft: a few takes or a carousel, and a thumbnail. */
const DRAFT_MAX_FILES = 10

const cardDraftRoutes: FastifyPluginAsyncTypebox<{ storage: FileStorage; limits?: UploadLimits }> = async (app, options) => {
  const limits = options.limits ?? uploadLimits()
  await app.register(multipart, uploadMultipartOptions(limits))

  app.post(
    '/api/cards/:id/drafts',
    {
      config: { permission: 'card.draft' },
      schema: {
        summary: `Upload a draft onto a card (multipart: files in "draft", an optional image in "thumbnail", an optional "caption" and "baseCaptionVersion")`,
        description:
          `${ACCEPTED_MEDIA_LABELS} by content, at most ${Math.min(DRAFT_MAX_FILES, limits.maxFiles)} files of ${formatBytes(limits.maxFileBytes)} each. ` +
          'The files land in the workspace library and on the card; a caption becomes the next caption version. All or nothing: ' +
          '400 EMPTY_FILE, UNREADABLE_MEDIA, NO_FILES; 413 FILE_TOO_LARGE, TOO_MANY_FILES; 415 UNSUPPORTED_FILE_TYPE; 409 CAPTION_VERSION_CONFLICT.',
        tags: ['board'],
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 200: CardDetail, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const db = request.tenantDb
      const viewer = viewerOf(request.user!)
      const card = await cardForDraft(db, viewer, request.params.id)
      await ingestUploads({ db, storage: options.storage, limits, log: request.log }, request, {
        workspaceId: card.workspaceId,
        user: request.user!,
        fileFields: ['draft', 'thumbnail'],
        maxFiles: DRAFT_MAX_FILES,
        withinTransaction: async (tx, upload) => {
          const thumbnail = upload.assets.find((asset) => asset.fieldName === 'thumbnail')
          if (thumbnail && thumbnail.file.kind !== 'image') {
            throw new ApiError(400, 'THUMBNAIL_NOT_IMAGE', `“${thumbnail.file.originalName}” is a video: a thumbnail must be an image. Nothing was uploaded.`, [
              { path: `/files/${thumbnail.index}`, message: 'a thumbnail must be an image' },
            ])
          }
          const baseText = upload.fields.get('baseCaptionVersion')
          const base = baseText === undefined || baseText === '' ? null : Number(baseText)
          if (base !== null && !(Number.isInteger(base) && base >= 0)) {
            throw new ApiError(400, 'VALIDATION_FAILED', 'baseCaptionVersion must be a whole number.', [{ path: '/baseCaptionVersion', message: 'must be a whole number' }])
          }
          const caption = upload.fields.get('caption') ?? null
          if (caption !== null && caption.length > CARD_LIMITS.caption) {
            throw new ApiError(400, 'VALIDATION_FAILED', `The caption is longer than ${CARD_LIMITS.caption} characters.`, [{ path: '/caption', message: `is longer than ${CARD_LIMITS.caption} characters` }])
          }
          await recordDraft(tx, viewer, card.id, {
            files: upload.assets.map((asset) => ({ fileId: asset.file.id, name: asset.file.originalName, role: asset.fieldName === 'thumbnail' ? 'thumbnail' : 'draft' })),
            caption,
            baseCaptionVersion: base,
          })
        },
      })
      return getCardDetail(db, viewer, card.id)
    },
  )
}

export default cardDraftRoutes
