// The calendar screen opens on the current month of the calendar's own zone: a browser west of
// Moscow (or a UTC clock) is still in the previous month for the first hours of Moscow's 1st.

/** `YYYY-MM`: the month it is at `nowMs` in the IANA zone `zone`. */
export function monthInZone(nowMs, zone) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit' }).formatToParts(new Date(nowMs));
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part('year')}-${part('month')}`;
}
