import type { RequestSnapshot } from './snapshot';
import { REQUEST_ACTIONS, refusalFor, type RequestAction } from './transitions';

/**
 * The actions a request accepts now, in REQUEST_ACTIONS order: what the workflow's validators
 * would let through (`refusalFor`), so a screen or an integration offers only those. A closed
 * request whose reopen window has ended only takes a customer's reply, which the API turns
 * into a follow-up request: its workflow has completed.
 *
 * Who may do what is the API's roles, not this list. Another change may land between reading
 * this list and acting: the action's own refusal (409) stays the final word.
 */
export function allowedActions(r: Pick<RequestSnapshot, 'state' | 'reopenUntilMs'>, nowMs?: number): RequestAction[] {
  if (r.state === 'closed' && (r.reopenUntilMs === null || (nowMs !== undefined && r.reopenUntilMs <= nowMs))) return ['customer_reply'];
  return REQUEST_ACTIONS.filter((action) => refusalFor(action, r.state) === null);
}
