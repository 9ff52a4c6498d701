// Dates on a calendar are the calendar zone's dates, not the browser's or UTC's: a browser west
// of Moscow (or a UTC clock) is still on the previous day, or month, for the first hours of
// Moscow's. The screens take "today" and "this month" from here.

/** `YYYY-MM-DD`: the date it is at `nowMs` in the IANA zone `zone`. */
export function dateInZone(nowMs, zone) {
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(nowMs));
}

/** `YYYY-MM`: the month it is at `nowMs` in the IANA zone `zone`. */
export const monthInZone = (nowMs, zone) => dateInZone(nowMs, zone).slice(0, 7);
