import { useSyncExternalStore } from 'react'

const subscribeToNothing = () => () => {}

/**
 * False during server rendering and hydration, true afterwards. Lets a component render something only the
 * browser knows (its time zone) without a hydration mismatch.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  )
}
