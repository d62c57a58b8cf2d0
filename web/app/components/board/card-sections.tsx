// The parts of the card drawer: details (editable by those who may), the caption and its versions, draft
// upload, assets, the moves the viewer may make, comments with @mentions, and the activity log.
import { useRef, useState } from 'react'
import { Form, useFetcher, useNavigation, type FetcherWithComponents } from 'react-router'
import { PLATFORM_LABELS } from '../../../../domain/brand-kit.ts'
import { BOARD_COLUMN_LABELS, CARD_LIMITS } from '../../../../domain/content-board.ts'
import { Badge } from '../badge'
import { Button } from '../button'
import { CsrfField } from '../csrf-field'
import { Field, SelectField, TextArea } from '../field'
import { FormError } from '../form-error'
import { useHydrated } from '../hydration'
import { LocalTime } from '../local-time'
import { DrawerSection } from './card-drawer'
import { DueDate, PlatformBadge, formatDuration } from './card-bits'
import { ThreadSummaryPanel } from './thread-summary'
import { moveActionLabel, splitMentions, webAssetUrl, type CardActionResult, type CardDetail, type CardIntent } from '~/lib/board'

function useSubmitting(intent: CardIntent): boolean {
  const navigation = useNavigation()
  if (navigation.state !== 'submitting') return false
  const submitted = navigation.formData?.get('intent') ?? new URL(navigation.formAction ?? '/', 'http://x').searchParams.get('intent')
  return submitted === intent
}

function failed<I extends CardIntent>(result: CardActionResult | undefined, intent: I): Extract<CardActionResult, { ok: false; intent: I }> | undefined {
  return result && !result.ok && result.intent === intent ? (result as Extract<CardActionResult, { ok: false; intent: I }>) : undefined
}

export function ActionNotice({ result }: { result: CardActionResult | undefined }) {
  if (!result?.ok) return null
  return (
    <p role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset" data-testid="card-notice">
      {result.notice}
    </p>
  )
}

// ---------------------------------------------------------------------------------------------------------

