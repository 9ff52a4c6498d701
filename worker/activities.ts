import type { Knex } from 'knex';
import type { Activities } from '../activities';
import { createCalendarActivities } from '../activities/calendar';
import { createTicketActivities } from '../activities/ticket-store';
import { createCalendarRegistry, specsFromDb } from '../services/calendar-registry';
import { createNotificationActivities } from '../activities/notifications';
import { createContractReportActivities } from '../activities/contract-reports';
import { readNotificationSettings, type NotificationSettings } from '../notifications/settings';

/** Every activity the worker registers, built from the worker's dependencies. */
export function createActivities(db: Knex, notifications: NotificationSettings = readNotificationSettings()): Activities {
  const calendars = createCalendarRegistry(specsFromDb(db));
  const notificationActivities = createNotificationActivities({ db, ...notifications });
  return {
    ...createTicketActivities(db),
    ...createCalendarActivities(calendars),
    ...notificationActivities,
    ...createContractReportActivities(db, calendars, notificationActivities),
  };
}

export type { Activities };
