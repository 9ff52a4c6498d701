import { actionFingerprint, actionKeyDifferences } from '../../../domain/request/action-key';

describe('action idempotency keys: what a retry must repeat', () => {
  const reply = actionFingerprint('responses', { visibility: 'public', author: 'agent-7', body: 'Please send the log' });

  test('the same action with the same body, in any key order, is a retry', () => {
    expect(actionKeyDifferences(reply, actionFingerprint('responses', { body: 'Please send the log', author: 'agent-7', visibility: 'public' }))).toEqual([]);
  });

  test('names each body field that differs, sorted', () => {
    expect(actionKeyDifferences(reply, actionFingerprint('responses', { visibility: 'internal', author: 'agent-7', body: 'Another text' }))).toEqual(['body', 'visibility']);
  });

  test('another action under the same key is named as `action`, with the fields that differ', () => {
    const resolve = actionFingerprint('resolve', { author: 'agent-7', summary: 'done' });
    expect(actionKeyDifferences(reply, resolve)).toEqual(['action', 'body', 'summary', 'visibility']);
    expect(actionKeyDifferences(actionFingerprint('close', { author: 'a' }), actionFingerprint('reopen', { author: 'a' }))).toEqual(['action']);
  });

  test('a field only one attempt has differs; an undefined one counts as absent; null is not absent', () => {
    const first = actionFingerprint('wait-on-customer', { author: 'a', note: undefined });
    expect(actionKeyDifferences(first, actionFingerprint('wait-on-customer', { author: 'a' }))).toEqual([]);
    expect(actionKeyDifferences(first, actionFingerprint('wait-on-customer', { author: 'a', note: 'x' }))).toEqual(['note']);
    // An assignment's agent: null unassigns, an absent agent keeps the current one.
    expect(actionKeyDifferences(actionFingerprint('assignment', { author: 'a', agent: null, group: 'g' }), actionFingerprint('assignment', { author: 'a', group: 'g' }))).toEqual(['agent']);
  });

  test('with a digest, the fields that differ are still named and the text is not kept', () => {
    const digest = (s: string) => `d${s.length}:${[...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7)}`;
    const first = actionFingerprint('responses', { author: 'agent-7', body: 'Secret details of the crash' }, digest);
    expect(JSON.stringify(first)).not.toContain('Secret');
    expect(actionKeyDifferences(first, actionFingerprint('responses', { author: 'agent-7', body: 'Secret details of the crash' }, digest))).toEqual([]);
    expect(actionKeyDifferences(first, actionFingerprint('responses', { author: 'agent-8', body: 'Secret details of the crash' }, digest))).toEqual(['author']);
  });

  test('nested values compare whatever their key order', () => {
    expect(actionKeyDifferences(actionFingerprint('x', { v: { a: 1, b: [1, { c: 2, d: 3 }] } }), actionFingerprint('x', { v: { b: [1, { d: 3, c: 2 }], a: 1 } }))).toEqual([]);
    expect(actionKeyDifferences(actionFingerprint('x', { v: { a: 1 } }), actionFingerprint('x', { v: { a: '1' } }))).toEqual(['v']);
  });

  test('the fingerprint survives a JSON round trip (it is stored as jsonb)', () => {
    const stored = JSON.parse(JSON.stringify(actionFingerprint('assignment', { author: 'a', agent: null, occurredAt: undefined })));
    expect(actionKeyDifferences(stored, actionFingerprint('assignment', { author: 'a', agent: null }))).toEqual([]);
  });
});
