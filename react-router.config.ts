import type { Config } from '@react-router/dev/config'

export default {
  appDirectory: 'web/app',
  buildDirectory: 'build',
  // Server rendering: loaders run next to the API and forward the browser's session cookie to it.
  ssr: true,
  // Behaviours that become the default in React Router 8; a new app starts with them. With pass-through
  // requests a loader's `request.url` may be a `.data` URL, so page addresses come from the `url` argument.
  future: {
    v8_middleware: true,
    v8_passThroughRequests: true,
    v8_splitRouteModules: true,
    v8_trailingSlashAwareDataRequests: true,
    v8_viteEnvironmentApi: true,
  },
} satisfies Config
