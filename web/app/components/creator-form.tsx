import { Form, useNavigation } from 'react-router'
import type { CreateCreatorBody, CreatorLimits, LinkableUser } from '../../../api/schemas/creator.ts'
import { Button } from './button'
import { CsrfField } from './csrf-field'
import { Field, SelectField, TextArea } from './field'
import { FormError } from './form-error'

export const CREATOR_FORM_FIELDS = ['displayName', 'notes', 'tags', 'userId'] as const
type CreatorField = (typeof CREATOR_FORM_FIELDS)[number]
export type CreatorFormValues = Record<CreatorField, string>
export type CreatorFormErrors = Partial<Record<CreatorField | 'form', string>>

/**
 * The form's values and the API body they make (tags typed as "food, travel"), checked for what the API would
 * refuse anyway so the messages appear without a round trip.
 */
export function readCreatorForm(form: FormData, limits: CreatorLimits): { values: CreatorFormValues; errors: CreatorFormErrors; body: Required<CreateCreatorBody> } {
  const text = (key: CreatorField) => {
    const value = form.get(key)
    return typeof value === 'string' ? value.trim() : ''
  }
  const values: CreatorFormValues = { displayName: text('displayName'), notes: text('notes'), tags: text('tags'), userId: text('userId') }
  const tags = values.tags.split(',').map((tag) => tag.trim()).filter(Boolean)
  const errors: CreatorFormErrors = {}
  if (values.displayName === '') errors.displayName = 'Give the creator a name.'
  else if (values.displayName.length > limits.displayName) errors.displayName = `Keep the name to ${limits.displayName} characters or fewer.`
  if (values.notes.length > limits.notes) errors.notes = `Keep the notes to ${limits.notes} characters or fewer.`
  if (tags.length > limits.tags) errors.tags = `Up to ${limits.tags} tags.`
  else if (tags.some((tag) => tag.length > limits.tag)) errors.tags = `Each tag can have up to ${limits.tag} characters.`
  return { values, errors, body: { displayName: values.displayName, notes: values.notes, tags, userId: values.userId === '' ? null : values.userId } }
}

interface CreatorFieldsProps {
  /** As the API enforces them (the loader passes them down). */
  limits: CreatorLimits
  values?: Partial<CreatorFormValues> | undefined
  errors?: CreatorFormErrors | undefined
  /** Users with the creator role; null when this user may not see them (the picker is left out). */
  linkableUsers: LinkableUser[] | null
  /** The profile being edited, whose own linked user stays selectable. */
  creatorId?: string
}

function CreatorFields({ limits, values = {}, errors = {}, linkableUsers, creatorId }: CreatorFieldsProps) {
  const choosable = linkableUsers?.filter((user) => user.creatorId === null || user.creatorId === creatorId) ?? []
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Field
        label="Display name"
        name="displayName"
        required
        maxLength={limits.displayName}
        placeholder="Nova Reyes"
        defaultValue={values.displayName}
        error={errors.displayName}
        data-testid="creator-name-input"
      />
      <Field
        label="Tags"
        name="tags"
        placeholder="food, travel"
        defaultValue={values.tags}
        error={errors.tags}
        hint="Separate tags with commas."
        data-testid="creator-tags-input"
      />
      <TextArea
        label="Notes"
        name="notes"
        className="md:col-span-2"
        maxLength={limits.notes}
        defaultValue={values.notes}
        error={errors.notes}
        data-testid="creator-notes-input"
      />
      {linkableUsers && (
        <SelectField
          label="Linked user"
          name="userId"
          defaultValue={values.userId ?? ''}
          error={errors.userId}
          hint="A team member with the Creator role, who may then connect this profile’s accounts."
          data-testid="creator-user-select"
        >
          <option value="">Nobody (the agency manages this creator)</option>
          {choosable.map((user) => (
            <option key={user.id} value={user.id}>
              {user.name} · {user.email}
            </option>
          ))}
        </SelectField>
      )}
    </div>
  )
}

/** "New creator" on the list page. */
export function CreateCreatorForm(props: CreatorFieldsProps) {
  const navigation = useNavigation()
  const creating = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'create'
  return (
    <Form method="post" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="create-creator-form">
      <CsrfField />
      <input type="hidden" name="intent" value="create" />
      <h2 className="text-base font-semibold">New creator</h2>
      <p className="mt-1 text-sm text-slate-500">Add the profile first, then connect its Instagram, Facebook and TikTok accounts.</p>
      <div className="mt-4">
        <CreatorFields {...props} />
      </div>
      <div className="mt-4 flex items-center gap-3">
        <Button type="submit" disabled={creating} data-testid="create-creator">
          {creating ? 'Creating…' : 'Create creator'}
        </Button>
        <FormError message={props.errors?.form} />
      </div>
    </Form>
  )
}

/** The profile on the creator's page. */
export function EditCreatorForm(props: CreatorFieldsProps & { creatorId: string }) {
  const navigation = useNavigation()
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'update'
  return (
    <Form method="post" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="edit-creator-form">
      <CsrfField />
      <input type="hidden" name="intent" value="update" />
      <h2 className="text-base font-semibold">Profile</h2>
      <div className="mt-4">
        <CreatorFields {...props} />
      </div>
      <div className="mt-4 flex items-center gap-3">
        <Button type="submit" disabled={saving} data-testid="save-creator">
          {saving ? 'Saving…' : 'Save profile'}
        </Button>
        <FormError message={props.errors?.form} />
      </div>
    </Form>
  )
}
