import type { CalendarActivities } from './calendar';
import type { ContractReportActivities } from './contract-reports';
import type { NotificationActivities } from './notifications';
import type { RequestWriteActivities } from './request-writes';
import type { TicketActivities } from './ticket-store';

/**
 * Every activity the worker registers, as the workflow's proxies see them. Declared here, in
 * the activities layer, so workflow code never imports the worker (which builds them).
 */
export type Activities = TicketActivities & RequestWriteActivities & CalendarActivities & NotificationActivities & ContractReportActivities;
