import type { RequestState } from './snapshot';

/**
 * What people can do to a request, and in which states. Update validators in the workflow
 * call `refusalFor` before anything reaches history, so an illegal action is refused at once
 * with the reason and the current state.
 *
 *   registered ──reply──▶ in_progress ◀──customer reply── waiting_on_customer
 *        │                   │  ▲  └──wait on customer──▶───┘
 *        │                   ▼  └──────reopen──────┐
 *        └───resolve───▶ resolved ──close / auto-close──▶ closed (reopenable for a while)
 *   in_progress ◀──resume── waiting_on_third_party (pauses what the terms say) ◀──wait on third party── in_progress
 *   registered, in_progress, waiting_on_* ──cancel──▶ cancelled (final)
 *   resolved, closed ──customer reply──▶ in_progress (term "reopen") or unchanged (term "notify-assignee")
 */
export const REQUEST_ACTIONS = [
  'reply',
  'note',
  'wait_on_customer',
  'wait_on_third_party',
  'resume',
  'customer_reply',
  'resolve',
  'close',
  'reopen',
  'cancel',
  'assign',
  'set_priority',
] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/** States in which a request is still being worked on (its clocks can run). */
export const OPEN_STATES: readonly RequestState[] = ['registered', 'in_progress', 'waiting_on_customer', 'waiting_on_third_party'];
const OPEN = OPEN_STATES;

const ALLOWED: Record<RequestAction, readonly RequestState[]> = {
  reply: OPEN,
  note: [...OPEN, 'resolved'],
  wait_on_customer: ['in_progress', 'waiting_on_third_party'],
  // Handed to the developers or a vendor; the pinned terms say which clocks pause.
  wait_on_third_party: ['in_progress', 'waiting_on_customer'],
  resume: ['waiting_on_customer', 'waiting_on_third_party'],
  // A customer writing back on a resolved request, or a closed one within its reopen window,
  // reopens it or tells the assignee (the level's term). Past the window the workflow is gone:
  // the API registers a follow-up instead.
  customer_reply: [...OPEN, 'resolved', 'closed'],
  resolve: OPEN,
  close: ['resolved'],
  reopen: ['resolved', 'closed'],
  cancel: OPEN,
  assign: [...OPEN, 'resolved'],
  set_priority: OPEN,
};

const HINTS: Partial<Record<RequestAction, Partial<Record<RequestState, string>>>> = {
  wait_on_customer: { registered: 'reply to the customer first' },
  wait_on_third_party: { registered: 'reply to the customer first' },
  resume: { registered: 'it is not waiting', in_progress: 'it is not waiting' },
  reply: { resolved: 'reopen it first', closed: 'reopen it first' },
  resolve: { resolved: 'it is already resolved' },
  close: { registered: 'resolve it first', in_progress: 'resolve it first', waiting_on_customer: 'resolve it first', waiting_on_third_party: 'resolve it first' },
  reopen: { registered: 'it is open', in_progress: 'it is open', waiting_on_customer: 'it is open', waiting_on_third_party: 'it is open' },
};

export interface Refusal {
  action: RequestAction;
  state: RequestState;
  reason: string;
}

/** Null when `action` is allowed in `state`, else why not. */
export function refusalFor(action: RequestAction, state: RequestState): Refusal | null {
  if (ALLOWED[action].includes(state)) return null;
  const hint = HINTS[action]?.[state];
  const verb = action.replace(/_/g, ' ');
  return { action, state, reason: `cannot ${verb} a request that is ${state.replace(/_/g, ' ')}${hint ? `: ${hint}` : ''}` };
}
