/**
 * Idempotency keys of agent and customer actions (`POST /v1/requests/:id/<action>` with an
 * `Idempotency-Key` header): what makes an action a retry of an earlier one. As with payment
 * APIs, a key names one action with one body on one request; a retry must repeat both, so a
 * client bug that reuses a key for another action is refused instead of silently answered with
 * the first action's outcome.
 */

/** What a retry must repeat: the action (the route's last path segment) and the parsed body. */
export interface ActionFingerprint {
  action: string;
  /** The body after the schema normalised it (trimmed strings); absent fields are left out. */
  body: Record<string, unknown>;
}

/** Sorted keys all the way down, so two equal bodies compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

export function actionFingerprint(action: string, body: object): ActionFingerprint {
  return { action, body: Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) };
}

/**
 * What differs between the first attempt and a retry: `action` when another action reuses the
 * key, then each body field (sorted) whose value differs or that only one of them has. A field
 * set to null differs from an absent one (an assignment's `agent: null` unassigns, absent keeps).
 *
 * @example actionKeyDifferences(actionFingerprint('responses', { body: 'a' }), actionFingerprint('responses', { body: 'b' })) // ['body']
 */
export function actionKeyDifferences(stored: ActionFingerprint, retry: ActionFingerprint): string[] {
  const fields = [...new Set([...Object.keys(stored.body), ...Object.keys(retry.body)])].sort();
  return [
    ...(stored.action !== retry.action ? ['action'] : []),
    ...fields.filter((f) => canonical(stored.body[f]) !== canonical(retry.body[f])),
  ];
}
