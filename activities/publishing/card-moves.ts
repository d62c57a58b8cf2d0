// The board moves that follow posts' outcomes (Scheduled → Published, or back to Approved), made in batches: one
// transaction at a time per worker process, each taking its workspaces' locks once for every card it moves.
// A burst of publications in one workspace would otherwise queue a transaction per card on the workspace row,
// each holding a pooled connection while it waits, and the publications' own writes would wait behind them.
import { syncCardsWithPosts } from '../../platform/board-changes'
import type { Database } from '../../platform/database'

/** Cards per transaction: a few hundred statements, well within the transaction's time. */
const MAX_BATCH = 100

interface Waiting {
  reason: string
  waiters: { resolve: () => void; reject: (error: unknown) => void }[]
}

export interface CardMover {
  /** Moves the card to the column its posts call for; resolves once that is committed (or nothing was to move). */
  move(input: { agencyId: string; cardId: string; reason: string }): Promise<void>
}

export function createCardMover(db: Database, options: { actorLabel: string }): CardMover {
  // By agency (a transaction moves one agency's cards), then card: a card asked for twice is moved once.
  const pending = new Map<string, Map<string, Waiting>>()
  let draining = false

  async function drain(): Promise<void> {
    try {
      for (let next = pending.entries().next(); !next.done; next = pending.entries().next()) {
        const [agencyId, cards] = next.value
        const batch = [...cards.entries()].slice(0, MAX_BATCH)
        for (const [cardId] of batch) cards.delete(cardId)
        // Agencies take turns: one with more cards waiting goes to the back of the line.
        pending.delete(agencyId)
        if (cards.size > 0) pending.set(agencyId, cards)
        const run = (part: typeof batch) =>
          db.$transaction((tx) => syncCardsWithPosts(tx, { agencyId, cards: part.map(([cardId, { reason }]) => ({ cardId, reason })), actorLabel: options.actorLabel }), {
            maxWait: 10_000,
            timeout: 30_000,
          })
        try {
          await run(batch)
          for (const [, { waiters }] of batch) for (const waiter of waiters) waiter.resolve()
        } catch (error) {
          if (batch.length === 1) {
            for (const waiter of batch[0]![1].waiters) waiter.reject(error)
            continue
          }
          // One card's trouble (a lock held elsewhere, a deadlock) must not fail the others: each goes on its own.
          for (const entry of batch) {
            await run([entry]).then(
              () => entry[1].waiters.forEach((waiter) => waiter.resolve()),
              (single: unknown) => entry[1].waiters.forEach((waiter) => waiter.reject(single)),
            )
          }
        }
      }
    } finally {
      draining = false
    }
  }

  return {
    move({ agencyId, cardId, reason }) {
      return new Promise<void>((resolve, reject) => {
        let cards = pending.get(agencyId)
        if (!cards) pending.set(agencyId, (cards = new Map()))
        const waiting = cards.get(cardId)
        if (waiting) {
          waiting.reason = reason
          waiting.waiters.push({ resolve, reject })
        } else cards.set(cardId, { reason, waiters: [{ resolve, reject }] })
        // The requests of this turn of the event loop go together; later ones wait for the next transaction.
        if (!draining) {
          draining = true
          setImmediate(() => void drain())
        }
      })
    },
  }
}
