/**
 * Idempotency keys of agent and customer actions (`POST /v1/requests/:id/<action>` with an
 * `Idempotency-Key` header): what makes an action a retry of an earlier one. As with payment
 * APIs, a key names one action with one body on one request; a retry must repeat both, so a
 * client bug that reuses a key for another action is refused instead of silently answered with
 * the first action's outcome.
 */

/**
 * What a retry must repeat: the action (the route's last path segment) and the parsed body,
 * one digest per field, so that differing fields can be named while the stored fingerprint
 * neither grows with a 50,000-character reply nor keeps a second copy of what the customer wrote.
 */
export interface ActionFingerprint {
  action: string;
  /** Field name → digest of its canonical value (after the schema normalised it); absent fields are left out. */
  fields: Record<string, string>;
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

/** `digest` maps a field's canonical JSON to what is stored (a hash in the API; the identity by default). */
export function actionFingerprint(action: string, body: object, digest: (canonicalValue: string) => string = (s) => s): ActionFingerprint {
  return { action, fields: Object.fromEntries(Object.entries(body).flatMap(([k, v]) => (v === undefined ? [] : [[k, digest(canonical(v))]]))) };
}

/**
 * What differs between the first attempt and a retry: `action` when another action reuses the
 * key, then each body field (sorted) whose value differs or that only one of them has. A field
 * set to null differs from an absent one (an assignment's `agent: null` unassigns, absent keeps).
 *
 * @example actionKeyDifferences(actionFingerprint('responses', { body: 'a' }), actionFingerprint('responses', { body: 'b' })) // ['body']
 */
export function actionKeyDifferences(stored: ActionFingerprint, retry: ActionFingerprint): string[] {
  const fields = [...new Set([...Object.keys(stored.fields), ...Object.keys(retry.fields)])].sort();
  return [...(stored.action !== retry.action ? ['action'] : []), ...fields.filter((f) => stored.fields[f] !== retry.fields[f])];
}
