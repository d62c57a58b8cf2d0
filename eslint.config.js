// Lint rules that guard the architecture: workflows stay deterministic (no Node built-ins, no Prisma,
// no SDKs, no activity implementations), and no promise is left floating anywhere.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const workflowBans = {
  patterns: [
    { group: ['node:*'], message: 'Workflows are deterministic: no Node built-ins. Do I/O in an activity.' },
    { group: ['**/generated/prisma/**', '@prisma/*', 'pg'], message: 'Workflows never touch the database: use an activity.' },
    { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'], message: 'Only @temporalio/workflow and @temporalio/common belong in workflow code.' },
    { group: ['openai', '@google/genai', 'facebook-nodejs-business-sdk', 'archiver', 'fastify', 'fastify-*', '@fastify/*'], message: 'SDKs run in activities, not in workflows.' },
    { group: ['**/activities', '**/activities/**'], message: 'Import activities as types only: import type * as acts from ...', allowTypeImports: true },
    { group: ['**/platform/**', '**/api/**', '**/scripts/**'], message: 'Workflows import only domain/ and workflow definitions.' },
  ],
}

const nodeBuiltins = [
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url',
  'util', 'v8', 'vm', 'worker_threads', 'zlib',
]

export default tseslint.config(
  { ignores: ['node_modules/', 'build/', 'generated/', '.react-router/', '.data/', '.tools/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // tests/lint-probes/ holds short-lived files the lint-rules test writes to prove these rules fire.
    // domain/ is bundled into workflows too, so it obeys the same rules.
    files: ['workflows/**/*.ts', 'domain/**/*.ts', 'tests/lint-probes/*/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins.' })),
        ...workflowBans,
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly' },
    },
  },
)
