// "Share for client review": who the client is, how long the link works, and which cards of the workspace they
// review. The cards waiting in review come first and open; the other columns are folded away. A plain form.
import { Form, useNavigation } from 'react-router'
import { PLATFORM_LABELS } from '../../../../domain/brand-kit.ts'
import { REVIEW_LINK_LIMITS } from '../../../../domain/review-links.ts'
import type { ColumnPage } from '~/lib/board'
import { Button } from '../button'
import { CsrfField } from '../csrf-field'
import { Field, SelectField } from '../field'
import { FormError } from '../form-error'

export const SHARE_FIELDS = ['clientName', 'clientEmail', 'expiresInDays', 'cardIds'] as const
export type ShareFormErrors = Partial<Record<(typeof SHARE_FIELDS)[number] | 'form', string>>

export interface ShareFormValues {
  clientName: string
  clientEmail: string
  expiresInDays: string
  cardIds: string[]
}

/** Lifetimes offered; the API takes any whole number of days in its bounds. */
const LIFETIMES = [1, 3, 7, 14, REVIEW_LINK_LIMITS.expiresInDaysMax]
const IN_REVIEW = 'Submitted_By_Creator'

interface ShareFormProps {
  columns: ColumnPage[]
  /** The form as sent when the API refused it, or the cards to start with (?cardId= in the address). */
  values: ShareFormValues
  errors?: ShareFormErrors | undefined
}

function CardChoice({ card, checked }: { card: ColumnPage['cards'][number]; checked: boolean }) {
  return (
    <li>
      <label className="flex items-start gap-3 rounded-md px-2 py-1.5 text-sm hover:bg-slate-50">
        <input
          type="checkbox"
          name="cardIds"
          value={card.id}
          defaultChecked={checked}
          className="mt-0.5 size-4 shrink-0 rounded border-slate-300 text-emerald-600 focus:ring-emerald-600"
          data-testid="share-card"
        />
        <span className="min-w-0">
          <span className="block font-medium text-slate-900">{card.title}</span>
          <span className="block truncate text-xs text-slate-500">
            {PLATFORM_LABELS[card.platform]} · {card.campaignName}
            {card.captionPreview ? ` · “${card.captionPreview}”` : ''}
          </span>
        </span>
      </label>
    </li>
  )
}

export function ShareForm({ columns, values, errors = {} }: ShareFormProps) {
  const submitting = useNavigation().formData?.get('intent') === 'create'
  const selected = new Set(values.cardIds)
  const inReview = columns.find((column) => column.column === IN_REVIEW)
  const others = columns.filter((column) => column.column !== IN_REVIEW && column.cards.length > 0)
  return (
    <Form method="post" className="space-y-5 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-labelledby="share-heading" data-testid="share-form">
      <div>
        <h2 id="share-heading" className="text-base font-semibold">
          Share for client review
        </h2>
        <p className="mt-1 text-sm text-slate-500">
          The client opens the link without an account, sees only the cards you choose, and approves, requests changes or rejects in the client step of
          their approval. Their decisions carry the name you give here.
        </p>
      </div>
      <CsrfField />
      <input type="hidden" name="intent" value="create" />
      <FormError message={errors.form} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Client’s name" name="clientName" required maxLength={REVIEW_LINK_LIMITS.clientName} defaultValue={values.clientName} error={errors.clientName} data-testid="share-client-name" />
        <Field
          label="Client’s e-mail (optional)"
          name="clientEmail"
          type="email"
          maxLength={320}
          defaultValue={values.clientEmail}
          hint="We e-mail them the link."
          error={errors.clientEmail}
          data-testid="share-client-email"
        />
        <SelectField label="Link works for" name="expiresInDays" defaultValue={values.expiresInDays} error={errors.expiresInDays} data-testid="share-expiry">
          {LIFETIMES.map((days) => (
            <option key={days} value={days}>
              {days === 1 ? '1 day' : `${days} days`}
            </option>
          ))}
        </SelectField>
      </div>

      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Cards to share (up to {REVIEW_LINK_LIMITS.cards})</legend>
        {errors.cardIds && (
          <p className="mt-1 text-sm text-red-600" data-testid="cardIds-error">
            {errors.cardIds}
          </p>
        )}
        <div className="mt-2 space-y-3">
          <section aria-label={inReview?.label ?? 'In review'}>
            <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
              {inReview?.label ?? 'Submitted by creator'} ({inReview?.total ?? 0})
            </h3>
            {inReview && inReview.cards.length > 0 ? (
              <ul className="mt-1 max-h-80 overflow-y-auto" data-testid="share-in-review">
                {inReview.cards.map((card) => (
                  <CardChoice key={card.id} card={card} checked={selected.has(card.id)} />
                ))}
              </ul>
            ) : (
              <p className="mt-1 text-sm text-slate-500">No card waits in review in this workspace.</p>
            )}
          </section>
          {others.map((column) => (
            <details key={column.column} open={column.cards.some((card) => selected.has(card.id))}>
              <summary className="cursor-pointer text-xs font-semibold tracking-wide text-slate-500 uppercase select-none hover:text-slate-700">
                {column.label} ({column.total})
              </summary>
              <ul className="mt-1 max-h-64 overflow-y-auto">
                {column.cards.map((card) => (
                  <CardChoice key={card.id} card={card} checked={selected.has(card.id)} />
                ))}
              </ul>
            </details>
          ))}
        </div>
      </fieldset>

      <Button type="submit" disabled={submitting} data-testid="share-submit">
        {submitting ? 'Creating the link…' : 'Create the review link'}
      </Button>
    </Form>
  )
}
