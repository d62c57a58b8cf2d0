import { reactRouter } from '@react-router/dev/vite'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'

// The web app's build only: vitest reads vitest.config.ts instead, so nothing here reaches the tests.
export default defineConfig({
  plugins: [tailwindcss(), reactRouter()],
  // `~/…` imports come from the tsconfig `paths`.
  resolve: { tsconfigPaths: true },
})
