import { requestIdentity } from '../../../services/registration/identity';

describe('requestIdentity', () => {
  test('the same intake key always maps to the same request and workflow', () => {
    expect(requestIdentity('external-ref', 'CRM-42')).toEqual(requestIdentity('external-ref', 'CRM-42'));
  });

  test('ids are readable Crockford base32 and the workflow id embeds the request id', () => {
    const id = requestIdentity('external-ref', 'CRM-42');
    expect(id.requestId).toMatch(/^SR-[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(id.workflowId).toBe(`support-request-${id.requestId}`);
    expect(id.requestKey).toBe('external-ref:CRM-42');
  });

  test('different keys or scopes give different requests', () => {
    const ids = new Set(
      ['a', 'b', 'CRM-42', 'CRM-43'].flatMap((k) => ['external-ref', 'idempotency-key'].map((s) => requestIdentity(s, k).requestId)),
    );
    expect(ids.size).toBe(8);
  });
});
