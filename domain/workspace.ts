// Client workspaces: one per client brand an agency runs.

/** Field lengths, shared by the API's schema and the web forms. */
export const WORKSPACE_LIMITS = { name: 120, clientName: 120, description: 2000 } as const
