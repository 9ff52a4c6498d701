/**
 * Intake keys: what makes a registration a retry of an earlier one. A key (`externalRef` or an
 * `Idempotency-Key` header) names a request only within its caller's namespace and customer,
 * and a retry must carry the same content as the first attempt (as payment APIs do).
 */
export type IntakeKeyKind = 'external-ref' | 'idempotency-key';

/** Whose keys these are: an intake source shared by several API keys, or one API key alone. */
export function intakeNamespace(caller: { keyId: string; intakeSource?: string | null }): string {
  return caller.intakeSource ? `source:${caller.intakeSource}` : `key:${caller.keyId}`;
}

export interface IntakeKey {
  namespace: string;
  /** The customer id, '' for an anonymous person. */
  customerKey: string;
  kind: IntakeKeyKind;
  key: string;
}

/** The fields a registration is compared on; all of them, absent ones as null. */
export const FINGERPRINT_FIELDS = ['subject', 'description', 'customerId', 'productId', 'channel', 'category', 'priority', 'officeId', 'reporter', 'externalRef'] as const;
export type Fingerprint = Partial<Record<(typeof FINGERPRINT_FIELDS)[number], string | null>>;

/** The normalised input (after the schema trimmed it) that a replay must repeat. */
export function intakeFingerprint(input: { [K in (typeof FINGERPRINT_FIELDS)[number]]?: string | undefined }): Fingerprint {
  return Object.fromEntries(FINGERPRINT_FIELDS.map((f) => [f, input[f] ?? null]));
}

/**
 * Fields whose value differs from the first attempt's. Only fields the stored fingerprint has
 * are compared: requests registered before fingerprints were kept lack some (priority, office).
 *
 * @example fingerprintDifferences({ subject: 'a', priority: null }, { subject: 'b', priority: null }) // ['subject']
 */
export function fingerprintDifferences(stored: Fingerprint, replay: Fingerprint): string[] {
  return FINGERPRINT_FIELDS.filter((f) => f in stored && (stored[f] ?? null) !== (replay[f] ?? null));
}
