/**
 * A pinned policy's lifecycle terms as the request's state machine reads them.
 *
 * Apart from the terms' schemas (lifecycle-terms.ts, pinned.ts) on purpose: the workflow
 * imports this module, and a Temporal worker evaluates a workflow's modules again for every
 * workflow it starts. A module that builds zod schemas when it loads would build them once per
 * registered request: that was 11 ms of the worker's CPU per registration (`--cpu-prof`), a
 * third of all its work. test/unit/workflow-bundle.test.ts keeps zod and luxon out of the bundle.
 */
import { HOUR_MS } from '../time-units';
import type { LifecycleTerms, NextReplyTerm, WaitingState } from './lifecycle-terms';
import type { PinnedPolicy } from './pinned';
import type { Priority } from './vocabulary';

/** The behaviour before these terms existed: what older catalogues and pinned policies mean. */
export const LEGACY_LIFECYCLE_TERMS: LifecycleTerms = {
  pauses: { waiting_on_customer: ['resolution'], waiting_on_third_party: [] },
  nextReply: null,
  waitingOnCustomer: { reminderAfterWorkingDays: null, autoResolveAfterWorkingDays: null },
  replyAfterResolution: 'reopen',
};

/** The lifecycle terms a request lives by: pinned ones, or for older pins the behaviour they were registered under. */
export function lifecycleTermsOf(pinned: PinnedPolicy): LifecycleTerms {
  return { ...LEGACY_LIFECYCLE_TERMS, ...pinned.lifecycle };
}

/** The clocks a waiting state pauses under the request's terms. */
export function pausedClocks(pinned: PinnedPolicy, state: WaitingState): readonly ('first_response' | 'resolution' | 'next_reply')[] {
  return lifecycleTermsOf(pinned).pauses[state];
}

/** The next-reply target in working ms for a priority, or null when the terms set none. */
export function nextReplyTargetMs(term: NextReplyTerm, priority: Priority): number | null {
  if (term === null) return null;
  const h = 'byPriority' in term ? term.byPriority[priority] : term;
  return h === null ? null : Math.round(h.workingHours * HOUR_MS);
}
