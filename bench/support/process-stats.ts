// Resident memory and CPU time of a process and everything it started, read from /proc (Linux): what a
// benchmark reports as a process's footprint, and where the machine's time went. A sampler polls memory on a
// timer and keeps the peak.
import { readFileSync, readdirSync } from 'node:fs'

function residentKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0 // the process ended between listing and reading
  }
}

/** The process and its descendants, from each thread's `children` list. */
function processTree(pid: number): number[] {
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) {
    let tasks: string[]
    try {
      tasks = readdirSync(`/proc/${tree[i]}/task`)
    } catch {
      continue
    }
    for (const task of tasks) {
      try {
        for (const child of readFileSync(`/proc/${tree[i]}/task/${task}/children`, 'utf8').trim().split(/\s+/)) {
          if (child) tree.push(Number(child))
        }
      } catch {
        // the thread ended while being read
      }
    }
  }
  return tree
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on every Linux Node runs on). */
const TICKS_PER_SECOND = 100

function cpuTicks(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return 0
  }
}

/** CPU time (user + system) the process tree rooted at `pid` has used so far, in milliseconds. */
export function treeCpuMs(pid: number): number {
  return (processTree(pid).reduce((sum, each) => sum + cpuTicks(each), 0) * 1000) / TICKS_PER_SECOND
}

/** Resident memory of the process tree rooted at `pid`, in MB (MiB) with one decimal. */
export function treeResidentMb(pid: number): number {
  const kb = processTree(pid).reduce((sum, each) => sum + residentKb(each), 0)
  return Math.round((kb / 1024) * 10) / 10
}

export interface MemorySampler {
  /** The highest sample so far, in MB. */
  peakMb(): number
  /** The latest sample, in MB. */
  lastMb(): number
  stop(): void
}

export function sampleTreeMemory(pid: number, intervalMs = 100): MemorySampler {
  let peak = treeResidentMb(pid)
  let last = peak
  const timer = setInterval(() => {
    last = treeResidentMb(pid)
    peak = Math.max(peak, last)
  }, intervalMs)
  return { peakMb: () => peak, lastMb: () => last, stop: () => clearInterval(timer) }
}

/** The whole machine's CPU time so far, all cores together, in milliseconds: busy, and busy plus idle. */
export function machineCpuMs(): { busyMs: number; totalMs: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!
  // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[]
  const busy = user! + nice! + system! + irq! + softirq! + steal!
  return { busyMs: (busy * 1000) / TICKS_PER_SECOND, totalMs: ((busy + idle! + iowait!) * 1000) / TICKS_PER_SECOND }
}
