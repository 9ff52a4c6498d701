// A month of a calendar (working days, holidays, transferred and short days, versions) and a
// what-if: "registered at … with a target of … is due at …, because …" (the API's explain).
import { api } from './api.js';
import { errorBox, h, hashQuery, mount } from './dom.js';
import { monthInZone } from './zone-date.js';
import { formatHours, formatInstant, t } from './i18n.js';

export function calendarsView(main) {
  const q = hashQuery();
  const out = h('div', {}, t('loading'));
  mount(main, h('h1', {}, t('cal.title')), out);
  (async () => {
    try {
      const list = await api('GET', '/v1/calendars');
      const ids = list.items.filter((c) => !c.error).map((c) => c.id);
      const id = ids.includes(q.id) ? q.id : ids.includes('supplier') ? 'supplier' : ids[0];
      const zone = list.items.find((c) => c.id === id)?.timezone ?? 'Europe/Moscow';
      const month = /^\d{4}-\d{2}$/.test(q.month ?? '') ? q.month : monthInZone(Date.now(), zone);
      const form = h(
        'form',
        { class: 'filters' },
        h('label', {}, h('span', {}, t('cal.calendar')), h('select', { name: 'id' }, ids.map((c) => h('option', { value: c, selected: c === id }, c)))),
        h('label', {}, h('span', {}, t('cal.month')), h('input', { type: 'month', name: 'month', value: month, required: true })),
        h('button', { type: 'submit' }, t('cal.show')),
      );
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const fd = new FormData(form);
        location.hash = `#/calendars?${new URLSearchParams({ id: fd.get('id'), month: fd.get('month') })}`;
      });
      const [info, m] = await Promise.all([api('GET', `/v1/calendars/${encodeURIComponent(id)}`), api('GET', `/ui/api/calendars/${encodeURIComponent(id)}/month?month=${month}`)]);
      const weekdays = t('weekdays').split(',');
      const cells = [];
      const lead = (m.days[0]?.weekday ?? 1) - 1;
      for (let i = 0; i < lead; i++) cells.push(h('td', { class: 'blank' }));
      for (const d of m.days) {
        cells.push(
          h(
            'td',
            { class: `day ${d.kind}${d.extrapolated ? ' extrapolated' : ''}`, title: d.extrapolated ? t('cal.extrapolated') : null },
            h('div', { class: 'date' }, String(Number(d.date.slice(8)))),
            h('div', { class: 'kind' }, t(`kind.${d.kind}`)),
            h('div', { class: 'hours' }, d.intervals.map(([a, b]) => `${a}–${b}`).join(', ')),
          ),
        );
      }
      const rows = [];
      for (let i = 0; i < cells.length; i += 7) rows.push(h('tr', {}, cells.slice(i, i + 7)));
      const grid = h('table', { class: 'month', 'aria-label': `${id} ${month} (${m.timezone})` }, h('thead', {}, h('tr', {}, weekdays.map((w) => h('th', { scope: 'col' }, w)))), h('tbody', {}, rows));
      const versions = h('ul', {}, info.versions.map((v) => h('li', {}, `${v.id}: ${v.effectiveFrom ? t('cal.effective', { t: formatInstant(v.effectiveFrom, info.timezone) }) : t('cal.first')}${v.id === info.currentVersionId ? ' ✓' : ''}`)));

      const answer = h('div', { 'aria-live': 'polite' });
      const whatIf = h(
        'form',
        { class: 'filters', 'aria-labelledby': 'whatif-title' },
        h('label', {}, h('span', {}, t('cal.start')), h('input', { type: 'datetime-local', name: 'start', required: true, value: `${month}-01T09:00` })),
        h('label', {}, h('span', {}, t('cal.hours')), h('input', { type: 'number', name: 'hours', min: '0.01', step: 'any', required: true, value: '8' })),
        h('button', { type: 'submit' }, t('cal.compute')),
      );
      whatIf.addEventListener('submit', async (e) => {
        e.preventDefault();
        const fd = new FormData(whatIf);
        try {
          // A local time without an offset is read in the calendar's zone by the API.
          const start = `${fd.get('start')}:00`;
          const r = await api('GET', `/v1/calendars/${encodeURIComponent(id)}/explain?${new URLSearchParams({ start, hours: String(fd.get('hours')) })}`);
          mount(
            answer,
            h('p', { class: 'whatif-answer' }, t('cal.answer', { start: formatInstant(r.start, r.timezone), h: formatHours(r.workingHours), due: formatInstant(r.due, r.timezone) })),
            h('ul', {}, r.intervals.map((i) => h('li', {}, t('cal.interval', { date: i.date, kind: t(`kind.${i.kind}`), from: formatInstant(i.start, r.timezone), to: formatInstant(i.end, r.timezone), h: formatHours(i.workingHours) })))),
            r.warning ? h('p', { class: 'note' }, r.warning) : null,
          );
        } catch (err) {
          mount(answer, errorBox(err));
        }
      });
      mount(
        out,
        form,
        h('p', {}, `${info.name} · ${info.timezone}`),
        grid,
        h('h2', {}, t('cal.versions')),
        versions,
        h('h2', { id: 'whatif-title' }, t('cal.whatif')),
        whatIf,
        answer,
      );
    } catch (err) {
      mount(out, errorBox(err));
    }
  })();
  return null;
}
