import type { Knex } from 'knex';
import type { Activities } from '../activities';
import { createCalendarActivities } from '../activities/calendar';
import { createTicketActivities } from '../activities/ticket-store';
import { createReplanActivities, type ReplanActivities } from '../activities/calendar-replan';
import { createCalendarRegistry, specsFromDb } from '../services/calendar-registry';
import { createNotificationActivities } from '../activities/notifications';
import { readNotificationSettings, type NotificationSettings } from '../notifications/settings';

/** Every activity the worker registers, built from the worker's dependencies: the requests' and the re-plans'. */
export function createActivities(db: Knex, notifications: NotificationSettings = readNotificationSettings()): Activities & ReplanActivities {
  return {
    ...createReplanActivities(db),
    ...createTicketActivities(db),
    ...createCalendarActivities(createCalendarRegistry(specsFromDb(db))),
    ...createNotificationActivities({ db, ...notifications }),
  };
}

export type { Activities };
