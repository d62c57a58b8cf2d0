// Deliverables per creator ("3 TikTok videos from Maya"): a plain form the action turns into
// PUT /api/campaigns/:id/deliverables, which creates one board card per unit once a creator is assigned.
import { useState } from 'react'
import { Form, Link, useNavigation } from 'react-router'
import { PLATFORM_LABELS, type SocialPlatform } from '../../../domain/brand-kit.ts'
import { DELIVERABLE_KIND_LABELS, DELIVERABLE_LIMITS, describeDeliverable, isDeliverableKindFor, type DeliverableKind } from '../../../domain/campaign-brief.ts'
import type { Deliverable } from '~/lib/api.server'
import {
  DELIVERABLES_ANCHOR,
  DELIVERABLE_TYPE_GROUPS,
  blankDeliverableRow,
  deliverableAnchor,
  deliverableRows,
  deliverableType,
  withSpareDeliverableRows,
  type DeliverableRow,
  type FormErrors,
} from '~/routes/campaign-form'
import { Button } from './button'
import { CsrfField } from './csrf-field'
import { DataTable, TABLE_CARD_CLASS } from './data-table'
import { controlRing } from './field'
import { FormError } from './form-error'
import { useHydrated } from './hydration'

export interface CreatorOption {
  id: string
  name: string
}

const cardTotal = (deliverables: readonly Deliverable[]) => deliverables.reduce((sum, deliverable) => sum + deliverable.cardCount, 0)

function CardCountLine({ deliverables, campaignId }: { deliverables: readonly Deliverable[]; campaignId: string }) {
  const cards = cardTotal(deliverables)
  return (
    <p className="text-sm text-slate-600" data-testid="deliverable-card-total" data-cards={cards}>
      {cards === 1 ? '1 card' : `${cards} cards`} on the{' '}
      <Link to={`/campaigns/${campaignId}/board`} className="font-medium text-emerald-700 hover:text-emerald-600">
        campaign board
      </Link>
      . Assigning a creator creates one card per unit.
    </p>
  )
}

interface DeliverablesEditorProps {
  campaignId: string
  deliverables: Deliverable[]
  creators: CreatorOption[]
  /** The brief's platforms: the formats offered are theirs. */
  platforms: SocialPlatform[]
  rejected?: { rows: DeliverableRow[]; errors: FormErrors } | undefined
}

export function DeliverablesEditor({ campaignId, deliverables, creators, platforms, rejected }: DeliverablesEditorProps) {
  const hydrated = useHydrated()
  const navigation = useNavigation()
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'save-deliverables'
  const errors = rejected?.errors ?? {}
  const saved = new Map(deliverables.map((deliverable) => [deliverable.id, deliverable]))
  const initial = rejected?.rows ?? deliverableRows(deliverables)

  return (
    <Form method="post" id={DELIVERABLES_ANCHOR} className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="deliverables-editor">
      <CsrfField />
      <input type="hidden" name="intent" value="save-deliverables" />
      <div>
        <h2 className="text-base font-semibold">Deliverables</h2>
        <CardCountLine deliverables={deliverables} campaignId={campaignId} />
      </div>
      {errors.deliverables && (
        <p className="text-sm text-red-600" data-testid="deliverables-error">
          {errors.deliverables}
        </p>
      )}
      {/* Remounted once hydrated: the rows then live in state, added and removed with buttons. */}
      <DeliverableRows key={hydrated ? 'live' : 'plain'} initial={initial} saved={saved} creators={creators} platforms={platforms} errors={errors} hydrated={hydrated} />
      <div className="flex flex-wrap items-center justify-end gap-4">
        <div className="mr-auto min-w-0 flex-1 empty:hidden">
          <FormError message={errors.form} />
        </div>
        <Button type="submit" disabled={saving} data-testid="save-deliverables">
          {saving ? 'Saving…' : 'Save deliverables'}
        </Button>
      </div>
    </Form>
  )
}

