// The bench-only workflow code of the publish-storm benchmark, bundled for a worker of its own (never part of
// workflows/index.ts): a run that completes in its first workflow task, so starting and finishing many of them
// measures what Temporal itself costs per run on this machine.

/** Returns at once: one workflow task, no timers, no activities. */
export async function noopWorkflow(): Promise<void> {}
