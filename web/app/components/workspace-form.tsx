import { Form, useNavigation } from 'react-router'
import { Button } from './button'
import { CsrfField } from './csrf-field'
import { Field, TextArea } from './field'
import { FormError } from './form-error'

export const WORKSPACE_FORM_FIELDS = ['name', 'clientName', 'description'] as const
type WorkspaceField = (typeof WORKSPACE_FORM_FIELDS)[number]

export type WorkspaceFormValues = Record<WorkspaceField, string>
export type WorkspaceFormErrors = Partial<Record<WorkspaceField | 'form', string>>
/** Maximum lengths, as the API enforces them (the loader passes them down). */
export type WorkspaceLimits = Record<WorkspaceField, number>

/** The form's values, checked for what the API would refuse anyway, so the messages appear without a round trip. */
export function readWorkspaceForm(form: FormData, limits: WorkspaceLimits): { values: WorkspaceFormValues; errors: WorkspaceFormErrors } {
  const text = (key: WorkspaceField) => {
    const value = form.get(key)
    return typeof value === 'string' ? value.trim() : ''
  }
  const values: WorkspaceFormValues = { name: text('name'), clientName: text('clientName'), description: text('description') }
  const errors: WorkspaceFormErrors = {}
  if (values.name === '') errors.name = 'Give the workspace a name.'
  if (values.clientName === '') errors.clientName = 'Name the client brand.'
  for (const field of WORKSPACE_FORM_FIELDS) {
    if (values[field].length > limits[field]) errors[field] = `Keep this to ${limits[field]} characters or fewer.`
  }
  return { values, errors }
}

interface WorkspaceFormProps {
  limits: WorkspaceLimits
  values?: Partial<WorkspaceFormValues> | undefined
  errors?: WorkspaceFormErrors | undefined
}

function WorkspaceFields({ limits, values = {}, errors = {}, wide }: WorkspaceFormProps & { wide: boolean }) {
  return (
    <div className={`grid gap-4 ${wide ? 'md:grid-cols-2' : ''}`}>
      <Field
        label="Workspace name"
        name="name"
        required
        maxLength={limits.name}
        placeholder="Oat Milk Co — social"
        defaultValue={values.name}
        error={errors.name}
        data-testid="workspace-name-input"
      />
      <Field
        label="Client"
        name="clientName"
        required
        maxLength={limits.clientName}
        placeholder="Oat Milk Co"
        defaultValue={values.clientName}
        error={errors.clientName}
        data-testid="workspace-client-input"
      />
      <TextArea
        label="Description"
        name="description"
        maxLength={limits.description}
        rows={2}
        className={wide ? 'md:col-span-2' : ''}
        defaultValue={values.description}
        error={errors.description}
        hint="Optional: what the agency does for this client."
      />
    </div>
  )
}

/** "New workspace" on the list page; the action sends the browser to the new workspace. */
export function CreateWorkspaceForm(props: WorkspaceFormProps) {
  const navigation = useNavigation()
  const creating = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'create'
  return (
    <Form method="post" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="create-workspace-form">
      <CsrfField />
      <input type="hidden" name="intent" value="create" />
      <h2 className="text-base font-semibold">New workspace</h2>
      <p className="mt-1 mb-4 text-sm text-slate-500">One per client brand. It starts with a brand kit you can make its own.</p>
      <WorkspaceFields {...props} wide />
      <div className="mt-4 flex items-center justify-between gap-4">
        <div className="empty:hidden">
          <FormError message={props.errors?.form} />
        </div>
        <Button type="submit" disabled={creating} className="ml-auto" data-testid="create-workspace">
          {creating ? 'Creating…' : 'Create workspace'}
        </Button>
      </div>
    </Form>
  )
}

/** Name, client and description of an existing workspace. */
export function WorkspaceDetailsForm(props: WorkspaceFormProps) {
  const navigation = useNavigation()
  const saving = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'update-details'
  return (
    <Form method="post" className="space-y-4" data-testid="workspace-details-form">
      <CsrfField />
      <input type="hidden" name="intent" value="update-details" />
      <WorkspaceFields {...props} wide={false} />
      <FormError message={props.errors?.form} />
      <Button type="submit" variant="secondary" disabled={saving} data-testid="save-workspace-details">
        {saving ? 'Saving…' : 'Save details'}
      </Button>
    </Form>
  )
}