export function CardOverview({ detail }: { detail: CardDetail }) {
  const { card } = detail
  return (
    <div className="space-y-3" data-testid="card-overview">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone="emerald" data-testid="card-column">
          {BOARD_COLUMN_LABELS[card.column]}
        </Badge>
        <PlatformBadge platform={card.platform} />
        {card.kind && <span className="text-xs text-slate-500 capitalize">{card.kind}</span>}
        <span className="text-xs text-slate-500">· {card.campaignName}</span>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
        <div>
          <dt className="text-slate-500">Assignee</dt>
          <dd className="text-slate-800" data-testid="card-drawer-assignee">
            {card.assignee?.name ?? 'Unassigned'}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Due</dt>
          <dd className="text-slate-800">{card.dueDate && card.dueAt ? <DueDate dueDate={card.dueDate} dueAt={card.dueAt} column={card.column} /> : 'No due date'}</dd>
        </div>
        <div className="col-span-2">
          <dt className="text-slate-500">Target accounts</dt>
          <dd className="text-slate-800">
            {detail.targetAccounts.length === 0 ? (
              'None chosen yet'
            ) : (
              <ul className="flex flex-wrap gap-2">
                {detail.targetAccounts.map((account) => (
                  <li key={account.id} className="rounded-md bg-slate-100 px-2 py-0.5 text-xs">
                    @{account.handle} · {PLATFORM_LABELS[account.platform]}
                    {account.status !== 'active' && <span className="text-amber-700"> · {account.status.replace('_', ' ')}</span>}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      {detail.description && <p className="text-sm whitespace-pre-line text-slate-700">{detail.description}</p>}
    </div>
  )
}

// ---------------------------------------------------------------------------------------------------------

interface MoveButtonsProps {
  detail: CardDetail
  result: CardActionResult | undefined
  /** Set when the viewer is the card's assigned creator: their user id, to tell others' feedback from their own. */
  assignedCreatorUserId: string | null
}

/** The moves the viewer may make from here ("Submit for review", "Approve", …), each saved with the card's version. */
export function CardMoves({ detail, result, assignedCreatorUserId }: MoveButtonsProps) {
  const { card } = detail
  const busy = useSubmitting('move')
  const error = failed(result, 'move')
  if (card.allowedTargets.length === 0 && !error) return null
  const feedbackFor = assignedCreatorUserId !== null && card.column === 'Needs_Changes'
  const feedback = feedbackFor ? [...detail.comments].reverse().find((comment) => comment.authorUserId !== assignedCreatorUserId) : undefined
  return (
    <DrawerSection title="Next step" testId="card-moves">
      {feedbackFor && (
        <div className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset" data-testid="card-feedback">
          <p className="font-medium">Changes were requested.</p>
          <p className="mt-0.5">Answer the feedback in the comments, upload a new draft or caption, then resubmit.</p>
          {feedback && (
            <blockquote className="mt-2 border-l-2 border-amber-300 pl-2 text-amber-800">
              {feedback.authorName}: {feedback.body}
            </blockquote>
          )}
        </div>
      )}
      <Form method="post" preventScrollReset className="flex flex-wrap gap-2">
        <CsrfField />
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="version" value={card.version} />
        {card.allowedTargets.map((to, index) => (
          <Button key={to} type="submit" name="to" value={to} variant={index === 0 ? 'primary' : 'secondary'} disabled={busy} data-testid={`card-move-${to}`}>
            {moveActionLabel(card.column, to)}
          </Button>
        ))}
      </Form>
      <div className="mt-3">
        <FormError message={error?.error} />
      </div>
    </DrawerSection>
  )
}

// ---------------------------------------------------------------------------------------------------------

interface CardDetailsFormProps {
  detail: CardDetail
  creators: readonly { id: string; name: string }[]
  result: CardActionResult | undefined
}

/** Title, description, assignee and due date, saved with the card's version (a newer one answers a conflict). */
export function CardDetailsForm({ detail, creators, result }: CardDetailsFormProps) {
  const { card } = detail
  const busy = useSubmitting('update')
  const error = failed(result, 'update')
  const values = error?.values ?? {
    title: card.title,
    description: detail.description,
    assigneeCreatorId: card.assignee?.creatorId ?? '',
    due: card.dueDate ?? '',
  }
  // A new version starts the form from the saved card.
  return (
    <DrawerSection title="Details" testId="card-details-form">
      <Form method="post" preventScrollReset className="space-y-3" key={card.version}>
        <CsrfField />
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="version" value={card.version} />
        <Field label="Title" name="title" defaultValue={values.title} required maxLength={CARD_LIMITS.title} data-testid="card-title-input" />
        <TextArea label="Description" name="description" defaultValue={values.description} maxLength={CARD_LIMITS.description} rows={3} />
        <div className="grid gap-3 sm:grid-cols-2">
          <SelectField label="Assignee" name="assigneeCreatorId" defaultValue={values.assigneeCreatorId} data-testid="card-assignee-select">
            <option value="">Unassigned</option>
            {card.assignee && !creators.some((creator) => creator.id === card.assignee?.creatorId) && (
              <option value={card.assignee.creatorId}>{card.assignee.name}</option>
            )}
            {creators.map((creator) => (
              <option key={creator.id} value={creator.id}>
                {creator.name}
              </option>
            ))}
          </SelectField>
          <Field
            label="Due date"
            name="due"
            type="date"
            defaultValue={values.due}
            hint="The day ends at midnight in the campaign’s time zone."
            data-testid="card-due-input"
          />
        </div>
        <FormError message={error?.error} />
        <Button type="submit" disabled={busy} data-testid="card-save">
          {busy ? 'Saving…' : 'Save details'}
        </Button>
      </Form>
    </DrawerSection>
  )
}

// ---------------------------------------------------------------------------------------------------------

/** The current caption, a form for a new version (for those who may), and every earlier version. */
export function CaptionSection({ detail, result }: { detail: CardDetail; result: CardActionResult | undefined }) {
  const { card, captions } = detail
  const busy = useSubmitting('caption')
  const error = failed(result, 'caption')
  const current = captions[0]
  return (
    <DrawerSection
      title="Caption"
      testId="card-caption-section"
      aside={
        <span className="text-xs text-slate-500">
          {current ? `Version ${current.version}${current.source === 'ai' ? ` · ${current.createdBy ?? 'AI'}` : ''}` : 'No caption yet'}
        </span>
      }
    >
      {detail.can.caption ? (
        <Form method="post" preventScrollReset className="space-y-3" key={`caption:${card.captionVersion}`}>
          <CsrfField />
          <input type="hidden" name="intent" value="caption" />
          <input type="hidden" name="baseVersion" value={card.captionVersion} />
          <TextArea
            label={current ? 'Write a new version' : 'Write the caption'}
            name="text"
            rows={4}
            maxLength={CARD_LIMITS.caption}
            required
            defaultValue={error?.text ?? current?.text ?? ''}
            data-testid="caption-input"
          />
          <FormError message={error?.error} />
          <Button type="submit" disabled={busy} data-testid="caption-save">
            {busy ? 'Saving…' : current ? 'Save as new version' : 'Save caption'}
          </Button>
        </Form>
      ) : (
        <p className="text-sm whitespace-pre-line text-slate-700">{current?.text ?? 'No caption yet.'}</p>
      )}
      {captions.length > 0 && (
        <details className="mt-4" data-testid="caption-history">
          <summary className="cursor-pointer text-sm font-medium text-slate-600">History ({captions.length})</summary>
          <ol className="mt-2 space-y-3">
            {captions.map((caption) => (
              <li key={caption.version} className="border-l-2 border-slate-200 pl-3" data-testid="caption-version" data-version={caption.version}>
                <p className="text-xs text-slate-500">
                  Version {caption.version} · {caption.createdBy ?? 'Import'}
                  {caption.source === 'ai' ? '' : ` · ${caption.source}`} · <LocalTime iso={caption.createdAt} />
                </p>
                <p className="mt-1 text-sm whitespace-pre-line text-slate-700">{caption.text}</p>
              </li>
            ))}
          </ol>
        </details>
      )}
    </DrawerSection>
  )
}

// ---------------------------------------------------------------------------------------------------------

const ACCEPTED_MEDIA = 'image/jpeg,image/png,image/webp,video/mp4,video/quicktime'
const ACCEPTED_IMAGES = 'image/jpeg,image/png,image/webp'

/** Assets on the card (thumbnails, a badge on videos), and "Upload draft" for those who may add drafts. */
export function AssetsSection({ detail, uploadAction, result }: { detail: CardDetail; uploadAction: string; result: CardActionResult | undefined }) {
  // A fetcher, so the page address stays the drawer's; without JavaScript a plain post answers through `result`.
  // Held here, above the form that is replaced after each upload, so its answer outlives the form.
  const upload = useFetcher({ key: `card-draft-upload:${detail.card.id}` })
  const outcome = (upload.data as CardActionResult | undefined) ?? result
  const uploaded = outcome?.ok === true && outcome.intent === 'upload-draft' ? outcome.notice : undefined
  return (
    <DrawerSection title="Assets" testId="card-assets" aside={<span className="text-xs text-slate-500">{detail.assets.length}</span>}>
      {detail.assets.length === 0 ? (
        <p className="text-sm text-slate-500">No drafts or references yet.</p>
      ) : (
        <ul className="grid grid-cols-3 gap-3">
          {detail.assets.map((asset) => {
            const thumbnail = webAssetUrl(asset.thumbnailUrl)
            const content = webAssetUrl(asset.contentUrl)
            return (
              <li key={asset.fileId} className="space-y-1" data-testid="card-asset">
                <a href={content ?? undefined} target="_blank" rel="noreferrer" className="relative block aspect-square overflow-hidden rounded-md bg-slate-100 ring-1 ring-slate-200">
                  {thumbnail ? (
                    <img src={thumbnail} alt={asset.name} loading="lazy" className="size-full object-cover" />
                  ) : (
                    <span className="flex size-full items-center justify-center text-xs text-slate-500">{asset.kind}</span>
                  )}
                  {asset.kind === 'video' && (
                    <span className="absolute bottom-1 left-1 rounded bg-slate-900/80 px-1.5 py-0.5 text-[10px] font-semibold text-white" data-testid="video-badge">
                      ▶ Video{asset.durationMs !== null ? ` · ${formatDuration(asset.durationMs)}` : ''}
                    </span>
                  )}
                </a>
                <p className="truncate text-xs text-slate-700" title={asset.name}>
                  {asset.name}
                </p>
                <p className="text-[11px] text-slate-500 capitalize">{asset.role}</p>
              </li>
            )
          })}
        </ul>
      )}
      {detail.can.attach && (
        // A saved draft (new assets, maybe a new caption version) empties the form.
        <DraftUpload
          key={`${detail.card.captionVersion}:${detail.assets.length}`}
          fetcher={upload}
          action={uploadAction}
          captionVersion={detail.card.captionVersion}
          error={failed(outcome, 'upload-draft')?.error}
        />
      )}
      {uploaded && (
        <p role="status" className="mt-2 text-sm text-emerald-700" data-testid="draft-upload-notice">
          {uploaded}
        </p>
      )}
    </DrawerSection>
  )
}

const fileNames = (files: FileList | null) => [...(files ?? [])].map((file) => file.name)

/**
 * A draft for the card: images or videos, an optional thumbnail image and an optional caption (a new caption
 * version, refused as a conflict if someone saved one meanwhile). The form's first field is the CSRF token:
 * the web server reads only that much and streams the rest to the API. Files can be dropped on the zone.
 */
interface DraftUploadProps {
  fetcher: FetcherWithComponents<unknown>
  action: string
  captionVersion: number
  error: string | undefined
}

function DraftUpload({ fetcher, action, captionVersion, error }: DraftUploadProps) {
  const busy = fetcher.state !== 'idle'
  const draftInput = useRef<HTMLInputElement>(null)
  const thumbnailInput = useRef<HTMLInputElement>(null)
  const [chosen, setChosen] = useState<string[]>([])
  const [dragging, setDragging] = useState(false)

  function handleDrop(event: React.DragEvent) {
    event.preventDefault()
    setDragging(false)
    if (!draftInput.current || event.dataTransfer.files.length === 0) return
    draftInput.current.files = event.dataTransfer.files
    setChosen(fileNames(event.dataTransfer.files))
  }

  return (
    <fetcher.Form
      method="post"
      action={action}
      encType="multipart/form-data"
      preventScrollReset
      // A file input left empty still sends an empty file, which the API refuses: leave the optional one out.
      onSubmit={() => {
        const thumbnail = thumbnailInput.current
        if (!thumbnail || thumbnail.files?.length !== 0) return
        thumbnail.disabled = true
        // The form's data is taken during this event; after it the field is usable again.
        setTimeout(() => (thumbnail.disabled = false))
      }}
      className="mt-4 space-y-3 border-t border-slate-100 pt-4"
      data-testid="draft-upload"
    >
      {/* First in the form, so the web server finds it before the files. */}
      <CsrfField />
      <input type="hidden" name="baseCaptionVersion" value={captionVersion} />
      <h4 className="text-sm font-semibold text-slate-800">Upload draft</h4>
      <label
        onDragOver={(event) => {
          event.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={handleDrop}
        className={`flex cursor-pointer flex-col items-center justify-center gap-1 rounded-md border-2 border-dashed px-4 py-6 text-center text-sm ${
          dragging ? 'border-emerald-500 bg-emerald-50' : 'border-slate-300 bg-slate-50 hover:border-slate-400'
        }`}
        data-testid="draft-dropzone"
      >
        <span className="font-medium text-slate-700">Drop images or videos here, or choose files</span>
        <span className="text-xs text-slate-500">JPEG, PNG, WebP, MP4 or MOV</span>
        {chosen.length > 0 && <span className="text-xs text-emerald-700">{chosen.join(', ')}</span>}
        <input
          ref={draftInput}
          type="file"
          name="draft"
          accept={ACCEPTED_MEDIA}
          multiple
          required
          className="sr-only"
          onChange={(event) => setChosen(fileNames(event.currentTarget.files))}
          data-testid="draft-file-input"
        />
      </label>
      <div>
        <label htmlFor="draft-thumbnail" className="block text-sm font-medium text-slate-700">
          Thumbnail (optional image)
        </label>
        <input
          id="draft-thumbnail"
          ref={thumbnailInput}
          type="file"
          name="thumbnail"
          accept={ACCEPTED_IMAGES}
          className="mt-1 block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-200"
          data-testid="draft-thumbnail-input"
        />
      </div>
      <TextArea label="Caption (optional)" name="caption" rows={3} maxLength={CARD_LIMITS.caption} hint="Saved as the next caption version, with the draft." />
      <FormError message={error} />
      <Button type="submit" disabled={busy} data-testid="draft-upload-submit">
        {busy ? 'Uploading…' : 'Upload draft'}
      </Button>
    </fetcher.Form>
  )
}

// ---------------------------------------------------------------------------------------------------------

function CommentBody({ body, handles }: { body: string; handles: readonly string[] }) {
  return (
    <p className="mt-1 text-sm whitespace-pre-line text-slate-700">
      {splitMentions(body, handles).map((piece, index) =>
        piece.mention ? (
          <mark key={index} className="rounded bg-emerald-50 px-0.5 font-medium text-emerald-800" data-testid="comment-mention">
            {piece.text}
          </mark>
        ) : (
          <span key={index}>{piece.text}</span>
        ),
      )}
    </p>
  )
}

/**
 * Comments, oldest first, with @mentions highlighted; the form lists who can be mentioned. The thread's summary
 * covers the approval decisions too, so it is offered as soon as there are comments or decisions.
 */
export function CommentsSection({ detail, result, hasDecisions }: { detail: CardDetail; result: CardActionResult | undefined; hasDecisions: boolean }) {
  const busy = useSubmitting('comment')
  const error = failed(result, 'comment')
  const textarea = useRef<HTMLTextAreaElement>(null)
  const hydrated = useHydrated()
  const handles = detail.mentionable.map((member) => member.handle)

  function mention(handle: string) {
    const field = textarea.current
    if (!field) return
    const before = field.value.slice(0, field.selectionStart)
    const after = field.value.slice(field.selectionEnd)
    const insert = `${before && !/\s$/.test(before) ? ' ' : ''}@${handle} `
    field.value = `${before}${insert}${after}`
    field.focus()
    field.selectionStart = field.selectionEnd = before.length + insert.length
  }

  return (
    <DrawerSection title="Comments" testId="card-comments" aside={<span className="text-xs text-slate-500">{detail.comments.length}</span>}>
      {(detail.comments.length > 0 || hasDecisions) && <ThreadSummaryPanel cardId={detail.card.id} />}
      {detail.comments.length === 0 ? (
        <p className="text-sm text-slate-500">No comments yet.</p>
      ) : (
        <ol className="space-y-3">
          {detail.comments.map((comment) => (
            <li key={comment.id} data-testid="card-comment">
              <p className="text-xs text-slate-500">
                <span className="font-medium text-slate-700">{comment.authorName}</span> · <LocalTime iso={comment.createdAt} />
              </p>
              <CommentBody body={comment.body} handles={handles} />
            </li>
          ))}
        </ol>
      )}
      {detail.can.comment && (
        <Form method="post" preventScrollReset className="mt-4 space-y-2" key={`comment:${detail.comments.length}`}>
          <CsrfField />
          <input type="hidden" name="intent" value="comment" />
          <label htmlFor="card-comment-body" className="block text-sm font-medium text-slate-700">
            Add a comment
          </label>
          <textarea
            id="card-comment-body"
            ref={textarea}
            name="body"
            rows={3}
            maxLength={CARD_LIMITS.comment}
            required
            defaultValue={error?.text ?? ''}
            aria-describedby="card-comment-hint"
            className="block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-emerald-600 focus:outline-none"
            data-testid="comment-input"
          />
          {detail.mentionable.length > 0 && (
            <div id="card-comment-hint" className="flex flex-wrap items-center gap-1.5 text-xs text-slate-500" data-testid="mention-hints">
              <span>Mention:</span>
              {detail.mentionable.map((member) =>
                hydrated ? (
                  <button
                    key={member.userId}
                    type="button"
                    onClick={() => mention(member.handle)}
                    className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-700 hover:bg-emerald-50 hover:text-emerald-800"
                    title={member.name}
                  >
                    @{member.handle}
                  </button>
                ) : (
                  <span key={member.userId} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-700" title={member.name}>
                    @{member.handle}
                  </span>
                ),
              )}
            </div>
          )}
          <FormError message={error?.error} />
          <Button type="submit" variant="secondary" disabled={busy} data-testid="comment-submit">
            {busy ? 'Posting…' : 'Comment'}
          </Button>
        </Form>
      )}
    </DrawerSection>
  )
}

// ---------------------------------------------------------------------------------------------------------

export function ActivitySection({ detail }: { detail: CardDetail }) {
  return (
    <DrawerSection title="Activity" testId="card-activity">
      {detail.activity.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing yet.</p>
      ) : (
        <ol className="space-y-2 text-sm">
          {detail.activity.map((entry, index) => (
            <li key={`${entry.createdAt}:${index}`} className="flex flex-wrap gap-x-2 text-slate-700" data-testid="card-activity-entry">
              <span className="font-medium">{entry.actorLabel}</span>
              <span>{entry.summary}</span>
              <span className="text-xs text-slate-500">
                <LocalTime iso={entry.createdAt} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </DrawerSection>
  )
}
