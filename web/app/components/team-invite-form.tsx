import { Form, useNavigation } from 'react-router'
import { ROLE_LABELS, type Role } from '../../../domain/permissions.ts'
import { Button } from './button'
import { CsrfField } from './csrf-field'
import { Field, SelectField } from './field'
import { FormError } from './form-error'

export const INVITE_FIELDS = ['email', 'role'] as const
export type InviteFormErrors = Partial<Record<(typeof INVITE_FIELDS)[number] | 'form', string>>

interface TeamInviteFormProps {
  roles: Role[]
  values?: { email: string; role: string } | undefined
  errors?: InviteFormErrors | undefined
}

/** Invite by e-mail with one of the roles the viewer may give. */
export function TeamInviteForm({ roles, values, errors = {} }: TeamInviteFormProps) {
  const navigation = useNavigation()
  const sending = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'invite'
  // Least privilege first: the most restricted role the viewer may give.
  const defaultRole = values?.role ?? (roles.includes('analyst') ? 'analyst' : roles.at(-1))
  return (
    <Form method="post" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="invite-form">
      <CsrfField />
      <input type="hidden" name="intent" value="invite" />
      <h2 className="text-base font-semibold">Invite someone</h2>
      <p className="mt-1 text-sm text-slate-500">They get an e-mail with a link that works once and expires in 7 days.</p>
      <div className="mt-4 grid gap-4 md:grid-cols-[2fr_1fr_auto] md:items-start">
        <Field
          label="E-mail"
          name="email"
          type="email"
          required
          maxLength={320}
          placeholder="colleague@agency.com"
          defaultValue={values?.email}
          error={errors.email}
          data-testid="invite-email"
        />
        <SelectField label="Role" name="role" defaultValue={defaultRole} error={errors.role} data-testid="invite-role">
          {roles.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </SelectField>
        <Button type="submit" disabled={sending} className="md:mt-6" data-testid="invite-submit">
          {sending ? 'Inviting…' : 'Send invite'}
        </Button>
      </div>
      <div className="mt-4 empty:hidden">
        <FormError message={errors.form} />
      </div>
    </Form>
  )
}
