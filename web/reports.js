// SLA compliance over a period per level, customer, office or agent: a chart (Chart.js, served
// from node_modules), the table, and the API's own CSV. A customer-scoped key sees its own.
import { api, session } from './api.js';
import { errorBox, h, hashQuery, mount } from './dom.js';
import { formatPct, t } from './i18n.js';
import { defaultReportPeriod, REPORT_ZONE_OFFSET } from './report-period.js';

const GROUPS = ['level', 'customer', 'office', 'agent'];

export function reportsView(main) {
  const q = hashQuery();
  const period = defaultReportPeriod(Date.now());
  const from = q.from ?? period.from;
  const to = q.to ?? period.to;
  const groupBy = GROUPS.includes(q.groupBy) ? q.groupBy : 'level';
  const scope = session.principal?.customerScope;
  const form = h(
    'form',
    { class: 'filters' },
    h('label', {}, h('span', {}, t('reports.from')), h('input', { type: 'date', name: 'from', value: from, required: true })),
    h('label', {}, h('span', {}, t('reports.to')), h('input', { type: 'date', name: 'to', value: to, required: true })),
    h('label', {}, h('span', {}, t('reports.groupBy')), h('select', { name: 'groupBy' }, GROUPS.map((g) => h('option', { value: g, selected: g === groupBy }, t(`group.${g}`))))),
    h('button', { type: 'submit' }, t('reports.run')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const fd = new FormData(form);
    location.hash = `#/reports?${new URLSearchParams({ from: fd.get('from'), to: fd.get('to'), groupBy: fd.get('groupBy') })}`;
  });
  const out = h('div', {}, t('loading'));
  mount(main, h('h1', {}, t('reports.title')), scope ? h('p', { class: 'note' }, t('reports.customerOnly')) : null, form, out);

  // Dates are the desk's (Moscow) calendar days.
  const params = new URLSearchParams({ from: `${from}T00:00:00${REPORT_ZONE_OFFSET}`, to: `${to}T00:00:00${REPORT_ZONE_OFFSET}`, ...(scope ? {} : { groupBy }) });
  const base = scope ? `/v1/customers/${encodeURIComponent(scope)}/reports/sla` : '/v1/reports/sla';
  let chart = null;
  (async () => {
    try {
      const r = await api('GET', `${base}?${params}&format=json`);
      const byLevel = scope || groupBy === 'level';
      const label = (g) => (g.key == null ? t('none') : byLevel ? t(`level.${g.key}`) : g.key);
      const canvas = h('canvas', { id: 'report-chart', role: 'img', 'aria-label': t('reports.chart') });
      const table = h(
        'table',
        { class: 'compact report' },
        h('thead', {}, h('tr', {}, ['group', 'requests', 'open', 'fr', 'res', 'breaches'].map((c) => h('th', { scope: 'col' }, t(`reports.${c}`))))),
        h(
          'tbody',
          {},
          [...r.groups, { ...r.total, key: t('reports.total'), total: true }].map((g) =>
            h('tr', { class: g.total ? 'total' : '' }, h('th', { scope: 'row' }, g.total ? g.key : label(g)), h('td', {}, g.requests), h('td', {}, g.open), h('td', {}, formatPct(g.firstResponse?.withinTargetPct)), h('td', {}, formatPct(g.resolution?.withinTargetPct)), h('td', {}, g.breaches?.total ?? 0)),
          ),
        ),
      );
      mount(out, h('figure', { class: 'chart' }, h('div', { class: 'chart-box' }, canvas), h('figcaption', {}, t('reports.chart'))), h('div', { class: 'scroll' }, table), h('p', {}, h('a', { href: `${base}?${params}&format=csv`, download: '' }, t('reports.csv'))));
      if (window.Chart) {
        chart = new window.Chart(canvas, {
          type: 'bar',
          data: {
            labels: r.groups.map(label),
            datasets: [
              { label: t('reports.fr'), data: r.groups.map((g) => g.firstResponse?.withinTargetPct ?? null), backgroundColor: '#1f5fa8' },
              { label: t('reports.res'), data: r.groups.map((g) => g.resolution?.withinTargetPct ?? null), backgroundColor: '#b35c00' },
            ],
          },
          options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100, title: { display: true, text: '%' } } } },
        });
        canvas.dataset.rendered = 'true';
      }
    } catch (err) {
      mount(out, errorBox(err));
    }
  })();
  return () => chart?.destroy();
}
