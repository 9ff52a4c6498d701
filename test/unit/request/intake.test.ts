import { fingerprintDifferences, intakeFingerprint, intakeNamespace, type IntakeKey } from '../../../domain/request/intake';
import { intakeIdentity, legacyIdentity, requestIdentity } from '../../../services/registration/identity';

const key = (o: Partial<IntakeKey> = {}): IntakeKey => ({ namespace: 'key:key_A', customerKey: 'acme', kind: 'external-ref', key: 'X-1', ...o });

describe('intake keys', () => {
  test('the same key of the same caller and customer names the same request', () => {
    expect(intakeIdentity(key())).toEqual(intakeIdentity(key()));
  });

  test('another caller, customer or key kind names another request', () => {
    const ids = new Set(
      [key(), key({ namespace: 'key:key_B' }), key({ namespace: 'source:crm' }), key({ customerKey: 'globex' }), key({ customerKey: '' }), key({ kind: 'idempotency-key' })].map(
        (k) => intakeIdentity(k).requestId,
      ),
    );
    expect(ids.size).toBe(6);
  });

  test('a key bound to an intake source shares its namespace with the other keys of that source', () => {
    expect(intakeNamespace({ keyId: 'key_A', intakeSource: 'crm' })).toBe(intakeNamespace({ keyId: 'key_B', intakeSource: 'crm' }));
    expect(intakeNamespace({ keyId: 'key_A' })).not.toBe(intakeNamespace({ keyId: 'key_B' }));
  });

  test('legacy ids are those the scheme before caller scoping derived', () => {
    expect(legacyIdentity(null, 'external-ref', 'X-1')).toEqual(requestIdentity('external-ref', 'X-1'));
    expect(legacyIdentity('acme', 'idempotency-key', 'k')).toEqual(requestIdentity('customer:acme:idempotency-key', 'k'));
  });
});

describe('fingerprints', () => {
  const input = { subject: 'Crash', customerId: 'acme', channel: 'supplier-email', category: 'defect-report', externalRef: 'X-1' };

  test('every registration field is kept, absent ones as null', () => {
    expect(intakeFingerprint(input)).toEqual({ ...input, description: null, productId: null, priority: null, officeId: null, reporter: null });
  });

  test('an identical replay differs in nothing; a changed one names each differing field', () => {
    expect(fingerprintDifferences(intakeFingerprint(input), intakeFingerprint({ ...input }))).toEqual([]);
    expect(fingerprintDifferences(intakeFingerprint(input), intakeFingerprint({ ...input, subject: 'Other', priority: 'high' }))).toEqual(['subject', 'priority']);
    // A field dropped in the replay differs too.
    expect(fingerprintDifferences(intakeFingerprint({ ...input, reporter: 'ivan' }), intakeFingerprint(input))).toEqual(['reporter']);
  });

  test('fields a backfilled fingerprint does not hold are not compared', () => {
    const legacy = { subject: 'Crash', description: null, customerId: 'acme', productId: null, channel: 'supplier-email', category: 'defect-report', reporter: null, externalRef: 'X-1' };
    expect(fingerprintDifferences(legacy, intakeFingerprint({ ...input, priority: 'high', officeId: 'msk' }))).toEqual([]);
    expect(fingerprintDifferences(legacy, intakeFingerprint({ ...input, description: 'more' }))).toEqual(['description']);
  });
});
