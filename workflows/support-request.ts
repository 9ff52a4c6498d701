import { condition, proxyActivities, setHandler, workflowInfo, allHandlersFinished, ApplicationFailure } from '@temporalio/workflow';
import type { createTicketActivities } from '../activities/ticket-store';
import type { Registration } from '../domain/request/registration';
import type { ClockView, RequestSnapshot, RequestState, TimelineEvent } from '../domain/request/snapshot';
import { registeredUpdate, respondUpdate, snapshotQuery, type Reply } from './messages';

const { recordTicketUpdate } = proxyActivities<ReturnType<typeof createTicketActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface SupportRequestInput {
  requestId: string;
  requestKey: string;
  registration: Registration;
  /** Wall-clock first-response target; the calendar-based clocks replace this. */
  firstResponseTargetMs: number;
}

/**
 * One support request, from registration until its first response (the skeleton the full
 * lifecycle grows from). The first-response clock is a Temporal timer: a response before it
 * fires meets the target, otherwise the breach is recorded.
 */
export async function supportRequest(input: SupportRequestInput): Promise<RequestSnapshot> {
  const registeredAtMs = Date.now();
  let state: RequestState = 'registered';
  let revision = 0;
  let pending: TimelineEvent[] = [];
  const firstResponse: ClockView = {
    kind: 'first_response',
    status: 'running',
    targetMs: input.firstResponseTargetMs,
    dueAtMs: registeredAtMs + input.firstResponseTargetMs,
    usedMs: 0,
    remainingMs: input.firstResponseTargetMs,
    metAtMs: null,
    breachedAtMs: null,
  };

  const snapshot = (): RequestSnapshot => {
    const now = Date.now();
    const running = firstResponse.metAtMs === null;
    const usedMs = running ? now - registeredAtMs : firstResponse.metAtMs! - registeredAtMs;
    return {
      requestId: input.requestId,
      requestKey: input.requestKey,
      state,
      registration: input.registration,
      registeredAtMs,
      clocks: [{ ...firstResponse, usedMs, remainingMs: Math.max(0, input.firstResponseTargetMs - usedMs) }],
      revision,
    };
  };

  const record = (type: string, actor?: string, data?: Record<string, unknown>) => {
    revision += 1;
    pending.push({ seq: revision, type, atMs: Date.now(), actor, data });
  };

  // Writes are chained so the projection sees them in order, each with its events.
  let writes: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    const events = pending;
    pending = [];
    const s = snapshot();
    writes = writes.then(() => recordTicketUpdate({ workflowId: workflowInfo().workflowId, snapshot: s, events }));
    return writes;
  };

  record('registered', input.registration.reporter, { subject: input.registration.subject });
  const registered = persist();

  setHandler(snapshotQuery, snapshot);
  setHandler(registeredUpdate, async () => {
    await registered;
    return snapshot();
  });
  setHandler(
    respondUpdate,
    async (reply: Reply) => {
      await registered;
      if (reply.visibility === 'public' && firstResponse.metAtMs === null) {
        firstResponse.metAtMs = Date.now();
        firstResponse.status = firstResponse.breachedAtMs === null ? 'met' : 'breached';
        state = 'in_progress';
      }
      record(reply.visibility === 'public' ? 'replied' : 'internal_note', reply.author, { body: reply.body });
      await persist();
      return snapshot();
    },
    {
      validator: (reply: Reply) => {
        if (reply.visibility !== 'public' && reply.visibility !== 'internal') {
          throw ApplicationFailure.nonRetryable(`visibility must be "public" or "internal"`, 'InvalidReply');
        }
      },
    },
  );

  const respondedInTime = await condition(() => firstResponse.metAtMs !== null, firstResponse.dueAtMs! - registeredAtMs);
  if (!respondedInTime) {
    // The breach instant is the due instant; when the timer actually fired is kept as evidence.
    firstResponse.status = 'breached';
    firstResponse.breachedAtMs = firstResponse.dueAtMs;
    record('first_response_breached', 'system', { dueAtMs: firstResponse.dueAtMs, detectedAtMs: Date.now() });
    await persist();
    await condition(() => firstResponse.metAtMs !== null);
  }
  await condition(allHandlersFinished);
  await writes;
  return snapshot();
}
