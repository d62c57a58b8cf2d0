// How a worker shares out its publishing calls: the semaphore behind the per-platform and per-account caps, and
// the due publications that the work which can wait gives way to.
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { DuePublications, Semaphore } from '../../activities/publishing/call-slots'

/** A piece of work that runs until `finish` is called. */
function held() {
  let finish!: () => void
  const done = new Promise<void>((resolve) => (finish = resolve))
  return { done, finish: () => finish() }
}

describe('Semaphore', () => {
  it('runs at most its size at once, in the order asked, and is idle only when nothing runs or waits', async () => {
    const slots = new Semaphore(2)
    const started: number[] = []
    const works = [0, 1, 2, 3].map(() => held())
    expect(slots.idle).toBe(true)
    const runs = works.map((work, i) =>
      slots.run(async () => {
        started.push(i)
        await work.done
        return i
      }),
    )
    await sleep(5)
    expect(started).toEqual([0, 1])
    works[1]!.finish()
    await sleep(5)
    expect(started).toEqual([0, 1, 2])
    expect(slots.idle).toBe(false)
    for (const work of works) work.finish()
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3])
    expect(slots.idle).toBe(true)
  })

  it('frees the slot of a work that fails', async () => {
    const slots = new Semaphore(1)
    await expect(slots.run(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused')
    expect(await slots.run(async () => 'next')).toBe('next')
    expect(slots.idle).toBe(true)
  })
})

describe('DuePublications', () => {
  it('lets waiting work go at once when nothing is due, and only after the last due post otherwise', async () => {
    const due = new DuePublications()
    let gone = false
    await due.giveWay()
    const first = held()
    const second = held()
    const runs = [due.run(() => first.done), due.run(() => second.done)]
    const waiting = due.giveWay().then(() => (gone = true))
    first.finish()
    await sleep(5)
    expect(gone).toBe(false)
    second.finish()
    await Promise.all([...runs, waiting])
    expect(gone).toBe(true)
  })

  it('stops giving way after its longest wait, and counts a failed step as done', async () => {
    const due = new DuePublications()
    const stuck = held()
    const run = due.run(() => stuck.done)
    const started = Date.now()
    await due.giveWay(50)
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
    // Work that stopped waiting is forgotten, not kept until the due posts are done.
    expect(due.waitingCount).toBe(0)
    await due.giveWay(0)
    stuck.finish()
    await run
    await expect(due.run(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused')
    let gone = false
    await due.giveWay(60_000).then(() => (gone = true))
    expect(gone).toBe(true)
  })
})
