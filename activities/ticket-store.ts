import type { Knex } from 'knex';
import type { RequestSnapshot, TimelineEvent } from '../domain/request/snapshot';
import { saveRequestProjection } from '../db/queries/request-projection';

export interface TicketUpdate {
  workflowId: string;
  snapshot: RequestSnapshot;
  events: TimelineEvent[];
}

/**
 * Ticket updates: the request row and its timeline, written in one transaction. Retrying is
 * safe: events are keyed by (request, seq) and the row only moves forward by revision.
 */
export function createTicketActivities(db: Knex) {
  return {
    async recordTicketUpdate(update: TicketUpdate): Promise<void> {
      await saveRequestProjection(db, update.workflowId, update.snapshot, update.events);
    },
  };
}

export type TicketActivities = ReturnType<typeof createTicketActivities>;
