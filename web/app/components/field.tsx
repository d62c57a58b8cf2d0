import { useId, type ReactNode } from 'react'

interface FieldFrameProps {
  label: string
  name: string
  /** Server-side validation message, shown under the control. */
  error?: string | undefined
  hint?: string | undefined
  className?: string | undefined
}

/** Label, control and message, wired together for assistive technology; shared by Field and TextArea. */
function FieldFrame({ label, name, error, hint, className = '', control }: FieldFrameProps & { control: (ids: { id: string; noteId?: string }) => ReactNode }) {
  const id = useId()
  const noteId = `${id}-note`
  const note = error ?? hint
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {control({ id, ...(note ? { noteId } : {}) })}
      {note && (
        <p id={noteId} className={`mt-1 text-sm ${error ? 'text-red-600' : 'text-slate-500'}`} data-testid={error ? `${name}-error` : undefined}>
          {note}
        </p>
      )}
    </div>
  )
}

/** The ring style of every text control; invalid ones are red. Also for controls without a Field frame. */
export const controlRing = (invalid: boolean) =>
  `rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset focus:ring-2 focus:outline-none ${
    invalid ? 'ring-red-400 focus:ring-red-500' : 'ring-slate-300 focus:ring-emerald-600'
  }`

const controlClass = (error: string | undefined) => `mt-1 block w-full ${controlRing(Boolean(error))}`

interface FieldProps extends Omit<React.InputHTMLAttributes<HTMLInputElement>, 'className' | 'name'>, FieldFrameProps {}

export function Field({ label, name, error, hint, className, ...input }: FieldProps) {
  return (
    <FieldFrame
      label={label}
      name={name}
      error={error}
      hint={hint}
      className={className}
      control={({ id, noteId }) => (
        <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={noteId} className={controlClass(error)} {...input} />
      )}
    />
  )
}

interface TextAreaProps extends Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, 'className' | 'name'>, FieldFrameProps {}

/** A multi-line Field: same label, ring and message styles. */
export function TextArea({ label, name, error, hint, className, rows = 3, ...textarea }: TextAreaProps) {
  return (
    <FieldFrame
      label={label}
      name={name}
      error={error}
      hint={hint}
      className={className}
      control={({ id, noteId }) => (
        <textarea id={id} name={name} rows={rows} aria-invalid={error ? true : undefined} aria-describedby={noteId} className={controlClass(error)} {...textarea} />
      )}
    />
  )
}

interface SelectFieldProps extends Omit<React.SelectHTMLAttributes<HTMLSelectElement>, 'className' | 'name'>, FieldFrameProps {}

/** A labelled select with the same ring and message styles as Field. */
export function SelectField({ label, name, error, hint, className, children, ...select }: SelectFieldProps) {
  return (
    <FieldFrame
      label={label}
      name={name}
      error={error}
      hint={hint}
      className={className}
      control={({ id, noteId }) => (
        <select id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={noteId} className={`${controlClass(error)} bg-white`} {...select}>
          {children}
        </select>
      )}
    />
  )
}
