// The API owns sessions (the HttpOnly gl_session cookie); the web server only asks it who the browser is.
import { redirect } from 'react-router'
import { ApiError, callApi, type ApiCall, type ApiResponse, type User } from './api.server.ts'

/** What a loader or action gets: the raw request, and `url`, the page address it stands for. */
export interface RequestArgs {
  request: Request
  url: URL
}

/** /login, remembering which page to come back to. */
export function loginPath(url: URL): string {
  return `/login?${new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` })}`
}

/**
 * Only paths on this site, so a crafted login link cannot send the user elsewhere. The value is resolved the
 * way a browser would (which drops tabs and newlines and reads backslashes as slashes) and must stay on the
 * same origin; what is returned is the resolved path, query and hash, never the raw input.
 */
export function safeRedirectPath(value: FormDataEntryValue | string | null, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback
  const base = 'http://greenlight.invalid'
  try {
    const resolved = new URL(value, base)
    if (resolved.origin !== base) return fallback
    return `${resolved.pathname}${resolved.search}${resolved.hash}`
  } catch {
    return fallback
  }
}

/** callApi for signed-in pages: when the API says 401 (no or expired session) the browser goes to /login. */
export async function callApiAsUser<T>({ request, url }: RequestArgs, path: string, call?: ApiCall): Promise<ApiResponse<T>> {
  try {
    return await callApi<T>(request, path, call)
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw redirect(loginPath(url))
    throw error
  }
}

export async function requireUser(args: RequestArgs): Promise<User> {
  const { data } = await callApiAsUser<{ user: User }>(args, '/api/auth/me')
  return data.user
}
