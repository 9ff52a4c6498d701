/**
 * The roles an API key carries. Defined below every layer that needs them: the API authorises
 * by them and the db layer stores them, and the db layer must not import the API.
 */
export const ROLES = ['intake', 'agent', 'operations', 'admin'] as const;
export type Role = (typeof ROLES)[number];
