// Keyboard shortcuts for the review grid, on top of its forms (which work without them): j/k move the focus
// between cards, x selects the focused card, a approves it, r asks for a comment and requests changes, e opens
// its caption edit, ? shows the list. Each key acts through the card's own checkbox, form or disclosure (found
// by their data attributes), so a shortcut does exactly what the visible control does.
import { useEffect, useRef } from 'react'
import { REVIEW_SHORTCUTS } from '~/lib/review'
import { Button } from '../button'

const CARD = '[data-review-card]'

/** Inputs that take typed text; a focused checkbox, radio or button still leaves the keys to the shortcuts. */
const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'number', 'tel', 'password'])

/** Typing in a field, or a key with a modifier, is never a shortcut. */
function isTyping(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return true
  const target = event.target
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type)
}

function cards(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(CARD)]
}

function focusedCard(): HTMLElement | null {
  return (document.activeElement?.closest(CARD) as HTMLElement | null) ?? null
}

function focusCard(card: HTMLElement | undefined) {
  if (!card) return
  card.focus({ preventScroll: true })
  card.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
}

/** Opens a card's edit and puts the cursor in its text. */
function openEdit(card: HTMLElement) {
  const details = card.querySelector<HTMLDetailsElement>('[data-review-edit]')
  if (!details) return
  details.open = true
  // The toggle reaches React first, then the field is there to focus.
  requestAnimationFrame(() => card.querySelector<HTMLTextAreaElement>('[data-review-edit-text]')?.focus())
}

/** Asks for the comment, then sends the card's own "Request changes" form with it. */
function requestChanges(card: HTMLElement) {
  const textarea = card.querySelector<HTMLTextAreaElement>('[data-review-comment]')
  const button = card.querySelector<HTMLButtonElement>('[data-review-request-changes]')
  if (!textarea || !button?.form) return
  const comment = window.prompt('What should change? (requesting changes needs a comment)', textarea.value)
  if (comment === null || comment.trim() === '') return
  textarea.value = comment.trim()
  button.form.requestSubmit(button)
}

export function useReviewShortcuts(onToggleHelp: () => void) {
  const toggleHelp = useRef(onToggleHelp)
  useEffect(() => {
    toggleHelp.current = onToggleHelp
  }, [onToggleHelp])

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || isTyping(event)) return
      if (event.key === '?') {
        event.preventDefault()
        toggleHelp.current()
        return
      }
      // With the shortcut list open, the cards behind it are out of reach.
      if (document.querySelector('dialog[open]')) return
      const all = cards()
      if (all.length === 0) return
      const current = focusedCard()
      const index = current ? all.indexOf(current) : -1
      switch (event.key) {
        case 'j':
          event.preventDefault()
          focusCard(all[Math.min(all.length - 1, index + 1)])
          return
        case 'k':
          event.preventDefault()
          focusCard(all[Math.max(0, index === -1 ? 0 : index - 1)])
          return
      }
      if (!current) return
      switch (event.key) {
        case 'x': {
          const checkbox = current.querySelector<HTMLInputElement>('[data-review-select]')
          if (checkbox && !checkbox.disabled) {
            event.preventDefault()
            checkbox.click()
          }
          return
        }
        case 'a': {
          const form = current.querySelector<HTMLFormElement>('[data-review-approve]')
          if (form) {
            event.preventDefault()
            form.requestSubmit()
          }
          return
        }
        case 'r':
          event.preventDefault()
          requestChanges(current)
          return
        case 'e':
          event.preventDefault()
          openEdit(current)
          return
      }
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [])
}

/** The list of shortcuts as a modal dialog (Escape or the button closes it). */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const element = dialog.current
    if (!element) return
    if (open && !element.open) element.showModal()
    if (!open && element.open) element.close()
  }, [open])
  return (
    <dialog ref={dialog} onClose={onClose} className="m-auto w-full max-w-sm rounded-lg p-5 shadow-xl backdrop:bg-slate-900/40" aria-labelledby="review-shortcuts-title" data-testid="review-shortcuts">
      <h2 id="review-shortcuts-title" className="text-base font-semibold">
        Keyboard shortcuts
      </h2>
      <dl className="mt-3 space-y-1.5 text-sm">
        {REVIEW_SHORTCUTS.map((shortcut) => (
          <div key={shortcut.keys} className="flex items-baseline gap-3">
            <dt className="w-14 shrink-0">
              <kbd className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800 ring-1 ring-slate-300 ring-inset">{shortcut.keys}</kbd>
            </dt>
            <dd className="text-slate-700">{shortcut.action}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-4 flex justify-end">
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      </div>
    </dialog>
  )
}
