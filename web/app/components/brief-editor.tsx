// The campaign brief: a plain form the action turns into PATCH /api/campaigns/:id (so it works without
// JavaScript), and the same brief read-only for roles that may not change it or briefs that no longer can.
import { useState } from 'react'
import { Form, Link, useNavigation } from 'react-router'
import { PLATFORM_LABELS, SOCIAL_PLATFORMS } from '../../../domain/brand-kit.ts'
import { BRIEF_LIMITS, CURRENCIES, CURRENCY_CODES, OBJECTIVES, OBJECTIVE_LABELS, isCurrencyCode } from '../../../domain/campaign-brief.ts'
import type { Campaign } from '~/lib/api.server'
import {
  blankReferenceRow,
  briefFieldAnchor,
  briefFormValues,
  withSpareReferenceRows,
  type BriefFormValues,
  type FormErrors,
  type ReferenceRow,
} from '~/routes/campaign-form'
import { assetFileUrl } from './asset-format'
import { formatBriefDates, formatBudget, formatPlatforms } from './brief-format'
import { Button } from './button'
import { CsrfField } from './csrf-field'
import { Field, SelectField, TextArea, controlRing } from './field'
import { FormError } from './form-error'
import { useHydrated } from './hydration'

/** A workspace asset a moodboard reference can point at. */
export interface AssetOption {
  id: string
  name: string
  kind: 'image' | 'video'
  hasThumbnail: boolean
}

const REFERENCE_KIND_LABELS: Record<string, string> = {
  link: 'Link',
  example_post: 'Example post',
  upload: 'Moodboard upload',
  idea: 'Idea',
}

const sectionClass = 'rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200'

interface BriefEditorProps {
  campaign: Campaign
  timeZones: string[]
  /** The workspace's assets for moodboard references; null when they could not be listed. */
  assets: AssetOption[] | null
  /** Launched briefs keep their schedule: it is shown, and sent back unchanged. */
  scheduleLocked: boolean
  /** Values and messages of a submission the action refused, shown again as they were. */
  rejected?: { values: BriefFormValues; errors: FormErrors } | undefined
}

