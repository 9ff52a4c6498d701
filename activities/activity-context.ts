import { Context } from '@temporalio/activity';
import type { NotificationIntent } from '../notifications/types';

/** The running activity's context, or undefined when called outside one (scripts, tests). */
export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** An intent nobody receives is written nowhere: say so in the worker's log. */
export function warnNoRecipients(intent: NotificationIntent): void {
  activityContext()?.log.warn('notification has no recipients', { idempotencyKey: intent.idempotencyKey, roles: intent.roles, recipientIds: intent.recipientIds });
}
