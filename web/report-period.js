// The report screen's dates are the supplier's calendar dates (Europe/Moscow): the period is sent
// as Moscow midnights, so "today" must be Moscow's today too. A browser west of Moscow would
// otherwise end the period at the midnight Moscow already passed, and leave out the evening's
// requests.
import { dateInZone } from './zone-date.js';

const REPORT_ZONE = 'Europe/Moscow';
/** Moscow's offset for the period's midnights (UTC+3 all year since 2014). */
export const REPORT_ZONE_OFFSET = '+03:00';
const DAY_MS = 86_400_000;

/** The default period: the last 30 days up to and including today, as `YYYY-MM-DD` dates on the supplier calendar (`to` exclusive). */
export function defaultReportPeriod(nowMs) {
  return { from: dateInZone(nowMs - 30 * DAY_MS, REPORT_ZONE), to: dateInZone(nowMs + DAY_MS, REPORT_ZONE) };
}
