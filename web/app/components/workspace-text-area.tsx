import { useId } from 'react'

interface TextAreaProps extends React.TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string
  name: string
  /** Validation message, shown under the text area. */
  error?: string | undefined
  hint?: string | undefined
}

/** A multi-line Field: same label, ring and message styles. */
export function TextArea({ label, name, error, hint, className = '', rows = 3, ...textarea }: TextAreaProps) {
  const id = useId()
  const noteId = `${id}-note`
  const note = error ?? hint
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? noteId : undefined}
        className={`mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset focus:ring-2 focus:outline-none ${
          error ? 'ring-red-400 focus:ring-red-500' : 'ring-slate-300 focus:ring-emerald-600'
        }`}
        {...textarea}
      />
      {note && (
        <p id={noteId} className={`mt-1 text-sm ${error ? 'text-red-600' : 'text-slate-500'}`} data-testid={error ? `${name}-error` : undefined}>
          {note}
        </p>
      )}
    </div>
  )
}