export function BriefEditor({ campaign, timeZones, assets, scheduleLocked, rejected }: BriefEditorProps) {
  const hydrated = useHydrated()
  const navigation = useNavigation()
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save-brief'
  const initial = rejected?.values ?? briefFormValues(campaign)
  const errors = rejected?.errors ?? {}
  const [currency, setCurrency] = useState(initial.currency)
  const exponent = isCurrencyCode(currency) ? CURRENCIES[currency].exponent : 2

  return (
    <Form method="post" className={`${sectionClass} space-y-6`} data-testid="brief-editor">
      <CsrfField />
      <input type="hidden" name="intent" value="save-brief" />
      <div className="flex items-baseline justify-between gap-4">
        <h2 className="text-base font-semibold">Brief</h2>
        <span className="text-xs text-slate-500">{campaign.templateId ? `Started from the ${campaign.templateId} template` : 'Started blank'}</span>
      </div>

      <div className="grid gap-4 md:grid-cols-2">
        <div id={briefFieldAnchor('name')}>
          <Field label="Name" name="name" required maxLength={BRIEF_LIMITS.name} defaultValue={initial.name} error={errors.name} data-testid="brief-name" />
        </div>
        <div id={briefFieldAnchor('objective')}>
          <SelectField label="Objective" name="objective" defaultValue={initial.objective} error={errors.objective} data-testid="brief-objective">
            {OBJECTIVES.map((objective) => (
              <option key={objective} value={objective}>
                {OBJECTIVE_LABELS[objective]}
              </option>
            ))}
          </SelectField>
        </div>
        <div id={briefFieldAnchor('audience')} className="md:col-span-2">
          <TextArea
            label="Target audience"
            name="audience"
            maxLength={BRIEF_LIMITS.audience}
            defaultValue={initial.audience}
            error={errors.audience}
            hint="Who should see the content: age, place, habits, what makes them act."
            data-testid="brief-audience"
          />
        </div>
        <fieldset id={briefFieldAnchor('platforms')} className="md:col-span-2" aria-describedby={errors.platforms ? 'brief-platforms-error' : undefined}>
          <legend className="block text-sm font-medium text-slate-700">Platforms</legend>
          <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
            {SOCIAL_PLATFORMS.map((platform) => (
              <label key={platform} className="flex items-center gap-2 text-sm text-slate-700">
                <input
                  type="checkbox"
                  name="platforms"
                  value={platform}
                  defaultChecked={initial.platforms.includes(platform)}
                  className="size-4 rounded border-slate-300 accent-emerald-600"
                  data-testid={`brief-platform-${platform}`}
                />
                {PLATFORM_LABELS[platform]}
              </label>
            ))}
          </div>
          {errors.platforms && (
            <p id="brief-platforms-error" className="mt-1 text-sm text-red-600" data-testid="platforms-error">
              {errors.platforms}
            </p>
          )}
        </fieldset>
      </div>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">Schedule</legend>
        {scheduleLocked ? (
          <div id={briefFieldAnchor('startsAtLocal')} className="text-sm text-slate-700" data-testid="brief-schedule-locked">
            {/* Targets for readiness links that name the end or the zone. */}
            <span id={briefFieldAnchor('endsAtLocal')} />
            <span id={briefFieldAnchor('timeZone')} />
            <input type="hidden" name="startsAtLocal" value={initial.startsAtLocal} />
            <input type="hidden" name="endsAtLocal" value={initial.endsAtLocal} />
            <input type="hidden" name="timeZone" value={initial.timeZone} />
            {formatBriefDates(campaign)} ({campaign.timeZone})
            <p className="mt-1 text-slate-500">The campaign is running on this schedule: complete it and launch a new brief to change its dates.</p>
            <FormError message={errors.startsAtLocal ?? errors.endsAtLocal ?? errors.timeZone} />
          </div>
        ) : (
          <div className="grid gap-4 md:grid-cols-3">
            <div id={briefFieldAnchor('startsAtLocal')}>
              <Field label="Starts" name="startsAtLocal" type="datetime-local" defaultValue={initial.startsAtLocal} error={errors.startsAtLocal} data-testid="brief-starts" />
            </div>
            <div id={briefFieldAnchor('endsAtLocal')}>
              <Field label="Ends" name="endsAtLocal" type="datetime-local" defaultValue={initial.endsAtLocal} error={errors.endsAtLocal} data-testid="brief-ends" />
            </div>
            <div id={briefFieldAnchor('timeZone')}>
              <SelectField
                label="Time zone"
                name="timeZone"
                defaultValue={initial.timeZone}
                error={errors.timeZone}
                hint="Start and end are clock times in this zone."
                data-testid="brief-time-zone"
              >
                {timeZones.map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replaceAll('_', ' ')}
                  </option>
                ))}
              </SelectField>
            </div>
          </div>
        )}
      </fieldset>

      <fieldset className="grid gap-4 md:grid-cols-3">
        <legend className="mb-3 text-sm font-semibold text-slate-900">Budget and volume</legend>
        <div id={briefFieldAnchor('budget')}>
          <Field
            label="Budget"
            name="budget"
            inputMode="decimal"
            autoComplete="off"
            placeholder={exponent === 0 ? '2,500' : '2,500.00'}
            defaultValue={initial.budget}
            error={errors.budget}
            hint={errors.budget ? undefined : 'Leave empty while there is no budget yet.'}
            data-testid="brief-budget"
          />
        </div>
        <div id={briefFieldAnchor('currency')}>
          <SelectField
            label="Currency"
            name="currency"
            value={currency}
            onChange={(event) => setCurrency(event.target.value)}
            error={errors.currency}
            data-testid="brief-currency"
          >
            {CURRENCY_CODES.map((code) => (
              <option key={code} value={code}>
                {code} · {CURRENCIES[code].name}
              </option>
            ))}
          </SelectField>
        </div>
        <div id={briefFieldAnchor('contentVolume')}>
          <Field
            label="Content volume"
            name="contentVolume"
            type="number"
            min={BRIEF_LIMITS.minContentVolume}
            max={BRIEF_LIMITS.maxContentVolume}
            step={1}
            defaultValue={initial.contentVolume}
            error={errors.contentVolume}
            hint="Pieces of content in total."
            data-testid="brief-content-volume"
          />
        </div>
      </fieldset>

      <div id={briefFieldAnchor('keyMessages')}>
        <TextArea
          label="Key messages"
          name="keyMessages"
          rows={4}
          defaultValue={initial.keyMessages}
          error={errors.keyMessages}
          hint={`One per line, up to ${BRIEF_LIMITS.keyMessages}.`}
          data-testid="brief-key-messages"
        />
      </div>

      <ReferencesEditor key={hydrated ? 'live' : 'plain'} initial={initial.references} assets={assets} workspaceId={campaign.workspaceId} errors={errors} hydrated={hydrated} />

      <div className="flex flex-wrap items-center justify-end gap-4">
        <div className="mr-auto min-w-0 flex-1 empty:hidden">
          <FormError message={errors.form} />
        </div>
        <Button type="submit" disabled={saving} data-testid="save-brief">
          {saving ? 'Saving…' : 'Save brief'}
        </Button>
      </div>
    </Form>
  )
}

/**
 * Reference rows as parallel fields (referenceKind, referenceUrl, referenceFileId, referenceNote). Without
 * JavaScript every row shows all of them and blank rows at the end add references; with it, a row shows only
 * what its kind needs, and rows are added and removed with buttons.
 */