function DeliverableRows({
  initial,
  saved,
  creators,
  platforms,
  errors,
  hydrated,
}: {
  initial: DeliverableRow[]
  saved: Map<string, Deliverable>
  creators: CreatorOption[]
  platforms: SocialPlatform[]
  errors: FormErrors
  hydrated: boolean
}) {
  const [rows, setRows] = useState(() => (hydrated ? (initial.length > 0 ? initial.filter((row) => !row.remove) : [blankDeliverableRow()]) : withSpareDeliverableRows(initial)))
  const setRow = (index: number, change: Partial<DeliverableRow>) => setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)))

  return (
    <>
      {!hydrated && <p className="text-sm text-slate-500">Fill in an empty row to add a deliverable; tick “Remove” to drop one.</p>}
      <div className={TABLE_CARD_CLASS}>
        <DataTable headers={['Creator', 'What', 'Count', 'Cards', { label: 'Remove', hidden: true }]}>
          {rows.map((row, index) => {
            const existing = saved.get(row.id)
            const [rowPlatform = ''] = row.type.split('/')
            const offered = DELIVERABLE_TYPE_GROUPS.filter((group) => platforms.includes(group.platform) || group.platform === rowPlatform)
            const rowError = ['row', 'creatorId', 'type', 'count'].map((part) => errors[`deliverables.${index}.${part}`]).filter(Boolean)
            const knownCreator = row.creatorId === '' || creators.some((creator) => creator.id === row.creatorId)
            return (
              // Rows have no id until saved; the position is what the form posts.
              <tr key={index} id={deliverableAnchor(index)} className="align-top" data-testid="deliverable-row" data-deliverable-id={row.id || undefined}>
                <td className="px-4 py-3">
                  <input type="hidden" name="deliverableId" value={row.id} />
                  <select
                    name="deliverableCreatorId"
                    aria-label={`Deliverable ${index + 1} creator`}
                    value={row.creatorId}
                    onChange={(event) => setRow(index, { creatorId: event.target.value })}
                    aria-invalid={errors[`deliverables.${index}.creatorId`] ? true : undefined}
                    className={`${controlRing(Boolean(errors[`deliverables.${index}.creatorId`]))} w-full min-w-40 bg-white`}
                    data-testid={`deliverable-creator-${index}`}
                  >
                    <option value="">Unassigned</option>
                    {!knownCreator && <option value={row.creatorId}>{existing?.creatorName ?? 'Another creator'}</option>}
                    {creators.map((creator) => (
                      <option key={creator.id} value={creator.id}>
                        {creator.name}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="px-4 py-3">
                  <select
                    name="deliverableType"
                    aria-label={`Deliverable ${index + 1} platform and format`}
                    value={row.type}
                    onChange={(event) => setRow(index, { type: event.target.value })}
                    aria-invalid={errors[`deliverables.${index}.type`] ? true : undefined}
                    className={`${controlRing(Boolean(errors[`deliverables.${index}.type`]))} w-full min-w-44 bg-white`}
                    data-testid={`deliverable-type-${index}`}
                  >
                    <option value="">Choose…</option>
                    {offered.map((group) => (
                      <optgroup key={group.platform} label={PLATFORM_LABELS[group.platform]}>
                        {group.kinds.map((kind) => (
                          <option key={kind} value={deliverableType(group.platform, kind)}>
                            {`${PLATFORM_LABELS[group.platform]} ${DELIVERABLE_KIND_LABELS[kind].toLowerCase()}`}
                          </option>
                        ))}
                      </optgroup>
                    ))}
                  </select>
                </td>
                <td className="px-4 py-3">
                  <input
                    name="deliverableCount"
                    type="number"
                    min={DELIVERABLE_LIMITS.minCount}
                    max={DELIVERABLE_LIMITS.maxCount}
                    step={1}
                    aria-label={`Deliverable ${index + 1} count`}
                    value={row.count}
                    onChange={(event) => setRow(index, { count: event.target.value })}
                    aria-invalid={errors[`deliverables.${index}.count`] ? true : undefined}
                    className={`${controlRing(Boolean(errors[`deliverables.${index}.count`]))} w-20`}
                    data-testid={`deliverable-count-${index}`}
                  />
                </td>
                <td className="px-4 py-3 text-slate-600 tabular-nums" data-testid={`deliverable-cards-${index}`}>
                  {existing ? existing.cardCount : '—'}
                  {rowError.length > 0 && (
                    <p className="mt-1 max-w-xs text-sm text-red-600" data-testid={`deliverable-error-${index}`}>
                      {rowError.join(' · ')}
                    </p>
                  )}
                </td>
                <td className="px-4 py-3 text-right">
                  {hydrated ? (
                    <Button variant="secondary" onClick={() => setRows((current) => current.filter((_, i) => i !== index))} aria-label={`Remove deliverable ${index + 1}`} data-testid={`remove-deliverable-${index}`}>
                      ✕
                    </Button>
                  ) : (
                    row.id !== '' && (
                      <label className="flex items-center justify-end gap-2 text-sm text-slate-600">
                        <input type="checkbox" name="deliverableRemove" value={index} defaultChecked={row.remove} className="size-4 rounded border-slate-300 accent-emerald-600" />
                        Remove
                      </label>
                    )
                  )}
                </td>
              </tr>
            )
          })}
        </DataTable>
      </div>
      {hydrated && (
        <Button variant="secondary" onClick={() => setRows((current) => [...current, blankDeliverableRow()])} data-testid="add-deliverable">
          Add deliverable
        </Button>
      )}
    </>
  )
}

/** The deliverables as text, for roles that may not change them. */
export function DeliverablesSummary({ campaignId, deliverables }: { campaignId: string; deliverables: Deliverable[] }) {
  return (
    <section id={DELIVERABLES_ANCHOR} className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="deliverables-summary">
      <h2 className="text-base font-semibold">Deliverables</h2>
      <CardCountLine deliverables={deliverables} campaignId={campaignId} />
      {deliverables.length === 0 ? (
        <p className="text-sm text-slate-500">None yet.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {deliverables.map((deliverable, index) => (
            <li key={deliverable.id} id={deliverableAnchor(index)} className="flex flex-wrap gap-2">
              <span className="font-medium text-slate-800">{deliverableLine(deliverable)}</span>
              <span className="text-slate-500">{deliverable.creatorName ? `from ${deliverable.creatorName}` : 'unassigned'}</span>
              <span className="text-slate-500">· {deliverable.cardCount === 1 ? '1 card' : `${deliverable.cardCount} cards`}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function deliverableLine(deliverable: Deliverable): string {
  const kind = deliverable.kind
  return isDeliverableKindFor(deliverable.platform, kind)
    ? describeDeliverable({ platform: deliverable.platform, kind: kind as DeliverableKind, count: deliverable.count })
    : `${deliverable.count} ${PLATFORM_LABELS[deliverable.platform]} ${kind}`
}
