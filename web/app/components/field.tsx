import { useId } from 'react'

interface FieldProps extends React.InputHTMLAttributes<HTMLInputElement> {
  label: string
  name: string
  /** Server-side validation message, shown under the input. */
  error?: string | undefined
  hint?: string | undefined
}

export function Field({ label, name, error, hint, className = '', ...input }: FieldProps) {
  const id = useId()
  const noteId = `${id}-note`
  const note = error ?? hint
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? noteId : undefined}
        className={`mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset focus:ring-2 focus:outline-none ${
          error ? 'ring-red-400 focus:ring-red-500' : 'ring-slate-300 focus:ring-emerald-600'
        }`}
        {...input}
      />
      {note && (
        <p id={noteId} className={`mt-1 text-sm ${error ? 'text-red-600' : 'text-slate-500'}`} data-testid={error ? `${name}-error` : undefined}>
          {note}
        </p>
      )}
    </div>
  )
}