function ReferencesEditor({
  initial,
  assets,
  workspaceId,
  errors,
  hydrated,
}: {
  initial: ReferenceRow[]
  assets: AssetOption[] | null
  workspaceId: string
  errors: FormErrors
  hydrated: boolean
}) {
  const [rows, setRows] = useState(() => {
    if (!hydrated) return withSpareReferenceRows(initial)
    const filled = initial.filter((row) => !isBlank(row))
    return filled.length > 0 ? filled : [blankReferenceRow()]
  })
  const setRow = (index: number, change: Partial<ReferenceRow>) => setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)))
  const full = rows.length >= BRIEF_LIMITS.references

  return (
    <fieldset id={briefFieldAnchor('references')} className="space-y-3" data-testid="brief-references">
      <legend className="text-sm font-semibold text-slate-900">References</legend>
      <p className="text-sm text-slate-500">
        Links, example posts, ideas to shoot, and moodboard images from the{' '}
        <Link to={`/workspaces/${workspaceId}/assets`} className="font-medium text-emerald-700 hover:text-emerald-600">
          asset library
        </Link>
        .{hydrated ? '' : ' Fill in an empty row to add one; empty a row to remove it.'}
      </p>
      {errors.references && <p className="text-sm text-red-600">{errors.references}</p>}
      <ol className="space-y-3">
        {rows.map((row, index) => {
          const rowErrors = ['kind', 'url', 'fileId', 'note'].map((part) => errors[`references.${index}.${part}`]).filter(Boolean)
          const show = (kind: 'url' | 'fileId') => !hydrated || (kind === 'url' ? row.kind === 'link' || row.kind === 'example_post' : row.kind === 'upload')
          const picked = row.kind === 'upload' ? assets?.find((asset) => asset.id === row.fileId) : undefined
          return (
            // Rows have no id of their own; the position is what the form posts.
            <li key={index} className="space-y-1" data-testid="reference-row">
              <div className="flex flex-wrap items-start gap-2">
                <select
                  name="referenceKind"
                  aria-label={`Reference ${index + 1} kind`}
                  value={row.kind}
                  onChange={(event) => setRow(index, { kind: event.target.value })}
                  className={`${controlRing(Boolean(errors[`references.${index}.kind`]))} bg-white`}
                  data-testid={`reference-kind-${index}`}
                >
                  {Object.entries(REFERENCE_KIND_LABELS).map(([kind, label]) => (
                    <option key={kind} value={kind}>
                      {label}
                    </option>
                  ))}
                </select>
                <input
                  name="referenceUrl"
                  inputMode="url"
                  aria-label={`Reference ${index + 1} address`}
                  placeholder="https://…"
                  maxLength={BRIEF_LIMITS.referenceUrl}
                  value={row.url}
                  onChange={(event) => setRow(index, { url: event.target.value })}
                  aria-invalid={errors[`references.${index}.url`] ? true : undefined}
                  className={`${controlRing(Boolean(errors[`references.${index}.url`]))} min-w-48 flex-1 ${show('url') ? '' : 'hidden'}`}
                  data-testid={`reference-url-${index}`}
                />
                <select
                  name="referenceFileId"
                  aria-label={`Reference ${index + 1} moodboard file`}
                  value={row.fileId}
                  onChange={(event) => setRow(index, { fileId: event.target.value })}
                  aria-invalid={errors[`references.${index}.fileId`] ? true : undefined}
                  className={`${controlRing(Boolean(errors[`references.${index}.fileId`]))} min-w-48 flex-1 bg-white ${show('fileId') ? '' : 'hidden'}`}
                  data-testid={`reference-file-${index}`}
                >
                  <option value="">{assets === null ? 'The asset library is not available' : assets.length === 0 ? 'No files in the asset library yet' : 'Choose a file…'}</option>
                  {/* A file no longer listed (deleted, or beyond the first page) stays selectable as it was. */}
                  {row.fileId !== '' && !assets?.some((asset) => asset.id === row.fileId) && <option value={row.fileId}>Moodboard file {row.fileId.slice(0, 8)}</option>}
                  {assets?.map((asset) => (
                    <option key={asset.id} value={asset.id}>
                      {`${asset.name} (${asset.kind})`}
                    </option>
                  ))}
                </select>
                <input
                  name="referenceNote"
                  aria-label={`Reference ${index + 1} note`}
                  placeholder={row.kind === 'idea' ? 'Describe the idea' : 'Note (optional)'}
                  maxLength={BRIEF_LIMITS.referenceNote}
                  value={row.note}
                  onChange={(event) => setRow(index, { note: event.target.value })}
                  aria-invalid={errors[`references.${index}.note`] ? true : undefined}
                  className={`${controlRing(Boolean(errors[`references.${index}.note`]))} min-w-48 flex-[2]`}
                  data-testid={`reference-note-${index}`}
                />
                {hydrated && (
                  <Button variant="secondary" onClick={() => setRows((current) => current.filter((_, i) => i !== index))} aria-label={`Remove reference ${index + 1}`}>
                    ✕
                  </Button>
                )}
              </div>
              {hydrated && picked?.hasThumbnail && <img src={assetFileUrl(picked.id, 'thumbnail')} alt={picked.name} className="h-16 rounded-md object-cover ring-1 ring-slate-200" />}
              {rowErrors.length > 0 && (
                <p className="text-sm text-red-600" data-testid={`reference-error-${index}`}>
                  {rowErrors.join(' · ')}
                </p>
              )}
            </li>
          )
        })}
      </ol>
      {hydrated && !full && (
        <Button variant="secondary" onClick={() => setRows((current) => [...current, blankReferenceRow()])} data-testid="add-reference">
          Add reference
        </Button>
      )}
    </fieldset>
  )
}

