/** The form field that carries the session's CSRF token to actions, which pass it to the API. */
export const CSRF_FIELD = '_csrf'
