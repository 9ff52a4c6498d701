// The report screen's dates are the supplier's calendar dates (Europe/Moscow, UTC+3 all year
// since 2014): the period is sent as Moscow midnights, so "today" must be Moscow's today too. A
// browser west of Moscow would otherwise end the period at the midnight Moscow already passed,
// and leave out the evening's requests.
const OFFSET_HOURS = 3;
export const REPORT_ZONE_OFFSET = `+${String(OFFSET_HOURS).padStart(2, '0')}:00`;
const DAY_MS = 86_400_000;
const moscowDate = (ms) => new Date(ms + OFFSET_HOURS * 3_600_000).toISOString().slice(0, 10);

/** The default period: the last 30 days up to and including today, as `YYYY-MM-DD` dates on the supplier calendar (`to` exclusive). */
export function defaultReportPeriod(nowMs) {
  return { from: moscowDate(nowMs - 30 * DAY_MS), to: moscowDate(nowMs + DAY_MS) };
}
