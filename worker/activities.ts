import type { Knex } from 'knex';
import { createTicketActivities } from '../activities/ticket-store';

/** Every activity the worker registers, built from the worker's dependencies. */
export function createActivities(db: Knex) {
  return {
    ...createTicketActivities(db),
  };
}

export type Activities = ReturnType<typeof createActivities>;
