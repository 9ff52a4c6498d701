import type { Knex } from 'knex';
import type { Activities } from '../activities';
import { createCalendarActivities } from '../activities/calendar';
import { createTicketActivities } from '../activities/ticket-store';
import { createRequestWriteActivities } from '../activities/request-writes';
import { createReplanActivities, type ReplanActivities } from '../activities/calendar-replan';
import { createCalendarRegistry, specsFromDb } from '../services/calendar-registry';
import { createNotificationActivities } from '../activities/notifications';
import { createContractReportActivities } from '../activities/contract-reports';
import { readNotificationSettings, type NotificationSettings } from '../notifications/settings';

/** Every activity the worker registers, built from the worker's dependencies: the requests', the re-plans' and the contract reports'. */
export function createActivities(db: Knex, notifications: NotificationSettings = readNotificationSettings()): Activities & ReplanActivities {
  const calendars = createCalendarRegistry(specsFromDb(db));
  const notificationActivities = createNotificationActivities({ db, ...notifications });
  const requestWrites = createRequestWriteActivities({ db, urlPolicy: { allowHttpLoopback: notifications.webhook.allowHttpLoopback ?? false } });
  return {
    ...createReplanActivities({ db, calendars, commit: requestWrites.writeRequest }),
    ...createTicketActivities(db),
    ...requestWrites,
    ...createCalendarActivities(calendars),
    ...notificationActivities,
    ...createContractReportActivities(db, calendars, notificationActivities),
  };
}

export type { Activities };
