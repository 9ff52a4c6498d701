import type { temporal } from '@temporalio/proto';
import { actionIdempotencyKey, actionUpdateId, ActionKeyReusedProblem } from '../../../api/requests/idempotent-actions';
import { runOrigin, updateOutcomeIn } from '../../../api/requests/update-outcome-in-history';
import { buildOpenApiDocument } from '../../../api/openapi';
import { ValidationProblem } from '../../../api/problems';
import { actionFingerprint } from '../../../domain/request/action-key';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

describe('the Idempotency-Key header of an action', () => {
  test('absent: no key; a printable ASCII key of up to 200 characters is taken as sent', () => {
    expect(actionIdempotencyKey(undefined)).toBeUndefined();
    expect(actionIdempotencyKey('retry-7f3a')).toBe('retry-7f3a');
    expect(actionIdempotencyKey('k'.repeat(200))).toBe('k'.repeat(200));
  });

  test.each([
    ['empty', ''],
    ['too long', 'k'.repeat(201)],
    ['with a space', 'two words'],
    ['non-ASCII', 'ключ'],
  ])('%s: 400 naming header:idempotency-key', (_name, value) => {
    let thrown: unknown;
    try {
      actionIdempotencyKey(value);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ValidationProblem);
    expect((thrown as ValidationProblem).status).toBe(400);
    expect([...new Set((thrown as ValidationProblem).errors.map((e) => e.field))]).toEqual(['header:idempotency-key']);
  });
});

describe('the Update ID of a keyed action', () => {
  test('is the same for the same caller namespace, request and key, in any process', () => {
    expect(actionUpdateId('key:key_A', 'SR-1', 'k1')).toBe(actionUpdateId('key:key_A', 'SR-1', 'k1'));
  });

  test('differs when any of the three differs, and no concatenation of them collides', () => {
    const ids = new Set([
      actionUpdateId('key:key_A', 'SR-1', 'k1'),
      actionUpdateId('key:key_B', 'SR-1', 'k1'),
      actionUpdateId('source:crm', 'SR-1', 'k1'),
      actionUpdateId('key:key_A', 'SR-2', 'k1'),
      actionUpdateId('key:key_A', 'SR-1', 'k2'),
      actionUpdateId('key:key_A', 'SR-1k', '1'),
    ]);
    expect(ids.size).toBe(6);
  });
});

describe('a reused key: the registration problem shape', () => {
  test('422 idempotency-key-reused naming the header, the first action and each differing field', () => {
    const p = new ActionKeyReusedProblem('k1', 'SR-1', actionFingerprint('responses', { body: 'a' }), ['action', 'body']);
    expect(p.status).toBe(422);
    expect(p.extra).toMatchObject({ rule: 'idempotency-key-reused', requestId: 'SR-1', action: 'responses', differingFields: ['action', 'body'] });
    expect((p.extra.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(['header:idempotency-key', 'action', 'body']);
  });
});

describe('an Update in a closed run: read from its history', () => {
  // Protobuf longs arrive as Long or number: the code reads them with Number().
  const started = (seconds: number, continuedExecutionRunId?: string) =>
    ({
      eventId: 1,
      eventTime: { seconds, nanos: 500_000_000 },
      workflowExecutionStartedEventAttributes: { ...(continuedExecutionRunId && { continuedExecutionRunId }) },
    }) as unknown as HistoryEvent;
  const completed = (updateId: string, failure?: temporal.api.failure.v1.IFailure): HistoryEvent => ({
    workflowExecutionUpdateCompletedEventAttributes: { meta: { updateId }, outcome: failure ? { failure } : { success: { payloads: [] } } },
  });

  test('completed with success or with a failure; another Update or none is not it', () => {
    expect(updateOutcomeIn([started(1), completed('other'), completed('mine')], 'mine')).toEqual({ ran: 'success' });
    expect(updateOutcomeIn([started(1), completed('mine', { message: 'not allowed' })], 'mine')).toEqual({ ran: 'failure', failure: { message: 'not allowed' } });
    expect(updateOutcomeIn([started(1), completed('other')], 'mine')).toBeUndefined();
  });

  test("a run's start instant and the run it continued", () => {
    expect(runOrigin([started(1_700_000_000, 'run-1')])).toEqual({ startMs: 1_700_000_000_500, previousRunId: 'run-1' });
    expect(runOrigin([started(1_700_000_000)])).toEqual({ startMs: 1_700_000_000_500, previousRunId: null });
    expect(runOrigin([])).toEqual({ startMs: null, previousRunId: null });
  });
});

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument() as any;
  const actionPaths = Object.keys(doc.paths).filter((p) => /^\/v1\/requests\/\{id\}\/[a-z-]+$/.test(p) && doc.paths[p].post);

  test('documents the Idempotency-Key header and the 422 on every action route', () => {
    expect(actionPaths.length).toBeGreaterThanOrEqual(11);
    for (const path of actionPaths) {
      const op = doc.paths[path].post;
      expect([path, op.parameters]).toEqual([path, expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key', required: false })])]);
      expect([path, op.description]).toEqual([path, expect.stringContaining('idempotency-key-reused')]);
      expect([path, Object.keys(op.responses)]).toEqual([path, expect.arrayContaining(['400', '409', '422'])]);
    }
  });
});