const isBlank = (row: ReferenceRow) => row.url.trim() === '' && row.fileId.trim() === '' && row.note.trim() === ''

/** The brief as text, for roles without campaign.write and for completed or archived briefs. */
export function BriefSummary({ campaign, assets, note }: { campaign: Campaign; assets: AssetOption[] | null; note: string }) {
  const assetName = (fileId: string) => assets?.find((asset) => asset.id === fileId)?.name ?? 'Moodboard file'
  return (
    <section className={sectionClass} data-testid="brief-summary">
      <h2 className="text-base font-semibold">Brief</h2>
      <p className="mt-1 text-sm text-slate-500">{note}</p>
      <dl className="mt-4 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="text-slate-500">Objective</dt>
        <dd id={briefFieldAnchor('objective')}>{OBJECTIVE_LABELS[campaign.objective]}</dd>
        <dt className="text-slate-500">Target audience</dt>
        <dd id={briefFieldAnchor('audience')} className="whitespace-pre-line">
          {campaign.audience || '—'}
        </dd>
        <dt className="text-slate-500">Platforms</dt>
        <dd id={briefFieldAnchor('platforms')}>{formatPlatforms(campaign.platforms)}</dd>
        <dt className="text-slate-500">Schedule</dt>
        <dd id={briefFieldAnchor('startsAtLocal')}>
          <span id={briefFieldAnchor('endsAtLocal')} />
          {formatBriefDates(campaign)}{' '}
          <span id={briefFieldAnchor('timeZone')} className="text-slate-500">
            ({campaign.timeZone})
          </span>
        </dd>
        <dt className="text-slate-500">Budget</dt>
        <dd id={briefFieldAnchor('budget')} className="tabular-nums">
          <span id={briefFieldAnchor('currency')} />
          {formatBudget(campaign.budgetMinor, campaign.currency)}
        </dd>
        <dt className="text-slate-500">Content volume</dt>
        <dd id={briefFieldAnchor('contentVolume')}>{campaign.contentVolume} pieces</dd>
        <dt className="text-slate-500">Key messages</dt>
        <dd id={briefFieldAnchor('keyMessages')}>
          {campaign.keyMessages.length === 0 ? (
            '—'
          ) : (
            <ul className="list-disc space-y-1 pl-5">
              {campaign.keyMessages.map((message, index) => (
                <li key={index}>{message}</li>
              ))}
            </ul>
          )}
        </dd>
        <dt className="text-slate-500">References</dt>
        <dd id={briefFieldAnchor('references')}>
          {campaign.references.length === 0 ? (
            '—'
          ) : (
            <ul className="space-y-2">
              {campaign.references.map((reference, index) => (
                <li key={index} className="flex flex-wrap items-center gap-2">
                  <span className="text-xs font-medium text-slate-500 uppercase">{REFERENCE_KIND_LABELS[reference.kind]}</span>
                  {reference.kind === 'upload' ? (
                    <a href={assetFileUrl(reference.fileId, 'content')} target="_blank" rel="noreferrer" className="font-medium text-emerald-700 hover:text-emerald-600">
                      {assetName(reference.fileId)}
                    </a>
                  ) : reference.kind === 'idea' ? null : (
                    <a href={reference.url} target="_blank" rel="noreferrer noopener" className="font-medium break-all text-emerald-700 hover:text-emerald-600">
                      {reference.url}
                    </a>
                  )}
                  {reference.note && <span className="text-slate-700">{reference.note}</span>}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {campaign.launchedAt && <p className="mt-4 text-xs text-slate-500">Launched with brand kit version {campaign.brandKitVersion ?? '—'}.</p>}
    </section>
  )
}
