import { CsrfField } from './csrf-field'
import { Form, useNavigation } from 'react-router'
import { CAMPAIGN_NAME_MAX, type CampaignFormErrors, type CampaignFormValues } from '~/routes/campaign-form'
import { Button } from './button'
import { Field } from './field'
import { FormError } from './form-error'
import { useHydrated } from './hydration'

interface CreateCampaignFormProps {
  values?: CampaignFormValues | undefined
  errors?: CampaignFormErrors | undefined
}

export function CreateCampaignForm({ values, errors = {} }: CreateCampaignFormProps) {
  const navigation = useNavigation()
  const creating = navigation.state === 'submitting' && navigation.formAction === '/campaigns'
  // The dates are wall-clock times; the server needs the browser's zone to know which instants they mean.
  const timeZone = useHydrated() ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC'

  return (
    <Form method="post" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="create-campaign-form">
      <CsrfField />
      <h2 className="text-base font-semibold">New campaign</h2>
      <p className="mt-1 text-sm text-slate-500">Leave the dates empty to launch shortly and run for a week.</p>
      <div className="mt-4 grid gap-4 md:grid-cols-[2fr_1fr_1fr_auto] md:items-start">
        <Field
          label="Name"
          name="name"
          required
          maxLength={CAMPAIGN_NAME_MAX}
          placeholder="Spring launch"
          defaultValue={values?.name}
          error={errors.name}
          data-testid="campaign-name-input"
        />
        <Field label="Starts" name="startsAt" type="datetime-local" defaultValue={values?.startsAt} error={errors.startsAt} hint={`Time zone: ${timeZone}`} />
        <Field label="Ends" name="endsAt" type="datetime-local" defaultValue={values?.endsAt} error={errors.endsAt} />
        <input type="hidden" name="timeZone" value={timeZone} />
        <Button type="submit" disabled={creating} className="md:mt-6" data-testid="create-campaign">
          {creating ? 'Creating…' : 'Create campaign'}
        </Button>
      </div>
      <div className="mt-4 empty:hidden">
        <FormError message={errors.form} />
      </div>
    </Form>
  )
}
