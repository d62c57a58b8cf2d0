import { defineConfig } from 'vitest/config'

// Test files run in separate processes (the Temporal worker's native core does not belong in shared
// worker threads), at most two at a time on these two-core machines.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
})
