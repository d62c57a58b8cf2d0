// Account rules shared by sign-up, invites, login and its throttle.

/** E-mail addresses are compared and stored trimmed and in lower case: "Ana@Example.com " is ana@example.com. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase()
