import type { Knex } from 'knex';
import type { RequestSnapshot, TimelineEvent } from '../domain/request/snapshot';
import { applyRequestChanges, writeWholeRequest } from '../db/queries/request-projection';

export interface TicketUpdate {
  workflowId: string;
  snapshot: RequestSnapshot;
  events: TimelineEvent[];
}

/**
 * A lean projection write: the top-level snapshot fields that changed since the write of
 * `baseRevision` in the same workflow run, and the new events (history keeps this, not the
 * whole snapshot, for every write).
 */
export interface TicketChanges {
  workflowId: string;
  requestId: string;
  baseRevision: number;
  revision: number;
  changes: Partial<RequestSnapshot>;
  events: TimelineEvent[];
}

/**
 * Ticket updates: the request row and its timeline, written in one transaction. Retrying is
 * safe: events are keyed by (request, seq) and the row only moves forward by revision.
 */
export function createTicketActivities(db: Knex) {
  return {
    async recordTicketUpdate(update: TicketUpdate): Promise<void> {
      await writeWholeRequest(db, update.workflowId, update.snapshot, update.events);
    },
    /** False when the row is behind the base (the workflow then writes the whole snapshot). */
    async recordTicketChanges(change: TicketChanges): Promise<boolean> {
      return applyRequestChanges(db, change);
    },
  };
}

export type TicketActivities = ReturnType<typeof createTicketActivities>;
