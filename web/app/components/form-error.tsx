/** A message about the whole form (wrong password, API refusal without a field). */
export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200 ring-inset" data-testid="form-error">
      {message}
    </p>
  )
}
