// How a worker process shares out its publishing calls: at most so many at once (per platform, per account), in
// the order asked, and the publications that are due ahead of the work that can wait.

/**
 * How long work that can wait (a published post's link and card, a look at processing media) gives way at most,
 * in all: an activity's waits share one budget (so a step stays well within its 5-minute limit).
 */
export const GIVE_WAY_MAX_MS = 30_000

/**
 * Publications that are due and not yet sent, in this process. Work that can wait gives way to them: in a burst
 * of posts due at the same second, every post goes out before the bookkeeping of the ones already out takes
 * the process's time, its database connections and the account's turns.
 */
export class DuePublications {
  private due = 0
  private readonly waiting = new Set<() => void>()

  /** Runs a due post's first step, counted as due until it ends. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.due += 1
    try {
      return await work()
    } finally {
      this.due -= 1
      if (this.due === 0) {
        for (const wake of this.waiting) wake()
        this.waiting.clear()
      }
    }
  }

  /** Resolves when no due post is waiting for its turn, or after `maxMs`. */
  giveWay(maxMs = GIVE_WAY_MAX_MS): Promise<void> {
    if (this.due === 0 || maxMs <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.waiting.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, maxMs)
      this.waiting.add(wake)
    })
  }

  /** Waiting work (for tests and diagnostics). */
  get waitingCount(): number {
    return this.waiting.size
  }
}

/** At most `size` of the given works at once, in the order they asked. */
export class Semaphore {
  private free: number
  private readonly size: number
  private readonly waiting: (() => void)[] = []

  constructor(size: number) {
    this.size = Math.max(1, size)
    this.free = this.size
  }

  /** Nothing running and nobody waiting. */
  get idle(): boolean {
    return this.free === this.size && this.waiting.length === 0
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await work()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.free += 1
    }
  }
}
